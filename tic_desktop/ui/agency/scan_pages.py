"""The 纸质核对 page of the agency window (issue 15), added through AgencyWindow's PAGE_MODULES hook:
scanned, hand-signed paper matched to the selected batch's signed sheets (ui/agency/scan_page.py).
An import on 导入评分表 (a new revision, say) changes the checklist at once."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from tic_desktop.ui.agency.scan_page import ScanPage


def add_agency_pages(window: Any) -> ScanPage:
    page = ScanPage()
    window.add_page(QCoreApplication.translate("ScanPages", "纸质核对"), page)
    window.scan_page = page
    importer = getattr(window, "import_page", None)
    if importer is not None:
        importer.sheets_changed.connect(page.refresh)
    return page
