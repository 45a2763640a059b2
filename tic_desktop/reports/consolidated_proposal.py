"""One proposal on one form in the consolidated report (`reports.consolidated_pdf`): the 评分汇总表,
the key facts, the calculation in words, each expert's comments, the panel opinion and the signatures.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from tic_desktop.core.cohort import TYPE_ZH, has_awards
from tic_desktop.core.consolidation import ExpertEntry, ProposalResult
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.labels import ROLE_LABELS, label
from tic_desktop.core.panel_opinion import DISSENT, SECTIONS, PanelOpinion
from tic_desktop.core.scoring import CONCLUSION_REASON
from tic_desktop.reports import charts
from tic_desktop.reports.consolidated_style import (
    DROPPED_BG,
    DROPPED_INK,
    DROPPED_MARK,
    ITEMWISE_ZH,
    METHOD_ZH,
    OWN_BLOCK_FLAGS,
    RED,
    SUBTITLE_INK,
    Styles,
    body_text,
    fmt,
    h1,
    h2,
    note_text,
    yuan,
)
from tic_desktop.reports.flowables import WIDTH, FillIn, Grid, SignatureBlock, TextLines
from tic_desktop.reports.pdftext import fit, width
from tic_desktop.reports.plan_rules_pdf import plan_rule_blocks
from tic_desktop.reports.qr import SHADE
from tic_desktop.reports.report_data import ReportData


def _score_table(r: ProposalResult, form: FormTemplate, st: Styles) -> tuple[Grid, bool]:
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
        mean = fmt(cr.mean) if cr is not None and cr.mean is not None else "—"
        if cr is not None and cr.outlier:
            mean += "※"
            any_outlier = True
            inks[(last_col, len(rows))] = RED
        item_dropped = cr.dropped if cr is not None else {}
        for i, x in enumerate(ids):
            if x in item_dropped:
                inks[(3 + i, len(rows))] = DROPPED_INK
        rows.append([c.id, fit(c.label.zh, label_w - 5, st.font, size), fmt(c.max),
                     *[("(" + fmt(scores[x]) + ")" if x in item_dropped else fmt(scores[x])) if x in scores
                       else "—" for x in ids], mean])
    spans: dict[tuple[int, int], int] = {}
    rescaled = any(e.total != e.raw_total for e in experts)
    if rescaled:
        spans[(len(rows), 0)] = 1
        rows.append(["得分合计", "", "", *[fmt(e.raw_total) for e in experts], ""])
    last = len(rows)
    spans[(last, 0)] = 1
    rows.append(["合计（折算百分制）" if rescaled else "合计", "", "100", *[fmt(e.total) for e in experts],
                 fmt(r.final_score)])
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


def _key_facts(r: ProposalResult, form: FormTemplate, ranked: int, st: Styles) -> Grid:
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
        ["最终得分", fmt(r.final_score), "排名", rank, "结论", fit(concl, widths[5] - 5, font, 8.5)],
        ["有效评分表", f"{r.valid_sheets} 份", "计算方法",
         fit(ITEMWISE_ZH if r.itemwise else METHOD_ZH.get(r.method, r.method), widths[3] - 5, font, 8.5),
         "处理意见", fit(r.outcome.zh if r.outcome else "—", widths[5] - 5, font, 8.5)],
    ]
    spans: dict[tuple[int, int], int] = {}
    if has_awards(form):
        award = f"一次性奖励 {yuan(r.award)}" if r.award is not None else "无"
        rows.append(["奖励", award, "", "", "", ""])
        spans[(2, 1)] = 5
    label_fill = {(c, row): SHADE for row in range(len(rows)) for c in (0, 2, 4)}
    return Grid(rows, widths, font, 8.5, fills=label_fill, inks={(1, 0): charts.FINAL}, sizes={(1, 0): 11},
                left=(1, 3, 5), spans=spans)


def expert_name(report: ReportData, expert_id: str) -> str:
    try:
        return f"{report.expert(expert_id).name}（{expert_id}）"
    except KeyError:
        return expert_id


def _calculation(r: ProposalResult, report: ReportData, st: Styles, any_outlier: bool) -> list[Any]:
    font = st.font
    out: list[Any] = [*h2("计算过程", font, keep=3 * 13.5), body_text([r.calculation.zh], font)]
    if any_outlier:
        out.append(note_text("※ 该项专家打分分歧较大（极差超过该项满分的规定比例）。", font))
    if r.itemwise:
        out.append(note_text("括号内的分数为该项去掉的最高分或最低分（逐项汇总；“—”为该专家按角色不评的项）；"
                         "各专家合计仅供参考，最终得分为各项平均分之和。", font))
    people = [f"应评专家 {r.valid_sheets + len(r.conflicted) + len(r.missing)} 人，有效评分表 {r.valid_sheets} 份"]
    if r.conflicted:
        people.append("回避：" + "、".join(expert_name(report, x) for x in r.conflicted))
    if r.missing:
        people.append("未提交评分表：" + "、".join(expert_name(report, x) for x in r.missing))
    out.append(body_text(["；".join(people) + "。"], font))
    flags = [f for f in r.flags if not f.code.startswith(OWN_BLOCK_FLAGS)]
    if flags:
        out += h2("提示", font, keep=2 * 13.5)
        out.append(body_text([f"• {f.zh}" for f in flags], font, indent=9.5))
    if r.vetoes:
        out += h2("否决项（筛选性指标）", font, keep=2 * 13.5)
        lines = []
        for v in r.vetoes:
            who = "、".join(expert_name(report, x) for x in v.raised_by)
            if v.decision is None:
                state = "待专家组组长确认"
            else:
                d = v.decision
                state = ("组长确认成立" if d.confirmed else "组长确认不予采纳") + f"，理由：{d.reason}"
                if d.decided_by or d.decided_at:
                    state += f"（{d.decided_by} {d.decided_at.replace('T', ' ')}）".replace("（ ", "（")
            lines.append(f"• {v.label.zh}：由 {who} 提出；{state}")
        out.append(body_text(lines, font, indent=9.5))
    return out


def _comments(entries: Sequence[ExpertEntry], form: FormTemplate, report: ReportData, st: Styles) -> list[Any]:
    font = st.font
    out: list[Any] = h2("专家评审意见", font, keep=3 * 12)
    if not entries:
        return out + [note_text("（本报告未附专家评审意见，见各专家评分表。）", font)]
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


def _opinion(opinion: PanelOpinion | None, st: Styles, aside: str = "") -> list[Any]:
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
    return [*h2("专家组意见", font, keep=min(keep, 150 * mm)), *blocks]


def signature_blocks(results: Sequence[ProposalResult], report: ReportData, st: Styles,
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
    return [*h2("签字", st.font, keep=block.height), block]


def _spaced(f: Flowable, after: float) -> Flowable:
    """`f` with space after it (cheaper than a Spacer: one flowable less for the layout)."""
    f.spaceAfter = after
    return f


def proposal_section(report: ReportData, r: ProposalResult, form: FormTemplate, ranked: int, entries: Sequence[ExpertEntry],
              st: Styles, first: bool) -> list[Any]:
    font = st.font
    key = f"p-{r.proposal_id}-{r.form_id}"
    anchors = [(key, form.title.zh, 1)]
    if first:
        anchors.insert(0, (f"p-{r.proposal_id}", f"{r.proposal_id} {r.center_name}", 0))
    kind = TYPE_ZH.get(r.center_type)
    title = f"{form.title.zh}　·　评分汇总表" + (f"　·　{kind}" if kind else "")
    # a later form of the proposal starts on a new page unless 120 mm are left
    out: list[Any] = [h1(f"{r.proposal_id}　{r.center_name}", font, 0 if first else 120 * mm - 19 - 2 * mm, anchors),
            TextLines([title], font, 10, 14, ink=SUBTITLE_INK, center=True, after=3 * mm) if first
            else h2(title, font)[0],
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
        out += [*h2("专家总分分布", font, keep=plot.height), charts.ChartFlowable(plot)]
    out += _calculation(r, report, st, any_outlier)
    out += plan_rule_blocks(r, report.proposal(r.proposal_id), font, lambda t, f, k: h2(t, f, keep=k),
                            lambda paras, f, indent: body_text(paras, f, indent), with_kpis=first)
    out += _comments(entries, form, report, st)
    who = report.presiding(r.conflicted)
    aside = ""
    if who.deputy:
        deputy = next((e.name for e in report.experts if e.id == who.expert_id), None)
        aside = (f"专家组组长回避本项目，由副组长{deputy}主持评议并签署专家组意见。" if deputy
                 else "专家组组长回避本项目，尚未指定主持评议的副组长。")
    out += _opinion(report.opinions.get((r.proposal_id, r.form_id)), st, aside)
    return out
