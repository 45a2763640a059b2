"""Autosave: debounced commits, 已保存 only after the commit, disk full keeps edits and retries;
a damaged workspace offers the newest good backup."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tests.e2e.flow import wait_until
from tic_desktop.app import open_session
from tic_desktop.storage.errors import DISK_FULL, DiskFull, WorkspaceCorrupt
from tic_desktop.ui.common import autosave as autosave_module
from tic_desktop.ui.common.autosave import Autosave


def test_debounce_commit_then_saved(qtbot) -> None:
    committed: list[list] = []
    saver = Autosave(lambda edits: committed.append(list(edits)))
    seen: list[str] = []
    saver.saved.connect(seen.append)
    saver.change("P1", "F", "score", "1.1", Decimal("5"))
    saver.change("P1", "F", "score", "1.1", Decimal("6"))
    saver.change("P1", "F", "comment", "1.1", "好")
    assert not committed and saver.pending
    qtbot.waitUntil(lambda: bool(seen), timeout=2000)
    assert committed == [[("P1", "F", "score", "1.1", Decimal("6")), ("P1", "F", "comment", "1.1", "好")]]
    assert not saver.pending and saver.last_saved == seen[0]


def test_disk_full_keeps_edits_and_retries(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(autosave_module, "RETRY_MS", 50)
    full = {"on": True}
    committed: list = []

    def commit(edits) -> None:
        if full["on"]:
            raise DiskFull(DISK_FULL, "test")
        committed.extend(edits)

    saver = Autosave(commit)
    saver._retry.setInterval(50)  # noqa: SLF001
    failures: list = []
    saver.failed.connect(failures.append)
    saver.change("P1", "F", "score", "1.1", Decimal("5"))
    assert saver.flush() is False
    assert failures and failures[0].code == DISK_FULL and "磁盘空间不足" in failures[0].text("zh")
    assert saver.pending and saver.last_saved is None
    saver.change("P1", "F", "score", "1.2", Decimal("3"))
    full["on"] = False
    qtbot.waitUntil(lambda: not saver.pending, timeout=3000)
    assert {e[3] for e in committed} == {"1.1", "1.2"} and saver.last_saved


def test_corrupt_workspace_offers_the_newest_good_backup(tmp_path: Path) -> None:
    data = tmp_path / "d"
    session = open_session(data)
    session.ui_set("marker", "before")
    session.workspace.backup_now()
    session.close()
    db = data / "workspace.db"
    blob = bytearray(db.read_bytes())
    blob[0:16] = b"garbage-garbage!"
    db.write_bytes(bytes(blob))
    for extra in ("workspace.db-wal", "workspace.db-shm"):
        (data / extra).unlink(missing_ok=True)
    with pytest.raises(WorkspaceCorrupt):
        open_session(data, ask=lambda _parent, _path: False)
    asked: list[Path] = []
    restored = open_session(data, ask=lambda _parent, path: asked.append(path) or True)
    assert asked and restored.ui_get("marker") == "before"
    restored.close()


def test_window_banner_on_disk_full(qtbot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tic_desktop.ui.expert.main_window import MainWindow

    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.ui.stack.setCurrentWidget(window.ui.reviewPage)
    window._on_save_failed(DiskFull(DISK_FULL, ""))  # noqa: SLF001
    assert window.ui.banner.isVisible() and "内存" in window.ui.bannerLabel.text()
    window._on_saved("10:42:13")  # noqa: SLF001
    assert not window.ui.banner.isVisible() and window.ui.savedLabel.text() == "已保存 10:42:13"
    wait_until(lambda: True)
