"""DocumentViewer on a real Chinese PDF written by reportlab: pages, zoom, search, messages."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdfWidgets import QPdfView

from tic_desktop.ui.expert.document_viewer import DocumentViewer

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
    qtbot.mouseClick(viewer._toolbar.next_page, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.current_page() == 1)
    assert viewer._toolbar.page_box.value() == 2
    assert viewer._toolbar.page_total.text() == "/ 4 页"
    viewer._toolbar.page_box.setValue(4)
    qtbot.waitUntil(lambda: viewer.current_page() == 3)
    assert not viewer._toolbar.next_page.isEnabled()
    qtbot.mouseClick(viewer._toolbar.prev_page, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: viewer.current_page() == 2)
    viewer.go_to_page(99)
    qtbot.waitUntil(lambda: viewer.current_page() == 3)


def test_zoom_and_fit(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    assert viewer._view.zoomMode() == QPdfView.ZoomMode.FitToWidth
    assert viewer._toolbar.fit_width.isChecked()
    viewer._view.setZoomFactor(1.0)
    qtbot.mouseClick(viewer._toolbar.zoom_in, Qt.MouseButton.LeftButton)
    assert viewer._view.zoomMode() == QPdfView.ZoomMode.Custom
    assert viewer.zoom_factor() == pytest.approx(1.1)
    assert viewer._toolbar.zoom_label.text() == "110%"
    qtbot.mouseClick(viewer._toolbar.zoom_out, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(viewer._toolbar.zoom_out, Qt.MouseButton.LeftButton)
    assert viewer.zoom_factor() == pytest.approx(0.9)
    qtbot.mouseClick(viewer._toolbar.fit_page, Qt.MouseButton.LeftButton)
    assert viewer._view.zoomMode() == QPdfView.ZoomMode.FitInView
    assert viewer._toolbar.fit_page.isChecked() and not viewer._toolbar.fit_width.isChecked()


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
    # Enter goes to the first hit (not only counts them); Enter again to the next one
    qtbot.waitUntil(lambda: viewer._toolbar.search_count.text() == "第 1/12 处")
    assert viewer._view.currentSearchResultIndex() == 0
    qtbot.keyClick(viewer._search, Qt.Key.Key_Return)
    assert viewer._toolbar.search_count.text() == "第 2/12 处"
    qtbot.keyClick(viewer._search, Qt.Key.Key_F3, Qt.KeyboardModifier.ShiftModifier)
    assert viewer._toolbar.search_count.text() == "第 1/12 处"
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
    qtbot.waitUntil(lambda: viewer._toolbar.search_count.text() == "无结果")
    assert not viewer._toolbar.search_next.isEnabled()


def test_outline_and_thumbnails(viewer: DocumentViewer, pdf_bytes: bytes) -> None:
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    bookmarks = viewer._side.outline.model()
    assert bookmarks.rowCount() == 4
    assert bookmarks.index(1, 0).data() == "第二章 总体思路"
    thumbs = viewer._side.thumbs.model()
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


def _long_pdf(pages: int = 9) -> bytes:
    from tests.ui.conftest import build_pdf

    return build_pdf(tuple((f"第{n}章", "人工智能技术创新中心。") for n in range(1, pages + 1)))


def test_zooming_keeps_the_page_being_read(viewer: DocumentViewer, qtbot) -> None:
    """Issue 17 finding 6: zooming in from page 7 jumped to page 3."""
    viewer.set_documents([(PATH, "建设方案", _long_pdf())])
    viewer.go_to_page(6)
    qtbot.waitUntil(lambda: viewer.current_page() == 6)
    bar = viewer._toolbar
    for button in (bar.zoom_in, bar.zoom_in, bar.zoom_out, bar.fit_page, bar.fit_width):
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        qtbot.wait(20)
        assert viewer.current_page() == 6, button.toolTip()
        assert viewer._toolbar.page_box.value() == 7


def test_narrow_bar_keeps_search_apart_and_tab_follows_reading_order(viewer: DocumentViewer, qtbot,
                                                                      pdf_bytes: bytes) -> None:
    """Finding 6: ▲/▼ overlapped the search field when narrow; finding 7: the page field came after ›."""
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    for width in (900, 420):
        viewer.resize(width, 600)
        qtbot.wait(20)
        assert viewer.minimumSizeHint().width() <= 420
        boxes = [w.geometry().translated(w.parentWidget().mapTo(viewer, w.pos()) - w.pos())
                 for w in (viewer._search, viewer._toolbar.search_prev, viewer._toolbar.search_next,
                           viewer._toolbar.fit_page)]
        for i, first in enumerate(boxes):
            assert first.right() <= viewer.width(), width
            for second in boxes[i + 1:]:
                assert not first.intersects(second), width
    order = [viewer._toolbar.prev_page]
    while len(order) < 3:
        order.append(order[-1].nextInFocusChain())
        while not order[-1].focusPolicy() & Qt.FocusPolicy.TabFocus:
            order[-1] = order[-1].nextInFocusChain()
    assert order[1] is viewer._toolbar.page_box


def test_side_bar_can_be_hidden(viewer: DocumentViewer, qtbot, pdf_bytes: bytes) -> None:
    """Finding 2: the expert can hide the thumbnails/outline to give the page room."""
    viewer.set_documents([(PATH, "建设方案", pdf_bytes)])
    assert viewer._side.isVisible()
    viewer.activateWindow()
    qtbot.waitUntil(viewer.isActiveWindow)
    qtbot.keyClick(viewer._view, Qt.Key.Key_F6)
    assert not viewer._side.isVisible() and not viewer.side_visible()
    viewer.set_side_visible(True)
    assert viewer._side.isVisible()


def _cover_pdf() -> bytes:
    """A cover page as in the demo proposals: an empty top half, the title centred below the middle."""
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from tests.ui.conftest import FONT_NAME, _register_font

    _register_font()
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=A4)
    c.setFont(FONT_NAME, 28)
    c.drawCentredString(A4[0] / 2, A4[1] * 0.55, "天津市人工智能技术创新中心建设方案")
    c.showPage()
    c.save()
    return out.getvalue()


def _dark_share(viewer: DocumentViewer) -> float:
    from PySide6.QtGui import QImage

    image = viewer._view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).value() < 128)
    return dark / (((image.height() + 1) // 2) * ((image.width() + 1) // 2))


def test_zooming_in_keeps_the_middle_of_the_view_not_a_blank_margin(viewer: DocumentViewer, qtbot) -> None:
    """Issue 17 finding 6: zooming in on a cover page showed its empty top-left corner (a blank page);
    the point in the middle of the view stays in view, horizontally centred."""
    viewer.resize(560, 520)
    viewer.set_side_visible(False)
    viewer.set_documents([(PATH, "建设方案", _cover_pdf())])
    qtbot.wait(50)
    viewer._view.verticalScrollBar().setValue(viewer._view.verticalScrollBar().maximum() // 3)
    qtbot.wait(50)
    assert _dark_share(viewer) > 0.002  # the title is in view before zooming
    for _ in range(4):
        qtbot.mouseClick(viewer._toolbar.zoom_in, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _dark_share(viewer) > 0.002, timeout=3000)
    bar = viewer._view.horizontalScrollBar()
    assert bar.maximum() > 0 and abs(bar.value() - bar.maximum() / 2) <= bar.maximum() * 0.1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_side_panel_tab_can_be_reached_when_the_panel_is_narrow(qtbot, pdf_bytes: bytes, lang: str) -> None:
    """At 1366×768 and 125% the English “Thumbnails” tab was pushed out of the side panel's 190 pixels (and in
    any language out of the 120 the panel could be dragged to), with no scroll button to bring it back."""
    from PySide6.QtWidgets import QApplication

    from tic_desktop.ui.common.i18n import install_translators

    install_translators(QApplication.instance(), lang)
    try:
        widget = DocumentViewer()
    finally:
        install_translators(QApplication.instance(), "zh")
    qtbot.addWidget(widget)
    widget.resize(443, 400)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_documents([(PATH, "建设方案", pdf_bytes)])
    side = widget._side
    bar = side.tabBar()
    for width in (190, side.minimumWidth()):
        widget._splitter.setSizes([width, 443 - width])
        qtbot.waitUntil(lambda width=width: side.width() == width)
        for i in range(bar.count()):
            assert bar.rect().contains(bar.tabRect(i)), (width, bar.tabText(i), bar.tabRect(i), bar.width())
        qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(0).center())
        assert side.currentWidget() is side.thumbs
    # each tab says in full what it holds
    full = {"zh": ["页面缩略图", "文档目录", "搜索结果"], "en": ["Page thumbnails", "Document outline", "Search results"]}
    assert [bar.tabToolTip(i) for i in range(bar.count())] == full[lang]
