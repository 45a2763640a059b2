"""What a widget behind another tab (or page) may leave for later: filling it while it cannot be
seen only delays the screen that can. A widget of a window that is not shown (a test, a dialog
being built) is never deferred. `FillWhenShown` is that rule for a panel filled from one value."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QWidget


def off_screen(widget: QWidget) -> bool:
    """True while `widget` is hidden inside a window on screen (a tab behind the current one)."""
    return widget.window().isVisible() and not widget.isVisible()


class FillWhenShown:
    """A panel (a QWidget subclass listing this first) whose content may wait until it is seen:
    `show_later(value)` fills it at once when it can be seen, else when it is first shown; the panel
    implements `fill(value)`. Only the newest value waits."""

    _waiting: Any = None

    def show_later(self, value: Any) -> None:
        self._waiting = value
        if not off_screen(self):  # type: ignore[arg-type]
            self.fill_waiting()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        self.fill_waiting()
        super().showEvent(event)  # type: ignore[misc]

    def fill_waiting(self) -> None:
        """Fill with the waiting value now, if any (before reading what the panel shows)."""
        value, self._waiting = self._waiting, None
        if value is not None:
            self.fill(value)

    def fill(self, value: Any) -> None:
        raise NotImplementedError
