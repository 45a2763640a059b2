"""`tic-desktop self-test` in a subprocess (as the installer's users and CI run it), and its failure report."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tic_desktop.ui.common import selftest


def self_test(lang: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "TIC_LANG": lang, "PYTHONIOENCODING": "utf-8", **(env or {})}
    environ.pop("TIC_DEBUG", None)
    environ.pop("QT_QPA_PLATFORM", None)  # the self-test sets offscreen itself
    return subprocess.run([sys.executable, "-m", "tic_desktop", "self-test"], capture_output=True, text=True,
                          encoding="utf-8", env=environ, timeout=180)


def test_self_test_passes_in_chinese_and_touches_no_data_folder(tmp_path: Path) -> None:
    data = tmp_path / "data"
    r = self_test("zh", {"TIC_DATA_DIR": str(data)})
    assert r.returncode == 0, r.stdout + r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == len(selftest.CHECKS) + 1
    assert all(line.startswith("✔ ") for line in lines[:-1]), r.stdout
    for zh, _en, _check in selftest.CHECKS:
        assert any(line.startswith(f"✔ {zh}：") for line in lines), zh
    assert lines[-1].startswith(f"自检通过：全部 {len(selftest.CHECKS)} 项")
    assert "QtPdf" in r.stdout and "WQYMicroHei" in r.stdout and selftest.CHINESE_SAMPLE in r.stdout
    assert not data.exists(), "the self-test wrote to the real data folder"


def test_self_test_speaks_english_and_is_listed_in_help() -> None:
    r = self_test("en")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "✔ score sheet signed, exported and verified: " in r.stdout
    assert r.stdout.strip().splitlines()[-1].startswith("Self-test passed: all ")
    help_text = subprocess.run([sys.executable, "-m", "tic_desktop", "--help"], capture_output=True, text=True,
                               encoding="utf-8", env={**os.environ, "TIC_LANG": "en"}, timeout=60).stdout
    assert "self-test" in help_text


def test_a_failing_check_is_reported_and_the_others_still_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(ctx: selftest._Context) -> str:
        raise RuntimeError("font file missing")

    def fine(ctx: selftest._Context) -> str:
        return "ok"

    # no Qt in this process: stand-ins for every check, the first one broken
    checks = [(zh, en, broken if i == 0 else fine) for i, (zh, en, _check) in enumerate(selftest.CHECKS)]
    monkeypatch.setattr(selftest, "CHECKS", checks)
    out = io.StringIO()
    assert selftest.run("en", out=out) == 1
    lines = out.getvalue().strip().splitlines()
    assert lines[0] == "✘ resources: RuntimeError: font file missing"
    assert sum(line.startswith("✔ ") for line in lines) == len(checks) - 1
    assert lines[-1].startswith(f"Self-test FAILED: 1 of {len(checks)} checks")


def test_a_page_module_missing_from_the_build_fails_the_self_test(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The agency window loads its pages by name (a bundler cannot see them); a frozen build once had
    none, silently. The self-test names the module that does not import."""
    from tic_desktop.ui.agency import agency_window

    monkeypatch.setattr(agency_window, "PAGE_MODULES", (*agency_window.PAGE_MODULES, "tic_desktop.ui.agency.no_such_pages"))
    with pytest.raises(RuntimeError, match="no_such_pages"):
        selftest.check_agency_pages(selftest._Context(tmp_path, "en"))
