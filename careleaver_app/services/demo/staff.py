"""The teams and staff that hold the demo caseloads: team managers, one housing liaison officer,
and personal advisers, each with a caseload between 20 and 25."""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from datetime import datetime
from math import ceil
from typing import Any

from sqlalchemy import Connection, select

from careleaver_app.db.models import StaffMember, Team
from careleaver_app.domain.codes import Role
from careleaver_app.services.demo.draws import Rand
from careleaver_app.services.demo.names import OTHER_CULTURE, QUARTERS, TOWNS
from careleaver_app.services.demo.writer import insert_with_ids

CASELOAD_MIN, CASELOAD_MAX, CASELOAD_TARGET = 20, 25, 22.5
PAS_PER_TEAM = 8
_DEMO_USERNAME = re.compile(r"^demo-(pa|tm|hl)-(\d+)$")


@dataclass(frozen=True)
class Pa:
    """A new personal adviser, with what their young people's rows need: team, manager,
    teammates (for earlier allocations) and the team's town and postcode area (for addresses)."""

    id: int
    team_id: int
    manager_id: int
    teammates: tuple[int, ...]
    area: str
    town: str


def _plan_caseloads(rng: random.Random, people: int) -> list[int]:
    """Caseload sizes between 20 and 25 adding up to `people` (fewer people: one small one)."""
    if people < CASELOAD_MIN:
        return [people]
    pas = max(
        ceil(people / CASELOAD_MAX),
        min(people // CASELOAD_MIN, round(people / CASELOAD_TARGET)),
    )
    if not pas * CASELOAD_MIN <= people <= pas * CASELOAD_MAX:
        return [people // pas + (1 if i < people % pas else 0) for i in range(pas)]
    loads = [CASELOAD_MIN] * pas
    room = list(range(pas))
    for _ in range(people - CASELOAD_MIN * pas):
        j = rng.randrange(len(room))
        loads[room[j]] += 1
        if loads[room[j]] == CASELOAD_MAX:
            room[j] = room[-1]
            room.pop()
    return loads


def _team_names(conn: Connection, count: int) -> list[tuple[str, str, str]]:
    """(name, town, postcode area) for `count` new teams, skipping names already in use."""
    taken = set(conn.scalars(select(Team.name)))
    names: list[tuple[str, str, str]] = []
    i = 0
    while len(names) < count:
        town, area = TOWNS[i % len(TOWNS)]
        lap = i // len(TOWNS)
        name = f"{town} {QUARTERS[lap % len(QUARTERS)]}"
        if lap >= len(QUARTERS):
            name += f" {lap // len(QUARTERS) + 1}"
        if name not in taken:
            names.append((name, town, area))
        i += 1
    return names


def create_staff(
    conn: Connection, rng: random.Random, now: datetime, people: int
) -> tuple[int, int, list[tuple[Pa, int]]]:
    """New teams of PAs, each with a team manager, and one housing liaison officer. Returns
    the numbers of teams and staff made, and each new PA with the caseload they will hold."""
    loads = _plan_caseloads(rng, people)
    names = _team_names(conn, max(1, round(len(loads) / PAS_PER_TEAM)))
    team_ids = insert_with_ids(
        conn, Team, [{"name": n, "active": True, "version": 1} for n, _, _ in names]
    )
    numbers = {"pa": 0, "tm": 0, "hl": 0}
    for username in conn.scalars(
        select(StaffMember.username).where(StaffMember.username.like("demo-%"))
    ):
        match = _DEMO_USERNAME.match(username)
        if match:
            numbers[match.group(1)] = max(numbers[match.group(1)], int(match.group(2)))
    r = Rand(rng)

    def member(key: str, role: Role, team_id: int) -> dict[str, Any]:
        numbers[key] += 1
        username = f"demo-{key}-{numbers[key]:05d}"
        culture = OTHER_CULTURE(r)
        male = r.random() < 0.3  # most leaving-care staff are women
        first = r.choice(culture["male"] if male else culture["female"])
        last = r.choice(culture["last_m"] if male else culture["last_f"])
        return {
            "username": username,
            "display_name": f"{first} {last}",
            "role": role.value,
            "team_id": team_id,
            "email": f"{username}@example.org",
            "active": True,
            "created_at": now,
            "version": 1,
        }

    managers = [member("tm", Role.TEAM_MANAGER, t) for t in team_ids]
    liaison = member("hl", Role.HOUSING_LIAISON, team_ids[0])
    pas = [member("pa", Role.PERSONAL_ADVISER, team_ids[k % len(names)]) for k in range(len(loads))]
    manager_ids = insert_with_ids(conn, StaffMember, [*managers, liaison])
    pa_ids = insert_with_ids(conn, StaffMember, pas)
    by_team: dict[int, list[int]] = {}
    for pa_id, row in zip(pa_ids, pas, strict=True):
        by_team.setdefault(row["team_id"], []).append(pa_id)
    out = []
    for k, (pa_id, load) in enumerate(zip(pa_ids, loads, strict=True)):
        _, town, area = names[k % len(names)]
        team_id = team_ids[k % len(names)]
        teammates = tuple(by_team[team_id])
        out.append((Pa(pa_id, team_id, manager_ids[k % len(names)], teammates, area, town), load))
    return len(names), len(managers) + 1 + len(pas), out
