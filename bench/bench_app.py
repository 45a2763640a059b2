"""The app as the expert meets it (issue 3, "Benchmarks"), each measured against a baseline in the same run.

- app_start: a fresh process (`python -m tic_desktop`, the real entry) to the main window showing
  the demo batch's review page with the event loop idle, on an expert's second day (a prepared
  TIC_DATA_DIR: batch imported, identity chosen, pledge and conflicts done, so the start goes
  straight to the review page). Baseline: a bare PySide6 QMainWindow started and shown the same
  way. Median of 5 starts (3 with --quick) after one unmeasured warm-up of each. Targets:
  median <= 0.8 s and <= 4x the bare window.
- app_proposal_switch: in this process, selecting another proposal in the list until its scoring form
  is filled in and QtPdf has rendered (and the view painted) the first page of its plan; median
  over the demo proposals. Target <= 100 ms.
- app_score_commit: a score typed into the ScoringForm and committed by the field's editingFinished
  (what Tab or Enter emits), through evaluation and the autosave, to the workspace commit
  (SQLite WAL, synchronous=FULL) and "已保存". The autosave's 250 ms debounce is left out: the
  clock stops when `MainWindow.flush()` (what the debounce timer calls) returns. Baseline: a bare
  sqlite3 upsert + commit with the same pragmas in the same folder. Target: median <= 10 ms.
- app_big_batch_memory: peak RSS of a fresh app process with a 300-proposal batch (30 with --quick)
  of ~1 MB PDFs open on the review page and its first page rendered (VmHWM on Linux, because
  ru_maxrss carries the forking parent's peak across exec there; ru_maxrss elsewhere). Baseline:
  the bare window's peak RSS. Target <= 400 MiB.

Nothing here touches the real user folders: every process gets a temporary TIC_DATA_DIR, HOME and
XDG folders. Qt runs offscreen unless QT_QPA_PLATFORM says otherwise.
"""

from __future__ import annotations

import atexit
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import produces, result

START_TARGET_S = 0.8
START_TARGET_RATIO = 4.0
SWITCH_TARGET_MS = 100.0
COMMIT_TARGET_MS = 10.0
MEMORY_TARGET_MIB = 400.0
PDF_SIZE = 1_000_000
EXPERT = "E01"
PASSPHRASE = "bench passphrase 2026"
CHILD_TIMEOUT_S = 180
REPO = Path(__file__).resolve().parent.parent

_HOME_VARS = {
    "HOME": "home",
    "XDG_DATA_HOME": "home/.local/share",
    "XDG_CONFIG_HOME": "home/.config",
    "XDG_CACHE_HOME": "home/.cache",
    "XDG_STATE_HOME": "home/.local/state",
    "USERPROFILE": "home",
    "APPDATA": "home/AppData/Roaming",
    "LOCALAPPDATA": "home/AppData/Local",
}


# -- fixtures shared by the benchmarks of one run ------------------------------------------------
@dataclass
class _Fixture:
    root: Path
    demo_batch: Path
    key: Any  # tic_desktop.expert.keys.ExpertKey of EXPERT, its files in keys/
    keys: Path
    demo_data: Path  # a prepared TIC_DATA_DIR with the demo batch (copy it before use)


_fixture: _Fixture | None = None


def _shared() -> _Fixture:
    """The demo batch, one expert key (scrypt is slow: made once) and a prepared data folder."""
    global _fixture
    if _fixture is None:
        from tic_desktop.demo import write_demo_batch
        from tic_desktop.expert.keys import create_key

        root = Path(tempfile.mkdtemp(prefix="tic-bench-app-"))
        atexit.register(shutil.rmtree, root, ignore_errors=True)
        from tic_desktop.formats.keys import create_agency_keys

        create_agency_keys(root / "demo" / "agency")  # a real key: the demo key opens only in the demo
        demo_batch = write_demo_batch(root / "demo", agency_dir=root / "demo" / "agency")
        keys_home = root / "key-home"
        key = create_key(keys_home, EXPERT, PASSPHRASE)
        fixture = _Fixture(root, demo_batch, key, keys_home / "keys", root / "demo-data")
        _prepare(fixture, demo_batch, fixture.demo_data)
        _fixture = fixture
    return _fixture


def _prepare(fixture: _Fixture, batch: Path, data_dir: Path) -> None:
    """An expert's second day: batch imported (agency pinned), identity, pledge, no conflicts."""
    from tic_desktop.expert.session import ExpertSession

    shutil.copytree(fixture.keys, data_dir / "keys")
    session = ExpertSession.open(data_dir)
    try:
        raw = batch.read_bytes()
        session.accept(ExpertSession.read(raw), raw, pin_new_agency=True)
        session.choose_expert(EXPERT, fixture.key)
        session.accept_pledge()
        session.declare_conflicts({})
    finally:
        session.close()


