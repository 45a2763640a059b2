"""Windows and dialogs that fit the screen they open on (a 1366×768 laptop at 125% is the common case).

- `place_window(window)`: a main window opens at its preferred size, centred, when that fits the
  available screen area (the screen minus the taskbar) with room for the title bar; otherwise it
  opens maximised.
- `fit_on_show(dialog)`: whenever the dialog is shown it is shrunk to the available area (with room
  for its title bar) and moved back on screen. Dialogs keep their own minimum sizes small (scroll
  areas inside, buttons outside them), so shrinking never clips. (A filter on each dialog rather
  than one on the application: an application filter would run Python for every event.)
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

PREFERRED = QSize(1280, 800)
TITLE_BAR = 32
"""Room left above a window for its title bar (the offscreen and X11 test platforms draw none)."""
EDGE = 8


def available(widget: QWidget | None = None) -> QRect:
    """The available area (logical pixels) of the screen `widget` is on, or of the primary screen."""
    screen: QScreen | None = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry() if screen is not None else QRect(0, 0, 1280, 800)


def usable_size(widget: QWidget | None = None) -> QSize:
    """The largest client size of a top-level window that still fits with its title bar and edges."""
    area = available(widget)
    return QSize(max(320, area.width() - 2 * EDGE), max(240, area.height() - TITLE_BAR - 2 * EDGE))


def is_small_screen(widget: QWidget | None = None, preferred: QSize = PREFERRED) -> bool:
    room = usable_size(widget)
    return preferred.width() > room.width() or preferred.height() > room.height()


def place_window(window: QWidget, preferred: QSize = PREFERRED) -> None:
    """Size a main window for the screen it opens on: preferred and centred, or maximised."""
    area = available(window)
    room = usable_size(window)
    size = preferred.boundedTo(room)
    window.resize(size)
    window.move(area.x() + (area.width() - size.width()) // 2,
                area.y() + TITLE_BAR + max(0, (area.height() - TITLE_BAR - size.height()) // 2))
    if is_small_screen(window, preferred):
        window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)


def fit_dialog(dialog: QWidget) -> None:
    """Shrink a dialog to the available area and move it on screen (see the module docstring)."""
    room = usable_size(dialog.parentWidget() or dialog)
    area = available(dialog.parentWidget() or dialog)
    size = dialog.size().boundedTo(room).expandedTo(dialog.minimumSize())
    if size != dialog.size():
        dialog.resize(size)
    frame = dialog.frameGeometry()
    x = min(max(frame.x(), area.x() + EDGE), area.right() - EDGE - frame.width())
    y = min(max(frame.y(), area.y() + TITLE_BAR), area.bottom() - EDGE - frame.height())
    if (x, y) != (frame.x(), frame.y()):
        dialog.move(max(area.x(), x), max(area.y(), y))


class _Fitter(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.Show and isinstance(watched, QWidget) and watched.isWindow():
            fit_dialog(watched)
        return False


def fit_on_show(dialog: QWidget) -> QWidget:
    """Fit `dialog` to its screen each time it is shown (idempotent); returns the dialog."""
    if dialog.findChild(_Fitter, options=Qt.FindChildOption.FindDirectChildrenOnly) is None:
        dialog.installEventFilter(_Fitter(dialog))
    if dialog.isVisible():
        fit_dialog(dialog)
    return dialog
