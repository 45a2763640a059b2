"""The app and `tic-desktop consolidate` build their report on the one agency service: the same sheets
(with a tampered file among them) give the same results.csv, scores.csv and results.xlsx and the same
report content (the consolidated PDF's text but its time stamp), through the import page and the
export button on one side and the command line on the other."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.ui.agency_setup import agency_world, ctx, demo_round, sheets_dir  # noqa: F401 - fixtures
from tests.unit.agency_world import tamper
from tic_desktop.ui.agency.results_export import ResultsExport
from tic_desktop.ui.agency.sheet_import_page import SheetImportPage

STAMP = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2})?")


def _pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True)
    return STAMP.sub("<time>", out.stdout)


def _xlsx(path: Path) -> list[list[list[object]]]:
    book = load_workbook(path)
    return [[[STAMP.sub("<time>", c.value) if isinstance(c.value, str) else c.value for c in row]
             for row in sheet.iter_rows()] for sheet in book.worksheets]


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils")
def test_the_app_and_the_command_line_write_the_same_report(qtbot, ctx, demo_round: Path, sheets_dir: Path,  # noqa: F811
                                                            tmp_path: Path) -> None:
    tamper(agency_world(demo_round), sheets_dir / "E03.ticsheet", sheets_dir / "E03-tampered.ticsheet")

    # the app: 导入评分表 (keys from the allowed_signers file, then the folder), then 导出汇总结果…
    page = SheetImportPage()
    qtbot.addWidget(page)
    page.set_context(ctx)
    page.show_message = lambda *a: None
    page.ask_signers_file = lambda: sheets_dir / "allowed_signers"
    page.signersButton.click()
    page.ask_folder = lambda: sheets_dir
    page.addFolderButton.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=60000)
    export = ResultsExport()
    qtbot.addWidget(export)
    export.set_context(ctx)
    done: list[list[Path]] = []
    export.show_done = done.append
    export.ask_folder = lambda: tmp_path / "app"
    export.exportButton.click()
    qtbot.waitUntil(lambda: bool(done), timeout=120000)

    # the command line on the same files
    env = {**os.environ, "TIC_LANG": "zh"}
    r = subprocess.run([sys.executable, "-m", "tic_desktop", "consolidate", "--batch", str(demo_round / "demo.ticbatch"),
                        "--identity", str(demo_round / "agency" / "agency.agekey"), "--allowed-signers",
                        str(sheets_dir / "allowed_signers"), str(sheets_dir), "-o", str(tmp_path / "cli")],
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 1, r.stderr  # the tampered file is not used
    assert "E03-tampered.ticsheet" in r.stderr

    app, cli = tmp_path / "app", tmp_path / "cli"
    for name in ("results.csv", "scores.csv"):
        assert (app / name).read_bytes() == (cli / name).read_bytes(), name
    assert _xlsx(app / "results.xlsx") == _xlsx(cli / "results.xlsx")
    text = _pdf_text(app / "consolidated.pdf")
    assert text == _pdf_text(cli / "consolidated.pdf")
    assert "E03-tampered.ticsheet" in text and "未接收 1 份" in text
