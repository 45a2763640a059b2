"""The sheet import page driven through its widgets on a real demo batch and simulated sheets."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

from tests.ui.agency_setup import (  # noqa: F401 - fixtures
    answer_next_dialog,
    conflicting_sheet,
    ctx,
    demo_round,
    newer_revision,
    sheet_files,
    sheets_dir,
)
from tic_desktop.ui.agency.conflict_dialog import ConflictDialog
from tic_desktop.ui.agency.pin_key_dialog import PinKeyDialog
from tic_desktop.ui.agency.sheet_import_page import SheetImportPage
from tic_desktop.ui.common.background import run_in_background


def _page(qtbot, ctx) -> SheetImportPage:  # noqa: F811
    page = SheetImportPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.set_context(ctx)
    page.show_message = lambda *a: page.__dict__.setdefault("messages", []).append(a)
    return page


def _log(page: SheetImportPage) -> list[tuple[str, str, str, str, str]]:
    m = page.logModel
    return [tuple(m.index(r, c).data() for c in range(m.columnCount())) for r in range(m.rowCount())]


def _wait_idle(qtbot, page: SheetImportPage) -> None:
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=20000)


def test_pinned_in_advance_every_sheet_is_accepted_and_a_second_import_is_a_no_op(qtbot, ctx, sheets_dir):  # noqa: F811
    page = _page(qtbot, ctx)
    page.ask_signers_file = lambda: sheets_dir / "allowed_signers"
    page.signersButton.click()
    assert page.messages[-1][:2] == ("密钥登记已导入", "已预先登记 7 位专家的密钥。之后导入的评分表必须由这些密钥签名。")
    page.ask_folder = lambda: sheets_dir
    page.addFolderButton.click()
    assert page.is_busy() and not page.progressBar.isHidden() and not page.addFilesButton.isEnabled()
    _wait_idle(qtbot, page)
    rows = _log(page)
    assert [r[3] for r in rows] == ["已接受"] * 7
    assert rows[0][0] == "E01.ticsheet" and rows[0][1].endswith("（E01）") and rows[0][2] == "第 1 版"
    assert page.summaryLabel.text() == "已收到 7 / 7 位专家的评分表"

    page.add_paths([sheets_dir / "E03.ticsheet"])
    _wait_idle(qtbot, page)
    last = _log(page)[-1]
    assert last[0] == "E03.ticsheet" and last[3] == "重复（已忽略）"
    assert "未做任何改动" in last[4]
    history = page.historyModel.rows()
    assert len([h for h in history if h[2][Qt.ItemDataRole.DisplayRole] == "计入汇总"]) == 7


def test_first_sheet_of_an_expert_asks_to_compare_the_fingerprint(qtbot, ctx, sheets_dir):  # noqa: F811
    page = _page(qtbot, ctx)
    seen: list[str] = []

    def trust(dialog) -> None:
        assert isinstance(dialog, PinKeyDialog)
        seen.append(dialog.expertLabel.text())
        seen.append(dialog.fingerprintLabel.text())
        dialog.trustButton.click()

    answer_next_dialog(trust)
    page.add_paths([sheets_dir / "E01.ticsheet"])
    qtbot.waitUntil(lambda: len(_log(page)) == 2 and not page.is_busy(), timeout=20000)
    expert = next(e for e in ctx.manifest.experts if e.id == "E01")
    assert seen[0] == f"专家：{expert.name}（E01）"
    fingerprint = ctx.ws.pins(ctx.batch_id)["E01"].fingerprint
    assert seen[1].replace(" ", "") == fingerprint  # grouped in fours for the eye
    assert " " in seen[1]
    assert ctx.ws.pins(ctx.batch_id)["E01"].source == "first_use"
    assert [r[3] for r in _log(page)] == ["待确认密钥", "已接受"]

    def decline(dialog) -> None:
        dialog.mismatchButton.click()

    answer_next_dialog(decline)
    page.add_paths([sheets_dir / "E02.ticsheet"])
    qtbot.waitUntil(lambda: len(_log(page)) == 3 and not page.is_busy(), timeout=20000)
    qtbot.wait(50)
    assert "E02" not in ctx.ws.pins(ctx.batch_id)
    assert _log(page)[-1][3] == "待确认密钥"
    assert not [s for s in ctx.ws.sheets(ctx.batch_id) if s.expert_id == "E02"]


def test_a_tampered_file_is_refused_with_the_reason_in_words(qtbot, ctx, sheets_dir):  # noqa: F811
    page = _page(qtbot, ctx)
    raw = bytearray((sheets_dir / "E04.ticsheet").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    bad = sheets_dir / "E04-改过.ticsheet"
    bad.write_bytes(bytes(raw))
    page.add_paths([bad])
    _wait_idle(qtbot, page)
    row = _log(page)[-1]
    assert row[0] == "E04-改过.ticsheet" and row[3] == "已拒绝"
    assert len(row[4]) > 10 and "。" in row[4]  # a sentence in Chinese, not a code
    status = page.logModel.index(0, 3)
    assert status.data(Qt.ItemDataRole.ForegroundRole).name() == "#c62828"
    assert status.data(Qt.ItemDataRole.DecorationRole) is not None
    assert ctx.ws.sheets(ctx.batch_id) == []


def test_files_and_folders_dropped_on_the_page_are_imported(qtbot, ctx, sheets_dir):  # noqa: F811
    page = _page(qtbot, ctx)
    ctx.ws.pin_allowed_signers(ctx.batch_id, (sheets_dir / "allowed_signers").read_text("utf-8"))
    page.show()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(sheets_dir / "E05.ticsheet")), QUrl.fromLocalFile(str(sheets_dir))])
    drop = QDropEvent(QPointF(200, 200), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    page.dropEvent(drop)
    assert drop.isAccepted()
    _wait_idle(qtbot, page)
    statuses = [r[3] for r in _log(page)]
    assert statuses == ["已接受"] * 7  # E05 dropped alone and inside its folder is read once


def test_two_different_sheets_with_the_same_seq_are_a_conflict_a_person_resolves(qtbot, ctx, sheets_dir, demo_round,  # noqa: F811
                                                                                   tmp_path):
    page = _page(qtbot, ctx)
    ctx.ws.pin_allowed_signers(ctx.batch_id, (sheets_dir / "allowed_signers").read_text("utf-8"))
    other = conflicting_sheet(demo_round, "E06", tmp_path / "second")
    page.add_paths([sheets_dir / "E06.ticsheet", other])
    _wait_idle(qtbot, page)
    assert [r[3] for r in _log(page)] == ["已接受", "冲突（待处理）"]
    assert "处理冲突" in _log(page)[-1][4]
    assert page.conflictButton.isEnabled()
    assert "1 处冲突待处理" in page.summaryLabel.text()

    def choose_second(dialog) -> None:
        assert isinstance(dialog, ConflictDialog)
        dialog.choices[1].click()
        assert not dialog.ok.isEnabled()  # a reason is required
        dialog.reasonEdit.setPlainText("经电话向专家核实，以第二次发来的文件为准")
        assert dialog.ok.isEnabled()
        dialog.ok.click()

    answer_next_dialog(choose_second)
    page.conflictButton.click()
    assert ctx.ws.conflicts(ctx.batch_id) == []
    current = [s for s in ctx.ws.current_sheets(ctx.batch_id) if s.expert_id == "E06"]
    assert len(current) == 1
    assert len([s for s in ctx.ws.sheets(ctx.batch_id) if s.expert_id == "E06"]) == 2  # nothing lost
    assert not page.conflictButton.isEnabled()


def test_cancel_stops_before_the_next_file(qtbot, ctx, sheets_dir, monkeypatch):  # noqa: F811
    from tic_desktop.ui.agency import sheet_import_page

    page = _page(qtbot, ctx)
    ctx.ws.pin_allowed_signers(ctx.batch_id, (sheets_dir / "allowed_signers").read_text("utf-8"))
    held = []
    monkeypatch.setattr(sheet_import_page, "run_in_background", lambda *job, **kw: held.append((job, kw)))
    page.add_paths(sheet_files(sheets_dir))
    assert not page.cancelButton.isHidden() and page.cancelButton.isEnabled()
    page.cancelButton.click()  # pressed before the worker reached its first file
    assert not page.cancelButton.isEnabled() and page.progressLabel.text() == "正在取消…"
    run_in_background(*held[0][0], **held[0][1])
    _wait_idle(qtbot, page)
    assert ctx.ws.current_sheets(ctx.batch_id) == []
    assert page.messages[-1][0] == "导入已取消"
    assert page.addFilesButton.isEnabled()


def _history(page: SheetImportPage, expert_id: str) -> list[tuple[str, str, str]]:
    m = page.historyModel
    return [(m.index(r, 1).data(), m.index(r, 2).data(), m.index(r, 2).data(Qt.ItemDataRole.UserRole))
            for r in range(m.rowCount()) if m.index(r, 0).data().endswith(f"（{expert_id}）")]


def test_a_newer_revision_supersedes_the_first_and_both_are_kept(qtbot, ctx, sheets_dir, demo_round,  # noqa: F811
                                                                  tmp_path):
    from tic_desktop.ui.agency.consolidation_page import ConsolidationPage

    page = _page(qtbot, ctx)
    ctx.ws.pin_allowed_signers(ctx.batch_id, (sheets_dir / "allowed_signers").read_text("utf-8"))
    page.add_paths(sheet_files(sheets_dir))
    _wait_idle(qtbot, page)
    revision = newer_revision(demo_round, "E02", tmp_path / "rev" / "E02-第2版.ticsheet")
    page.add_paths([revision])
    _wait_idle(qtbot, page)
    row = _log(page)[-1]
    assert row[0] == "E02-第2版.ticsheet" and row[2] == "第 2 版"
    assert row[3] == "已接受（取代第 1 版）"
    assert "替代第 1 版（旧版保留在历史记录中）" in row[4]
    assert page.summaryLabel.text() == "已收到 7 / 7 位专家的评分表"
    # the history lists both: the new one counts, the old one is superseded and kept
    assert _history(page, "E02") == [("第 2 版", "计入汇总", "current"), ("第 1 版", "已被取代（存档）", "superseded")]
    page.expertFilter.setCurrentIndex(page.expertFilter.findData("E02"))
    assert page.historyModel.rowCount() == 2
    page.expertFilter.setCurrentIndex(0)

    # the consolidation takes the revision's scores
    from tic_desktop.formats.sheet import read_sheet

    rev = read_sheet(revision, ctx.batch, identity=ctx.identity).sheet
    consolidation = ConsolidationPage()
    qtbot.addWidget(consolidation)
    consolidation.set_context(ctx)
    qtbot.waitUntil(lambda: consolidation.consolidation is not None and not consolidation.is_busy(), timeout=20000)
    scored = [(p.proposal_id, f) for p in rev.proposals if not p.conflict.declared for f in p.forms]
    assert scored
    for proposal_id, fe in scored:
        result = consolidation.consolidation.result(proposal_id, fe.form_id)
        e02 = next(e for e in result.experts if e.expert_id == "E02")
        assert e02.total == fe.total
    # as the chair sees it: E02's column of the 总分 row shows the revision's total
    proposal_id, fe = scored[0]
    consolidation.select_proposal(proposal_id)
    model = consolidation.scoreModel
    name = ctx.expert_name("E02")
    column = next(c for c in range(model.columnCount()) if model.headerData(c, Qt.Orientation.Horizontal) == name)
    assert str(model.index(0, column).data()).endswith(format(fe.total, "f"))
    first = read_sheet(sheets_dir / "E02.ticsheet", ctx.batch, identity=ctx.identity).sheet
    assert [f.total for p in first.proposals for f in p.forms] != [fe.total for _, fe in scored]

    # the very same first file again changes nothing
    page.add_paths([sheets_dir / "E02.ticsheet"])
    _wait_idle(qtbot, page)
    assert _log(page)[-1][3] == "重复（已忽略）"

    # E03's revision 2 arrives before revision 1: the late first revision is filed as 旧版本
    late = newer_revision(demo_round, "E03", tmp_path / "rev" / "E03-第2版.ticsheet", seed=5)
    other = tmp_path / "other-order"
    other.mkdir()
    from tests.ui.agency_setup import close_context, open_context

    again = open_context(demo_round, other)
    try:
        again.ws.pin_allowed_signers(again.batch_id, (sheets_dir / "allowed_signers").read_text("utf-8"))
        second = _page(qtbot, again)
        second.add_paths([late])
        _wait_idle(qtbot, second)
        second.add_paths([sheets_dir / "E03.ticsheet"])
        _wait_idle(qtbot, second)
        assert [r[3] for r in _log(second)] == ["已接受", "旧版本（已存档）"]
        assert _log(second)[-1][2] == "第 1 版"
        assert _history(second, "E03") == [("第 2 版", "计入汇总", "current"), ("第 1 版", "已被取代（存档）", "superseded")]
        tip = second.logModel.index(1, 4).data(Qt.ItemDataRole.ToolTipRole)
        assert "#1 < #2" in tip and "#1 < #2" not in _log(second)[-1][4]
        second.set_context(None)
    finally:
        close_context(again)
