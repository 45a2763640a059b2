"""Rolling snapshots, retention, newest good backup, restore keeping the damaged file."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from tic_desktop.storage import backup
from tic_desktop.storage.errors import DiskFull, StorageError, WorkspaceCorrupt
from tic_desktop.storage.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "workspace.db")
    workspace.add_batch(
        batch_id="B1", manifest_sha256="ab" * 32, title_zh="批", title_en="Batch", kind="term_end_evaluation",
        agency_name="机构", agency_fingerprint="SHA256:a", raw=b"raw",
    )  # fmt: skip
    yield workspace
    workspace.close()


def score(ws: Workspace, item: str, value: str) -> None:
    ws.set_answer("B1", "E01", "P01", "f", "score", item, value)


def test_snapshot_is_checked_self_contained_copy(ws: Workspace) -> None:
    score(ws, "1", "6.5")
    path = ws.backup_now()
    assert backup.SNAP_RE.match(path.name)
    assert path.parent == ws.path.parent / "backups"
    assert not Path(f"{path}-wal").exists()
    assert backup.check_backup(path)
    conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert conn.execute("SELECT value FROM answers").fetchall() == [("6.5",)]
    finally:
        conn.close()
    assert [p.name for p in path.parent.iterdir()] == [path.name]


def test_names_count_up_and_list_newest_first(ws: Workspace) -> None:
    taken = [ws.backup_now() for _ in range(3)]
    infos = ws.list_backups()
    assert [i.path for i in infos] == taken[::-1]
    assert [i.number for i in infos] == [3, 2, 1]


def test_backup_if_changed(ws: Workspace) -> None:
    assert ws.backup_if_changed() is not None
    assert ws.backup_if_changed() is None
    score(ws, "1", "1")
    assert ws.backup_if_changed() is not None


def test_retention_keeps_last_20_and_one_per_day(ws: Workspace) -> None:
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    stamps = [start + timedelta(days=day, hours=hour) for day in range(5) for hour in range(8)]
    for stamp in stamps:
        backup.take_backup(ws.db.conn, ws.path, now=stamp)
    infos = ws.list_backups()
    newest_20 = stamps[-20:]
    older_days = {s.date() for s in stamps[:-20]}
    assert len(infos) == 20 + len(older_days - {s.date() for s in newest_20})
    kept = {i.created_at for i in infos}
    assert set(newest_20) <= kept
    for day in older_days:
        last_of_day = max(s for s in stamps if s.date() == day)
        assert last_of_day in kept


def test_prune_ignores_foreign_files(ws: Workspace) -> None:
    keep = ws.path.parent / "backups" / "my-copy.db"
    ws.backup_now()
    keep.write_bytes(b"x")
    assert backup.prune_backups(ws.path, keep_last=0) == []
    assert keep.exists()


def test_not_enough_space(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backup.shutil, "disk_usage", lambda _p: type("U", (), {"free": 10})())
    with pytest.raises(DiskFull):
        ws.backup_now()
    assert ws.list_backups() == []


def corrupt(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[4096 : 4096 * 3] = b"\x5a" * 8192
    path.write_bytes(bytes(data))


def test_newest_good_backup_skips_damaged(ws: Workspace) -> None:
    good = ws.backup_now()
    score(ws, "1", "2")
    bad = ws.backup_now()
    corrupt(bad)
    assert backup.newest_good_backup(ws.path) == good
    assert not backup.check_backup(bad)


def test_corrupt_workspace_restore_from_backup(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    with Workspace.open(path) as ws:
        ws.add_batch(
            batch_id="B1", manifest_sha256="ab" * 32, title_zh="批", title_en="B", kind="k",
            agency_name="机构", agency_fingerprint="SHA256:a", raw=b"raw",
        )  # fmt: skip
        score(ws, "1", "7")
        ws.backup_now()
        score(ws, "2", "8")  # after the snapshot: lost by a restore, as the UI must say
        head_at_backup = ws.audit_head().seq - 1
    corrupt(path)
    damaged_bytes = path.read_bytes()
    with pytest.raises(WorkspaceCorrupt) as info:
        Workspace.open(path)
    offered = info.value.backups[0]
    aside = backup.restore_backup(path, offered)
    assert aside.read_bytes() == damaged_bytes  # kept, never deleted
    assert aside.name.startswith("workspace.db.damaged-")
    with Workspace.open(path) as ws:
        assert ws.integrity_check() == ["ok"]
        assert ws.answers_for("B1", "E01", "P01", "f")["scores"] == {"1": Decimal("7")}
        assert ws.verify_audit_chain().seq == head_at_backup
        assert ws.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_restore_refuses_damaged_backup(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    with Workspace.open(path) as ws:
        snap = ws.backup_now()
    corrupt(snap)
    before = path.read_bytes()
    with pytest.raises(StorageError) as info:
        backup.restore_backup(path, snap)
    assert info.value.code == "backup.damaged"
    assert path.read_bytes() == before


def test_restore_failing_midway_puts_the_old_workspace_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "workspace.db"
    with Workspace.open(path) as ws:
        snap = ws.backup_now()
    wal, shm = Path(f"{path}-wal"), Path(f"{path}-shm")
    wal.write_bytes(b"old wal")
    shm.write_bytes(b"old shm")
    before = {p: p.read_bytes() for p in (path, wal, shm)}
    real = backup.replace_with_retry

    def failing(src: Path, dst: Path) -> None:
        if str(src).endswith("-wal"):
            raise StorageError("file.locked", str(dst))
        real(src, dst)

    monkeypatch.setattr(backup, "replace_with_retry", failing)
    with pytest.raises(StorageError):
        backup.restore_backup(path, snap)
    assert {p: p.read_bytes() for p in (path, wal, shm)} == before  # workspace.db is where it was
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == ["workspace.db", "workspace.db-shm",
                                                                          "workspace.db-wal"]
