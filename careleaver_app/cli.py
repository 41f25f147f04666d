"""The `careleaver-app` command: no sub-command starts the desktop app; sub-commands run headless.

Global options (--data-dir, --database, --user) come before the sub-command.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import asdict, is_dataclass
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from careleaver_app import __version__, cli_maintenance
from careleaver_app.paths import AppPaths

DATABASE_ENV = "CARELEAVER_DATABASE_URL"
USER_ENV = "CARELEAVER_USER"
PASSWORD_ENV = "CARELEAVER_PASSWORD"  # for scripts; interactive use is asked at a prompt
PASSPHRASE_ENV = "CARELEAVER_PASSPHRASE"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="careleaver-app",
        description="Care Leaver Tracker. With no command, starts the desktop app.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--data-dir", help="folder for the database, backups and logs")
    parser.add_argument(
        "--database",
        help=f"database URL (postgresql://... or sqlite:///file); also ${DATABASE_ENV}",
    )
    parser.add_argument("--user", help=f"act as this staff username; also ${USER_ENV}")
    parser.add_argument(
        "--demo", action="store_true", help="open (creating if needed) a demo database"
    )
    parser.add_argument("--today", type=_date, help=argparse.SUPPRESS)  # for tests and demos
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    cli_maintenance.add_parsers(sub)

    demo = sub.add_parser("demo", help="fill the database with synthetic demo data")
    demo.add_argument("--people", type=_positive, default=500)
    demo.add_argument("--seed", type=int, default=1)

    people = sub.add_parser("people", help="list or show young people")
    people_sub = people.add_subparsers(dest="people_command", metavar="ACTION", required=True)
    plist = people_sub.add_parser("list", help="list the caseload")
    plist.add_argument("--format", choices=["table", "json", "csv"], default="table")
    plist.add_argument("--search", default="", help="name or reference, accents optional")
    plist.add_argument("--include-closed", action="store_true")
    plist.add_argument("--limit", type=_positive, default=None)
    pshow = people_sub.add_parser("show", help="show one young person's record")
    pshow.add_argument("reference")
    pshow.add_argument("--format", choices=["table", "json"], default="table")

    esc = sub.add_parser("escalations", help="list open escalations with level and nights")
    esc.add_argument("--as-of", type=_date, help="the date to count nights and levels on")
    esc.add_argument("--team", help="only this team (by name)")
    esc.add_argument("--format", choices=["table", "json", "csv"], default="table")

    pathway = sub.add_parser("pathway", help="pathway planning: reviews due")
    pathway_sub = pathway.add_subparsers(dest="pathway_command", metavar="ACTION", required=True)
    due = pathway_sub.add_parser("due", help="next review date, its reason and status")
    due.add_argument("--as-of", type=_date, help="the date to judge due and overdue on")
    due.add_argument("--team", help="only this team (by name)")
    due.add_argument("--format", choices=["table", "json", "csv"], default="table")

    offer = sub.add_parser("offer", help="local offer: a young person's balances, take-up")
    offer_sub = offer.add_subparsers(dest="offer_command", metavar="ACTION", required=True)
    bal = offer_sub.add_parser(
        "balance", help="what remains of each entitlement, and what was never taken up"
    )
    bal.add_argument("reference")
    bal.add_argument("--as-of", type=_date, help="the date to work the balances out on")
    bal.add_argument("--format", choices=["table", "json", "csv"], default="table")
    takeup = offer_sub.add_parser(
        "takeup", help="how many eligible young people used each item, and the spend"
    )
    takeup.add_argument(
        "--from", dest="start", type=_date, help="default: 1 April of the financial year"
    )
    takeup.add_argument("--to", dest="end", type=_date, help="default: today")
    takeup.add_argument("--team", help="only this team (by name)")
    takeup.add_argument("--format", choices=["table", "json", "csv"], default="table")

    _add_report_parser(sub)

    th = sub.add_parser(
        "thresholds", help="show or (administrators) change the escalation ladder's thresholds"
    )
    th.add_argument("--level-2-working-days", type=int, help="default 2")
    th.add_argument("--level-3-working-days", type=int, help="default 10")
    th.add_argument("--pregnant-or-parenting-days", type=int, help="default 42 (six weeks)")

    sub.add_parser("migrate", help="bring the database schema up to date")
    backup = sub.add_parser("backup", help="write an online backup of the SQLite database")
    backup.add_argument("path", type=Path)
    imp = sub.add_parser(
        "import",
        help="import people, accommodation, contacts, activity, pathway and local-offer ledger "
        "CSV files from a folder (see docs/import.md)",
    )
    imp.add_argument("directory", type=Path)
    return parser


def _add_report_parser(sub: Any) -> None:
    from careleaver_app.domain.documents import DocumentKind

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
    report.add_argument("--as-of", type=_date, help="the date the document is worked out on")
    report.add_argument("--out", type=Path, required=True, metavar="FILE.pdf")


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD)") from exc


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from exc
    if value <= 0:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command is None:
        from careleaver_app.app import run_gui

        return run_gui(args)
    try:
        if args.command in cli_maintenance.COMMANDS:
            # These check or replace the database file, so they open it themselves (or never).
            return cli_maintenance.run(args, open_from_args, acting_user)
        return _run(args)
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # every failure reaches the user as one clear line
        return _report(exc)


def _report(exc: Exception) -> int:
    from careleaver_app.domain.errors import DomainError

    if isinstance(exc, DomainError):
        print(f"careleaver-app: {exc}", file=sys.stderr)
        return 2
    if os.environ.get("CARELEAVER_DEBUG"):
        raise exc
    print(f"careleaver-app: unexpected error: {type(exc).__name__}: {exc}", file=sys.stderr)
    return 1


def open_from_args(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    from careleaver_app.services.container import needs_passphrase, open_services

    paths = AppPaths.for_dir(args.data_dir)
    url = args.database or os.environ.get(DATABASE_ENV)
    today = (lambda: args.today) if args.today else date.today
    passphrase = None
    if needs_passphrase(paths, url):
        passphrase = _secret(PASSPHRASE_ENV, "Passphrase of the encrypted database: ")
    return paths, open_services(paths, url, today, passphrase=passphrase)


def acting_user(services, args: argparse.Namespace):  # type: ignore[no-untyped-def]
    """The staff member the command acts as; a new database gets its first administrator.

    An account with a password signs in with it (from $CARELEAVER_PASSWORD or a prompt),
    audited and subject to the same lock-out as the app.
    """
    username = args.user or os.environ.get(USER_ENV)
    if not username:
        username = services.staffing.ensure_first_administrator().username
    if services.staffing.has_password(username):
        return services.staffing.sign_in(
            username, _secret(PASSWORD_ENV, f"Password for {username}: ")
        )
    return services.staffing.actor(username)


def _secret(env: str, prompt: str) -> str:
    from careleaver_app.domain.errors import DomainError

    value = os.environ.get(env)
    if value is not None:
        return value
    if not sys.stdin.isatty():
        raise DomainError(
            f"{prompt.rstrip(': ')} is needed: set ${env} or run the command in a terminal"
        )
    import getpass

    return getpass.getpass(prompt)


def _exporting(services: Any, actor: Any, fmt: str, person_ids: Any, what: str) -> None:
    """CSV and JSON leave the app: checked and audited as an export. A table on screen is a view."""
    if fmt in ("csv", "json"):
        from careleaver_app.services.exports import record_export

        record_export(services.db, actor, person_ids, f"{what} ({fmt})")


def _run(args: argparse.Namespace) -> int:
    _, services = open_from_args(args)
    try:
        if args.command == "migrate":
            result = services.migration
            if result.before == result.after:
                print(f"Database schema is up to date ({result.after}).")
            else:
                print(
                    f"Database schema migrated from {result.before or 'empty'} to {result.after}."
                )
                if result.backup:
                    print(f"Backup taken first: {result.backup}")
            return 0
        actor = acting_user(services, args)
        if args.command == "backup":
            return _backup(services, actor, args.path)
        if args.command == "demo":
            from careleaver_app.services.demo import generate_demo

            summary = generate_demo(
                services, actor, people=args.people, seed=args.seed, today=services.people.today()
            )
            print(summary.describe())
            return 0
        if args.command == "import":
            from careleaver_app.services.importer import import_directory

            summary = import_directory(services, actor, args.directory)
            print(summary.describe())
            return 0
        if args.command == "people":
            return _people(services, actor, args)
        if args.command == "escalations":
            return _escalations(services, actor, args)
        if args.command == "pathway":
            return _pathway_due(services, actor, args)
        if args.command == "offer":
            if args.offer_command == "balance":
                return _offer_balance(services, actor, args)
            return _offer_takeup(services, actor, args)
        if args.command == "thresholds":
            return _thresholds(services, actor, args)
        if args.command == "report":
            return _report_pdf(services, actor, args)
        raise AssertionError(args.command)
    finally:
        services.close()


def _backup(services: Any, actor: Any, target: Path) -> int:
    from careleaver_app.services.backup import backup_database

    written = backup_database(services.db, actor, target, services.people.today())
    print(f"Backup written to {written}")
    return 0


def _people(services: Any, actor: Any, args: argparse.Namespace) -> int:
    from careleaver_app.services.people import PeopleQuery

    if args.people_command == "show":
        record = services.people.get(actor, services.people.find_id(actor, args.reference))
        if args.format == "json":
            _exporting(services, actor, "json", [record.id], "young person record")
            print(json.dumps(_plain(record), ensure_ascii=False, indent=2))
        else:
            _print_record(record)
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
    _exporting(services, actor, args.format, [r.id for r in page.rows], "caseload list")
    _emit(columns, rows, args.format, f"{len(rows)} of {page.total} young people")
    return 0


def _team_id(services: Any, name: str | None) -> int | None:
    from careleaver_app.domain.errors import NotFound

    if not name:
        return None
    teams = {t.name.casefold(): t.id for t in services.staffing.list_teams()}
    if name.casefold() not in teams:
        raise NotFound(f"--team: there is no team called '{name}'")
    return teams[name.casefold()]


def _pathway_due(services: Any, actor: Any, args: argparse.Namespace) -> int:
    rows = services.pathway.due_list(actor, as_of=args.as_of, team_id=_team_id(services, args.team))
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
    _exporting(services, actor, args.format, [r.person_id for r in rows], "reviews due")
    _emit(columns, out, args.format, f"{len(out)} young people with a plan or a planning flag")
    return 0


def _escalations(services: Any, actor: Any, args: argparse.Namespace) -> int:
    team_id = _team_id(services, args.team)
    rows = services.escalations.queue(actor, as_of=args.as_of, team_id=team_id)
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
    _exporting(services, actor, args.format, [r.person_id for r in rows], "escalations")
    _emit(columns, out, args.format, f"{len(out)} open escalations")
    return 0


_MEASURES = ("allowance", "used", "pending", "remaining", "over_by")


def _offer_balance(services: Any, actor: Any, args: argparse.Namespace) -> int:
    statement = services.offer.statement(
        actor, services.people.find_id(actor, args.reference), args.as_of
    )
    if args.format == "table":
        _print_statement(statement)
        return 0
    columns = [
        "item",
        "category",
        "kind",
        "unit",
        *(f"{m}_pence" for m in _MEASURES),
        *(f"{m}_quantity" for m in _MEASURES),
        "period_start",
        "period_end",
        "times_used",
        "eligible",
        "reason",
        "not_taken_up",
    ]
    rows = [_balance_row(b) for b in statement.balances]
    _exporting(services, actor, args.format, [statement.person_id], "local-offer balance")
    if args.format == "csv":
        _emit(columns, rows, "csv", "")
        return 0
    whole = {
        "reference": statement.reference,
        "name": statement.name,
        "as_of": statement.on.isoformat(),
        "category": statement.category.value,
        "items": rows,
        "not_taken_up": [i.name for i in statement.not_taken_up],
    }
    print(json.dumps(whole, ensure_ascii=False, indent=2))
    return 0


def _balance_row(b: Any) -> dict[str, Any]:
    """Money as whole pence and quantities as exact decimal text; the other kind's are empty."""
    from careleaver_app.domain.money import format_quantity
    from careleaver_app.domain.offer import EntitlementKind

    kind = b.item.kind
    counted = kind is EntitlementKind.QUANTITY
    row: dict[str, Any] = {
        "item": b.item.name,
        "category": b.item.category.value,
        "kind": kind.value,
        "unit": b.item.unit,
    }
    for m in _MEASURES:
        value = getattr(b, m)
        row[f"{m}_pence"] = value if kind.is_money else None
        row[f"{m}_quantity"] = format_quantity(value) if counted and value is not None else None
    row |= {
        "period_start": b.period.start.isoformat() if b.period else None,
        "period_end": b.period.end.isoformat() if b.period else None,
        "times_used": b.times_used,
        "eligible": b.eligible,
        "reason": b.ineligible_reason,
        "not_taken_up": b.not_taken_up,
    }
    return row


