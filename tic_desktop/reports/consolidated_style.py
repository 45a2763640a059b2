"""The consolidated report's look: its colours and marks, paragraph styles, grid style and text blocks
(headings, body, notes), shared by `reports.consolidated_pdf` and `reports.consolidated_proposal`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, TableStyle

from tic_desktop.reports.flowables import TextLines
from tic_desktop.reports.qr import GRID, styles

DROPPED_BG = colors.HexColor("#E4E4E4")
DROPPED_INK = colors.HexColor("#777777")
RED = colors.HexColor("#C62828")
NOTE_INK = colors.HexColor("#333333")
SUBTITLE_INK = colors.HexColor("#444444")
RULE = colors.HexColor("#999999")
DROPPED_MARK = {"highest": "〔去高〕", "lowest": "〔去低〕"}
ITEMWISE_ZH = "逐项平均后求和"
METHOD_ZH = {"trimmed_mean": "去掉最高、最低分后平均", "mean": "有效总分平均", "median": "有效总分的中位数"}
# flags printed in their own blocks (vetoes, 回避 / 未提交) rather than in the 提示 list
OWN_BLOCK_FLAGS = ("veto.", "experts.conflicted", "sheets.missing")


def fmt(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def yuan(value: Decimal) -> str:
    return f"{format(value, ',f')} 元"


class Styles:
    def __init__(self) -> None:
        base = styles()
        f = base.font
        self.base = base
        self.font = f
        self.cover_title = ParagraphStyle("ctitle", fontName=f, fontSize=20, leading=28, alignment=1, spaceAfter=4 * mm)
        self.cover_sub = ParagraphStyle("csub", fontName=f, fontSize=14, leading=20, alignment=1, spaceAfter=10 * mm)
        self.body = base.body
        self.cell = ParagraphStyle("cell", fontName=f, fontSize=8, leading=10)
        self.note = ParagraphStyle("note", fontName=f, fontSize=8.5, leading=12, textColor=NOTE_INK)


def para(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


_GRID_CMDS: list[tuple[Any, ...]] = [
    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 1.8),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
]


def grid_style(font: str, size: float, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), size),
                       ("LEADING", (0, 0), (-1, -1), size + 2), *_GRID_CMDS, *extra])


def h1(text: str, font: str, keep: float = 0, anchors: Sequence[tuple[str, str, int]] = ()) -> TextLines:
    return TextLines([text], font, 14, 19, after=2 * mm, keep=keep, anchors=anchors)


def h2(text: str, font: str, keep: float = 0) -> list[Flowable]:
    """A section heading; `keep`: the height of what must follow it on the same page."""
    return [TextLines([text], font, 11, 15, before=3 * mm, after=1.5 * mm, keep=keep)]


def body_text(paras: Sequence[str], font: str, indent: float = 0) -> TextLines:
    return TextLines(paras, font, 9.5, 13.5, indent)


def note_text(text: str, font: str) -> TextLines:
    return TextLines([text], font, 8.5, 12, ink=NOTE_INK)
