"""One table of kind / center type / role labels (core.labels), used by the CLI, the source reader and the PDFs."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tic_desktop.cli import batch as cli
from tic_desktop.core.forms import KINDS
from tic_desktop.core.labels import CENTER_TYPE_LABELS, KIND_LABELS, ROLE_LABELS, label
from tic_desktop.formats import source
from tic_desktop.formats import table as cells
from tic_desktop.paths import demo_source_dir
from tic_desktop.reports import sheet_pdf


def test_everyone_uses_the_core_table() -> None:
    assert tuple(KIND_LABELS) == KINDS
    assert cli.KIND_LABELS is KIND_LABELS and cli.ROLE_LABELS is ROLE_LABELS
    assert {k: v.zh for k, v in KIND_LABELS.items()} == sheet_pdf.KIND_ZH
    assert {k: v.zh for k, v in CENTER_TYPE_LABELS.items()} == sheet_pdf.CENTER_TYPE_ZH
    for table, accepted in ((KIND_LABELS, cells.KINDS), (CENTER_TYPE_LABELS, cells.CENTER_TYPES),
                            (ROLE_LABELS, cells.ROLES)):
        for code, text in table.items():
            assert accepted[code] == accepted[text.zh] == accepted[text.en.lower()] == code
    assert label(KIND_LABELS, "term_end_evaluation", "en") == "term-end evaluation"
    assert label(KIND_LABELS, "other") == "other"


@pytest.mark.parametrize("name", ["建设总结评估", "总结评估", "term-end evaluation", "term_end_evaluation"])
def test_the_printed_kind_name_is_accepted_in_batch_csv(tmp_path: Path, name: str) -> None:
    src = tmp_path / "src"
    shutil.copytree(demo_source_dir(), src, ignore=shutil.ignore_patterns("plans", "agency", "*.json"))
    for table in ("proposals", "kpis"):
        text = (src / f"{table}.csv").read_text("utf-8-sig")
        if table == "proposals":
            text = text.replace("feasibility_review;rd_capacity_project", "term_end_evaluation")
        else:
            lines = text.splitlines()
            text = "\n".join([lines[0]] + [ln.replace(",,", ",1,", 1) for ln in lines[1:]]) + "\n"
        (src / f"{table}.csv").write_text(text, "utf-8")
    batch = (src / "batch.csv").read_text("utf-8-sig").replace("kind,feasibility_review", f"kind,{name}")
    (src / "batch.csv").write_text(batch, "utf-8")
    assert source.read_source(src).kind == "term_end_evaluation"
