"""The panel opinion editor (autosave, reload, the experts' comments with 插入) and the export of
the four result files, on a real batch with real sheets."""

from __future__ import annotations

import csv
import errno
from pathlib import Path

import pytest
from PySide6.QtTest import QTest

from tests.ui.agency_setup import (  # noqa: F401 - fixtures
    close_context,
    ctx,
    demo_round,
    import_all,
    open_context,
)
from tic_desktop.ui.agency.panel_opinion_page import PanelOpinionPage
from tic_desktop.ui.agency.results_export import ResultsExport


def _opinion_page(qtbot, context) -> PanelOpinionPage:
    page = PanelOpinionPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.set_context(context)
    qtbot.waitUntil(lambda: bool(page.inputs), timeout=20000)
    return page


def test_the_opinion_is_saved_after_typing_and_comes_back_after_reopening(qtbot, ctx, demo_round: Path,  # noqa: F811
                                                                          tmp_path: Path):
    import_all(ctx, demo_round / "sheets")
    page = _opinion_page(qtbot, ctx)
    page.select("TJ-AI-01", "feasibility_review")
    assert page.chairEdit.text() == ctx.chair_name() != ""
    assert page.savedLabel.text() == ""
    page.focus_section("overall")
    QTest.keyClicks(page.sectionEdits["overall"], "OK ")  # typed (QTest cannot type Chinese keys)
    page.sectionEdits["overall"].insertPlainText("方案总体可行")  # as an input method commits it
    assert page.savedLabel.text() == "正在保存…"  # not 已保存 before the commit
    qtbot.waitUntil(lambda: page.savedLabel.text().startswith("已保存 "), timeout=5000)
    stored = ctx.ws.opinions(ctx.batch_id)[("TJ-AI-01", "feasibility_review")]
    assert stored.overall == "OK 方案总体可行" and stored.chair_name == ctx.chair_name()

    # every expert's comments are at hand, by name; 插入 appends the selected one to the focused section
    tree = page.commentTree
    names = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]
    assert len(names) == 7 and names[0].startswith(ctx.manifest.experts[0].name)
    first = tree.topLevelItem(0)
    comment = next(first.child(i) for i in range(first.childCount()) if "：" in first.child(i).text(0))
    tree.setCurrentItem(comment)
    page.focus_section("problems")
    assert page.targetLabel.text() == "插入到：存在问题"
    page.insertButton.click()
    assert page.sectionEdits["problems"].toPlainText() == comment.text(0).split("：", 1)[1]
    qtbot.waitUntil(lambda: page.savedLabel.text().startswith("已保存 "), timeout=5000)
    page.set_context(None)
    close_context(ctx)

    again = open_context(demo_round, tmp_path)  # the same workspace file, opened anew
    try:
        reopened = _opinion_page(qtbot, again)
        reopened.select("TJ-AI-01", "feasibility_review")
        assert reopened.sectionEdits["overall"].toPlainText() == "OK 方案总体可行"
        assert reopened.sectionEdits["problems"].toPlainText() == comment.text(0).split("：", 1)[1]
        assert reopened.savedLabel.text() == "已保存"
        reopened.select("TJ-SB-02", "feasibility_review")
        assert reopened.sectionEdits["overall"].toPlainText() == ""
        reopened.set_context(None)
    finally:
        close_context(again)


def test_export_writes_the_four_files_with_the_opinion(qtbot, ctx, demo_round: Path, tmp_path: Path):  # noqa: F811
    from tic_desktop.core.panel_opinion import PanelOpinion

    import_all(ctx, demo_round / "sheets")
    ctx.ws.save_opinion(ctx.batch_id, "TJ-AI-01", "feasibility_review",
                        PanelOpinion(overall="专家组认为方案可行", chair_name=ctx.chair_name()))
    export = ResultsExport()
    qtbot.addWidget(export)
    export.set_context(ctx)
    done: list[list[Path]] = []
    export.show_done = done.append
    export.ask_folder = lambda: tmp_path / "结果"
    assert export.exportButton.isEnabled()
    export.exportButton.click()
    assert export.is_busy() and not export.exportButton.isEnabled()
    qtbot.waitUntil(lambda: bool(done), timeout=60000)
    names = [p.name for p in done[0]]
    assert names == ["consolidated.pdf", "results.xlsx", "results.csv", "scores.csv", "panel_opinions.docx"]
    for p in done[0]:
        assert p.parent == tmp_path / "结果" and p.stat().st_size > 100
    assert done[0][0].read_bytes().startswith(b"%PDF")
    with (tmp_path / "结果" / "results.csv").open(encoding="utf-8-sig", newline="") as fh:
        text = fh.read()
    assert "TJ-AI-01" in text and len(list(csv.reader(text.splitlines()))) >= 7
    assert export.exportButton.isEnabled()


def test_an_export_that_cannot_write_says_so_in_chinese(qtbot, ctx, demo_round: Path, tmp_path: Path):  # noqa: F811
    from tic_desktop.core.errors import message

    import_all(ctx, demo_round / "sheets")
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    export = ResultsExport()
    qtbot.addWidget(export)
    export.set_context(ctx)
    messages: list[tuple] = []
    export.show_message = lambda *a: messages.append(a)
    export.export_to(blocker / "out")
    qtbot.waitUntil(lambda: bool(messages), timeout=60000)
    title, text, error, details = messages[0]
    assert title == "导出失败" and error
    assert text == message("file.not_a_folder", "zh") == "所选路径中有一部分是文件而不是文件夹。请重新选择一个文件夹后重试。"
    assert "Not a directory" not in text and "Not a directory" in details  # the system's words only in 详细信息
    assert export.exportButton.isEnabled()


