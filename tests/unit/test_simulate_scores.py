"""simulate.read_scores_csv: the optional form_id column, and every row checked against the batch with a
one-line message naming file, row and column (Chinese by default, English on request)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tic_desktop.core.errors import Rejected
from tic_desktop.formats.batch import read_batch
from tic_desktop.simulate import read_scores_csv

HEADER = "expert_id,proposal_id,criterion_id,score,form_id\n"


@pytest.fixture(scope="module")
def opened(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from tic_desktop.demo import write_demo_batch

    return read_batch(write_demo_batch(tmp_path_factory.mktemp("demo")).read_bytes())


def _read(opened: Any, tmp_path: Path, text: str) -> Any:
    path = tmp_path / "scores.csv"
    path.write_text(text, "utf-8")
    return read_scores_csv(path, opened)


def _refused(opened: Any, tmp_path: Path, text: str) -> tuple[str, str]:
    with pytest.raises(Rejected) as info:
        _read(opened, tmp_path, text)
    zh, en = info.value.text("zh"), info.value.text("en")
    assert "\n" not in zh and "\n" not in en and "scores.csv" in zh and "scores.csv" in en
    return zh, en


def test_form_id_picks_the_form(opened: Any, tmp_path: Path) -> None:
    # 2.1 is worth 6 in feasibility_review and 15 in rd_capacity_project
    plan = _read(opened, tmp_path, HEADER + "E01,TJ-AI-01,2.1,12,rd_capacity_project\n"
                                            "E01,TJ-AI-01,2.1,5.5,feasibility_review\n"
                                            "E01,TJ-AI-01,5.1,4,\n"  # only in feasibility_review
                                            "E02,TJ-SB-02,*,conflict,\n")
    assert plan.scores[("E01", "TJ-AI-01")] == {("rd_capacity_project", "2.1"): "12",
                                                ("feasibility_review", "2.1"): "5.5",
                                                ("feasibility_review", "5.1"): "4"}
    assert plan.conflicts == {("E02", "TJ-SB-02")}


def test_four_columns_still_work_when_unambiguous(opened: Any, tmp_path: Path) -> None:
    plan = _read(opened, tmp_path, "expert_id,proposal_id,criterion_id,score\nE01,TJ-AI-01,8.1,4\n"
                                   "E02,TJ-SB-02,*,conflict\n")
    assert plan.scores == {("E01", "TJ-AI-01"): {("feasibility_review", "8.1"): "4"}}


def test_ambiguous_criterion_without_form_id_names_the_row(opened: Any, tmp_path: Path) -> None:
    zh, en = _refused(opened, tmp_path, "expert_id,proposal_id,criterion_id,score\nE01,TJ-AI-01,2.1,12\n")
    assert "第 2 行" in zh and "criterion_id" in zh and "form_id" in zh
    assert "row 2, column criterion_id" in en and "feasibility_review" in en and "rd_capacity_project" in en


@pytest.mark.parametrize(("row", "column", "words"), [
    ("E01,TJ-AI-01,2.1,NaN,rd_capacity_project", "score", "not a number"),
    ("E01,TJ-AI-01,2.1,Infinity,rd_capacity_project", "score", "not a number"),
    ("E01,TJ-AI-01,2.1,abc,rd_capacity_project", "score", "not a number"),
    ("E01,TJ-AI-01,2.1,12,feasibility_review", "score", "outside 0–6"),
    ("E01,TJ-AI-01,2.1,-1,rd_capacity_project", "score", "outside 0–15"),
    ("E01,TJ-AI-01,2.1,7.25,rd_capacity_project", "score", "multiple of 0.5"),
    ("E01,TJ-AI-01,1.1,NA,feasibility_review", "score", "only the agency decides"),
    ("E01,TJ-AI-01,8.1,NA,feasibility_review", "score", "only the agency decides"),
    ("E99,TJ-AI-01,2.1,5,rd_capacity_project", "expert_id", "unknown expert"),
    ("E01,TJ-XX-99,2.1,5,rd_capacity_project", "proposal_id", "unknown proposal"),
    ("E01,TJ-AI-01,2.1,5,no_such_form", "form_id", "has no form"),
    ("E01,TJ-AI-01,5.1,4,rd_capacity_project", "criterion_id", "has no criterion"),
    ("E06,TJ-AI-01,1.1,5,rd_capacity_project", "criterion_id", "does not score"),
    ("E04,TJ-BM-04,1.1,5,feasibility_review", "proposal_id", "conflict"),
    ("E01,TJ-AI-01,*,5,", "score", "score=conflict"),
])
def test_each_row_is_checked_naming_the_column(opened: Any, tmp_path: Path, row: str, column: str, words: str) -> None:
    zh, en = _refused(opened, tmp_path, HEADER + "E01,TJ-AI-01,1.1,5,feasibility_review\n" + row + "\n")
    assert f"row 3, column {column}" in en and words in en
    assert f"第 3 行「{column}」列" in zh


def test_unassigned_repeated_and_unknown_columns(opened: Any, tmp_path: Path) -> None:
    manifest = opened.manifest
    e01 = manifest.experts[0].model_copy(update={"assigned": ("TJ-SB-02",)})
    narrowed = type("Opened", (), {"manifest": manifest.model_copy(update={"experts": (e01, *manifest.experts[1:])}),
                                   "proposals": opened.proposals, "forms": opened.forms})()
    zh, en = _refused(narrowed, tmp_path, HEADER + "E01,TJ-AI-01,1.1,5,feasibility_review\n")
    assert "row 2, column proposal_id" in en and "not assigned" in en and "未分配" in zh
    _, en = _refused(opened, tmp_path, HEADER + "E01,TJ-AI-01,1.1,5,feasibility_review\n"
                                               "E01,TJ-AI-01,1.1,4,feasibility_review\n")
    assert "row 3" in en and "repeats row 2" in en
    _, en = _refused(opened, tmp_path, "expert_id,proposal_id,criterion_id,score,form\nE01,TJ-AI-01,5.1,4,x\n")
    assert "row 1, column form" in en and "unknown column" in en
