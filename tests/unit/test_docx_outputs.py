"""panel_opinions.docx and the 公示 notice .docx: read back with python-docx (text, tables, fonts with
their east-Asian name, A4 and the official margins, the PAGE field), and converted by LibreOffice where
it is installed."""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from report_factory import build

from tic_desktop.core.panel_meeting import PanelMeeting
from tic_desktop.reports import docx_official as dx
from tic_desktop.reports.notice_docx import NoticeRow, notice_rows_from_batch, render_notice_docx
from tic_desktop.reports.panel_opinions_docx import (
    ordered,
    render_panel_opinions_docx,
    write_panel_opinions_docx,
)


def _east_asia(run) -> str:  # noqa: ANN001
    fonts = run._element.rPr.find(qn("w:rFonts"))
    return fonts.get(qn("w:eastAsia")) if fonts is not None else ""


def _text(doc) -> str:  # noqa: ANN001
    parts = [p.text for p in doc.paragraphs]
    for t in doc.tables:
        for row in t.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def opinions(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    report = build(5, 7).report
    # the chair (E01) stands aside on TJ-002 (it is conflicted there) with a deputy named; a dissent on TJ-001
    conflicted = replace(report.consolidation, results=tuple(
        replace(r, conflicted=(*r.conflicted, "E01")) if r.proposal_id == "TJ-002" else r
        for r in report.consolidation.results))
    key = next(k for k in report.opinions if k[0] == "TJ-001")
    ops = dict(report.opinions)
    ops[key] = replace(ops[key], dissent="李娜：认为预算偏高，建议核减。")
    report = replace(report, consolidation=conflicted, opinions=ops,
                     meeting=PanelMeeting(date="2026-03-05", place="天津市科技局第一会议室", chair_id="E01", deputy_id="E02"))
    path = tmp_path_factory.mktemp("docx") / "panel_opinions.docx"
    write_panel_opinions_docx(path, report)
    return path, report


def test_panel_opinions_read_back_with_sections_signatures_dissent_and_aside(opinions) -> None:  # noqa: ANN001
    path, report = opinions
    doc = Document(str(path))
    text = _text(doc)
    results = report.consolidation.results
    assert text.count("专家组意见") >= len(results)  # one opinion per proposal × form
    for heading in ("一、总体评价", "二、主要成效", "三、存在问题", "四、意见建议", "五、结论", "六、保留意见"):
        assert heading in text
    opinion = report.opinions[next(k for k in report.opinions if k[0] == "TJ-001")]
    assert opinion.overall in text and "预算测算依据不足。" in text and opinion.conclusion in text
    assert "李娜：认为预算偏高，建议核减。" in text
    assert "评审地点：天津市科技局第一会议室" in text
    assert "专家组组长回避本项目，由副组长" in text and "主持评议并签署专家组意见。" in text
    # the signature table: header, the presiding chair / deputy, every member who scored, empty 签字 cells
    tables = doc.tables
    assert len(tables) == len(results)
    pairs = list(zip(tables, ordered(report), strict=True))
    first, r0 = next((t, r) for t, r in pairs if r.proposal_id == "TJ-001")
    assert [c.text for c in first.rows[0].cells] == ["专家组职务", "姓名", "工作单位", "职称", "签字"]
    assert first.rows[1].cells[0].text == "组长" and first.rows[1].cells[1].text == report.experts[0].name
    assert first.rows[1].cells[2].text == report.experts[0].unit
    assert all(row.cells[4].text == "" for row in first.rows[1:])
    assert [row.cells[1].text for row in first.rows[2:]] == [e.expert_name for e in r0.experts
                                                              if e.expert_id != "E01"]
    aside_tables = [t for t, r in pairs if r.proposal_id == "TJ-002"]
    assert aside_tables and all(t.rows[1].cells[0].text == "副组长（主持）" for t in aside_tables)
    assert all(t.rows[1].cells[1].text == report.experts[1].name for t in aside_tables)


def test_official_style_fonts_page_and_page_numbers(opinions) -> None:  # noqa: ANN001
    path, _report = opinions
    doc = Document(str(path))
    s = doc.sections[0]
    assert abs(s.page_width - Mm(210)) < Mm(0.1) and abs(s.page_height - Mm(297)) < Mm(0.1)  # A4 (in twips)
    assert abs(s.top_margin - Mm(37)) < Mm(0.1) and abs(s.left_margin - Mm(28)) < Mm(0.1)
    assert abs(s.right_margin - Mm(26)) < Mm(0.1) and abs(s.bottom_margin - Mm(35)) < Mm(0.1)
    title = doc.paragraphs[0]
    assert title.text == "专家组意见" and _east_asia(title.runs[0]) == dx.XIAOBIAOSONG
    assert title.runs[0].font.size.pt == 22
    heading = next(p for p in doc.paragraphs if p.text == "一、总体评价")
    assert _east_asia(heading.runs[0]) == dx.HEITI
    body = next(p for p in doc.paragraphs if p.text.startswith("1. 部分绩效指标"))
    assert _east_asia(body.runs[0]) == dx.FANGSONG and body.runs[0].font.size.pt == 16
    assert body.runs[0].font.name == "Times New Roman"
    cell_run = doc.tables[0].rows[1].cells[1].paragraphs[0].runs[0]
    assert _east_asia(cell_run) == dx.FANGSONG
    normal = doc.styles["Normal"].element.rPr.find(qn("w:rFonts"))
    assert normal.get(qn("w:eastAsia")) == dx.FANGSONG
    # page numbers: a PAGE field in the footer
    footer = s.footer._element.xml
    assert "PAGE" in footer and 'w:fldCharType="begin"' in footer
    # the fallback: the Chinese fonts in the font table, each with its English alt name and GB2312 charset
    with zipfile.ZipFile(path) as z:
        table = z.read("word/fontTable.xml").decode("utf-8")
    for name, (alt, _family) in dx.FONT_TABLE.items():
        assert f'w:name="{name}"' in table and f'w:val="{alt}"' in table
    assert 'w:charset w:val="86"' in table


def test_empty_opinion_leaves_room_to_write_and_asks_for_a_named_dissent() -> None:
    report = build(2, 5, extras=False, tie=False).report
    assert not report.opinions
    doc = Document(__import__("io").BytesIO(render_panel_opinions_docx(report)))
    text = _text(doc)
    assert "六、保留意见（署名）" in text and "一、总体评价" in text
    empty = [p for p in doc.paragraphs if p.text == ""]
    assert len(empty) >= 14  # blank lines to type the sections into


def test_notice_docx_text_list_and_awards() -> None:
    rows = [NoticeRow("天津市合成生物技术创新中心", "天津大学", "professional", "优秀", Decimal("500000"), 1),
            NoticeRow("天津市先进电池技术创新中心", "南开大学", "professional", "良好", None, 2)]
    notice = "根据《天津市技术创新中心管理办法》，现将 2027 年度评估结果予以公示。\n公示期为 5 个工作日。"
    data = render_notice_docx(rows, notice, title="关于2027年度技术创新中心评估结果的公示",
                              agency="天津市科学技术发展战略研究院", date="2027年3月6日")
    doc = Document(__import__("io").BytesIO(data))
    text = _text(doc)
    assert doc.paragraphs[0].text == "关于2027年度技术创新中心评估结果的公示"
    assert _east_asia(doc.paragraphs[0].runs[0]) == dx.XIAOBIAOSONG
    assert "现将 2027 年度评估结果予以公示。" in text and "附件：评估结果公示名单" in text
    assert "天津市科学技术发展战略研究院" in text and "2027年3月6日" in text
    t = doc.tables[0]
    assert [c.text for c in t.rows[0].cells] == ["序号", "中心名称", "依托单位", "中心类型", "评估结果", "奖励（元）"]
    assert [c.text for c in t.rows[1].cells] == ["1", "天津市合成生物技术创新中心", "天津大学", "专业性技术创新中心", "优秀",
                                                 "500,000"]
    assert t.rows[2].cells[5].text == "—"
    assert t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None  # header repeated on each page


def test_notice_rows_of_one_batch_follow_its_ranking() -> None:
    report = build(5, 7).report
    rows = notice_rows_from_batch(report)
    assert len(rows) == len(report.consolidation.results)
    assert rows[0].lead_unit  # 依托单位 from the proposals
    ranks = [r.rank for r in rows if r.rank is not None]
    assert ranks[:2] == sorted(ranks[:2])
    doc = Document(__import__("io").BytesIO(render_notice_docx(rows)))
    assert "公示期为自发布之日起 5 个工作日" in _text(doc)  # the default text


@pytest.mark.skipif(shutil.which("soffice") is None,
                    reason="LibreOffice (soffice) is not installed here; CI machines with it convert the .docx to PDF")
def test_libreoffice_converts_both_documents(opinions, tmp_path: Path) -> None:  # noqa: ANN001
    path, _report = opinions
    notice = tmp_path / "publication.docx"
    notice.write_bytes(render_notice_docx(notice_rows_from_batch(build(3, 5).report)))
    for src in (path, notice):
        subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                       check=True, timeout=180, capture_output=True)
        pdf = tmp_path / (src.stem + ".pdf")
        assert pdf.read_bytes().startswith(b"%PDF-")
        if shutil.which("pdftotext"):
            text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
            assert ("专家组意见" if src == path else "公示") in text


