"""Printed score sheet, pledge and key enrolment sheet: pdffonts, pdftotext, qpdf --check, zbarimg on a render."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.formats import sheet as sf
from tic_desktop.formats.batch import read_batch

TOOLS = ("pdffonts", "pdftotext", "qpdf", "pdftoppm", "zbarimg", "age")
pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS), reason="poppler-utils, qpdf, zbar, age needed")


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def sheet(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tic_desktop.demo import write_demo_batch
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    root = tmp_path_factory.mktemp("sheetpdf")
    batch_path = write_demo_batch(root / "demo")
    raw = batch_path.read_bytes()
    opened = read_batch(raw)
    sim = simulate_expert(opened, raw, opened.manifest.expert("E04"), root, root / "work", seed=9, plan=ScoresPlan())
    identity = (root / "demo" / "agency" / "agency.agekey").read_text()
    got = sf.read_sheet(sim.result.path, opened, identity=identity)
    files = {}
    for name, data in got.members.items():
        if name.endswith(".pdf"):
            path = root / name.replace("/", "_")
            path.write_bytes(data)
            files[name] = path
    return {"root": root, "opened": opened, "sim": sim, "got": got, "files": files}


def _fonts_embedded(path: Path) -> list[str]:
    lines = _run("pdffonts", str(path)).splitlines()[2:]
    assert lines, "no fonts"
    for line in lines:
        cols = line.split()
        emb = cols[-5]
        assert emb == "yes", line
    return [ln.split()[0] for ln in lines]


def _text(path: Path) -> str:
    """The text without white space (pdftotext re-spaces lines and drops U+3000)."""
    return _flat(_run("pdftotext", "-enc", "UTF-8", str(path), "-"))


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _qr(path: Path, tmp: Path, page: int) -> list[str]:
    prefix = tmp / f"{path.stem}-{page}"
    _run("pdftoppm", "-r", "200", "-f", str(page), "-l", str(page), "-png", str(path), str(prefix))
    png = next(tmp.glob(f"{prefix.name}*.png"))
    out = subprocess.run(["zbarimg", "--quiet", "--raw", str(png)], capture_output=True, text=True)
    return [ln for ln in out.stdout.splitlines() if ln]


def _pages(path: Path) -> int:
    return int(next(ln.split()[-1] for ln in _run("pdfinfo", str(path)).splitlines() if ln.startswith("Pages:")))


def test_score_sheet_pdf(sheet: dict[str, Any], tmp_path: Path) -> None:
    opened, got = sheet["opened"], sheet["got"]
    pid = "TJ-AI-01"
    path = sheet["files"][f"pdf/{pid}.pdf"]
    fonts = _fonts_embedded(path)
    assert all("WenQuanYi" in f for f in fonts)
    _run("qpdf", "--check", str(path))
    text = _text(path)
    p = opened.proposals[pid]
    expert = opened.manifest.expert("E04")
    for needle in ("天津市综合性技术创新中心建设方案论证专家评分表", "综合性技术创新中心研发创新能力建设项目论证专家评分表",
                   p.center_name, p.lead_unit, "评审批次", opened.manifest.title.zh, "筛选性指标", "序号", "指标",
                   "评价内容及评分说明", "分值", "得分", "小计", "总　分", "推荐结论", "主要问题", "修改建议",
                   expert.name, expert.unit, "评审专家签名", "日期", "年", got.sheet.signer_fingerprint):
        assert _flat(needle) in text, needle
    entry = got.sheet.proposal(pid)
    for fe in entry.forms:
        form = opened.forms[fe.form_id]
        assert form.title.zh in text
        label = form.conclusion(fe.conclusion).label.zh
        assert f"■{label}" in text
        assert f"总分100{format(fe.total.normalize(), 'f')}" in text
        for v in form.vetoes:
            assert _flat(v.label.zh) in text
    assert "否■" in text and "是□" in text
    pages = _pages(path)
    assert f"第1页/共{pages}页" in text and f"第{pages}页/共{pages}页" in text
    expected = sf.qr_payload(batch_id=got.sheet.batch_id, expert_id="E04", sheet_seq=1, digest=got.content_digest,
                             fingerprint=got.sheet.signer_fingerprint)
    found = [c for page in range(1, pages + 1) for c in _qr(path, tmp_path, page)]
    assert expected in found
    assert got.content_digest in expected and sf.content_digest(got.sheet) == got.content_digest


def test_pledge_pdf(sheet: dict[str, Any], tmp_path: Path) -> None:
    path = sheet["files"]["pledge.pdf"]
    _fonts_embedded(path)
    _run("qpdf", "--check", str(path))
    text = _text(path)
    flat = text
    for needle in ("评审专家回避声明与承诺书", "回避声明", "承诺书", "吴秀兰", "是否回避", "承诺人（签名）",
                   "评审组织机构确定的回避", "严守保密纪律"):
        assert needle in flat, needle
    for p in sheet["opened"].proposals.values():
        assert p.id in text
    got = sheet["got"]
    expected = sf.qr_payload(batch_id=got.sheet.batch_id, expert_id="E04", sheet_seq=1, digest=got.content_digest,
                             fingerprint=got.sheet.signer_fingerprint)
    assert expected in _qr(path, tmp_path, _pages(path))


def test_no_pdf_for_withdrawn_proposal(sheet: dict[str, Any]) -> None:
    assert "pdf/TJ-BM-04.pdf" not in sheet["files"]


def test_enrolment_pdf(sheet: dict[str, Any], tmp_path: Path) -> None:
    from tic_desktop.reports.enrolment_pdf import enrolment_for, enrolment_qr, render_enrolment

    key = sheet["sim"].key
    expert = sheet["opened"].manifest.expert("E04")
    data = enrolment_for(key, expert, date="2026-03-02", agency_name="天津市科技评估中心")
    path = tmp_path / "enrol.pdf"
    path.write_bytes(render_enrolment(data))
    _fonts_embedded(path)
    _run("qpdf", "--check", str(path))
    text = _text(path)
    for needle in ("评审专家密钥登记表", expert.name, expert.unit, "E04", key.fingerprint, key.age_recipient,
                   "专家签名", "机构核对人"):
        assert _flat(needle) in text, needle
    assert _qr(path, tmp_path, 1) == [enrolment_qr(data)]
    assert f"fp={key.fingerprint}" in enrolment_qr(data)


def _input(sheet: dict[str, Any]) -> Any:
    from tic_desktop.core.scoring import evaluate
    from tic_desktop.formats.sheet import content_digest
    from tic_desktop.reports.sheet_pdf import ScoreSheetInput, SheetPage

    opened, got = sheet["opened"], sheet["got"]
    entry = got.sheet.proposal("TJ-AI-01")
    pages = []
    from tic_desktop.core.scoring import FormAnswers

    for fe in entry.forms:
        form = opened.forms[fe.form_id]
        answers = FormAnswers(scores={c.id: c.score for c in fe.criteria if c.score is not None},
                              not_applicable=frozenset(c.id for c in fe.criteria if c.not_applicable),
                              comments={c.id: c.comment for c in fe.criteria if c.comment},
                              vetoes=dict(fe.vetoes), conclusion=fe.conclusion, overall=dict(fe.overall))
        pages.append(SheetPage(form, answers, evaluate(form, answers, "technical")))
    m = opened.manifest
    return ScoreSheetInput(batch_id=m.batch_id, batch_title=m.title.zh, kind=m.kind, agency_name=m.agency.name,
                           proposal=opened.proposals["TJ-AI-01"], expert=m.expert("E04"), pages=tuple(pages),
                           fingerprint=got.signer_fingerprint, digest=content_digest(got.sheet), sheet_seq=1,
                           qr_text="tic-sheet-v1;test", date="2026-03-02")
