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
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    Flowable,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.cohort import ROUNDING_ZH, TYPE_ZH, cap_places, has_awards, outcome_award
from tic_desktop.core.consolidation import ExpertEntry, ProposalResult
from tic_desktop.core.forms import ConsolidationRule, FormTemplate
from tic_desktop.core.labels import KIND_LABELS, ROLE_LABELS, label
from tic_desktop.core.panel_meeting import MODES
from tic_desktop.core.panel_opinion import DISSENT, SECTIONS, PanelOpinion
from tic_desktop.core.scoring import CONCLUSION_REASON
from tic_desktop.reports import charts
from tic_desktop.reports.flowables import WIDTH, FillIn, Grid, SignatureBlock, TextLines
from tic_desktop.reports.flowables import Anchor as _Anchor
from tic_desktop.reports.pdftext import fit, width
from tic_desktop.reports.plan_rules_pdf import plan_rule_blocks
from tic_desktop.reports.qr import GRID, MARGIN, SHADE, footer_painter, numbered_canvas, styles
from tic_desktop.reports.report_data import SOURCE_LABELS, ReportData

DROPPED_BG = colors.HexColor("#E4E4E4")
DROPPED_INK = colors.HexColor("#777777")
RED = colors.HexColor("#C62828")
NOTE_INK = colors.HexColor("#333333")
SUBTITLE_INK = colors.HexColor("#444444")
RULE = colors.HexColor("#999999")
DROPPED_MARK = {"highest": "〔去高〕", "lowest": "〔去低〕"}
ITEMWISE_ZH = "逐项平均后求和"
METHOD_ZH = {"trimmed_mean": "去掉最高、最低分后平均", "mean": "有效总分平均", "median": "有效总分的中位数"}
# flags printed in their own blocks (vetoes, 回避 / 未提交) rather than in the 提示 list
OWN_BLOCK_FLAGS = ("veto.", "experts.conflicted", "sheets.missing")

Progress = Callable[[int, int], None]


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def _yuan(value: Decimal) -> str:
    return f"{format(value, ',f')} 元"


class _Styles:
    def __init__(self) -> None:
        base = styles()
        f = base.font
        self.base = base
        self.font = f
        self.cover_title = ParagraphStyle("ctitle", fontName=f, fontSize=20, leading=28, alignment=1, spaceAfter=4 * mm)
        self.cover_sub = ParagraphStyle("csub", fontName=f, fontSize=14, leading=20, alignment=1, spaceAfter=10 * mm)
        self.body = base.body
        self.cell = ParagraphStyle("cell", fontName=f, fontSize=8, leading=10)
        self.note = ParagraphStyle("note", fontName=f, fontSize=8.5, leading=12, textColor=NOTE_INK)


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


_GRID_CMDS: list[tuple[Any, ...]] = [
    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 1.8),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
]


def _grid(font: str, size: float, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), size),
                       ("LEADING", (0, 0), (-1, -1), size + 2), *_GRID_CMDS, *extra])


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


# ── text blocks ────────────────────────────────────────────────────────────────────────────


def _h1(text: str, font: str, keep: float = 0, anchors: Sequence[tuple[str, str, int]] = ()) -> TextLines:
    return TextLines([text], font, 14, 19, after=2 * mm, keep=keep, anchors=anchors)


def _h2(text: str, font: str, keep: float = 0) -> list[Flowable]:
    """A section heading; `keep`: the height of what must follow it on the same page."""
    return [TextLines([text], font, 11, 15, before=3 * mm, after=1.5 * mm, keep=keep)]


def _body(paras: Sequence[str], font: str, indent: float = 0) -> TextLines:
    return TextLines(paras, font, 9.5, 13.5, indent)


def _note(text: str, font: str) -> TextLines:
    return TextLines([text], font, 8.5, 12, ink=NOTE_INK)


# ── cover and ranking ──────────────────────────────────────────────────────────────────────


