"""Accommodation histories: consecutive stays from 16 (or arrival) to today, with the addresses,
providers and suitability judgements a leaving-care caseload has."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from careleaver_app.services.demo.draws import Deck, Pick, Rand, weights
from careleaver_app.services.demo.names import INWARD_LETTERS, PLACES, STREETS, TOWNS
from careleaver_app.services.demo.staff import Pa

# Next episode type by age group (weights), and the shortest and longest stay in days.
_UNDER_18_TABLE = "Y:30 D:25 C:15 E:10 B:8 T:3 K:2 V:2 X:1.5 R:1 S:0.5"
_ADULT_TABLE = "U:30 D:15 B:10 E:8 K:7 T:6 Y:2 V:4 W:2 X:2.5 S:2 R:2 G:0.3"
_STAY_TABLE = (
    "B:50-560 C:100-560 D:70-440 E:100-520 G:60-400 K:50-320 R:14-180 S:7-90 T:100-440 "
    "U:160-1100 V:3-60 W:1-21 X:30-365 Y:150-800 Z:150-900"
)
_ALWAYS_UNSUITABLE = frozenset("SXWVR")
# The current episode of the 15% not suitably housed now; "-" keeps the type, judged unsuitable.
_UNSUITABLE_NOW_TABLE = "W:0.6 V:1.0 S:0.5 X:1.5 R:1.0 -:10.4"
_PROVIDER_TABLE = """
B|Family home|Grandparents|Aunt and uncle|Older sibling
C|{} House children's home
D|{} Supported Living
E|{} Supported Lodgings scheme
K|Private lodgings
T|{} Foyer
U|Council tenancy|Private rented flat|University halls|{} Housing Association
V|Night shelter|Direct access hostel
W|{} Guest House
X|HMYOI {}
Y|Foster carers|Independent fostering agency carers
Z|Former foster carers (staying put)
"""
_PLACED_BY = {"W": "Housing options", "V": "Housing options", "X": "Courts", "S": "", "R": ""}
_CONCERNS = (
    *("facilities", "repair", "safety", "location", "support", "tenancy"),
    *("affordability", "views"),
)
_UNSUITABLE_NOTES = (
    "Shared facilities with adults not known to the service",
    "Disrepair reported to the landlord; damp in the bedroom",
    "Too far from college and support network",
    "Rent arrears building; tenancy at risk",
    "Young person says they do not feel safe here",
    "No support on site out of hours",
)
_STAY = {
    k: (int(v[0]), int(v[1]))
    for k, *v in (i.replace("-", ":").split(":") for i in _STAY_TABLE.split())
}


def _providers() -> dict[str, list[str]]:
    """Provider names by type; '{}' stands for each made-up place name in turn."""
    out = {}
    for line in _PROVIDER_TABLE.strip().splitlines():
        kind, *names = line.split("|")
        out[kind] = [n.format(p) for n in names for p in (PLACES if "{}" in n else [""])]
    return out


_PROVIDERS = _providers()
_UNDER_18_PICK = Pick(weights(_UNDER_18_TABLE))
_ADULT_PICK = Pick(weights(_ADULT_TABLE))
_UNSUITABLE_PICK = Pick([(k.strip("-"), w) for k, w in weights(_UNSUITABLE_NOW_TABLE)])
_fromordinal = date.fromordinal


class Housing:
    """Draws one young person's stays from the generator the rest of their record uses."""

    def __init__(self, r: Rand, today_o: int, now: datetime, suitable_now: Deck) -> None:
        self.r = r
        self.today_o = today_o
        self.now = now
        self.suitable_now = suitable_now

    def episodes(self, start: int, at18: int, at21: int, sgo: bool, pa: Pa) -> list[dict[str, Any]]:
        """Consecutive stays from `start` to today: each move ends one and starts the next."""
        r = self.r
        today_o = self.today_o
        spans: list[list[Any]] = []  # [type, start, end or None]
        day, previous = start, ""
        while True:
            adult = day >= at18
            if sgo and not spans:
                kind = "B"  # with the special guardian, a relative
            elif previous == "Y" and day == at18 and r.random() < 0.45:
                kind = "Z"  # staying put with the foster carers from the 18th birthday
            else:
                kind = (_ADULT_PICK if adult else _UNDER_18_PICK)(r)
            low, high = _STAY[kind]
            end = day + r.int(low, high)
            if kind == "Z":
                end = min(end, at21)
            elif not adult and kind in "CY" and end > at18:
                end = at18  # a care placement ends on the 18th birthday
            if end >= today_o:
                spans.append([kind, day, None])
                break
            spans.append([kind, day, end])
            day, previous = end, kind
        suitable_now = self._set_present(spans, at18)
        now = self.now
        rows = []
        last = len(spans) - 1
        for i, (kind, begin, end) in enumerate(spans):
            if i == last:
                suitable = suitable_now
            else:
                suitable = kind == "G" or (kind not in _ALWAYS_UNSUITABLE and r.random() > 0.07)
            concerns: list[str] = []
            notes = ""
            if not suitable and kind not in "XSR":
                concerns = sorted({r.choice(_CONCERNS), r.choice(_CONCERNS)})
                notes = r.choice(_UNSUITABLE_NOTES)
            address, postcode = self.address(kind, pa)
            providers = _PROVIDERS.get(kind)
            placed_by = _PLACED_BY.get(kind)
            if placed_by is None:
                placed_by = "Leaving care team" if begin >= at18 else "Children's social care"
            rows.append(
                {
                    "person_id": None,
                    "type_code": kind,
                    "suitability": "1" if suitable else "2",
                    "start_date": _fromordinal(begin),
                    "end_date": None if end is None else _fromordinal(end),
                    "address": address,
                    "postcode": postcode,
                    "provider": r.choice(providers) if providers else "",
                    "placed_by": placed_by,
                    "concerns": concerns,
                    "suitability_notes": notes,
                    "voided_reason": None,
                    "created_by_id": pa.id,
                    "created_at": now,
                    "version": 1,
                }
            )
        return rows

    def _set_present(self, spans: list[list[Any]], at18: int) -> bool:
        """Make the open episode match the shares asked for (85% suitable now, a few in B&B or
        emergency accommodation); return whether it is suitable."""
        r = self.r
        today_o = self.today_o
        last = spans[-1]
        adult_now = today_o >= at18
        stable = "U" if adult_now else "D"
        if self.suitable_now.draw():
            if last[0] in _ALWAYS_UNSUITABLE:
                last[0] = stable
            return True
        kind = _UNSUITABLE_PICK(r)
        if kind == "W" and not adult_now:
            kind = "V"  # 16-17 year olds are never placed in B&B
        if not kind:
            if last[0] in _ALWAYS_UNSUITABLE or last[0] == "G":
                last[0] = stable  # an ordinary placement, judged unsuitable
            return False
        moved = today_o - r.int(1, _STAY[kind][1])
        if kind == "W":
            moved = max(moved, at18)
        if moved > last[1]:
            last[2] = moved
            spans.append([kind, moved, None])
        else:
            last[0] = kind
        return False

    def address(self, kind: str, pa: Pa) -> tuple[str, str]:
        """A made-up street address and a postcode of the UK format in a real postcode area."""
        r = self.r
        if kind in "SRGX":
            return "", ""
        town, area = (pa.town, pa.area) if r.random() < 0.85 else r.choice(TOWNS)
        street = f"{r.int(1, 180)} {r.choice(STREETS)}, {town}"
        if kind in "DUT" and r.random() < 0.5:
            street = f"Flat {r.int(1, 24)}, {street}"
        code = r.int(0, 29 * 10 * 400 - 1)
        district, code = divmod(code, 4000)
        sector, code = divmod(code, 400)
        unit = INWARD_LETTERS[code // 20] + INWARD_LETTERS[code % 20]
        return street, f"{area}{district + 1} {sector}{unit}"
