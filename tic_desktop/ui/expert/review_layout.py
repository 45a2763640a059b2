"""The review page's panel widths and document side bar: remembered per screen size (a laptop and
an office monitor differ), with defaults for a screen the expert has not used yet."""

from __future__ import annotations

from PySide6.QtWidgets import QSplitter, QWidget

from tic_desktop.expert.session import ExpertSession
from tic_desktop.ui.common.screen_fit import available, is_small_screen, usable_size

DEFAULT_SIZES = [220, 500, 560]  # the form needs room for label, score, band and descriptors
SIDE_KEY = "document_side"


def default_sizes(width: int) -> list[int]:
    """Splitter sizes for a review page `width` wide: on a small screen the document and the form
    share the room 50/50 (the form needs label, score, band and descriptors on one line)."""
    if width >= sum(DEFAULT_SIZES):
        extra = width - sum(DEFAULT_SIZES)
        return [DEFAULT_SIZES[0], DEFAULT_SIZES[1] + extra // 2, DEFAULT_SIZES[2] + extra - extra // 2]
    first = 170
    half = max(0, width - first) // 2
    return [first, half, max(0, width - first - half)]


def splitter_key(window: QWidget) -> str:
    """The ui_state key of the splitter sizes on the screen `window` is on."""
    area = available(window)
    return f"splitter@{area.width()}x{area.height()}"


def restore_sizes(window: QWidget, splitter: QSplitter, session: ExpertSession) -> None:
    """The panel widths as the expert left them on this screen, or the defaults for its size."""
    sizes = session.ui_get(splitter_key(window))
    width = max(splitter.width(), usable_size(window).width() - 20)
    if not (isinstance(sizes, list) and len(sizes) == 3 and sum(int(s) for s in sizes) > 0):
        sizes = default_sizes(width)
    splitter.setSizes([int(s) for s in sizes])


def side_visible(window: QWidget, session: ExpertSession) -> bool:
    """The document side bar as the expert left it; by default hidden on a small screen."""
    side = session.ui_get(SIDE_KEY)
    return bool(side) if side is not None else not is_small_screen(window)
