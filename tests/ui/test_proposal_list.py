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
