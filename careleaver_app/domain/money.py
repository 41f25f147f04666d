"""Money as whole pence (never float) and quantities as Decimal: parsing and display."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_MONEY = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.(\d{1,2}))?$")
_QUANTITY = re.compile(r"^-?\d+(\.\d+)?$")
MAX_PENCE = 100_000_000  # £1,000,000: far above any local-offer item, catches a slipped key


def parse_money(text: str) -> int:
    """'£1,200', '1200.5' or '1200.50' -> 120050 pence. Raises ValueError with the reason."""
    cleaned = text.strip().replace(" ", "")
    if not cleaned:
        raise ValueError("is required")
    if cleaned.startswith("-") or cleaned.startswith("£-"):
        raise ValueError("cannot be negative")
    match = _MONEY.match(cleaned)
    if not match:
        raise ValueError(f"'{text.strip()}' is not an amount in pounds, such as 1200 or 1,200.50")
    pounds = int(match.group(1).replace(",", ""))
    pence = int((match.group(4) or "0").ljust(2, "0"))
    total = pounds * 100 + pence
    if total > MAX_PENCE:
        raise ValueError("is more than £1,000,000")
    return total


def format_money(pence: int) -> str:
    """120050 -> '£1,200.50'; negative amounts keep their sign in front of the pound sign."""
    sign = "-" if pence < 0 else ""
    pounds, rest = divmod(abs(pence), 100)
    return f"{sign}£{pounds:,}.{rest:02d}"


def parse_quantity(text: str) -> Decimal:
    """'10', '1.5' -> Decimal, at most two decimal places, more than zero."""
    cleaned = text.strip()
    if not cleaned:
        raise ValueError("is required")
    if not _QUANTITY.match(cleaned):
        raise ValueError(f"'{cleaned}' is not a number such as 10 or 1.5")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"'{cleaned}' is not a number") from None
    if not value.is_finite():
        raise ValueError(f"'{cleaned}' is not a number")
    if value <= 0:
        raise ValueError("must be more than zero")
    if value > 100_000:  # before quantize, which raises InvalidOperation on a huge value
        raise ValueError("is more than 100,000")
    if value != value.quantize(Decimal("0.01")):
        raise ValueError("can have at most two decimal places")
    return value.quantize(Decimal("0.01")).normalize() if value % 1 else Decimal(int(value))


def format_quantity(value: Decimal, unit: str = "") -> str:
    """Decimal('10') -> '10 hours'; Decimal('1.50') -> '1.5 hours'."""
    text = f"{value.normalize():f}" if value % 1 else f"{int(value)}"
    if value == 1 and unit.endswith("s") and not unit.endswith("ss"):
        unit = unit[:-1]  # "1 hour", not "1 hours"
    return f"{text} {unit}".strip()


def quantity_to_hundredths(value: Decimal) -> int:
    return int((value * 100).to_integral_value())


def quantity_from_hundredths(value: int) -> Decimal:
    result = Decimal(value) / 100
    return result.normalize() if result % 1 else Decimal(int(result))
