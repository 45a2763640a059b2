"""The consolidated report (专家评审汇总报告) of a batch as one A4 PDF.

Cover (batch, agency, date, counts, the sheet files that were not accepted and why) → per form
the ranking table (the list to publish, 公示) and the ranking chart → per proposal and form: the
评分汇总表 (指标 / 分值 / 专家1…n / 平均, the dropped experts' columns grey and marked 〔去高〕/〔去低〕,
a 合计 row with each expert's total), the dot plot of the totals, the calculation in words, the
flags, the vetoes with the chair's decision, 回避 and missing experts, each expert's comments by
name, the panel opinion (专家组意见; empty sections as lines to fill in by hand) and the signature
blocks (组长, 成员, 填写人 / 复核人, 日期).

One outline entry per proposal (and per form below it) with XYZ destinations (a /Fit destination
makes QtPdf log a warning per entry). Pages carry "第 x 页 / 共 y 页". The bundled TrueType font is
embedded (reports.fonts). Output is reproducible (reportlab invariant mode).

The per-proposal blocks are in `reports.consolidated_proposal`, the styles and text blocks in
`reports.consolidated_style`.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import PageBreak, SimpleDocTemplate, Spacer, Table

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.cohort import ROUNDING_ZH, TYPE_ZH, cap_places, has_awards, outcome_award
from tic_desktop.core.consolidation import ProposalResult
from tic_desktop.core.forms import ConsolidationRule, FormTemplate
from tic_desktop.core.labels import KIND_LABELS, label
from tic_desktop.core.panel_meeting import MODES
from tic_desktop.reports import charts
from tic_desktop.reports.consolidated_proposal import expert_name, proposal_section, signature_blocks
from tic_desktop.reports.consolidated_style import (
    NOTE_INK,
    Styles,
    fmt,
    grid_style,
    h1,
    h2,
    note_text,
    para,
    yuan,
)
from tic_desktop.reports.flowables import WIDTH, Grid, TextLines
from tic_desktop.reports.flowables import Anchor as _Anchor
from tic_desktop.reports.pdftext import fit, width
from tic_desktop.reports.qr import MARGIN, SHADE, footer_painter, numbered_canvas
from tic_desktop.reports.report_data import SOURCE_LABELS, ReportData

Progress = Callable[[int, int], None]


# ── outline: bookmarks kept per page and written when the page's number is known ───────────────


def _canvas_class(footer: Callable[[Any, int, int], None]) -> type[rl_canvas.Canvas]:
    numbered = numbered_canvas(footer)

    class ReportCanvas(numbered):  # type: ignore[misc, valid-type]
        """`numbered_canvas` writes the pages only at save(), when the page count is known; a
        bookmark made while drawing would point at page 1, so bookmarks wait for their page too."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._marks: list[tuple[str, dict[str, Any]]] = []

        def bookmarkPage(self, key: str, **kw: Any) -> None:  # noqa: N802 - reportlab API
            self._marks.append((key, kw))

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            super().showPage()
            self._marks = []

        def write_marks(self) -> None:
            for key, kw in self._marks:
                rl_canvas.Canvas.bookmarkPage(self, key, **kw)

    return ReportCanvas


# ── cover and ranking ──────────────────────────────────────────────────────────────────────


