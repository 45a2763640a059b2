"""The expert pool pages of the agency window (issue 16): 专家库 (PoolPage) and 抽取专家 (DrawPage),
added through AgencyWindow's PAGE_MODULES hook. They work on the agency workspace itself, not on a
batch: the draw comes before the batch exists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from tic_desktop.ui.draw_page import DrawPage
from tic_desktop.ui.pool_page import PoolPage


def add_agency_pages(window: Any) -> tuple[PoolPage, DrawPage]:
    pool = PoolPage(window.workspace, window.lang)
    draw = DrawPage(window.workspace, window.keys_dir, window.lang)
    window.add_page(QCoreApplication.translate("PoolPages", "专家库"), pool)
    window.add_page(QCoreApplication.translate("PoolPages", "抽取专家"), draw)
    window.pool_page, window.draw_page = pool, draw
    return pool, draw
