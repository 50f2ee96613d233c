"""Long tabular sheets (sign-in sheets, lists to print) drawn with reportlab.

WeasyPrint stays for documents of a few pages; for a table of a thousand rows its automatic
table layout and per-cell cascade cost seconds, whatever the CSS. Here a sheet is laid out in
two passes on reportlab's canvas: first every row's height (cells wrap on word boundaries) and
the page breaks, then the drawing, so "Page n / N" is known when each page is drawn. The table
header is repeated on every page; a row never breaks across pages.

Pure Python and reportlab: no nameko, no database. `render_sheet(Sheet(...)) -> bytes`."""
from __future__ import annotations

from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from reportlab.lib.pagesizes import A4, landscape, portrait
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

_FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
_fonts: tuple[str, str] | None = None


def fonts() -> tuple[str, str]:
    """(regular, bold): DejaVu Sans when installed (every Unicode name prints), else the PDF
    standard Helvetica (Latin-1 only)."""
    global _fonts
    if _fonts is None:
        _fonts = ("Helvetica", "Helvetica-Bold")
        for folder in _FONT_DIRS:
            regular, bold = folder / "DejaVuSans.ttf", folder / "DejaVuSans-Bold.ttf"
            if regular.exists() and bold.exists():
                pdfmetrics.registerFont(TTFont("DejaVuSans", str(regular)))
                pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", str(bold)))
                _fonts = ("DejaVuSans", "DejaVuSans-Bold")
                break
    return _fonts


@dataclass
class Column:
    title: str
    width: float                 # a share of the table's width (the shares are normalised)
    align: str = "left"          # "left" or "right"


@dataclass
class Sheet:
    title: str
    columns: list[Column]
    rows: list[list[str]]
    # heading -> lines, drawn side by side under the title on the first page
    meta: list[tuple[str, list[str]]] = field(default_factory=list)
    # row indexes drawn greyed and struck through (e.g. cancelled sub-orders)
    struck: set[int] = field(default_factory=set)
    # row index -> a heading drawn across the table above that row (e.g. one per publisher),
    # kept on the page of its first row
    sections: dict[int, str] = field(default_factory=dict)
    # row indexes drawn in bold (e.g. subtotals)
    bold: set[int] = field(default_factory=set)
    summary_title: str = ""
    summary: list[str] = field(default_factory=list)
    orientation: str = "landscape"
    font_size: float = 8.0
    author: str = ""


MARGIN_X, MARGIN_TOP, MARGIN_BOTTOM = 10 * mm, 12 * mm, 14 * mm
PAD_X, PAD_Y = 1.5 * mm, 1.1 * mm


