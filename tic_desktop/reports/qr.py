"""Shared pieces of the printed forms: styles, the QR code flowable, check boxes, page x/y footer.

Used by the score sheet, the pledge and the key enrolment sheet (reportlab, A4, the bundled
embedded font from `reports.fonts`).
"""

from __future__ import annotations

import functools
import io
import itertools
from collections.abc import Callable, Sequence
from typing import Any
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import Flowable, Paragraph, SimpleDocTemplate

from tic_desktop.reports.fonts import register_fonts

BOX_ON = "■"
BOX_OFF = "□"
GRID = colors.HexColor("#333333")
SHADE = colors.HexColor("#EDEDED")
MARGIN = 16 * mm


class Styles:
    def __init__(self) -> None:
        font = register_fonts()
        self.font = font
        self.title = ParagraphStyle("title", fontName=font, fontSize=16, leading=22, alignment=TA_CENTER,
                                    spaceAfter=2 * mm)
        self.subtitle = ParagraphStyle("subtitle", fontName=font, fontSize=10, leading=14, alignment=TA_CENTER,
                                       textColor=colors.HexColor("#444444"), spaceAfter=3 * mm)
        self.body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=13.5)
        self.text = ParagraphStyle("text", fontName=font, fontSize=10.5, leading=17, firstLineIndent=21)
        self.small = ParagraphStyle("small", fontName=font, fontSize=8, leading=10.5)
        self.tiny = ParagraphStyle("tiny", fontName=font, fontSize=7, leading=9, textColor=colors.HexColor("#444444"))
        self.cell_c = ParagraphStyle("cellc", fontName=font, fontSize=9.5, leading=12.5, alignment=TA_CENTER)
        self.cell_r = ParagraphStyle("cellr", fontName=font, fontSize=9.5, leading=12.5, alignment=TA_RIGHT)
        self.head = ParagraphStyle("head", fontName=font, fontSize=9.5, leading=12.5, alignment=TA_CENTER)
        self.section = ParagraphStyle("section", fontName=font, fontSize=11, leading=16, spaceBefore=3 * mm,
                                      spaceAfter=1.5 * mm)
        self.big = ParagraphStyle("big", fontName=font, fontSize=15, leading=19, alignment=TA_CENTER)


_styles: Styles | None = None


def styles() -> Styles:
    global _styles
    if _styles is None:
        _styles = Styles()
    return _styles


def para(text: str, style: ParagraphStyle) -> Paragraph:
    """A paragraph of plain text (escaped; newlines kept)."""
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def boxes(options: Sequence[tuple[str, bool]], sep: str = "　") -> str:
    """Tick boxes as text: "是■　否□"."""
    return sep.join(f"{label}{BOX_ON if on else BOX_OFF}" for label, on in options)


@functools.lru_cache(maxsize=32)
def qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix of `text` (error correction M), as reportlab's QrCodeWidget computes it."""
    widget = QrCodeWidget(text, barLevel="M")
    widget.qr.make()
    return tuple(tuple(bool(v) for v in row) for row in widget.qr.modules)


class QrFlowable(Flowable):
    """A QR code drawn straight onto the canvas as filled runs (much faster than the widget's shapes).

    The matrix comes from reportlab's own encoder (`QrCodeWidget`), with a 4-module quiet zone."""

    BORDER = 4

    def __init__(self, text: str, size: float) -> None:
        super().__init__()
        self.text = text
        self.size = size
        self.width = self.height = size

    def draw(self) -> None:
        draw_modules(self.canv, qr_modules(self.text), 0, 0, self.size, self.BORDER)


def draw_modules(c: Any, modules: Sequence[Sequence[bool]], x0: float, y0: float, size: float,
                 border: int = 4) -> None:
    """Draw a QR module matrix with its lower left corner at (x0, y0), `size` wide and high including
    a quiet zone of `border` modules, as filled runs."""
    n = len(modules)
    box = size / (n + 2 * border)
    c.saveState()
    c.setFillColor(colors.black)
    path = c.beginPath()
    for r, row in enumerate(modules):
        x = 0
        for dark, run in itertools.groupby(row):
            count = len(list(run))
            if dark:
                path.rect(x0 + (x + border) * box, y0 + size - (r + border + 1) * box, count * box, box)
            x += count
    c.drawPath(path, stroke=0, fill=1)
    c.restoreState()


