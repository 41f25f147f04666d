"""Every name prints: Latin with diacritics, Cyrillic, Arabic (joined, right to left) and Ge'ez,
each character in a font that has a glyph for it, and XML special characters as typed.

How right-to-left text is checked: we draw `get_display(reshape(name))` — joined presentation
forms in visual order. pypdf (7.x) puts a right-to-left run back into logical order when it
extracts text, so the NFKC form of the extracted text (presentation forms folded back to plain
letters) contains the name as typed. In case another pypdf extracts in visual order instead, the
check also accepts the name in the NFKC form of each extracted line reversed.
"""

from __future__ import annotations

from dataclasses import replace

import pytest
from arabic_reshaper import reshape
from bidi.algorithm import get_display
from pdf_helpers import caseload_document, caseload_line, housing_document, nfkc, text

from careleaver_app.reports import render
from careleaver_app.reports.text import (
    ETHIOPIC,
    ETHIOPIC_BOLD,
    SANS,
    SANS_BOLD,
    font_for,
    markup,
    missing_glyphs,
    runs,
    visual,
)

NAMES = {
    "latin": "Zoë Łukasz Nguyễn",
    "french": "Renée Œillet-Françoise",
    "cyrillic": "Алексей Смирнов",
    "arabic": "محمد الأحمد",
    "arabic with allah": "عبد الله",
    "ethiopic": "ሄኖክ ተስፋዬ",
    "ethiopic greeting": "ሰላም",
}


def _extracted_contains(extracted: str, name: str) -> bool:
    flat = " ".join(extracted.split())  # a long name may wrap in its cell
    if name in flat or name in nfkc(flat):
        return True
    return any(name in nfkc(line[::-1]) for line in extracted.splitlines())


def _document():
    rows = tuple(
        caseload_line(i, name=name, pa_name=name) for i, name in enumerate(NAMES.values(), 1)
    )
    return caseload_document(rows=rows, person_ids=tuple(r.person_id for r in rows))


@pytest.mark.parametrize("script", NAMES)
def test_the_name_is_found_in_the_extracted_text(script):
    extracted = text(render(_document()))
    assert _extracted_contains(extracted, NAMES[script])


@pytest.mark.parametrize("script", NAMES)
@pytest.mark.parametrize("bold", [False, True])
def test_every_character_has_a_glyph_in_the_font_chosen_for_it(script, bold):
    assert missing_glyphs(NAMES[script], bold=bold) == []


def test_arabic_ligatures_the_font_lacks_are_not_used():
    """arabic_reshaper's default turns 'الله' into U+FDF2, which DejaVu Sans has no glyph for."""
    assert "\ufdf2" not in visual("عبد الله")
    assert "\ufef7" in visual("الأحمد")  # lam with alef: the font has it, so it is used


def test_the_glyph_check_does_find_a_character_no_font_has():
    missing = missing_glyphs("Anna 漢 🙂")
    assert {c for c, _ in missing} == {"漢", "🙂"}


def test_scripts_get_their_fonts():
    assert font_for("a") == SANS and font_for("a", bold=True) == SANS_BOLD
    assert font_for("ሄ") == ETHIOPIC and font_for("ሄ", bold=True) == ETHIOPIC_BOLD
    assert font_for("\u2d80") == ETHIOPIC and font_for("\uab01") == ETHIOPIC
    assert font_for("Ж") == SANS and font_for("م") == SANS
    # a Ge'ez name with a space is one run, not one per word
    assert runs("ሄኖክ ተስፋዬ") == [(ETHIOPIC, "ሄኖክ ተስፋዬ")]
    assert runs("Dawit ሄኖክ") == [(SANS, "Dawit "), (ETHIOPIC, "ሄኖክ")]


def test_right_to_left_text_is_joined_and_put_in_visual_order():
    name = NAMES["arabic"]
    assert visual(name) == get_display(reshape(name))
    assert nfkc(visual(name)[::-1]) == name
    assert visual("Zoë") == "Zoë"
    # each line on its own: a reordered paragraph never swaps its lines
    assert visual(f"{name}\nline two") == f"{get_display(reshape(name))}\nline two"


def test_xml_special_characters_print_as_typed():
    name = 'O\'Neil & <Sons> "Jr"'
    assert markup(name) == 'O\'Neil &amp; &lt;Sons&gt; "Jr"'
    doc = housing_document(first_name="O'Neil &", last_name="<Sons>")
    assert "O'Neil & <Sons>" in text(render(doc))


def test_markup_tags_only_the_runs_that_need_another_font():
    assert markup("Dawit ሄኖክ & co") == (f'Dawit <font name="{ETHIOPIC}">ሄኖክ </font>&amp; co')
    assert markup("ሄኖክ", bold=True) == f'<font name="{ETHIOPIC_BOLD}">ሄኖክ</font>'


def test_control_characters_are_dropped_and_decomposed_accents_composed():
    assert visual("Zoe\u0308\x00\x07") == "Zoë"
    assert markup("a\tb\nc") == "a b<br/>c"


def test_names_print_in_the_page_header_and_footer_too():
    doc = housing_document()
    doc = replace(
        doc,
        printed=replace(doc.printed, by="ሰላም Адвайзер", title="Housing liaison summary: ሄኖክ"),
    )
    first_page = text(render(doc))
    assert "Printed by ሰላም Адвайзер on 26/11/2026 09:30" in first_page
    assert "Housing liaison summary: ሄኖክ" in first_page


def test_the_demo_and_import_name_lists_print_without_empty_boxes():
    """Names in the bundled demo data (Polish, Vietnamese, Arabic, Ge'ez ...) all have glyphs."""
    from careleaver_app.services.demo import names

    for value in vars(names).values():
        if isinstance(value, str) and len(value) > 20:
            assert missing_glyphs(value) == [], value[:60]
