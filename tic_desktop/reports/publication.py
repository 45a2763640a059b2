"""The 公示 list of a round: publication.pdf and publication.xlsx, with the notice text.

`publication(report)` is the data (also what the .docx notice and the signed PDF are made from):
the notice's title (its first line) and body, filled from the agency's template (`reports.notice`),
and per form and center type the centers in the official order — center, 依托单位, type, the
official conclusion (grade) and outcome (处理意见), the award (after the round's 优秀 share). No
scores: the list is what is published; round.pdf carries the numbers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import SimpleDocTemplate

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.cohort import TYPE_ZH, has_awards
from tic_desktop.core.round_results import RoundReport
from tic_desktop.reports.flowables import WIDTH, Grid, TextLines
from tic_desktop.reports.inert import set_cell
from tic_desktop.reports.notice import chinese_date, fill_notice
from tic_desktop.reports.qr import MARGIN, SHADE, footer_painter, numbered_canvas, styles
from tic_desktop.reports.round_pdf import agency_name, round_forms
from tic_desktop.reports.round_sections import cell
from tic_desktop.reports.xlsx_table import BODY, LEFT, TITLE, table, write_workbook

SHEETS = ("公示名单", "公示说明")
HEADER = ("序号", "中心名称", "依托单位", "中心类型", "评估结论", "处理意见", "奖励（元）")


@dataclass(frozen=True)
class PublicationRow:
    number: int
    """1, 2, 3… within its group."""
    batch_id: str
    proposal_id: str
    center_name: str
    lead_unit: str
    center_type: str
    center_type_label: str
    form_id: str
    conclusion: str
    """The official conclusion's label (优秀, 良好…; 待定 when none)."""
    outcome: str
    award: Decimal | None


@dataclass(frozen=True)
class PublicationGroup:
    form_id: str
    form_title: str
    center_type: str
    heading: str
    """e.g. "定期评估 · 专业性技术创新中心"."""
    awards: bool
    rows: tuple[PublicationRow, ...]


@dataclass(frozen=True)
class Publication:
    round_id: str
    round_title: str
    year: int
    agency: str
    title: str
    """The notice's first line (关于……结果的公示)."""
    body: tuple[str, ...]
    """The notice's other lines (paragraphs; empty strings between them kept)."""
    groups: tuple[PublicationGroup, ...]

    @property
    def rows(self) -> tuple[PublicationRow, ...]:
        return tuple(r for g in self.groups for r in g.rows)

    @property
    def notice(self) -> str:
        return "\n".join((self.title, *self.body))


def publication(report: RoundReport) -> Publication:
    """The 公示 list and its notice (see the module docstring)."""
    res = report.results
    info = res.info
    forms = round_forms(report)
    groups = []
    for form_id, center_type in res.cohorts():
        form = forms.get(form_id)
        rows = tuple(PublicationRow(
            number=n, batch_id=r.batch_id, proposal_id=r.proposal_id, center_name=r.center_name,
            lead_unit=r.lead_unit, center_type=r.center_type,
            center_type_label=TYPE_ZH.get(r.center_type, r.center_type), form_id=r.form_id,
            conclusion=r.conclusion_label.zh if r.conclusion_label else "待定",
            outcome=r.outcome.zh if r.outcome else "", award=r.award)
            for n, r in enumerate(res.rows_for(form_id, center_type), 1))
        title = form.title.zh if form is not None else form_id
        kind = TYPE_ZH.get(center_type, "")
        groups.append(PublicationGroup(form_id, title, center_type, f"{title} · {kind}" if kind else title,
                                       form is not None and has_awards(form), rows))
    made = report.generated_at[:10] or date.today().isoformat()
    agency = agency_name(report)
    text = fill_notice(report.notice, {
        "round_title": info.title, "round_id": info.round_id, "year": info.year, "agency": agency,
        "count": len({(r.batch_id, r.proposal_id) for r in res.rows}), "date": chinese_date(made)})
    lines = text.strip("\n").split("\n")
    return Publication(info.round_id, info.title, info.year, agency, lines[0].strip(), tuple(lines[1:]),
                       tuple(groups))


def _award(value: Decimal | None) -> str:
    return "—" if value is None else format(value, ",f")


def render_publication_pdf(pub: Publication) -> bytes:
    font = styles().font
    story: list[Any] = [TextLines([pub.title], font, 16, 24, center=True, after=5 * mm)]
    body = [line for line in pub.body]
    story.append(TextLines([line if line.strip() else None for line in body] or [""], font, 10.5, 17, gap=4,
                           after=5 * mm))
    size = 8.5
    for g in pub.groups:
        story.append(TextLines([f"公示名单：{g.heading}（{len(g.rows)} 项）"], font, 11, 15, before=3 * mm,
                               after=1.5 * mm, keep=30 * mm))
        widths = [10 * mm, 0.0, 40 * mm, 26 * mm, 16 * mm, 34 * mm]
        header = list(HEADER[:6])
        if g.awards:
            widths.append(18 * mm)
            header.append("奖励（元）")
        widths[1] = WIDTH - sum(widths)
        rows: list[list[Any]] = [header]
        for r in g.rows:
            row: list[Any] = [str(r.number), cell(r.center_name, widths[1], font, size, 3),
                              cell(r.lead_unit, widths[2], font, size, 3), cell(r.center_type_label, widths[3], font, size),
                              r.conclusion, cell(r.outcome or "—", widths[5], font, size, 3)]
            if g.awards:
                row.append(_award(r.award))
            rows.append(row)
        story.append(Grid(rows, widths, font, size, header=1, row_fills={0: SHADE}, left=(1, 2, 5), pad_y=5))
    painter = footer_painter(f"{pub.round_id} · 公示名单")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=16 * mm,
                            bottomMargin=18 * mm, title=pub.title, author=pub.agency, subject=pub.round_title,
                            creator="TIC Desktop", invariant=1, initialFontName=font)
    doc.build(story, canvasmaker=numbered_canvas(painter))
    return buf.getvalue()


def publication_workbook(pub: Publication) -> Workbook:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[0]
    c = set_cell(ws, 1, 1, pub.title)
    c.font = TITLE
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(HEADER) + 1)
    rows = [[r.number, r.center_name, r.lead_unit, r.center_type_label, r.conclusion, r.outcome, r.award,
             f"{g.form_title}"] for g in pub.groups for r in g.rows]
    table(ws, (*HEADER, "评分表"), rows, first=3, widths=(6, 32, 30, 22, 10, 30, 12, 24))
    ws = wb.create_sheet(SHEETS[1])
    ws.column_dimensions["A"].width = 100
    for i, line in enumerate(pub.notice.split("\n"), 1):
        c = set_cell(ws, i, 1, line)
        c.font, c.alignment = (TITLE if i == 1 else BODY), LEFT
    return wb


def check_pdf(path: Path) -> None:
    data = Path(path).read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-64:]:
        raise ValueError("not a complete PDF file")


def write_publication(out_dir: Path, report: RoundReport) -> list[Path]:
    """OUT_DIR/publication.pdf and OUT_DIR/publication.xlsx."""
    pub = publication(report)
    pdf = Path(out_dir) / "publication.pdf"
    atomic_write(pdf, render_publication_pdf(pub), verify=check_pdf, mode=0o644)
    return [pdf, write_workbook(Path(out_dir) / "publication.xlsx", publication_workbook(pub))]
