"""`careleaver-app offer balance REF` (what remains of each entitlement, and what was never taken
up) and `offer takeup` (how many eligible young people used each item, and the spend)."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

from careleaver_app.cli_output import emit, exporting, parse_date, print_table, team_id


def add_parsers(sub: Any) -> None:
    offer = sub.add_parser("offer", help="local offer: a young person's balances, take-up")
    offer_sub = offer.add_subparsers(dest="offer_command", metavar="ACTION", required=True)
    bal = offer_sub.add_parser(
        "balance", help="what remains of each entitlement, and what was never taken up"
    )
    bal.add_argument("reference")
    bal.add_argument("--as-of", type=parse_date, help="the date to work the balances out on")
    bal.add_argument("--format", choices=["table", "json", "csv"], default="table")
    takeup = offer_sub.add_parser(
        "takeup", help="how many eligible young people used each item, and the spend"
    )
    takeup.add_argument(
        "--from", dest="start", type=parse_date, help="default: 1 April of the financial year"
    )
    takeup.add_argument("--to", dest="end", type=parse_date, help="default: today")
    takeup.add_argument("--team", help="only this team (by name)")
    takeup.add_argument("--format", choices=["table", "json", "csv"], default="table")


def run(services: Any, actor: Any, args: argparse.Namespace) -> int:
    if args.offer_command == "balance":
        return _balance(services, actor, args)
    return _take_up(services, actor, args)


_MEASURES = ("allowance", "used", "pending", "remaining", "over_by")


def _balance(services: Any, actor: Any, args: argparse.Namespace) -> int:
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
    exporting(services, actor, args.format, [statement.person_id], "local-offer balance")
    if args.format == "csv":
        emit(columns, rows, "csv", "")
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
    print_table([*columns, "reason"], rows)
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


def _take_up(services: Any, actor: Any, args: argparse.Namespace) -> int:
    from careleaver_app.domain.money import format_money, format_quantity
    from careleaver_app.domain.offer import EntitlementKind

    end = args.end or services.people.today()
    # The financial year to date: from the 1 April on or before the last day.
    start = args.start or date(end.year if end.month >= 4 else end.year - 1, 4, 1)
    report = services.offer.take_up(actor, start, end, team_id=team_id(services, args.team))
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
        exporting(services, actor, args.format, [], "local-offer take-up")
        emit(_TAKE_UP_COLUMNS, rows, args.format, "")
        return 0
    columns = ["item", "eligible", "used_ever", "take_up", "used_in_period", "committed_spend"]
    print_table([*columns, "paid_spend", "quantity_in_period"], table)
    print(
        f"{report.scope}: {report.people:,} young people, "
        f"{report.start.isoformat()} to {report.end.isoformat()}"
    )
    return 0
