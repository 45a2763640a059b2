"""Workspace: schema, pragmas, every API method, typed failures, migration, location rules."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

from tic_desktop.core.errors import known_codes
from tic_desktop.storage import schema
from tic_desktop.storage.errors import (
    DiskFull,
    ReadOnlyWorkspace,
    StorageError,
    UnsafeLocation,
    WorkspaceCorrupt,
)
from tic_desktop.storage.location import check_workspace_location, default_path
from tic_desktop.storage.records import AnswerEdit
from tic_desktop.storage.workspace import Workspace

SHA = "ab" * 32
FP = "SHA256:agencykeyfingerprint"


def add_batch(ws: Workspace, batch_id: str = "B1", **over: object) -> bool:
    args: dict[str, object] = dict(
        batch_id=batch_id,
        manifest_sha256=SHA,
        title_zh="2026年第1批",
        title_en="2026 round 1",
        kind="feasibility_review",
        agency_name="天津市科技评估中心",
        agency_fingerprint=FP,
        raw=b"ticbatch bytes " + batch_id.encode(),
    )
    args.update(over)
    return ws.add_batch(**args)  # type: ignore[arg-type]


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "workspace.db")
    add_batch(workspace)
    yield workspace
    workspace.close()


def pragma(ws: Workspace, name: str) -> object:
    return ws.db.execute(f"PRAGMA {name}").fetchone()[0]


def test_schema_and_pragmas(tmp_path: Path) -> None:
    with Workspace.open(tmp_path / "w.db") as ws:
        tables = set(ws.db.table_names())
        assert {
            "batches", "agency_pins", "expert_identity", "pledges", "conflicts", "answers",
            "documents_opened", "sheet_exports", "ui_state", "audit_log",
        } <= tables  # fmt: skip
        assert pragma(ws, "journal_mode") == "wal"
        assert pragma(ws, "synchronous") == 2  # FULL
        assert pragma(ws, "foreign_keys") == 1
        assert pragma(ws, "busy_timeout") == 5000
        assert pragma(ws, "application_id") == schema.APPLICATION_ID
        assert pragma(ws, "user_version") == schema.SCHEMA_VERSION
        assert ws.integrity_check() == ["ok"]
        assert ws.audit_events()[0].action == "schema.migrate"


def test_default_path_honours_tic_data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TIC_DATA_DIR", str(tmp_path / "d" / "e"))
    assert default_path() == tmp_path / "d" / "e" / "workspace.db"
    assert (tmp_path / "d" / "e").is_dir()
    with Workspace.open() as ws:
        assert ws.path == tmp_path / "d" / "e" / "workspace.db"


@pytest.mark.parametrize(
    "path",
    [r"\\server\share\TICDesktop\workspace.db", "//server/share/workspace.db"],
)
def test_network_path_refused(path: str) -> None:
    with pytest.raises(UnsafeLocation) as info:
        check_workspace_location(Path(path), windows=True, environ={})
    assert info.value.code == "path.network"


@pytest.mark.parametrize(
    ("path", "env"),
    [
        (r"C:\Users\zs\OneDrive\TIC\workspace.db", {}),
        (r"C:\Users\zs\OneDrive - 天津大学\workspace.db", {}),
        (r"D:\Sync\Docs\workspace.db", {"OneDriveCommercial": r"D:\Sync"}),
    ],
)
def test_onedrive_refused(path: str, env: dict[str, str]) -> None:
    with pytest.raises(UnsafeLocation) as info:
        check_workspace_location(Path(path), windows=True, environ=env)
    assert info.value.code == "path.cloud_synced"


def test_local_windows_path_accepted() -> None:
    check_workspace_location(
        Path(r"C:\Users\zs\AppData\Local\TICDesktop\workspace.db"),
        windows=True,
        environ={"OneDrive": r"C:\Users\zs\OneDrive"},
    )


def test_batches_and_pin(ws: Workspace) -> None:
    assert add_batch(ws) is False  # same manifest: no-op
    assert ws.get_pinned_agency("天津市科技评估中心") == FP
    record = ws.batch("B1")
    assert record is not None and record.kind == "feasibility_review"
    assert ws.batch_file(record).read_bytes() == b"ticbatch bytes B1"
    assert add_batch(ws, "B2") is True
    assert [b.batch_id for b in ws.batches()] == ["B1", "B2"]
    with pytest.raises(StorageError) as info:
        add_batch(ws, manifest_sha256="cd" * 32)
    assert info.value.code == "batch.conflict"
    assert add_batch(ws, manifest_sha256="cd" * 32, replace=True) is True
    with pytest.raises(StorageError) as info:
        add_batch(ws, "B3", agency_fingerprint="SHA256:other")
    assert info.value.code == "agency.pin_mismatch"
    assert ws.batch("B3") is None
    assert ws.pin_agency("天津市科技评估中心", FP) is False
    assert ws.pin_agency("天津市科技评估中心", "SHA256:rotated", replace=True) is True
    assert ws.get_pinned_agency("天津市科技评估中心") == "SHA256:rotated"
    assert ws.get_pinned_agency("nobody") is None
    actions = [e.action for e in ws.audit_events()]
    assert actions.count("batch.import") == 2 and "batch.replace" in actions and "agency.repin" in actions


def test_identity_pledge_conflicts(ws: Workspace) -> None:
    assert ws.expert_identity("B1") is None
    ws.set_expert_identity("B1", "E01", "SHA256:expert")
    identity = ws.expert_identity("B1")
    assert identity is not None and (identity.expert_id, identity.key_fingerprint) == ("E01", "SHA256:expert")
    assert ws.pledge("B1", "E01") is None
    ws.accept_pledge("B1", "E01", SHA)
    pledge = ws.pledge("B1", "E01")
    assert pledge is not None and pledge.text_sha256 == SHA
    ws.set_conflict("B1", "E01", "P02", declared=True, reason_code="same_unit", note="曾任职")
    ws.set_conflict("B1", "E01", "P03", declared=False)
    conflicts = ws.conflicts("B1", "E01")
    assert conflicts["P02"].declared is True and conflicts["P02"].note == "曾任职"
    assert conflicts["P03"].declared is False and conflicts["P03"].reason_code is None
    with pytest.raises(StorageError) as info:
        ws.set_expert_identity("NOPE", "E01", "SHA256:x")
    assert info.value.code == "batch.unknown"


def test_answers_round_trip(ws: Workspace) -> None:
    args = ("B1", "E01", "P01", "feasibility_review")
    assert ws.set_answer(*args, "score", "1.1", Decimal("5.0")) is True
    assert ws.set_answer(*args, "score", "1.1", Decimal("5.0")) is False  # unchanged: no event
    ws.set_answer(*args, "score", "1.2", "7.5")
    ws.set_answer(*args, "na", "2.1", True)
    ws.set_answer(*args, "comment", "1.1", "依托单位基础扎实")
    ws.set_answer(*args, "veto", "authentic", False)
    ws.set_answer(*args, "conclusion", "", "pass_with_changes")
    ws.set_answer(*args, "overall", "problems", "预算偏高")
    got = ws.answers_for(*args)
    assert got == {
        "scores": {"1.1": Decimal("5.0"), "1.2": Decimal("7.5")},
        "not_applicable": frozenset({"2.1"}),
        "comments": {"1.1": "依托单位基础扎实"},
        "vetoes": {"authentic": False},
        "conclusion": "pass_with_changes",
        "overall": {"problems": "预算偏高"},
    }
    assert ws.clear_answer(*args, "score", "1.2") is True
    assert ws.clear_answer(*args, "score", "1.2") is False
    assert ws.set_answer(*args, "na", "2.1", False) is True  # na=False clears
    got = ws.answers_for(*args)
    assert got["scores"] == {"1.1": Decimal("5.0")} and got["not_applicable"] == frozenset()
    assert ws.answers_for("B1", "E01", "P01", "other_form")["scores"] == {}
    assert len(ws.answer_rows("B1", "E01")) == 5
    n = ws.set_answers(
        "B1", "E01", [AnswerEdit("P02", "f", "score", "a", "1"), AnswerEdit("P02", "f", "score", "b", "2")]
    )
    assert n == 2
    assert ws.verify_audit_chain().seq == len(ws.audit_events())


@pytest.mark.parametrize(
    ("kind", "item_id", "value"),
    [
        ("score", "1", "7,5"),
        ("score", "1", "1e3"),
        ("score", "1", 7.5),
        ("score", "1", Decimal("NaN")),
        ("score", "1", True),
        ("veto", "v", "yes"),
        ("na", "x", "1"),
        ("conclusion", "x", "pass"),
        ("conclusion", "", ""),
        ("comment", "1", "x" * 20_001),
        ("bogus", "1", "1"),
    ],
)
def test_invalid_answer_values(ws: Workspace, kind: str, item_id: str, value: object) -> None:
    before = ws.audit_head()
    with pytest.raises(StorageError) as info:
        ws.set_answer("B1", "E01", "P01", "f", kind, item_id, value)  # type: ignore[arg-type]
    assert info.value.code == "answer.invalid_value"
    assert ws.audit_head() == before


def test_answer_for_unknown_batch(ws: Workspace) -> None:
    with pytest.raises(StorageError) as info:
        ws.set_answer("B9", "E01", "P01", "f", "score", "1", "1")
    assert info.value.code == "batch.unknown"


def test_documents_sheets_ui_state(ws: Workspace) -> None:
    assert ws.record_document_opened("B1", "E01", "P01", "proposals/P01/plan.pdf", SHA) is True
    assert ws.record_document_opened("B1", "E01", "P01", "proposals/P01/plan.pdf", SHA) is False
    ws.record_document_opened("B1", "E01", "P02", "proposals/P02/plan.pdf", SHA)
    assert [d.path for d in ws.documents_opened("B1", "E01")] == [
        "proposals/P01/plan.pdf",
        "proposals/P02/plan.pdf",
    ]
    assert len(ws.documents_opened("B1", "E01", "P02")) == 1
    head = ws.audit_head()
    first = ws.record_sheet_export("B1", "E01", sheet_seq=1, sheet_sha256="11" * 32, audit_seq=head.seq)
    assert first.supersedes is None
    second = ws.record_sheet_export("B1", "E01", sheet_seq=2, sheet_sha256="22" * 32, audit_seq=head.seq + 1)
    assert second.supersedes == "11" * 32
    with pytest.raises(ValueError):
        ws.record_sheet_export("B1", "E01", sheet_seq=2, sheet_sha256="33" * 32, audit_seq=0)
    assert [s.sheet_seq for s in ws.sheet_exports("B1", "E01")] == [1, 2]
    seq = ws.audit_head().seq
    ws.set_ui_state("splitter", [200, 600, 400])
    ws.set_ui_state("last_proposal", {"batch": "B1", "proposal": "P02"})
    assert ws.ui_state("splitter") == [200, 600, 400]
    assert ws.ui_state("missing", "dflt") == "dflt"
    assert ws.audit_head().seq == seq  # window state is not audited


def test_reopen_keeps_everything(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Workspace.open(path) as ws:
        add_batch(ws)
        ws.set_answer("B1", "E01", "P01", "f", "score", "1", "3.5")
        head = ws.audit_head()
    with Workspace.open(path) as ws:
        assert ws.answers_for("B1", "E01", "P01", "f")["scores"] == {"1": Decimal("3.5")}
        assert ws.audit_head() == head
        assert ws.list_backups() == []  # no migration, no backup


def test_disk_full_rolls_back_and_recovers(ws: Workspace) -> None:
    ws.set_answer("B1", "E01", "P01", "f", "score", "0", "1")
    head = ws.audit_head()
    pages = pragma(ws, "page_count")
    ws.db.execute(f"PRAGMA max_page_count = {pages}")  # the file may not grow: SQLITE_FULL
    edits = [AnswerEdit("P01", "f", "comment", str(i), "很长的意见" * 400) for i in range(50)]
    with pytest.raises(DiskFull) as info:
        ws.set_answers("B1", "E01", edits)
    assert info.value.code == "disk.full"
    assert "磁盘空间不足" in info.value.text("zh") and "disk is full" in info.value.text("en")
    assert ws.audit_head() == head
    assert ws.answers_for("B1", "E01", "P01", "f")["comments"] == {}
    assert not ws.db.conn.in_transaction
    ws.db.execute("PRAGMA max_page_count = 1073741823")
    assert ws.set_answers("B1", "E01", edits) == 50  # the caller retries with the kept edit
    assert ws.verify_audit_chain().seq == head.seq + 50
    assert ws.integrity_check() == ["ok"]


def test_read_only_is_typed(ws: Workspace) -> None:
    ws.db.execute("PRAGMA query_only = ON")
    with pytest.raises(ReadOnlyWorkspace) as info:
        ws.set_answer("B1", "E01", "P01", "f", "score", "1", "1")
    assert info.value.code == "db.read_only"


def test_change_and_audit_event_share_one_transaction(ws: Workspace) -> None:
    head = ws.audit_head()
    ws.db.execute(
        "CREATE TRIGGER audit_full BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'no audit'); END"
    )
    with pytest.raises(sqlite3.IntegrityError):
        ws.set_answer("B1", "E01", "P01", "f", "score", "1", "1")
    with pytest.raises(sqlite3.IntegrityError):
        ws.set_conflict("B1", "E01", "P01", declared=True)
    assert ws.answers_for("B1", "E01", "P01", "f")["scores"] == {}
    assert ws.conflicts("B1", "E01") == {}
    assert ws.audit_head() == head


def test_read_only_file_at_open_is_typed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "w.db"
    Workspace.open(path).close()
    real_connect = sqlite3.connect

    def read_only(target: object, **kwargs: object) -> sqlite3.Connection:
        return real_connect(f"{Path(str(target)).as_uri()}?mode=ro", uri=True, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr("tic_desktop.storage.connection.sqlite3.connect", read_only)
    with pytest.raises(ReadOnlyWorkspace):
        Workspace.open(path)


def test_foreign_and_newer_databases_refused(tmp_path: Path) -> None:
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError) as info:
        Workspace.open(foreign)
    assert info.value.code == "db.foreign"
    newer = tmp_path / "newer.db"
    Workspace.open(newer).close()
    conn = sqlite3.connect(newer)
    conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StorageError) as info:
        Workspace.open(newer)
    assert info.value.code == "db.newer_schema"


def make_v0_fixture(path: Path) -> None:
    """The prototype's database: our application_id, user_version 0, only `ui_state`."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
    conn.execute(
        "CREATE TABLE ui_state (key TEXT PRIMARY KEY, value TEXT NOT NULL, updated_at TEXT NOT NULL)"
    )
    conn.execute("INSERT INTO ui_state VALUES ('last_proposal', '\"P07\"', '2026-01-01T00:00:00Z')")
    conn.commit()
    conn.close()


