"""Session fixtures for the batch corpus: keys made once, one valid batch to break in many ways."""

from __future__ import annotations

import builtins
import contextlib
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest
from batch_factory import make_spec, zip_members

from tic_desktop.formats.batch import build_batch_zip
from tic_desktop.formats.keys import AgencyKeys, create_agency_keys
from tic_desktop.formats.manifest import Manifest


@dataclass(frozen=True)
class Ctx:
    keys: AgencyKeys
    other_keys: AgencyKeys
    expert: pyrage.x25519.Identity
    manifest: Manifest
    valid: bytes
    """A valid, signed, unencrypted batch ZIP."""
    members: dict[str, bytes]
    workdir: Path
    """A scratch folder outside the guarded ones, for cases that need a real file."""


@pytest.fixture(scope="session")
def ctx(tmp_path_factory: pytest.TempPathFactory) -> Ctx:
    base = tmp_path_factory.mktemp("corpus-keys")
    keys = create_agency_keys(base / "agency")
    other = create_agency_keys(base / "impostor")
    manifest, valid = build_batch_zip(make_spec(), keys, created_at="2026-01-05T09:00:00+00:00")
    return Ctx(
        keys=keys, other_keys=other, expert=pyrage.x25519.Identity.generate(), manifest=manifest, valid=valid,
        members=zip_members(valid), workdir=tmp_path_factory.mktemp("corpus-files"),
    )


class WriteGuard:
    """While active, any open for writing fails and is recorded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._mp = monkeypatch
        self.attempts: list[str] = []

    @contextlib.contextmanager
    def __call__(self) -> Iterator[None]:
        real_open = builtins.open
        real_os_open = os.open
        attempts = self.attempts

        def guarded_open(file, mode="r", *args, **kwargs):  # type: ignore[no-untyped-def]
            if any(c in str(mode) for c in "wax+"):
                attempts.append(f"open({file!r}, {mode!r})")
                raise PermissionError("write attempted during read")
            return real_open(file, mode, *args, **kwargs)

        def guarded_os_open(path, flags, *args, **kwargs):  # type: ignore[no-untyped-def]
            if flags & (os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC):
                attempts.append(f"os.open({path!r}, {flags})")
                raise PermissionError("write attempted during read")
            return real_os_open(path, flags, *args, **kwargs)

        with self._mp.context() as mp:
            mp.setattr(builtins, "open", guarded_open)
            mp.setattr(os, "open", guarded_os_open)
            yield


@pytest.fixture
def no_writes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[WriteGuard]:
    """cwd, HOME and TMPDIR point at empty folders that must stay empty; `with no_writes():`
    additionally makes any open for writing fail. The reader must never write to disk."""
    guarded = {name: tmp_path / name for name in ("cwd", "home", "tmp")}
    for p in guarded.values():
        p.mkdir()
    monkeypatch.chdir(guarded["cwd"])
    monkeypatch.setenv("HOME", str(guarded["home"]))
    monkeypatch.setenv("USERPROFILE", str(guarded["home"]))
    monkeypatch.setenv("TMPDIR", str(guarded["tmp"]))
    monkeypatch.setattr(tempfile, "tempdir", str(guarded["tmp"]))
    guard = WriteGuard(monkeypatch)
    yield guard
    assert guard.attempts == []
    for name, p in guarded.items():
        assert list(p.iterdir()) == [], f"something was written to {name}"
