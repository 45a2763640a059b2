"""A center's own report as an A4 PDF: the 自评报告 of a periodic assessment, the 建设总结报告 and the
专项审计报告 of a term-end evaluation (the demo's material; the construction plan is `plan_pdf`).

The text is data (`CenterReport`: chapters of paragraphs); the planned-vs-achieved KPI table and the
audited budget table come from the `Proposal`, so the figures the experts read are the batch's.
Reproducible: reportlab's invariant mode fixes the dates and ids in the file.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from tic_desktop.core.policy import format_wan
from tic_desktop.core.proposal import Proposal
from tic_desktop.reports.fonts import register_fonts

TableKind = Literal["kpis_achieved", "budget_audit"]


@dataclass(frozen=True)
class Chapter:
    title: str
    paragraphs: tuple[str, ...] = ()
    table: TableKind | None = None


@dataclass(frozen=True)
class CenterReport:
    title: str
    """e.g. 天津市工业酶工程技术创新中心自评报告."""
    author: str
    """Who wrote it (the 依托单位, or the audit firm)."""
    date: str
    chapters: tuple[Chapter, ...] = field(default_factory=tuple)
    audit_spent: Decimal = Decimal("0.96")
    """The audited share of each planned budget line actually spent (budget_audit table)."""


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=18, wordWrap="CJK", firstLineIndent=21,
                          spaceAfter=4)
    return {
        "body": base,
        "h1": ParagraphStyle("h1", parent=base, fontSize=14, leading=22, firstLineIndent=0, spaceBefore=8,
                             spaceAfter=6, textColor=colors.HexColor("#1f3a60")),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, firstLineIndent=0, spaceAfter=0),
        "title": ParagraphStyle("t", parent=base, fontSize=20, leading=32, alignment=TA_CENTER, firstLineIndent=0),
        "sub": ParagraphStyle("s", parent=base, fontSize=13, leading=22, alignment=TA_CENTER, firstLineIndent=0),
    }


def _grid(font: str) -> TableStyle:
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9), ("LEADING", (0, 0), (-1, -1), 12),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
    ])


def _num(value: Decimal) -> str:
    return format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")


def _kpi_table(proposal: Proposal, st: dict[str, ParagraphStyle], font: str) -> Table:
    rows: list[list[object]] = [["指标", "单位", "目标值", "完成值", "完成率"]]
    for k in proposal.kpis:
        if k.achieved is None or k.target == 0:
            rate = "—"
        else:
            ratio = k.achieved / k.target if k.higher_is_better else k.target / k.achieved if k.achieved else None
            rate = "—" if ratio is None else f"{(ratio * 100).quantize(Decimal('0.1'), ROUND_HALF_UP)}%"
        rows.append([Paragraph(escape(k.name), st["cell"]), k.unit or "—", _num(k.target),
                     "—" if k.achieved is None else _num(k.achieved), rate])
    table = Table(rows, colWidths=[70 * mm, 20 * mm, 26 * mm, 26 * mm, 18 * mm], repeatRows=1)
    table.setStyle(_grid(font))
    return table


def _audit_table(proposal: Proposal, spent: Decimal, st: dict[str, ParagraphStyle], font: str) -> Table:
    rows: list[list[object]] = [["年度", "类别", "计划（万元）", "实际支出（万元）", "市财政补助（万元）"]]
    for line in sorted(proposal.budget, key=lambda b: (b.year, b.category)):
        rows.append([f"第 {line.year} 年", Paragraph(escape(line.category), st["cell"]), format_wan(line.total),
                     format_wan((line.total * spent).quantize(Decimal(1))), format_wan(line.city_subsidy)])
    table = Table(rows, colWidths=[18 * mm, 52 * mm, 30 * mm, 30 * mm, 30 * mm], repeatRows=1)
    table.setStyle(_grid(font))
    return table


def render_center_report(report: CenterReport, proposal: Proposal) -> bytes:
    font = register_fonts()
    st = _styles(font)
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=25 * mm, rightMargin=25 * mm, topMargin=22 * mm,
                            bottomMargin=22 * mm, title=report.title, author=report.author, creator="TIC Desktop",
                            invariant=True, initialFontName=font)
    story: list[object] = [Spacer(1, 50 * mm), Paragraph(escape(report.title), st["title"]), Spacer(1, 25 * mm),
                           Paragraph(f"依托单位：{escape(proposal.lead_unit)}", st["sub"])]
    if report.author != proposal.lead_unit:
        story.append(Paragraph(f"编制单位：{escape(report.author)}", st["sub"]))
    story += [Spacer(1, 30 * mm), Paragraph(escape(report.date), st["sub"]), PageBreak()]
    numbers = "一二三四五六七八九十"
    for i, chapter in enumerate(report.chapters):
        story.append(Paragraph(f"{numbers[i]}、{escape(chapter.title)}", st["h1"]))
        story += [Paragraph(escape(p), st["body"]) for p in chapter.paragraphs]
        if chapter.table == "kpis_achieved" and proposal.kpis:
            story += [Spacer(1, 2 * mm), _kpi_table(proposal, st, font), Spacer(1, 4 * mm)]
        elif chapter.table == "budget_audit" and proposal.budget:
            story += [Spacer(1, 2 * mm), _audit_table(proposal, report.audit_spent, st, font), Spacer(1, 4 * mm)]
    doc.build(story)
    return buf.getvalue()
