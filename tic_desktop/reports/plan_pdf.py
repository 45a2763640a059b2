"""The construction plan (建设方案) of a comprehensive center as an A4 PDF.

The plan follows the 9-chapter outline attached to the 天津市技术创新中心建设实施方案
(建设方案编写提纲). Its text is data (`ConstructionPlan`, e.g. resources/demo/plans/<id>.json);
the budget table (chapter 7.2) and the KPI table (chapter 2.4) come from the `Proposal`, so the
PDF the expert reads and the figures the policy checks use are the same numbers.

Output is reproducible: reportlab's invariant mode fixes the dates and ids in the file.
"""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Annotated, Literal
from xml.sax.saxutils import escape

from pydantic import Field
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    BaseDocTemplate,
    Frame,
    KeepTogether,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.flowables import Flowable

from tic_desktop.core.policy import format_percent, format_subsidy_ratio, format_wan
from tic_desktop.core.proposal import Proposal
from tic_desktop.core.types import Strict
from tic_desktop.reports.fonts import register_fonts

OUTLINE: tuple[str, ...] = (
    "建设基础和重要意义",
    "总体思路",
    "建设布局",
    "建设任务",
    "管理运行机制",
    "保障措施",
    "进度安排",
    "其他有特色、有优势的情况",
    "相关证明材料",
)
"""Chapter titles of the 建设方案编写提纲, in order."""

CHAPTER_NUMBERS = ("一", "二", "三", "四", "五", "六", "七", "八", "九")

Line = Annotated[str, Field(min_length=1, max_length=200)]


class PlanSection(Strict):
    number: Annotated[str, Field(pattern=r"^[1-9]\.[0-9]{1,2}$")]
    title: Line
    paragraphs: tuple[Annotated[str, Field(min_length=1, max_length=5000)], ...] = ()
    table: Literal["budget", "kpis"] | None = None
    """Insert the proposal's budget or KPI table after the paragraphs."""


class PlanChapter(Strict):
    title: Line
    paragraphs: tuple[Annotated[str, Field(min_length=1, max_length=5000)], ...] = ()
    sections: tuple[PlanSection, ...] = ()


class ConstructionPlan(Strict):
    format: Literal["tic-plan"]
    proposal_id: Line
    title: Line
    """e.g. 天津市人工智能技术创新中心建设方案."""
    applicant: Line
    date: Line
    """As printed on the cover, e.g. 二〇二六年九月."""
    chapters: Annotated[tuple[PlanChapter, ...], Field(min_length=9, max_length=9)]

    def check_outline(self) -> None:
        """Raise ValueError unless the chapters follow the official outline."""
        titles = tuple(c.title for c in self.chapters)
        if titles != OUTLINE:
            raise ValueError(f"chapters must be {OUTLINE}, not {titles}")


def _styles(font: str) -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("body", fontName=font, fontSize=10.5, leading=18, wordWrap="CJK",
                          firstLineIndent=21, spaceAfter=4)
    return {
        "body": base,
        "h1": ParagraphStyle("h1", parent=base, fontSize=16, leading=24, firstLineIndent=0,
                             spaceBefore=10, spaceAfter=8, textColor=colors.HexColor("#1f3a60")),
        "h2": ParagraphStyle("h2", parent=base, fontSize=12.5, leading=20, firstLineIndent=0,
                             spaceBefore=6, spaceAfter=4),
        "cell": ParagraphStyle("cell", parent=base, fontSize=9, leading=12, firstLineIndent=0,
                               spaceAfter=0),
        "cover_title": ParagraphStyle("ct", parent=base, fontSize=22, leading=36, alignment=TA_CENTER,
                                      firstLineIndent=0),
        "cover_sub": ParagraphStyle("cs", parent=base, fontSize=14, leading=24, alignment=TA_CENTER,
                                    firstLineIndent=0),
        "toc": ParagraphStyle("toc", parent=base, fontSize=12, leading=22, firstLineIndent=0),
    }


