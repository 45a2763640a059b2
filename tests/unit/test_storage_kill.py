"""Crash tests: SIGKILL at random points, and every named fault point (TIC_FAULT).

The child prints `ACK <i>` only after the commit of edit i returned. Whatever the moment of the
kill, the workspace must pass integrity_check, hold every ACKed edit and have a valid audit chain,
and no half-written file may be left where a reader would take it for a real one.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import textwrap
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

from tic_desktop.core.atomic import TMP_PREFIX
from tic_desktop.core.faults import FAULT_EXIT_CODE
from tic_desktop.storage.backup import list_backups
from tic_desktop.storage.schema import SCHEMA_VERSION
from tic_desktop.storage.workspace import Workspace

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

CHILD = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from tic_desktop.storage.records import AnswerEdit
    from tic_desktop.storage.workspace import Workspace

    path, start = Path(sys.argv[1]), int(sys.argv[2])
    ws = Workspace.open(path)
    ws.add_batch(batch_id="B1", manifest_sha256="ab" * 32, title_zh="批", title_en="B", kind="k",
                 agency_name="机构", agency_fingerprint="SHA256:a", raw=b"raw")
    print("READY", flush=True)
    i = start
    while True:
        if i % 5 == 0:
            edits = [AnswerEdit("P02", "f", "comment", f"k{i}-{j}", f"意见 {i} {j}") for j in range(3)]
            ws.set_answers("B1", "E01", edits)
        else:
            ws.set_answer("B1", "E01", "P01", "f", "score", f"k{i}", str(i % 100))
        if i % 40 == 0:
            ws.backup_now()
        print(f"ACK {i}", flush=True)
        i += 1
    """
)


