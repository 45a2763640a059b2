"""ReviewDialog: the review table, blocked signing with a precise message, passphrase retry, export, revise."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.expert import signing
from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.sheet import read_sheet
from tic_desktop.simulate import _answers_for

PASSPHRASE = "Haihe bridge 2026!"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tic_desktop.demo import write_demo_batch

    root = tmp_path_factory.mktemp("review")
    raw = write_demo_batch(root / "demo").read_bytes()
    return {"raw": raw, "opened": read_batch(raw), "identity": (root / "demo" / "agency" / "agency.agekey").read_text()}


@pytest.fixture
def session(demo: dict[str, Any], tmp_path: Path) -> Any:
    s = ExpertSession.open(tmp_path / "data")
    s.accept(demo["opened"], demo["raw"], pin_new_agency=True)
    key = s.create_key("E04", PASSPHRASE)
    s.choose_expert("E04", key)
    s.accept_pledge()
    s.declare_conflicts({pid: ConflictDeclaration(False) for pid in s.conflicts()})
    yield s
    s.close()


def _score(session: Any, skip: str | None = None) -> None:
    rng = random.Random(4)
    for p in session.assigned():
        if session.is_conflicted(p.id) or p.id == skip:
            continue
        session.save_answers([(p.id, f.id, k, i, v) for f in session.forms_for(p.id)
                              for k, i, v in _answers_for(f, p, "technical", rng, 0.85, {})])


class Hooks:
    def __init__(self, passphrases: list[str | None], folder: Path) -> None:
        self.passphrases = passphrases
        self.errors: list[str] = []
        self.folder = folder
        self.messages: list[tuple[str, str, bool]] = []

    def ask_passphrase(self, error: str) -> str | None:
        self.errors.append(error)
        return self.passphrases.pop(0) if self.passphrases else None

    def ask_folder(self, current: str) -> str | None:
        return str(self.folder)

    def show_message(self, title: str, text: str, warning: bool) -> None:
        self.messages.append((title, text, warning))


def _dialog(qtbot: Any, session: Any, hooks: Hooks) -> Any:
    from tic_desktop.ui.review_dialog import ReviewDialog

    d = ReviewDialog(session, ask_passphrase=hooks.ask_passphrase, ask_folder=hooks.ask_folder,
                     show_message=hooks.show_message)
    qtbot.addWidget(d)
    return d


def test_incomplete_blocks_signing_with_the_missing_items(qtbot: Any, session: Any, tmp_path: Path) -> None:
    _score(session, skip="TJ-NE-05")
    hooks = Hooks([PASSPHRASE], tmp_path)
    d = _dialog(qtbot, session, hooks)
    texts = [[d.table.item(r, c).text() for c in range(d.COLUMNS)] for r in range(d.table.rowCount())]
    ne = [row for row in texts if row[0] == "TJ-NE-05"]
    assert ne and all("未评分" in row[5] for row in ne)
    bm = next(row for row in texts if row[0] == "TJ-BM-04")
    assert bm[4] == "回避"
    ai = [row for row in texts if row[0] == "TJ-AI-01"]
    assert all(row[2] and row[3] and row[4] and row[5] == "完整" for row in ai)
    assert "未完成 1" in d.summaryLabel.text()
    assert "TJ-NE-05" in d.statusLabel.text()
    d.signButton.click()
    assert hooks.messages and hooks.messages[0][2] and "TJ-NE-05" in hooks.messages[0][1]
    assert hooks.errors == []  # never asked for the passphrase
    assert not list(tmp_path.glob("*.ticsheet"))


def test_sign_export_and_revise(qtbot: Any, session: Any, demo: dict[str, Any], tmp_path: Path) -> None:
    _score(session)
    usb = tmp_path / "usb"
    usb.mkdir()
    hooks = Hooks(["wrong passphrase 1", PASSPHRASE], usb)
    d = _dialog(qtbot, session, hooks)
    assert "可以签名" in d.statusLabel.text() and d.signButton.isEnabled() and not d.reviseButton.isEnabled()
    with qtbot.waitSignal(d.signed, timeout=60000) as blocker:
        d.signButton.click()
    result = blocker.args[0]
    assert hooks.errors[0] == "" and "口令不正确" in hooks.errors[1]
    assert result.path.parent == usb and result.path.exists()
    title, text, warning = hooks.messages[-1]
    assert not warning and "核验通过" in text and str(result.path) in text
    got = read_sheet(result.path, demo["opened"], identity=demo["identity"])
    assert got.sheet.sheet_seq == 1
    assert not d.signButton.isEnabled() and d.reviseButton.isEnabled() and "第 1 版" in d.statusLabel.text()
    assert session.ui_get("sheet_export_folder") == str(usb)

    with qtbot.waitSignal(d.revised) as rev:
        d.reviseButton.click()
    assert rev.args == [2] and d.signButton.isEnabled()
    hooks.passphrases = [PASSPHRASE]
    with qtbot.waitSignal(d.signed, timeout=60000) as blocker:
        d.signButton.click()
    second = blocker.args[0]
    assert second.sheet_seq == 2 and second.supersedes == result.sheet_sha256
    assert [e.sheet_seq for e in signing.exports(session)] == [1, 2]


def test_cancelled_passphrase_does_nothing(qtbot: Any, session: Any, tmp_path: Path) -> None:
    _score(session)
    hooks = Hooks([None], tmp_path)
    d = _dialog(qtbot, session, hooks)
    d.signButton.click()
    assert not hooks.messages and not list(tmp_path.glob("*.ticsheet"))
    assert not signing.is_locked(session)