class _Heading(Paragraph):
    """A paragraph that becomes a PDF outline (bookmark) entry pointing at the heading itself.

    The destination is XYZ with the heading's top (a little above it), not the whole page: a reader
    following the outline lands on the heading even when it sits low on the page, and Qt's PDF view
    (which wants a point and a zoom) takes it without a warning."""

    def __init__(self, text: str, style: ParagraphStyle, key: str, level: int) -> None:
        super().__init__(escape(text), style)
        self.outline_text = text
        self.outline_key = key
        self.outline_level = level

    def draw(self) -> None:
        super().draw()
        _, top = self.canv.absolutePosition(0, self.height)
        self.canv.bookmarkPage(self.outline_key, fit="XYZ", left=0, top=min(A4[1], top + 6 * mm))
        self.canv.addOutlineEntry(self.outline_text, self.outline_key,
                                  level=self.outline_level, closed=self.outline_level > 0)


def _share(subsidy: Decimal, total: Decimal) -> str:
    """Subsidy / total as a percentage with one decimal, half up ('—' without a total)."""
    return format_percent(subsidy / total, places=1) if total else "—"


def _budget_table(proposal: Proposal, st: dict[str, ParagraphStyle], font: str) -> Table:
    rows: list[list[object]] = [["年度", "类别", "总投资（万元）", "市财政补助（万元）", "补助占比"]]
    by_year: dict[int, tuple[Decimal, Decimal]] = {}
    for line in sorted(proposal.budget, key=lambda b: b.year):
        rows.append([f"第{line.year}年", Paragraph(escape(line.category), st["cell"]), format_wan(line.total),
                     format_wan(line.city_subsidy), _share(line.city_subsidy, line.total)])
        t, s = by_year.get(line.year, (Decimal(0), Decimal(0)))
        by_year[line.year] = (t + line.total, s + line.city_subsidy)
    for year, (t, s) in sorted(by_year.items()):
        rows.append([f"第{year}年小计", "", format_wan(t), format_wan(s), _share(s, t)])
    total = sum((b.total for b in proposal.budget), Decimal(0))
    subsidy = sum((b.city_subsidy for b in proposal.budget), Decimal(0))
    # the project's share is the one the 30% rule judges: shown as the policy check shows it
    share = format_subsidy_ratio(subsidy / total, places=1) if total > 0 else "—"
    rows.append(["合计", "", format_wan(total), format_wan(subsidy), share])
    table = Table(rows, colWidths=[24 * mm, 52 * mm, 32 * mm, 36 * mm, 22 * mm], repeatRows=1)
    n_sub = len(by_year) + 1
    table.setStyle(_table_style(font, extra=[
        ("BACKGROUND", (0, len(rows) - n_sub), (-1, -1), colors.HexColor("#f2f2f2")),
        ("ALIGN", (2, 1), (-1, -1), "RIGHT"),
    ]))
    return table


def _kpi_table(proposal: Proposal, st: dict[str, ParagraphStyle], font: str) -> Table:
    rows: list[list[object]] = [["序号", "指标", "单位", "建设期末目标值", "方向"]]
    for i, k in enumerate(proposal.kpis, start=1):
        rows.append([str(i), Paragraph(escape(k.name), st["cell"]), k.unit or "—", format(k.target, "f"),
                     "越大越好" if k.higher_is_better else "越小越好"])
    table = Table(rows, colWidths=[14 * mm, 74 * mm, 22 * mm, 34 * mm, 22 * mm], repeatRows=1)
    table.setStyle(_table_style(font, extra=[("ALIGN", (3, 1), (3, -1), "RIGHT")]))
    return table


def _table_style(font: str, extra: list[tuple[object, ...]]) -> TableStyle:
    return TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("LEADING", (0, 0), (-1, -1), 12),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#808080")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dce6f1")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        *extra,
    ])


def _cover_lines(title: str) -> list[str]:
    """Break "…中心建设方案" before 建设方案 so the cover title never orphans two characters."""
    suffix = "建设方案"
    if title.endswith(suffix) and len(title) > len(suffix):
        return [title[: -len(suffix)], suffix]
    return [title]


