"""DocumentPageView: the document viewer's pages (QPdfView, multi-page), zoom steps and fit modes that
keep the place being read."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QPointF
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QWidget

ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
ANCHOR = 0.4
"""The line (a fraction of the view's height) whose page QPdfView reports as the current page."""


class DocumentPageView(QPdfView):
    """The pages one under the other, fit to width by default."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPageMode(QPdfView.PageMode.MultiPage)
        self.setZoomMode(QPdfView.ZoomMode.FitToWidth)

    def page_count(self) -> int:
        document = self.document()
        return document.pageCount() if document is not None else 0

    def go_to(self, page: int, point: QPointF) -> None:
        """Show `point` (in points from the page's top-left, as an outline entry gives it) of `page` at the
        top of the view. (QPdfView's own jump scrolls to the top of the page and ignores the point: a
        heading low on the page stayed off screen.)"""
        navigator = self.pageNavigator()
        navigator.jump(page, point, navigator.currentZoom())
        document = self.document()
        if document is None or not 0 <= page < self.page_count() or point.y() <= 0:
            return
        top, height = self._page_span(page)
        points = document.pagePointSize(page).height() or 1.0
        self.verticalScrollBar().setValue(round(top + point.y() * height / points))

    def zoom_in(self) -> None:
        self.set_zoom(next((z for z in ZOOM_STEPS if z > self.zoomFactor() + 0.001), ZOOM_STEPS[-1]))

    def zoom_out(self) -> None:
        smaller = [z for z in ZOOM_STEPS if z < self.zoomFactor() - 0.001]
        self.set_zoom(smaller[-1] if smaller else ZOOM_STEPS[0])

    def fit_width(self) -> None:
        self._keeping_page(lambda: self.setZoomMode(QPdfView.ZoomMode.FitToWidth))

    def fit_page(self) -> None:
        self._keeping_page(lambda: self.setZoomMode(QPdfView.ZoomMode.FitInView))

    def set_zoom(self, factor: float) -> None:
        def change() -> None:
            self.setZoomMode(QPdfView.ZoomMode.Custom)
            self.setZoomFactor(factor)

        self._keeping_page(change)

    def _keeping_page(self, change: Callable[[], None]) -> None:
        """Change the zoom and keep the place being read: the point of the page on the line 40% down
        the view (where QPdfView takes the current page from) and the horizontal middle stay where they
        were. (QPdfView keeps the scroll position in pixels: after a zoom that is another page, and
        zooming the left edge a blank margin — issue 17 finding 6.)"""
        page = self.pageNavigator().currentPage() if self.page_count() > 0 else -1
        if page < 0:
            change()
            return
        view = self.viewport()
        vbar, hbar = self.verticalScrollBar(), self.horizontalScrollBar()
        anchor_y, anchor_x = round(view.height() * ANCHOR), view.width() / 2
        top, height = self._page_span(page)
        within = min(max((vbar.value() + anchor_y - top) / (height or 1.0), 0.0), 1.0)
        across = (hbar.value() + anchor_x) / ((hbar.maximum() + view.width()) or 1)
        change()
        top, height = self._page_span(page)
        vbar.setValue(round(top + within * height - anchor_y))
        hbar.setValue(round(across * (hbar.maximum() + view.width()) - anchor_x))

    def _page_span(self, page: int) -> tuple[float, float]:
        """The scroll position of the top of `page` and its height in the multi-page layout at the
        current zoom: the pages are stacked with `pageSpacing` between them and `documentMargins`
        around; their heights are proportional to their point sizes whatever the zoom mode."""
        document = self.document()
        assert document is not None
        heights = [document.pagePointSize(p).height() for p in range(self.page_count())]
        bar = self.verticalScrollBar()
        margins = self.documentMargins()
        spacing = self.pageSpacing()
        content = bar.maximum() + self.viewport().height()
        fixed = margins.top() + margins.bottom() + spacing * (len(heights) - 1)
        scale = (content - fixed) / (sum(heights) or 1.0)
        return margins.top() + sum(h * scale + spacing for h in heights[:page]), heights[page] * scale
