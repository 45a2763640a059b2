"""登记专家密钥: an expert's key pinned in advance from the paper enrolment sheet (typed or QR-scanned),
then their sheet is accepted without a question and a sheet signed by another key is refused."""

from __future__ import annotations

from pathlib import Path

from tests.ui.agency_setup import ctx, demo_round, sheets_dir  # noqa: F401 - fixtures
from tic_desktop.agency.enrolment import UNREADABLE
from tic_desktop.core.errors import message
from tic_desktop.formats.sheet import parse_allowed_signers
from tic_desktop.reports.enrolment_pdf import EnrolmentInput, enrolment_qr
from tic_desktop.ui.agency.enrol_key_dialog import EnrolKeyDialog
from tic_desktop.ui.agency.sheet_import_page import SheetImportPage


def _fingerprints(sheets: Path) -> dict[str, str]:
    return {eid: fps[0] for eid, fps in parse_allowed_signers((sheets / "allowed_signers").read_text()).items()}


def test_the_dialog_reads_a_printed_fingerprint_or_a_scanned_qr(qtbot, ctx, sheets_dir: Path) -> None:  # noqa: F811
    fps = _fingerprints(sheets_dir)
    experts = list(ctx.batch.manifest.experts)
    dialog = EnrolKeyDialog(experts, {"E01": object()})
    qtbot.addWidget(dialog)
    assert dialog.expertCombo.itemText(0).endswith("（已登记）")
    ok = dialog.buttons.buttons()[0]
    dialog.fingerprintEdit.setText("SHA256: 12")
    assert not ok.isEnabled() and dialog.resultLabel.text() == message(UNREADABLE, "zh")
    body = fps["E02"].removeprefix("SHA256:")
    dialog.expertCombo.setCurrentIndex(dialog.expertCombo.findData("E02"))
    dialog.fingerprintEdit.setText("SHA256: " + " ".join(body[i:i + 4] for i in range(0, len(body), 4)))
    assert ok.isEnabled() and dialog.choice() == ("E02", fps["E02"])
    qr = enrolment_qr(EnrolmentInput(expert_id="E05", name="赵志刚", unit="", title="", fingerprint=fps["E05"],
                                     openssh="ssh-ed25519 AAAA", age_recipient="age1" + "q" * 58, date="2026-03-01"))
    dialog.fingerprintEdit.setText(qr)  # the scanner types the QR text: its expert is selected
    assert dialog.expertCombo.currentData() == "E05" and dialog.choice() == ("E05", fps["E05"])
    dialog.fingerprintEdit.setText(qr.replace("expert=E05", "expert=X99"))  # a sheet of another panel
    assert not ok.isEnabled() and dialog.choice() is None and "另一位专家" in dialog.resultLabel.text()


def test_pinned_from_the_enrolment_sheet_then_imported(qtbot, ctx, sheets_dir: Path) -> None:  # noqa: F811
    fps = _fingerprints(sheets_dir)
    page = SheetImportPage()
    qtbot.addWidget(page)
    page.set_context(ctx)
    page.show_message = lambda *a: page.__dict__.setdefault("messages", []).append(a)
    page.ask_enrolment = lambda experts, pins: ("E03", fps["E03"])
    page.enrolButton.click()
    assert page.messages[-1][0] == "密钥已登记"
    assert ctx.ws.pins(ctx.batch_id)["E03"].source == "enrolment"
    page.ask_enrolment = lambda experts, pins: ("E04", fps["E05"])  # the wrong line of the list
    page.enrolButton.click()
    page.confirm_pin = lambda outcome: False
    page.add_paths([sheets_dir / "E03.ticsheet", sheets_dir / "E04.ticsheet"])
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=20000)
    status = {o.expert_id: o.status for o in page.last_outcomes}
    assert status == {"E03": "accepted", "E04": "rejected"}  # E04's own key is not the one enrolled
    assert [r.expert_id for r in ctx.ws.current_sheets(ctx.batch_id)] == ["E03"]


def test_the_dialog_reads_the_enrolment_pdf_file_the_expert_saved(qtbot, ctx, tmp_path: Path) -> None:  # noqa: F811
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tic_desktop.agency.enrolment import NOT_ENROLMENT_FILE
    from tic_desktop.formats.sshsig import fingerprint, public_key_line
    from tic_desktop.reports.enrolment_pdf import render_enrolment

    public = Ed25519PrivateKey.generate().public_key()
    sheet = tmp_path / "登记表-E04.pdf"
    sheet.write_bytes(render_enrolment(EnrolmentInput(
        expert_id="E04", name="专家四", unit="", title="", fingerprint=fingerprint(public),
        openssh=public_key_line(public, "E04"), age_recipient="age1" + "q" * 58, date="2026-12-03")))
    dialog = EnrolKeyDialog(list(ctx.batch.manifest.experts), {})
    qtbot.addWidget(dialog)
    dialog.pick_file = lambda: str(sheet)
    dialog.fileButton.click()
    assert dialog.expertCombo.currentData() == "E04" and dialog.choice() == ("E04", fingerprint(public))
    assert dialog.buttons.buttons()[0].isEnabled()
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.7\n%%EOF\n")
    dialog.pick_file = lambda: str(other)
    dialog.fileButton.click()
    assert dialog.choice() is None and not dialog.buttons.buttons()[0].isEnabled()
    assert dialog.resultLabel.text() == message(NOT_ENROLMENT_FILE, "zh")
