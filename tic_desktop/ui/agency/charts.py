"""Charts drawn with QPainter: the panel's totals on one proposal (DotPlot) and the ranking of a form
(RankingChart). They draw plain values handed to them; the numbers come from core.consolidation.

DotPlot: one row per expert, the total as a dot on an axis from just below the lowest total to 100; a dropped total (trimmed mean) is
a hollow circle, an outlier is red with a ring, the final score is a vertical line. RankingChart:
one bar per proposal in rank order, coloured by conclusion, the score at the end of the bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from PySide6.QtCore import QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

AXIS_MAX = Decimal(100)
COUNTED = QColor("#1f6fb2")
OUTLIER = QColor("#c62828")
FINAL = QColor("#2e7d32")
GRID = QColor("#dddddd")
MUTED = QColor("#777777")
BAR_COLOURS = (QColor("#2e7d32"), QColor("#1f6fb2"), QColor("#ef8f00"), QColor("#c62828"), QColor("#6a1b9a"))


def _fmt(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _x(value: Decimal, left: int, width: int, lo: Decimal = Decimal(0)) -> float:
    clamped = min(max(value, lo), AXIS_MAX)
    return left + float((clamped - lo) * width / (AXIS_MAX - lo))  # a pixel position, not a score


def axis_start(values: Sequence[Decimal]) -> Decimal:
    """Where the dot plot's axis starts: the tens below the lowest total, less 10 (so that close
    totals are told apart, as the PDF's plot does), never below 0."""
    if not values:
        return Decimal(0)
    return max(Decimal(0), (min(values) // 10) * 10 - 10)


@dataclass(frozen=True)
class Dot:
    label: str
    value: Decimal
    dropped: bool = False
    outlier: bool = False


class DotPlot(QWidget):
    """The experts' totals on one proposal. `set_data(dots, final, final_label)`."""

    ROW = 26
    TOP = 34
    BOTTOM = 30

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._dots: list[Dot] = []
        self._final: Decimal | None = None
        self._final_label = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)

    def set_data(self, dots: Sequence[Dot], final: Decimal | None, final_label: str = "") -> None:
        self._dots = list(dots)
        self._final = final
        self._final_label = final_label
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def dots(self) -> list[Dot]:
        return list(self._dots)

    def final(self) -> Decimal | None:
        return self._final

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(560, self.TOP + self.BOTTOM + max(len(self._dots), 1) * self.ROW)

    def _label_width(self) -> int:
        fm = QFontMetrics(self.font())
        return max([fm.horizontalAdvance(d.label) for d in self._dots] + [40]) + 14

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = QFontMetrics(self.font())
        left = self._label_width()
        right_pad = 44
        width = max(self.width() - left - right_pad, 10)
        top, bottom = self.TOP, self.height() - self.BOTTOM
        lo = axis_start([d.value for d in self._dots] + ([self._final] if self._final is not None else []))
        # grid and axis lo–100
        for tick in range(int(lo), 101, 5 if lo >= 50 else 10):
            x = _x(Decimal(tick), left, width, lo)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(x, top - 6), QPointF(x, bottom))
            p.setPen(MUTED)
            text = str(tick)
            p.drawText(QPointF(x - fm.horizontalAdvance(text) / 2, bottom + fm.ascent() + 4), text)
        p.setPen(QPen(MUTED, 1))
        p.drawLine(QPointF(left, bottom), QPointF(left + width, bottom))
        # final score line
        if self._final is not None:
            x = _x(self._final, left, width, lo)
            p.setPen(QPen(FINAL, 2, Qt.PenStyle.DashLine))
            p.drawLine(QPointF(x, top - 8), QPointF(x, bottom))
            label = self._final_label or _fmt(self._final)
            bold = QFont(self.font())
            bold.setBold(True)
            p.setFont(bold)
            bfm = QFontMetrics(bold)
            tx = min(max(x - bfm.horizontalAdvance(label) / 2, 2), self.width() - bfm.horizontalAdvance(label) - 2)
            p.setPen(FINAL)
            p.drawText(QPointF(tx, top - 12), label)
            p.setFont(self.font())
        # one row per expert
        for i, dot in enumerate(self._dots):
            cy = top + i * self.ROW + self.ROW / 2
            p.setPen(self.palette().text().color() if not dot.dropped else MUTED)
            p.drawText(QRect(4, int(cy - self.ROW / 2), left - 10, self.ROW),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), dot.label)
            p.setPen(QPen(GRID, 1, Qt.PenStyle.DotLine))
            p.drawLine(QPointF(left, cy), QPointF(left + width, cy))
            x = _x(dot.value, left, width, lo)
            colour = OUTLIER if dot.outlier else COUNTED
            p.setPen(QPen(colour, 2))
            p.setBrush(Qt.BrushStyle.NoBrush if dot.dropped else colour)
            p.drawEllipse(QPointF(x, cy), 6, 6)
            if dot.outlier:
                p.setBrush(Qt.BrushStyle.NoBrush)
                p.setPen(QPen(OUTLIER, 1.5))
                p.drawEllipse(QPointF(x, cy), 10, 10)
            p.setPen(MUTED if dot.dropped else self.palette().text().color())
            value = _fmt(dot.value)
            tx = x + 13 if x + 13 + fm.horizontalAdvance(value) < self.width() - 2 else x - 13 - fm.horizontalAdvance(value)
            p.drawText(QPointF(tx, cy + fm.ascent() / 2 - 1), value)
        p.end()


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | None
    category: int = 0
    """Index into the bar colours (the conclusion's position in the form's conclusions)."""
    note: str = ""


