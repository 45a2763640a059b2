"""Issue 11: the expert demo is sealed off from the expert's real workspace."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QMessageBox

from tests.e2e.flow import wait_dialog, wait_until
from tic_desktop.app import create_app
from tic_desktop.demo import write_demo_batch
from tic_desktop.expert.session import ExpertSession
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT
from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog


def test_the_demo_button_switches_to_the_demo_workspace_and_back(qtbot: Any, tmp_path: Path) -> None:
    data = tmp_path / "d"
    app = create_app(["tic-desktop"], data_dir=data)
    window = app.window
    qtbot.addWidget(window)
    assert not app.demo and "演示" not in window.windowTitle() and not window.demo_banner.isVisible()
    window.start_page.ui.demoButton.click()
    dialog = wait_dialog(app, AgencyPinDialog)
    assert app.demo and app.session.demo and app.session.data_dir == data / "demo" / "expert-demo"
    assert "演示" in window.windowTitle() and window.demo_banner.isVisible()
    dialog.reject()
    window.demo_banner.leaveButton.click()
    assert not app.demo and app.session is app.home and not app.home.demo
    assert "演示" not in window.windowTitle() and not window.demo_banner.isVisible()
    assert app.home.workspace.agency_pins() == [] and app.home.workspace.batches() == []
    app.shutdown()


def test_a_demo_pin_from_an_older_version_does_not_open_the_demo_key_in_the_real_workspace(
    qtbot: Any, tmp_path: Path
) -> None:
    data = tmp_path / "d"
    demo = write_demo_batch(tmp_path / "demo")
    old = ExpertSession.open(data)  # what --demo did before: the demo batch pinned in the real workspace
    opened = ExpertSession.read(demo.read_bytes())
    old.workspace.add_batch(raw=demo.read_bytes(), batch_id=opened.manifest.batch_id,
                            manifest_sha256=opened.manifest_sha256, title_zh=opened.manifest.title.zh,
                            title_en=opened.manifest.title.en, kind=opened.manifest.kind,
                            agency_name=opened.manifest.agency.name, agency_fingerprint=opened.agency_fingerprint)
    old.records.ui_set("last_batch", opened.manifest.batch_id)
    opened.close()
    old.close()

    app = create_app(["tic-desktop", str(demo)], data_dir=data)
    qtbot.addWidget(app.window)
    box = wait_until(lambda: app.dialog if isinstance(app.dialog, QMessageBox) else None)
    assert box.objectName() == "agency.demo_key" and "演示密钥" in box.text()
    assert app.window.start_page.ui.recentList.count() == 0  # the old demo copy is not offered
    assert app.home.workspace.get_pinned_agency(opened.manifest.agency.name) == DEMO_AGENCY_FINGERPRINT
    assert app.session.pin_state is not None and not app.demo
    box.accept()
    app.shutdown()
