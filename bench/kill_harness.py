"""Kill harness: the real expert code in a child process, killed at random moments and at every
named fault point, and checked after each restart.

Used by tests/unit/test_kill_harness.py (CI: every fault point, >= 50 random kills) and by
bench/bench_kill.py (500 kills). Nothing here is a mock: the child walks `ExpertSession`
(tic_desktop/expert/session.py), `Workspace.backup_now` and `expert.sheet_export.export_sheet` (sign,
encrypt, atomic write to the chosen folder, re-open and verify, kept copy, record, lock).

    harness = KillHarness(root, seed=1)          # demo batch, a key; a setup child killed at mid_import,
                                                 # then one that imports, pledges and scores everything
    harness.kill_at_random(0.4)                  # run a child, SIGKILL it 0.4 s after READY, check
    harness.kill_at_fault("mid_export")          # run a child with TIC_FAULT until it dies there, check
    harness.stats                                # what the checks found (all zero = no loss)

The child (`python -m bench.kill_harness child ROOT SEED START [FAULT]`) prints
  READY <ms>           the session reopened (ExpertSession.open + read the batch + accept) in <ms>
  ACK E <i>            edit i committed (`save_answers` returned)
  ACK X <seq> <sha>    sheet revision <seq> exported, verified and recorded
and loops for ever over edits (one or three comments in one transaction), exports (revise, then
export), snapshots and window-place writes. After each kill the parent reopens the workspace the
way the app does and checks: `PRAGMA integrity_check` is ok; the audit chain verifies; every ACKed
edit is there (or a later one), the edit in flight either whole or not at all; every ACKed export
is recorded and its file verifies; every .ticsheet on disk (chosen folder and kept copies) is
either absent or verifies completely, with `formats.sheet.read_sheet` and independently (age
decryption with the agency key + every ZIP member's CRC); every snapshot passes integrity_check;
no `.tic-tmp-` file is left in the data folder after the reopen, nor in the chosen folder once a
later export completed.
"""

from __future__ import annotations

import io
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EXPERT = "E04"
TMP_PREFIX = ".tic-tmp-"
EDIT_RE = re.compile(r"^第(\d+)次修改")
KEEP_SHEETS = 3
# every TIC_FAULT point and when the child sets it: "setup" (before the first import) or "run"
FAULTS_AT = {"mid_import": "setup"}


# ── shared by child and parent ───────────────────────────────────────────────────────────────


def edit_text(i: int) -> str:
    return f"第{i}次修改：补充评分理由，核对申报材料后确认。"


def edit_targets(session: Any) -> list[tuple[str, str, str]]:
    """(proposal, form, criterion) of every criterion the expert scores (not withdrawn)."""
    out = []
    for p in session.assigned():
        if session.is_conflicted(p.id):
            continue
        for form in session.forms_for(p.id):
            out += [(p.id, form.id, c.id) for c in form.criteria]
    return out


