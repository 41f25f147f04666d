"""The page every document shares: A4, the OFFICIAL-SENSITIVE marking top and bottom, the title,
"Page x of y" and who printed it; the styles and the building blocks (headings, label grids).
Data tables: reports.tables. Fonts and user text: reports.text.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from careleaver_app.domain.documents import Printed
from careleaver_app.reports.text import (
    SANS,
    SANS_BOLD,
    fmt_moment,
    markup,
    plain_text,
    register_fonts,
)

Progress = Callable[[int, int], None]

# -- styles -------------------------------------------------------------------------------------

NAVY = colors.HexColor("#1F3A5F")
INK = colors.HexColor("#1A1A1A")
GREY = colors.HexColor("#5A6270")
RULE = colors.HexColor("#9AA3B0")
LINE = colors.HexColor("#C9CFD8")
ZEBRA = colors.HexColor("#F2F4F7")
LABEL_BG = colors.HexColor("#E8ECF2")
ALERT_BG = colors.HexColor("#FBE9E7")
ALERT = colors.HexColor("#A4262C")


def _style(name: str, **kw: Any) -> ParagraphStyle:
    base: dict[str, Any] = {
        "fontName": SANS,
        "fontSize": 9.5,
        "leading": 13,
        "textColor": INK,
        "splitLongWords": 1,
        "bulletFontName": SANS,
        "spaceShrinkage": 0,  # lines fit at natural word spacing, never squeezed
    }
    return ParagraphStyle(name, **(base | kw))


BODY = _style("body", spaceAfter=4)
SMALL = _style("small", fontSize=8, leading=10.5, textColor=GREY, spaceBefore=3, spaceAfter=3)
TITLE = _style("title", fontName=SANS_BOLD, fontSize=18, leading=22, textColor=NAVY)
SUBTITLE = _style("subtitle", fontName=SANS_BOLD, fontSize=12, leading=16, spaceBefore=2)
META = _style("meta", fontSize=9, leading=12, textColor=GREY, spaceBefore=2, spaceAfter=8)
H2 = _style(
    "h2",
    fontName=SANS_BOLD,
    fontSize=12,
    leading=15,
    textColor=NAVY,
    spaceBefore=10,
    spaceAfter=4,
)
H3 = _style("h3", fontName=SANS_BOLD, fontSize=10, leading=13, spaceBefore=6, spaceAfter=2)
CELL = _style("cell", fontSize=8.5, leading=10.5)
CELL_BOLD = _style("cell_bold", fontName=SANS_BOLD, fontSize=8.5, leading=10.5)
CELL_RIGHT = _style("cell_right", fontSize=8.5, leading=10.5, alignment=TA_RIGHT)
HEAD = _style(
    "head",
    fontName=SANS_BOLD,
    fontSize=8.5,
    leading=10.5,
    textColor=colors.white,
    splitLongWords=0,
)
HEAD_RIGHT = _style(
    "head_right",
    fontName=SANS_BOLD,
    fontSize=8.5,
    leading=10.5,
    textColor=colors.white,
    alignment=TA_RIGHT,
    splitLongWords=0,
)
SMALL_CELL = _style("small_cell", fontSize=8, leading=10)
SMALL_BOLD = _style("small_bold", fontName=SANS_BOLD, fontSize=8, leading=10)
SMALL_RIGHT = _style("small_right", fontSize=8, leading=10, alignment=TA_RIGHT)
LABEL = _style("label", fontName=SANS_BOLD, fontSize=8.5, leading=10.5, textColor=GREY)
VALUE = _style("value", fontSize=9, leading=11.5)
BULLET = _style("bullet", leftIndent=12, bulletIndent=2, spaceAfter=3)
ALERT_TEXT = _style("alert", fontName=SANS_BOLD, fontSize=9.5, leading=13, textColor=ALERT)
_HEADER = _style("header", fontName=SANS_BOLD, fontSize=9, leading=11, textColor=NAVY)
_FOOTER = _style("footer", fontSize=7.5, leading=9.5, textColor=GREY)
_MARKING = _style("marking", fontName=SANS_BOLD, fontSize=9, leading=11, alignment=TA_CENTER)

MARKING = "OFFICIAL-SENSITIVE"
SERVICE = "Leaving Care Service"


def para(text: str, style: ParagraphStyle = BODY) -> Paragraph:
    """A paragraph of user (or any) text: see `markup`."""
    register_fonts()
    return Paragraph(markup(text, bold=style.fontName == SANS_BOLD), style)


def rich(
    fragments: Iterable[tuple[str, bool]], style: ParagraphStyle = BODY, bullet: str | None = None
) -> Paragraph:
    """A paragraph of (text, bold) fragments, e.g. a label and a value on one line."""
    register_fonts()
    body = "".join(f"<b>{markup(t, True)}</b>" if b else markup(t) for t, b in fragments)
    return Paragraph(body, style, bulletText=bullet)


# -- building blocks ----------------------------------------------------------------------------


def title_block(title: str, subtitle: str = "", meta: str = "") -> list[Flowable]:
    out: list[Flowable] = [para(title, TITLE)]
    if subtitle:
        out.append(para(subtitle, SUBTITLE))
    if meta:
        out.append(para(meta, META))
    else:
        out.append(Spacer(1, 6))
    return out


def heading(text: str) -> list[Flowable]:
    """A section heading that is never left alone at the foot of a page. (Not keepWithNext:
    that would hold a long table back to start on a fresh page.)"""
    return [CondPageBreak(30 * mm), para(text, H2)]


def subheading(text: str) -> list[Flowable]:
    return [CondPageBreak(20 * mm), para(text, H3)]


def none_recorded(text: str = "None recorded.") -> Paragraph:
    return para(text, _style("none", textColor=GREY, fontSize=9))


def details(pairs: Sequence[tuple[str, str]], width: float, columns: int = 2) -> Table:
    """A grid of label/value pairs, `columns` pairs to a row; long values wrap. Labels are the
    same width whatever `columns` is, so grids stacked one under another line up."""
    label_w = width * 0.21
    value_w = width / columns - label_w
    rows: list[list[Flowable | str]] = []
    for start in range(0, len(pairs), columns):
        row: list[Flowable | str] = []
        chunk = list(pairs[start : start + columns])
        chunk += [("", "")] * (columns - len(chunk))
        for label, value in chunk:
            row += [para(label, LABEL), para(value, VALUE)]
        rows.append(row)
    table = Table(rows, colWidths=[label_w, value_w] * columns, hAlign="LEFT")
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), SANS),  # not reportlab's Helvetica, even unused
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.4, LINE),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    commands += [("BACKGROUND", (2 * i, 0), (2 * i, -1), LABEL_BG) for i in range(columns)]
    table.setStyle(TableStyle(commands))
    return table


def text_block(label: str, text: str, empty: str = "None recorded.") -> list[Flowable]:
    """A labelled block of free text that may run to pages (it splits like any paragraph)."""
    return [*subheading(label), para(text) if text.strip() else none_recorded(empty)]


class RowTracker:
    """Maps the first cell of each table row to how many rows are done once it is drawn, so
    that the page loop can report progress while it lays out a long table."""

    def __init__(self, callback: Progress | None) -> None:
        self.callback = callback
        self.total = 0
        self._marks: dict[int, int] = {}

    def add(self, first_cell: object) -> None:
        self.total += 1
        self._marks[id(first_cell)] = self.total

    def drawn(self, flowable: Flowable) -> None:
        if self.callback is None or not isinstance(flowable, Table):
            return
        cells = getattr(flowable, "_cellvalues", None)
        if cells:
            cell = cells[-1][0]
            if isinstance(cell, list | tuple) and cell:  # reportlab wraps flowable cells
                cell = cell[0]
            done = self._marks.get(id(cell))
            if done is not None:
                self.callback(done, self.total)


def keep(*flowables: Flowable) -> KeepTogether:
    return KeepTogether(list(flowables))


# -- the page -----------------------------------------------------------------------------------

LEFT_MARGIN = RIGHT_MARGIN = 18 * mm
TOP_MARGIN = 27 * mm
BOTTOM_MARGIN = 24 * mm


def page_size(wide: bool) -> tuple[float, float]:
    return landscape(A4) if wide else A4


def frame_width(wide: bool = False) -> float:
    return page_size(wide)[0] - LEFT_MARGIN - RIGHT_MARGIN


class _NumberedCanvas(Canvas):
    """Keeps each page until the end, then stamps "Page x of y" on all of them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._pages: list[dict[str, Any]] = []

    def showPage(self) -> None:
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._pages)
        for state in self._pages:
            self.__dict__.update(state)
            width = self._pagesize[0]
            self.setFont(SANS, 7.5)
            self.setFillColor(GREY)
            self.drawRightString(
                width - RIGHT_MARGIN, 15 * mm, f"Page {self._pageNumber} of {total}"
            )
            super().showPage()
        super().save()


