"""`careleaver-app report KIND --out FILE.pdf`: one of the app's printed documents as a PDF, for
batch printing."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from careleaver_app.cli_output import parse_date, team_id


def add_parsers(sub: Any) -> None:
    from careleaver_app.domain.document_kinds import DocumentKind

    kinds = [k.value for k in DocumentKind]
    report = sub.add_parser(
        "report",
        help="write a printable document as a PDF, for batch printing",
        description="Write one of the app's printed documents as a PDF file, readable by you "
        "only. Documents about one young person need --person; the others cover your own "
        "caseload (a PA) or your team (an administrator may name any --team).",
    )
    report.add_argument("kind", metavar="KIND", choices=kinds, help=", ".join(kinds))
    report.add_argument(
        "--person",
        metavar="REF",
        help="the young person's reference (person-summary, housing-summary, offer-statement)",
    )
    report.add_argument("--team", help="the team, by name (caseload, escalations, review-schedule)")
    report.add_argument("--as-of", type=parse_date, help="the date the document is worked out on")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")


def run(services: Any, actor: Any, args: argparse.Namespace) -> int:
    from careleaver_app import reports
    from careleaver_app.domain.document_kinds import DocumentKind
    from careleaver_app.domain.errors import FieldProblem, ValidationError
    from careleaver_app.services.backup import write_owner_only
    from careleaver_app.services.printing import DocumentRequest

    kind = DocumentKind(args.kind)
    what = kind.label.lower()
    if kind.needs_person and not args.person:
        raise ValidationError(
            FieldProblem("--person", f"name the young person (their reference) for the {what}")
        )
    if not kind.needs_person and args.person:
        raise ValidationError(FieldProblem("--person", f"the {what} is not about one person"))
    if kind.needs_person and args.team:
        raise ValidationError(FieldProblem("--team", f"the {what} is about one young person"))
    person_id = _person(services, actor, kind, args.person) if args.person else None
    request = DocumentRequest(kind, person_id, team_id(services, args.team), args.as_of)
    data = services.printing.prepare(actor, request)
    pdf = reports.render(data)
    written = write_owner_only(args.out, pdf)
    services.printing.record_output(actor, data, "save", str(written))
    pages = page_count(pdf)
    print(f"Wrote {args.out} ({pages} page{'' if pages == 1 else 's'})")
    return 0


def _person(services: Any, actor: Any, kind: Any, reference: str) -> int:
    """The young person's id; a housing liaison officer, who may not look records up, finds
    them among the young people of the team who agreed to share with housing."""
    from careleaver_app.domain.document_kinds import DocumentKind
    from careleaver_app.domain.errors import PermissionDenied

    try:
        return int(services.people.find_id(actor, reference))
    except PermissionDenied:
        if kind is not DocumentKind.HOUSING_SUMMARY:
            raise
    for row in services.housing.consenting(actor, reference):
        if row.reference == reference.strip():
            return int(row.person_id)
    raise PermissionDenied(
        f"--person: '{reference}' is not one of your team's young people who agreed to share "
        "with housing"
    )


def page_count(pdf: bytes) -> int:
    """Pages of a PDF reportlab wrote: one '/Type /Page' object each (it uses no object
    streams, and '/Type /Pages' is the page tree)."""
    import re

    return len(re.findall(rb"/Type\s*/Page\b", pdf))
