"""DocumentViewer: the proposal's PDFs beside the scoring form.

One tab per document; QtPdf renders from bytes held in a QBuffer that lives as long as the
document (`loaded_document`). Page navigation, zoom (fit width by default, `document_page_view`),
text search with highlighted results (`document_toolbar`), and a side panel with page thumbnails,
the outline and the search results (`document_side_panel`). This module assembles them and holds the
documents and the search.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPointF, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPdf import QPdfDocument, QPdfSearchModel
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QTabBar, QVBoxLayout, QWidget

from tic_desktop.ui.expert.document_page_view import DocumentPageView
from tic_desktop.ui.expert.document_side_panel import DocumentSidePanel
from tic_desktop.ui.expert.document_toolbar import DocumentToolbar
from tic_desktop.ui.expert.loaded_document import LoadedDocument


class DocumentViewer(QWidget):
    documentOpened = Signal(str)  # noqa: N815 - Qt signal naming
    sideToggled = Signal(bool)  # noqa: N815 - the expert showed or hid the side bar

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._docs: list[tuple[str, str, bytes]] = []
        self._loaded: dict[int, LoadedDocument] = {}
        self._current: LoadedDocument | None = None
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

        self._toolbar = DocumentToolbar(self)
        self._search = self._toolbar.search

        self._view = DocumentPageView(self)
        self._view.setAccessibleName(self.tr("文档页面"))
        self._search_model = QPdfSearchModel(self)
        self._view.setSearchModel(self._search_model)
        self._side = DocumentSidePanel(self._search_model, self)

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
        reader_layout.addWidget(self._toolbar)
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

    def _connect(self) -> None:
        bar = self._toolbar
        self._tabs.currentChanged.connect(self._on_tab_changed)
        bar.prev_page.clicked.connect(self._on_prev_page)
        bar.next_page.clicked.connect(self._on_next_page)
        bar.page_box.valueChanged.connect(self._on_page_box)
        bar.zoom_in.clicked.connect(self._view.zoom_in)
        bar.zoom_out.clicked.connect(self._view.zoom_out)
        bar.fit_width.clicked.connect(self._view.fit_width)
        bar.fit_page.clicked.connect(self._view.fit_page)
        self._view.zoomFactorChanged.connect(self._on_zoom_changed)
        self._view.zoomModeChanged.connect(self._on_zoom_changed)
        self._view.pageNavigator().currentPageChanged.connect(self._on_current_page)
        self._search.textChanged.connect(self._on_search_text)
        self._search.returnPressed.connect(self._on_search_return)
        self._search_timer.timeout.connect(self._on_search_now)
        bar.search_prev.clicked.connect(self.find_previous)
        bar.search_next.clicked.connect(self.find_next)
        self._search_model.countChanged.connect(self._on_search_count)
        self._view.currentSearchResultIndexChanged.connect(self._on_search_count)
        self._side.resultRequested.connect(self._go_to_result)
        self._side.locationRequested.connect(self._on_location_requested)
        self._side.pageRequested.connect(self.go_to_page)
        bar.side_toggle.toggled.connect(self._on_side_toggled)
        self._side_key.activated.connect(bar.side_toggle.toggle)
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
        self._toolbar.side_toggle.setChecked(visible)
        self._side.setVisible(visible)

    def toggle_side(self) -> None:
        self._toolbar.side_toggle.toggle()

    def side_visible(self) -> bool:
        return self._toolbar.side_toggle.isChecked()

    def resizeEvent(self, event: Any) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self._toolbar.wrap_to(self.width())

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
        self._toolbar.show_page(page, self.page_count())
        self._side.select_page(page)

    def _on_side_toggled(self, visible: bool) -> None:
        self._side.setVisible(visible)
        self.sideToggled.emit(visible)

    def _on_zoom_changed(self, *_args: object) -> None:
        self._toolbar.show_zoom(self._view.zoomMode(), self._view.zoomFactor())

    def _on_location_requested(self, page: int, point: QPointF) -> None:
        """An outline entry: its page, at its point."""
        self._view.go_to(page, point)

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
            self._side.show_results()

    def _on_search_count(self, *_args: object) -> None:
        count = self._search_model.rowCount(QModelIndex())
        self._toolbar.show_search_count(self._search_model.searchString(), count,
                                        self._view.currentSearchResultIndex())
        if count > 0 and self._jump_pending:
            self._jump_pending = False
            self._go_to_result(0)

    # -- helpers -----------------------------------------------------------------------------
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
        self._side.select_result(row)
        self._on_search_count()

    def _show_document(self, index: int) -> None:
        path, title, data = self._docs[index]
        loaded = self._loaded.get(index)
        if loaded is None:
            loaded = LoadedDocument(data, self)
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
        self._side.set_document(document)
        self._toolbar.set_page_count(document.pageCount())
        self._view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self._side.show_contents()
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
        self._side.clear(self._empty)
        self._toolbar.search_count.setText("")

    def _unload(self) -> None:
        self._detach()
        self._current = None
        for loaded in self._loaded.values():
            loaded.close()
        self._loaded.clear()
