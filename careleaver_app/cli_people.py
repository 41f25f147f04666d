"""`careleaver-app people list` and `people show REF`: the caseload and one person's record."""

from __future__ import annotations

import argparse
import json
from typing import Any

from careleaver_app.cli_output import emit, exporting, plain, positive


def add_parsers(sub: Any) -> None:
    people = sub.add_parser("people", help="list or show young people")
    people_sub = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)
    plist = people_sub.add_parser("list", help="list the caseload")
    plist.add_argument("--format", choices=["table", "json", "csv"], default="table")
    plist.add_argument("--search", default="", help="name or reference, accents optional")
    plist.add_argument("--include-closed", action="store_true")
    plist.add_argument("--limit", type=positive, default=None)
    pshow = people_sub.add_parser("show", help="show one young person's record")
    pshow.add_argument("reference")
    pshow.add_argument("--format", choices=["table", "json"], default="table")


def run(services: Any, actor: Any, args: argparse.Namespace) -> int:
    from careleaver_app.services.people import PeopleQuery

    if args.people_command == "show":
        record = services.people.get(actor, services.people.find_id(actor, args.reference))
        if args.format == "json":
            exporting(services, actor, "json", [record.id], "young person record")
            print(json.dumps(plain(record), ensure_ascii=False, indent=2))
        else:
            print_record(record)
        return 0
    page = services.people.list(
        actor,
        PeopleQuery(search=args.search, include_closed=args.include_closed, limit=args.limit),
    )
    columns = [
        "reference",
        "name",
        "date_of_birth",
        "age",
        "pa",
        "accommodation",
        "days_in_accommodation",
        "in_touch",
        "flags",
    ]
    rows = [
        {
            "reference": r.reference,
            "name": r.name,
            "date_of_birth": r.date_of_birth.isoformat(),
            "age": r.age,
            "pa": r.pa_name,
            "accommodation": r.accommodation,
            "days_in_accommodation": r.days_in_accommodation,
            "in_touch": r.in_touch.value if r.in_touch else "",
            "flags": "; ".join(r.flags),
        }
        for r in page.rows
    ]
    exporting(services, actor, args.format, [r.id for r in page.rows], "caseload list")
    emit(columns, rows, args.format, f"{len(rows)} of {page.total} young people")
    return 0


def print_record(r: Any) -> None:
    print(
        f"{r.name} ({r.reference})" + (f", known as {r.preferred_name}" if r.preferred_name else "")
    )
    print(f"  Date of birth   {r.date_of_birth.isoformat()} (age {r.age})")
    print(
        f"  Category        {r.category.label}"
        + (
            f" (override: {r.category_override_reason})"
            if r.category != r.computed_category or r.category_override_reason
            else ""
        )
    )
    print(f"  Team / PA       {r.team_name or '-'} / {r.pa_name or 'unallocated'}")
    print(
        f"  First language  {r.first_language or '-'}"
        + (" (interpreter needed)" if r.interpreter_needed else "")
    )
    print(f"  UASC            {'yes' if r.uasc else 'no'}")
    print(f"  Housing consent {'yes' if r.housing_consent else 'no'}")
    if r.closed_on:
        print(f"  Closed          {r.closed_on.isoformat()}: {r.closed_reason}")
    if r.flags:
        print(f"  Flags           {'; '.join(r.flags)}")
    print("  Accommodation")
    for e in r.episodes:
        end = e.end_date.isoformat() if e.end_date else "current"
        print(
            f"    {e.start_date.isoformat()} to {end:10}  {e.code_903}  {e.type.label}"
            f"  ({e.nights} nights)" + ("  [flagged]" if e.opens_escalation else "")
        )
    print("  Activity")
    for a in r.activities:
        print(f"    from {a.start_date.isoformat()}  {a.activity.value}  {a.activity.label}")
    print("  Contacts")
    for c in r.contacts[-10:]:
        print(f"    {c.contact_date.isoformat()}  {c.kind.label:10}  {c.in_touch.label}")
    print(f"  Retain until    {r.retention_date.isoformat()}")
