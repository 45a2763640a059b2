"""DocumentViewer on a real Chinese PDF written by reportlab: pages, zoom, search, messages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView

from tic_desktop.ui.document_viewer import DocumentViewer

PATH = "proposals/P001/plan.pdf"


@pytest.fixture()
def viewer(qtbot, pdf_bytes: bytes) -> DocumentViewer:
    widget = DocumentViewer()
    qtbot.addWidget(widget)
    widget.resize(900, 700)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_loads_pdf_from_bytes_and_reports_it_opened_once(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    opened: list[str] = []
    viewer.documentOpened.connect(opened.append)
    viewer.set_documents([(PATH, "建设方案", pdf_bytes), ("proposals/P001/annex.pdf", "附件", pdf_bytes)])
    assert viewer.page_count() == 4
    assert viewer.current_page() == 0
    assert viewer.current_path() == PATH
    assert viewer.message() is None
    assert opened == [PATH]
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])  # shown again: not a new opening
    assert opened == [PATH]
    viewer.set_documents([(PATH, "建设方案", pdf_bytes), ("proposals/P001/annex.pdf", "附件", pdf_bytes)])
    viewer._tabs.setCurrentIndex(1)
    assert opened == [PATH, "proposals/P001/annex.pdf"]


def test_page_navigation(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    qtbot.mouseClick(viewer._next_page, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.current_page() == 1)
    assert viewer._page_box.value() == 2
    assert viewer._page_total.text() == "/ 4 页"
    viewer._page_box.setValue(4)
    qtbot.waitUntil(lambda: viewer.current_page() == 3)
    assert not viewer._next_page.isEnabled()
    qtbot.mouseClick(viewer._prev_page, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.current_page() == 2)
    viewer.go_to_page(99)
    qtbot.waitUntil(lambda: viewer.current_page() == 3)


def test_zoom_and_fit(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    assert viewer._view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer._fit_width.isChecked()
    viewer._view.setZoomFactor(1.0)
    qtbot.mouseClick(viewer._zoom_in, Qt.MouseButton.LeftButton)
    assert viewer._view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.zoom_factor() == pytest.approx(1.1)
    assert viewer._zoom_label.text() == "110%"
    qtbot.mouseClick(viewer._zoom_out, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer._zoom_out, Qt.MouseButton.LeftButton)
    assert viewer.zoom_factor() == pytest.approx(0.9)
    qtbot.mouseClick(viewer._fit_page, Qt.MouseButton.LeftButton)
    assert viewer._view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert viewer._fit_page.isChecked() and not viewer._fit_width.isChecked()


def test_search_finds_chinese_text_with_keyboard(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    qtbot.keyClick(viewer._view, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert viewer._search.hasFocus()
    viewer._search.insert("人工智能")  # as an input method commits it (QTest types ASCII only)
    qtbot.keyClick(viewer._search, Qt.Key.Key_Return)
    # "人工智能" is written 4 times on pages 1, 2 and 4 and never on page 3
    qtbot.waitUntil(lambda: viewer.search_count() == 12)
    qtbot.waitUntil(lambda: viewer._search_count.text() == "共 12 处")
    qtbot.keyClick(viewer._search, Qt.Key.Key_F3)
    assert viewer._view.currentSearchResultIndex() == 0
    assert viewer._search_count.text() == "第 1/12 处"
    for _ in range(4):
        qtbot.keyClick(viewer._search, Qt.Key.Key_F3)
    assert viewer._view.currentSearchResultIndex() == 4
    qtbot.waitUntil(lambda: viewer.current_page() == 1)
    qtbot.keyClick(viewer._search, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert viewer._view.currentSearchResultIndex() == 3
    qtbot.waitUntil(lambda: viewer.current_page() == 0)


def test_search_without_results(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    viewer._search.setText("量子计算")
    qtbot.keyClick(viewer._search, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: viewer._search_count.text() == "无结果")
    assert not viewer._search_next.isEnabled()


def test_outline_and_thumbnails(viewer: DocumentViewer, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    bookmarks = viewer._outline.model()
    assert bookmarks.rowCount() == 4
    assert bookmarks.index(1, 0).data() == "第二章 总体思路"
    thumbs = viewer._thumbs.model()
    assert thumbs.rowCount() == 4
    icon = thumbs.index(0, 0).data(Qt.ItemDataRole.DecorationRole)
    assert not icon.isNull()


def test_broken_pdf_shows_a_message(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    opened: list[str] = []
    viewer.documentOpened.connect(opened.append)
    viewer.set_documents([("proposals/P001/bad.pdf", "损坏的附件", b"%PDF-1.4\nnot really a pdf"),
                          (PATH, "建设方案", pdf_bytes)])
    assert viewer.message() is not None
    assert "损坏的附件" in viewer.message()
    assert opened == []
    viewer._tabs.setCurrentIndex(1)
    assert viewer.message() is None
    assert opened == [PATH]


def test_clear_shows_the_given_message(viewer: DocumentViewer, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    viewer.clear("已回避，材料不可查看")
    assert viewer.message() == "已回避，材料不可查看"
    assert viewer.page_count() == 0
    assert viewer.current_path() is None
    viewer.focus_search()  # nothing to search: no effect, no error
    viewer.set_documents([])
    assert viewer.message() == "本项目没有可查看的材料"
