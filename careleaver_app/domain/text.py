"""Text folding for search: case- and diacritic-insensitive, so 'zoe' finds 'Zoë'."""

from __future__ import annotations

import unicodedata

# Letters that do not decompose into a base letter plus a mark. Keys are lower case because
# the text is case-folded first (so 'Þ' and 'þ' fold alike).
_EXTRA = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "æ": "ae",
        "œ": "oe",
        "ı": "i",
        "þ": "th",
    }
)


def _strip_marks(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Lower-case, strip accents and collapse spaces; non-Latin scripts pass through."""
    # Marks are stripped before and after case-folding: 'Ǣ' only becomes 'æ' once its macron is
    # gone, and case-folding can add a mark ('İ' folds to 'i' + combining dot).
    folded = _strip_marks(_strip_marks(text).casefold())
    return " ".join(folded.translate(_EXTRA).split())
