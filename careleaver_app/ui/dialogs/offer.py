"""Local-offer dialogs: a ledger entry for a young person, and a catalogue item (administrators).

Each field's key is the FieldProblem.field the Offer service raises (amount, quantity, item, date,
declined_reason, note; name, min_age, categories…), so a refusal shows beside its field.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QLocale
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from careleaver_app.domain.codes import LeaverCategory
from careleaver_app.domain.errors import (
    ConflictError,
    FieldProblem,
    PermissionDenied,
    ValidationError,
)
from careleaver_app.domain.money import format_money, format_quantity, parse_money, parse_quantity
from careleaver_app.domain.offer import (
    CARE_LEAVER_CATEGORIES,
    MAX_AGE_LIMIT,
    MIN_AGE_LIMIT,
    Balance,
    Condition,
    EntitlementKind,
    EntryStatus,
    OfferCategory,
    OfferItem,
)
from careleaver_app.services.offer import CatalogueEntry, EntryInput, LedgerRow, OfferStatement
from careleaver_app.ui.dialogs.form import CallbackForm, date_edit
from careleaver_app.ui.offer_model import allowance_text


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _text_box(parent: QWidget, height: int = 60) -> QPlainTextEdit:
    box = QPlainTextEdit(parent)
    box.setTabChangesFocus(True)
    box.setFixedHeight(height)
    return box


def _hint(parent: QWidget, text: str = "") -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet("color: palette(placeholder-text);")
    return label


def _with_suffix(parent: QWidget, edit: QWidget, suffix: QLabel) -> QWidget:
    """An edit with a word after it (the unit); errors focus the edit, not the holder."""
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    row.addWidget(suffix)
    holder.setFocusProxy(edit)
    return holder


class _OfferForm(CallbackForm):
    """A refusal that is not about a field (permission, someone else's change) gets a message
    box as well as the banner; the dialog stays open with what was typed, and grows to show
    every problem in full."""

    def submit(self, value: Any) -> Any:
        try:
            return super().submit(value)
        except (PermissionDenied, ConflictError) as exc:
            QMessageBox.warning(self, self.windowTitle(), str(exc))
            raise

    def show_problems(self, exc: ValidationError) -> None:
        super().show_problems(exc)
        layout = self.layout()
        if layout is None:
            return
        layout.activate()
        wanted = (
            layout.heightForWidth(self.width())
            if layout.hasHeightForWidth()
            else layout.sizeHint().height()
        )
        if wanted > self.height():
            self.resize(self.width(), wanted)


# -- a ledger entry ------------------------------------------------------------------------------


class OfferEntryDialog(_OfferForm):
    def __init__(
        self,
        submit: Callable[[EntryInput], Any],
        today: date,
        catalogue: Sequence[CatalogueEntry],
        statement: OfferStatement,
        *,
        entry: LedgerRow | None = None,
        may_authorise: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Update local-offer entry") if entry else self.tr("Add local-offer entry")
        super().__init__(title, submit, parent)
        self.setMinimumWidth(560)
        self.entry = entry
        self.statement = statement
        self._balances = {b.item.id: b for b in statement.balances}
        self._items = {
            c.item.id: c.item
            for c in catalogue
            if c.item.id is not None and (c.item.active or (entry and c.item.id == entry.item_id))
        }
        who = QLabel(f"<b>{_esc(statement.name)}</b> ({_esc(statement.reference)})", self)
        who.setAccessibleName(self.tr("Young person"))
        self.form.addRow(who)
        self.item = QComboBox(self)
        for item_id, item in self._items.items():
            left = self._left_short(item)
            self.item.addItem(f"{item.name} — {left}" if left else item.name, item_id)
        self.remaining = QLabel(self)
        self.remaining.setWordWrap(True)
        self.remaining.setAccessibleName(self.tr("Remaining"))
        self.on = date_edit(self, today, self.tr("Date"))
        self.status = QComboBox(self)
        for status in EntryStatus:
            self.status.addItem(status.label, status.value)
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("for example 1,200.00"))
        self.amount.setAccessibleName(self.tr("Amount in pounds"))
        self.quantity = QLineEdit(self)
        self.quantity.setAccessibleName(self.tr("Quantity"))
        self.unit = QLabel(self)
        self.note = _text_box(self)
        self.declined_reason = QLineEdit(self)
        self.exception_reason = QLineEdit(self)
        self.add_field("item", self.tr("&Item:"), self.item)
        self.form.addRow("", self.remaining)
        self.add_field("date", self.tr("&Date:"), self.on)
        self.add_field("status", self.tr("&Status:"), self.status)
        self.add_field("amount", self.tr("&Amount (£):"), self.amount)
        holder = self.amount.parentWidget()
        caption = self.form.labelForField(holder) if holder is not None else None
        self.amount_caption = caption if isinstance(caption, QLabel) else None
        self.add_field(
            "quantity", self.tr("&Quantity:"), _with_suffix(self, self.quantity, self.unit)
        )
        self._watch(self.quantity)
        self.add_field("note", self.tr("&Note:"), self.note)
        self.add_field("declined_reason", self.tr("&Declined because:"), self.declined_reason)
        self.add_field("exception_reason", self.tr("&Exception reason:"), self.exception_reason)
        self.exception_reason.setEnabled(may_authorise)
        self.form.addRow(
            "",
            _hint(
                self,
                self.tr(
                    "A team manager may authorise going over the allowance, or an item the "
                    "young person would not otherwise have, by giving the reason here."
                )
                if may_authorise
                else self.tr(
                    "Only a team manager may authorise going over the allowance (an exception)."
                ),
            ),
        )
        if entry is not None:
            self._load(entry)
        self.item.currentIndexChanged.connect(self._on_item_current_index_changed)
        self.status.currentIndexChanged.connect(self._on_status_current_index_changed)
        self._on_item_current_index_changed()
        self._on_status_current_index_changed()
        self._dirty = False

    def _load(self, e: LedgerRow) -> None:
        self.item.setCurrentIndex(max(self.item.findData(e.item_id), 0))
        self.on.setDate(QDate(e.on.year, e.on.month, e.on.day))
        self.status.setCurrentIndex(self.status.findData(e.status.value))
        if e.amount_pence is not None:
            self.amount.setText(format_money(e.amount_pence))
        if e.quantity is not None:
            self.quantity.setText(format_quantity(e.quantity))
        self.note.setPlainText(e.note)
        self.declined_reason.setText(e.declined_reason)
        self.exception_reason.setText(e.exception_reason)

    # -- what is left ----------------------------------------------------------------------

    def current_item(self) -> OfferItem | None:
        return self._items.get(self.item.currentData())

    def _left(self, item: OfferItem) -> int | Decimal | None:
        """What remains for this young person, counting this entry back in when it is edited."""
        b = self._balances.get(item.id)
        if b is None or b.remaining is None:
            return None
        mine = self.entry
        if (
            mine is not None
            and mine.item_id == item.id
            and mine.status.counts
            and mine.on <= b.on
            and (b.period is None or b.period.contains(mine.on))
        ):
            own = mine.quantity if item.kind is EntitlementKind.QUANTITY else mine.amount_pence
            return min(b.remaining + (own or 0), b.allowance or 0)
        return b.remaining

    def _left_short(self, item: OfferItem) -> str:
        b = self._balances.get(item.id)
        if b is None or not b.eligible:
            return self.tr("not eligible")
        left = self._left(item)
        return self.tr("%1 left").replace("%1", b.describe(left)) if left is not None else ""

    def remaining_text(self) -> str:
        item = self.current_item()
        if item is None:
            return ""
        b: Balance | None = self._balances.get(item.id)
        if b is None:
            return self.tr("Not eligible: this young person cannot have this item now.")
        if not b.eligible:
            return self.tr("Not eligible: %1.").replace("%1", b.ineligible_reason)
        left = self._left(item)
        if left is None:
            return self.tr("Non-financial: nothing to count down.")
        text = (
            self.tr("%1 remaining of %2")
            .replace("%1", b.describe(left))
            .replace("%2", allowance_text(item))
        )
        if b.pending:
            text += " " + self.tr("(%1 requested, not yet decided)").replace(
                "%1", b.describe(b.pending)
            )
        return text

    def _on_item_current_index_changed(self) -> None:
        item = self.current_item()
        kind = item.kind if item else EntitlementKind.NON_FINANCIAL
        self.remaining.setText(self.remaining_text())
        self.quantity.setEnabled(kind is EntitlementKind.QUANTITY)
        self.unit.setText(item.unit if item else "")
        if self.amount_caption is not None:
            caption = self.tr("&Amount (£):") if kind.is_money else self.tr("&Cost (£, optional):")
            self.amount_caption.setText(caption)
        self.item.setToolTip(item.description if item else "")

    def _on_status_current_index_changed(self) -> None:
        self.declined_reason.setEnabled(self._status() is EntryStatus.DECLINED)

    def _status(self) -> EntryStatus:
        return EntryStatus(self.status.currentData())

    # -- the input -------------------------------------------------------------------------

    def collect(self) -> EntryInput:
        """The entry as typed; what cannot be read is shown beside its field, nothing sent."""
        problems: list[FieldProblem] = []
        item = self.current_item()
        if item is None or item.id is None:
            raise ValidationError(FieldProblem("item", self.tr("choose an item")))
        amount: int | None = None
        text = self.amount.text().strip()
        if item.kind.is_money or text:
            try:
                amount = parse_money(text)
            except ValueError as exc:
                problems.append(FieldProblem("amount", str(exc)))
        quantity: Decimal | None = None
        if item.kind is EntitlementKind.QUANTITY:
            try:
                quantity = parse_quantity(self.quantity.text())
            except ValueError as exc:
                problems.append(FieldProblem("quantity", str(exc)))
        if problems:
            raise ValidationError(problems)
        status = self._status()
        return EntryInput(
            item_id=item.id,
            on=self.on.date().toPython(),
            status=status,
            amount_pence=amount,
            quantity=quantity,
            note=self.note.toPlainText(),
            declined_reason=(self.declined_reason.text() if status is EntryStatus.DECLINED else ""),
            # Someone who may not authorise still moves a manager's exception on (to paid, say):
            # the reason goes back as it was.
            exception_reason=(
                self.exception_reason.text()
                if self.exception_reason.isEnabled()
                else (self.entry.exception_reason if self.entry else "")
            ),
        )


# -- a catalogue item ----------------------------------------------------------------------------


class OfferItemDialog(_OfferForm):
    def __init__(
        self,
        submit: Callable[[OfferItem], Any],
        item: OfferItem | None = None,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Edit local-offer item") if item else self.tr("New local-offer item")
        super().__init__(title, submit, parent)
        self.setMinimumWidth(520)
        self.original = item
        self.name = QLineEdit(self)
        self.category = QComboBox(self)
        for category in OfferCategory:
            self.category.addItem(category.label, category.value)
        self.kind = QComboBox(self)
        for kind in EntitlementKind:
            self.kind.addItem(kind.label, kind.value)
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText(self.tr("for example 3,000"))
        self.amount.setAccessibleName(self.tr("Amount in pounds"))
        self.quantity = QLineEdit(self)
        self.quantity.setAccessibleName(self.tr("Quantity"))
        self.unit = QLineEdit(self)
        self.unit.setPlaceholderText(self.tr("for example hours"))
        self.min_age = QSpinBox(self)
        self.max_age = QSpinBox(self)
        self.min_age.setRange(MIN_AGE_LIMIT, MAX_AGE_LIMIT)
        self.max_age.setRange(MIN_AGE_LIMIT + 1, MAX_AGE_LIMIT + 1)
        self.ages = _hint(self)
        self.ages.setAccessibleName(self.tr("Ages explained"))
        qualifying = [c for c in LeaverCategory if c in CARE_LEAVER_CATEGORIES]
        self.categories = {c: QCheckBox(c.label, self) for c in qualifying}
        grid_holder = QWidget(self)
        grid = QGridLayout(grid_holder)
        grid.setContentsMargins(0, 0, 0, 0)
        for n, leaver in enumerate(qualifying):
            grid.addWidget(self.categories[leaver], n // 2, n % 2)
        grid_holder.setFocusProxy(self.categories[qualifying[0]])
        grid_holder.setAccessibleName(self.tr("Care leaver categories that qualify"))
        self.year_starts = QComboBox(self)
        locale = QLocale()
        for month in range(1, 13):
            self.year_starts.addItem(locale.monthName(month), month)
        self.condition = QComboBox(self)
        for condition in Condition:
            self.condition.addItem(condition.label, condition.value)
        self.description = _text_box(self, 70)
        self.add_field("name", self.tr("&Name:"), self.name)
        self.add_field("category", self.tr("&Category:"), self.category)
        self.add_field("kind", self.tr("&Kind:"), self.kind)
        self.add_field("amount", self.tr("&Amount (£):"), self.amount)
        self.add_field("quantity", self.tr("&Quantity:"), self.quantity)
        self.add_field("unit", self.tr("&Unit:"), self.unit)
        self.add_field("min_age", self.tr("From a&ge:"), self.min_age)
        self.add_field("max_age", self.tr("Un&til the birthday:"), self.max_age)
        self.form.addRow("", self.ages)
        self.add_field("categories", self.tr("Who &qualifies:"), grid_holder)
        for box in self.categories.values():
            self._watch(box)
        self.add_field("year_starts_month", self.tr("&Year starts in:"), self.year_starts)
        self.add_field("condition", self.tr("C&ondition:"), self.condition)
        self.add_field("description", self.tr("&Description:"), self.description)
        self._load(item or OfferItem("", OfferCategory.MONEY, EntitlementKind.LIFETIME))
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.min_age.valueChanged.connect(self._on_ages_changed)
        self.max_age.valueChanged.connect(self._on_ages_changed)
        self.min_age.valueChanged.connect(lambda _: self.mark_dirty())
        self.max_age.valueChanged.connect(lambda _: self.mark_dirty())
        self._on_kind_current_index_changed()
        self._on_ages_changed()
        self._dirty = False

    def _load(self, item: OfferItem) -> None:
        self.name.setText(item.name)
        self.category.setCurrentIndex(self.category.findData(item.category.value))
        self.kind.setCurrentIndex(self.kind.findData(item.kind.value))
        if item.amount_pence is not None:
            self.amount.setText(format_money(item.amount_pence))
        if item.quantity is not None:
            self.quantity.setText(format_quantity(item.quantity))
        self.unit.setText(item.unit)
        self.min_age.setValue(item.min_age)
        self.max_age.setValue(item.max_age)
        for category, box in self.categories.items():
            box.setChecked(category in item.categories)
        self.year_starts.setCurrentIndex(self.year_starts.findData(item.year_starts_month))
        self.condition.setCurrentIndex(self.condition.findData(item.condition.value))
        self.description.setPlainText(item.description)

    def _kind(self) -> EntitlementKind:
        return EntitlementKind(self.kind.currentData())

    def _on_kind_current_index_changed(self) -> None:
        kind = self._kind()
        self.amount.setEnabled(kind.is_money)
        self.quantity.setEnabled(kind is EntitlementKind.QUANTITY)
        self.unit.setEnabled(kind is EntitlementKind.QUANTITY)
        self.year_starts.setEnabled(kind is EntitlementKind.PER_YEAR)

    def _on_ages_changed(self) -> None:
        low, high = self.min_age.value(), self.max_age.value()
        self.ages.setText(
            self.tr("From the %1 birthday until the day before the %2 birthday (ages %3 to %4).")
            .replace("%1", ordinal(low))
            .replace("%2", ordinal(high))
            .replace("%3", str(low))
            .replace("%4", str(high - 1))
            if high > low
            else self.tr("The birthday it ends on must come after the age it starts at.")
        )

    def collect(self) -> OfferItem:
        problems: list[FieldProblem] = []
        kind = self._kind()
        amount: int | None = None
        quantity: Decimal | None = None
        if kind.is_money:
            try:
                amount = parse_money(self.amount.text())
            except ValueError as exc:
                problems.append(FieldProblem("amount", str(exc)))
        if kind is EntitlementKind.QUANTITY:
            try:
                quantity = parse_quantity(self.quantity.text())
            except ValueError as exc:
                problems.append(FieldProblem("quantity", str(exc)))
        if problems:
            raise ValidationError(problems)
        original = self.original
        return OfferItem(
            name=self.name.text(),
            category=OfferCategory(self.category.currentData()),
            kind=kind,
            amount_pence=amount,
            quantity=quantity,
            unit=self.unit.text() if kind is EntitlementKind.QUANTITY else "",
            min_age=self.min_age.value(),
            max_age=self.max_age.value(),
            categories=frozenset(c for c, box in self.categories.items() if box.isChecked()),
            year_starts_month=int(self.year_starts.currentData()),
            condition=Condition(self.condition.currentData()),
            active=original.active if original else True,
            description=self.description.toPlainText(),
            id=original.id if original else None,
        )


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
