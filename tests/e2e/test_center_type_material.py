"""Issue 12 items 7, 8 and 9 in the expert app and `batch inspect`: the periodic demo has no R&D capacity
budget and no subsidy check (the plan's limits apply to a comprehensive center's R&D capacity project
only), the budget tab is gone for those centers, every expert sees the agency's integrity check and
the agency's N/A item, and the demo shows fictional organisations and current regulatory terms."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.batches import write_test_batch
from tests.e2e.flow import walk_to_review
from tic_desktop.app import create_app
from tic_desktop.demo import build_demo_source

REAL = ("天津大学", "南开大学", "力神", "麒麟软件", "中国科学院", "国网", "中汽数据", "天津药物研究院", "清华大学")


def _inspect(batch: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "tic_desktop", "batch", "inspect", str(batch), *extra],
                          capture_output=True, text=True, env={**__import__("os").environ, "TIC_LANG": "zh"})


@pytest.mark.parametrize("kind", ["periodic_assessment", "term_end_evaluation"])
def test_inspect_shows_no_subsidy_check_where_the_plan_has_none(tmp_path: Path, kind: str) -> None:
    batch = write_test_batch(tmp_path / "b", kind)
    data = json.loads(_inspect(batch, "--json").stdout)
    for p in data["proposals"]:
        assert p["subsidy_policy"] == "n/a" and "policy" not in p
        assert p["integrity"] == {"record": False, "note": p["integrity"]["note"]}
        if kind == "periodic_assessment":
            assert p["budget"]["subsidy_ratio"] is None  # professional / engineering: no R&D budget
    text = _inspect(batch).stdout
    assert "✘" not in text and "财政补助政策核查：不适用" in text
    assert "科研诚信核查：无尚未了结的严重科研失信记录" in text
    if kind == "periodic_assessment":
        assert "不适用（机构确定）：periodic_assessment 5.1" in text


def test_feasibility_still_checks_the_subsidy(tmp_path: Path) -> None:
    data = json.loads(_inspect(write_test_batch(tmp_path / "b"), "--json").stdout)
    assert all(p["subsidy_policy"] == "applies" and p["policy"] for p in data["proposals"])
    assert any(not p["policy_passed"] for p in data["proposals"])  # the demo's one breach (30%)


@pytest.mark.parametrize("kind", ["feasibility_review", "term_end_evaluation", "periodic_assessment"])
def test_demo_names_are_fictional_and_terms_current(tmp_path: Path, kind: str) -> None:
    src = build_demo_source(tmp_path / "src", kind)
    text = "".join(p.read_text("utf-8-sig") for p in src.glob("*.csv"))
    assert not [name for name in REAL if name in text]
    assert "批件" not in text and "牵头单位" not in text
    assert "依托单位" in (src / "proposals.csv").read_text("utf-8-sig")
    if kind == "feasibility_review":
        assert "临床试验默示许可" in text
        from tic_desktop.paths import demo_source_dir

        plans = "".join(p.read_text("utf-8") for p in (demo_source_dir() / "plans").glob("*.json"))
        assert "牵头单位" not in plans and not [name for name in REAL if name in plans]


def test_expert_app_periodic_center(qtbot, tmp_path: Path) -> None:
    batch = write_test_batch(tmp_path / "b", "periodic_assessment")
    app = create_app(["tic-desktop", str(batch)], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    walk_to_review(app)
    tabs = window.ui.centerTabs
    window.show_proposal("TJ-SB-02")
    assert not tabs.isTabVisible(tabs.indexOf(window.ui.budgetTab))  # no budget, no policy check: no tab
    note = window.integrity_note
    assert not note.isHidden() and "无尚未了结的严重科研失信记录" in note.text()
    row = window.current_form().criterion_row("5.1")
    assert row.na_box.isChecked() and not row.na_box.isEnabled() and "首次评估" in row.note.text()
    other = window.current_form().criterion_row("3.3")
    assert other.na_box is None or other.na_box.isHidden()
    window.resize(1280, 800)
    if __import__("os").environ.get("TIC_SHOT_DIR"):
        window.grab().save(str(Path(__import__("os").environ["TIC_SHOT_DIR"]) / "periodic-expert.png"))


def test_each_kind_has_its_own_material(tmp_path: Path) -> None:
    periodic = build_demo_source(tmp_path / "p", "periodic_assessment")
    term_end = build_demo_source(tmp_path / "t", "term_end_evaluation")
    for folder in (periodic / "proposals").iterdir():
        assert sorted(p.name for p in folder.iterdir()) == ["自评报告.pdf"]
    assert (periodic / "budget.csv").read_text("utf-8-sig").strip().count("\n") == 0  # the header alone
    for folder in (term_end / "proposals").iterdir():
        assert sorted(p.name for p in folder.iterdir()) == ["专项审计报告.pdf", "建设总结报告.pdf", "建设方案.pdf"]
    text = subprocess.run(["pdftotext", str(term_end / "proposals" / "TJ-AI-01" / "专项审计报告.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "专项审计报告" in text and "天津津审会计师事务所有限公司" in text and "专款专用" in text
    text = subprocess.run(["pdftotext", str(periodic / "proposals" / "TJ-IM-03" / "自评报告.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "工程技术研究中心" in text and "专业性技术创新中心序列" in text