def _wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` that fit `width` (words kept whole when they fit, cut when they don't:
    after a hyphen when there is one, « d'Auvergne- / Lauraguais »)."""
    lines = []
    for paragraph in (text or "").split("\n"):
        if pdfmetrics.stringWidth(paragraph, font, size) <= width:
            lines.append(paragraph)
            continue
        line = ""
        for word in paragraph.split(" "):
            candidate = f"{line} {word}" if line else word
            if pdfmetrics.stringWidth(candidate, font, size) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            while pdfmetrics.stringWidth(word, font, size) > width and len(word) > 1:
                cut = len(word) - 1
                while cut > 1 and pdfmetrics.stringWidth(word[:cut], font, size) > width:
                    cut = max(1, int(cut * 0.8)) if cut > 8 else cut - 1
                while cut < len(word) - 1 and pdfmetrics.stringWidth(
                        word[:cut + 1], font, size) <= width:
                    cut += 1  # as much as fits
                # a compound name breaks at its hyphen, an e-mail address after its « @ »
                # (« approbateur@victorprouve.or / g » was cut inside the domain)
                hyphen = max(word.rfind("-", 1, cut), word.rfind("@", 1, cut))
                if hyphen > 0:
                    cut = hyphen + 1
                lines.append(word[:cut])
                word = word[cut:]
            line = word
        lines.append(line)
    return lines or [""]


def wrap(text: str, font: str, size: float, width: float) -> list[str]:
    """Lines of `text` that fit `width` points in `font` at `size` (for text drawn beside a
    sheet, e.g. services.common.order_pdf's heading blocks)."""
    return _wrap(text, font, size, width)


class _Layout:
    def __init__(self, sheet: Sheet):
        self.sheet = sheet
        self.font, self.bold = fonts()
        self.size = sheet.font_size
        self.leading = self.size * 1.22
        self.page_w, self.page_h = (landscape(A4) if sheet.orientation == "landscape"
                                    else portrait(A4))
        self.table_w = self.page_w - 2 * MARGIN_X
        total = sum(c.width for c in sheet.columns)
        self.widths = [self.table_w * c.width / total for c in sheet.columns]
        self.header_lines = [_wrap(c.title, self.bold, self.size, w - 2 * PAD_X)
                             for c, w in zip(sheet.columns, self.widths)]
        self.header_h = max(len(ls) for ls in self.header_lines) * self.leading + 2 * PAD_Y

    def cells(self, row: list[str]) -> list[list[str]]:
        return [_wrap(str(value), self.font, self.size, w - 2 * PAD_X)
                for value, w in zip(row, self.widths)]

    def meta_height(self) -> float:
        if not self.sheet.meta:
            return 0
        return max(len(lines) + 1 for _, lines in self.sheet.meta) * self.leading * 1.05 + 3 * mm

    def summary_height(self) -> float:
        if not self.sheet.summary:
            return 0
        return (len(self.sheet.summary) + 1) * self.leading * 1.3 + 6 * mm


def render_sheet(sheet: Sheet) -> bytes:
    lay = _Layout(sheet)
    top = lay.page_h - MARGIN_TOP
    bottom = MARGIN_BOTTOM
    first_top = top - 15 - 3 * mm - lay.meta_height()

    # pass 1: every row's lines and the page each row falls on
    pages: list[list[tuple[int, list[list[str]], float]]] = [[]]
    y = first_top - lay.header_h
    section_h = lay.leading * 1.3 + 2 * PAD_Y
    for i, row in enumerate(sheet.rows):
        cells = lay.cells(row)
        h = max(len(c) for c in cells) * lay.leading + 2 * PAD_Y
        extra = section_h if i in sheet.sections else 0
        if y - h - extra < bottom and pages[-1]:
            pages.append([])
            y = top - lay.header_h
        pages[-1].append((i, cells, h))
        y -= h + extra
    summary_on_new_page = y - lay.summary_height() < bottom
    total_pages = len(pages) + (1 if summary_on_new_page and sheet.summary else 0)

    # pass 2: draw
    out = BytesIO()
    canvas = Canvas(out, pagesize=(lay.page_w, lay.page_h), pageCompression=1)
    canvas.setTitle(sheet.title)
    if sheet.author:
        canvas.setAuthor(sheet.author)
    for number, rows in enumerate(pages, start=1):
        y = top
        if number == 1:
            y = _draw_heading(canvas, lay, y)
        y = _draw_header(canvas, lay, y)
        for index, cells, h in rows:
            if index in sheet.sections:
                y = _draw_section(canvas, lay, y, sheet.sections[index], section_h)
            _draw_row(canvas, lay, y, cells, h, struck=index in sheet.struck,
                      bold=index in sheet.bold)
            y -= h
        if number == len(pages) and sheet.summary and not summary_on_new_page:
            _draw_summary(canvas, lay, y - 4 * mm)
        _draw_footer(canvas, lay, number, total_pages)
        canvas.showPage()
    if sheet.summary and summary_on_new_page:
        _draw_summary(canvas, lay, top)
        _draw_footer(canvas, lay, total_pages, total_pages)
        canvas.showPage()
    canvas.save()
    return out.getvalue()


def _one_line(text: str, font: str, size: float, width: float) -> str:
    """`text` on one line of `width`: as it is when it fits, else cut and ended with « … » (a
    long title cut at a word looked like the whole title)."""
    wrapped = _wrap(text, font, size, width)
    if len(wrapped) <= 1:
        return wrapped[0] if wrapped else ""
    head = wrapped[0].rstrip()
    while head and pdfmetrics.stringWidth(head + " …", font, size) > width:
        head = head[:-1].rstrip()
    return head + " …"


def _draw_heading(canvas, lay: _Layout, y: float) -> float:
    canvas.setFont(lay.bold, 12)
    canvas.drawString(MARGIN_X, y - 12, lay.sheet.title)
    y -= 15 + 3 * mm
    if lay.sheet.meta:
        block_w = lay.table_w / len(lay.sheet.meta)
        for k, (heading, lines) in enumerate(lay.sheet.meta):
            x = MARGIN_X + k * block_w
            canvas.setFont(lay.bold, lay.size)
            canvas.drawString(x, y - lay.size, heading)
            canvas.setFont(lay.font, lay.size)
            for j, line in enumerate(lines, start=1):
                text = _one_line(line, lay.font, lay.size, block_w - 4 * mm)
                canvas.drawString(x, y - lay.size - j * lay.leading * 1.05, text)
        y -= lay.meta_height()
    return y


def _draw_header(canvas, lay: _Layout, y: float) -> float:
    h = lay.header_h
    canvas.setFillGray(0.91)
    canvas.rect(MARGIN_X, y - h, lay.table_w, h, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.setFont(lay.bold, lay.size)
    _grid(canvas, lay, y, h)
    x = MARGIN_X
    for lines, w in zip(lay.header_lines, lay.widths):
        for j, line in enumerate(lines):
            canvas.drawString(x + PAD_X, y - PAD_Y - lay.size - j * lay.leading + 1, line)
        x += w
    return y - h


def _draw_section(canvas, lay: _Layout, y: float, heading: str, h: float) -> float:
    canvas.setFillGray(0.82)
    canvas.rect(MARGIN_X, y - h, lay.table_w, h, stroke=0, fill=1)
    canvas.setFillGray(0)
    canvas.setFont(lay.bold, lay.size + 1)
    text = _wrap(heading, lay.bold, lay.size + 1, lay.table_w - 2 * PAD_X)[0]
    canvas.drawString(MARGIN_X + PAD_X, y - PAD_Y - lay.size - 1, text)
    return y - h


def _draw_row(canvas, lay: _Layout, y: float, cells, h: float, struck: bool,
              bold: bool = False):
    _grid(canvas, lay, y, h)
    canvas.setFont(lay.bold if bold else lay.font, lay.size)
    if struck:
        canvas.setFillGray(0.45)
    x = MARGIN_X
    for lines, w, column in zip(cells, lay.widths, lay.sheet.columns):
        for j, line in enumerate(lines):
            baseline = y - PAD_Y - lay.size - j * lay.leading + 1
            if column.align == "right":
                canvas.drawRightString(x + w - PAD_X, baseline, line)
            else:
                canvas.drawString(x + PAD_X, baseline, line)
        x += w
    if struck:
        canvas.setStrokeGray(0.45)
        canvas.line(MARGIN_X + PAD_X, y - h / 2, MARGIN_X + lay.table_w - lay.widths[-1] - PAD_X,
                    y - h / 2)
        canvas.setStrokeGray(0)
        canvas.setFillGray(0)


def _grid(canvas, lay: _Layout, y: float, h: float):
    canvas.setLineWidth(0.3)
    canvas.setStrokeGray(0.45)
    canvas.rect(MARGIN_X, y - h, lay.table_w, h, stroke=1, fill=0)
    x = MARGIN_X
    for w in lay.widths[:-1]:
        x += w
        canvas.line(x, y, x, y - h)
    canvas.setStrokeGray(0)


def _draw_summary(canvas, lay: _Layout, y: float):
    canvas.setFont(lay.bold, lay.size + 1.5)
    canvas.drawString(MARGIN_X, y - lay.size - 2, lay.sheet.summary_title)
    canvas.setFont(lay.font, lay.size)
    for j, line in enumerate(lay.sheet.summary, start=1):
        canvas.drawString(MARGIN_X, y - lay.size - 2 - j * lay.leading * 1.3, line)


def _draw_footer(canvas, lay: _Layout, number: int, total: int):
    canvas.setFont(lay.font, 7.5)
    canvas.drawRightString(lay.page_w - MARGIN_X, MARGIN_BOTTOM / 2,
                           f"Page {number} / {total}")
    canvas.drawString(MARGIN_X, MARGIN_BOTTOM / 2, lay.sheet.title)
