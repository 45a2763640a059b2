"""The row a page shows while its background job runs — what it is doing, a progress bar and 取消 —
and the page's two tables one above the other (导入评分表 and 纸质核对: the log or checklist above,
the sheet versions or the pages that need a person below).

`ProgressRow.start(text)` shows the row with a bar that has no end yet and clears `cancelled`
(the `threading.Event` the job polls); `set_progress(done, total, text)` moves the bar;
`set_busy(False)` hides the row. 取消 sets `cancelled`; with `say_cancelling` the row also says
正在取消… and the button is disabled until the job ends.
"""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLayout,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)


class ProgressRow(QWidget):
    def __init__(self, parent: QWidget | None = None, *, say_cancelling: bool = False) -> None:
        super().__init__(parent)
        self.say_cancelling = say_cancelling
        self.cancelled = threading.Event()
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.label = QLabel()
        self.bar = QProgressBar()
        self.cancelButton = QPushButton(self.tr("取消"))
        row.addWidget(self.label)
        row.addWidget(self.bar, 1)
        row.addWidget(self.cancelButton)
        self.cancelButton.clicked.connect(self.cancel)

    def start(self, text: str) -> None:
        """A job starts: the row shown, the bar without an end, 取消 not yet pressed."""
        self.cancelled.clear()
        self.set_busy(True)
        self.bar.setRange(0, 0)
        self.label.setText(text)

    def set_busy(self, busy: bool) -> None:
        for w in (self.bar, self.label, self.cancelButton, self):
            w.setVisible(busy)
        self.cancelButton.setEnabled(busy)

    def set_progress(self, done: int, total: int, text: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.label.setText(text)

    def cancel(self) -> None:
        self.cancelled.set()
        if self.say_cancelling:
            self.label.setText(self.tr("正在取消…"))
            self.cancelButton.setEnabled(False)


def stacked_tables(top: tuple[str | QLayout, QWidget], bottom: tuple[str | QLayout, QWidget]) -> QSplitter:
    """Two tables one above the other in a splitter (3 : 2), each under its title (a label's text,
    or a row of its own: a title with a filter beside it)."""
    split = QSplitter(Qt.Orientation.Vertical)
    for title, table in (top, bottom):
        part = QWidget()
        v = QVBoxLayout(part)
        v.setContentsMargins(0, 0, 0, 0)
        if isinstance(title, str):
            v.addWidget(QLabel(title))
        else:
            v.addLayout(title)
        v.addWidget(table)
        split.addWidget(part)
    split.setStretchFactor(0, 3)
    split.setStretchFactor(1, 2)
    return split