def _print_statement(statement: Any) -> None:
    print(
        f"{statement.name} ({statement.reference}), {statement.category.label}: "
        f"local offer on {statement.on.isoformat()}"
    )
    rows = []
    for b in statement.balances:
        counted = b.allowance is not None  # a non-financial item has nothing to count
        notes = (
            b.ineligible_reason,
            f"over the allowance by {b.describe(b.over_by)}" if b.over_by else "",
            "never used" if b.not_taken_up else "",
        )
        rows.append(
            {
                "item": b.item.name,
                "category": b.item.category.label,
                "allowance": b.item.describe_allowance(),
                **{
                    m: b.describe(getattr(b, m)) if counted else ""
                    for m in ("used", "pending", "remaining")
                },
                "eligible": "yes" if b.eligible else "no",
                "reason": "; ".join(n for n in notes if n),
            }
        )
    columns = ["item", "category", "allowance", "used", "pending", "remaining", "eligible"]
    _print_table([*columns, "reason"], rows)
    missed = [i.name for i in statement.not_taken_up]
    print(f"Not taken up: {'; '.join(missed) if missed else 'none'}")


_TAKE_UP_COLUMNS = [
    "item",
    "eligible",
    "used_ever",
    "take_up_percent",
    "used_in_period",
    "committed_pence",
    "paid_pence",
    "quantity_in_period",
]


