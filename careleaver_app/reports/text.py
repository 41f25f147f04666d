"""Fonts and user text for the PDFs: which font draws each character, right-to-left text in
visual order, XML escaping for reportlab's Paragraph markup, and the date and number wording.

User text goes through `markup()`: right-to-left lines are joined (arabic_reshaper) and put in
visual order (python-bidi), each run gets a font that has its glyphs (Noto Sans Ethiopic for
Ge'ez, DejaVu Sans for the rest) and XML special characters are escaped. `missing_glyphs()` says
which characters, if any, would print as an empty box.
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime
from functools import cache
from xml.sax.saxutils import escape

from arabic_reshaper import ArabicReshaper
from arabic_reshaper.ligatures import LIGATURES
from bidi.algorithm import get_display
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from careleaver_app.paths import asset

# -- fonts --------------------------------------------------------------------------------------

SANS = "DejaVuSans"
SANS_BOLD = "DejaVuSans-Bold"
ETHIOPIC = "NotoSansEthiopic"
ETHIOPIC_BOLD = "NotoSansEthiopic-Bold"
_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    ETHIOPIC: "NotoSansEthiopic-Regular.ttf",
    ETHIOPIC_BOLD: "NotoSansEthiopic-Bold.ttf",
}
_ETHIOPIC_RANGES = ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F))


@cache
def register_fonts() -> None:
    """Register the bundled TrueType fonts once; reportlab embeds the subsets each PDF uses."""
    for name, file in _FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(asset("fonts", file))))
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS, boldItalic=SANS_BOLD
    )
    pdfmetrics.registerFontFamily(
        ETHIOPIC, normal=ETHIOPIC, bold=ETHIOPIC_BOLD, italic=ETHIOPIC, boldItalic=ETHIOPIC_BOLD
    )


def _cmap(font_name: str) -> dict[int, int]:
    register_fonts()
    font = pdfmetrics.getFont(font_name)
    return font.face.charToGlyph  # type: ignore[attr-defined, no-any-return]


# -- text: script runs, right-to-left, escaping -------------------------------------------------


def is_ethiopic(char: str) -> bool:
    code = ord(char)
    return any(low <= code <= high for low, high in _ETHIOPIC_RANGES)


def is_right_to_left(char: str) -> bool:
    return unicodedata.bidirectional(char) in ("R", "AL")


def clean(text: str) -> str:
    """NFC (so 'e' + combining mark prints as one glyph where one exists), tabs as spaces,
    other control characters dropped; line breaks kept."""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\t", " "))
    return "".join(c for c in text if c == "\n" or unicodedata.category(c) != "Cc")


@cache
def _reshaper() -> ArabicReshaper:
    """Joins Arabic letters into the presentation forms DejaVu Sans draws. Ligatures the font
    lacks are left as letters: by default 'الله' in a name like 'عبد الله' would become U+FDF2,
    which DejaVu does not have, and print as an empty box."""
    fonts = [_cmap(SANS), _cmap(SANS_BOLD)]
    config = {
        name: all(ord(c) in font for font in fonts for form in forms for c in form)
        for name, (_, forms) in LIGATURES
    }
    return ArabicReshaper(configuration=config)


def reshape(text: str) -> str:
    return str(_reshaper().reshape(text))


def visual(text: str) -> str:
    """Text in the order it is drawn: right-to-left lines joined and reordered, others as is."""
    text = clean(text)
    if not any(is_right_to_left(c) for c in text):
        return text
    return "\n".join(get_display(reshape(line)) if line else line for line in text.split("\n"))


def font_for(char: str, bold: bool = False) -> str:
    if is_ethiopic(char):
        return ETHIOPIC_BOLD if bold else ETHIOPIC
    return SANS_BOLD if bold else SANS


def runs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(font, text) runs of already-visual text. Spaces and punctuation stay in the run they
    are in when its font has them, so a Ge'ez name is one run, not one per word."""
    out: list[tuple[str, str]] = []
    for char in text:
        font = font_for(char, bold)
        if out:
            current, chunk = out[-1]
            neutral = not unicodedata.category(char).startswith(("L", "M"))
            if font == current or (neutral and ord(char) in _cmap(current)):
                out[-1] = (current, chunk + char)
                continue
        out.append((font, char))
    return out


def missing_glyphs(text: str, bold: bool = False) -> list[tuple[str, str]]:
    """(character, font) for every character that would print as an empty box."""
    return [
        (char, font)
        for font, chunk in runs(visual(text), bold)
        for char in chunk
        if char != "\n" and ord(char) not in _cmap(font)
    ]


_PLAIN_EXTRA = frozenset("£€–—‘’“”•…·")


def plain_text(text: str, bold: bool = False) -> bool:
    """Whether `text` can be drawn as a plain DejaVu Sans string, with no markup: one line,
    nothing to clean, nothing right-to-left or Ge'ez, every glyph in the font."""
    if text.isascii():
        # Printable ASCII is in both fonts and has nothing to clean; this is almost every
        # cell of a long table, so it skips the character-by-character checks below.
        return text.isprintable()
    if "\n" in text or text != clean(text):
        return False
    font = _cmap(SANS_BOLD if bold else SANS)
    return all((ord(c) < 0x0590 or c in _PLAIN_EXTRA) and ord(c) in font for c in text)


def markup(text: str, bold: bool = False) -> str:
    """Paragraph markup for user text: escaped, in visual order, each run in a font that has it.

    The paragraph's own font is DejaVu Sans (bold when `bold`); only other fonts are tagged.
    """
    base = SANS_BOLD if bold else SANS
    if text.isascii() and text == clean(text):  # the common case, quickly
        return escape(text).replace("\n", "<br/>")
    out = []
    for font, chunk in runs(visual(text), bold):
        piece = escape(chunk).replace("\n", "<br/>")
        out.append(piece if font == base else f'<font name="{font}">{piece}</font>')
    return "".join(out)


# -- formatting ---------------------------------------------------------------------------------


def fmt_date(day: date | None, empty: str = "") -> str:
    return day.strftime("%d/%m/%Y") if day else empty


def fmt_long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def fmt_moment(moment: datetime) -> str:
    return moment.strftime("%d/%m/%Y %H:%M")


def yes_no(value: bool) -> str:
    return "Yes" if value else "No"


def ordinal(n: int) -> str:
    """21 -> '21st', 22 -> '22nd', 11 -> '11th'."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
