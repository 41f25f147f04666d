"""Table cells: text that fits on a line is drawn as a plain string (quick), anything else as a
paragraph that wraps; either way a bold column stays bold and nothing leaves its cell."""

from __future__ import annotations

import io

import pytest
from pdf_helpers import caseload_document, caseload_line, text_runs
from pypdf import PdfReader
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph

from careleaver_app.reports import render
from careleaver_app.reports.layout import (
    RIGHT_MARGIN,
    SMALL_BOLD,
    SMALL_CELL,
    page_size,
)
from careleaver_app.reports.tables import _plain_lines
from careleaver_app.reports.text import plain_text, register_fonts

LONG_NAME = "Bartholomew Alexander Fitzgerald-Montgomery Wolstenholme"


def _fonts_of(pdf: bytes, words: set[str]) -> dict[str, set[str]]:
    """The fonts each of `words` is drawn in."""
    found: dict[str, set[str]] = {w: set() for w in words}

    def visit(shown, cm, tm, font, size):  # type: ignore[no-untyped-def]
        if not font:
            return
        base = str(font.get("/BaseFont", "")).lstrip("/").split("+")[-1]
        for word in shown.split():
            if word in found:
                found[word].add(base)

    for page in PdfReader(io.BytesIO(pdf)).pages:
        page.extract_text(visitor_text=visit)
    return found


def _document():  # type: ignore[no-untyped-def]
    rows = (
        caseload_line(1, name="Short Name", pa_name="Pat Plainly"),
        caseload_line(2, name=LONG_NAME),
        caseload_line(3, name="Алексей Смирнов"),
    )
    return caseload_document(rows=rows, person_ids=(1, 2, 3))


def test_names_are_bold_whether_they_fit_on_a_line_or_wrap():
    fonts = _fonts_of(render(_document()), {"Short", "Wolstenholme", "Алексей"})
    assert fonts == {
        "Short": {"DejaVuSans-Bold"},
        "Wolstenholme": {"DejaVuSans-Bold"},
        "Алексей": {"DejaVuSans-Bold"},
    }


def test_other_columns_stay_regular():
    fonts = _fonts_of(render(_document()), {"CL0000001", "Plainly"})
    assert fonts == {"CL0000001": {"DejaVuSans"}, "Plainly": {"DejaVuSans"}}


def test_a_name_too_long_for_its_column_wraps_inside_it():
    runs = text_runs(render(_document()))
    parts = [r for r in runs if r.text.strip() and r.text.strip() in LONG_NAME]
    assert len(parts) >= 2, "the long name was not wrapped"
    # (it may break after the hyphen as well as at spaces)
    assert "".join("".join(r.text.split()) for r in parts) == "".join(LONG_NAME.split())
    right_edge = page_size(True)[0] - RIGHT_MARGIN
    assert all(r.right <= right_edge + 0.5 for r in runs)
    # and it stays in the name column: it starts left of the reference column's text
    reference_x = min(r.x for r in runs if r.text.strip() == "CL0000002")
    assert all(r.right < reference_x for r in parts)


def test_plain_text_is_one_line_of_printable_characters_the_font_has():
    assert plain_text("Sam O'Neill (Sammy) & co")
    assert plain_text("Zoë Łukasz £5 – ok")
    assert plain_text("")
    assert not plain_text("tab\there")
    assert not plain_text("two\nlines")
    assert not plain_text("bell\x07")
    assert not plain_text("محمد")
    assert not plain_text("ሰላም")
    assert not plain_text("e\u0301 decomposed")  # NFC would change it: needs cleaning first


@pytest.mark.parametrize("room", [30, 55, 80, 120, 400])
@pytest.mark.parametrize(
    "text",
    [
        "U2 Independent living, unsuitable",
        "Escalation open; Unsuitable accommodation; Review overdue",
        "Personal adviser",
        "Zoë Łukasz Nguyễn-Smith (Zed)",
        "Zoë Łukasz Renée-Smith (Zed)",
        "a b c d e f g h i j k l m n o p",
    ],
)
@pytest.mark.parametrize("bold", [False, True])
def test_plain_lines_break_where_a_paragraph_would(text, room, bold):
    register_fonts()
    style = SMALL_BOLD if bold else SMALL_CELL
    lines = _plain_lines(text, style.fontName, style.fontSize, room)
    paragraph = Paragraph(text, style)
    paragraph.wrap(room, 10_000)
    widest_word = max(stringWidth(w, style.fontName, style.fontSize) for w in text.split())
    if not plain_text(text, bold):
        assert lines is None, "text that needs markup is left to a paragraph"
    elif widest_word > room:
        assert lines is None, "a word too long for the cell is left to a paragraph to split"
    else:
        assert lines is not None
        assert lines.split("\n") == [" ".join(words) for _, words in paragraph.blPara.lines]


def test_text_a_paragraph_would_change_is_left_to_a_paragraph():
    assert _plain_lines("two  spaces", "DejaVuSans", 8, 20) is None
    assert _plain_lines("two\nlines", "DejaVuSans", 8, 400) is None
    assert _plain_lines("محمد", "DejaVuSans", 8, 400) is None
    assert _plain_lines("fits", "DejaVuSans", 8, 400) == "fits"