def run_and_kill(script: Path, db: Path, start: int, delay: float) -> list[int]:
    child = subprocess.Popen(
        [sys.executable, str(script), str(db), str(start)], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    assert child.stdout is not None
    acked: list[int] = []
    ready = threading.Event()

    def read() -> None:
        assert child.stdout is not None
        for line in child.stdout:
            if line.startswith("READY"):
                ready.set()
            elif line.startswith("ACK "):
                acked.append(int(line.split()[1]))
        ready.set()

    reader = threading.Thread(target=read)
    reader.start()
    assert ready.wait(30), "child did not start"
    time.sleep(delay)
    child.send_signal(signal.SIGKILL)
    child.wait(30)
    reader.join(30)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    return acked


def check_workspace(db: Path, acked: dict[int, int]) -> None:
    with Workspace.open(db) as ws:
        assert ws.integrity_check() == ["ok"]
        ws.verify_audit_chain()
        scores = ws.answers_for("B1", "E01", "P01", "f")["scores"]
        comments = ws.answers_for("B1", "E01", "P02", "f")["comments"]
        for i in acked:
            if i % 5 == 0:
                assert all(f"k{i}-{j}" in comments for j in range(3)), i
            else:
                assert str(scores[f"k{i}"]) == str(i % 100), i
        for info in list_backups(db):
            assert info.path.stat().st_size > 0
    for folder in (db.parent, db.parent / "backups"):
        if folder.exists():
            assert not [p for p in folder.iterdir() if p.name.startswith(TMP_PREFIX)]


def test_sigkill_at_random_points_loses_no_acked_edit(tmp_path: Path) -> None:
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    db = tmp_path / "data" / "workspace.db"
    rng = random.Random(20260509)
    all_acked: dict[int, int] = {}
    total = 0
    for run in range(10):
        acked = run_and_kill(script, db, run * 100_000, rng.uniform(0.02, 0.25))
        total += len(acked)
        all_acked.update(dict.fromkeys(acked, run))
        check_workspace(db, all_acked)
    assert total > 10  # the kills landed while edits were being committed


def run_with_fault(point: str, code: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_FAULT": point}
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("point", "expected"),
    [("after_tmp_write", b"old"), ("before_replace", b"old"), ("after_replace", b"new" * 1000)],
)
def test_atomic_write_fault_points(tmp_path: Path, point: str, expected: bytes) -> None:
    target = tmp_path / "sheet.ticsheet"
    target.write_bytes(b"old")
    result = run_with_fault(
        point,
        """
        from pathlib import Path
        from tic_desktop.core.atomic import atomic_write
        atomic_write(Path("sheet.ticsheet"), b"new" * 1000)
        print("finished")
        """,
        tmp_path,
    )
    assert result.returncode == FAULT_EXIT_CODE, result.stderr
    assert "finished" not in result.stdout
    assert target.read_bytes() == expected
    Workspace.open(tmp_path / "workspace.db").close()  # startup cleanup of the folder
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.ticsheet", "workspace.db"]


def test_mid_backup_fault_leaves_no_snapshot(tmp_path: Path) -> None:
    db = tmp_path / "workspace.db"
    with Workspace.open(db) as ws:
        ws.backup_now()
    result = run_with_fault(
        "mid_backup",
        """
        from pathlib import Path
        from tic_desktop.storage.workspace import Workspace
        Workspace.open(Path("workspace.db")).backup_now()
        """,
        tmp_path,
    )
    assert result.returncode == FAULT_EXIT_CODE, result.stderr
    assert any(p.name.startswith(TMP_PREFIX) for p in (tmp_path / "backups").iterdir())
    with Workspace.open(db) as ws:
        assert len(ws.list_backups()) == 1
        assert ws.integrity_check() == ["ok"]
    assert [p.name for p in (tmp_path / "backups").iterdir()] == [ws.list_backups()[0].path.name]


def test_mid_import_fault_rolls_back(tmp_path: Path) -> None:
    db = tmp_path / "workspace.db"
    Workspace.open(db).close()
    result = run_with_fault(
        "mid_import",
        """
        from pathlib import Path
        from tic_desktop.storage.workspace import Workspace
        ws = Workspace.open(Path("workspace.db"))
        ws.add_batch(batch_id="B1", manifest_sha256="ab" * 32, title_zh="批", title_en="B", kind="k",
                     agency_name="机构", agency_fingerprint="SHA256:a", raw=b"raw")
        """,
        tmp_path,
    )
    assert result.returncode == FAULT_EXIT_CODE, result.stderr
    with Workspace.open(db) as ws:
        assert ws.batches() == []
        assert ws.get_pinned_agency("机构") is None  # the pin was in the same transaction
        assert ws.integrity_check() == ["ok"]
        assert [e.action for e in ws.audit_events()] == ["schema.migrate"] * SCHEMA_VERSION
        ws.verify_audit_chain()


def test_mid_restore_fault_never_leaves_the_workspace_missing(tmp_path: Path) -> None:
    """A crash between setting the damaged workspace aside and putting the restored copy in place
    must not leave the folder without a workspace.db: the app would open a new, EMPTY workspace."""
    db = tmp_path / "workspace.db"
    with Workspace.open(db) as ws:
        ws.add_batch(batch_id="B1", manifest_sha256="ab" * 32, title_zh="批", title_en="B", kind="k",
                     agency_name="机构", agency_fingerprint="SHA256:a", raw=b"raw")
        ws.set_answer("B1", "E01", "P01", "f", "score", "1", "7")
        snap = ws.backup_now()
        ws.set_answer("B1", "E01", "P01", "f", "score", "2", "8")
    result = run_with_fault(
        "mid_restore",
        f"""
        from pathlib import Path
        from tic_desktop.storage.backup import restore_backup
        restore_backup(Path("workspace.db"), Path({str(snap)!r}))
        """,
        tmp_path,
    )
    assert result.returncode == FAULT_EXIT_CODE, result.stderr
    with Workspace.open(db) as ws:  # the old workspace, whole: nothing of it lost
        assert ws.integrity_check() == ["ok"]
        assert ws.answers_for("B1", "E01", "P01", "f")["scores"] == {"1": Decimal("7"), "2": Decimal("8")}
        ws.verify_audit_chain()
    aside = [p for p in tmp_path.iterdir() if p.name.startswith("workspace.db.damaged-") and "-wal" not in p.name
             and "-shm" not in p.name]
    assert len(aside) == 1  # the copy set aside before the crash is kept for the expert
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(TMP_PREFIX)]
