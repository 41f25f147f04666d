"""One young person at a time: details, care history, housing, activities, PA allocations and
contacts, as rows ready for a bulk insert (the person's id is filled in once it is known)."""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from careleaver_app.domain.dates import birthday
from careleaver_app.domain.offer import OfferItem
from careleaver_app.services.demo.draws import Deck, Pick, Rand, weights
from careleaver_app.services.demo.housing import Housing
from careleaver_app.services.demo.names import (
    NATIVE_SHARE,
    OTHER_CULTURE,
    SHORT_FORMS,
    UASC_CULTURE,
)
from careleaver_app.services.demo.offer import Ledgers
from careleaver_app.services.demo.staff import Pa
from careleaver_app.services.people import search_text

# Current activity when not NEET, by age group (16-17, 18-21, 22-24).
_EET_TABLES = {
    "child": "F2:60 P2:5 F4:10 P4:3 0:2",
    "adult": "F1:10 P1:1 F2:20 P2:4 F4:35 P4:18 0:2",
    "older": "F1:8 P1:2 F2:5 F4:55 P4:25",
}
_CONTACT_KIND_TABLE = "visit:45 phone:30 message:20 other:5"
_NOT_IN_TOUCH_TABLE = "NO:7 REFU:2 NREQ:1"
_CONTACT_NOTES = (
    "",
    "",
    "Pathway plan discussed",
    "Talked about college and money",
    "Checked on the new flat",
    "Helped with a benefits claim",
    "Reminded about the dentist appointment",
    "Discussed the setting-up-home allowance",
)
# Ages 16-24 today, weighted like a leaving-care caseload (fewer over 21).
_AGE_TABLE = "16:9 17:12 18:14 19:14 20:13 21:12 22:10 23:8 24:8"
_AGE_PICK = Pick([(int(a), w) for a, w in weights(_AGE_TABLE)])
_EET_PICK = {group: Pick(weights(table)) for group, table in _EET_TABLES.items()}
_KIND_PICK = Pick(weights(_CONTACT_KIND_TABLE))
_NOT_IN_TOUCH_PICK = Pick(weights(_NOT_IN_TOUCH_TABLE))
_EDUCATION_OR_TRAINING = frozenset({"F1", "P1", "F2", "P2", "F4", "P4"})
_NOT_ASCII = re.compile(r"[^a-z]")
_fromordinal = date.fromordinal


@dataclass
class Generated:
    """One young person's row and the rows that belong to them, in insertion order."""

    person: dict[str, Any]
    children: dict[str, list[dict[str, Any]]]  # table name -> rows still without person_id


