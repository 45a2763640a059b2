"""create_app(): start page, --demo, recent batches, bad files, refused agency key, language."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from tests.e2e.flow import wait_dialog, wait_until
from tic_desktop.app import create_app
from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog
from tic_desktop.ui.common.settings_dialog import Settings

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def demo_batch(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.batches import write_test_batch

    return write_test_batch(tmp_path_factory.mktemp("demo"))


def _close(app) -> None:
    app.shutdown()


def test_start_page_then_demo_written_once(qtbot, tmp_path: Path) -> None:
    app = create_app(["tic-desktop"], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    assert app.window.ui.stack.currentWidget() is app.window.ui.startHost
    assert not app.window.start_page.ui.recentList.isVisible()
    app.window.start_page.ui.demoButton.click()
    pin = wait_dialog(app, AgencyPinDialog)
    assert pin.ui.fingerprintLabel.text().startswith("SHA256:")
    demo = tmp_path / "d" / "demo" / "demo.ticbatch"
    first = demo.stat().st_mtime_ns
    pin.reject()
    app.open_demo()
    wait_dialog(app, AgencyPinDialog).reject()
    assert demo.stat().st_mtime_ns == first
    _close(app)


def test_bad_file_is_explained_on_the_start_page(qtbot, tmp_path: Path) -> None:
    bad = tmp_path / "x.ticbatch"
    bad.write_bytes(b"not a zip at all")
    app = create_app(["tic-desktop", str(bad)], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    label = app.window.start_page.ui.errorLabel
    wait_until(lambda: label.text())
    assert "批次" in label.text() or "文件" in label.text()
    _close(app)


def test_a_score_sheet_opened_as_a_batch_says_what_it_is(qtbot, tmp_path: Path) -> None:
    # the installer associates .ticsheet with the app too; the file is encrypted to the agency
    sheet = tmp_path / "E01.ticsheet"
    sheet.write_bytes(b"age-encryption.org/v1\n-> X25519 abc\nxyz\n--- def\n" + bytes(64))
    app = create_app(["tic-desktop", str(sheet)], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    label = app.window.start_page.ui.errorLabel
    wait_until(lambda: label.text())
    assert "评分表文件（.ticsheet）" in label.text() and "密钥" not in label.text()
    _close(app)


def test_changed_agency_key_is_refused(qtbot, tmp_path: Path, demo_batch: Path) -> None:
    app = create_app(["tic-desktop", str(demo_batch)], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    pin = wait_dialog(app, AgencyPinDialog)
    agency = app._opened.manifest.agency.name  # noqa: SLF001
    pin.reject()
    app.session.workspace.pin_agency(agency, "SHA256:" + "Q" * 43)
    app.open_file(str(demo_batch))
    box = wait_dialog(app, QMessageBox)
    assert "密钥" in box.text() and "SHA256:" + "Q" * 43 in box.text()
    box.accept()
    assert app.window.ui.stack.currentWidget() is app.window.ui.startHost
    assert app.session.records.batches() == []
    _close(app)


def test_english_everywhere_and_live_switch(qtbot, tmp_path: Path) -> None:
    app = create_app(["tic-desktop", "--lang", "en"], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    page = app.window.start_page.ui
    texts = [page.titleLabel.text(), page.subtitleLabel.text(), page.openButton.text(), page.demoButton.text(),
             app.window.windowTitle()] + [a.text() for a in app.window.menuBar().actions()]
    assert not [t for t in texts if CJK.search(t)], texts
    app._on_settings(Settings("zh", True))  # noqa: SLF001 - what the settings dialog's OK does
    assert CJK.search(page.openButton.text()) and CJK.search(app.window.menuBar().actions()[0].text())
    assert app.session.ui_get("settings") == {"lang": "zh", "large_font": True}
    assert app.qapp.font().pointSizeF() > app._base_font.pointSizeF()  # noqa: SLF001
    app._on_settings(Settings("zh", False))  # noqa: SLF001
    _close(app)


def test_opening_can_be_cancelled_and_f1_opens_the_guide(qtbot, tmp_path: Path, demo_batch: Path) -> None:
    from PySide6.QtTest import QTest

    from tic_desktop.ui.common.guide_dialog import GuideDialog

    app = create_app(["tic-desktop"], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    app.read_batch(demo_batch.read_bytes(), None)
    assert app.busy and app.progress is not None
    app.progress.canceled.emit()  # what its Cancel button does
    assert not app.busy
    QTest.qWait(1500)  # the read finishes in the background and is dropped
    assert app.dialog is None and app.window.ui.stack.currentWidget() is app.window.ui.startHost
    app.window.ui.guideAction.trigger()
    guide = wait_dialog(app, GuideDialog)
    assert "F1" in guide.ui.textBrowser.toPlainText()
    guide.reject()
    _close(app)


def test_drop_a_batch_onto_the_window(qtbot, tmp_path: Path, demo_batch: Path) -> None:
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDragEnterEvent, QDropEvent

    app = create_app(["tic-desktop"], data_dir=tmp_path / "d")
    qtbot.addWidget(app.window)
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(demo_batch))])
    enter = QDragEnterEvent(app.window.rect().center(), Qt.DropAction.CopyAction, mime,
                            Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    app.window.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(QPointF(app.window.rect().center()), Qt.DropAction.CopyAction, mime,
                      Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    app.window.dropEvent(drop)
    wait_dialog(app, AgencyPinDialog).reject()
    _close(app)