class _Line:
    """One line of the header or footer, the same on every page: drawn as a plain string
    where it can be, else as a paragraph (made and wrapped once per document)."""

    def __init__(self, text: str, style: ParagraphStyle, width: float) -> None:
        self.style = style
        self.width = width
        bold = style.fontName == SANS_BOLD
        fits = plain_text(text, bold) and (
            pdfmetrics.stringWidth(text, style.fontName, style.fontSize) <= width
        )
        self.text = text if fits else None
        self.paragraph = Paragraph(markup(text, bold), style)
        _, self.height = self.paragraph.wrap(width, 100)

    def draw(self, canvas: Canvas, y: float) -> None:
        """Draw with the top of the first line at `y`."""
        if self.text is None:
            self.paragraph.drawOn(canvas, LEFT_MARGIN, y - self.height)
            return
        # where the paragraph would put its first baseline
        baseline = y - self.style.fontSize
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setFillColor(self.style.textColor)
        if self.style.alignment == TA_CENTER:
            canvas.drawCentredString(LEFT_MARGIN + self.width / 2, baseline, self.text)
        else:
            canvas.drawString(LEFT_MARGIN, baseline, self.text)


class _Decoration:
    """The header and footer every page shares."""

    def __init__(self, printed: Printed, size: tuple[float, float]) -> None:
        width, _ = size
        inner = width - LEFT_MARGIN - RIGHT_MARGIN
        printed_by = f"Printed by {printed.by} on {fmt_moment(printed.at)}"
        self.marking = _Line(MARKING, _MARKING, inner)
        self.title = _Line(printed.title, _HEADER, inner * 0.72)
        self.printed_by = _Line(printed_by, _FOOTER, inner * 0.75)

    def __call__(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        canvas.saveState()
        # top: marking, then the title and the service, then a rule
        self.marking.draw(canvas, height - 8 * mm)
        self.title.draw(canvas, height - 14 * mm)
        canvas.setFont(SANS, 8)
        canvas.setFillColor(GREY)
        canvas.drawRightString(width - RIGHT_MARGIN, height - 17 * mm, SERVICE)
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(0.8)
        canvas.line(LEFT_MARGIN, height - 19.5 * mm, width - RIGHT_MARGIN, height - 19.5 * mm)
        # bottom: a rule, who printed it and when (the page number is stamped at the end),
        # marking
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        canvas.line(LEFT_MARGIN, 19 * mm, width - RIGHT_MARGIN, 19 * mm)
        self.printed_by.draw(canvas, 17.6 * mm)
        self.marking.draw(canvas, 10 * mm)
        canvas.restoreState()


class _Document(BaseDocTemplate):
    def __init__(self, buffer: io.BytesIO, tracker: RowTracker | None, **kw: Any) -> None:
        super().__init__(buffer, **kw)
        self._tracker = tracker

    def afterFlowable(self, flowable: Flowable) -> None:
        if self._tracker is not None:
            self._tracker.drawn(flowable)


def build_pdf(
    printed: Printed,
    story: list[Flowable],
    *,
    wide: bool = False,
    tracker: RowTracker | None = None,
    subject: str = "",
) -> bytes:
    """Lay `story` out on A4 pages (landscape when `wide`) with the shared header and footer."""
    register_fonts()
    size = page_size(wide)
    buffer = io.BytesIO()
    doc = _Document(
        buffer,
        tracker,
        pagesize=size,
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        title=printed.title,
        author=printed.by,
        subject=subject or MARKING,
        creator="Care Leaver Tracker",
        initialFontName=SANS,
    )
    frame = Frame(
        LEFT_MARGIN,
        BOTTOM_MARGIN,
        size[0] - LEFT_MARGIN - RIGHT_MARGIN,
        size[1] - TOP_MARGIN - BOTTOM_MARGIN,
        id="body",
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate("page", [frame], onPage=_Decoration(printed, size))])
    if tracker is not None and tracker.callback is not None:
        tracker.callback(0, tracker.total)
    doc.build(story, canvasmaker=_NumberedCanvas)
    if tracker is not None and tracker.callback is not None:
        tracker.callback(tracker.total, tracker.total)
    return buffer.getvalue()