def edit_items(i: int, targets: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    """The keys edit i changes: three in one transaction every fourth edit, else one."""
    return random.Random(i).sample(targets, 3 if i % 4 == 0 else 1)


def _load_key(root: Path) -> Any:
    import pyrage  # noqa: PLC0415
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: PLC0415

    from tic_desktop.expert.keys import ExpertKey  # noqa: PLC0415

    data = json.loads((root / "key.json").read_text(encoding="utf-8"))
    return ExpertKey(
        data["expert_id"],
        Ed25519PrivateKey.from_private_bytes(bytes.fromhex(data["ed25519"])),
        pyrage.x25519.Identity.from_str(data["age"]),
    )


def _save_key(root: Path, key: Any) -> None:
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    raw = key.signing_key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    text = json.dumps({"expert_id": key.expert_id, "ed25519": raw.hex(), "age": str(key.age_identity)})
    (root / "key.json").write_text(text, encoding="utf-8")


def _batch_path(root: Path) -> Path:
    return next((root / "demo").glob("*.ticbatch"))


# ── the child ────────────────────────────────────────────────────────────────────────────────


def _setup(session: Any, key: Any) -> None:
    from tic_desktop.expert.session import ConflictDeclaration  # noqa: PLC0415
    from tic_desktop.simulate import _answers_for  # noqa: PLC0415

    session.choose_expert(EXPERT, key)
    session.accept_pledge()
    session.declare_conflicts({pid: ConflictDeclaration(False) for pid in session.conflicts()})
    rng = random.Random(7)
    for p in session.assigned():
        if session.is_conflicted(p.id):
            continue
        changes = [
            (p.id, form.id, kind, item, value)
            for form in session.forms_for(p.id)
            for kind, item, value in _answers_for(form, p, session.expert.role, rng, 0.85, {})
        ]
        # every criterion gets a comment, so that later comment edits never make the sheet incomplete
        changes += [
            (pid, form, "comment", crit, edit_text(0))
            for pid, form, crit in edit_targets(session)
            if pid == p.id
        ]
        session.save_answers(changes)


def child(root: Path, seed: int, start: int, fault: str | None) -> None:
    from tic_desktop.core.faults import FAULT_ENV  # noqa: PLC0415
    from tic_desktop.expert import sheet_export, signing  # noqa: PLC0415
    from tic_desktop.expert.session import ExpertSession  # noqa: PLC0415

    setup = start == 0
    if fault and setup:
        os.environ[FAULT_ENV] = fault  # a setup point (mid_import): from the first import on
    key = _load_key(root)
    began = time.perf_counter()
    session = ExpertSession.open(root / "data")
    batch = _batch_path(root)
    session.accept(ExpertSession.read(batch), batch, pin_new_agency=True)
    if setup:
        _setup(session, key)
        print("SETUP", flush=True)
        session.close()
        return
    print(f"READY {(time.perf_counter() - began) * 1000:.1f}", flush=True)
    if fault:
        os.environ[FAULT_ENV] = fault  # a run point: once reopened, so that it hits the work below
    rng = random.Random(seed)
    targets = edit_targets(session)
    out = root / "out"
    i = start
    # with a fault point, a fixed opening (edit, export, snapshot) reaches it at once; then at random
    plan = ["edit", "export", "backup"] if fault else []
    while True:
        op = plan.pop(0) if plan else rng.choices(["edit", "export", "backup", "place"], [90, 3, 4, 3])[0]
        if op == "edit":
            session.save_answers(
                [(pid, form, "comment", crit, edit_text(i)) for pid, form, crit in edit_items(i, targets)]
            )
            print(f"ACK E {i}", flush=True)
            i += 1
        elif op == "export":
            if signing.is_locked(session):
                signing.revise(session)
            done = sheet_export.export_sheet(session, key, out)
            print(f"ACK X {done.sheet_seq} {done.sheet_sha256}", flush=True)
        elif op == "backup":
            session.workspace.backup_now()
        else:
            session.set_place(tab=rng.randrange(3), form_tab=0)


# ── the parent ───────────────────────────────────────────────────────────────────────────────


@dataclass
class KillStats:
    kills: int = 0
    fault_kills: dict[str, int] = field(default_factory=dict)
    acked_edits: int = 0
    acked_exports: int = 0
    lost_edits: int = 0
    integrity_failures: int = 0
    audit_failures: int = 0
    partial_exports: int = 0
    stray_temps_left: int = 0
    stray_temps_seen: int = 0
    """`.tic-tmp-` files a kill left behind (cleaned on reopen): proof kills landed mid-write."""
    sheets_verified: int = 0
    reopen_ms: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not (
            self.lost_edits
            or self.integrity_failures
            or self.audit_failures
            or self.partial_exports
            or self.stray_temps_left
        )


@dataclass
class _Run:
    start: int
    acked: list[int] = field(default_factory=list)
    exports: list[tuple[int, str, float]] = field(default_factory=list)
    reopen_ms: float | None = None
    ready: threading.Event = field(default_factory=threading.Event)


class KillHarness:
    """One demo batch, one expert, one workspace and export folder under `root`, killed again and again."""

    def __init__(self, root: Path, *, seed: int = 1) -> None:
        from tic_desktop.demo import write_demo_batch  # noqa: PLC0415
        from tic_desktop.formats.batch import read_batch  # noqa: PLC0415
        from tic_desktop.simulate import make_key  # noqa: PLC0415

        self.root = Path(root)
        self.rng = random.Random(seed)
        self.stats = KillStats()
        # the demo content under a real (fresh) agency key: the demo key opens only in the demo workspace
        from tic_desktop.formats.keys import create_agency_keys  # noqa: PLC0415

        create_agency_keys(self.root / "demo" / "agency")
        write_demo_batch(self.root / "demo", agency_dir=self.root / "demo" / "agency")
        self.key = make_key(EXPERT)
        _save_key(self.root, self.key)
        (self.root / "out").mkdir(exist_ok=True)
        self.opened = read_batch(_batch_path(self.root))
        agekey = (self.root / "demo" / "agency" / "agency.agekey").read_text(encoding="utf-8")
        self.agency_identity = agekey
        self.agency_age = next(line for line in agekey.splitlines() if line.startswith("AGE-SECRET-KEY-"))
        self.last_acked: dict[tuple[str, str, str], int] = {}
        self.acked_exports: dict[int, str] = {}
        self._verified: dict[tuple[str, int, int], bool] = {}
        self._snapshots_ok: set[str] = set()
        self._runs = 0
        self.targets: list[tuple[str, str, str]] = []
        self.kill_at_fault("mid_import")  # the first import dies inside its transaction; then the real setup

    # running children ---------------------------------------------------------------------------
    def _spawn(self, start: int, fault: str | None) -> tuple[subprocess.Popen[str], _Run]:
        args = [
            sys.executable,
            "-m",
            "bench.kill_harness",
            "child",
            str(self.root),
            str(self.rng.randrange(2**31)),
            str(start),
        ] + ([fault] if fault else [])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
        env.pop("TIC_FAULT", None)
        err = open(self.root / "child.err", "w", encoding="utf-8")  # noqa: SIM115 (closed in _finish)
        proc = subprocess.Popen(
            args, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True, encoding="utf-8"
        )
        err.close()
        run = _Run(start)

        def read() -> None:
            assert proc.stdout is not None
            for line in proc.stdout:
                parts = line.split()
                if parts[:1] == ["READY"] or parts[:1] == ["SETUP"]:
                    run.reopen_ms = float(parts[1]) if len(parts) > 1 else None
                    run.ready.set()
                elif parts[:2] == ["ACK", "E"]:
                    run.acked.append(int(parts[2]))
                elif parts[:2] == ["ACK", "X"]:
                    run.exports.append((int(parts[2]), parts[3], time.time()))
            run.ready.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        run.reader = reader  # type: ignore[attr-defined]
        return proc, run

    def _finish(self, proc: subprocess.Popen[str], run: _Run) -> None:
        run.reader.join(30)  # type: ignore[attr-defined]
        if proc.stdout is not None:
            proc.stdout.close()

    def _child_error(self, proc: subprocess.Popen[str]) -> str:
        return (
            f"child exited {proc.returncode}: "
            + (self.root / "child.err").read_text(encoding="utf-8")[-2000:]
        )

    def setup(self) -> None:
        """Import the batch, choose the expert, pledge, declare, score everything (in a child)."""
        proc, run = self._spawn(0, None)
        proc.wait(120)
        self._finish(proc, run)
        if proc.returncode != 0:
            raise RuntimeError(self._child_error(proc))
        self._check(run, setup=True)

    def kill_at_random(self, delay: float, *, during_reopen: bool = False) -> None:
        """SIGKILL a child `delay` s after it is READY (or after it starts, `during_reopen`), then check."""
        self._runs += 1
        proc, run = self._spawn(self._runs * 1_000_000, None)
        try:
            if not during_reopen and not run.ready.wait(60):
                raise RuntimeError("child did not start")
            time.sleep(delay)
            if proc.poll() is not None:
                raise RuntimeError(self._child_error(proc))
            proc.send_signal(signal.SIGKILL)
            proc.wait(30)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)
            self._finish(proc, run)
        self.stats.kills += 1
        self._check(run)

    def kill_at_fault(self, point: str) -> None:
        """Run a child with TIC_FAULT=point until the point ends it (exit 137), then check."""
        from tic_desktop.core.faults import FAULT_EXIT_CODE  # noqa: PLC0415

        if FAULTS_AT.get(point) == "setup":
            proc, run = self._spawn(0, point)
            self._fault_exit(proc, run, FAULT_EXIT_CODE)
            self._check(run, setup=True)
            self.setup()  # the real setup, after the killed one
        else:
            self._runs += 1
            proc, run = self._spawn(self._runs * 1_000_000, point)
            self._fault_exit(proc, run, FAULT_EXIT_CODE)
            self._check(run)
        self.stats.fault_kills[point] = self.stats.fault_kills.get(point, 0) + 1

    def _fault_exit(self, proc: subprocess.Popen[str], run: _Run, code: int) -> None:
        try:
            proc.wait(120)
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait(30)
            self._finish(proc, run)
        if proc.returncode != code:
            raise RuntimeError(f"fault point not reached; {self._child_error(proc)}")

    # checking -------------------------------------------------------------------------------------
    def _problem(self, text: str) -> None:
        self.stats.problems.append(text)

    def _temps(self, folder: Path) -> list[Path]:
        return [p for p in folder.rglob(f"{TMP_PREFIX}*") if p.is_file()]

    def _check(self, run: _Run, *, setup: bool = False) -> None:
        from tic_desktop.storage.backup import check_backup  # noqa: PLC0415
        from tic_desktop.storage.errors import StorageError  # noqa: PLC0415
        from tic_desktop.storage.workspace import Workspace  # noqa: PLC0415

        st = self.stats
        if run.reopen_ms is not None and not setup:
            st.reopen_ms.append(run.reopen_ms)
        st.acked_edits += len(run.acked)
        st.acked_exports += len(run.exports)
        data = self.root / "data"
        st.stray_temps_seen += len(self._temps(data)) + len(self._temps(self.root / "out"))
        try:
            ws = Workspace.open(data / "workspace.db", check_location=False)
        except StorageError as exc:
            st.integrity_failures += 1
            self._problem(f"reopen failed: {exc.code} {exc.detail}")
            raise
        try:
            if ws.integrity_check() != ["ok"]:
                st.integrity_failures += 1
                self._problem("integrity_check failed")
            if ws.first_bad_audit_seq() is not None:
                st.audit_failures += 1
                self._problem(f"audit chain broken at {ws.first_bad_audit_seq()}")
            left = self._temps(data)
            if left:
                st.stray_temps_left += len(left)
                self._problem(f"temp files left after reopen: {[p.name for p in left]}")
            batch_id = self.opened.manifest.batch_id
            if ws.batch(batch_id) is None:
                if not setup:
                    st.lost_edits += 1
                    self._problem("the batch is gone")
                return
            rows = {
                (r.proposal_id, r.form_id, r.item_id): r.value
                for r in ws.answer_rows(batch_id, EXPERT)
                if r.item_kind == "comment"
            }
            if setup and not run.ready.is_set():
                return
            self._check_edits(run, rows)
            self._check_exports(run, ws, batch_id)
            for info in ws.list_backups():
                if info.path.name not in self._snapshots_ok:
                    if check_backup(info.path):
                        self._snapshots_ok.add(info.path.name)
                    else:
                        st.integrity_failures += 1
                        self._problem(f"snapshot {info.path.name} fails integrity_check")
        finally:
            ws.close()
        self._check_files(run)

    def _check_edits(self, run: _Run, rows: dict[tuple[str, str, str], str]) -> None:
        if not self.targets:
            from tic_desktop.expert.session import ExpertSession  # noqa: PLC0415

            session = ExpertSession.open(self.root / "data")
            try:
                batch = _batch_path(self.root)
                session.accept(self.opened, batch)
                self.targets = edit_targets(session)
            finally:
                session._current = None  # noqa: SLF001 - the harness keeps `opened`; close only the workspace
                session.close()
        for i in run.acked:
            for item in edit_items(i, self.targets):
                self.last_acked[item] = i
        in_flight = (run.acked[-1] + 1) if run.acked else run.start
        flight_items = edit_items(in_flight, self.targets) if run.start else []
        landed = []
        for item in flight_items:
            match = EDIT_RE.match(rows.get(item, ""))
            landed.append(bool(match) and int(match.group(1)) == in_flight)
        if any(landed) and not all(landed):
            self.stats.lost_edits += 1
            self._problem(f"edit {in_flight} is half there: {landed}")
        if all(landed) and landed:
            for item in flight_items:
                self.last_acked[item] = in_flight
        for item, i in self.last_acked.items():
            match = EDIT_RE.match(rows.get(item, ""))
            if match is None or int(match.group(1)) != i:
                self.stats.lost_edits += 1
                self._problem(f"ACKed edit {i} of {item} is missing (found {rows.get(item)!r})")

    def _sheet_file(self, seq: int) -> Path:
        return self.root / "out" / f"{self.opened.manifest.batch_id}-{EXPERT}-r{seq}.ticsheet"

    def _check_exports(self, run: _Run, ws: Any, batch_id: str) -> None:
        for seq, sha, _when in run.exports:
            self.acked_exports[seq] = sha
        recorded = {e.sheet_seq: e.sheet_sha256 for e in ws.sheet_exports(batch_id, EXPERT)}
        for seq, sha in self.acked_exports.items():
            if recorded.get(seq) != sha:
                self.stats.lost_edits += 1
                self._problem(f"ACKed export r{seq} not recorded")
            path = self._sheet_file(seq)
            if not path.exists() or self._verify(path) != sha:
                self.stats.partial_exports += 1
                self._problem(f"ACKed export r{seq} missing or not verifying")
        # verified revisions never change again: drop all but the last few to bound the disk used
        for seq in sorted(self.acked_exports)[:-KEEP_SHEETS]:
            del self.acked_exports[seq]
            self._sheet_file(seq).unlink(missing_ok=True)
            (self.root / "data" / "sheets" / batch_id / f"{EXPERT}-r{seq}.ticsheet").unlink(missing_ok=True)

    def _check_files(self, run: _Run) -> None:
        sheets = [
            *(self.root / "out").glob("*.ticsheet"),
            *(self.root / "data" / "sheets").rglob("*.ticsheet"),
        ]
        for path in sheets:
            if self._verify(path) is None:
                self.stats.partial_exports += 1
                self._problem(f"{path.name} is there but does not verify")
        if run.exports:
            last_ack = run.exports[-1][2]
            old = [p for p in self._temps(self.root / "out") if p.stat().st_mtime < last_ack - 0.5]
            if old:
                self.stats.stray_temps_left += len(old)
                self._problem(f"export folder keeps old temp files after a later export: {old}")

    def _verify(self, path: Path) -> str | None:
        """The sheet's SHA-256 when `path` verifies completely (two independent ways), else None."""
        import pyrage  # noqa: PLC0415

        from tic_desktop.core.errors import SheetRejected  # noqa: PLC0415
        from tic_desktop.formats.sheet import read_sheet  # noqa: PLC0415

        stat = path.stat()
        cache = (str(path), stat.st_size, stat.st_mtime_ns)
        if cache in self._verified:
            return self._verified[cache]  # type: ignore[return-value]
        self.stats.sheets_verified += 1
        sha: str | None
        try:
            got = read_sheet(
                path, self.opened, identity=self.agency_identity, pinned={EXPERT: self.key.fingerprint}
            )
            sha = got.sheet_sha256
        except SheetRejected as exc:
            self._problem(f"{path.name}: read_sheet refused it: {exc.code}")
            sha = None
        try:  # independently of formats.sheet: age decryption and every member's CRC
            plain = pyrage.decrypt(path.read_bytes(), [pyrage.x25519.Identity.from_str(self.agency_age)])
            with zipfile.ZipFile(io.BytesIO(plain)) as archive:
                if archive.testzip() is not None or "sheet.json" not in archive.namelist():
                    raise ValueError("bad ZIP")
        except Exception as exc:  # noqa: BLE001 - any failure means the file is not whole
            self._problem(f"{path.name}: independent check failed: {exc}")
            sha = None
        self._verified[cache] = sha  # type: ignore[assignment]
        return sha


def main(argv: list[str]) -> None:
    if argv[:1] != ["child"]:
        raise SystemExit("usage: python -m bench.kill_harness child ROOT SEED START [FAULT]")
    child(Path(argv[1]), int(argv[2]), int(argv[3]), argv[4] if len(argv) > 4 else None)


if __name__ == "__main__":
    main(sys.argv[1:])