def render_plan_pdf(plan: ConstructionPlan, proposal: Proposal) -> bytes:
    """The 建设方案 as PDF bytes: cover, contents, nine chapters with bookmarks, page numbers."""
    plan.check_outline()
    font = register_fonts()
    st = _styles(font)
    buf = io.BytesIO()
    width, height = A4
    margin = 25 * mm

    def cover_page(canvas: object, doc: BaseDocTemplate) -> None:
        pass

    def body_page(canvas, doc: BaseDocTemplate) -> None:  # type: ignore[no-untyped-def]
        canvas.saveState()
        canvas.setFont(font, 9)
        canvas.setFillColor(colors.HexColor("#606060"))
        canvas.drawString(margin, height - 15 * mm, plan.title)
        canvas.setStrokeColor(colors.HexColor("#a0a0a0"))
        canvas.line(margin, height - 17 * mm, width - margin, height - 17 * mm)
        canvas.drawCentredString(width / 2, 12 * mm, f"— {doc.page - 1} —")
        canvas.restoreState()

    frame = Frame(margin, 22 * mm, width - 2 * margin, height - 44 * mm, id="body")
    doc = BaseDocTemplate(buf, pagesize=A4, title=plan.title, author=plan.applicant, subject="建设方案",
                   creator="TIC Desktop", invariant=True, initialFontName=font, leftMargin=margin, rightMargin=margin)
    doc.addPageTemplates([
        PageTemplate(id="cover", frames=[frame], onPage=cover_page),
        PageTemplate(id="body", frames=[frame], onPage=body_page),
    ])

    story: list[Flowable] = [
        Spacer(1, 45 * mm),
        *[Paragraph(escape(line), st["cover_title"]) for line in _cover_lines(plan.title)],
        Spacer(1, 30 * mm),
        Paragraph(f"技术领域：{escape(proposal.field)}", st["cover_sub"]),
        Paragraph(f"依托单位：{escape(plan.applicant)}", st["cover_sub"]),
    ]
    if proposal.member_units:
        story.append(Paragraph(f"共建单位：{escape('、'.join(proposal.member_units))}", st["cover_sub"]))
    if proposal.contact:
        story.append(Paragraph(f"联系人：{escape(proposal.contact)}", st["cover_sub"]))
    story += [Spacer(1, 40 * mm), Paragraph(escape(plan.date), st["cover_sub"]),
              NextPageTemplate("body"), PageBreak(),
              _Heading("目录", st["h1"], "toc", 0)]
    for number, chapter in zip(CHAPTER_NUMBERS, plan.chapters, strict=True):
        story.append(Paragraph(f"{number}、{escape(chapter.title)}", st["toc"]))
        for sec in chapter.sections:
            story.append(Paragraph(f"　　{sec.number}　{escape(sec.title)}", st["body"]))
    story.append(PageBreak())

    for index, (number, chapter) in enumerate(zip(CHAPTER_NUMBERS, plan.chapters, strict=True), start=1):
        story.append(_Heading(f"{number}、{chapter.title}", st["h1"], f"ch{index}", 0))
        story += [Paragraph(escape(p), st["body"]) for p in chapter.paragraphs]
        for sec in chapter.sections:
            head = _Heading(f"{sec.number}　{sec.title}", st["h2"], f"s{sec.number}", 1)
            paras = [Paragraph(escape(p), st["body"]) for p in sec.paragraphs]
            story.append(KeepTogether([head, *paras[:1]]))
            story += paras[1:]
            if sec.table == "budget" and proposal.budget:
                story += [Spacer(1, 3 * mm), Paragraph("表 研发创新能力建设项目投资预算", st["h2"]),
                          _budget_table(proposal, st, font), Spacer(1, 4 * mm)]
            elif sec.table == "kpis" and proposal.kpis:
                story += [Spacer(1, 3 * mm), Paragraph("表 建设期末主要考核指标", st["h2"]),
                          _kpi_table(proposal, st, font), Spacer(1, 4 * mm)]
    doc.build(story)
    return buf.getvalue()