@pytest.mark.parametrize(("err", "zh", "en"), [
    (errno.ENOSPC, "磁盘空间不足", "The disk is full"),
    (errno.EACCES, "没有权限写入所选位置", "You may not write to the chosen place"),
    (errno.EPERM, "没有权限写入所选位置", "You may not write to the chosen place"),
    (errno.EROFS, "所选位置是只读的", "The chosen place is read-only"),
    (errno.ENOTDIR, "所选路径中有一部分是文件而不是文件夹", "Part of the chosen path is a file"),
    (errno.ENOENT, "找不到所选的文件夹或文件", "The chosen folder or file cannot be found"),
    (errno.EEXIST, "目标位置已有同名的文件或文件夹", "A file or folder of that name is already there"),
    (errno.ENAMETOOLONG, "文件路径太长", "The file path is too long"),
])
def test_system_errors_on_export_are_sentences_in_the_users_language(qtbot, ctx, monkeypatch, tmp_path: Path,  # noqa: F811
                                                                     err, zh, en):
    import os

    from tic_desktop.reports import exports

    raw = os.strerror(err)

    def fail(*_a, **_k):
        raise OSError(err, raw, str(tmp_path / "out" / "results.csv"))

    monkeypatch.setattr(exports, "write_all", fail)
    export = ResultsExport()
    qtbot.addWidget(export)
    export.set_context(ctx)
    messages: list[tuple] = []
    export.show_message = lambda *a: messages.append(a)
    for lang, sentence in (("zh", zh), ("en", en)):
        ctx.lang = lang
        messages.clear()
        export.export_to(tmp_path / "out")
        qtbot.waitUntil(lambda: bool(messages), timeout=20000)
        _title, text, error, details = messages[0]
        assert error and text.startswith(sentence), text
        assert raw not in text and raw in details
    ctx.lang = "zh"


def test_a_storage_error_wrapping_a_system_error_is_mapped_too(ctx, tmp_path: Path):  # noqa: F811
    from tic_desktop.storage.errors import DISK_IO, StorageError

    try:
        try:
            raise PermissionError(errno.EACCES, "Permission denied", str(tmp_path))
        except OSError as exc:
            raise StorageError(DISK_IO, f"{tmp_path}: {exc}") from exc
    except StorageError as wrapped:
        assert ctx.error_text(wrapped).startswith("没有权限写入所选位置")
        assert "Permission denied" not in ctx.error_text(wrapped)
        assert "Permission denied" in ctx.error_details(wrapped)


@pytest.mark.skipif(__import__("shutil").which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_export_signs_the_report_with_the_agency_certificate(qtbot, ctx, demo_round: Path,  # noqa: F811
                                                             tmp_path: Path):
    import subprocess

    from docx import Document

    import_all(ctx, demo_round / "sheets")
    ctx.keys_dir = demo_round / "agency"  # the window passes its key folder (here the demo keys and certificate)
    export = ResultsExport()
    qtbot.addWidget(export)
    export.set_context(ctx)
    done: list[list[Path]] = []
    export.show_done = done.append
    export.export_to(tmp_path / "signed")
    qtbot.waitUntil(lambda: bool(done), timeout=60000)
    out = subprocess.run(["pdfsig", str(tmp_path / "signed" / "consolidated.pdf")], capture_output=True,
                         text=True).stdout
    assert "Signature Validation: Signature is Valid." in out and "DEMO ONLY" in out
    doc = Document(str(tmp_path / "signed" / "panel_opinions.docx"))
    assert doc.paragraphs[0].text == "专家组意见"


def test_the_conclusion_is_prefilled_with_the_computed_one_and_can_be_changed(qtbot, ctx, demo_round: Path):  # noqa: F811
    """Issue 17 item 11: the panel opinion's 结论 was empty; it shows the computed conclusion (kept with
    the opinion's first edit) and the agency can still write another."""
    from tic_desktop.ui.agency.consolidation_page import ConsolidationPage

    import_all(ctx, demo_round / "sheets")

    consolidation = ConsolidationPage()
    qtbot.addWidget(consolidation)
    page = _opinion_page(qtbot, ctx)
    consolidation.consolidated.connect(page.set_consolidation)  # as ui.agency.agency_pages wires them
    consolidation.set_context(ctx)
    qtbot.waitUntil(lambda: consolidation.consolidation is not None and not consolidation.is_busy(), timeout=20000)
    result = consolidation.consolidation.for_form("feasibility_review")[0]
    page.select(result.proposal_id, "feasibility_review")
    shown = page.sectionEdits["conclusion"].toPlainText()
    assert result.conclusion_label.zh in shown and str(result.final_score) in shown
    assert ctx.ws.opinions(ctx.batch_id).get((result.proposal_id, "feasibility_review")) is None  # shown, not yet kept
    page.focus_section("overall")
    page.sectionEdits["overall"].insertPlainText("方案总体可行")
    qtbot.waitUntil(lambda: page.savedLabel.text().startswith("已保存 "), timeout=5000)
    assert ctx.ws.opinions(ctx.batch_id)[(result.proposal_id, "feasibility_review")].conclusion == shown
    page.sectionEdits["conclusion"].setPlainText("专家组建议修改后通过。")  # the agency's own words
    qtbot.waitUntil(lambda: page.savedLabel.text().startswith("已保存 "), timeout=5000)
    page.select(consolidation.consolidation.for_form("feasibility_review")[1].proposal_id, "feasibility_review")
    page.select(result.proposal_id, "feasibility_review")
    assert page.sectionEdits["conclusion"].toPlainText() == "专家组建议修改后通过。"
    assert ctx.ws.opinions(ctx.batch_id)[(result.proposal_id, "feasibility_review")].conclusion == "专家组建议修改后通过。"
