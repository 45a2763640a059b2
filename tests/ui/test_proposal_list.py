"""ProposalList: the model (qtmodeltester), statuses, progress, filter and keyboard stepping."""

from __future__ import annotations

from PySide6.QtCore import QSortFilterProxyModel, Qt

from tic_desktop.ui.expert.proposal_list import (
    ID_ROLE,
    SEARCH_ROLE,
    STATUS_ROLE,
    ProposalList,
    ProposalListModel,
    ProposalRow,
)

ROWS = [
    ProposalRow("P1", "天津市人工智能技术创新中心", "人工智能", "complete"),
    ProposalRow("P2", "天津市合成生物技术创新中心", "合成生物", "in_progress"),
    ProposalRow("P3", "天津市智能制造技术创新中心", "智能制造", "not_started"),
    ProposalRow("P4", "天津市生物医药技术创新中心", "生物医药", "conflict"),
    ProposalRow("P5", "天津市新能源技术创新中心", "新能源", "signed"),
    ProposalRow("P6", "天津市新材料技术创新中心", "新材料", "not_started"),
]


def _widget(qtbot) -> ProposalList:
    widget = ProposalList()
    qtbot.addWidget(widget)
    widget.resize(260, 400)
    widget.show()
    return widget


def test_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ProposalListModel()
    model.set_rows(ROWS)
    qtmodeltester.check(model, force_py=True)
    model.set_rows(ROWS[:2])
    model.set_rows([])
    qtmodeltester.check(model, force_py=True)


def test_filtered_model_passes_the_model_tester(qtmodeltester) -> None:
    model = ProposalListModel()
    proxy = QSortFilterProxyModel()
    proxy.setSourceModel(model)
    proxy.setFilterRole(SEARCH_ROLE)
    model.set_rows(ROWS)
    proxy.setFilterFixedString("生物")
    qtmodeltester.check(proxy, force_py=True)
    assert proxy.rowCount() == 2


def test_statuses_and_progress(qtbot) -> None:
    widget = _widget(qtbot)
    assert widget.progress_text() == "已完成 0/0"
    widget.set_rows(ROWS)
    model = widget.model()
    assert [model.index(r, 0).data(STATUS_ROLE) for r in range(6)] == [r.status for r in ROWS]
    tips = [model.index(r, 0).data(Qt.ItemDataRole.ToolTipRole) for r in range(6)]
    assert tips[0].endswith("已完成") and tips[1].endswith("进行中") and tips[2].endswith("未开始")
    assert tips[3].endswith("回避") and tips[4].endswith("已签名")
    icons = [model.index(r, 0).data(Qt.ItemDataRole.DecorationRole) for r in range(6)]
    assert all(not icon.isNull() for icon in icons)
    images = {r.status: icon.pixmap(16, 16).toImage() for r, icon in zip(ROWS, icons, strict=True)}
    assert len({img.bits().tobytes() if hasattr(img.bits(), "tobytes") else bytes(img.constBits())
                for img in images.values()}) == 5  # five distinct glyphs
    # the conflicted proposal is not in the denominator; complete and signed count as done
    assert widget.progress_text() == "已完成 2/5"
    assert widget._progress.value() == 2 and widget._progress.maximum() == 5


def test_selection_signal_and_keyboard_stepping(qtbot) -> None:
    widget = _widget(qtbot)
    widget.set_rows(ROWS)
    assert widget.current_id() is None
    with qtbot.waitSignal(widget.proposalSelected) as blocker:
        assert widget.select("P3")
    assert blocker.args == ["P3"]
    assert widget.current_id() == "P3"
    selected: list[str] = []
    widget.proposalSelected.connect(selected.append)
    widget.select_next()
    widget.select_next()
    widget.select_previous()
    assert selected == ["P4", "P5", "P4"]
    widget.select("P6")
    widget.select_next()  # stays on the last
    assert widget.current_id() == "P6"
    assert not widget.select("nope")
    # new rows (a status changed) keep the selection and do not re-emit
    selected.clear()
    widget.set_rows([*ROWS[:5], ProposalRow("P6", "天津市新材料技术创新中心", "新材料", "complete")])
    assert widget.current_id() == "P6"
    assert selected == []
    assert widget.progress_text() == "已完成 3/5"


