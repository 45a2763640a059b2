"""Session fixtures for the corpus: keys made once, one valid batch and one valid sheet to break in many ways;
the write guard and the memory/hang bound every case runs under."""

from __future__ import annotations

import builtins
import contextlib
import os
import signal
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyrage
import pytest
from batch_factory import make_spec, zip_members
from sheet_factory import SheetWorld, make_world

from tic_desktop.formats.batch import build_batch_zip, read_batch
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


@pytest.fixture(scope="session")
def sheets(ctx: Ctx) -> SheetWorld:
    """The corpus batch as the agency opens it, and E01's valid sheet for it."""
    batch = read_batch(ctx.valid, pinned_fingerprint=ctx.keys.fingerprint)
    return make_world(batch, str(ctx.keys.age_identity), ctx.keys.age_recipient)


MEMORY_CAP = 64 * 1024 * 1024
"""Peak Python allocation allowed while one bad file is read (the corpus files are all small or
lie about their size; a reader that inflates a bomb or preallocates a declared size exceeds it)."""
HANG_LIMIT = 60
"""Seconds after which a read counts as hung (a bound against endless loops, not a speed figure)."""


@contextlib.contextmanager
def bounded(memory: int = MEMORY_CAP, seconds: int = HANG_LIMIT) -> Iterator[None]:
    """Fail when the body allocates more than `memory` bytes at its peak (tracemalloc) or runs
    longer than `seconds` (SIGALRM, where available: it interrupts a hang instead of waiting)."""

    def hung(signum: int, frame: object) -> None:
        raise AssertionError(f"the reader did not finish within {seconds} s (hang bound)")

    alarm = hasattr(signal, "SIGALRM") and sys.platform != "win32"
    if alarm:
        previous = signal.signal(signal.SIGALRM, hung)
        signal.alarm(seconds)
    was_tracing = tracemalloc.is_tracing()
    if not was_tracing:
        tracemalloc.start()
    tracemalloc.reset_peak()
    try:
        yield
    finally:
        _, peak = tracemalloc.get_traced_memory()
        if not was_tracing:
            tracemalloc.stop()
        if alarm:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
    assert peak <= memory, f"peak allocation {peak} bytes > {memory}"


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
