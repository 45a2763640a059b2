"""DocumentViewer: the proposal's PDFs beside the scoring form.

One tab per document; QtPdf renders from bytes held in a QBuffer that lives as long as the
document. Page navigation, zoom (fit width by default), text search with highlighted results,
and a side panel with page thumbnails, the outline and the search results.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QBuffer,
    QByteArray,
    QCoreApplication,
    QIdentityProxyModel,
    QIODevice,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QStackedWidget,
    QTabBar,
    QTabWidget,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

Index = QModelIndex | QPersistentModelIndex

_ZOOM_STEPS = (0.25, 0.33, 0.5, 0.67, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0, 2.5, 3.0, 4.0)
_THUMB_WIDTH = 110
_ANCHOR = 0.4
"""The line (a fraction of the view's height) whose page QPdfView reports as the current page."""


class _ThumbnailModel(QAbstractListModel):
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
        image = self._document.render(page, QSize(_THUMB_WIDTH, int(_THUMB_WIDTH * ratio)))
        if image.isNull():
            image = QImage(_THUMB_WIDTH, int(_THUMB_WIDTH * ratio), QImage.Format.Format_RGB32)
            image.fill(QColor("white"))
        return QIcon(QPixmap.fromImage(image))


class _ResultsModel(QIdentityProxyModel):
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


class _LoadedDocument:
    """A QPdfDocument and the buffer it reads from (QtPdf reads lazily, so both must live)."""

    def __init__(self, data: bytes, parent: Any) -> None:
        self.bytes = QByteArray(data)
        self.buffer = QBuffer(parent)
        self.buffer.setData(self.bytes)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    @property
    def ok(self) -> bool:
        return (self.document.status() == QPdfDocument.Status.Ready
                and self.document.error() == QPdfDocument.Error.None_
                and self.document.pageCount() > 0)

    def close(self) -> None:
        self.document.close()
        self.document.deleteLater()
        self.buffer.close()
        self.buffer.deleteLater()


class DocumentViewer(QWidget):
    documentOpened = Signal(str)  # noqa: N815 - Qt signal naming
    sideToggled = Signal(bool)  # noqa: N815 - the expert showed or hid the side bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: list[tuple[str, str, bytes]] = []
        self._loaded: dict[int, _LoadedDocument] = {}
        self._current: _LoadedDocument | None = None
        self._opened: set[str] = set()
        self._jump_pending = False  # Enter started a search: go to its first hit when found
        self._empty = QPdfDocument(self)  # shown between documents: QtPdf warns about a null document
        self._build()
        self._connect()
        self.clear(self.tr("未选择申报项目"))

    # -- construction --------------------------------------------------------------------------
    def _build(self) -> None:
        self._tabs = QTabBar(self)
        self._tabs.setDocumentMode(True)
        self._tabs.setExpanding(False)
        self._tabs.setAccessibleName(self.tr("申报材料"))

        self._prev_page = self._tool("‹", self.tr("上一页"))
        self._next_page = self._tool("›", self.tr("下一页"))
        self._page_box = QSpinBox(self)
        self._page_box.setMinimum(1)
        self._page_box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self._page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self._page_box.setKeyboardTracking(False)
        self._page_box.setFixedWidth(self.fontMetrics().horizontalAdvance("0000") + 16)
        self._page_box.setAccessibleName(self.tr("页码"))
        self._page_total = QLabel(self)
        self._zoom_out = self._tool("−", self.tr("缩小"))
        self._zoom_label = QLabel(self)
        self._zoom_label.setMinimumWidth(44)
        self._zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._zoom_in = self._tool("+", self.tr("放大"))
        # the bar's button texts are short in every language (the English “Side panel”, “Fit width”,
        # “Whole page” and “/ 9 pages” made the pane 114 px wider than the Chinese one, the review window
        # wider than a 1366×768 screen at 125%); the tooltips and accessible names say it in full
        self._fit_width = self._tool(self.tr("适合宽度", "toolbar button"), self.tr("适合宽度"), checkable=True)
        self._fit_page = self._tool(self.tr("整页", "toolbar button"), self.tr("适合整页"), checkable=True)
        self._search = QLineEdit(self)
        self._search.setPlaceholderText(self.tr("在文档中搜索（Ctrl+F）"))
        self._search.setClearButtonEnabled(True)
        self._search.setAccessibleName(self.tr("在文档中搜索"))
        self._search.setMinimumWidth(120)
        self._search_prev = self._tool("▲", self.tr("上一个结果（Shift+F3）"))
        self._search_next = self._tool("▼", self.tr("下一个结果（F3）"))
        self._search_count = QLabel(self)
        self._search_count.setMinimumWidth(self.fontMetrics().horizontalAdvance("第 99/99 处"))

        self._side_toggle = self._tool(self.tr("侧栏", "toolbar button"), self.tr("显示或隐藏缩略图、目录和搜索结果栏（F6）"),
                                       checkable=True)
        self._side_toggle.setChecked(True)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.setSpacing(4)
        bar.addWidget(self._side_toggle)
        for w in (self._prev_page, self._page_box, self._page_total, self._next_page):
            bar.addWidget(w)
        bar.addSpacing(12)
        for w in (self._zoom_out, self._zoom_label, self._zoom_in, self._fit_width, self._fit_page):
            bar.addWidget(w)
        bar.addStretch(0)  # takes the room when the search group is on its own row
        # the search group: at the end of the bar, or on a row of its own when the pane is narrow
        self._search_group = QWidget(self)
        search_row = QHBoxLayout(self._search_group)
        search_row.setContentsMargins(0, 0, 0, 0)
        search_row.setSpacing(4)
        search_row.addStretch(1)
        for w in (self._search, self._search_prev, self._search_next, self._search_count):
            search_row.addWidget(w, 1 if w is self._search else 0)
        self._search.setMaximumWidth(320)
        self._search_group.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self._search_group, 1)
        self._bar = bar
        self._bar2 = QHBoxLayout()
        self._bar2.setContentsMargins(6, 0, 6, 2)
        # Tab follows the reading order of the bar (the buttons were made before the page field)
        chain = [self._side_toggle, self._prev_page, self._page_box, self._next_page, self._zoom_out,
                 self._zoom_in, self._fit_width, self._fit_page, self._search, self._search_prev,
                 self._search_next]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

        self._view = QPdfView(self)
        self._view.setPageMode(QPdfView.PageMode.MultiPage)
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._view.setAccessibleName(self.tr("文档页面"))
        self._search_model = QPdfSearchModel(self)
        self._view.setSearchModel(self._search_model)
        self._bookmarks = QPdfBookmarkModel(self)

        self._thumbs_model = _ThumbnailModel(self)
        self._thumbs = QListView(self)
        self._thumbs.setModel(self._thumbs_model)
        self._thumbs.setViewMode(QListView.ViewMode.IconMode)
        self._thumbs.setFlow(QListView.Flow.TopToBottom)
        self._thumbs.setWrapping(False)
        self._thumbs.setMovement(QListView.Movement.Static)
        self._thumbs.setUniformItemSizes(True)
        self._thumbs.setIconSize(QSize(_THUMB_WIDTH, int(_THUMB_WIDTH * 1.42)))
        self._thumbs.setSpacing(6)
        self._thumbs.setAccessibleName(self.tr("页面缩略图"))
        self._outline = QTreeView(self)
        self._outline.setModel(self._bookmarks)
        self._outline.setHeaderHidden(True)
        self._outline.setAccessibleName(self.tr("文档目录"))
        self._results = QListView(self)
        self._results_model = _ResultsModel(self)
        self._results_model.setSourceModel(self._search_model)
        self._results.setModel(self._results_model)
        self._results.setAccessibleName(self.tr("搜索结果"))
        self._side = QTabWidget(self)
        self._side.setDocumentMode(True)
        self._side.addTab(self._thumbs, self.tr("缩略图"))
        self._side.addTab(self._outline, self.tr("目录"))
        self._side.addTab(self._results, self.tr("搜索结果"))
        self._side.setAccessibleName(self.tr("侧栏"))
        self._side.setMinimumWidth(120)
        self._side.tabBar().setUsesScrollButtons(False)
        self._side.tabBar().setExpanding(True)

        self._splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self._splitter.addWidget(self._side)
        self._splitter.addWidget(self._view)
        self._splitter.setStretchFactor(1, 1)
        self._splitter.setSizes([190, 700])
        self._splitter.setChildrenCollapsible(True)

        self._message = QLabel(self)
        self._message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._message.setWordWrap(True)
        self._message.setObjectName("documentMessage")
        self._message.setStyleSheet("QLabel#documentMessage { color: #555; font-size: 12pt; padding: 24px; }")
        self._message.setAccessibleName(self.tr("文档提示"))

        reader = QWidget(self)
        reader_layout = QVBoxLayout(reader)
        reader_layout.setContentsMargins(0, 0, 0, 0)
        reader_layout.setSpacing(2)
        reader_layout.addLayout(bar)
        reader_layout.addLayout(self._bar2)
        reader_layout.addWidget(self._splitter, 1)
        self._stack = QStackedWidget(self)
        self._stack.addWidget(reader)
        self._stack.addWidget(self._message)
        self._reader = reader

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self._tabs)
        layout.addWidget(self._stack, 1)

        self._find = QShortcut(QKeySequence.StandardKey.Find, self, context=Qt.ShortcutContext.WindowShortcut)
        self._find_next = QShortcut(QKeySequence.StandardKey.FindNext, self,
                                    context=Qt.ShortcutContext.WindowShortcut)
        self._find_prev = QShortcut(QKeySequence.StandardKey.FindPrevious, self,
                                    context=Qt.ShortcutContext.WindowShortcut)
        self._side_key = QShortcut(QKeySequence("F6"), self, context=Qt.ShortcutContext.WindowShortcut)
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)

    def _tool(self, text: str, tip: str, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCheckable(checkable)
        button.setAutoRaise(True)
        return button

    def _connect(self) -> None:
        self._tabs.currentChanged.connect(self._on_tab_changed)
        self._prev_page.clicked.connect(self._on_prev_page)
        self._next_page.clicked.connect(self._on_next_page)
        self._page_box.valueChanged.connect(self._on_page_box)
        self._zoom_in.clicked.connect(self._on_zoom_in)
        self._zoom_out.clicked.connect(self._on_zoom_out)
        self._fit_width.clicked.connect(self._on_fit_width)
        self._fit_page.clicked.connect(self._on_fit_page)
        self._view.zoomFactorChanged.connect(self._on_zoom_changed)
        self._view.zoomModeChanged.connect(self._on_zoom_changed)
        self._view.pageNavigator().currentPageChanged.connect(self._on_current_page)
        self._search.textChanged.connect(self._on_search_text)
        self._search.returnPressed.connect(self._on_search_return)
        self._search_timer.timeout.connect(self._on_search_now)
        self._search_prev.clicked.connect(self.find_previous)
        self._search_next.clicked.connect(self.find_next)
        self._search_model.countChanged.connect(self._on_search_count)
        self._view.currentSearchResultIndexChanged.connect(self._on_search_count)
        self._results.activated.connect(self._on_result_activated)
        self._results.clicked.connect(self._on_result_activated)
        self._outline.activated.connect(self._on_outline_activated)
        self._outline.clicked.connect(self._on_outline_activated)
        self._thumbs.activated.connect(self._on_thumb_activated)
        self._thumbs.clicked.connect(self._on_thumb_activated)
        self._side_toggle.toggled.connect(self._on_side_toggled)
        self._side_key.activated.connect(self._side_toggle.toggle)
        self._find.activated.connect(self.focus_search)
        self._find_next.activated.connect(self.find_next)
        self._find_prev.activated.connect(self.find_previous)

    # -- API ---------------------------------------------------------------------------------
    def set_documents(self, docs: list[tuple[str, str, bytes]]) -> None:
        """Show these documents (path, title, PDF bytes); the first one opens."""
        self._unload()
        self._docs = list(docs)
        self._tabs.blockSignals(True)
        while self._tabs.count():
            self._tabs.removeTab(0)
        for path, title, _data in self._docs:
            index = self._tabs.addTab(title)
            self._tabs.setTabToolTip(index, path)
        self._tabs.blockSignals(False)
        self._tabs.setVisible(len(self._docs) > 0)
        if not self._docs:
            self._show_message(self.tr("本项目没有可查看的材料"))
            return
        self._tabs.setCurrentIndex(0)
        self._show_document(0)

    def clear(self, message: str) -> None:
        """Close every document and show `message` instead (e.g. 已回避，材料不可查看)."""
        self._unload()
        self._docs = []
        self._tabs.blockSignals(True)
        while self._tabs.count():
            self._tabs.removeTab(0)
        self._tabs.blockSignals(False)
        self._tabs.setVisible(False)
        self._show_message(message)

    def focus_search(self) -> None:
        if self._current is None:
            return
        self._search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self._search.selectAll()

    def set_side_visible(self, visible: bool) -> None:
        """Show or hide the side bar (thumbnails, outline, search results)."""
        self._side_toggle.setChecked(visible)
        self._side.setVisible(visible)

    def toggle_side(self) -> None:
        self._side_toggle.toggle()

    def side_visible(self) -> bool:
        return self._side_toggle.isChecked()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._wrap_bar()

    def _wrap_bar(self) -> None:
        """Put the search group on a second row when the bar would not fit in one."""
        # the group's width never counts in the bar's minimum (Ignored): it moves instead of shrinking
        one_row = self._bar.minimumSize().width() + self._search_group.sizeHint().width() + 24
        wrapped = self._bar2.indexOf(self._search_group) >= 0
        if self.width() < one_row and not wrapped:
            self._bar.removeWidget(self._search_group)
            self._bar2.addWidget(self._search_group, 1)
        elif self.width() >= one_row + 8 and wrapped:
            self._bar2.removeWidget(self._search_group)
            self._bar.addWidget(self._search_group, 1)

    def find_next(self) -> None:
        self._step_result(1)

    def find_previous(self) -> None:
        self._step_result(-1)

    def current_path(self) -> str | None:
        index = self._tabs.currentIndex()
        return self._docs[index][0] if self._current is not None and 0 <= index < len(self._docs) else None

    def current_page(self) -> int:
        """Zero-based page shown, or -1 with no document."""
        return self._view.pageNavigator().currentPage() if self._current is not None else -1

    def page_count(self) -> int:
        return self._current.document.pageCount() if self._current is not None else 0

    def go_to_page(self, page: int) -> None:
        if self._current is None:
            return
        page = min(max(page, 0), self.page_count() - 1)
        self._view.pageNavigator().jump(page, QPointF(), self._view.pageNavigator().currentZoom())

    def search_count(self) -> int:
        return self._search_model.rowCount(QModelIndex())

    def message(self) -> str | None:
        """The message shown instead of a document, if any."""
        return self._message.text() if self._stack.currentWidget() is self._message else None

    def zoom_factor(self) -> float:
        return self._view.zoomFactor()

    # -- handlers ----------------------------------------------------------------------------
    def _on_tab_changed(self, index: int) -> None:
        if 0 <= index < len(self._docs):
            self._show_document(index)

    def _on_prev_page(self) -> None:
        self.go_to_page(self.current_page() - 1)

    def _on_next_page(self) -> None:
        self.go_to_page(self.current_page() + 1)

    def _on_page_box(self, value: int) -> None:
        if self._current is not None and value - 1 != self.current_page():
            self.go_to_page(value - 1)

    def _on_current_page(self, page: int) -> None:
        self._page_box.blockSignals(True)
        self._page_box.setValue(page + 1)
        self._page_box.blockSignals(False)
        self._prev_page.setEnabled(page > 0)
        self._next_page.setEnabled(page < self.page_count() - 1)
        self._thumbs.setCurrentIndex(self._thumbs_model.index(page, 0))

    def _on_side_toggled(self, visible: bool) -> None:
        self._side.setVisible(visible)
        self.sideToggled.emit(visible)

    def _on_zoom_in(self) -> None:
        self._set_zoom(next((z for z in _ZOOM_STEPS if z > self._view.zoomFactor() + 0.001), _ZOOM_STEPS[-1]))

    def _on_zoom_out(self) -> None:
        smaller = [z for z in _ZOOM_STEPS if z < self._view.zoomFactor() - 0.001]
        self._set_zoom(smaller[-1] if smaller else _ZOOM_STEPS[0])

    def _on_fit_width(self) -> None:
        self._keeping_page(lambda: self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth))

    def _on_fit_page(self) -> None:
        self._keeping_page(lambda: self._view.setZoomMode(QPdfView.ZoomMode.FitInView))

    def _keeping_page(self, change: Any) -> None:
        """Change the zoom and keep the place being read: the point of the page on the line 40% down
        the view (where QPdfView takes the current page from) and the horizontal middle stay where they
        were. (QPdfView keeps the scroll position in pixels: after a zoom that is another page, and
        zooming the left edge a blank margin — issue 17 finding 6.)"""
        page = self.current_page()
        if page < 0:
            change()
            return
        view = self._view.viewport()
        vbar, hbar = self._view.verticalScrollBar(), self._view.horizontalScrollBar()
        anchor_y, anchor_x = round(view.height() * _ANCHOR), view.width() / 2
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
        assert self._current is not None
        document = self._current.document
        heights = [document.pagePointSize(p).height() for p in range(self.page_count())]
        bar = self._view.verticalScrollBar()
        margins = self._view.documentMargins()
        spacing = self._view.pageSpacing()
        content = bar.maximum() + self._view.viewport().height()
        fixed = margins.top() + margins.bottom() + spacing * (len(heights) - 1)
        scale = (content - fixed) / (sum(heights) or 1.0)
        return margins.top() + sum(h * scale + spacing for h in heights[:page]), heights[page] * scale

    def _on_zoom_changed(self, *_args: object) -> None:
        mode = self._view.zoomMode()
        self._fit_width.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self._fit_page.setChecked(mode == QPdfView.ZoomMode.FitInView)
        if mode == QPdfView.ZoomMode.Custom:
            self._zoom_label.setText(f"{round(self._view.zoomFactor() * 100)}%")
        self._zoom_label.setVisible(mode == QPdfView.ZoomMode.Custom)

    def _on_search_text(self, _text: str) -> None:
        self._jump_pending = False
        self._search_timer.start()

    def _on_search_return(self) -> None:
        """Enter goes to the next hit, as in a browser: a new search first, then its first hit."""
        if self._search_timer.isActive() or self._search_model.searchString() != self._search.text().strip():
            self._search_timer.stop()
            self._on_search_now()
            self._jump_pending = True  # to the first hit as soon as the search finds it
            self._on_search_count()
        else:
            self.find_next()

    def _on_search_now(self) -> None:
        text = self._search.text().strip()
        self._search_model.setSearchString(text)
        self._view.setCurrentSearchResultIndex(-1)
        self._on_search_count()
        if text:
            self._side.setCurrentWidget(self._results)

    def _on_search_count(self, *_args: object) -> None:
        text = self._search_model.searchString()
        count = self._search_model.rowCount(QModelIndex())
        if not text:
            self._search_count.setText("")
        elif count == 0:
            self._search_count.setText(self.tr("无结果"))
        else:
            current = self._view.currentSearchResultIndex()
            if current >= 0:
                self._search_count.setText(self.tr("第 {index}/{count} 处").format(index=current + 1, count=count))
            else:
                self._search_count.setText(self.tr("共 {count} 处").format(count=count))
        self._search_prev.setEnabled(count > 0)
        self._search_next.setEnabled(count > 0)
        if count > 0 and self._jump_pending:
            self._jump_pending = False
            self._go_to_result(0)

    def _on_result_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self._go_to_result(index.row())

    def _on_outline_activated(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        page = index.data(int(QPdfBookmarkModel.Role.Page.value))
        location = index.data(int(QPdfBookmarkModel.Role.Location.value))
        if isinstance(page, int):
            point = location if isinstance(location, QPointF) else QPointF()
            self._view.pageNavigator().jump(page, point, self._view.pageNavigator().currentZoom())

    def _on_thumb_activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.go_to_page(index.row())

    # -- helpers -----------------------------------------------------------------------------
    def _set_zoom(self, factor: float) -> None:
        def change() -> None:
            self._view.setZoomMode(QPdfView.ZoomMode.Custom)
            self._view.setZoomFactor(factor)

        self._keeping_page(change)

    def _step_result(self, delta: int) -> None:
        count = self._search_model.rowCount(QModelIndex())
        if self._current is None or count == 0:
            return
        current = self._view.currentSearchResultIndex()
        first = 0 if delta > 0 else count - 1
        target = first if current < 0 else (current + delta) % count
        self._go_to_result(target)

    def _go_to_result(self, row: int) -> None:
        self._view.setCurrentSearchResultIndex(row)
        link = self._search_model.resultAtIndex(row)
        if link.isValid():
            self._view.pageNavigator().jump(link)
        self._results.setCurrentIndex(self._results_model.index(row, 0))
        self._on_search_count()

    def _show_document(self, index: int) -> None:
        path, title, data = self._docs[index]
        loaded = self._loaded.get(index)
        if loaded is None:
            loaded = _LoadedDocument(data, self)
            self._loaded[index] = loaded
        if not loaded.ok:
            self._current = None
            self._detach()
            self._show_message(
                self.tr("无法打开《{title}》：文件已损坏或不是有效的 PDF。请联系组织机构重新提供材料。").format(title=title))
            return
        self._current = loaded
        document = loaded.document
        self._view.setDocument(document)
        self._search_model.setDocument(document)
        self._bookmarks.setDocument(document)
        self._thumbs_model.set_document(document)
        self._outline.expandAll()
        pages = document.pageCount()
        self._page_box.setMaximum(max(1, pages))
        self._page_total.setText(self.tr("/ {count} 页").format(count=pages))
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._side.setTabEnabled(1, self._bookmarks.rowCount() > 0)
        self._side.setCurrentWidget(self._outline if self._bookmarks.rowCount() > 0 else self._thumbs)
        self._stack.setCurrentWidget(self._reader)
        self._on_current_page(0)
        self._view.pageNavigator().jump(0, QPointF(), 0)
        self._on_zoom_changed()
        search = self._search.text().strip()
        self._search_model.setSearchString(search)
        self._view.setCurrentSearchResultIndex(-1)
        self._on_search_count()
        if path not in self._opened:
            self._opened.add(path)
            self.documentOpened.emit(path)

    def _show_message(self, message: str) -> None:
        self._current = None
        self._detach()
        self._message.setText(message)
        self._stack.setCurrentWidget(self._message)

    def _detach(self) -> None:
        self._view.setDocument(self._empty)
        self._search_model.setDocument(self._empty)
        self._bookmarks.setDocument(self._empty)
        self._thumbs_model.set_document(None)
        self._search_count.setText("")

    def _unload(self) -> None:
        self._detach()
        self._current = None
        for loaded in self._loaded.values():
            loaded.close()
        self._loaded.clear()
