"""The frozen app (issue 7, "Benchmarks"): what the PyInstaller bundle and the installer weigh, and
how much slower the frozen app starts than the unfrozen one.

- bundle_size: dist/tic-desktop unpacked, in MiB (symlinks count once), with its biggest parts in
  the note (build/release.py's grouping). Target <= 160 MiB.
- installer_size: the newest dist/*setup.exe, in MB. Target <= 50 MB. Built on Linux it packs the
  Linux bundle (CI compiles the script to prove it compiles); the Windows runner builds the real one.
- bundle_start: the frozen app's start to an interactive window against the unfrozen start,
  measured as bench/bench_app.py's app_start measures it: the same prepared data folder (the demo
  batch on an expert's second day), environment and TIC_TEST_HOOK=bench._app_child, which reports
  when the review page is bound and the event loop idle. The frozen app ignores PYTHONPATH, so
  TIC_TEST_HOOK_PATH points it at this repository (build/rthook_test_hook_path.py). Median of 5
  (3 with --quick) interleaved starts after one unmeasured warm-up of each. Target ratio <= 1.5.

With --quick a missing bundle or installer is reported (value None, ok None), never built; the full
run builds a missing bundle with `build/release.py --no-compile --no-installer`.
"""

from __future__ import annotations

import importlib.util
import statistics
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

from bench import bench_app, produces, result

BUNDLE_TARGET_MIB = 160.0
INSTALLER_TARGET_MB = 50.0
START_TARGET_RATIO = 1.5
FROZEN_TIMEOUT_S = 90
MIB = 1024 * 1024
REPO = bench_app.REPO
RELEASE = REPO / "build" / "release.py"


def _release() -> ModuleType:
    """build/release.py as a module (its BUNDLE path and bundle_sizes)."""
    spec = importlib.util.spec_from_file_location("tic_build_release", RELEASE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _exe(bundle: Path) -> Path:
    return bundle / (bundle.name + (".exe" if sys.platform == "win32" else ""))


def _missing(name: str, unit: str, target: str, note: str) -> dict[str, Any]:
    return {**result(name, None, unit, note=note), "target": target}


def _size_rows(release: ModuleType) -> list[dict[str, Any]]:
    bundle: Path = release.BUNDLE
    total, count, parts = release.bundle_sizes(bundle)
    biggest = ", ".join(
        f"{key.removeprefix('_internal/')} {size / MIB:.1f}" for key, size in list(parts.items())[:8]
    )
    rows = [
        {
            **result(
                "bundle_size",
                total / MIB,
                "MiB",
                target=BUNDLE_TARGET_MIB,
                target_on="value",
                note=f"{bundle.relative_to(REPO)} unpacked, {count} files ({sys.platform}); biggest parts (MiB): {biggest}",
            ),
            "params": {"files": count, "platform": sys.platform},
        }
    ]
    installers = sorted(bundle.parent.glob("*setup.exe"), key=lambda p: p.stat().st_mtime)
    if not installers:
        rows.append(
            _missing(
                "installer_size",
                "MB",
                f"<= {INSTALLER_TARGET_MB:g}",
                "no dist/*setup.exe: `python build/release.py` builds it (needs makensis)",
            )
        )
    else:
        setup = installers[-1]
        stale = setup.stat().st_mtime < _exe(bundle).stat().st_mtime
        rows.append(
            result(
                "installer_size",
                setup.stat().st_size / 1e6,
                "MB",
                target=INSTALLER_TARGET_MB,
                target_on="value",
                note=f"{setup.name}, NSIS solid LZMA"
                + (", built from this Linux bundle" if sys.platform != "win32" else "")
                + (" (OLDER than the bundle: rebuild with build/release.py)" if stale else ""),
            )
        )
    return rows


def _frozen_child(exe: Path, root: Path, data_dir: Path) -> dict[str, Any]:
    """bench_app._child for the frozen executable: same environment, hook and report."""
    return bench_app._child(  # noqa: SLF001 - the same child run as app_start
        root, data_dir, cmd=[str(exe)], extra_env={"TIC_TEST_HOOK_PATH": str(REPO)}, timeout=FROZEN_TIMEOUT_S
    )


def _start_row(exe: Path, quick: bool) -> dict[str, Any]:
    runs = 3 if quick else 5
    name, target = "bundle_start", f"ratio <= {START_TARGET_RATIO:g}"
    if sys.platform == "win32":  # a windowed build has no stdout for the hook's BENCH line
        return _missing(name, "s", target, "not measured on Windows: the windowed build has no stdout")
    fixture = bench_app._shared()  # noqa: SLF001
    root = fixture.root / "bundle-start"
    data = root / "data"
    try:
        # warm-ups (file cache, fonts); a bundle built before the TIC_TEST_HOOK_PATH hook fails here
        bench_app._child(root, bench_app._copy(fixture.demo_data, data))  # noqa: SLF001
        _frozen_child(exe, root, bench_app._copy(fixture.demo_data, data))  # noqa: SLF001
        frozen, unfrozen = [], []
        for _ in range(runs):  # interleaved, so that a slow moment of the machine hits both
            unfrozen.append(bench_app._child(root, bench_app._copy(fixture.demo_data, data))["ready"])  # noqa: SLF001
            frozen.append(_frozen_child(exe, root, bench_app._copy(fixture.demo_data, data))["ready"])  # noqa: SLF001
    except (RuntimeError, subprocess.TimeoutExpired) as exc:
        first = str(exc).strip().splitlines()
        return _missing(name, "s", target, f"not measured: {first[0] if first else type(exc).__name__}"[:400])
    row = result(
        name,
        statistics.median(frozen),
        "s",
        baseline=statistics.median(unfrozen),
        target=START_TARGET_RATIO,
        samples=frozen,
        note=f"frozen {exe.name} vs `python -m tic_desktop`, process start -> review page of the demo batch "
        f"shown, event loop idle (as app_start); median of {runs} "
        f"(frozen {', '.join(f'{t:.2f}' for t in frozen)}; unfrozen {', '.join(f'{t:.2f}' for t in unfrozen)})",
    )
    return {**row, "params": {"runs": runs}}


def _build() -> str | None:
    """build/release.py --no-compile --no-installer; None when it worked, else why not."""
    proc = subprocess.run(
        [sys.executable, str(RELEASE), "--no-compile", "--no-installer"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    return (
        None if proc.returncode == 0 else f"build/release.py exited {proc.returncode}: {proc.stderr[-300:]}"
    )


@produces("bundle_size", "installer_size", "bundle_start")
def bench_bundle(quick: bool) -> list[dict[str, Any]]:
    release = _release()
    exe = _exe(release.BUNDLE)
    why = None
    if not exe.is_file():
        why = (
            "no bundle (dist/tic-desktop): `python build/release.py --no-compile` builds it"
            if quick
            else _build()
        )
    if why or not exe.is_file():
        why = why or "no bundle after build/release.py"
        return [
            _missing("bundle_size", "MiB", f"<= {BUNDLE_TARGET_MIB:g}", why),
            _missing("installer_size", "MB", f"<= {INSTALLER_TARGET_MB:g}", why),
            _missing("bundle_start", "s", f"ratio <= {START_TARGET_RATIO:g}", why),
        ]
    return [*_size_rows(release), _start_row(exe, quick)]
