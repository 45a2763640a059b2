"""How a row of the proposal list fits the narrow list: the center's name on at most two lines, its
field and status on one (the full name is the row's tooltip)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont, QFontMetrics, QTextLayout, QTextOption


def name_lines(name: str, font: QFont, width: int) -> list[str]:
    """The center's name as the list shows it in `width` pixels of `font`: one line when it fits, else two —
    the first broken where the text stops fitting (anywhere in Chinese, at a space in Latin text when it
    can), the second elided in the middle so the name's end (…技术创新中心) stays visible. The full name is
    the row's tooltip."""
    fm = QFontMetrics(font)
    if width <= 0 or fm.horizontalAdvance(name) <= width:
        return [name]
    layout = QTextLayout(name, font)
    option = QTextOption()
    option.setWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
    layout.setTextOption(option)
    layout.beginLayout()
    line = layout.createLine()
    line.setLineWidth(width)
    cut = max(1, line.textLength())
    layout.endLayout()
    first, rest = name[:cut].rstrip(), name[cut:].lstrip()
    return [first, fm.elidedText(rest, Qt.TextElideMode.ElideMiddle, width)] if rest else [first]


def status_line(field: str, status: str, font: QFont, width: int) -> str:
    """The row's second line, "field · status": when it is too long the field is shortened, never the
    status (the word the expert scans the list for)."""
    fm = QFontMetrics(font)
    tail = f" · {status}"
    room = width - fm.horizontalAdvance(tail)
    if room < fm.horizontalAdvance("…") * 2:
        return fm.elidedText(f"{field}{tail}", Qt.TextElideMode.ElideLeft, width)
    return fm.elidedText(field, Qt.TextElideMode.ElideRight, room) + tail