@functools.lru_cache(maxsize=256)
def page_qr_modules(text: str) -> tuple[tuple[bool, ...], ...]:
    """The module matrix of `text` (error correction M) by zxing-cpp's encoder: ~0.3 ms against ~8 ms
    for reportlab's, which matters with one code per printed page."""
    import zxingcpp  # noqa: PLC0415 - only the printed sheets need it

    image = zxingcpp.create_barcode(text, zxingcpp.BarcodeFormat.QRCode, ec_level="M").to_image(
        scale=1, add_quiet_zones=False)
    view = memoryview(image)
    rows, cols = view.shape[0], view.shape[1]
    data = view.tobytes()
    return tuple(tuple(data[r * cols + i] == 0 for i in range(cols)) for r in range(rows))


def qr_drawing(text: str, size: float = 30 * mm) -> QrFlowable:
    """A QR code of `text`, `size` wide and high, quiet zone included."""
    return QrFlowable(text, size)


def numbered_canvas(footer: Callable[[Any, int, int], None]) -> type[rl_canvas.Canvas]:
    """A canvas class that knows the page count, so `footer(canvas, page, pages)` can print "第 x 页 / 共 y 页"."""

    class NumberedCanvas(rl_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._saved: list[dict[str, Any]] = []

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._saved)
            for state in self._saved:
                self.__dict__.update(state)
                footer(self, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def build_pdf(story: list[Any], footer: Callable[[Any, int, int], None], *, title: str, author: str = "",
              subject: str = "", bottom_margin: float = 18 * mm) -> bytes:
    """An A4 PDF of `story` with `footer` on every page; reproducible (reportlab invariant mode)."""
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm, bottomMargin=bottom_margin,
        title=title, author=author, subject=subject, creator="TIC Desktop", invariant=1,
        initialFontName=styles().font,
    )
    doc.build(story, canvasmaker=numbered_canvas(footer))
    return buf.getvalue()


PAGE_QR_MODULE = 0.5 * mm
"""A page code's module: 3.9 pixels at 200 dpi, read back after a grey office scan."""
PAGE_QR_MAX = 22 * mm
PAGE_QR_BOTTOM = 3 * mm
PAGE_QR_MARGIN = PAGE_QR_BOTTOM + PAGE_QR_MAX + 1 * mm
"""The bottom margin of a document with page codes."""


def page_qr_size(text: str, max_size: float = PAGE_QR_MAX) -> float:
    """The printed size of a page code (quiet zone included): 0.5 mm modules, at most `max_size` (22 mm)."""
    return min(max_size, (len(page_qr_modules(text)) + 8) * PAGE_QR_MODULE)


def footer_painter(left: str, right_extra: str = "", *, page_code: Callable[[int, int], str] | None = None,
                   code_max: float = PAGE_QR_MAX) -> Callable[[Any, int, int], None]:
    """The footer: a rule, `left`, "第 x 页 / 共 y 页"; with `page_code(page, pages)` also that page's QR
    code in the lower right corner, `page_qr_size(code, code_max)` wide (the rule and the text end beside
    it; `build_pdf(bottom_margin=)` must leave room: that size + 4 mm)."""
    font = styles().font

    def paint(c: Any, page: int, pages: int) -> None:
        c.saveState()
        width, _ = A4
        right = width - MARGIN
        if page_code is not None:
            text = page_code(page, pages)
            size = page_qr_size(text, code_max)
            border = 4
            quiet = size * border / (len(page_qr_modules(text)) + 2 * border)
            # the dark modules end on the right margin; the quiet zone reaches into it
            draw_modules(c, page_qr_modules(text), right + quiet - size, PAGE_QR_BOTTOM, size, border)
            right = right + quiet - size - 1 * mm
        c.setStrokeColor(colors.HexColor("#999999"))
        c.setLineWidth(0.4)
        c.line(MARGIN, 13 * mm, right, 13 * mm)
        c.setFont(font, 7.5)
        c.setFillColor(colors.HexColor("#444444"))
        c.drawString(MARGIN, 9 * mm, left)
        c.drawRightString(right, 9 * mm, f"{right_extra}第 {page} 页 / 共 {pages} 页")
        c.restoreState()

    return paint
