"""The data tables of the long documents: a header row repeated on every page, text cells drawn
as plain lines where they can be (quick for 1,000 rows) and as wrapping paragraphs elsewhere.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, TypeAlias

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable, LongTable, Table, TableStyle
from reportlab.platypus.tables import CellStyle

from careleaver_app.reports.layout import (
    ALERT_BG,
    CELL,
    HEAD,
    HEAD_RIGHT,
    LINE,
    NAVY,
    RULE,
    ZEBRA,
    RowTracker,
    para,
)
from careleaver_app.reports.text import SANS, SANS_BOLD, plain_text, register_fonts

Cell: TypeAlias = str | Flowable


class _RowStart(str):
    """A row's first cell drawn as a plain string: a str object of its own (never one shared
    with another row, as equal strings may be), so that the RowTracker can know it by id."""

    __slots__ = ()


def data_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[Cell]],
    widths: Sequence[float],
    width: float,
    *,
    tracker: RowTracker | None = None,
    highlight: Iterable[int] = (),
    align_right: Iterable[int] = (),
    bold: Iterable[int] = (),
    style: ParagraphStyle = CELL,
) -> Table:
    """A table with a header row repeated on every page, long text wrapped in its cell.

    `widths` are relative; `highlight` are data-row indexes shaded as alerts (the cell text
    must say why as well: colour is never the only signal). Text cells are in `style`, in bold
    in the `bold` columns.

    Text is drawn as plain lines where it can be (broken at spaces to fit its cell), anything
    else (a word too long for the cell, line breaks, right-to-left, Ge'ez) as a paragraph
    that wraps: plain cells are several times quicker to lay out and draw, which is what
    makes a 1,000-row table quick.
    """
    register_fonts()
    right = set(align_right)
    heavy = set(bold)
    scale = width / sum(widths)
    col_widths = [w * scale for w in widths]
    pad = 4
    styles = {
        (r, b): ParagraphStyle(
            f"{style.name}{'_bold' if b else ''}{'_right' if r else ''}",
            parent=style,
            alignment=TA_RIGHT if r else style.alignment,
            fontName=SANS_BOLD if b else style.fontName,
        )
        for r in (False, True)
        for b in (False, True)
    }
    # Long tables repeat the same texts (categories, labels, dates) row after row: lay each
    # out once.
    laid_out: dict[tuple[str, bool, float, float], str | None] = {}

    def plain(text: str, heavy: bool, room: float, size: float) -> str | None:
        key = (text, heavy, room, size)
        if key not in laid_out:
            laid_out[key] = _plain_lines(text, SANS_BOLD if heavy else SANS, size, room)
        return laid_out[key]

    rooms = [w - 2 * pad for w in col_widths]
    data: list[list[Cell]] = [[]]
    for i, h in enumerate(headers):
        text = plain(h, True, rooms[i], HEAD.fontSize)
        data[0].append(text if text is not None else para(h, HEAD_RIGHT if i in right else HEAD))
    for row in rows:
        cells: list[Cell] = []
        for i, c in enumerate(row):
            if isinstance(c, Flowable):
                cells.append(c)
            elif (text := plain(c, i in heavy, rooms[i], style.fontSize)) is not None:
                cells.append(_RowStart(text) if i == 0 and tracker is not None else text)
            else:
                cells.append(para(c, styles[i in right, i in heavy]))
        if tracker is not None:
            tracker.add(cells[0])
        data.append(cells)
    # Settings every cell of a column shares, given as shared cell styles rather than as
    # commands: a command is applied cell by cell, some hundred thousand times for a 1,000-row
    # table. (Shared styles are safe as long as no cell is vertically centred: reportlab edits
    # the style of a MIDDLE cell it splits across pages.)
    common = {
        "fontname": SANS,
        "valign": "TOP",
        "topPadding": 3,
        "bottomPadding": 3,
        "leftPadding": pad,
        "rightPadding": pad,
    }
    head_row = [
        _cell_style(
            f"head{i}",
            common,
            fontname=SANS_BOLD,
            fontsize=HEAD.fontSize,
            leading=HEAD.leading,
            color=HEAD.textColor,
            alignment="RIGHT" if i in right else "LEFT",
        )
        for i in range(len(headers))
    ]
    body_row = [
        _cell_style(
            f"body{i}",
            common,
            fontname=SANS_BOLD if i in heavy else SANS,
            fontsize=style.fontSize,
            leading=style.leading,
            color=style.textColor,
            alignment="RIGHT" if i in right else "LEFT",
        )
        for i in range(len(headers))
    ]
    table = LongTable(
        data,
        colWidths=col_widths,
        repeatRows=1,
        hAlign="LEFT",
        splitInRow=1,
        cellStyles=[head_row] + [body_row[:] for _ in data[1:]],
    )
    commands: list[tuple[Any, ...]] = [
        ("BACKGROUND", (0, 0), (-1, 0), NAVY),
        ("LINEBELOW", (0, 0), (-1, -1), 0.4, LINE),
        ("BOX", (0, 0), (-1, -1), 0.6, RULE),
    ]
    if len(data) > 2:
        commands.append(("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, ZEBRA]))
    commands += [("BACKGROUND", (0, i + 1), (-1, i + 1), ALERT_BG) for i in highlight]
    table.setStyle(TableStyle(commands))
    return table


def _plain_lines(text: str, font: str, size: float, room: float) -> str | None:
    """`text` as plain lines that fit in `room` (joined by line breaks), broken at spaces as a
    paragraph would break it; None when it needs a paragraph: markup (see plain_text), or a
    word too long for a line, which a paragraph splits."""
    if not plain_text(text):
        return None
    width = pdfmetrics.stringWidth
    if width(text, font, size) <= room:
        return text
    words = text.split(" ")
    if not all(words):  # runs of spaces: a paragraph collapses them
        return None
    space = width(" ", font, size)
    lines: list[str] = []
    line: list[str] = []
    used = 0.0
    for word in words:
        w = width(word, font, size)
        if w > room:
            return None
        if line and used + space + w > room:
            lines.append(" ".join(line))
            line, used = [word], w
        else:
            used += (space if line else 0.0) + w
            line.append(word)
    lines.append(" ".join(line))
    return "\n".join(lines)


def _cell_style(name: str, common: dict[str, Any], **values: Any) -> CellStyle:
    style = CellStyle(name)
    for key, value in (common | values).items():
        setattr(style, key, value)
    return style
