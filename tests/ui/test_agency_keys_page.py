"""机构密钥 page: create keys through the widgets, fingerprint shown, backup → restore elsewhere, wrong passphrase."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication

from tests.e2e.flow import wait_until
from tic_desktop.agency import keys as ak
from tic_desktop.formats import age_passphrase
from tic_desktop.formats.keys import load_agency_keys
from tic_desktop.ui.agency.agency_keys_page import AgencyKeysPage

KEY_PASS = "海河边-七座桥-灯火明"
BACKUP_PASS = "Backup: 津门 故里 93 号楼"


@pytest.fixture(autouse=True)
def _fast_scrypt(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(age_passphrase, "LOG_N", 10)  # the format is the same, the test is quicker


def _page(qtbot, root: Path) -> AgencyKeysPage:  # noqa: ANN001
    page = AgencyKeysPage(root / "agency" / "keys", root / "agency")
    qtbot.addWidget(page)
    page.resize(1000, 700)
    page.show()
    return page


def _create(qtbot, page: AgencyKeysPage) -> None:  # noqa: ANN001
    assert page.createBox.isVisible() and not page.keysBox.isVisible()
    p = page.newPassphrase
    p.passphraseEdit.setText("short")
    assert not page.createButton.isEnabled() and "太弱" in p.strengthLabel.text()
    p.passphraseEdit.setText(KEY_PASS)
    p.confirmEdit.setText(KEY_PASS + "x")
    assert not page.createButton.isEnabled() and "不一致" in p.strengthLabel.text()
    p.confirmEdit.setText(KEY_PASS)
    assert page.createButton.isEnabled()
    page.createButton.click()
    wait_until(lambda: page.keysBox.isVisible())


def test_create_show_copy_backup_restore(qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path / "one")
    _create(qtbot, page)
    keys = load_agency_keys(page.keys_dir, passphrase=KEY_PASS.encode())
    shown = "".join(page.fingerprintLabel.text().split())
    assert shown == "SHA256:" + keys.fingerprint.removeprefix("SHA256:")
    assert keys.age_recipient in page.recipientLabel.text()
    page.copyButton.click()
    assert QApplication.clipboard().text() == keys.fingerprint

    backup = tmp_path / "usb" / "agency.tickeys"
    backup.parent.mkdir()
    page.ask_save_file = lambda *_a: str(backup)
    page.backupButton.click()
    dialog = page.dialog
    assert dialog is not None and not dialog.ok.isEnabled()
    dialog.passphrase.passphraseEdit.setText(BACKUP_PASS)
    dialog.passphrase.confirmEdit.setText(BACKUP_PASS)
    dialog.ok.click()
    wait_until(lambda: "备份已写入" in page.statusLabel.text())
    assert backup.is_file()

    other = _page(qtbot, tmp_path / "two")  # an empty data folder, e.g. a new computer
    other.ask_open_file = lambda *_a: str(backup)
    other.restoreFirstButton.click()
    other.dialog.ui.passphraseEdit.setText("这不是备份口令")
    other.dialog.accept()
    wait_until(lambda: other.dialog is not None and other.dialog.ui.errorLabel.isVisible())
    assert "备份口令不正确" in other.dialog.ui.errorLabel.text()
    other.dialog.ui.passphraseEdit.setText(BACKUP_PASS)
    other.dialog.accept()
    wait_until(lambda: other.keysBox.isVisible())
    assert other.fingerprintLabel.text() == page.fingerprintLabel.text()
    assert load_agency_keys(other.keys_dir, passphrase=KEY_PASS.encode()).fingerprint == keys.fingerprint


def test_restore_over_other_keys_asks_and_keeps_them_when_refused(qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path / "one")
    _create(qtbot, page)
    backup = tmp_path / "agency.tickeys"
    ak.write_backup(page.keys_dir, backup, BACKUP_PASS)
    other = _page(qtbot, tmp_path / "two")
    _create(qtbot, other)
    before = ak.public_info(other.keys_dir).fingerprint
    asked: list[str] = []
    other.ask_open_file = lambda *_a: str(backup)
    other.ask_confirm = lambda _t, text: asked.append(text) or False
    other.restoreButton.click()
    other.dialog.ui.passphraseEdit.setText(BACKUP_PASS)
    other.dialog.accept()
    wait_until(lambda: asked)
    assert before in asked[0]
    wait_until(lambda: "未替换" in other.statusLabel.text())
    assert ak.public_info(other.keys_dir).fingerprint == before


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils needed")
def test_print_fingerprint_needs_the_agency_name_then_writes_the_pdf(qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path / "one")
    _create(qtbot, page)
    out = tmp_path / "指纹.pdf"
    page.ask_save_file = lambda *_a: str(out)
    page.printButton.click()
    assert "机构名称" in page.statusLabel.text() and not out.exists()
    page.nameEdit.setText("天津市科学技术评估中心")
    page.printButton.click()
    wait_until(lambda: "指纹页已保存" in page.statusLabel.text())
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    assert "天津市科学技术评估中心" in text
    assert ak.public_info(page.keys_dir).fingerprint in "".join(text.split())
    assert ak.agency_name(page.agency_dir) == "天津市科学技术评估中心"
    # the certificate that signs the agency's PDFs, printed beside the key (made with the keys)
    from tic_desktop.formats.docsign import certificate_fingerprint

    cert = certificate_fingerprint(page.keys_dir).replace(":", "")
    assert cert and cert in "".join(text.split()).replace("SHA-256：", "")


def test_the_keys_made_here_name_the_agency_in_the_pdf_signing_certificate(qtbot, tmp_path: Path) -> None:
    from tic_desktop.formats import docsign

    page = _page(qtbot, tmp_path)
    page.nameEdit.setText("天津市科学技术评估中心")
    _create(qtbot, page)
    key = (page.keys_dir / docsign.KEY_FILE).read_bytes()
    assert key.startswith(b"age-encryption.org/v1")  # sealed under the same passphrase
    signer = docsign.load_document_key(page.keys_dir, KEY_PASS)
    assert signer.subject_name == "天津市科学技术评估中心"


# ── the sealed agency.agekey: unlocked once per session (issue 11, finding 7) ───────────────

def test_created_keys_are_sealed_and_the_page_says_so(qtbot, tmp_path: Path) -> None:
    page = _page(qtbot, tmp_path)
    _create(qtbot, page)
    sealed = (page.keys_dir / "agency.agekey").read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1")
    assert b"AGE-SECRET-KEY" in age_passphrase.decrypt(sealed, KEY_PASS)
    assert "已用机构密钥口令加密保存" in page.protectionLabel.text()
    assert page.unlocked is not None and page.unlocked[1] == KEY_PASS.encode()


def test_the_window_asks_the_key_passphrase_once_per_session(qtbot, tmp_path: Path) -> None:
    from tic_desktop.agency.build import build_batches
    from tic_desktop.agency.workspace import AgencyWorkspace
    from tic_desktop.demo import build_demo_source
    from tic_desktop.formats.keys import create_agency_keys
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    agency = tmp_path / "agency"
    keys = create_agency_keys(agency / "keys", passphrase=KEY_PASS.encode())
    [(batch, _manifest)] = build_batches(build_demo_source(tmp_path / "src"), tmp_path / "b.ticbatch", keys)
    ws = AgencyWorkspace.open(agency / "agency.db", check_location=False)
    ws.add_batch(batch, keys.age_identity_text())
    ws.close()

    asked: list[str] = []
    answers = iter(["不是这个口令", KEY_PASS])

    def ask(error: str) -> str | None:
        asked.append(error)
        return next(answers)

    original = AgencyWindow._ask_key_passphrase
    AgencyWindow._ask_key_passphrase = lambda self, error: ask(error)  # type: ignore[method-assign]
    try:
        window = AgencyWindow(agency)
    finally:
        AgencyWindow._ask_key_passphrase = original  # type: ignore[method-assign]
    qtbot.addWidget(window)
    assert asked == ["", "密钥口令不正确。请重新输入。"]  # a wrong passphrase says so and asks again
    assert window.context() is not None and window.context().batch.manifest.experts
    assert window.identity() == window.context().identity and "AGE-SECRET-KEY-1" in window.identity()
    window.ask_key_passphrase = lambda error: pytest.fail("asked twice")  # type: ignore[assignment]
    window.refresh_batches()
    assert window.identity() is not None
    # the batch wizard signs with the session's passphrase: it does not ask for it either
    assert window.wizard.session_passphrase() == KEY_PASS.encode() and not window.wizard._needs_key_pass()
    assert "已用机构密钥口令加密保存" in window.keys_page.protectionLabel.text()
    window.shutdown()


def test_cancelling_the_unlock_leaves_the_batch_closed(qtbot, tmp_path: Path) -> None:
    from tic_desktop.formats.keys import create_agency_keys
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    create_agency_keys(tmp_path / "agency" / "keys", passphrase=KEY_PASS.encode())
    window = AgencyWindow(tmp_path / "agency")
    qtbot.addWidget(window)
    window.ask_key_passphrase = lambda error: None  # type: ignore[assignment]
    assert window.identity() is None and window.context() is None
    window.shutdown()


def test_old_plain_keys_still_open_with_a_warning(qtbot, tmp_path: Path) -> None:
    from tic_desktop.formats.keys import create_agency_keys

    create_agency_keys(tmp_path / "agency" / "keys")  # plain, as folders made before the rule
    page = _page(qtbot, tmp_path)
    assert "未用口令保护" in page.protectionLabel.text()
