"""A word-wrapped label that shows at most a few lines, the last one elided (“…”), the whole text in its
tooltip: a long heading (the English score-sheet title wrapped to five lines in a narrow panel) keeps
the room below it for the content on a small screen."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QTextLayout
from PySide6.QtWidgets import QLabel, QWidget


class LinesLabel(QLabel):
    """QLabel with word wrap and at most ``max_lines`` lines; text() gives the whole text."""

    def __init__(self, parent: QWidget | None = None, max_lines: int = 2) -> None:
        super().__init__(parent)
        self._full = ""
        self._tip = ""
        self._max_lines = max_lines
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt API
        self._full = text
        self.setAccessibleName(text)
        self._fit()

    def text(self) -> str:
        return self._full

    def setToolTip(self, tip: str) -> None:  # noqa: N802 - Qt API
        self._tip = tip
        self._fit()

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt API
        margins = self.contentsMargins()
        cap = self.fontMetrics().lineSpacing() * self._max_lines + margins.top() + margins.bottom()
        return min(super().heightForWidth(width), cap)

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._fit()

    def _lines(self, width: int) -> list[str]:
        layout = QTextLayout(self._full, self.font())
        layout.beginLayout()
        lines = []
        while True:
            line = layout.createLine()
            if not line.isValid():
                break
            line.setLineWidth(width)
            lines.append(self._full[line.textStart():line.textStart() + line.textLength()])
        layout.endLayout()
        return lines

    def _fit(self) -> None:
        self.ensurePolished()
        width = self.contentsRect().width()
        shown = self._full
        if width > 0 and self._full:
            lines = self._lines(width)
            if len(lines) > self._max_lines:
                keep = self._max_lines - 1
                rest = "".join(lines[keep:]).strip()
                last = self.fontMetrics().elidedText(rest, Qt.TextElideMode.ElideRight, width - 2)
                shown = "\n".join([*(line.rstrip() for line in lines[:keep]), last])
        elided = shown != self._full
        tip = "\n\n".join(part for part in (self._full if elided else "", self._tip) if part)
        super().setToolTip(tip)
        if super().text() != shown:
            super().setText(shown)