def _cover(report: ReportData, st: Styles, forms: Sequence[FormTemplate]) -> list[Any]:
    results = report.consolidation.results
    proposals = {r.proposal_id for r in results}
    out: list[Any] = [_Anchor("cover", "封面", 0), Spacer(1, 30 * mm), para(report.title.zh, st.cover_title),
                      para("专家评审汇总报告", st.cover_sub)]
    rows = [
        ["评审机构", report.agency_name],
        ["评审批次", report.batch_id],
        ["评审类型", label(KIND_LABELS, report.kind)],
        ["评分表", "；".join(f.title.zh for f in forms) or "—"],
        ["项目数", f"{len(proposals)} 项"],
        ["专家数", f"{len(report.experts)} 人"],
        ["评分表文件", f"已接收 {report.accepted_files} 份，未接收 {len(report.rejected)} 份"],
        *_meeting_rows(report),
        ["生成时间", report.generated_at.replace("T", " ")],
    ]
    rows = [[k, para(v, st.body)] for k, v in rows]
    t = Table(rows, colWidths=[32 * mm, WIDTH - 32 * mm])
    t.setStyle(grid_style(st.font, 10, [("BACKGROUND", (0, 0), (0, -1), SHADE), ("ALIGN", (0, 0), (0, -1), "CENTER"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    out.append(t)
    if report.rejected:
        out += [Spacer(1, 8 * mm), *h2(f"未接收的评分表文件（{len(report.rejected)} 份）", st.font)]
        rows = [["文件", "原因"]] + [[para(r.name, st.cell), para(f"{r.reason_zh}（{r.code}）", st.cell)]
                                     for r in report.rejected]
        t = Table(rows, colWidths=[60 * mm, WIDTH - 60 * mm], repeatRows=1)
        t.setStyle(grid_style(st.font, 8, [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER")]))
        out.append(t)
    out += _signer_tables(report, st)
    out.append(PageBreak())
    return out


def _meeting_rows(report: ReportData) -> list[list[str]]:
    """评审日期 / 地点 / 评审方式 / 组长 / 副组长 from the meeting record; blanks to fill in by hand
    when none was recorded."""
    m = report.meeting
    blank = "　" * 12
    if m is None:
        modes = "　".join(f"□{t.zh}" for t in MODES.values())
        return [["评审日期", "______年____月____日"], ["评审地点", blank], ["评审方式", modes]]
    chair = next((e for e in report.experts if e.id == (m.chair_id or "")), None) or next(
        (e for e in report.experts if e.chair), None)
    deputy = next((e for e in report.experts if e.id == m.deputy_id), None)
    rows = [["评审日期", m.date or "______年____月____日"], ["评审地点", m.place or blank],
            ["评审方式", m.mode_label.zh], ["专家组组长", chair.name if chair else blank]]
    if deputy is not None:
        rows.append(["副组长", f"{deputy.name}（组长回避的项目由副组长主持）"])
    return rows


def _signer_tables(report: ReportData, st: Styles) -> list[Any]:
    """The keys behind the numbers: keys trusted on first use (to check against the enrolment sheets),
    then every counted expert's signing key."""
    if not report.signers:
        return []
    out: list[Any] = []
    style = grid_style(st.font, 8, [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER")])
    first = [s for s in report.signers if s.source == "first_use"]
    if first:
        out += [Spacer(1, 6 * mm), *h2(f"首次使用时信任的密钥（{len(first)} 把，须与专家密钥登记表核对）", st.font)]
        rows = [["专家", "密钥指纹"]] + [[para(f"{s.expert_id} {expert_name(report, s.expert_id)}", st.cell),
                                          para(s.fingerprint, st.cell)] for s in first]
        t = Table(rows, colWidths=[50 * mm, WIDTH - 50 * mm], repeatRows=1)
        t.setStyle(style)
        out.append(t)
    out += [Spacer(1, 6 * mm), *h2("专家签名密钥", st.font)]
    rows = [["专家", "密钥指纹", "来源"]] + [[para(f"{s.expert_id} {expert_name(report, s.expert_id)}", st.cell),
                                            para(s.fingerprint, st.cell), para(SOURCE_LABELS.get(s.source, s.source), st.cell)]
                                           for s in report.signers]
    t = Table(rows, colWidths=[45 * mm, WIDTH - 75 * mm, 30 * mm], repeatRows=1)
    t.setStyle(style)
    out.append(t)
    return out


def remark(r: ProposalResult) -> str:
    """The 备注 of a ranking row: 并列, capped, veto, pending, too few sheets."""
    parts = []
    if r.tie:
        parts.append("并列")
    if r.capped:
        parts.append("优秀名额已满，顺延")
    for v in r.vetoes:
        if v.decision is None:
            parts.append("否决项待确认")
        elif v.decision.confirmed:
            parts.append("否决项成立")
    if any(f.code == "sheets.insufficient" for f in r.flags):
        parts.append("有效评分表不足")
    if r.policy.failed:
        parts.append("政策核减")
    if any(f.code == "excellent.cohort_small" for f in r.flags):
        parts.append("样本过少")
    return "；".join(parts)


RANK_SIZE = 8
OUTCOME_SIZE = 7.5


def _ranking(form: FormTemplate, results: Sequence[ProposalResult], st: Styles,
             rule: ConsolidationRule | None = None, center_type: str = "") -> list[Any]:
    """The list to publish for one cohort (a form and a center type): rank, proposal, final score,
    conclusion (grade), the outcome (处理意见) when it fits in two lines of its column, the award when
    the form has one, remarks (capped, tie, vetoes, policy); below it each conclusion with its outcome."""
    font = st.font
    rule = rule or form.consolidation
    tr = rule.for_type(center_type)
    awards = has_awards(form)
    # 排名, 项目编号, 中心名称, 有效评分表, 最终得分, 结论, [处理意见], [奖励], 备注
    fixed = [18 * mm, 16 * mm, 0.0, 12 * mm, 14 * mm, 16 * mm]
    remark_w = 28 * mm  # "优秀名额已满，顺延" on one line
    award_w = 18 * mm if awards else 0.0
    outcome_w = 34 * mm
    outcome_of = {c.code: outcome_award(rule, center_type, c)[0] for c in form.conclusions}
    outcomes = [o.zh for o in outcome_of.values() if o is not None]
    longest = max((width(text, font, OUTCOME_SIZE) for text in outcomes), default=0.0)
    with_outcome = longest <= 2 * (outcome_w - 5) - 2 * OUTCOME_SIZE  # two lines, some slack for breaks
    name_w = WIDTH - sum(fixed) - remark_w - award_w - (outcome_w if with_outcome else 0)
    widths = [18 * mm, 16 * mm, name_w, 12 * mm, 14 * mm, 16 * mm]
    header = ["排名", "项目编号", "中心名称", "有效\n评分表", "最终得分", "结论"]
    if with_outcome:
        widths.append(outcome_w)
        header.append("处理意见")
    if awards:
        widths.append(award_w)
        header.append("奖励")
    widths.append(remark_w)
    header.append("备注")
    outcome_col = 6 if with_outcome else -1
    rows: list[list[str]] = [header]
    sizes: dict[tuple[int, int], float] = {}
    for r in results:
        rank = "—" if r.rank is None else (f"{r.rank}（并列）" if r.tie else str(r.rank))
        concl = r.conclusion_label.zh if r.conclusion_label else "待定"
        row = [rank, r.proposal_id, fit(r.center_name, name_w - 5, font, RANK_SIZE), str(r.valid_sheets),
               fmt(r.final_score), concl]
        if with_outcome:
            sizes[(outcome_col, len(rows))] = OUTCOME_SIZE
            row.append(fit(r.outcome.zh, outcome_w - 5, font, OUTCOME_SIZE) if r.outcome else "—")
        if awards:
            row.append(yuan(r.award) if r.award is not None else "—")
        row.append(fit(remark(r), remark_w - 5, font, RANK_SIZE))
        rows.append(row)
    left = [2, len(header) - 1] + ([outcome_col] if with_outcome else [])
    kind = TYPE_ZH.get(center_type, "")
    suffix = f"（{kind}）" if kind else ""
    out: list[Any] = [_Anchor(f"rank-{form.id}-{center_type}", f"排名表：{form.title.zh}{suffix}", 0),
                      h1(f"排名表　{form.title.zh}{suffix}", font),
                      note_text(f"{kind + '共' if kind else '共'} {len(results)} 项，按最终得分从高到低排列；"
                            "得分相同的按有效总分之和排列，仍相同的并列。", font),
                      Spacer(1, 2 * mm),
                      Grid(rows, widths, font, RANK_SIZE, header=1, row_fills={0: SHADE}, sizes=sizes, left=left)]
    legend = [f"{c.label.zh}（{'≥ ' + fmt(c.min_total) + ' 分' if c.min_total else '低于以上'}）："
              f"{outcome_of[c.code].zh if outcome_of[c.code] is not None else '—'}" for c in form.conclusions]
    cap = tr.excellent_cap_ratio if tr is not None else rule.excellent_cap_ratio
    rounding = tr.excellent_cap_rounding if tr is not None else rule.excellent_cap_rounding
    if cap is not None and form.conclusions:
        best = form.conclusions[0].label.zh
        places = cap_places(cap, sum(1 for r in results if r.rank is not None), rounding)
        legend.append(f"“{best}”不超过排名项目数的 {_percent(cap)}（{ROUNDING_ZH[rounding]}，本表 {places} 个），"
                      "超出的按排名顺延为下一等级（备注“优秀名额已满，顺延”）。")
    if any(r.policy.applies for r in results):
        legend.append("财政补助政策核查：研发创新能力建设项目市财政补助不高于项目总投资的 30%，每年不超过 500 万元，"
                      "连续支持不超过 3 年；不符合的备注“政策核减”，按符合规定的最高额度核减（见各项目页）。")
    if form.conclusions:
        out += [Spacer(1, 2 * mm), TextLines(["结论与处理意见：", *legend], font, 8.5, 12, indent=8.5, ink=NOTE_INK)]
    plots = charts.ranking_plots(results, form, WIDTH)
    out += h2("排名图", font, keep=min(plots[0].height, 200 * mm))
    out += [charts.ChartFlowable(p) for p in plots]
    out.append(PageBreak())
    return out


def _percent(ratio: Decimal) -> str:
    return f"{format((ratio * 100).normalize(), 'f')}%"


def report_story(report: ReportData, progress: Progress | None = None) -> list[Any]:
    """The consolidated report's flowables (cover, rankings, every proposal), for this file and for the
    round's report (`reports.round_pdf`), which prints each panel's report after its own pages.
    `progress(done, total)` is called per proposal as it is drawn."""
    st = Styles()
    results = report.consolidation.results
    form_ids = list(dict.fromkeys(r.form_id for r in results))
    forms = [report.forms[f] for f in form_ids]
    story: list[Any] = _cover(report, st, forms)
    ranked: dict[tuple[str, str], int] = {}
    for form in forms:
        group = report.consolidation.for_form(form.id)
        rule = report.rule(form.id)
        for center_type in dict.fromkeys(r.center_type for r in group):
            cohort = [r for r in group if r.center_type == center_type]
            ranked[(form.id, center_type)] = sum(1 for r in cohort if r.rank is not None)
            story += _ranking(form, cohort, st, rule, center_type)
    # proposals in the order of the first form's ranking; each proposal's forms together
    order = list(dict.fromkeys(r.proposal_id for r in results))
    by_proposal: dict[str, list[ProposalResult]] = {}
    for r in results:
        by_proposal.setdefault(r.proposal_id, []).append(r)
    entries = {(i.proposal_id, i.form.id): i.entries for i in report.inputs}
    total = len(order)
    for n, pid in enumerate(order, 1):
        for j, r in enumerate(by_proposal[pid]):
            story += proposal_section(report, r, report.forms[r.form_id], ranked[(r.form_id, r.center_type)],
                               entries.get((pid, r.form_id), ()), st, first=j == 0)
        tick = None if progress is None else functools.partial(progress, n, total)
        story += signature_blocks(by_proposal[pid], report, st, tick)
        if n < total:
            story.append(PageBreak())
    if report.scans is not None:  # the paper trail: scanned, hand-signed sheets against the signed ones
        from tic_desktop.reports.scan_pdf import scan_section  # noqa: PLC0415

        story += [PageBreak(), *scan_section(report.scans.checks, report.scans.rows, experts=report.scans.experts,
                                             thumbnails=report.scans.thumbnails, scans=report.scans.scans)]
    return story


def outline_canvas(footer: Callable[[Any, int, int], None]) -> type[rl_canvas.Canvas]:
    """The canvas class of a report with outline entries (`Anchor`s) and "第 x 页 / 共 y 页" footers."""

    def paint(c: Any, page: int, pages: int) -> None:
        footer(c, page, pages)
        c.write_marks()

    return _canvas_class(paint)


def render_consolidated_pdf(report: ReportData, progress: Progress | None = None) -> bytes:
    """The consolidated report as PDF bytes. `progress(done, total)` is called per proposal."""
    st = Styles()
    story = report_story(report, progress)
    total = len({r.proposal_id for r in report.consolidation.results})
    painter = footer_painter(f"{report.batch_id} · 专家评审汇总报告 · {report.generated_at.replace('T', ' ')}")

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm, bottomMargin=18 * mm,
        title=f"专家评审汇总报告 {report.batch_id}", author=report.agency_name, subject=report.title.zh,
        creator="TIC Desktop", invariant=1, initialFontName=st.font,
    )
    doc.build(story, canvasmaker=outline_canvas(painter))
    if progress is not None and total == 0:
        progress(0, 0)
    return buf.getvalue()


def check_pdf(path: Any) -> None:
    """A cheap whole-file check for atomic_write: starts with %PDF-, ends with %%EOF."""
    with open(path, "rb") as fh:
        head = fh.read(5)
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 64))
        tail = fh.read()
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise ValueError("not a complete PDF file")


def write_consolidated_pdf(path: Any, report: ReportData, progress: Progress | None = None, *,
                           mode: int | None = 0o644, signer: Any = None) -> None:
    """Render and write the consolidated report to `path` atomically (temp, fsync, replace, check);
    `mode`: its POSIX permissions (readable by others by default: a report is handed on). With
    `signer` (`formats.docsign.DocumentSigner`) the PDF is signed (PAdES, `reports.pdf_signature`)
    before it is written: no unsigned copy lands in `path`."""
    data = render_consolidated_pdf(report, progress)
    if signer is not None:
        from tic_desktop.reports.pdf_signature import sign_pdf_bytes

        data = sign_pdf_bytes(data, signer)
    atomic_write(path, data, verify=check_pdf, mode=mode)
