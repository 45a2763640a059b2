"""DocumentToolbar: the document viewer's bar — side bar toggle, page field, zoom, fit modes and the search
group, which moves to a row of its own when the pane is narrow."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)


class DocumentToolbar(QWidget):
    """The widgets are public: the viewer connects to them and shows its state through the methods."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.prev_page = self._tool("‹", self.tr("上一页"))
        self.next_page = self._tool("›", self.tr("下一页"))
        self.page_box = QSpinBox(self)
        self.page_box.setMinimum(1)
        self.page_box.setButtonSymbols(QSpinBox.ButtonSymbols.NoButtons)
        self.page_box.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.page_box.setKeyboardTracking(False)
        self.page_box.setFixedWidth(self.fontMetrics().horizontalAdvance("0000") + 16)
        self.page_box.setAccessibleName(self.tr("页码"))
        self.page_total = QLabel(self)
        self.zoom_out = self._tool("−", self.tr("缩小"))
        self.zoom_label = QLabel(self)
        self.zoom_label.setMinimumWidth(44)
        self.zoom_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.zoom_in = self._tool("+", self.tr("放大"))
        # the bar's button texts are short in every language (the English “Side panel”, “Fit width”,
        # “Whole page” and “/ 9 pages” made the pane 114 px wider than the Chinese one, the review window
        # wider than a 1366×768 screen at 125%); the tooltips and accessible names say it in full
        self.fit_width = self._tool(self.tr("适合宽度", "toolbar button"), self.tr("适合宽度"), checkable=True)
        self.fit_page = self._tool(self.tr("整页", "toolbar button"), self.tr("适合整页"), checkable=True)
        self.search = QLineEdit(self)
        self.search.setPlaceholderText(self.tr("在文档中搜索（Ctrl+F）"))
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName(self.tr("在文档中搜索"))
        self.search.setMinimumWidth(120)
        self.search_prev = self._tool("▲", self.tr("上一个结果（Shift+F3）"))
        self.search_next = self._tool("▼", self.tr("下一个结果（F3）"))
        self.search_count = QLabel(self)
        self.search_count.setMinimumWidth(self.fontMetrics().horizontalAdvance("第 99/99 处"))

        self.side_toggle = self._tool(self.tr("侧栏", "toolbar button"),
                                      self.tr("显示或隐藏缩略图、目录和搜索结果栏（F6）"), checkable=True)
        self.side_toggle.setChecked(True)

        bar = QHBoxLayout()
        bar.setContentsMargins(6, 2, 6, 2)
        bar.setSpacing(4)
        bar.addWidget(self.side_toggle)
        for w in (self.prev_page, self.page_box, self.page_total, self.next_page):
            bar.addWidget(w)
        bar.addSpacing(12)
        for w in (self.zoom_out, self.zoom_label, self.zoom_in, self.fit_width, self.fit_page):
            bar.addWidget(w)
        bar.addStretch(0)  # takes the room when the search group is on its own row
        # the search group: at the end of the bar, or on a row of its own when the pane is narrow
        self.search_group = QWidget(self)
        search_row = QHBoxLayout(self.search_group)
        search_row.setContentsMargins(0, 0, 0, 0)
        search_row.setSpacing(4)
        search_row.addStretch(1)
        for w in (self.search, self.search_prev, self.search_next, self.search_count):
            search_row.addWidget(w, 1 if w is self.search else 0)
        self.search.setMaximumWidth(320)
        self.search_group.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        bar.addWidget(self.search_group, 1)
        self._bar = bar
        self._bar2 = QHBoxLayout()
        self._bar2.setContentsMargins(6, 0, 6, 2)
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(2)
        rows.addLayout(self._bar)
        rows.addLayout(self._bar2)
        # Tab follows the reading order of the bar (the buttons were made before the page field)
        chain = [self.side_toggle, self.prev_page, self.page_box, self.next_page, self.zoom_out,
                 self.zoom_in, self.fit_width, self.fit_page, self.search, self.search_prev,
                 self.search_next]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def _tool(self, text: str, tip: str, checkable: bool = False) -> QToolButton:
        button = QToolButton(self)
        button.setText(text)
        button.setToolTip(tip)
        button.setAccessibleName(tip)
        button.setCheckable(checkable)
        button.setAutoRaise(True)
        return button

    def wrap_to(self, width: int) -> None:
        """Put the search group on a second row when the bar would not fit in `width` on one."""
        # the group's width never counts in the bar's minimum (Ignored): it moves instead of shrinking
        one_row = self._bar.minimumSize().width() + self.search_group.sizeHint().width() + 24
        wrapped = self._bar2.indexOf(self.search_group) >= 0
        if width < one_row and not wrapped:
            self._bar.removeWidget(self.search_group)
            self._bar2.addWidget(self.search_group, 1)
        elif width >= one_row + 8 and wrapped:
            self._bar2.removeWidget(self.search_group)
            self._bar.addWidget(self.search_group, 1)

    def set_page_count(self, pages: int) -> None:
        self.page_box.setMaximum(max(1, pages))
        self.page_total.setText(self.tr("/ {count} 页").format(count=pages))

    def show_page(self, page: int, pages: int) -> None:
        """Zero-based `page` of `pages` is shown: the field says so, ‹ and › go only where there are pages."""
        self.page_box.blockSignals(True)
        self.page_box.setValue(page + 1)
        self.page_box.blockSignals(False)
        self.prev_page.setEnabled(page > 0)
        self.next_page.setEnabled(page < pages - 1)

    def show_zoom(self, mode: QPdfView.ZoomMode, factor: float) -> None:
        self.fit_width.setChecked(mode == QPdfView.ZoomMode.FitToWidth)
        self.fit_page.setChecked(mode == QPdfView.ZoomMode.FitInView)
        if mode == QPdfView.ZoomMode.Custom:
            self.zoom_label.setText(f"{round(factor * 100)}%")
        self.zoom_label.setVisible(mode == QPdfView.ZoomMode.Custom)

    def show_search_count(self, text: str, count: int, current: int) -> None:
        """`count` hits of the search for `text` (empty: no search), `current` the zero-based one shown
        (-1: none yet)."""
        if not text:
            self.search_count.setText("")
        elif count == 0:
            self.search_count.setText(self.tr("无结果"))
        elif current >= 0:
            self.search_count.setText(self.tr("第 {index}/{count} 处").format(index=current + 1, count=count))
        else:
            self.search_count.setText(self.tr("共 {count} 处").format(count=count))
        self.search_prev.setEnabled(count > 0)
        self.search_next.setEnabled(count > 0)