def test_filter_box(qtbot) -> None:
    widget = _widget(qtbot)
    widget.set_rows(ROWS)
    qtbot.keyClicks(widget._filter, "P")
    assert widget._proxy.rowCount() == 6
    widget._filter.setText("生物")
    ids = [widget._proxy.index(r, 0).data(ID_ROLE) for r in range(widget._proxy.rowCount())]
    assert ids == ["P2", "P4"]
    widget._filter.setText("回避")
    assert widget._proxy.rowCount() == 1
    widget.select_next()
    assert widget.current_id() == "P4"
    widget._filter.clear()
    assert widget._proxy.rowCount() == 6
    assert widget.current_id() == "P4"


LONG = "天津市新一代人工智能与高端装备制造及智能网联汽车产业融合协同发展技术创新中心"  # 38 characters


def test_long_names_are_readable_in_the_narrow_list(qtbot) -> None:
    """At 1366×768 and 125% the list is 170 pixels wide: rows were 200 wide, so every name was cut at the
    viewport's edge (behind a horizontal scroll bar), 天津市人工智能技术创… for the shortest demo name."""
    from PySide6.QtGui import QFontMetrics

    widget = ProposalList()
    qtbot.addWidget(widget)
    widget.resize(170, 560)
    widget.show()
    qtbot.waitExposed(widget)
    widget.set_rows([*ROWS[:3], ProposalRow("P9", LONG, "高端装备", "in_progress")])
    view, delegate = widget._view, widget._view.itemDelegate()
    qtbot.waitUntil(lambda: view.visualRect(widget._proxy.index(3, 0)).height() > 0)
    assert not view.horizontalScrollBar().isVisible()
    fm = QFontMetrics(view.font())
    room = delegate.text_width(view.font())
    for row in range(4):
        index = widget._proxy.index(row, 0)
        name = index.data()
        rect = view.visualRect(index)
        assert rect.left() >= 0 and rect.right() < view.viewport().width(), (name, rect)
        lines = delegate.lines(index)
        assert all(fm.horizontalAdvance(line) <= room for line in lines), lines
        assert rect.height() >= fm.height() * (len(lines) + 1)  # the row is tall enough for its lines
        assert index.data(Qt.ItemDataRole.ToolTipRole).startswith(name + "\n")  # the whole name
        if row < 3:  # a demo-length name is shown whole, on two lines
            assert "".join(lines) == name and len(lines) == 2, lines
    long_lines = delegate.lines(widget._proxy.index(3, 0))
    assert len(long_lines) == 2 and LONG.startswith(long_lines[0]) and len(long_lines[0]) >= 6
    head, tail = long_lines[1].split("…")
    assert LONG[len(long_lines[0]):].startswith(head) and tail and LONG.endswith(tail)
    assert len(tail) >= 4  # the elision is in the middle: the name's end (…创新中心) stays readable


def test_status_stays_whole_when_the_field_is_shortened(qapp) -> None:
    from PySide6.QtGui import QFontMetrics

    from tic_desktop.ui.expert.proposal_text import name_lines, status_line

    font = qapp.font()
    fm = QFontMetrics(font)
    width = fm.horizontalAdvance("人工智能 · Not star")
    line = status_line("人工智能", "Not started", font, width)
    assert line.endswith(" · Not started") and "…" in line and fm.horizontalAdvance(line) <= width
    assert status_line("新材料", "未开始", font, 400) == "新材料 · 未开始"
    assert name_lines("天津市新材料技术创新中心", font, 400) == ["天津市新材料技术创新中心"]
    english = name_lines("Tianjin Advanced Functional Materials Innovation Center", font,
                         fm.horizontalAdvance("Tianjin Advanced Func"))
    assert english[0] == "Tianjin Advanced" and english[1].endswith("Center")
