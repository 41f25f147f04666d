"""Text folding for search: case- and diacritic-insensitive, so 'zoe' finds 'Zoë'."""

from __future__ import annotations

import unicodedata

# Letters that do not decompose into a base letter plus a mark.
_EXTRA = str.maketrans(
    {
        "ł": "l",
        "Ł": "l",
        "ø": "o",
        "Ø": "o",
        "đ": "d",
        "Đ": "d",
        "ß": "ss",
        "æ": "ae",
        "Æ": "ae",
        "œ": "oe",
        "Œ": "oe",
        "ı": "i",
        "þ": "th",
    }
)


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces; non-Latin scripts pass through."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_EXTRA))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
