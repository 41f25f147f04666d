"""`careleaver-app pathway due`: each young person's next review date, its reason and status."""

from __future__ import annotations

import argparse
from typing import Any

from careleaver_app.cli_output import emit, exporting, parse_date, team_id


def add_parsers(sub: Any) -> None:
    pathway = sub.add_parser("pathway", help="pathway planning: reviews due")
    pathway_sub = pathway.add_subparsers(dest="pathway_command", metavar="ACTION", required=True)
    due = pathway_sub.add_parser("due", help="next review date, its reason and status")
    due.add_argument("--as-of", type=parse_date, help="the date to judge due and overdue on")
    due.add_argument("--team", help="only this team (by name)")
    due.add_argument("--format", choices=["table", "json", "csv"], default="table")


def run(services: Any, actor: Any, args: argparse.Namespace) -> int:
    rows = services.pathway.due_list(actor, as_of=args.as_of, team_id=team_id(services, args.team))
    columns = ["reference", "name", "pa", "last_review", "due", "status", "reason", "flags"]
    out = [
        {
            "reference": r.reference,
            "name": r.name,
            "pa": r.pa_name,
            "last_review": r.last_review_on.isoformat() if r.last_review_on else "",
            "due": r.due.due.isoformat() if r.due else "",
            "status": r.status.label if r.status else "No plan yet",
            "reason": r.due.reason if r.due else "",
            "flags": "; ".join(r.flags),
        }
        for r in rows
    ]
    exporting(services, actor, args.format, [r.person_id for r in rows], "reviews due")
    emit(columns, out, args.format, f"{len(out)} young people with a plan or a planning flag")
    return 0
