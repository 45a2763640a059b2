"""The score sheet's own field widgets: a multi-line text field and a choice field that commit like a
line edit (editingFinished), and a radio button whose arrow keys stay in its group.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QComboBox, QPlainTextEdit, QRadioButton, QScrollArea, QWidget


class TextField(QPlainTextEdit):
    """A multi-line field that commits like a line edit: when it loses focus. Tab leaves it."""

    editingFinished = Signal()  # noqa: N815 - named like QLineEdit's

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTabChangesFocus(True)
        self.setFixedHeight(76)

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusOutEvent(event)
        self.editingFinished.emit()


class ChoiceField(QComboBox):
    """A `choice` overall field (撤并转建议): an empty first entry, then the form's options; the
    value is the option's code. Commits like a line edit (editingFinished) on every change."""

    editingFinished = Signal()  # noqa: N815 - named like QLineEdit's

    def __init__(self, options: Any, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.addItem("", "")
        for option in options:
            self.addItem(option.label.get(lang), option.code)
        self._read_only = False
        self.currentIndexChanged.connect(lambda _i: self.editingFinished.emit())

    def text(self) -> str:
        return str(self.currentData() or "")

    def setText(self, code: str) -> None:  # noqa: N802 - named like QLineEdit's
        self.blockSignals(True)
        self.setCurrentIndex(max(0, self.findData(code)))
        self.blockSignals(False)

    def setReadOnly(self, read_only: bool) -> None:  # noqa: N802 - named like QLineEdit's
        self._read_only = read_only
        self.setEnabled(not read_only)

    def isReadOnly(self) -> bool:  # noqa: N802 - named like QLineEdit's
        return self._read_only


class FormRadio(QRadioButton):
    """A radio button of the form whose arrow keys stay in its group: Qt passes an arrow with no
    button that way on to the scroll area, which scrolled the focused button out of sight (issue 17:
    arrow keys in an empty radio group moved an invisible focus). In a group laid out in one row
    (是/否), Up and Down move like Left and Right; the focused button is kept in view."""

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        key = event.key()
        if key not in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right):
            super().keyPressEvent(event)
            return
        group = self.group()
        buttons = [b for b in (group.buttons() if group is not None else [self]) if b.isVisible() and b.isEnabled()]
        one_row = len({b.y() for b in buttons}) == 1
        if one_row and key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            key = Qt.Key.Key_Left if key == Qt.Key.Key_Up else Qt.Key.Key_Right
        buttons.sort(key=lambda b: (b.x(), b.y()) if one_row else (b.y(), b.x()))
        step = -1 if key in (Qt.Key.Key_Up, Qt.Key.Key_Left) else 1
        index = buttons.index(self) + step if self in buttons else -1
        if 0 <= index < len(buttons):
            target = buttons[index]
            if self.isChecked() and group is not None and group.exclusive():
                target.click()  # as Qt does: in a group with an answer, the arrow moves the answer
            target.setFocus(Qt.FocusReason.TabFocusReason if step > 0 else Qt.FocusReason.BacktabFocusReason)
        event.accept()  # never on to the scroll area

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        super().focusInEvent(event)
        area = self.parentWidget()
        while area is not None and not isinstance(area, QScrollArea):
            area = area.parentWidget()
        if area is not None:
            area.ensureWidgetVisible(self, 20, 20)
