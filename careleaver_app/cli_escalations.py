"""`careleaver-app escalations` (the open escalations, with level and nights) and `thresholds`
(show or, for administrators, change the escalation ladder's thresholds)."""

from __future__ import annotations

import argparse
from typing import Any

from careleaver_app.cli_output import emit, exporting, parse_date, team_id


def add_parser(sub: Any) -> None:
    esc = sub.add_parser("escalations", help="list open escalations with level and nights")
    esc.add_argument("--as-of", type=parse_date, help="the date to count nights and levels on")
    esc.add_argument("--team", help="only this team (by name)")
    esc.add_argument("--format", choices=["table", "json", "csv"], default="table")


def add_thresholds_parser(sub: Any) -> None:
    th = sub.add_parser(
        "thresholds", help="show or (administrators) change the escalation ladder's thresholds"
    )
    th.add_argument("--level-2-working-days", type=int, help="default 2")
    th.add_argument("--level-3-working-days", type=int, help="default 10")
    th.add_argument("--pregnant-or-parenting-days", type=int, help="default 42 (six weeks)")


def run(services: Any, actor: Any, args: argparse.Namespace) -> int:
    rows = services.escalations.queue(actor, as_of=args.as_of, team_id=team_id(services, args.team))
    columns = [
        "reference",
        "name",
        "age",
        "pa",
        "team",
        "accommodation",
        "start_date",
        "nights",
        "level",
        "last_decision",
        "next_check",
        "status",
    ]
    out = [
        {
            "reference": r.reference,
            "name": r.name,
            "age": r.age,
            "pa": r.pa_name,
            "team": r.team_name,
            "accommodation": r.code_903,
            "start_date": r.start_date.isoformat(),
            "nights": r.nights,
            "level": int(r.level),
            "last_decision": r.last_decision.value if r.last_decision else "",
            "next_check": r.next_check_on.isoformat() if r.next_check_on else "",
            "status": "check overdue"
            if r.check_overdue
            else ("ready to resolve" if r.ready_to_resolve else "open"),
        }
        for r in rows
    ]
    exporting(services, actor, args.format, [r.person_id for r in rows], "escalations")
    emit(columns, out, args.format, f"{len(out)} open escalations")
    return 0


def run_thresholds(services: Any, actor: Any, args: argparse.Namespace) -> int:
    from dataclasses import asdict, replace

    current = services.escalations.thresholds()
    wanted = {
        key: value
        for key in ("level_2_working_days", "level_3_working_days", "pregnant_or_parenting_days")
        if (value := getattr(args, key)) is not None
    }
    if wanted:
        current = services.escalations.set_thresholds(actor, replace(current, **wanted))
    for key, value in asdict(current).items():
        print(f"{key.replace('_', ' ')}: {value}")
    return 0