def _copy(template: Path, dest: Path) -> Path:
    shutil.rmtree(dest, ignore_errors=True)
    shutil.copytree(template, dest)
    return dest


# -- child processes ----------------------------------------------------------------------------
def _env(root: Path, data_dir: Path | None) -> dict[str, str]:
    env = {
        k: v for k, v in os.environ.items() if k not in ("TIC_TEST_HOOK", "TIC_DATA_DIR", "PYTHONDONTWRITEBYTECODE")
    }
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    env["TIC_LANG"] = "zh"
    env["PYTHONPATH"] = os.pathsep.join([str(REPO), *filter(None, [os.environ.get("PYTHONPATH")])])
    # an installed app starts from compiled bytecode: let the warm-up run write it (outside the
    # repository) so that the measured starts don't recompile every module
    env["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "tic-bench-pycache")
    for var, rel in _HOME_VARS.items():
        path = root / rel
        path.mkdir(parents=True, exist_ok=True)
        env[var] = str(path)
    runtime = root / "runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env["XDG_RUNTIME_DIR"] = str(runtime)
    if data_dir is not None:
        env["TIC_DATA_DIR"] = str(data_dir)
        env["TIC_TEST_HOOK"] = "bench._app_child"
    return env


def _child(
    root: Path,
    data_dir: Path | None,
    *,
    cmd: list[str] | None = None,
    extra_env: dict[str, str] | None = None,
    timeout: float = CHILD_TIMEOUT_S,
) -> dict[str, Any]:
    """Start the app on `data_dir` (or the bare window with None); its report, times from the start.

    `cmd` replaces `python -m tic_desktop` (bench_bundle starts the frozen executable this way).
    """
    if cmd is None:
        cmd = (
            [sys.executable, "-m", "tic_desktop"]
            if data_dir is not None
            else [sys.executable, "-m", "bench._app_child", "bare"]
        )
    env = {**_env(root, data_dir), **(extra_env or {})}
    start = time.monotonic()
    proc = subprocess.run(cmd, env=env, cwd=root, capture_output=True, text=True, timeout=timeout, check=False)
    lines = [line for line in proc.stdout.splitlines() if line.startswith("BENCH ")]
    if not lines:
        raise RuntimeError(
            f"{' '.join(cmd)} exited {proc.returncode} without a report:\n{proc.stderr[-3000:]}"
        )
    report = json.loads(lines[-1][len("BENCH ") :])
    if report.get("error") or proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}: {report}\n{proc.stderr[-3000:]}")
    if data_dir is not None and not (report["review"] and report["proposal"]):
        raise RuntimeError(f"the app did not reach the review page: {report}")
    for key in ("ready", "first_page"):
        if report.get(key) is not None:
            report[key] -= start
    return report


@produces("app_start", "app_start_first_page")
def bench_app_start(quick: bool) -> list[dict[str, Any]]:
    runs = 3 if quick else 5
    fixture = _shared()
    root = fixture.root / "start"
    data = root / "data"
    _child(root, None)  # warm-up: file cache, font cache, .pyc
    _child(root, _copy(fixture.demo_data, data))
    bare, ready, page = [], [], []
    for _ in range(runs):  # interleaved, so that a slow moment of the machine hits both
        bare.append(_child(root, None)["ready"])
        report = _child(root, _copy(fixture.demo_data, data))
        ready.append(report["ready"])
        page.append(report["first_page"])
    median, base = statistics.median(ready), statistics.median(bare)
    start_row = result(
        "app_start",
        median,
        "s",
        baseline=base,
        samples=ready,
        note=f"process start -> review page of the demo batch shown, event loop idle; "
        f"baseline: bare QMainWindow the same way; median of {runs} "
        f"(app {', '.join(f'{t:.2f}' for t in ready)}; bare {', '.join(f'{t:.2f}' for t in bare)})",
    )
    ratio = start_row["ratio"]
    start_row["target"] = f"<= {START_TARGET_S:g} and ratio <= {START_TARGET_RATIO:g}"
    start_row["ok"] = None if ratio is None else median <= START_TARGET_S and ratio <= START_TARGET_RATIO
    params = {"runs": runs, "proposals": 6, "experts": 1, "platform": _env(root, None)["QT_QPA_PLATFORM"],
              "bare_min": min(bare), "bare_max": max(bare)}
    return [
        {**start_row, "params": params},
        {
            **result(
                "app_start_first_page",
                statistics.median(page),
                "s",
                baseline=base,
                samples=page,
                note="process start -> first page of the current proposal's plan rendered and painted",
            ),
            "params": params,
        },
    ]


# -- in this process ----------------------------------------------------------------------------
def _qapp() -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    return QApplication.instance() or QApplication(["tic-bench"])


