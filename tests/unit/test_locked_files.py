"""Windows sharing violations (antivirus, indexers, sync clients holding a new file): os.replace
fails with winerror 32 or 5. A short hold is retried and the write succeeds; a lasting one ends in
`file.locked`, told in Chinese, with nothing half-written: for a snapshot and for a sheet export."""

from __future__ import annotations

import errno
import os
import random
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.core import atomic
from tic_desktop.core.atomic import REPLACE_DELAYS, TMP_PREFIX
from tic_desktop.core.errors import SheetRejected
from tic_desktop.expert import sheet_export, signing
from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
from tic_desktop.formats.batch import read_batch
from tic_desktop.simulate import _answers_for, make_key
from tic_desktop.storage.errors import FILE_LOCKED, StorageError

EXPERT = "E04"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.batches import write_test_batch

    return write_test_batch(tmp_path_factory.mktemp("locked") / "demo")


@pytest.fixture
def session(demo: Path, tmp_path: Path) -> Any:
    s = ExpertSession.open(tmp_path / "data")
    s.accept(read_batch(demo), demo, pin_new_agency=True)
    key = make_key(EXPERT)
    s.choose_expert(EXPERT, key)
    s.accept_pledge()
    s.declare_conflicts({pid: ConflictDeclaration(False) for pid in s.conflicts()})
    rng = random.Random(5)
    for p in s.assigned():
        if not s.is_conflicted(p.id):
            s.save_answers(
                [
                    (p.id, f.id, kind, item, value)
                    for f in s.forms_for(p.id)
                    for kind, item, value in _answers_for(f, p, s.expert.role, rng, 0.85, {})
                ]
            )
    s.test_key = key  # type: ignore[attr-defined]
    yield s
    s.close()


@pytest.fixture
def sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    seen: list[float] = []
    monkeypatch.setattr(atomic, "_sleep", seen.append)
    return seen


def hold(monkeypatch: pytest.MonkeyPatch, folder: Path, times: int, winerror: int) -> list[Path]:
    """os.replace into `folder` fails `times` times with the Windows error, then works."""
    real = os.replace
    tries: list[Path] = []

    def replace(src: Any, dst: Any) -> None:
        if Path(dst).parent == folder and len(tries) < times:
            tries.append(Path(dst))
            exc = PermissionError(errno.EACCES, "The process cannot access the file")
            exc.winerror = winerror  # type: ignore[attr-defined]
            raise exc
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)
    return tries


@pytest.mark.parametrize("winerror", [32, 5])
def test_export_waits_out_a_short_hold(
    session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float], winerror: int
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    tries = hold(monkeypatch, usb, 3, winerror)
    done = sheet_export.export_sheet(session, session.test_key, usb)
    assert len(tries) == 3 and sleeps == list(REPLACE_DELAYS[:3])
    assert done.path.exists() and [e.sheet_seq for e in signing.exports(session)] == [1]


def test_export_to_a_file_that_stays_locked_says_so(
    session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    hold(monkeypatch, usb, 1000, 32)
    with pytest.raises(SheetRejected) as info:
        sheet_export.export_sheet(session, session.test_key, usb)
    err = info.value
    assert err.code == FILE_LOCKED  # not "read-only folder": waiting and retrying is what helps
    assert "占用" in err.text("zh") and "稍后重试" in err.text("zh") and "another program" in err.text("en")
    assert sleeps == list(REPLACE_DELAYS)  # every retry was made, then it gave up
    assert list(usb.iterdir()) == []  # no sheet, no temp file
    assert not list((tmp_path / "data").rglob("*.ticsheet"))  # the kept copy went too
    assert not signing.exports(session) and not signing.is_locked(session)

    monkeypatch.undo()  # the other program let go: the same export works
    done = sheet_export.export_sheet(session, session.test_key, usb)
    assert done.path.exists() and done.sheet_seq == 1


def test_snapshot_waits_out_a_short_hold(
    session: Any, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    backups = session.workspace.data_dir / "backups"
    backups.mkdir(exist_ok=True)
    tries = hold(monkeypatch, backups, 2, 32)
    taken = session.workspace.backup_now()
    assert len(tries) == 2 and sleeps == list(REPLACE_DELAYS[:2]) and taken.exists()


def test_snapshot_that_stays_locked_is_reported_and_leaves_nothing(
    session: Any, monkeypatch: pytest.MonkeyPatch, sleeps: list[float]
) -> None:
    ws = session.workspace
    backups = ws.data_dir / "backups"
    first = ws.backup_now()
    hold(monkeypatch, backups, 1000, 5)
    with pytest.raises(StorageError) as info:
        ws.backup_now()
    assert info.value.code == FILE_LOCKED and "占用" in info.value.text("zh")
    assert sleeps == list(REPLACE_DELAYS)
    assert [b.path for b in ws.list_backups()] == [first]
    assert not [p for p in backups.iterdir() if p.name.startswith(TMP_PREFIX)]
    assert ws.integrity_check() == ["ok"]