def _offer_takeup(services: Any, actor: Any, args: argparse.Namespace) -> int:
    from careleaver_app.domain.money import format_money, format_quantity
    from careleaver_app.domain.offer import EntitlementKind

    end = args.end or services.people.today()
    # The financial year to date: from the 1 April on or before the last day.
    start = args.start or date(end.year if end.month >= 4 else end.year - 1, 4, 1)
    report = services.offer.take_up(actor, start, end, team_id=_team_id(services, args.team))
    rows, table = [], []
    for r in report.rows:
        percent = None if r.take_up_percent is None else round(r.take_up_percent, 1)
        counted = r.item.kind is EntitlementKind.QUANTITY
        rows.append(
            {
                "item": r.item.name,
                "eligible": r.eligible,
                "used_ever": r.used_ever,
                "take_up_percent": percent,
                "used_in_period": r.used_in_period,
                "committed_pence": r.committed_pence,
                "paid_pence": r.paid_pence,
                "quantity_in_period": format_quantity(r.quantity) if counted else None,
            }
        )
        spent = r.item.kind is not EntitlementKind.NON_FINANCIAL
        table.append(
            {
                **rows[-1],
                "take_up": "" if percent is None else f"{percent}%",
                "committed_spend": format_money(r.committed_pence) if spent else "",
                "paid_spend": format_money(r.paid_pence) if spent else "",
                "quantity_in_period": format_quantity(r.quantity, r.item.unit) if counted else "",
            }
        )
    if args.format != "table":
        _exporting(services, actor, args.format, [], "local-offer take-up")
        _emit(_TAKE_UP_COLUMNS, rows, args.format, "")
        return 0
    columns = ["item", "eligible", "used_ever", "take_up", "used_in_period", "committed_spend"]
    _print_table([*columns, "paid_spend", "quantity_in_period"], table)
    print(
        f"{report.scope}: {report.people:,} young people, "
        f"{report.start.isoformat()} to {report.end.isoformat()}"
    )
    return 0


