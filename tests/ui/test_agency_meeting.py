"""Issue 12 item 10: the panel meeting is recorded — date, place, mode, the chair, a deputy who presides
where the chair stands aside (a conflicted chair), a dissent note per proposal — in the panel opinion
page, the agency workspace (schema v3) and the consolidated PDF."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.ui.agency_setup import (  # noqa: F401 - fixtures
    close_context,
    ctx,
    demo_round,
    import_all,
    open_context,
)
from tic_desktop.agency.schema import AGENCY_SCHEMA_VERSION
from tic_desktop.core.errors import Rejected
from tic_desktop.core.panel_meeting import PanelMeeting
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.ui.agency.panel_opinion_page import PanelOpinionPage
from tic_desktop.ui.agency.results_export import ResultsExport


def _page(qtbot, context) -> PanelOpinionPage:
    page = PanelOpinionPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.set_context(context)
    qtbot.waitUntil(lambda: bool(page.inputs), timeout=20000)
    return page


def _pdf_text(path: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                          text=True).stdout


def test_meeting_record_deputy_for_a_conflicted_chair_and_dissent(qtbot, ctx, demo_round: Path,  # noqa: F811
                                                                   tmp_path: Path):
    assert AGENCY_SCHEMA_VERSION >= 3  # the meeting record came with v3
    import_all(ctx, demo_round / "sheets")
    page = _page(qtbot, ctx)
    box = page.meeting
    # E04 chairs the meeting; E04 has a known conflict with TJ-BM-04, so E02 must preside there
    box.meetingDate.setText("2026-12-18")
    box.meetingPlace.setText("天津市津科评估中心第一会议室")
    box.meetingMode.setCurrentIndex(box.meetingMode.findData("site_visit"))
    box.meetingChair.setCurrentIndex(box.meetingChair.findData("E04"))
    box.meetingDeputy.setCurrentIndex(box.meetingDeputy.findData("E02"))
    assert box.save_meeting()
    stored = ctx.ws.meeting(ctx.batch_id)
    assert stored == PanelMeeting(date="2026-12-18", place="天津市津科评估中心第一会议室", mode="site_visit",
                                  chair_id="E04", deputy_id="E02")
    assert ctx.ws.audit_events()[-1].action == "meeting.save"

    page.select("TJ-BM-04", "feasibility_review")
    deputy = ctx.expert_name("E02")
    assert not page.asideLabel.isHidden() and deputy in page.asideLabel.text() and "组长回避" in page.asideLabel.text()
    assert page.chairEdit.text() == deputy
    page.dissentEdit.setPlainText("陈德明：认为中试平台投资偏高，建议核减。")
    qtbot.waitUntil(lambda: page.savedLabel.text().startswith("已保存 "), timeout=5000)
    opinion = ctx.ws.opinions(ctx.batch_id)[("TJ-BM-04", "feasibility_review")]
    assert opinion.dissent.startswith("陈德明") and opinion.chair_name == deputy
    page.select("TJ-AI-01", "feasibility_review")
    assert page.asideLabel.isHidden()

    if os.environ.get("TIC_SHOT_DIR"):
        page.select("TJ-BM-04", "feasibility_review")
        page.grab().save(str(Path(os.environ["TIC_SHOT_DIR"]) / "meeting-page.png"))

    # a wrong date is named and nothing is saved
    box.meetingDate.setText("18/12/2026")
    assert not box.save_meeting()
    assert "YYYY-MM-DD" in box.meetingStatus.text()
    assert ctx.ws.meeting(ctx.batch_id).date == "2026-12-18"
    with pytest.raises(Rejected) as info:
        ctx.ws.save_meeting(ctx.batch_id, PanelMeeting(mode="party", chair_id="E01", deputy_id="E01"))
    assert info.value.code == "meeting.invalid"

    ctx.ws.save_opinion(ctx.batch_id, "TJ-AI-01", "feasibility_review",
                        PanelOpinion(overall="专家组认为方案可行", conclusion="修改后通过", chair_name=ctx.chair_name()))
    export = ResultsExport()
    qtbot.addWidget(export)
    export.set_context(ctx)
    done: list[list[Path]] = []
    export.show_done = done.append
    export.ask_folder = lambda: tmp_path / "out"
    export.exportButton.click()
    qtbot.waitUntil(lambda: bool(done), timeout=90000)
    pdf = tmp_path / "out" / "consolidated.pdf"
    if os.environ.get("TIC_SHOT_DIR"):
        shutil.copy(pdf, Path(os.environ["TIC_SHOT_DIR"]) / "meeting.pdf")
    text = _pdf_text(pdf)
    flat = "".join(text.split())
    assert "评审日期2026-12-18" in flat and "评审地点天津市津科评估中心第一会议室" in flat
    assert "评审方式现场考察" in flat
    assert f"专家组组长回避本项目，由副组长{deputy}主持评议并签署专家组意见。" in flat
    assert "保留意见：陈德明：认为中试平台投资偏高，建议核减。" in flat
    assert "保留意见：无" in flat  # TJ-AI-01: an opinion written, no dissent
    assert f"副组长{deputy}签字" in flat
    assert "科研诚信核查（评审机构）：无尚未了结的严重科研失信记录" in flat
    page.set_context(None)
    close_context(ctx)

    again = open_context(demo_round, tmp_path)  # the record survives reopening the workspace
    try:
        assert again.ws.meeting(again.batch_id).deputy_id == "E02"
    finally:
        close_context(again)
