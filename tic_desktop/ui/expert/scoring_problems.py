"""ProblemList: the scoring form's to-do list under its fields.

A heading (the sheet is complete, or how many things are left) and the problems `core.scoring`
found, each item carrying its `Problem` (the ScoringForm focuses its field on a click or Enter).
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from tic_desktop.core.scoring import Problem
from tic_desktop.ui.expert.scoring_content import restyle


class ProblemList(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.heading = QLabel(self)
        self.heading.setObjectName("problemHeading")
        self.list = QListWidget(self)
        self.list.setObjectName("problemList")
        self.list.setAccessibleName(self.tr("待完成事项"))
        # four lines: the form itself keeps the room on a small screen; the list scrolls
        self.list.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self.list.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 8)
        layout.setSpacing(4)
        layout.addWidget(self.heading)
        layout.addWidget(self.list)

    def show_problems(self, problems: Sequence[Problem], lang: str) -> None:
        self.list.clear()
        for problem in problems:
            item = QListWidgetItem(problem.text(lang))
            item.setData(Qt.ItemDataRole.UserRole, problem)
            self.list.addItem(item)
        complete = not problems
        if complete:
            self.heading.setText(self.tr("✔ 评分表已填写完整"))
        else:
            self.heading.setText(self.tr("尚有 {count} 项待完成（点击定位）").format(count=len(problems)))
        restyle(self.heading, "complete", complete)
        self.list.setVisible(not complete)

    def texts(self) -> list[str]:
        return [self.list.item(i).text() for i in range(self.list.count())]
