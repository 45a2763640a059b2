"""The 评审轮次 page, added to AgencyWindow through its hook (`PAGE_MODULES`)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from tic_desktop.ui.agency.round_page import RoundPage


def add_agency_pages(window: Any) -> RoundPage:
    page = RoundPage(window)
    window.add_page(QCoreApplication.translate("AgencyPages", "评审轮次"), page)
    window.round_page = page
    return page
