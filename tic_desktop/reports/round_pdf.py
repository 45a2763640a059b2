"""The round's report (round.pdf, 评审轮次汇总报告) as one A4 PDF.

Cover (round title, year, agency, its panels' batches with their counts, the official ranking and
when it was made) → per form and center type the cohort ranking over every panel with its chart →
the panel effects (each panel's totals against the round, each expert against the panel, a plot) →
the normalisation (method, parameters), the decisions it would change and the official choice with
its reason → year over year (when the previous round was imported: last score and conclusion, the
centers to re-assess, the last targets for the item that refers to them) → the 市科技局's decisions and the 异议/复议 → then each panel's consolidated report as
`consolidate` writes it (`reports.consolidated_pdf.report_story`), one outline entry per panel with
its own entries below. Embedded font, "第 x 页 / 共 y 页", reproducible (invariant mode).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer

from tic_desktop.core.cohort import TYPE_ZH
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.round_results import RoundReport
from tic_desktop.reports import round_sections as sec
from tic_desktop.reports.consolidated_pdf import outline_canvas, report_story
from tic_desktop.reports.flowables import WIDTH, Anchor, Grid, TextLines
from tic_desktop.reports.pdftext import break_lines
from tic_desktop.reports.qr import MARGIN, SHADE, footer_painter, styles

Progress = Callable[[int, int], None]


def agency_name(report: RoundReport) -> str:
    return next((p.agency_name for p in report.panels), "")


def round_forms(report: RoundReport) -> dict[str, FormTemplate]:
    """The forms of the round (the batches carry the same ones; the first panel's wins)."""
    out: dict[str, FormTemplate] = {}
    for p in report.panels:
        for k, v in p.forms.items():
            out.setdefault(k, v)
    return out


def _cell(text: str, w: float, font: str, size: float = 10) -> str:
    return "\n".join(break_lines(text, w - 5, font, size))


def _cover(report: RoundReport, font: str, forms: dict[str, FormTemplate]) -> list[Any]:
    res = report.results
    info = res.info
    official = res.official
    basis = "标准化得分排名（理由：" + official.reason + "）" if official.basis == "normalised" else "原始最终得分排名（默认）"
    cohorts = "；".join(f"{forms[f].title.zh if f in forms else f}·{TYPE_ZH.get(t, t)} "
                        f"{sum(1 for r in res.rows if (r.form_id, r.center_type) == (f, t))} 项"
                        for f, t in res.cohorts()) or "—"
    rows = [
        ["评审机构", agency_name(report)],
        ["评审轮次", f"{info.title}（{info.round_id}）"],
        ["年度", str(info.year)],
        ["专家组（批次）", f"{len(info.batch_ids)} 个"],
        ["项目数", f"{len({(r.batch_id, r.proposal_id) for r in res.rows})} 项（{cohorts}）"],
        ["正式排名", basis],
        ["最终决定", f"已记录 {len(res.decisions)} 项"],
        ["异议、复议", f"{len(res.objections)} 件（未办结 {sum(1 for o in res.objections if o.open)} 件）"],
        ["生成时间", report.generated_at.replace("T", " ")],
    ]
    w0 = 32 * mm
    grid = Grid([[k, _cell(v, WIDTH - w0, font)] for k, v in rows], [w0, WIDTH - w0], font, 10,
                fills={(0, i): SHADE for i in range(len(rows))}, left=(1,), pad_y=6)
    out: list[Any] = [Anchor("cover", "封面", 0), Spacer(1, 30 * mm),
                      TextLines([info.title], font, 20, 28, center=True, after=4 * mm),
                      TextLines(["评审轮次汇总报告"], font, 14, 20, center=True, after=10 * mm), grid]
    panels = [["专家组（批次）", "名称", "项目", "专家", "评分表文件"]]
    for p in report.panels:
        pids = {r.proposal_id for r in p.consolidation.results}
        panels.append([p.batch_id, _cell(p.title.zh, 70 * mm, font, 8), f"{len(pids)}", f"{len(p.experts)}",
                       f"已接收 {p.accepted_files}，未接收 {len(p.rejected)}"])
    if len(panels) > 1:
        w = [40 * mm, 70 * mm, 14 * mm, 14 * mm]
        out += [Spacer(1, 8 * mm), sec.h2("本轮各专家组", font),
                Grid(panels, [*w, WIDTH - sum(w)], font, 8, header=1, row_fills={0: SHADE}, left=(0, 1))]
    out.append(PageBreak())
    return out


def _shift(story: list[Any], prefix: str) -> list[Any]:
    """A panel's report inside the round's: its outline keys made unique, its entries one level down."""
    for f in story:
        if isinstance(f, Anchor):
            f.key, f.level = prefix + f.key, f.level + 1
        anchors = getattr(f, "anchors", None)
        if isinstance(f, TextLines) and anchors:
            f.anchors = [(prefix + k, t, level + 1) for k, t, level in anchors]
    return story


def round_story(report: RoundReport, progress: Progress | None = None) -> list[Any]:
    font = styles().font
    res = report.results
    forms = round_forms(report)
    story = _cover(report, font, forms)
    normalised = res.official.basis == "normalised"
    for form_id, center_type in res.cohorts():
        story += sec.cohort_ranking(res, forms.get(form_id), form_id, center_type, font, normalised)
    if res.panels:
        story += sec.panel_effects(res, {k: f.title.zh for k, f in forms.items()}, font)
    story += sec.normalisation(res, forms, font)
    story += sec.previous_round(res, font)
    story += sec.decisions(res, font)
    sizes = [len({r.proposal_id for r in p.consolidation.results}) for p in report.panels]
    total = sum(sizes)
    done = 0
    for n, panel in enumerate(report.panels):
        tick = None
        if progress is not None:
            def tick(k: int, _total: int, base: int = done) -> None:
                progress(base + k, total)
        story.append(Anchor(f"panel-{panel.batch_id}", f"专家组报告：{panel.batch_id} {panel.title.zh}", 0))
        story += _shift(report_story(panel, tick), f"{panel.batch_id}/")
        done += sizes[n]
        if n < len(report.panels) - 1:
            story.append(PageBreak())
    return story


def render_round_pdf(report: RoundReport, progress: Progress | None = None) -> bytes:
    """round.pdf as bytes; `progress(done, total)` per panel proposal drawn."""
    st = styles()
    info = report.results.info
    story = round_story(report, progress)
    painter = footer_painter(f"{info.round_id} · 评审轮次汇总报告 · {report.generated_at.replace('T', ' ')}")
    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm, bottomMargin=18 * mm,
        title=f"评审轮次汇总报告 {info.round_id}", author=agency_name(report), subject=info.title,
        creator="TIC Desktop", invariant=1, initialFontName=st.font,
    )
    doc.build(story, canvasmaker=outline_canvas(painter))
    return buf.getvalue()
