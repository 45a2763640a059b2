"""The 评审轮次 page on real widgets, in Chinese and English: a round of two real panels (the periodic
form split by 专家组, every expert simulated) — create it, add the batches, import all sheet files at
once (each routed to its panel), consolidate off the GUI thread, the cohort ranking with raw and
normalised side by side (changed decisions shaded and marked), the panel effects, the official
choice (a reason required), decisions and 异议/复议 (a bad date refused), the notice template (an
unknown placeholder refused), the previous round and the exports."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.round_world import RoundWorld, make_round_world
from tic_desktop.agency import round_store
from tic_desktop.agency.workspace import AgencyWorkspace, signing_fingerprint
from tic_desktop.ui.common.i18n import install_translators


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> RoundWorld:
    return make_round_world(tmp_path_factory.mktemp("round-ui"))


@pytest.fixture(params=["zh", "en"])
def lang(request: pytest.FixtureRequest):  # noqa: ANN201
    install_translators(QApplication.instance(), request.param)
    yield request.param
    install_translators(QApplication.instance(), "zh")


def agency_with_batches(world: RoundWorld, folder: Path) -> Path:
    """An agency folder with the world's keys and both panels' batches (sheets not yet imported)."""
    shutil.copytree(world.agency, folder / "keys")
    identity = world.identity.read_text("utf-8")
    with AgencyWorkspace.open(folder / "agency.db", check_location=False) as ws:
        for path in world.batches:
            info = ws.add_batch(path, identity, own_fingerprint=signing_fingerprint(world.agency))
            ws.pin_allowed_signers(info.batch_id, world.allowed_signers.read_text("ascii"))
    return folder


def open_round_page(qtbot, folder: Path, lang: str):  # noqa: ANN001, ANN201
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    window = AgencyWindow(folder, lang)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    window.show_page(window.page_names()[-1])
    page = window.round_page
    messages: list[tuple[str, str, bool]] = []
    page.show_message = lambda title, text, error: messages.append((title, text, error))
    return window, page, messages


def _wait(qtbot, page) -> None:  # noqa: ANN001
    qtbot.waitUntil(lambda: not page.busy, timeout=60000)


def test_round_page_end_to_end(qtbot, tmp_path: Path, world: RoundWorld, lang: str) -> None:  # noqa: ANN001
    window, page, messages = open_round_page(qtbot, agency_with_batches(world, tmp_path / "agency"), lang)
    zh = lang == "zh"
    assert page.tabs.tabText(0) == ("全轮排名" if zh else "Ranking")
    assert not page.importButton.isEnabled()  # no round yet
    assert page.new_round(("R2027", "2027 年度专业性技术创新中心评估", 2027))
    assert page.round_id() == "R2027"
    assert {b.batch_id for b in page.available_batches()} == set(world.batch_ids)
    page.add_batches(world.batch_ids)
    _wait(qtbot, page)
    assert round_store.get_round(window.workspace, "R2027").batch_ids == tuple(world.batch_ids)

    # every panel's files in one go; each goes to its own batch
    assert page.import_sheets([world.sheets[b] for b in world.batch_ids])
    _wait(qtbot, page)
    qtbot.waitUntil(lambda: page.report is not None and not page.busy, timeout=60000)
    assert not [m for m in messages if m[2]], messages
    report = page.report
    assert {p.batch_id for p in report.panels} == set(world.batch_ids)
    for b in world.batch_ids:
        assert window.workspace.current_sheets(b)

    # ranking: raw and normalised side by side, changed decisions shaded and marked
    form_id, center_type = page.ranking.cohortCombo.currentData()
    rows = report.results.rows_for(form_id, center_type)
    assert page.ranking.table.rowCount() == len(rows)
    headers = [page.ranking.table.horizontalHeaderItem(i).text() for i in range(page.ranking.table.columnCount())]
    assert (("原始排名" in headers and "标准化排名" in headers) if zh
            else ("Raw rank" in headers and "Normalised rank" in headers))
    changed = [i for i, r in enumerate(rows) if "normalised.conclusion_differs" in r.flag_codes]
    assert page.ranking.changed_rows() == changed
    for i in changed:
        assert page.ranking.table.item(i, 0).background().color().name() == "#fff1c2"
    assert page.panels.panels.rowCount() == len(report.results.panels)
    assert page.panels.experts.rowCount() == sum(len(e.experts) for e in report.results.panels)

    # the official ranking: the normalised one needs a reason
    page.official.normRadio.setChecked(True)
    assert not page.official.saveButton.isEnabled()
    page.official.reasonEdit.setPlainText("各组评分尺度差异明显")
    assert page.official.saveButton.isEnabled()
    page.official.saveButton.click()
    _wait(qtbot, page)
    assert page.report.results.official.basis == "normalised"
    assert page.report.results.official.reason == "各组评分尺度差异明显"
    assert ("标准化得分" if zh else "normalised") in page.ranking.summary.text()

    # decisions and objections: a bad date is refused in the user's language
    d = page.decisions
    d.centerCombo.setCurrentIndex(0)
    batch_id, proposal_id = d.centerCombo.currentData()
    d.decidedOn.setText("2027/07/01")
    d.decision.setText("同意评估结论")
    d.decideButton.click()
    assert messages and messages[-1][2]
    assert ("日期应为 YYYY-MM-DD" if zh else "A date is YYYY-MM-DD") in messages[-1][1]
    assert round_store.decisions(window.workspace, "R2027") == []
    d.decidedOn.setText("2027-07-01")
    d.documentNumber.setText("津科发〔2027〕12号")
    d.decideButton.click()
    _wait(qtbot, page)
    assert d.decisions.rowCount() == 1 and d.decisions.item(0, 4).text() == "津科发〔2027〕12号"
    d.receivedOn.setText("2027-06-21")
    d.submittedBy.setText("某某公司")
    d.summary.setText("对得分有异议")
    d.objectButton.click()
    _wait(qtbot, page)
    assert d.objections.rowCount() == 1 and d.objections.item(0, 6).text() == ("处理中" if zh else "Open")
    d.objections.selectRow(0)
    d.outcome.setText("维持原结论")
    d.outcomeOn.setText("2027-06-28")
    d.settleButton.click()
    _wait(qtbot, page)
    assert d.objections.item(0, 6).text() == "维持原结论"
    assert [o.outcome for o in round_store.objections(window.workspace, "R2027")] == ["维持原结论"]

    # the notice template: an unknown placeholder is refused, a good one kept
    pub = page.publication
    assert "{agency}" in pub.noticeEdit.toPlainText()  # the default template
    pub.noticeEdit.setPlainText("关于{round_titel}的公示")
    pub.saveNoticeButton.click()
    assert ("占位符" if zh else "placeholder") in messages[-1][1]
    assert round_store.notice(window.workspace, "R2027") == ""
    pub.noticeEdit.setPlainText("关于{round_title}结果的公示\n公示期：2027年6月20日至26日。\n{agency}")
    pub.saveNoticeButton.click()
    _wait(qtbot, page)
    assert round_store.notice(window.workspace, "R2027").startswith("关于{round_title}")

    # exports, then the previous round from its round.csv
    out = tmp_path / "out"
    assert page.export(out)
    _wait(qtbot, page)
    for name in ("round.pdf", "round.xlsx", "round.csv", "publication.pdf", "publication.xlsx"):
        assert (out / name).is_file(), name
    for b in world.batch_ids:
        assert (out / b / "consolidated.pdf").is_file()
    from pyhanko.pdf_utils.reader import PdfFileReader  # the 公示 list and the reports signed by the agency

    for path in (out / "publication.pdf", out / "round.pdf", out / world.batch_ids[0] / "consolidated.pdf"):
        with path.open("rb") as fh:
            assert [s.field_name for s in PdfFileReader(fh, strict=False).embedded_signatures] == ["AgencySignature"]
    assert page.new_round(("R2030", "2030 年度专业性技术创新中心评估", 2030))
    assert page.import_previous(out / "round.csv")
    _wait(qtbot, page)
    assert len(round_store.previous(window.workspace, "R2030")) == len(report.results.rows)
    assert str(len(report.results.rows)) in pub.previousStatus.text()

    folder = os.environ.get("TIC_SCREENSHOT_DIR")
    if folder:
        page.roundCombo.setCurrentIndex(page.roundCombo.findData("R2027"))
        _wait(qtbot, page)
        qtbot.waitUntil(lambda: page.report is not None and not page.busy, timeout=60000)
        window.resize(1093, 576)  # 1366×720 at 125% (a 1366×768 laptop without its taskbar)
        shot = page  # the page alone: the window's width is set by its widest page
        for tab, name in ((0, "agency-round"), (1, "agency-round-panels"), (3, "agency-round-decisions")):
            page.tabs.setCurrentIndex(tab)
            qtbot.wait(100)
            shot.grab().save(str(Path(folder) / f"{name}-{lang}.png"))
    window.shutdown()


def test_a_round_with_no_batches_says_what_to_do(qtbot, tmp_path: Path, world: RoundWorld) -> None:  # noqa: ANN001
    window, page, messages = open_round_page(qtbot, agency_with_batches(world, tmp_path / "agency"), "zh")
    assert "新建轮次" in page.roundCombo.currentText()
    assert not page.new_round(("bad id!", "", 1999))
    assert messages and "编号" in messages[-1][1]
    assert page.new_round(("R1", "一轮", 2027))
    assert not page.consolidateButton.isEnabled() or page.report is None
    assert page.ranking.table.rowCount() == 0 and "尚未汇总" in page.ranking.summary.text()
    window.shutdown()


def test_a_sheet_of_a_batch_outside_the_round_is_named_and_not_imported(qtbot, tmp_path: Path,  # noqa: ANN001
                                                                          world: RoundWorld) -> None:
    window, page, messages = open_round_page(qtbot, agency_with_batches(world, tmp_path / "agency"), "zh")
    first, second = world.batch_ids
    assert page.new_round(("R1", "一轮", 2027))
    page.add_batches([first])
    _wait(qtbot, page)
    assert page.import_sheets([world.sheets[first], world.sheets[second]])
    # the work runs off the GUI thread: the page shows its progress and takes no second job meanwhile
    assert page.busy and page.progress.isVisible() and not page.importButton.isEnabled()
    assert not page.consolidate()
    _wait(qtbot, page)
    qtbot.waitUntil(lambda: page.report is not None and not page.busy, timeout=60000)
    others = sorted(p.name for p in world.sheets[second].glob("*.ticsheet"))
    assert messages and messages[0][0] == "部分评分表未使用"
    for name in others:
        assert f"{name}：属于不在本轮中的批次 {second}" in messages[0][1]
    assert window.workspace.current_sheets(second) == []
    assert {p.batch_id for p in page.report.panels} == {first}
    window.shutdown()
