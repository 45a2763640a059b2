"""What a widget behind another tab (or page) may leave for later: filling it while it cannot be
seen only delays the screen that can. A widget of a window that is not shown (a test, a dialog
being built) is never deferred."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def off_screen(widget: QWidget) -> bool:
    """True while `widget` is hidden inside a window on screen (a tab behind the current one)."""
    return widget.window().isVisible() and not widget.isVisible()
