"""ReviewDialog: the review table, blocked signing with a precise message, passphrase retry, export, revise."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.expert import review as expert_review
from tic_desktop.expert import sheet_export, signing
from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.sheet import read_sheet
from tic_desktop.simulate import _answers_for

PASSPHRASE = "Haihe bridge 2026!"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.batches import write_test_batch

    root = tmp_path_factory.mktemp("review")
    raw = write_test_batch(root / "demo").read_bytes()
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
    from tic_desktop.ui.expert.review_dialog import ReviewDialog

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


# ── in the background: progress, responsiveness, errors ──────────────────────────────────────

def _batch_of_42(folder: Path) -> Path:
    """The demo feasibility batch with its six proposals repeated 7 times, for one expert (as bench/)."""
    from tic_desktop.demo import write_repeated_demo_batch
    from tic_desktop.formats.keys import create_agency_keys

    create_agency_keys(folder / "agency")  # the demo key opens only in the demo workspace
    return write_repeated_demo_batch(folder / "big.ticbatch", 7, agency_dir=folder / "agency")


@pytest.fixture(scope="module")
def big_batch(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    raw = _batch_of_42(tmp_path_factory.mktemp("big")).read_bytes()
    return {"raw": raw, "opened": read_batch(raw)}


def test_export_runs_off_the_gui_thread_and_the_gui_keeps_ticking(
    qtbot: Any, big_batch: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from PySide6.QtCore import QTimer

    from tic_desktop.expert import keys as expert_keys

    s = ExpertSession.open(tmp_path / "data")
    try:
        s.accept(big_batch["opened"], big_batch["raw"], pin_new_agency=True)
        expert_id = big_batch["opened"].manifest.experts[0].id
        s.choose_expert(expert_id, s.create_key(expert_id, PASSPHRASE))
        s.accept_pledge()
        s.declare_conflicts({pid: ConflictDeclaration(False) for pid in s.conflicts()})
        _score(s)
        assert len(s.assigned()) == 42 and expert_review.review(s).ready

        threads: dict[str, bool] = {}
        write, unlock = sheet_export.write_export, expert_keys.unlock_key

        def spy(name: str, fn: Any) -> Any:
            def run(*args: Any, **kwargs: Any) -> Any:
                threads[name] = threading.current_thread() is threading.main_thread()
                return fn(*args, **kwargs)
            return run

        monkeypatch.setattr(sheet_export, "write_export", spy("write", write))
        monkeypatch.setattr(expert_keys, "unlock_key", spy("unlock", unlock))
        usb = tmp_path / "usb"
        usb.mkdir()
        hooks = Hooks([PASSPHRASE], usb)
        d = _dialog(qtbot, s, hooks)
        d.show()
        ticks: list[tuple[float, bool, bool]] = []
        timer = QTimer()
        timer.setInterval(20)
        timer.timeout.connect(lambda: ticks.append((time.perf_counter(), d.busy, any(
            b.isEnabled() for b in (d.signButton, d.reviseButton, d.folderButton, d.closeButton, d.enrolmentButton)))))
        timer.start()
        with qtbot.waitSignal(d.signed, timeout=120000) as blocker:
            d.signButton.click()
            assert d.busy and d.progressBar.isVisible()
        timer.stop()
    finally:
        s.close()
    assert threads == {"unlock": False, "write": False}  # neither ran on the GUI thread
    busy = [t for t in ticks if t[1]]
    assert len(busy) > 20, len(busy)
    assert not any(t[2] for t in busy)  # every button disabled while running
    # how long the GUI thread was blocked is a figure for the bench (bench_app), not a timed assertion
    assert blocker.args[0].proposals == 42 and blocker.args[0].path.exists()
    assert not d.progressBar.isVisible() and d.reviseButton.isEnabled()


@pytest.mark.parametrize(("errno_", "expected"), [(28, "空间不足"), (13, "无法写入所选文件夹")])
def test_write_errors_come_back_as_messages(
    qtbot: Any, session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, errno_: int, expected: str
) -> None:
    import os

    from tic_desktop.core.atomic import os_error

    def failing(path: Path, data: bytes, **_: Any) -> None:
        exc = OSError(errno_, os.strerror(errno_), str(path))
        raise os_error(exc, path) from exc

    monkeypatch.setattr(sheet_export, "atomic_write", failing)
    _score(session)
    hooks = Hooks([PASSPHRASE], tmp_path)
    d = _dialog(qtbot, session, hooks)
    d.signButton.click()
    qtbot.waitUntil(lambda: bool(hooks.messages) and not d.busy, timeout=60000)
    title, text, warning = hooks.messages[-1]
    assert warning and title == "导出失败" and expected in text and "评分表未导出" in text
    assert not signing.is_locked(session) and not signing.exports(session)
    assert d.signButton.isEnabled() and d.closeButton.isEnabled() and not d.progressBar.isVisible()
    assert not list(tmp_path.glob("*.ticsheet"))


def test_missing_folder_and_english_messages(qtbot: Any, session: Any, tmp_path: Path) -> None:
    from tic_desktop.ui.expert.review_dialog import ReviewDialog

    _score(session)
    hooks = Hooks([PASSPHRASE], tmp_path / "unplugged")
    d = ReviewDialog(session, lang="en", ask_passphrase=hooks.ask_passphrase, ask_folder=hooks.ask_folder,
                     show_message=hooks.show_message)
    qtbot.addWidget(d)
    d.signButton.click()
    qtbot.waitUntil(lambda: bool(hooks.messages) and not d.busy, timeout=60000)
    assert "does not exist" in hooks.messages[-1][1] and hooks.messages[-1][2]
    assert not signing.is_locked(session)


def test_wrong_passphrase_every_time_gives_up_with_a_message(
    qtbot: Any, session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tic_desktop.ui.expert import review_dialog

    monkeypatch.setattr(review_dialog, "PASSPHRASE_TRIES", 2)
    _score(session)
    hooks = Hooks(["wrong passphrase 1", "wrong passphrase 2", PASSPHRASE], tmp_path)
    d = _dialog(qtbot, session, hooks)
    d.signButton.click()
    qtbot.waitUntil(lambda: bool(hooks.messages) and not d.busy, timeout=60000)
    assert len(hooks.errors) == 2 and "口令不正确" in hooks.messages[-1][1] and hooks.messages[-1][2]
    assert not list(tmp_path.glob("*.ticsheet")) and d.signButton.isEnabled()


def test_export_shows_progress_per_proposal_and_can_be_cancelled_before_the_signature(
        qtbot: Any, session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import threading

    from tic_desktop.reports import sheet_pdf

    _score(session)
    usb = tmp_path / "usb"
    usb.mkdir()
    hooks = Hooks([PASSPHRASE], usb)
    d = _dialog(qtbot, session, hooks)
    gate, rendered = threading.Event(), []
    real = sheet_pdf.render_score_sheet

    def held(data: Any) -> bytes:  # the second PDF waits until the test has pressed 取消导出
        if rendered:
            gate.wait(30)
        rendered.append(data.proposal.id)
        return real(data)

    monkeypatch.setattr(sheet_pdf, "render_score_sheet", held)
    scored = sum(1 for p in session.assigned() if not session.is_conflicted(p.id))
    d.signButton.click()
    qtbot.waitUntil(lambda: not d.cancelButton.isHidden() and d.progressBar.value() >= 1, timeout=60000)
    assert d.progressBar.maximum() == scored + 2  # one step per proposal, the pledge, signing
    assert f"第 2 / {scored} 个项目" in d.progressLabel.text()
    assert d.cancelButton.isEnabled() and not d.closeButton.isEnabled()
    d.cancelButton.click()
    gate.set()
    qtbot.waitUntil(lambda: not d.busy, timeout=60000)
    title, text, warning = hooks.messages[-1]
    assert title == "已取消导出" and "未签名" in text and not warning
    assert len(rendered) == 2  # stopped at the next proposal
    assert not list(usb.iterdir()) and not list((tmp_path / "data" / "sheets").rglob("*.ticsheet"))
    assert not signing.is_locked(session) and signing.exports(session) == []
    assert d.signButton.isEnabled() and d.cancelButton.isHidden()

    # the next export runs to the end and its bar reaches the last step
    monkeypatch.setattr(sheet_pdf, "render_score_sheet", real)
    hooks.passphrases = [PASSPHRASE]
    seen: list[int] = []
    d.progressBar.valueChanged.connect(seen.append)
    with qtbot.waitSignal(d.signed, timeout=60000):
        d.signButton.click()
    assert seen == sorted(seen) and seen[-1] == scored + 2


def test_a_conclusion_differing_from_the_band_is_highlighted_and_signed_with_its_reason(
        qtbot: Any, session: Any, demo: dict[str, Any], tmp_path: Path) -> None:
    """Issue 17 finding 8: 分档 修改后通过 beside 结论 通过 showed no highlight."""
    from tic_desktop.core.scoring import CONCLUSION_REASON, evaluate

    _score(session)
    p = next(p for p in session.assigned() if not session.is_conflicted(p.id))
    form = session.forms_for(p.id)[0]
    ev = evaluate(form, session.answers(p.id, form.id), session.expert.role)
    other = next(c.code for c in form.conclusions if c.code != ev.suggested_conclusion)
    session.save_answers([(p.id, form.id, "conclusion", "", other),
                          (p.id, form.id, "overall", CONCLUSION_REASON, "团队实力突出，理由见评语。")])
    usb = tmp_path / "usb"
    usb.mkdir()
    hooks = Hooks([PASSPHRASE], usb)
    d = _dialog(qtbot, session, hooks)
    rows = [r for r in range(d.table.rowCount()) if d.table.item(r, 0).text() == p.id]
    flagged = [r for r in rows if d.table.item(r, 4).text().endswith("（≠ 分档）")]
    assert len(flagged) == 1
    assert d.table.item(flagged[0], 3).background().color().name() == "#fef3c7"
    assert "理由" in d.table.item(flagged[0], 4).toolTip()
    others = [r for r in range(d.table.rowCount()) if r not in flagged]
    assert not any(d.table.item(r, 4).text().endswith("（≠ 分档）") for r in others)
    with qtbot.waitSignal(d.signed, timeout=60000) as blocker:
        d.signButton.click()
    got = read_sheet(blocker.args[0].path, demo["opened"], identity=demo["identity"])
    entry = next(e for e in got.sheet.proposals if e.proposal_id == p.id).forms[0]
    assert entry.conclusion == other and entry.overall[CONCLUSION_REASON] == "团队实力突出，理由见评语。"
