"""Build the frozen app and the Windows installer, from the repository root:

    python build/release.py                    # forms + translations, PyInstaller, self-test, makensis
    python build/release.py --no-compile       # skip scripts/build_ui.py and update_translations.py
    python build/release.py --no-installer     # stop after the self-test
    python build/release.py --makensis PATH    # makensis not on PATH

Steps: 1. scripts/build_ui.py and scripts/update_translations.py (the .ui forms and the .qm);
2. PyInstaller with build/tic_desktop.spec (--workpath build/_work --distpath dist: build/ keeps
only sources); 3. the frozen app's `self-test` (offscreen; its report also goes to
build/_work/self-test.txt, since a windowed Windows build has no stdout); 4. makensis
build/installer.nsi with /DVERSION, /DVERSION_4, /DDIST_DIR and /DOUTFILE
(dist/tic-desktop-<version>-setup.exe). Prints the bundle size, its biggest parts and the
installer size. Exit status non-zero at the first failing step.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "build"))
from version_info import EXE_NAME, numeric_version, read_version  # noqa: E402

WORK = ROOT / "build" / "_work"
DIST = ROOT / "dist"
BUNDLE = DIST / EXE_NAME
MIB = 1024 * 1024


def step(title: str) -> float:
    print(f"==> {title}", flush=True)
    return time.perf_counter()


def done(t0: float) -> None:
    print(f"    ({time.perf_counter() - t0:.1f} s)", flush=True)


def run(cmd: list[str], **kwargs: object) -> None:
    print("    $ " + " ".join(cmd), flush=True)
    subprocess.run(cmd, check=True, cwd=ROOT, **kwargs)  # type: ignore[call-overload]


def compile_sources() -> None:
    t0 = step("compile the .ui forms and the translations")
    run([sys.executable, "scripts/build_ui.py"])
    run([sys.executable, "scripts/update_translations.py"])
    done(t0)


def pyinstaller() -> None:
    t0 = step("PyInstaller (one folder)")
    run([sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN",
         "--workpath", str(WORK), "--distpath", str(DIST), str(ROOT / "build" / "tic_desktop.spec")])
    done(t0)


def frozen_exe() -> Path:
    exe = BUNDLE / (EXE_NAME + (".exe" if sys.platform == "win32" else ""))
    if not exe.is_file():
        raise SystemExit(f"no frozen app at {exe}")
    return exe


def self_test() -> None:
    t0 = step("self-test of the frozen app (offscreen)")
    report = WORK / "self-test.txt"
    report.unlink(missing_ok=True)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TIC_SELF_TEST_REPORT": str(report),
           "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([str(frozen_exe()), "self-test"], cwd=WORK, env=env, timeout=300,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if report.is_file():
        sys.stdout.buffer.write(report.read_bytes())
        sys.stdout.flush()
    if result.stderr:
        sys.stderr.buffer.write(result.stderr)
    if result.returncode != 0:
        raise SystemExit(f"the frozen self-test failed (exit {result.returncode})")
    done(t0)


def bundle_sizes(bundle: Path = BUNDLE) -> tuple[int, int, dict[str, int]]:
    """(total bytes, number of files, bytes per part) of a one-folder bundle; symlinks (Linux:
    PyInstaller links the Qt libraries into _internal/) count once. A part is a top folder of
    _internal/, or a folder of PySide6/Qt/ (lib, plugins, translations)."""
    files = [p for p in bundle.rglob("*") if p.is_file() and not p.is_symlink()]
    groups: dict[str, int] = {}
    for p in files:
        rel = p.relative_to(bundle).parts
        key = "/".join(rel[:4] if rel[:3] == ("_internal", "PySide6", "Qt") else rel[:2])
        groups[key] = groups.get(key, 0) + p.stat().st_size
    return sum(groups.values()), len(files), dict(sorted(groups.items(), key=lambda kv: -kv[1]))


def sizes(top: int = 12) -> int:
    total, count, groups = bundle_sizes()
    print(f"==> bundle {BUNDLE.relative_to(ROOT)}: {total / MIB:.1f} MiB in {count} files; biggest parts:")
    for key, size in list(groups.items())[:top]:
        print(f"    {size / MIB:7.1f} MiB  {key}")
    return total


def find_makensis(given: str | None) -> str:
    if given:
        return given
    found = shutil.which("makensis")
    for candidate in (found, r"C:\Program Files (x86)\NSIS\makensis.exe", r"C:\Program Files\NSIS\makensis.exe"):
        if candidate and Path(candidate).is_file():
            return candidate
    raise SystemExit("makensis not found: install NSIS (Debian: apt-get install nsis; Windows: choco install nsis)")


def installer(version: str, makensis: str | None) -> Path:
    t0 = step("makensis build/installer.nsi")
    out = DIST / f"{EXE_NAME}-{version}-setup.exe"
    n = ".".join(str(x) for x in numeric_version(version))
    flag = "/" if sys.platform == "win32" else "-"
    run([find_makensis(makensis), f"{flag}V2", f"{flag}DVERSION={version}", f"{flag}DVERSION_4={n}",
         f"{flag}DDIST_DIR={BUNDLE}", f"{flag}DOUTFILE={out}", str(ROOT / "build" / "installer.nsi")])
    print(f"==> installer {out.relative_to(ROOT)}: {out.stat().st_size / 1e6:.1f} MB")
    done(t0)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--no-compile", action="store_true", help="skip the .ui forms and translations")
    parser.add_argument("--no-installer", action="store_true", help="stop after the self-test")
    parser.add_argument("--no-self-test", action="store_true", help="do not run the frozen self-test")
    parser.add_argument("--makensis", help="path of makensis")
    args = parser.parse_args(argv)
    version = read_version(ROOT)
    print(f"TIC Desktop {version} on {sys.platform}, Python {sys.version.split()[0]}")
    if not args.no_compile:
        compile_sources()
    pyinstaller()
    if not args.no_self_test:
        self_test()
    sizes()
    if not args.no_installer:
        installer(version, args.makensis)
    return 0


if __name__ == "__main__":
    sys.exit(main())