def _report_pdf(services: Any, actor: Any, args: argparse.Namespace) -> int:
    from careleaver_app import reports
    from careleaver_app.domain.documents import DocumentKind
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
    person_id = _report_person(services, actor, kind, args.person) if args.person else None
    request = DocumentRequest(kind, person_id, _team_id(services, args.team), args.as_of)
    data = services.printing.prepare(actor, request)
    pdf = reports.render(data)
    written = write_owner_only(args.out, pdf)
    services.printing.record_output(actor, data, "save", str(written))
    pages = _page_count(pdf)
    print(f"Wrote {args.out} ({pages} page{'' if pages == 1 else 's'})")
    return 0


def _report_person(services: Any, actor: Any, kind: Any, reference: str) -> int:
    """The young person's id; a housing liaison officer, who may not look records up, finds
    them among the young people of the team who agreed to share with housing."""
    from careleaver_app.domain.documents import DocumentKind
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


def _page_count(pdf: bytes) -> int:
    """Pages of a PDF reportlab wrote: one '/Type /Page' object each (it uses no object
    streams, and '/Type /Pages' is the page tree)."""
    import re

    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def _thresholds(services: Any, actor: Any, args: argparse.Namespace) -> int:
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


def _emit(columns: list[str], rows: list[dict[str, Any]], fmt: str, footer: str) -> None:
    if fmt == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        _print_table(columns, rows)
        print(footer)


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _plain(v) for k, v in asdict(value).items()}
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [_plain(v) for v in value]
        return sorted(items) if isinstance(value, set | frozenset) else items
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, date):
        return value.isoformat()
    return value


def _print_table(columns: list[str], rows: list[dict[str, Any]]) -> None:
    widths = {
        c: max([len(c), *(len(str(r[c] if r[c] is not None else "")) for r in rows)])
        for c in columns
    }
    print("  ".join(c.upper().ljust(widths[c]) for c in columns).rstrip())
    for r in rows:
        print(
            "  ".join(
                str(r[c] if r[c] is not None else "").ljust(widths[c]) for c in columns
            ).rstrip()
        )


def _print_record(r: Any) -> None:
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


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
