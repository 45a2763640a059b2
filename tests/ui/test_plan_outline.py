"""The demo construction plans' outline (书签) in the document viewer: every entry lands on its heading.

reportlab's bare `bookmarkPage(key)` writes a /Fit destination (a page and no point): QtPdf warned
"qt.pdf.bookmarks: bookmark with invalid location and/or zoom" for each entry, and following one showed
the top of its page — a heading low on the page stayed off screen on a laptop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QBuffer, QByteArray, QModelIndex, QtMsgType, qInstallMessageHandler
from PySide6.QtPdf import QPdfBookmarkModel, QPdfDocument
from PySide6.QtWidgets import QApplication

from tic_desktop.formats.source import read_source
from tic_desktop.paths import demo_source_dir
from tic_desktop.reports.plan_pdf import ConstructionPlan, render_plan_pdf
from tic_desktop.ui.expert.document_viewer import DocumentViewer

PATH = "proposals/TJ-NM-06/plan.pdf"


@pytest.fixture(scope="module")
def plans() -> dict[str, bytes]:
    spec = read_source(demo_source_dir())
    out = {}
    for proposal in spec.proposals:
        plan_file = demo_source_dir() / "plans" / f"{proposal.id}.json"
        if plan_file.exists():
            out[proposal.id] = render_plan_pdf(ConstructionPlan.model_validate_json(plan_file.read_bytes()),
                                               proposal)
    assert "TJ-NM-06" in out
    return out


@pytest.fixture()
def qt_messages() -> Iterator[list[tuple[str, str]]]:
    seen: list[tuple[str, str]] = []
    previous = None

    def handler(kind: QtMsgType, context, text: str) -> None:  # type: ignore[no-untyped-def]
        seen.append((str(context.category), text))
        if previous is not None:
            previous(kind, context, text)

    previous = qInstallMessageHandler(handler)
    yield seen
    qInstallMessageHandler(previous)


def _entries(model: QPdfBookmarkModel, parent: QModelIndex | None = None) -> list[QModelIndex]:
    parent = parent or QModelIndex()
    out: list[QModelIndex] = []
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out += [index, *_entries(model, index)]
    return out


def test_every_outline_entry_points_at_its_heading_without_a_qt_warning(qapp, plans, qt_messages) -> None:
    for pid, data in plans.items():
        buffer = QBuffer()
        buffer.setData(QByteArray(data))
        buffer.open(QBuffer.OpenModeFlag.ReadOnly)
        document = QPdfDocument()
        document.load(buffer)
        model = QPdfBookmarkModel()
        model.setDocument(document)
        entries = _entries(model)
        assert len(entries) >= 10, pid
        low = 0
        for index in entries:
            page = index.data(int(QPdfBookmarkModel.Role.Page.value))
            point = index.data(int(QPdfBookmarkModel.Role.Location.value))
            height = document.pagePointSize(page).height()
            # a point on the page, a little above the heading (Qt measures from the page's top)
            assert 0 < point.y() < height, (pid, index.data(), point)
            low += point.y() > height / 2
        assert low, f"{pid}: no heading in the lower half of a page — the test would prove nothing"
        document.close()
    assert not [m for m in qt_messages if m[0] == "qt.pdf.bookmarks"], qt_messages[:3]


def test_following_an_entry_shows_its_heading_not_the_page_top(qtbot, plans) -> None:
    """In a laptop-sized viewer, clicking the entry of a heading low on its page brings the heading into
    view, near the top (it went to the page's top, the heading below the bottom edge)."""
    viewer = DocumentViewer()
    qtbot.addWidget(viewer)
    viewer.resize(760, 480)
    viewer.show()
    qtbot.waitExposed(viewer)
    viewer.set_documents([(PATH, "建设方案", plans["TJ-NM-06"])])
    view, document = viewer._view, viewer._view.document()
    last = document.pageCount() - 1
    entries = [i for i in _entries(viewer._side.outline.model())
               if i.data(int(QPdfBookmarkModel.Role.Page.value)) < last]
    lowest = max(entries, key=lambda i: i.data(int(QPdfBookmarkModel.Role.Location.value)).y())
    page = lowest.data(int(QPdfBookmarkModel.Role.Page.value))
    y = lowest.data(int(QPdfBookmarkModel.Role.Location.value)).y()
    top, height = view._page_span(page)
    heading = top + y * height / document.pagePointSize(page).height()  # in the view's scroll pixels
    room = view.viewport().height()
    assert heading - top > room, "the heading fits on screen with its page top: the test would prove nothing"

    viewer._side.outline.clicked.emit(lowest)
    QApplication.processEvents()
    shown = view.verticalScrollBar().value()
    assert shown <= heading <= shown + room / 4, (lowest.data(), shown, heading, room)
    assert viewer.current_page() in (page, page + 1)
