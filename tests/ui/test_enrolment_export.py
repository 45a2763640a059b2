"""The key enrolment sheet from the app: 工具 → 打印密钥登记表… and the review dialog's button write a PDF
where the expert chooses; pdftotext gives back the name and fingerprint, zbarimg the QR code."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
from tic_desktop.formats.batch import read_batch

PASSPHRASE = "Haihe bridge 2026!"
pytestmark = pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils needed")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.batches import write_test_batch

    raw = write_test_batch(tmp_path_factory.mktemp("enrol") / "demo").read_bytes()
    return {"raw": raw, "opened": read_batch(raw)}


@pytest.fixture
def session(demo: dict[str, Any], tmp_path: Path) -> Any:
    s = ExpertSession.open(tmp_path / "data")
    s.accept(demo["opened"], demo["raw"], pin_new_agency=True)
    s.choose_expert("E04", s.create_key("E04", PASSPHRASE))
    s.accept_pledge()
    s.declare_conflicts({pid: ConflictDeclaration(False) for pid in s.conflicts()})
    yield s
    s.close()


def _check_pdf(path: Path, session: Any, tmp_path: Path) -> None:
    from tic_desktop.reports.enrolment_pdf import ENROL_PREFIX

    text = re.sub(r"\s+", "", subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], check=True,
                                             capture_output=True, text=True).stdout)
    assert "评审专家密钥登记表" in text
    assert session.expert.name in text and session.fingerprint in text
    if not (shutil.which("zbarimg") and shutil.which("pdftoppm")):
        pytest.skip("zbarimg or pdftoppm missing: QR not decoded")
    subprocess.run(["pdftoppm", "-r", "200", "-f", "1", "-l", "1", "-png", str(path), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True).stdout
    codes = [ln for ln in out.splitlines() if ln]
    assert len(codes) == 1 and codes[0].startswith(ENROL_PREFIX + ";")
    assert "expert=E04" in codes[0] and f"fp={session.fingerprint}" in codes[0]


def test_tools_menu_writes_the_enrolment_sheet(
    qtbot: Any, session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tic_desktop.ui.expert.enrolment_export import EnrolmentExport
    from tic_desktop.ui.expert.main_window import MainWindow

    suggested: list[str] = []
    messages: list[tuple[str, str, bool]] = []
    out = tmp_path / "out"
    out.mkdir()

    def ask_file(self: Any, default: str) -> str:
        suggested.append(default)
        return str(out / Path(default).name)

    monkeypatch.setattr(EnrolmentExport, "_ask_file", ask_file)
    monkeypatch.setattr(EnrolmentExport, "_show_message", lambda self, t, text, warn: messages.append((t, text, warn)))
    window = MainWindow()
    qtbot.addWidget(window)
    assert not window.ui.enrolmentAction.isEnabled()  # start page: no expert yet
    window.bind(session)
    assert window.ui.enrolmentAction.isEnabled()
    assert window.ui.enrolmentAction in window.ui.toolsMenu.actions()
    window.ui.enrolmentAction.trigger()
    qtbot.waitUntil(lambda: bool(messages), timeout=30000)
    name = Path(suggested[0]).name
    assert name == f"评审专家密钥登记表-E04-{session.expert.name}.pdf"
    written = out / name
    title, text, warning = messages[-1]
    assert not warning and str(written) in text  # tells where it is
    assert written.read_bytes().startswith(b"%PDF-")
    assert not [p for p in out.iterdir() if p.name.startswith(".tic-tmp-")]  # atomic: no temp left
    assert session.ui_get("enrolment_folder") == str(out)
    _check_pdf(written, session, tmp_path)


def test_review_dialog_button_writes_the_enrolment_sheet(qtbot: Any, session: Any, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from tic_desktop.ui.expert.enrolment_export import EnrolmentExport
    from tic_desktop.ui.expert.review_dialog import ReviewDialog

    target = tmp_path / "登记表"  # no suffix: .pdf is added
    monkeypatch.setattr(EnrolmentExport, "_ask_file", lambda self, default: str(target))
    messages: list[tuple[str, str, bool]] = []
    d = ReviewDialog(session, show_message=lambda t, text, warn: messages.append((t, text, warn)))
    qtbot.addWidget(d)
    with qtbot.waitSignal(d.enrolment.saved, timeout=30000) as blocker:
        d.enrolmentButton.click()
    assert blocker.args == [str(target.with_name("登记表.pdf"))]
    assert messages and not messages[-1][2] and d.enrolmentButton.isEnabled()
    _check_pdf(target.with_name("登记表.pdf"), session, tmp_path)