def test_invitation_letters_print_the_certificate_fingerprint(tmp_path: Path) -> None:
    from tic_desktop.demo import demo_agency_dir
    from tic_desktop.formats.docsign import certificate_fingerprint, grouped_fingerprint
    from tic_desktop.reports.draw_pdf import render_invitation
    from tic_desktop.reports.invitation import render_invitation_docx

    record = {"agency": {"name": "天津市科学技术发展战略研究院", "fingerprint": "SHA256:" + "A" * 43},
              "draw_id": "D20260301-090000", "seed": "s1"}
    panel = {"panel": 1, "proposals": ["TJ-001", "TJ-002"]}
    member = {"expert_id": "E01", "name": "张伟", "title": "教授", "role": "technical", "chair": True}
    cert = certificate_fingerprint(demo_agency_dir())
    doc = Document(__import__("io").BytesIO(render_invitation_docx(record, panel, member, "2026-03-05",
                                                                    certificate_fingerprint=cert)))
    text = _text(doc)
    assert "专家评审邀请函" in text and "SHA256: AAAA AAAA" in text
    assert grouped_fingerprint(cert) in text and "PDF 签名证书 SHA-256" in text
    assert _east_asia(doc.paragraphs[0].runs[0]) == dx.XIAOBIAOSONG
    without = _text(Document(__import__("io").BytesIO(render_invitation_docx(record, panel, member, ""))))
    assert "PDF 签名证书" not in without
    if shutil.which("pdftotext"):
        pdf = tmp_path / "letter.pdf"
        pdf.write_bytes(render_invitation(record, panel, member, "2026-03-05", certificate_fingerprint=cert))
        words = " ".join(subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout.split())
        assert all(g in words for g in grouped_fingerprint(cert).split())


def test_control_characters_and_markup_in_names_stay_text() -> None:
    report = build(2, 5, extras=False, tie=False).report
    hostile = "<w:p>&amp;\x01\x0b=HYPERLINK(\"x\")\r\n第二行"
    results = tuple(replace(r, center_name=hostile) for r in report.consolidation.results)
    report = replace(report, consolidation=replace(report.consolidation, results=results))
    doc = Document(__import__("io").BytesIO(render_panel_opinions_docx(report)))
    text = _text(doc)
    assert "<w:p>&amp;=HYPERLINK(\"x\")\n第二行" in text  # markup as text, control characters left out