def _wait(condition: Callable[[], Any], timeout_s: float = 30.0) -> None:
    from PySide6.QtCore import QEventLoop

    qapp = _qapp()
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out waiting for the app")
        qapp.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 10)
        time.sleep(0.001)


@contextmanager
def _app_on(data_dir: Path) -> Iterator[Any]:
    """The app (create_app, as the tests drive it) on a prepared data folder, at the review page."""
    _qapp()
    from PySide6.QtCore import QLoggingCategory

    from tic_desktop.app import create_app

    # QtPdf warns for every outline entry of the demo plans ("/Fit" destinations carry no point)
    QLoggingCategory.setFilterRules("qt.pdf.bookmarks.warning=false")
    app = create_app(["tic-desktop"], data_dir=data_dir)
    try:
        window = app.window
        _wait(lambda: window.ui.stack.currentWidget() is window.ui.reviewPage and window.current_id)
        yield app
    finally:
        app.shutdown()
        app.window.deleteLater()
        app.deleteLater()
        _qapp().processEvents()
        QLoggingCategory.setFilterRules("")


@produces("app_proposal_switch")
def bench_proposal_switch(quick: bool) -> list[dict[str, Any]]:
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtPdf import QPdfPageRenderer

    fixture = _shared()
    passes = 1 if quick else 5
    times: list[float] = []
    with (
        tempfile.TemporaryDirectory(prefix="tic-bench-switch-") as tmp,
        _app_on(_copy(fixture.demo_data, Path(tmp) / "data")) as app,
    ):
        window, session = app.window, app.session
        renderer = window.viewer._view.findChild(QPdfPageRenderer)  # noqa: SLF001 - QPdfView renders through it
        if renderer is None:
            raise RuntimeError("QPdfView has no QPdfPageRenderer child to wait on")
        ids = [p.id for p in session.assigned() if not session.is_conflicted(p.id)]
        loop = QEventLoop()
        rendered: list[int] = []

        def on_rendered(page: int, *_args: Any) -> None:
            rendered.append(page)
            if page == 0:
                loop.quit()

        renderer.pageRendered.connect(on_rendered)
        timeout = QTimer()
        timeout.setSingleShot(True)
        timeout.timeout.connect(loop.quit)
        for _ in range(passes):
            for pid in [*ids[1:], ids[0]]:  # every switch lands on another proposal
                _wait(lambda: True)  # let the previous proposal's other pages finish rendering
                rendered.clear()
                start = time.perf_counter()
                window.proposals.select(pid)  # what a click in the list does
                if 0 not in rendered:
                    timeout.start(10_000)
                    loop.exec()
                    timeout.stop()
                _qapp().processEvents()  # the view paints the rendered page
                elapsed = (time.perf_counter() - start) * 1000
                if window.current_id != pid or 0 not in rendered or window.current_form() is None:
                    raise RuntimeError(f"switching to {pid}: form or first page not shown")
                times.append(elapsed)
        renderer.pageRendered.disconnect(on_rendered)
    median = statistics.median(times)
    return [
        {
            **result(
                "app_proposal_switch",
                median,
                "ms",
                target=SWITCH_TARGET_MS,
                target_on="value",
                samples=times,
                note=f"select in the list -> form filled + first PDF page rendered and painted; median of "
                f"{len(times)} switches over {len(ids)} demo proposals (max {max(times):.0f} ms)",
            ),
            "params": {"switches": len(times), "proposals": len(ids)},
        }
    ]


