"""How dates, ladder levels and decisions read on screen, the same in every view."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication

from careleaver_app.domain.escalation import DecisionKind, Level


def format_date(value: date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def level_text(level: Level) -> str:
    """'2 · Head of service': the number for scanning, the label for meaning."""
    return f"{int(level)} · {level.label}"


def nights_text(nights: int) -> str:
    tr = QCoreApplication.translate
    return (
        tr("Escalations", "1 night") if nights == 1 else tr("Escalations", "%n nights", "", nights)
    )


def decision_text(kind: DecisionKind | None, on: date | None) -> str:
    if kind is None:
        return QCoreApplication.translate("Escalations", "None yet")
    return f"{kind.label} · {format_date(on)}" if on else kind.label
