"""reports.plan_pdf: the construction plan (建设方案) PDF, checked with poppler and qpdf."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tic_desktop.demo import build_demo_source
from tic_desktop.formats.source import read_source
from tic_desktop.paths import demo_source_dir
from tic_desktop.reports.plan_pdf import OUTLINE, ConstructionPlan, render_plan_pdf

pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "qpdf", "pdfinfo")),
                                reason="poppler-utils and qpdf are needed")


@pytest.fixture(scope="module")
def spec(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    return read_source(demo_source_dir())


def _plan(pid: str) -> ConstructionPlan:
    return ConstructionPlan.model_validate_json((demo_source_dir() / "plans" / f"{pid}.json").read_bytes())


@pytest.fixture(scope="module")
def pdf(spec, tmp_path_factory: pytest.TempPathFactory) -> Path:  # type: ignore[no-untyped-def]
    proposal = next(p for p in spec.proposals if p.id == "TJ-NM-06")
    path = tmp_path_factory.mktemp("plan") / "plan.pdf"
    path.write_bytes(render_plan_pdf(_plan("TJ-NM-06"), proposal))
    return path


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def test_every_demo_plan_follows_the_official_outline() -> None:
    for path in sorted((demo_source_dir() / "plans").glob("*.json")):
        plan = ConstructionPlan.model_validate_json(path.read_bytes())
        plan.check_outline()
        assert plan.proposal_id == path.stem


def test_font_is_embedded_and_nothing_else_is_used(pdf: Path) -> None:
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows, "no fonts"
    for row in rows:
        assert "WenQuanYiMicroHei" in row and " yes yes " in row, row


def test_qpdf_check(pdf: Path) -> None:
    assert "No syntax or stream encoding errors" in _run("qpdf", "--check", str(pdf))


def test_at_least_six_a4_pages(pdf: Path) -> None:
    info = _run("pdfinfo", str(pdf))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages >= 6
    assert "595.276 x 841.89 pts (A4)" in info


def test_chinese_comes_back_exactly(pdf: Path) -> None:
    text = _run("pdftotext", "-layout", str(pdf), "-")
    lines = [line.strip() for line in text.splitlines()]
    for number, title in zip("一二三四五六七八九", OUTLINE, strict=True):
        assert lines.count(f"{number}、{title}") == 2  # contents page and chapter heading
    assert "天津市先进功能材料技术创新中心" in text and "建设方案" in text
    assert "表 研发创新能力建设项目投资预算" in text and "37.9%" in text  # the subsidy share that breaks 30%
    assert "表 建设期末主要考核指标" in text and "新材料产品实现进口替代" in text
    assert re.search(r"—\s*2\s*—", text) and re.search(r"—\s*7\s*—", text)  # page numbers


def test_outline_has_a_bookmark_per_chapter(pdf: Path) -> None:
    outlines = json.loads(_run("qpdf", "--json", "--json-key=outlines", str(pdf)))["outlines"]
    titles = [o["title"] for o in outlines]
    assert titles == ["目录", *(f"{n}、{t}" for n, t in zip("一二三四五六七八九", OUTLINE, strict=True))]
    chapter7 = outlines[7]
    assert [k["title"] for k in chapter7["kids"]] == ["7.1\u3000建设周期", "7.2\u3000建设资金经费预算", "7.3\u3000预计经济效益分析"]
    pages = [o["destpageposfrom1"] for o in outlines]
    assert pages == sorted(pages) and pages[0] == 2


def test_output_is_reproducible(spec) -> None:  # type: ignore[no-untyped-def]
    proposal = spec.proposals[0]
    plan = _plan(proposal.id)
    assert render_plan_pdf(plan, proposal) == render_plan_pdf(plan, proposal)


def test_wrong_outline_is_refused(spec) -> None:  # type: ignore[no-untyped-def]
    plan = _plan("TJ-AI-01")
    chapters = list(plan.chapters)
    chapters[0], chapters[1] = chapters[1], chapters[0]
    with pytest.raises(ValueError):
        render_plan_pdf(plan.model_copy(update={"chapters": tuple(chapters)}), spec.proposals[0])


def test_demo_source_has_a_plan_pdf_per_proposal(tmp_path: Path) -> None:
    src = build_demo_source(tmp_path / "src", "term_end_evaluation")
    spec = read_source(src)
    assert all(p.kpis[0].achieved is not None for p in spec.proposals)
    for p in spec.proposals:
        assert [d.path for d in p.documents][0] == f"proposals/{p.id}/plan.pdf"
        assert p.documents[0].title == "建设方案"
        assert spec.documents[p.documents[0].path].startswith(b"%PDF-")


def _flat(outlines: list[dict]) -> list[dict]:  # type: ignore[type-arg]
    return [x for o in outlines for x in (o, *_flat(o["kids"]))]


def test_outline_destinations_point_at_their_headings(pdf: Path) -> None:
    """/XYZ with the heading's top, not a bare /Fit of its page (QtPdf warned and showed the page top)."""
    entries = _flat(json.loads(_run("qpdf", "--json", "--json-key=outlines", str(pdf)))["outlines"])
    assert len(entries) > 20
    for entry in entries:
        _, kind, left, top, _zoom = entry["dest"]
        assert kind == "/XYZ" and left == 0 and 0 < top < 841.9, entry
        page = str(entry["destpageposfrom1"])
        words = re.findall(r'yMin="([\d.]+)"[^>]*>([^<]+)</word>',
                           _run("pdftotext", "-bbox", "-f", page, "-l", page, str(pdf), "-"))
        first = entry["title"].split("\u3000")[0]
        # the heading's first word sits just under the destination's top (within 12 mm)
        assert any(w == first and 0 < float(y) - (841.89 - top) < 34 for y, w in words), (entry["title"], top)
    assert any(e["dest"][3] < 841.89 / 2 for e in entries)  # some heading low on its page
