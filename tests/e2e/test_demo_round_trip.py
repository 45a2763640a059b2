"""Issue 17 item 10 and issue 11 (the demo sealed off): the whole round trip a newcomer can try.

`tic-desktop --demo` runs the expert demo in its own workspace (演示 in the title and a banner), the
expert signs a sheet there, and `--agency --demo` imports it: one demo batch serves both demos (the
same manifest hash), and the expert's real workspace is never touched.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.flow import wait_dialog, wait_until, walk_to_review
from tests.e2e.test_expert_sign import _score_everything
from tic_desktop.app import app_modes, create_app
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.sheet import read_sheet
from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog
from tic_desktop.ui.expert.review_dialog import ReviewDialog

PASSPHRASE = "Haihe river 2026"


def _grab(widget: Any, name: str) -> None:
    folder = os.environ.get("TIC_DEMO_SHOT_DIR")
    if folder:
        widget.grab().save(str(Path(folder) / f"{name}.png"))


def test_a_sheet_signed_in_the_expert_demo_is_accepted_by_the_agency_demo(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    messages: list[tuple[str, str, bool]] = []
    monkeypatch.setattr(ReviewDialog, "_ask_passphrase", lambda self, error: PASSPHRASE)
    monkeypatch.setattr(ReviewDialog, "_ask_folder", lambda self, current: str(usb))
    monkeypatch.setattr(ReviewDialog, "_show_message", lambda self, t, text, warn: messages.append((t, text, warn)))
    data = tmp_path / "d"

    app = create_app(["tic-desktop", "--demo"], data_dir=data)
    window = app.window
    qtbot.addWidget(window)
    wait_dialog(app, AgencyPinDialog)
    assert app.demo and app.session is not app.home
    assert app.session.data_dir == data / "demo" / "expert-demo"
    assert "演示" in window.windowTitle() and window.demo_banner.isVisible()
    assert "演示模式" in window.demo_banner.label.text() and "演示工作区" in window.demo_banner.toolTip()
    _grab(window, "demo-start")
    walk_to_review(app)
    assert "演示" in window.windowTitle() and window.demo_banner.isVisible()
    _grab(window, "demo-review")
    _score_everything(app.session)
    window.ui.signAction.trigger()
    review = wait_until(lambda: next((d for d in window.findChildren(ReviewDialog) if d.isVisible()), None))
    with qtbot.waitSignal(review.signed, timeout=60000):
        review.signButton.click()
    sheets = list(usb.glob("*.ticsheet"))
    assert len(sheets) == 1, messages
    review.close()

    # the expert's real workspace holds nothing of the demo: no batch, no pinned (demo) agency key
    assert app.home.recent_batches() == [] and app.home.workspace.agency_pins() == []
    assert app.home.workspace.batches() == []

    # the agency demo, on the same data folder: the same demo batch, so the sheet is accepted once
    # the expert's key is confirmed (it is not known in advance: the newcomer made it just now)
    agency = app_modes(app).show_agency(demo=True)
    wait_until(lambda: agency.current_batch_id(), timeout=60)
    page = agency.import_page
    asked: list[Any] = []
    page.confirm_pin = lambda outcome: asked.append(outcome) or True
    assert page.add_paths(sheets)
    wait_until(lambda: not page.is_busy() and page.last_outcomes
               and page.last_outcomes[0].status in ("accepted", "rejected"), timeout=60)
    outcome = page.last_outcomes[0]
    assert outcome.status == "accepted", outcome.message("zh")
    assert [o.expert_id for o in asked] == ["E01"]
    agency_batch = data / "demo" / "agency-demo" / "batch" / "demo.ticbatch"
    with read_batch(agency_batch) as opened, read_batch(data / "demo" / "demo.ticbatch") as expert_batch:
        assert opened.manifest_sha256 == expert_batch.manifest_sha256
        identity = (data / "demo" / "agency-demo" / "keys" / "agency.agekey").read_text()
        assert read_sheet(sheets[0], opened, identity=identity).sheet.expert_id == "E01"

    # the demo's simulated sheets then come in beside it: E01 keeps the key confirmed above
    wait_until(lambda: page.demoButton.isEnabled(), timeout=180)
    page.demoButton.click()
    wait_until(lambda: not page.is_busy() and len(page.last_outcomes) == 6, timeout=120)
    assert sorted(o.status for o in page.last_outcomes) == ["accepted"] * 6
    assert "E01" not in {o.expert_id for o in page.last_outcomes}
    app_modes(app).shutdown()
    app.shutdown()
