"""专家库 and 抽取专家 pages, in Chinese and English: a bad pool file is refused with its file, row and
column (nothing imported), a good one imported (audited), exported and re-read; aliases; a draw
through the page writes the signed record, shows the seed and panels; a replacement makes revision 2."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tic_desktop.agency import pool_store
from tic_desktop.agency.draw_record import replay
from tic_desktop.agency.pool import read_pool
from tic_desktop.agency.pool_sample import write_sample
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.formats.keys import create_agency_keys
from tic_desktop.ui.agency.draw_page import DrawPage
from tic_desktop.ui.agency.pool_page import PoolPage
from tic_desktop.ui.common.i18n import install_translators

BAD = "expert_id,name,unit,title,role,fields\nE1,张三,天津大学,教授,技术,人工智能\nE2,李四,南开大学,教授,厨师,人工智能\n"


@pytest.fixture(params=["zh", "en"])
def lang(request: pytest.FixtureRequest):  # noqa: ANN201
    install_translators(QApplication.instance(), request.param)
    yield request.param
    install_translators(QApplication.instance(), "zh")


@pytest.fixture
def ws(tmp_path: Path):  # noqa: ANN201
    w = AgencyWorkspace.open(tmp_path / "agency" / "agency.db")
    yield w
    w.close()


def _grab(widget, name: str) -> None:  # noqa: ANN001
    folder = os.environ.get("TIC_SCREENSHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / name))


def test_pool_page_import_export_and_mistakes(qtbot, tmp_path: Path, ws: AgencyWorkspace, lang: str) -> None:  # noqa: ANN001
    page = PoolPage(ws, lang)
    qtbot.addWidget(page)
    page.resize(1200, 700)
    page.show()
    bad = tmp_path / "bad.csv"
    bad.write_text(BAD, "utf-8")
    assert not page.import_file(bad)
    text = page.statusLabel.text()
    if lang == "zh":
        assert "未导入" in text and "bad.csv 第 3 行「role」列" in text and "厨师" in text
    else:
        assert "Not imported" in text and "bad.csv, row 3, column “role”" in text
    assert pool_store.experts(ws) == [] and page.model.rowCount() == 0
    pool, _props = write_sample(tmp_path / "s", 60, 12)
    assert page.import_file(pool)
    assert page.model.rowCount() == 60
    assert ("60 位专家" if lang == "zh" else "60 experts") in page.titleLabel.text()
    assert ("新增 60" if lang == "zh" else "60 added") in page.statusLabel.text()
    assert page.export_file(tmp_path / "out.xlsx") and read_pool(tmp_path / "out.xlsx") == pool_store.experts(ws)
    assert not page.set_aliases("天大\n")
    assert page.set_aliases("天大=天津大学\n南开=南开大学")
    assert pool_store.aliases(ws) == {"南开": "南开大学", "天大": "天津大学"}
    _grab(page, f"pool-page-{lang}.png")
    dialog = page.open_editor("E0002", show=False)
    assert dialog.edits["expert_id"].isReadOnly()
    dialog.edits["key_fingerprint"].setText("SHA256:nope")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.saved is None and ("密钥指纹" in dialog.errorLabel.text())
    dialog.edits["key_fingerprint"].setText("")
    dialog.edits["unit"].setText("天津科技大学")
    dialog.buttons.button(dialog.buttons.StandardButton.Save).click()
    assert dialog.saved is not None and dialog.saved.unit == "天津科技大学"
    assert next(e for e in pool_store.experts(ws) if e.expert_id == "E0002").unit == "天津科技大学"
    assert ws.audit_events()[-1].action == "pool.save_expert"
    added = page.open_editor(None, show=False)
    for key, value in (("expert_id", "N1"), ("name", "新专家"), ("unit", "天津大学"), ("fields", "人工智能")):
        added.edits[key].setText(value)
    added.buttons.button(added.buttons.StandardButton.Save).click()
    assert added.saved is not None and page.model.rowCount() == 61
    page.filterEdit.setText("E0001")
    assert page.proxy.rowCount() == 1
    page.table.selectRow(0)
    page.remove(page.selected_ids())
    assert len(pool_store.experts(ws)) == 60
    assert [e.action for e in ws.audit_events()][-5:] == ["pool.import", "pool.aliases", "pool.save_expert",
                                                          "pool.save_expert", "pool.remove_expert"]


def test_draw_page_draws_and_replaces(qtbot, tmp_path: Path, ws: AgencyWorkspace, lang: str) -> None:  # noqa: ANN001
    pool, props = write_sample(tmp_path / "s", 300, 12)
    pool_store.import_pool(ws, read_pool(pool))
    keys = create_agency_keys(tmp_path / "keys")
    page = DrawPage(ws, tmp_path / "keys", lang)
    qtbot.addWidget(page)
    page.resize(1200, 860)
    page.show()
    page.start_draw()
    assert ("请选择申报项目表" if lang == "zh" else "Choose the proposals table") in page.statusLabel.text()
    assert not page.busy
    page.centersEdit.setText(str(props))
    page.outEdit.setText(str(tmp_path / "out"))
    page.panelsSpin.setValue(3)
    page.technicalSpin.setValue(3)
    page.maxUnitSpin.setValue(1)
    page.seedEdit.setText("20270315")
    page.supervisorsEdit.setText("王监督、李纪检")
    page.dateEdit.setText("2027-02-30")
    page.start_draw()
    assert not page.busy and ("YYYY-MM-DD" in page.statusLabel.text())
    page.dateEdit.setText("")
    page.drawButton.click()
    qtbot.waitUntil(lambda: not page.busy, timeout=120_000)
    assert page.record is not None, page.statusLabel.text()
    assert "20270315" in page.seedLabel.text()
    assert page.model.rowCount() == 3 * ((3 + 1 + 1) + 3)  # the members and one reserve per role
    out = tmp_path / "out"
    assert replay(out / "draw.json", out / "pool.csv", out / "proposals.csv").ok
    assert page.record["supervisors"] == ["王监督", "李纪检"]
    assert page.exclusionModel.rowCount() == len(page.record["exclusions"]) > 0
    reason = page.exclusionModel.rows()[0][2]
    assert reason in (("本人单位为该中心的依托单位或共建单位", "申报的合作单位为该中心的依托单位或共建单位", "曾与该中心存在利益冲突",
                       "参加过该中心上一次评审（轮换）") if lang == "zh" else
                      ("works at the center's lead or member unit", "a declared collaborator is one of the center's units",
                       "had a conflict with this center before", "sat on this center's last panel (rotation)"))
    assert page.record["agency"]["fingerprint"] == keys.fingerprint
    _grab(page, f"draw-page-{lang}.png")
    member = page.record["panels"][0]["members"][1]["expert_id"]
    page.replace_expert(member, "出国")
    qtbot.waitUntil(lambda: not page.busy, timeout=120_000)
    assert page.record["revision"] == 2, page.statusLabel.text()
    assert ("第 2 版" if lang == "zh" else "revision 2") in page.statusLabel.text()
    assert [d["revision"] for d in pool_store.draws(ws)] == [1, 2]
    assert replay(out / "draw.json", out / "pool.csv", out / "proposals.csv").ok


def test_the_agency_demo_has_a_sample_pool_ready_to_draw(qtbot, tmp_path: Path) -> None:  # noqa: ANN001
    from tic_desktop.demo_agency import prepare_agency_demo
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    folder = prepare_agency_demo(tmp_path / "agency-demo")
    window = AgencyWindow(folder, "zh", demo=True)
    qtbot.addWidget(window)
    assert {"专家库", "抽取专家"} <= set(window.page_names())
    assert window.pool_page.model.rowCount() == 120
    page = window.draw_page
    assert page.agencyEdit.text() and Path(page.centersEdit.text()).is_file()
    page.technicalSpin.setValue(3)
    page.start_draw()
    qtbot.waitUntil(lambda: not page.busy, timeout=120_000)
    assert page.record is not None, page.statusLabel.text()
    assert (folder / "draw" / "draw.pdf").is_file()
    window.shutdown()
