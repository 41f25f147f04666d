"""The flags shown beside a young person: each has text, never colour alone."""

from __future__ import annotations

from careleaver_app.domain.codes import AccommodationType, InTouch, Suitability

FLAG_BNB = "In B&B"
FLAG_EMERGENCY = "Emergency accommodation"
FLAG_NO_FIXED_ABODE = "No fixed abode"
FLAG_UNSUITABLE = "Unsuitable accommodation"
FLAG_NOT_IN_TOUCH = "Not in touch"
FLAG_CUSTODY = "In custody"
FLAG_CLOSED = "Closed"
FLAG_ESCALATION = "Escalation open"
FLAG_REVIEW_OVERDUE = "Review overdue"

_TYPE_FLAGS = {
    AccommodationType.BED_AND_BREAKFAST: FLAG_BNB,
    AccommodationType.EMERGENCY: FLAG_EMERGENCY,
    AccommodationType.NO_FIXED_ABODE: FLAG_NO_FIXED_ABODE,
    AccommodationType.CUSTODY: FLAG_CUSTODY,
}


def caseload_flags(
    accommodation: AccommodationType | None,
    suitability: Suitability | None,
    in_touch: InTouch | None,
    closed: bool = False,
    escalation_open: bool = False,
) -> tuple[str, ...]:
    flags: list[str] = [FLAG_ESCALATION] if escalation_open else []
    if accommodation in _TYPE_FLAGS:
        flags.append(_TYPE_FLAGS[accommodation])
    if suitability is Suitability.UNSUITABLE:
        flags.append(FLAG_UNSUITABLE)
    if in_touch is not None and in_touch is not InTouch.YES:
        flags.append(FLAG_NOT_IN_TOUCH)
    if closed:
        flags.append(FLAG_CLOSED)
    return tuple(flags)
