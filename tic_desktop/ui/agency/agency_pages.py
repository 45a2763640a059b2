"""The agency screens that come after a batch exists, added to AgencyWindow through its hook:
导入评分表 (SheetImportPage), 汇总结果 (ConsolidationPage, with 导出汇总结果…), 专家组意见
(PanelOpinionPage). The window hands each page the selected batch's AgencyContext.

When sheets change (an import, a resolved conflict), the consolidation runs again and the panel
opinion page reloads the experts' comments.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QCoreApplication

from tic_desktop.ui.agency.consolidation_page import ConsolidationPage
from tic_desktop.ui.agency.panel_opinion_page import PanelOpinionPage
from tic_desktop.ui.agency.sheet_import_page import SheetImportPage


def add_agency_pages(window: Any) -> tuple[SheetImportPage, ConsolidationPage, PanelOpinionPage]:
    importer = SheetImportPage()
    consolidation = ConsolidationPage()
    opinion = PanelOpinionPage()
    window.add_page(QCoreApplication.translate("AgencyPages", "导入评分表"), importer)
    window.add_page(QCoreApplication.translate("AgencyPages", "汇总结果"), consolidation)
    window.add_page(QCoreApplication.translate("AgencyPages", "专家组意见"), opinion)
    importer.sheets_changed.connect(consolidation.reconsolidate)
    importer.sheets_changed.connect(opinion.load_comments)
    consolidation.consolidated.connect(opinion.set_consolidation)  # the computed conclusion, pre-filled
    window.import_page, window.consolidation_page, window.opinion_page = importer, consolidation, opinion
    return importer, consolidation, opinion


install_agency_pages = add_agency_pages
