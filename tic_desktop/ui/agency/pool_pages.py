"""The expert pool pages of the agency window (issue 16): 专家库 (PoolPage) and 抽取专家 (DrawPage),
added through AgencyWindow's PAGE_MODULES hook. They work on the agency workspace itself, not on a
batch: the draw comes before the batch exists."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from tic_desktop.ui.agency.draw_page import DrawPage
from tic_desktop.ui.agency.pool_page import PoolPage


def add_agency_pages(window: Any) -> tuple[PoolPage, DrawPage]:
    pool = PoolPage(window.workspace, window.lang)
    draw = DrawPage(window.workspace, window.keys_dir, window.lang)
    window.add_page(QCoreApplication.translate("PoolPages", "专家库"), pool)
    window.add_page(QCoreApplication.translate("PoolPages", "抽取专家"), draw)
    window.pool_page, window.draw_page = pool, draw
    pool.poolChanged.connect(lambda: draw.statusLabel.clear())
    _prefill(window, pool, draw)
    return pool, draw


def _prefill(window: Any, pool: PoolPage, draw: DrawPage) -> None:
    """The agency's name; in the demo a sample pool of 120 experts and the demo source's proposals."""
    from tic_desktop.agency.keys import agency_name  # noqa: PLC0415

    agency_dir = Path(getattr(window, "agency_dir", ""))
    draw.agencyEdit.setText(agency_name(agency_dir))
    if not getattr(window, "demo", False):
        return
    from tic_desktop.agency import pool_store  # noqa: PLC0415
    from tic_desktop.agency.pool_sample import sample_pool  # noqa: PLC0415

    if not pool_store.experts(window.workspace):
        pool_store.import_pool(window.workspace, sample_pool(120, 7, centers=6), source="demo")
        pool.refresh()
    proposals = agency_dir / "source" / "proposals.csv"
    if proposals.is_file():
        draw.centersEdit.setText(str(proposals))
    draw.outEdit.setText(str(agency_dir / "draw"))