def _cover(report: ReportData, st: _Styles, forms: Sequence[FormTemplate]) -> list[Any]:
    results = report.consolidation.results
    proposals = {r.proposal_id for r in results}
    out: list[Any] = [_Anchor("cover", "封面", 0), Spacer(1, 30 * mm), _p(report.title.zh, st.cover_title),
                      _p("专家评审汇总报告", st.cover_sub)]
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
    rows = [[k, _p(v, st.body)] for k, v in rows]
    t = Table(rows, colWidths=[32 * mm, WIDTH - 32 * mm])
    t.setStyle(_grid(st.font, 10, [("BACKGROUND", (0, 0), (0, -1), SHADE), ("ALIGN", (0, 0), (0, -1), "CENTER"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    out.append(t)
    if report.rejected:
        out += [Spacer(1, 8 * mm), *_h2(f"未接收的评分表文件（{len(report.rejected)} 份）", st.font)]
        rows = [["文件", "原因"]] + [[_p(r.name, st.cell), _p(f"{r.reason_zh}（{r.code}）", st.cell)]
                                     for r in report.rejected]
        t = Table(rows, colWidths=[60 * mm, WIDTH - 60 * mm], repeatRows=1)
        t.setStyle(_grid(st.font, 8, [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER")]))
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


def _signer_tables(report: ReportData, st: _Styles) -> list[Any]:
    """The keys behind the numbers: keys trusted on first use (to check against the enrolment sheets),
    then every counted expert's signing key."""
    if not report.signers:
        return []
    out: list[Any] = []
    style = _grid(st.font, 8, [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER")])
    first = [s for s in report.signers if s.source == "first_use"]
    if first:
        out += [Spacer(1, 6 * mm), *_h2(f"首次使用时信任的密钥（{len(first)} 把，须与专家密钥登记表核对）", st.font)]
        rows = [["专家", "密钥指纹"]] + [[_p(f"{s.expert_id} {_name(report, s.expert_id)}", st.cell),
                                          _p(s.fingerprint, st.cell)] for s in first]
        t = Table(rows, colWidths=[50 * mm, WIDTH - 50 * mm], repeatRows=1)
        t.setStyle(style)
        out.append(t)
    out += [Spacer(1, 6 * mm), *_h2("专家签名密钥", st.font)]
    rows = [["专家", "密钥指纹", "来源"]] + [[_p(f"{s.expert_id} {_name(report, s.expert_id)}", st.cell),
                                            _p(s.fingerprint, st.cell), _p(SOURCE_LABELS.get(s.source, s.source), st.cell)]
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


def _ranking(form: FormTemplate, results: Sequence[ProposalResult], st: _Styles,
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
               _fmt(r.final_score), concl]
        if with_outcome:
            sizes[(outcome_col, len(rows))] = OUTCOME_SIZE
            row.append(fit(r.outcome.zh, outcome_w - 5, font, OUTCOME_SIZE) if r.outcome else "—")
        if awards:
            row.append(_yuan(r.award) if r.award is not None else "—")
        row.append(fit(remark(r), remark_w - 5, font, RANK_SIZE))
        rows.append(row)
    left = [2, len(header) - 1] + ([outcome_col] if with_outcome else [])
    kind = TYPE_ZH.get(center_type, "")
    suffix = f"（{kind}）" if kind else ""
    out: list[Any] = [_Anchor(f"rank-{form.id}-{center_type}", f"排名表：{form.title.zh}{suffix}", 0),
                      _h1(f"排名表　{form.title.zh}{suffix}", font),
                      _note(f"{kind + '共' if kind else '共'} {len(results)} 项，按最终得分从高到低排列；"
                            "得分相同的按有效总分之和排列，仍相同的并列。", font),
                      Spacer(1, 2 * mm),
                      Grid(rows, widths, font, RANK_SIZE, header=1, row_fills={0: SHADE}, sizes=sizes, left=left)]
    legend = [f"{c.label.zh}（{'≥ ' + _fmt(c.min_total) + ' 分' if c.min_total else '低于以上'}）："
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
    out += _h2("排名图", font, keep=min(plots[0].height, 200 * mm))
    out += [charts.ChartFlowable(p) for p in plots]
    out.append(PageBreak())
    return out


def _percent(ratio: Decimal) -> str:
    return f"{format((ratio * 100).normalize(), 'f')}%"


# ── one proposal on one form ───────────────────────────────────────────────────────────────


def _score_table(r: ProposalResult, form: FormTemplate, st: _Styles) -> tuple[Grid, bool]:
    """The 评分汇总表 and whether a criterion was flagged for its spread (※)."""
    experts = r.experts
    n = len(experts)
    id_w, max_w, mean_w = 9 * mm, 10 * mm, 14 * mm
    col = min(14 * mm, max(8 * mm, (WIDTH - id_w - max_w - mean_w - 40 * mm) / max(1, n)))
    label_w = WIDTH - id_w - max_w - mean_w - col * n
    size = 8 if col >= 11 * mm else 7
    header = ["序号", "指标", "分值"]
    for i, e in enumerate(experts, 1):
        room = col - 2 * Grid.PAD
        marks = [m for m in (DROPPED_MARK.get(e.dropped or ""), "离群" if e.outlier else None) if m]
        marks = [m if width(m, st.font, size) <= room else m.strip("〔〕") for m in marks]  # narrow columns
        head = f"专家{i}" if width(f"专家{i}", st.font, size) <= room else f"专家\n{i}"
        header.append("\n".join([head, fit(e.expert_name, room, st.font, size), *marks]))
    header.append("平均")
    rows: list[list[str]] = [header]
    last_col = 3 + n
    inks: dict[tuple[int, int | None], Any] = {}
    by_id = {c.criterion_id: c for c in r.criteria}
    ids = [e.expert_id for e in experts]
    any_outlier = False
    for c in form.criteria:
        cr = by_id.get(c.id)
        scores = cr.scores if cr is not None else {}
        mean = _fmt(cr.mean) if cr is not None and cr.mean is not None else "—"
        if cr is not None and cr.outlier:
            mean += "※"
            any_outlier = True
            inks[(last_col, len(rows))] = RED
        item_dropped = cr.dropped if cr is not None else {}
        for i, x in enumerate(ids):
            if x in item_dropped:
                inks[(3 + i, len(rows))] = DROPPED_INK
        rows.append([c.id, fit(c.label.zh, label_w - 5, st.font, size), _fmt(c.max),
                     *[("(" + _fmt(scores[x]) + ")" if x in item_dropped else _fmt(scores[x])) if x in scores
                       else "—" for x in ids], mean])
    spans: dict[tuple[int, int], int] = {}
    rescaled = any(e.total != e.raw_total for e in experts)
    if rescaled:
        spans[(len(rows), 0)] = 1
        rows.append(["得分合计", "", "", *[_fmt(e.raw_total) for e in experts], ""])
    last = len(rows)
    spans[(last, 0)] = 1
    rows.append(["合计（折算百分制）" if rescaled else "合计", "", "100", *[_fmt(e.total) for e in experts],
                 _fmt(r.final_score)])
    col_fills: dict[int, Any] = {}
    inks[(last_col, last)] = charts.FINAL
    for i, e in enumerate(experts):
        if e.dropped:
            col_fills[3 + i] = DROPPED_BG
            inks[(3 + i, None)] = DROPPED_INK
        elif e.outlier:
            inks[(3 + i, 0)] = RED
    widths = [id_w, label_w, max_w, *([col] * n), mean_w]
    grid = Grid(rows, widths, st.font, size, header=1, row_fills={0: SHADE, last: SHADE}, col_fills=col_fills,
                inks=inks, left=(1,), spans=spans)
    return grid, any_outlier


KEY_WIDTHS = (17 * mm, 19 * mm, 15 * mm, 46 * mm, 15 * mm)


def _key_facts(r: ProposalResult, form: FormTemplate, ranked: int, st: _Styles) -> Grid:
    """Final score, rank, conclusion (grade; capped), valid sheets, method, outcome (处理意见) and,
    for a form with awards, the award."""
    font = st.font
    rank = "—" if r.rank is None else f"{r.rank} / {ranked}" + ("（并列）" if r.tie else "")
    concl = r.conclusion_label.zh if r.conclusion_label else "待定（否决项待组长确认）" if any(
        v.decision is None for v in r.vetoes) else "待定"
    if r.capped:
        concl += "（优秀名额已满，顺延）"
    widths = [*KEY_WIDTHS, WIDTH - sum(KEY_WIDTHS)]
    rows = [
        ["最终得分", _fmt(r.final_score), "排名", rank, "结论", fit(concl, widths[5] - 5, font, 8.5)],
        ["有效评分表", f"{r.valid_sheets} 份", "计算方法",
         fit(ITEMWISE_ZH if r.itemwise else METHOD_ZH.get(r.method, r.method), widths[3] - 5, font, 8.5),
         "处理意见", fit(r.outcome.zh if r.outcome else "—", widths[5] - 5, font, 8.5)],
    ]
    spans: dict[tuple[int, int], int] = {}
    if has_awards(form):
        award = f"一次性奖励 {_yuan(r.award)}" if r.award is not None else "无"
        rows.append(["奖励", award, "", "", "", ""])
        spans[(2, 1)] = 5
    label_fill = {(c, row): SHADE for row in range(len(rows)) for c in (0, 2, 4)}
    return Grid(rows, widths, font, 8.5, fills=label_fill, inks={(1, 0): charts.FINAL}, sizes={(1, 0): 11},
                left=(1, 3, 5), spans=spans)


def _name(report: ReportData, expert_id: str) -> str:
    try:
        return f"{report.expert(expert_id).name}（{expert_id}）"
    except KeyError:
        return expert_id


def _calculation(r: ProposalResult, report: ReportData, st: _Styles, any_outlier: bool) -> list[Any]:
    font = st.font
    out: list[Any] = [*_h2("计算过程", font, keep=3 * 13.5), _body([r.calculation.zh], font)]
    if any_outlier:
        out.append(_note("※ 该项专家打分分歧较大（极差超过该项满分的规定比例）。", font))
    if r.itemwise:
        out.append(_note("括号内的分数为该项去掉的最高分或最低分（逐项汇总；“—”为该专家按角色不评的项）；"
                         "各专家合计仅供参考，最终得分为各项平均分之和。", font))
    people = [f"应评专家 {r.valid_sheets + len(r.conflicted) + len(r.missing)} 人，有效评分表 {r.valid_sheets} 份"]
    if r.conflicted:
        people.append("回避：" + "、".join(_name(report, x) for x in r.conflicted))
    if r.missing:
        people.append("未提交评分表：" + "、".join(_name(report, x) for x in r.missing))
    out.append(_body(["；".join(people) + "。"], font))
    flags = [f for f in r.flags if not f.code.startswith(OWN_BLOCK_FLAGS)]
    if flags:
        out += _h2("提示", font, keep=2 * 13.5)
        out.append(_body([f"• {f.zh}" for f in flags], font, indent=9.5))
    if r.vetoes:
        out += _h2("否决项（筛选性指标）", font, keep=2 * 13.5)
        lines = []
        for v in r.vetoes:
            who = "、".join(_name(report, x) for x in v.raised_by)
            if v.decision is None:
                state = "待专家组组长确认"
            else:
                d = v.decision
                state = ("组长确认成立" if d.confirmed else "组长确认不予采纳") + f"，理由：{d.reason}"
                if d.decided_by or d.decided_at:
                    state += f"（{d.decided_by} {d.decided_at.replace('T', ' ')}）".replace("（ ", "（")
            lines.append(f"• {v.label.zh}：由 {who} 提出；{state}")
        out.append(_body(lines, font, indent=9.5))
    return out


def _comments(entries: Sequence[ExpertEntry], form: FormTemplate, report: ReportData, st: _Styles) -> list[Any]:
    font = st.font
    out: list[Any] = _h2("专家评审意见", font, keep=3 * 12)
    if not entries:
        return out + [_note("（本报告未附专家评审意见，见各专家评分表。）", font)]
    labels = {c.id: c.label.zh for c in form.criteria}
    conclusions = {c.code: c.label.zh for c in form.conclusions}
    paras: list[str | None] = []
    for e in sorted(entries, key=lambda e: e.expert_id):
        head = f"{e.expert_name}（{e.expert_id}，{label(ROLE_LABELS, e.role)}）"
        if e.conclusion:
            head += f"　推荐结论：{conclusions.get(e.conclusion, e.conclusion)}"
        lines = [head]
        for cid in (c.id for c in form.criteria):
            text = (e.comments.get(cid) or "").strip()
            if text:
                lines.append(f"　{cid} {labels.get(cid, '')}：{text}")
        for f in form.overall_fields:
            text = f.display((e.overall.get(f.id) or "").strip())
            lines.append(f"　{f.label.zh}：{text or '（无）'}")
        reason = (e.overall.get(CONCLUSION_REASON) or "").strip()
        if reason:
            lines.append(f"　结论与总分分档不一致的理由：{reason}")
        paras += [*lines, None]
    out.append(TextLines(paras[:-1], font, 8.5, 12, indent=17, after=1.5 * mm, gap=1.5 * mm))
    return out


OPINION_LINES = {"conclusion": 2}
"""Ruled lines for an empty section of the panel opinion (3 unless named here)."""


def _opinion(opinion: PanelOpinion | None, st: _Styles, aside: str = "") -> list[Any]:
    """The five sections, the dissent note (保留意见), and who presides when the chair stands aside."""
    font = st.font
    blocks: list[Flowable] = []
    if aside:
        blocks.append(TextLines([aside], font, 9, 13, ink=SUBTITLE_INK, after=1 * mm))
    for name, heading in SECTIONS:
        text = opinion.section(name).strip() if opinion is not None else ""
        if text:
            blocks.append(TextLines([f"{heading.zh}：{text}"], font, 9.5, 13.5, after=1 * mm))
        else:
            blocks.append(FillIn(f"{heading.zh}：", OPINION_LINES.get(name, 3), font))
    dissent = opinion.dissent.strip() if opinion is not None else ""
    if dissent or (opinion is not None and not opinion.is_empty):
        blocks.append(TextLines([f"{DISSENT.zh}：{dissent or '无'}"], font, 9.5, 13.5, after=1 * mm))
    else:
        blocks.append(FillIn(f"{DISSENT.zh}（署名）：", 2, font))
    # the whole opinion on one page when it is not longer than that
    keep = sum(b.wrap(WIDTH, A4[1])[1] + b.getSpaceAfter() for b in blocks)
    return [*_h2("专家组意见", font, keep=min(keep, 150 * mm)), *blocks]


def _signatures(results: Sequence[ProposalResult], report: ReportData, st: _Styles,
                done: Callable[[], None] | None = None) -> list[Any]:
    """One signature block per proposal (after all its forms): the chair, every member who scored it
    on any form, 填写人 and 复核人. `done` is called when the block is drawn (the proposal's last)."""
    conflicted = tuple(dict.fromkeys(x for r in results for x in r.conflicted))
    who = report.presiding(conflicted)
    person = next((e for e in report.experts if e.id == who.expert_id), None)
    seen = dict.fromkeys(e.expert_id for r in results for e in r.experts)
    names = {e.expert_id: e.expert_name for r in results for e in r.experts}
    members = [names[x] for x in sorted(seen) if person is None or x != person.id]
    rows = [("副组长" if who.deputy else "专家组组长", person.name if person else "")]
    rows += [("专家组成员" if i == 0 else "", name) for i, name in enumerate(members)]
    rows += [("填写人", ""), ("复核人", "")]
    block = SignatureBlock(rows, st.font, done)
    return [*_h2("签字", st.font, keep=block.height), block]


def _spaced(f: Flowable, after: float) -> Flowable:
    """`f` with space after it (cheaper than a Spacer: one flowable less for the layout)."""
    f.spaceAfter = after
    return f


def _proposal(report: ReportData, r: ProposalResult, form: FormTemplate, ranked: int, entries: Sequence[ExpertEntry],
              st: _Styles, first: bool) -> list[Any]:
    font = st.font
    key = f"p-{r.proposal_id}-{r.form_id}"
    anchors = [(key, form.title.zh, 1)]
    if first:
        anchors.insert(0, (f"p-{r.proposal_id}", f"{r.proposal_id} {r.center_name}", 0))
    kind = TYPE_ZH.get(r.center_type)
    title = f"{form.title.zh}　·　评分汇总表" + (f"　·　{kind}" if kind else "")
    # a later form of the proposal starts on a new page unless 120 mm are left
    out: list[Any] = [_h1(f"{r.proposal_id}　{r.center_name}", font, 0 if first else 120 * mm - 19 - 2 * mm, anchors),
            TextLines([title], font, 10, 14, ink=SUBTITLE_INK, center=True, after=3 * mm) if first
            else _h2(title, font)[0],
            _spaced(_key_facts(r, form, ranked, st), 2.5 * mm)]
    check = report.integrity.get(r.proposal_id)
    if first and check is not None:  # the agency's finding, shown to the panel (not an expert's veto)
        found = "有尚未了结的严重科研失信记录" if check.record else "无尚未了结的严重科研失信记录"
        note = f"（{check.note}）" if check.note else ""
        out.append(TextLines([f"科研诚信核查（评审机构）：{found}{note}"], font, 9, 13,
                             ink=colors.HexColor("#c62828") if check.record else SUBTITLE_INK, after=2 * mm))
    table, any_outlier = _score_table(r, form, st)
    out.append(_spaced(table, 2 * mm))
    if r.experts:
        plot = charts.plot_dots(r, WIDTH)
        out += [*_h2("专家总分分布", font, keep=plot.height), charts.ChartFlowable(plot)]
    out += _calculation(r, report, st, any_outlier)
    out += plan_rule_blocks(r, report.proposal(r.proposal_id), font, lambda t, f, k: _h2(t, f, keep=k),
                            lambda paras, f, indent: _body(paras, f, indent), with_kpis=first)
    out += _comments(entries, form, report, st)
    who = report.presiding(r.conflicted)
    aside = ""
    if who.deputy:
        deputy = next((e.name for e in report.experts if e.id == who.expert_id), None)
        aside = (f"专家组组长回避本项目，由副组长{deputy}主持评议并签署专家组意见。" if deputy
                 else "专家组组长回避本项目，尚未指定主持评议的副组长。")
    out += _opinion(report.opinions.get((r.proposal_id, r.form_id)), st, aside)
    return out


def report_story(report: ReportData, progress: Progress | None = None) -> list[Any]:
    """The consolidated report's flowables (cover, rankings, every proposal), for this file and for the
    round's report (`reports.round_pdf`), which prints each panel's report after its own pages.
    `progress(done, total)` is called per proposal as it is drawn."""
    st = _Styles()
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
            story += _proposal(report, r, report.forms[r.form_id], ranked[(r.form_id, r.center_type)],
                               entries.get((pid, r.form_id), ()), st, first=j == 0)
        tick = None if progress is None else functools.partial(progress, n, total)
        story += _signatures(by_proposal[pid], report, st, tick)
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
    st = _Styles()
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
