"""The mode choice at start: 专家评审 / 机构汇总, remembered; `--agency` and `--agency --demo`."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.flow import wait_until
from tic_desktop.app import app_modes, create_app


def _close(app) -> None:  # noqa: ANN001 - the ExpertFlow
    app_modes(app).shutdown()
    app.shutdown()


def test_the_start_page_offers_both_modes_and_remembers_the_agency(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "d"
    app = create_app(["tic-desktop"], data_dir=data)
    qtbot.addWidget(app.window)
    page = app.window.start_page.ui
    assert page.expertModeButton.text() == "专家评审" and page.agencyModeButton.text() == "机构汇总"
    assert page.expertModeButton.isChecked()
    page.agencyModeButton.click()
    agency = app_modes(app).agency
    assert agency is not None and agency.isVisible() and not app.window.isVisible()
    assert agency.page_names()[:2] == ["机构密钥", "生成批次"]
    assert agency.keys_dir == data / "agency" / "keys"
    _close(app)

    again = create_app(["tic-desktop"], data_dir=data)  # the last mode comes back
    agency = app_modes(again).agency
    assert agency is not None and agency.isVisible() and not again.window.isVisible()
    agency.expertAction.trigger()
    assert again.window.isVisible() and not agency.isVisible()
    _close(again)

    third = create_app(["tic-desktop"], data_dir=data)
    assert app_modes(third).agency is None and third.window.isVisible()
    _close(third)


def test_dash_dash_agency_opens_the_agency_window(qtbot, tmp_path: Path) -> None:
    app = create_app(["tic-desktop", "--agency"], data_dir=tmp_path / "d")
    agency = app_modes(app).agency
    assert agency is not None and agency.isVisible() and not app.window.isVisible()
    assert agency.current_page() is agency.keys_page  # no keys yet: start with them
    assert not agency.keys_page.has_keys() and agency.current_batch_id() == ""
    _close(app)


def test_agency_demo_has_the_demo_keys_and_batch_but_leaves_real_keys_alone(qtbot, tmp_path: Path) -> None:
    data = tmp_path / "d"
    app = create_app(["tic-desktop", "--agency", "--demo"], data_dir=data)
    agency = app_modes(app).agency
    assert agency.demo and "演示" in agency.windowTitle()
    assert agency.keys_page.has_keys() and "SHA256" in agency.keys_page.fingerprintLabel.text()
    wait_until(lambda: agency.current_batch_id())
    assert agency.context() is not None and agency.context().batch.manifest.experts
    assert agency.wizard.folderEdit.text().endswith("source")
    assert not (data / "agency" / "keys").exists()
    # the experts' returned sheets are simulated in the background, their keys registered in advance
    page = agency.import_page
    assert not page.demoButton.isHidden()
    wait_until(lambda: page.demoButton.isEnabled(), timeout=120)
    assert page.demoButton.text() == "导入演示评分表"
    page.demoButton.click()
    wait_until(lambda: not page.is_busy() and page.last_outcomes, timeout=60)
    assert sorted(o.status for o in page.last_outcomes) == ["accepted"] * 7
    _close(app)