def test_migration_from_v0_takes_a_backup(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    make_v0_fixture(path)
    with Workspace.open(path) as ws:
        assert pragma(ws, "user_version") == schema.SCHEMA_VERSION
        assert ws.ui_state("last_proposal") == "P07"
        [snap] = ws.list_backups()
        assert [e.action for e in ws.audit_events()] == ["schema.migrate"] * schema.SCHEMA_VERSION
    conn = sqlite3.connect(f"{snap.path.as_uri()}?mode=ro", uri=True)
    try:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 0
        assert conn.execute("SELECT value FROM ui_state").fetchone()[0] == '"P07"'
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_failed_migration_leaves_previous_version(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "workspace.db"
    with Workspace.open(path) as ws:
        add_batch(ws)
        ws.set_answer("B1", "E01", "P01", "f", "score", "1", "4")

    future = schema.SCHEMA_VERSION + 1

    def to_next(conn: sqlite3.Connection) -> None:
        conn.execute("ALTER TABLE answers ADD COLUMN source TEXT")
        raise RuntimeError("bug in the next migration")

    monkeypatch.setattr(Workspace, "migrations", {**schema.MIGRATIONS, future: to_next})
    monkeypatch.setattr(Workspace, "schema_version", future)
    with pytest.raises(RuntimeError):
        Workspace.open(path)
    monkeypatch.undo()
    with Workspace.open(path) as ws:
        assert pragma(ws, "user_version") == schema.SCHEMA_VERSION
        assert "source" not in ws.db["answers"].columns_dict
        assert len(ws.list_backups()) == 1  # taken before the attempt


def test_corrupt_database_is_typed_and_offers_backup(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    with Workspace.open(path) as ws:
        add_batch(ws)
        ws.set_answer("B1", "E01", "P01", "f", "score", "1", "4")
        good = ws.backup_now()
    data = bytearray(path.read_bytes())
    data[4096 : 8192 * 2] = b"\xff" * (8192 * 2 - 4096)
    path.write_bytes(bytes(data))
    with pytest.raises(WorkspaceCorrupt) as info:
        Workspace.open(path)
    assert info.value.code == "db.corrupt" and info.value.backups[0] == good


def test_garbage_file_is_corrupt(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    path.write_bytes(b"this is not a database" * 300)
    with pytest.raises(WorkspaceCorrupt):
        Workspace.open(path)
    assert path.read_bytes().startswith(b"this is not")  # never deleted


def test_codes_registered_bilingual() -> None:
    codes = known_codes()
    for code in (
        "disk.full",
        "db.read_only",
        "db.corrupt",
        "file.locked",
        "path.network",
        "audit.chain_broken",
    ):
        zh, en = codes[code]
        assert zh and en and zh != en


# ── add_batch leaves no orphan files (review fix) ───────────────────────────────────────────

def stored_batches(ws: Workspace) -> list[str]:
    return sorted(p.name for p in (ws.data_dir / "batches").iterdir())


def test_refused_imports_write_no_batch_file(ws: Workspace) -> None:
    before = stored_batches(ws)
    with pytest.raises(StorageError) as info:
        add_batch(ws, "B2", agency_fingerprint="SHA256:other", raw=b"a different agency's batch")
    assert info.value.code == "agency.pin_mismatch"
    with pytest.raises(StorageError) as info:
        add_batch(ws, manifest_sha256="cd" * 32, raw=b"a changed B1")
    assert info.value.code == "batch.conflict"
    assert stored_batches(ws) == before


def test_a_failed_import_transaction_removes_the_file_it_wrote(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    from tic_desktop.storage import workspace_batches

    before = stored_batches(ws)

    def boom(name: str) -> None:
        if name == "mid_import":
            raise OSError("simulated failure inside the import transaction")

    monkeypatch.setattr(workspace_batches, "fault_point", boom)
    with pytest.raises(OSError):
        add_batch(ws, "B2", raw=b"batch two")
    assert stored_batches(ws) == before and ws.batch("B2") is None
    # the same bytes under a second id that fails: the file of B1 is still used and stays
    with pytest.raises(OSError):
        add_batch(ws, "B3", raw=b"ticbatch bytes B1")
    assert stored_batches(ws) == before


def test_open_removes_stray_temps_in_batches_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    with Workspace.open(path) as ws:
        add_batch(ws)
    strays = [tmp_path / "batches" / ".tic-tmp-abc.part", tmp_path / "keys" / ".tic-tmp-def.part"]
    for stray in strays:
        stray.parent.mkdir(exist_ok=True)
        stray.write_bytes(b"half a batch")
    keep = tmp_path / "keys" / "expert_ed25519"
    keep.write_bytes(b"key")
    with Workspace.open(path) as ws:
        assert len(stored_batches(ws)) == 1
    assert not any(s.exists() for s in strays) and keep.exists()


def test_a_precomputed_raw_sha256_is_not_recomputed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import hashlib

    from tic_desktop.storage import workspace_batches

    raw = b"a large batch" * 1000
    digest = hashlib.sha256(raw).hexdigest()
    real = hashlib.sha256
    hashed_raw: list[int] = []

    other = raw + b"!"

    def counting(data: bytes = b"") -> object:
        if data is raw or data is other:
            hashed_raw.append(1)
        return real(data)

    monkeypatch.setattr(workspace_batches.hashlib, "sha256", counting)
    with Workspace.open(tmp_path / "workspace.db") as ws:
        assert add_batch(ws, raw=raw, raw_sha256=digest)
        assert hashed_raw == []
        record = ws.batch("B1")
        assert record is not None and record.raw_sha256 == digest
        assert ws.batch_file(record).read_bytes() == raw
        assert add_batch(ws, "B2", raw=other)
        assert hashed_raw == [1]
        with pytest.raises(StorageError) as info:  # a wrong digest is caught when the file is read back
            add_batch(ws, "B3", raw=b"other", raw_sha256="0" * 64)
        assert info.value.code == "file.verify_failed" and ws.batch("B3") is None


def test_conflict_declarations_are_one_transaction(ws: Workspace) -> None:
    # the 回避 dialog is one act: if the second row cannot be written, the first is not kept either
    ws.db.execute(
        "CREATE TRIGGER no_p02 BEFORE INSERT ON conflicts WHEN NEW.proposal_id = 'P02' "
        "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    head = ws.audit_head()
    with pytest.raises(sqlite3.IntegrityError):
        ws.set_conflicts("B1", "E01", {"P01": (True, "same_unit", "曾任职"), "P02": (False, None, "")})
    assert ws.conflicts("B1", "E01") == {}
    assert ws.audit_head() == head
    ws.db.execute("DROP TRIGGER no_p02")
    assert ws.set_conflicts("B1", "E01", {"P01": (True, "same_unit", "曾任职"), "P02": (False, None, "")}) == 2
    assert ws.set_conflicts("B1", "E01", {"P01": (True, "same_unit", "曾任职")}) == 0  # unchanged: no event
    assert ws.conflicts("B1", "E01")["P01"].declared


def test_migration_v1_to_v2_keeps_batches_and_adds_the_manifest_time(tmp_path: Path) -> None:
    path = tmp_path / "workspace.db"
    conn = sqlite3.connect(path)
    with conn:
        schema.MIGRATIONS[1](conn)
        conn.execute("PRAGMA user_version = 1")
        conn.execute(
            "INSERT INTO batches (batch_id, manifest_sha256, title_zh, title_en, kind, agency_name, "
            "agency_fingerprint, raw_sha256, raw_size, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
            ("B1", SHA, "2026年第1批", "2026 round 1", "feasibility_review", "天津市科技评估中心", FP, SHA, 10,
             "2026-01-01T00:00:00Z"),
        )
    conn.close()
    with Workspace.open(path, check_location=False) as ws:
        assert pragma(ws, "user_version") == 2
        [record] = ws.batches()
        assert record.batch_id == "B1" and record.manifest_created_at == ""
        assert len(ws.list_backups()) == 1  # the v1 data, before the migration
        assert ws.integrity_check() == ["ok"]


# ── data at rest: owner-only folders and files (issue 11, finding 7) ────────────────────────

def _mode(p: Path) -> int:
    import stat

    return stat.S_IMODE(p.stat().st_mode)


@pytest.mark.skipif(not hasattr(__import__("os"), "getuid"), reason="POSIX modes; Windows relies on the %LOCALAPPDATA% ACL")
def test_workspace_folders_are_0700_and_its_files_0600(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os
    import subprocess
    import sys

    from tic_desktop.agency.workspace import AgencyWorkspace
    from tic_desktop.storage.location import data_dir

    old = os.umask(0o022)  # the usual umask: files 0644 and folders 0755 unless the code says otherwise
    try:
        monkeypatch.setenv("TIC_DATA_DIR", str(tmp_path / "data"))
        assert _mode(data_dir()) == 0o700
        ws = Workspace.open(tmp_path / "data" / "workspace.db", check_location=False)
        add_batch(ws)
        snapshot = ws.backup_now()
        for p in (tmp_path / "data" / "workspace.db", tmp_path / "data" / "workspace.db-wal",
                  tmp_path / "data" / "workspace.db-shm", snapshot):
            assert p.exists() and _mode(p) == 0o600, p.name
        assert _mode(tmp_path / "data") == 0o700 and _mode(snapshot.parent) == 0o700
        ws.close()
        # an existing, older workspace left 0644 in a 0755 folder is closed up when opened
        (tmp_path / "data").chmod(0o755)
        (tmp_path / "data" / "workspace.db").chmod(0o644)
        Workspace.open(tmp_path / "data" / "workspace.db", check_location=False).close()
        assert _mode(tmp_path / "data") == 0o700 and _mode(tmp_path / "data" / "workspace.db") == 0o600

        agency = AgencyWorkspace.open(tmp_path / "data" / "agency" / "agency.db", check_location=False)
        agency.close()
        assert _mode(tmp_path / "data" / "agency") == 0o700
        assert _mode(tmp_path / "data" / "agency" / "agency.db") == 0o600

        logs = tmp_path / "data" / "logs"
        code = ("import logging, sys; from pathlib import Path; from tic_desktop.ui.common import crash; "
                "crash.install(Path(sys.argv[1])); logging.getLogger('t').warning('x')")
        subprocess.run([sys.executable, "-c", code, str(logs)], check=True, timeout=60,
                       env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        assert _mode(logs) == 0o700
        for name in ("tic-desktop.log", "crash.log"):
            assert _mode(logs / name) == 0o600, name
    finally:
        os.umask(old)
