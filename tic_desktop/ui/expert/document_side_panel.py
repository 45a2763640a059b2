"""DocumentSidePanel: the document viewer's side bar — page thumbnails (rendered on demand, cached),
the outline and the search results."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QIdentityProxyModel,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument, QPdfSearchModel
from PySide6.QtWidgets import QListView, QTabWidget, QTreeView, QWidget

Index = QModelIndex | QPersistentModelIndex

THUMB_WIDTH = 110


class ThumbnailModel(QAbstractListModel):
    """One row per page; a page is rendered only when a view asks for it, then cached."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._document: QPdfDocument | None = None
        self._cache: dict[int, QIcon] = {}

    def set_document(self, document: QPdfDocument | None) -> None:
        self.beginResetModel()
        self._document = document
        self._cache.clear()
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        if parent.isValid() or self._document is None:
            return 0
        return max(0, self._document.pageCount())

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or self._document is None:
            return None
        page = index.row()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._document.pageLabel(page) or str(page + 1)
        if role == Qt.ItemDataRole.DecorationRole:
            icon = self._cache.get(page)
            if icon is None:
                icon = self._render(page)
                self._cache[page] = icon
            return icon
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignHCenter.value)
        return None

    def _render(self, page: int) -> QIcon:
        assert self._document is not None
        size = self._document.pagePointSize(page)
        ratio = size.height() / size.width() if size.width() > 0 else 1.414
        image = self._document.render(page, QSize(THUMB_WIDTH, int(THUMB_WIDTH * ratio)))
        if image.isNull():
            image = QImage(THUMB_WIDTH, int(THUMB_WIDTH * ratio), QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
        return QIcon(QPixmap.fromImage(image))


class SearchResultsModel(QIdentityProxyModel):
    """Search results as "p. 3 …context…" lines (QPdfSearchModel shows only the text before a hit)."""

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) or not index.isValid():
            return super().data(index, role)
        source = self.sourceModel()
        assert isinstance(source, QPdfSearchModel)
        src = self.mapToSource(index)
        page = src.data(int(QPdfSearchModel.Role.Page.value))
        before = " ".join(str(src.data(int(QPdfSearchModel.Role.ContextBefore.value)) or "")
                          .replace("\u23ce", " ").split())
        after = " ".join(str(src.data(int(QPdfSearchModel.Role.ContextAfter.value)) or "")
                         .replace("\u23ce", " ").split())
        text = f"…{before[-5:]}{source.searchString()}{after[:20]}"
        return QCoreApplication.translate("DocumentViewer", "第 {page} 页  {text}").format(
            page=(page or 0) + 1, text=text)


class DocumentSidePanel(QTabWidget):
    """Thumbnails, outline and search results of the document shown; activating an entry asks the viewer
    to go there."""

    pageRequested = Signal(int)  # noqa: N815 - Qt signal naming: a thumbnail was activated
    locationRequested = Signal(int, QPointF)  # noqa: N815 - an outline entry (page, point on the page)
    resultRequested = Signal(int)  # noqa: N815 - a search result (its row)

    def __init__(self, search_model: QPdfSearchModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bookmarks = QPdfBookmarkModel(self)
        self.thumbs_model = ThumbnailModel(self)
        self.thumbs = QListView(self)
        self.thumbs.setModel(self.thumbs_model)
        self.thumbs.setViewMode(QListView.ViewMode.IconMode)
        self.thumbs.setFlow(QListView.Flow.TopToBottom)
        self.thumbs.setWrapping(False)
        self.thumbs.setMovement(QListView.Movement.Static)
        self.thumbs.setUniformItemSizes(True)
        self.thumbs.setIconSize(QSize(THUMB_WIDTH, int(THUMB_WIDTH * 1.42)))
        self.thumbs.setSpacing(6)
        self.thumbs.setAccessibleName(self.tr("页面缩略图"))
        self.outline = QTreeView(self)
        self.outline.setModel(self.bookmarks)
        self.outline.setHeaderHidden(True)
        self.outline.setAccessibleName(self.tr("文档目录"))
        self.results = QListView(self)
        self.results_model = SearchResultsModel(self)
        self.results_model.setSourceModel(search_model)
        self.results.setModel(self.results_model)
        self.results.setAccessibleName(self.tr("搜索结果"))
        self.setDocumentMode(True)
        # the tabs' texts are short, elided when the panel is narrow and never scrolled out of it: the
        # English “Thumbnails” and “Search results” pushed “Thumbnails” out of a 190-pixel panel (and any
        # language out of a narrower one) with no way to reach it; the tooltips say each in full
        for widget, text, tip in ((self.thumbs, self.tr("缩略图", "side panel tab"), self.tr("页面缩略图")),
                                  (self.outline, self.tr("目录"), self.tr("文档目录")),
                                  (self.results, self.tr("搜索结果", "side panel tab"), self.tr("搜索结果"))):
            self.setTabToolTip(self.addTab(widget, text), tip)
        self.setAccessibleName(self.tr("侧栏"))
        self.tabBar().setUsesScrollButtons(False)
        self.tabBar().setElideMode(Qt.TextElideMode.ElideRight)
        self.tabBar().setExpanding(True)
        self.setMinimumWidth(max(120, self.tabBar().minimumSizeHint().width()))
        QWidget.setTabOrder(self.outline, self)  # Tab: the outline, then the tabs (the order it always had)

        self.results.activated.connect(self._on_result_activated)
        self.results.clicked.connect(self._on_result_activated)
        self.outline.activated.connect(self._on_outline_activated)
        self.outline.clicked.connect(self._on_outline_activated)
        self.thumbs.activated.connect(self._on_thumb_activated)
        self.thumbs.clicked.connect(self._on_thumb_activated)

    def set_document(self, document: QPdfDocument) -> None:
        """Show `document`'s outline (unfolded) and thumbnails."""
        self.bookmarks.setDocument(document)
        self.thumbs_model.set_document(document)
        self.outline.expandAll()

    def clear(self, empty: QPdfDocument) -> None:
        """Show nothing: `empty` is a document never loaded (QtPdf warns about a null one)."""
        self.bookmarks.setDocument(empty)
        self.thumbs_model.set_document(None)

    def show_contents(self) -> None:
        """Open the outline's tab when the document has one, the thumbnails' otherwise."""
        has_outline = self.bookmarks.rowCount() > 0
        self.setTabEnabled(1, has_outline)
        self.setCurrentWidget(self.outline if has_outline else self.thumbs)

    def show_results(self) -> None:
        self.setCurrentWidget(self.results)

    def select_page(self, page: int) -> None:
        self.thumbs.setCurrentIndex(self.thumbs_model.index(page, 0))

    def select_result(self, row: int) -> None:
        self.results.setCurrentIndex(self.results_model.index(row, 0))

    def _on_result_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.resultRequested.emit(index.row())

    def _on_outline_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        page = index.data(int(QPdfBookmarkModel.Role.Page.value))
        location = index.data(int(QPdfBookmarkModel.Role.Location.value))
        if isinstance(page, int):
            self.locationRequested.emit(page, location if isinstance(location, QPointF) else QPointF())

    def _on_thumb_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.pageRequested.emit(index.row())