@produces("app_score_commit", "app_score_commit_flush")
def bench_score_commit(quick: bool) -> list[dict[str, Any]]:
    from bench.bench_workspace import _raw_sqlite_ms
    from tic_desktop.ui.expert.scoring_rows import format_points

    fixture = _shared()
    n = 30 if quick else 300
    total, flush = [], []
    with tempfile.TemporaryDirectory(prefix="tic-bench-commit-") as tmp:
        folder = Path(tmp)
        with _app_on(_copy(fixture.demo_data, folder / "data")) as app:
            window = app.window
            form = window.current_form()
            assert form is not None
            template = window._shown_forms[window.ui.formTabs.currentIndex()]  # noqa: SLF001
            criterion = next(
                c
                for c in template.criteria
                if form.criterion_row(c.id).score_edit.isEnabled()
                and not form.criterion_row(c.id).score_edit.isReadOnly()
            )
            edit = form.criterion_row(criterion.id).score_edit
            step = template.step
            values = [(criterion.max * Decimal(f) / step).to_integral_value() * step for f in ("0.8", "0.6")]
            for i in range(n):
                value = values[i % 2]
                edit.setText(format_points(value, step))  # the keys typed
                start = time.perf_counter()
                edit.editingFinished.emit()  # Tab / Enter: the field commits its value
                queued = time.perf_counter()
                if not window.flush():  # what the debounce timer calls 250 ms later
                    raise RuntimeError("autosave failed")
                done = time.perf_counter()
                total.append((done - start) * 1000)
                flush.append((done - queued) * 1000)
            pid = window.current_id
            assert pid is not None
            if window.autosave.pending or not window.ui.savedLabel.text():
                raise RuntimeError("the edit was not committed")
        from tic_desktop.expert.session import ExpertSession

        check = ExpertSession.open(folder / "data")  # the durable copy, read back by a new session
        try:
            raw = check.last_batch_path().read_bytes()
            check.accept(ExpertSession.read(raw), raw)
            if check.answers(pid, template.id).scores.get(criterion.id) != values[(n - 1) % 2]:
                raise RuntimeError("the last score is not in the workspace")
        finally:
            check.close()
        baseline = _raw_sqlite_ms(folder, n)
    base = statistics.median(baseline)
    params = {"edits": n}
    return [
        {
            **result(
                "app_score_commit",
                statistics.median(total),
                "ms",
                baseline=base,
                target=COMMIT_TARGET_MS,
                target_on="value",
                samples=total,
                note="editingFinished -> evaluation, autosave, workspace commit (WAL, synchronous=FULL), "
                "'已保存'; the 250 ms autosave debounce is excluded (flush called at once); "
                "baseline: bare sqlite3 upsert + commit",
            ),
            "params": params,
        },
        {
            **result(
                "app_score_commit_flush",
                statistics.median(flush),
                "ms",
                baseline=base,
                samples=flush,
                note="only MainWindow.flush(): the autosave's commit of the pending edit",
            ),
            "params": params,
        },
    ]


# -- memory with a big batch --------------------------------------------------------------------
def _pdf(rng: random.Random, label: str, size: int = PDF_SIZE) -> bytes:
    """A valid one-page PDF of about `size` bytes: a title and a scanned-looking (noise) image."""
    width = 600
    height = max(1, (size - 1200) // (width * 3))
    image = rng.randbytes(width * height * 3)
    content = (
        f"q 500 0 0 {500 * height // width} 48 180 cm /Im0 Do Q BT /F1 24 Tf 48 760 Td ({label}) Tj ET"
    ).encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> "
        b"/XObject << /Im0 5 0 R >> >> /Contents 6 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Length %d >>\nstream\n" % (width, height, len(image)) + image + b"\nendstream",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def _big_batch(n: int, out: Path) -> Path:
    """A signed (a fresh agency key), unencrypted batch of n proposals with one ~1 MB plan each."""
    from bench.bench_batch import batch_spec
    from tic_desktop.core.form_library import builtin_forms
    from tic_desktop.formats.batch import write_batch
    from tic_desktop.formats.keys import create_agency_keys

    form = builtin_forms()["feasibility_review"]
    spec = batch_spec(n, form, make_pdf=lambda rng, pid: _pdf(rng, f"Proposal {pid}"), batch_id=f"bench-app-{n}")
    write_batch(out, spec, create_agency_keys(out.parent / f"{out.stem}-agency"))
    return out


def _mib(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f} MiB"


@produces("app_big_batch_memory", "app_big_batch_start")
def bench_big_batch_memory(quick: bool) -> list[dict[str, Any]]:
    n = 30 if quick else 300
    fixture = _shared()
    with tempfile.TemporaryDirectory(prefix="tic-bench-big-") as tmp:
        root = Path(tmp)
        batch = _big_batch(n, root / "big.ticbatch")
        size_mb = batch.stat().st_size / 1e6
        data = root / "data"
        _prepare(fixture, batch, data)
        batch.unlink()  # the data folder keeps its own copy, as after an import
        bare = _child(root, None)
        report = _child(root, data)
    if report["proposals"] != n:
        raise RuntimeError(f"the app shows {report['proposals']} proposals, not {n}")
    params = {"proposals": n, "file_mb": round(size_mb, 1)}
    return [
        {
            **result(
                "app_big_batch_memory",
                report["rss_mib"],
                "MiB",
                baseline=bare["rss_ready_mib"],
                target=MEMORY_TARGET_MIB,
                target_on="value",
                note=f"peak RSS (VmHWM) with a {n}-proposal batch ({size_mb:.0f} MB) on the review "
                f"page and its first page rendered (at the review page: {_mib(report['rss_ready_mib'])}); "
                f"baseline: bare QMainWindow",
            ),
            "params": params,
        },
        {
            **result(
                "app_big_batch_start",
                report["ready"],
                "s",
                baseline=bare["ready"],
                note=f"one start with the {n}-proposal batch, process start -> review page, loop idle",
            ),
            "params": params,
        },
    ]