class Maker:
    """Makes one young person at a time; every draw comes from one generator, in a fixed order."""

    def __init__(
        self,
        rng: random.Random,
        today: date,
        now: datetime,
        catalogue: Sequence[OfferItem] = (),
    ) -> None:
        self.r = Rand(rng)
        self.today = today
        self.today_o = today.toordinal()
        self.now = now
        self.uasc = Deck(self.r, 1, 10)
        self.suitable_now = Deck(self.r, 17, 20)
        self.neet = Deck(self.r, 15, 40)
        self.in_touch = Deck(self.r, 9, 10)
        # Same generator, so housing's draws interleave with the rest in one fixed order.
        self.housing = Housing(self.r, self.today_o, now, self.suitable_now)
        self.ledgers = Ledgers(catalogue, today, now)
        self._ascii: dict[str, str] = {}

    def name(self, culture: dict[str, Any], male: bool) -> tuple[str, str, str, str]:
        """(first, last, Latin first, Latin last): the first two may be in another script."""
        r = self.r
        native = culture["native"]
        if native is not None and r.random() < NATIVE_SHARE:
            first, latin_first = r.choice(native[0] if male else native[1])
            last, latin_last = r.choice(native[2])
            return first, last, latin_first, latin_last
        first = r.choice(culture["male"] if male else culture["female"])
        last = r.choice(culture["last_m"] if male else culture["last_f"])
        return first, last, first, last

    def ascii_name(self, text: str) -> str:
        if text not in self._ascii:
            self._ascii[text] = _NOT_ASCII.sub("", search_text(text, "", "", ""))
        return self._ascii[text]

    def person(self, reference: str, pa: Pa) -> Generated:
        """Every row of one young person. Reordering any draw here changes every seed's data."""
        r = self.r
        random = r.random
        uasc = self.uasc.draw()
        age = _AGE_PICK(r)
        dob = _fromordinal(_years_before(self.today, age).toordinal() - r.int(0, 364))
        at14, at16, at18, at21 = (birthday(dob, n).toordinal() for n in (14, 16, 18, 21))
        sgo = not uasc and age <= 20 and random() < 0.04
        culture = (UASC_CULTURE if uasc else OTHER_CULTURE)(r)
        g = random()
        if uasc:
            gender = "Male" if g < 0.92 else "Female"
        else:
            gender = "Male" if g < 0.55 else "Female" if g < 0.995 else "Non-binary"
        male = gender == "Male" or (gender == "Non-binary" and random() < 0.5)
        first, last, latin_first, latin_last = self.name(culture, male)
        preferred = ""
        if first != latin_first:
            preferred = latin_first
        elif first in SHORT_FORMS and random() < 0.3:
            preferred = SHORT_FORMS[first]
        english = not uasc and random() < culture["english"]
        interpreter = not english and random() < (0.65 if uasc else 0.1)
        if gender == "Female":
            parenting = random() < (0.12 if age >= 18 else 0.04)
        else:
            parenting = age >= 18 and random() < 0.03

        periods, care_start = self.care(dob.toordinal(), at14, at16, at18, uasc, sgo)
        if uasc:
            history_start = care_start
        elif sgo:
            history_start = min(at16 - r.int(0, 365), self.today_o)
        else:
            history_start = max(care_start, at16 - r.int(0, 540))
        episodes = self.housing.episodes(history_start, at18, at21, sgo, pa)
        since = max(at16, care_start) if uasc else at16
        activities = self.activities(since, age, parenting, pa)
        allocations = self.allocations(since, pa)
        contacts = self.contacts(allocations)

        current = activities[-1]["activity"]
        requested = age >= 22 and (current not in _EDUCATION_OR_TRAINING or random() < 0.5)
        home = episodes[-1]
        email = ""
        if random() < 0.6:
            email = (
                f"{self.ascii_name(latin_first)}.{self.ascii_name(latin_last)}"
                f"{r.int(1, 99)}@example.com"
            )
        person = {
            "reference": reference,
            "first_name": first,
            "last_name": last,
            "preferred_name": preferred,
            "search_text": search_text(first, last, preferred, reference),
            "date_of_birth": dob,
            "gender": gender,
            "first_language": "English" if english else culture["language"],
            "interpreter_needed": interpreter,
            "uasc": uasc,
            "pregnant_or_parenting": parenting,
            "phone": f"07700 900{r.int(0, 999):03d}" if random() < 0.85 else "",
            "email": email,
            "contact_address": f"{home['address']}, {home['postcode']}" if home["address"] else "",
            "housing_consent": random() < 0.75,
            "requested_pa_support": requested,
            "detained_or_in_hospital_on_16th_birthday": False,
            "team_id": pa.team_id,
            "pa_id": pa.id,
            "category_override": None,
            "category_override_reason": "",
            "closed_on": None,
            "closed_reason": "",
            "created_at": self.now,
            "updated_at": self.now,
            "version": 1,
        }
        children = {
            "care_periods": periods,
            "pa_allocations": _allocation_rows(allocations, pa),
            "accommodation_episodes": episodes,
            "activities": activities,
            "contacts": contacts,
            **self.pathway(reference, since, pa, sgo),
        }
        children["offer_ledger"] = self.ledgers.entries(reference, person, children, pa)
        return Generated(person, children)

    def pathway(self, reference: str, since: int, pa: Pa, sgo: bool) -> dict[str, list[Any]]:
        """Needs assessment, pathway plan and reviews, from a generator of the person's own, so
        adding these rows left every other row of every seed as it was. About one in six plans
        has missed its latest review, so the due list has overdue work in it."""
        out: dict[str, list[Any]] = {
            "needs_assessments": [],
            "pathway_plans": [],
            "pathway_reviews": [],
        }
        if sgo:  # qualifying young people get advice and assistance, not a pathway plan
            return out
        g = random.Random(f"{reference}:pathway")
        assessed = since + g.randint(20, 100)
        if assessed > self.today_o:
            return out
        base = {"recorded_by_id": pa.id, "created_at": self.now, "version": 1}
        out["needs_assessments"].append(
            {"completed_on": _fromordinal(assessed), "completed_by": "Personal adviser", **base}
        )
        started = assessed + g.randint(14, 60)
        if started > self.today_o:
            return out
        signed = started + g.randint(3, 21)
        signed_ok = signed <= self.today_o and g.random() < 0.9
        out["pathway_plans"].append(
            {
                "started_on": _fromordinal(started),
                "author": "Personal adviser",
                "signed_off_on": _fromordinal(signed) if signed_ok else None,
                "signed_off_by_id": pa.manager_id if signed_ok else None,
                **base,
            }
        )
        held = started + g.randint(150, 182)
        missed_latest = g.random() < 0.17
        dates = []
        while held <= self.today_o:
            dates.append(held)
            held += g.randint(150, 182)
        if missed_latest and dates:
            dates.pop()
        kinds = ("scheduled", "scheduled", "scheduled", "change", "requested")
        out["pathway_reviews"] = [
            {
                "held_on": _fromordinal(d),
                "kind": g.choice(kinds),
                "outcome": "Plan reviewed",
                "attendees": "Young person, personal adviser",
                **base,
            }
            for d in dates
        ]
        return out

    def care(
        self, dob: int, at14: int, at16: int, at18: int, uasc: bool, sgo: bool
    ) -> tuple[list[dict[str, Any]], int]:
        """Care periods that make the young person a care leaver today; and when care began."""
        r = self.r
        today_o = self.today_o
        if sgo:
            # Looked after as a younger child, then a special guardianship order to 18:
            # qualifying, not eligible (no time looked after since 14).
            la_start = dob + r.int(6 * 365, 10 * 365)
            la_end = la_start + r.int(200, 900)
            sgo_end = at18 if at18 <= today_o else None
            return [
                _period("looked_after", la_start, la_end),
                _period("special_guardianship", la_end, sgo_end),
            ], la_end
        if uasc:
            # Arrived aged 14.5 to 17.6 and looked after from then, for at least 20 weeks.
            start = min(dob + r.int(5_300, 6_430), at18 - 140, today_o - 100)
        else:
            start = min(dob + r.int(13 * 365, 16 * 365 + 180), today_o - 120)
        # 'Well over' 13 weeks since 14, some of it after 16: eligible, then relevant/former.
        earliest_end = max(max(start, at14) + 182, at16 + 30)
        end = at18
        if earliest_end < at18 and r.random() < (0.1 if uasc else 0.22):
            end = r.int(earliest_end, at18 - 1)
        periods = []
        if not uasc and r.random() < 0.08:
            early = dob + r.int(5 * 365, 10 * 365)
            early_end = min(early + r.int(60, 700), start - 30)
            if early_end > early:
                periods.append(_period("looked_after", early, early_end))
        periods.append(_period("looked_after", start, end if end <= today_o else None))
        return periods, start

    def activities(self, since: int, age: int, parenting: bool, pa: Pa) -> list[dict[str, Any]]:
        """Education, employment or training from 16 (or arrival); the last one is current."""
        r = self.r
        today_o = self.today_o
        starts = [since]
        if today_o - since > 60:
            wanted = min(3, (age - 16 + r.int(0, 2)) // 2)
            starts += sorted({r.int(since + 30, today_o) for _ in range(wanted)})
        codes = [
            "G5" if r.random() < 0.3 else _EET_PICK["adult" if i else "child"](r)
            for i in range(len(starts) - 1)
        ]
        if self.neet.draw():
            g = r.random()
            codes.append("G6" if parenting and g < 0.7 else "G4" if g < 0.15 else "G5")
        else:
            codes.append(_EET_PICK["child" if age < 18 else "adult" if age < 22 else "older"](r))
        now = self.now
        return [
            {
                "person_id": None,
                "activity": code,
                "start_date": _fromordinal(start),
                "note": "",
                "recorded_by_id": pa.id,
                "created_at": now,
                "version": 1,
            }
            for code, start in zip(codes, starts, strict=True)
        ]

    def allocations(self, since: int, pa: Pa) -> list[tuple[int, int, int | None]]:
        """(staff id, start, end): the current PA from some time after 16 (or arrival), and
        sometimes another PA in the team before them."""
        r = self.r
        today_o = self.today_o
        start = min(since + r.int(0, 90), today_o)
        spans: list[tuple[int, int, int | None]] = []
        if len(pa.teammates) > 1 and today_o - start > 60 and r.random() < 0.3:
            change = r.int(start + 30, today_o - 1)
            spans.append((r.choice([s for s in pa.teammates if s != pa.id]), start, change))
            start = change
        spans.append((pa.id, start, None))
        return spans

    def contacts(self, spans: list[tuple[int, int, int | None]]) -> list[dict[str, Any]]:
        """A few contacts by the allocated PA in the last months; the latest one says whether
        the young person is in touch."""
        r = self.r
        if self.in_touch.draw():
            in_touch = True
            gap = r.int(0, 50) if r.random() < 0.9 else r.int(50, 120)
            statuses = ["YES"]
        else:
            in_touch = False
            gap = r.int(0, 120)
            statuses = [_NOT_IN_TOUCH_PICK(r)]
        allocated = spans[0][1]
        day = max(self.today_o - gap, allocated)
        days = [day]
        for _ in range(r.int(1, 4)):
            day -= r.int(14, 70)
            if day < allocated:
                break
            days.append(day)
            statuses.append("YES" if in_touch or r.random() < 0.5 else "NO")
        changed = spans[-1][1]
        now = self.now
        rows = []
        for day, status in zip(reversed(days), reversed(statuses), strict=True):
            kind = _KIND_PICK(r)
            rows.append(
                {
                    "person_id": None,
                    "contact_date": _fromordinal(day),
                    "kind": kind,
                    "in_touch": status,
                    "seen_at_home": kind == "visit" and r.random() < 0.6,
                    "note": r.choice(_CONTACT_NOTES) if status == "YES" else "",
                    "recorded_by_id": spans[0 if day < changed else -1][0],
                    "created_at": now,
                    "version": 1,
                }
            )
        return rows


def _allocation_rows(spans: list[tuple[int, int, int | None]], pa: Pa) -> list[dict[str, Any]]:
    return [
        {
            "person_id": None,
            "staff_id": staff_id,
            "start_date": _fromordinal(begin),
            "end_date": None if end is None else _fromordinal(end),
            "allocated_by_id": pa.manager_id,
        }
        for staff_id, begin, end in spans
    ]


def _period(kind: str, start: int, end: int | None) -> dict[str, Any]:
    return {
        "person_id": None,
        "kind": kind,
        "start_date": _fromordinal(start),
        "end_date": None if end is None else _fromordinal(end),
        "version": 1,
    }


def _years_before(day: date, years: int) -> date:
    """The latest date of birth of someone aged `years` on `day` (29 February -> 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)
