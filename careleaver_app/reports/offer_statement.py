"""The local-offer statement, written to the young person: what they can still claim, what they
have not used yet and what they have had. Staff notes and exception reasons are not on it."""

from __future__ import annotations

from decimal import Decimal

from reportlab.platypus import Flowable

from careleaver_app.domain.documents import OfferLedgerLine, OfferStatementDocument
from careleaver_app.domain.money import format_money, format_quantity
from careleaver_app.domain.offer import Balance, EntitlementKind, EntryStatus, OfferItem
from careleaver_app.reports.layout import (
    BULLET,
    CELL_BOLD,
    SMALL,
    build_pdf,
    frame_width,
    heading,
    none_recorded,
    para,
    rich,
    title_block,
)
from careleaver_app.reports.tables import data_table
from careleaver_app.reports.text import (
    fmt_date,
    fmt_long_date,
)


def allowance_text(item: OfferItem) -> str:
    """'£3,000.00 for life', '£20.00 a month', '10 hours', 'Available to you'."""
    if item.kind is EntitlementKind.NON_FINANCIAL:
        return "Available to you"
    return item.describe_allowance()


def remaining_text(b: Balance) -> str:
    if b.allowance is None:
        return "Available" if b.eligible else "Not available now"
    if b.remaining is None:
        return ""
    left = b.describe(b.remaining)
    if b.item.kind is EntitlementKind.PER_MONTH:
        return f"{left} left this month"
    if b.item.kind is EntitlementKind.PER_YEAR:
        return f"{left} left this year"
    return f"{left} left"


def amount_text(line: OfferLedgerLine) -> str:
    """'£1,200.00', '2 hours', or '2 hours (£64.00)' for a quantity that also cost money."""
    quantity = format_quantity(Decimal(line.quantity), line.unit) if line.quantity else ""
    money = format_money(line.amount_pence) if line.amount_pence is not None else ""
    if quantity and money:
        return f"{quantity} ({money})"
    return quantity or money


STATUS_WORDS = {
    EntryStatus.PAID: "Paid",
    EntryStatus.APPROVED: "Agreed",
    EntryStatus.REQUESTED: "Waiting for a decision",
    EntryStatus.DECLINED: "Not agreed",
}


def build_offer_statement(data: OfferStatementDocument) -> bytes:
    width = frame_width()
    story: list[Flowable] = [
        *title_block(
            "Your local offer statement",
            f"{data.name} ({data.reference})",
            f"Correct on {fmt_long_date(data.as_of)}",
        ),
        para(f"Dear {data.addressed_to},"),
        para(
            "As a young person leaving our care you can have the support in our local offer. "
            "This statement shows what you can still claim, the things you have not used yet, "
            "and what you have had so far."
        ),
        para(
            "If something looks wrong, or you would like to ask for any of it, please talk to "
            f"your personal adviser{', ' + data.pa_name if data.pa_name else ''}"
            f"{' (' + data.pa_email + ')' if data.pa_email else ''}."
        ),
    ]

    story += heading("What you can still claim")
    available = [b for b in data.balances if b.eligible]
    if available:
        story.append(
            data_table(
                ["What it is", "What you can have", "Used so far", "Still to claim"],
                [
                    [
                        para(b.item.name, CELL_BOLD),
                        allowance_text(b.item),
                        _used_text(b),
                        remaining_text(b),
                    ]
                    for b in available
                ],
                [3.2, 2.4, 2.4, 2.4],
                width,
            )
        )
        story.append(
            para(
                "Anything you have asked for that has not been decided yet counts as used, so "
                "'still to claim' is what you can ask for now. Amounts that renew each month or "
                "each year show what is left this month or this year; one-off amounts are for "
                "your whole time with us.",
                SMALL,
            )
        )
    else:
        story.append(none_recorded("There is nothing in the local offer you can claim just now."))

    story += heading("Things you have not used yet")
    if data.not_taken_up:
        story.append(para("You can ask for these at any time while you can have them:"))
        for item in data.not_taken_up:
            story.append(
                rich(
                    [
                        (item.name, True),
                        (f" ({allowance_text(item).lower()})", False),
                        (f": {item.description}" if item.description else "", False),
                    ],
                    BULLET,
                    bullet="•",
                )
            )
    else:
        story.append(none_recorded("You have used something from every part of the offer."))

    story += heading("What you have had")
    if data.history:
        story.append(
            data_table(
                ["Date", "What", "Amount", "Where it is up to"],
                [
                    [
                        fmt_date(line.on),
                        line.item_name,
                        amount_text(line),
                        STATUS_WORDS[line.status]
                        + (f": {line.declined_reason}" if line.declined_reason else ""),
                    ]
                    for line in data.history
                ],
                [1.3, 3.3, 2.2, 3.4],
                width,
                align_right=[2],
            )
        )
    else:
        story.append(none_recorded("Nothing has been asked for or paid yet."))
    return build_pdf(data.printed, story)


def _used_text(b: Balance) -> str:
    if b.allowance is None:
        return f"Used {b.times_used} time{'s' if b.times_used != 1 else ''}" if b.times_used else ""
    parts = []
    if b.used:
        parts.append(b.describe(b.used))
    if b.pending:
        parts.append(f"{b.describe(b.pending)} waiting for a decision")
    if parts:
        return "; ".join(parts)
    return {
        EntitlementKind.PER_MONTH: "Nothing yet this month",
        EntitlementKind.PER_YEAR: "Nothing yet this year",
    }.get(b.item.kind, "Nothing yet")