class RankingChart(QWidget):
    """Final scores of a form in rank order. `set_data(bars)`."""

    ROW = 24
    TOP = 8
    BOTTOM = 26

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._bars: list[Bar] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMinimumWidth(320)

    def set_data(self, bars: Sequence[Bar]) -> None:
        self._bars = list(bars)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def bars(self) -> list[Bar]:
        return list(self._bars)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt API
        return QSize(560, self.TOP + self.BOTTOM + max(len(self._bars), 1) * self.ROW)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt API
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), self.palette().base())
        fm = QFontMetrics(self.font())
        left = min(max([fm.horizontalAdvance(b.label) for b in self._bars] + [40]) + 14, self.width() // 2)
        right_pad = 90
        width = max(self.width() - left - right_pad, 10)
        top, bottom = self.TOP, self.height() - self.BOTTOM
        for tick in range(0, 101, 20):
            x = _x(Decimal(tick), left, width)
            p.setPen(QPen(GRID, 1))
            p.drawLine(QPointF(x, top), QPointF(x, bottom))
            p.setPen(MUTED)
            p.drawText(QPointF(x - fm.horizontalAdvance(str(tick)) / 2, bottom + fm.ascent() + 4), str(tick))
        for i, bar in enumerate(self._bars):
            y = top + i * self.ROW
            p.setPen(self.palette().text().color())
            label = fm.elidedText(bar.label, Qt.TextElideMode.ElideMiddle, left - 10)
            p.drawText(QRect(4, y, left - 10, self.ROW),
                       int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter), label)
            if bar.value is None:
                p.setPen(MUTED)
                p.drawText(QPointF(left + 4, y + self.ROW / 2 + fm.ascent() / 2 - 1), "—")
                continue
            end = _x(bar.value, left, width)
            colour = BAR_COLOURS[bar.category % len(BAR_COLOURS)]
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(QRectF(left, y + 4, end - left, self.ROW - 8), 2, 2)
            p.setPen(self.palette().text().color())
            text = format(bar.value, "f") + (f"  {bar.note}" if bar.note else "")  # as in the table
            p.drawText(QPointF(end + 6, y + self.ROW / 2 + fm.ascent() / 2 - 1), text)
        p.end()
