"""The round's own pages of round.pdf (see `reports.round_pdf`): the cohort ranking per form and
center type with its chart, the panel effects (table and plot, each expert against the panel), the
normalisation with the decisions it would change and the official choice, the 市科技局's decisions
and the 异议/复议. Plain-text flowables (`reports.flowables`), Chinese as published."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak

from tic_desktop.core.cohort import TYPE_ZH, has_awards
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.round_results import (
    FLAG_NORMALISED_DIFFERS,
    FLAG_RECTIFY,
    OBJECTION_LABELS,
    RoundResults,
    RoundRow,
)
from tic_desktop.reports import charts
from tic_desktop.reports.flowables import WIDTH, Anchor, Grid, Line, TextLines, lines
from tic_desktop.reports.pdftext import fit
from tic_desktop.reports.qr import SHADE
from tic_desktop.reports.round_charts import cohort_rows, panel_effect_plot

NOTE_INK = colors.HexColor("#333333")
CHANGED = colors.HexColor("#FFF1C2")
"""The fill of a row whose conclusion differs under normalisation."""
SIZE = 7.5


def fmt(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def rank(value: int | None) -> str:
    return "—" if value is None else str(value)


def cell(text: str, w: float, font: str, size: float = SIZE, most: int = 2) -> tuple[Line, ...]:
    """`text` broken to fit a cell `w` wide, at most `most` lines (the last one cut with "…")."""
    out = lines(text, w - 5, font, size, size + 1.5)
    if len(out) > most:
        out = (*out[:most - 1], Line(fit(" ".join(x.text for x in out[most - 1:]), w - 5, font, size), size, size + 1.5))
    return out


def fmt2(value: Decimal | None) -> str:
    return "—" if value is None else format(value.quantize(Decimal("0.01")), "f")


def h1(text: str, font: str, key: str = "", title: str = "") -> list[Any]:
    out: list[Any] = [Anchor(key, title or text, 0)] if key else []
    return out + [TextLines([text], font, 14, 19, after=2 * mm)]


def h2(text: str, font: str, keep: float = 0) -> TextLines:
    return TextLines([text], font, 11, 15, before=3 * mm, after=1.5 * mm, keep=keep)


def note(paras: Sequence[str], font: str) -> TextLines:
    return TextLines(list(paras), font, 8.5, 12, ink=NOTE_INK, after=1.5 * mm)


def conclusion_label(form: FormTemplate | None, code: str | None) -> str:
    if code is None:
        return "待定"
    if form is not None:
        for c in form.conclusions:
            if c.code == code:
                return c.label.zh
    return code


def remark(r: RoundRow, form: FormTemplate | None) -> str:
    parts = []
    if r.tie:
        parts.append("并列")
    if r.capped:
        parts.append("优秀名额已满，顺延")
    if FLAG_NORMALISED_DIFFERS in r.flag_codes:
        parts.append(f"标准化后为{conclusion_label(form, r.normalised_conclusion)}")
    if FLAG_RECTIFY in r.flag_codes:
        parts.append("上轮整改，须复评")
    if any(f.code == "excellent.cohort_small" for f in r.flags):
        parts.append("样本过少")
    return "；".join(parts)


def _yuan(value: Decimal | None) -> str:
    return "—" if value is None else f"{format(value, ',f')} 元"


def cohort_ranking(results: RoundResults, form: FormTemplate | None, form_id: str, center_type: str,
                   font: str, normalised_official: bool) -> list[Any]:
    """One cohort: the table (official rank first, the panel's own rank and the normalised side beside
    it, changed decisions shaded) and the chart of the official ranking."""
    rows = results.rows_for(form_id, center_type)
    title = form.title.zh if form is not None else form_id
    kind = TYPE_ZH.get(center_type, "")
    suffix = f"（{kind}）" if kind else ""
    awards = form is not None and has_awards(form)
    previous = any(r.previous is not None for r in rows)
    header = ["全轮\n排名", "项目编号\n专家组", "中心名称", "组内\n排名", "最终\n得分", "标准化\n得分",
              "标准化\n排名", "结论"]
    widths = [10 * mm, 27 * mm, 0.0, 10 * mm, 12 * mm, 13 * mm, 12 * mm, 12 * mm]
    if awards:
        header.append("奖励")
        widths.append(16 * mm)
    if previous:
        header.append("上轮\n得分、结论")
        widths.append(17 * mm)
    header.append("备注")
    widths.append(28 * mm)
    widths[2] = WIDTH - sum(widths)
    table: list[list[Any]] = [header]
    fills: dict[int, Any] = {0: SHADE}
    small = SIZE - 1
    for r in rows:
        place = "—" if r.round_rank is None else (f"{r.round_rank}=" if r.tie else str(r.round_rank))
        line: list[Any] = [place, (Line(r.proposal_id, SIZE, SIZE + 1.5),
                                   Line(fit(r.batch_id, widths[1] - 5, font, small), small, small + 1.5)),
                           cell(r.center_name, widths[2], font), rank(r.panel_rank), fmt(r.final_score),
                           fmt(r.normalised_score), rank(r.normalised_rank),
                           r.conclusion_label.zh if r.conclusion_label else "待定"]
        if awards:
            line.append(_yuan(r.award))
        if previous:
            p = r.previous
            line.append("—" if p is None else cell(f"{fmt(p.final_score)} {p.conclusion_label or ''}".strip(),
                                                   widths[-2], font))
        line.append(cell(remark(r, form), widths[-1], font))
        if FLAG_NORMALISED_DIFFERS in r.flag_codes:
            fills[len(table)] = CHANGED
        table.append(line)
    basis = "标准化得分" if normalised_official else "原始最终得分"
    out: list[Any] = [*h1(f"全轮排名　{title}{suffix}", font, f"round-rank-{form_id}-{center_type}",
                          f"全轮排名：{title}{suffix}"),
                      note([f"{kind + '共' if kind else '共'} {len(rows)} 项（{len({r.batch_id for r in rows})} 个专家组），"
                            f"正式排名按{basis}从高到低；最终得分相同的按有效总分的平均值排列，仍相同的并列（“=”）。"
                            "“优秀”比例与奖励按全轮同类中心统一计算。底色标出的项目按标准化得分的结论不同。"], font),
                      Grid(table, widths, font, SIZE, header=1, row_fills=fills, left=(2, len(header) - 1))]
    plots = charts.ranking_plots(cohort_rows(rows, normalised_official), form, WIDTH) if form is not None else []
    if plots:
        out.append(h2("排名图（正式排名）", font, keep=min(plots[0].height, 200 * mm)))
        out += [charts.ChartFlowable(p) for p in plots]
    out.append(PageBreak())
    return out


def panel_effects(results: RoundResults, titles: dict[str, str], font: str) -> list[Any]:
    """Per form: each panel's totals against the round (table and plot), then each expert against the panel."""
    out: list[Any] = h1("专家组效应", font, "round-panels")
    out.append(note(["每个专家组在同一评分表上的有效总分（专家×项目）的个数、平均分、标准差（总体）、最低分和最高分，"
                     "与全轮同一评分表全部有效总分的平均分比较；其下为每位专家的平均总分与本组对同一批项目的最终得分平均值之差"
                     "（负数：该专家打分比本组严）。"], font))
    for form_id in dict.fromkeys(e.form_id for e in results.panels):
        effects = [e for e in results.panels if e.form_id == form_id]
        out.append(h2(f"{titles.get(form_id, form_id)}（全轮平均 {fmt2(effects[0].round_mean)}）", font, keep=40 * mm))
        rows = [["专家组", "有效总分", "平均分", "标准差", "最低", "最高", "与全轮平均之差"]]
        for e in effects:
            rows.append([e.batch_id, str(e.n), fmt2(e.mean), fmt2(e.sd), fmt(e.minimum), fmt(e.maximum),
                         f"{e.difference:+.2f}"])
        w = [46 * mm, 20 * mm, 20 * mm, 20 * mm, 18 * mm, 18 * mm]
        out.append(Grid(rows, [*w, WIDTH - sum(w)], font, 8, header=1, row_fills={0: SHADE}, left=(0,)))
        plot = panel_effect_plot(effects, WIDTH)
        out.append(h2("专家组效应图", font, keep=plot.height))
        out.append(charts.ChartFlowable(plot))
        rows = [["专家组", "专家", "评分数", "专家平均分", "本组最终得分平均", "差值"]]
        inks: dict[tuple[int, int | None], Any] = {}
        for e in effects:
            for x in e.experts:
                if x.difference < -5:
                    inks[(5, len(rows))] = charts.OUTLIER
                rows.append([e.batch_id, fit(f"{x.expert_name}（{x.expert_id}）", 51 * mm, font, 8), str(x.n),
                             fmt2(x.mean), fmt2(x.panel_mean), f"{x.difference:+.2f}"])
        w = [40 * mm, 56 * mm, 14 * mm, 22 * mm, 28 * mm]
        out.append(h2("各专家与本组比较", font, keep=30 * mm))
        out.append(Grid(rows, [*w, WIDTH - sum(w)], font, 8, header=1, row_fills={0: SHADE}, left=(0, 1), inks=inks))
    out.append(PageBreak())
    return out


def normalisation(results: RoundResults, forms: dict[str, FormTemplate], font: str) -> list[Any]:
    """The method and its parameters, the official choice and its reason, the decisions that change."""
    norm, official = results.normalisation, results.official
    out: list[Any] = h1("标准化与正式排名", font, "round-normalisation")
    if official.basis == "normalised":
        choice = [f"正式排名：采用标准化排名（机构决定{('，' + official.chosen_at.replace('T', ' ')) if official.chosen_at else ''}）。",
                  f"理由：{official.reason}"]
    else:
        choice = ["正式排名：原始最终得分排名（默认）。标准化得分仅供参考，列在旁边。"]
    out.append(TextLines(choice, font, 10, 14.5, after=2 * mm))
    out.append(note([norm.describe("zh")], font))
    if norm.forms:
        rows = [["评分表", "有效总分数", "全轮平均分 M", "全轮标准差 S"]]
        w = [90 * mm, 24 * mm, 30 * mm]
        rows += [[cell(forms[f.form_id].title.zh if f.form_id in forms else f.form_id, w[0], font, 8), str(f.n),
                  fmt2(f.mean), fmt2(f.sd)] for f in norm.forms]
        out.append(Grid(rows, [*w, WIDTH - sum(w)], font, 8, header=1, row_fills={0: SHADE}, left=(0,)))
    changed = [r for r in results.rows if FLAG_NORMALISED_DIFFERS in r.flag_codes]
    out.append(h2(f"按标准化得分结论会改变的项目（{len(changed)} 项）", font, keep=20 * mm))
    if not changed:
        out.append(note(["无：标准化不改变任何项目的结论。"], font))
    else:
        rows = [["项目编号", "中心名称", "专家组", "原始得分", "原始排名", "原始结论", "标准化得分", "标准化排名",
                 "标准化结论"]]
        w = [15 * mm, 0.0, 26 * mm, 13 * mm, 12 * mm, 13 * mm, 14 * mm, 14 * mm, 14 * mm]
        w[1] = WIDTH - sum(w)
        for r in changed:
            form = forms.get(r.form_id)
            rows.append([r.proposal_id, cell(r.center_name, w[1], font), fit(r.batch_id, w[2] - 5, font, SIZE),
                         fmt(r.final_score), rank(r.raw_rank), conclusion_label(form, r.raw_conclusion),
                         fmt(r.normalised_score), rank(r.normalised_rank),
                         conclusion_label(form, r.normalised_conclusion)])
        out.append(Grid(rows, w, font, SIZE, header=1, row_fills={0: SHADE}, left=(1, 2)))
    out.append(PageBreak())
    return out


def decisions(results: RoundResults, font: str) -> list[Any]:
    """The 市科技局's final decisions and every 异议/复议 with its outcome."""
    names = {(r.batch_id, r.proposal_id): r.center_name for r in results.rows}
    out: list[Any] = h1("市科技局决定与异议、复议", font, "round-decisions")
    out.append(h2(f"最终决定（{len(results.decisions)} 项）", font, keep=20 * mm))
    if not results.decisions:
        out.append(note(["尚未记录市科技局的最终决定。"], font))
    else:
        rows = [["项目编号", "中心名称", "决定日期", "决定", "文号"]]
        w = [16 * mm, 50 * mm, 20 * mm, 0.0, 34 * mm]
        w[3] = WIDTH - sum(w)
        for d in results.decisions:
            rows.append([d.proposal_id, cell(names.get((d.batch_id, d.proposal_id), ""), w[1], font),
                         d.decided_on, cell(d.decision, w[3], font, most=6), cell(d.document_number or "—", w[4], font)])
        out.append(Grid(rows, w, font, SIZE, header=1, row_fills={0: SHADE}, left=(1, 3)))
    out.append(h2(f"异议与复议（{len(results.objections)} 件）", font, keep=20 * mm))
    if not results.objections:
        out.append(note(["未收到异议或复议。"], font))
    else:
        rows = [["编号", "类型", "项目", "收到日期", "提出人", "内容", "处理结果", "办结日期"]]
        w = [10 * mm, 10 * mm, 30 * mm, 18 * mm, 22 * mm, 0.0, 36 * mm, 18 * mm]
        w[5] = WIDTH - sum(w)
        for o in results.objections:
            who = names.get((o.batch_id, o.proposal_id), "")
            rows.append([str(o.objection_id), OBJECTION_LABELS[o.kind].zh,
                         cell(f"{o.proposal_id} {who}", w[2], font, most=3), o.received_on,
                         cell(o.submitted_by, w[4], font, most=3), cell(o.summary, w[5], font, most=12),
                         cell(o.outcome or "处理中", w[6], font, most=12), o.outcome_on or "—"])
        out.append(Grid(rows, w, font, SIZE, header=1, row_fills={0: SHADE}, left=(2, 4, 5, 6)))
    out.append(PageBreak())
    return out


def previous_round(results: RoundResults, font: str) -> list[Any]:
    """Year over year: each center's last score and conclusion beside this year's, the centers to re-assess
    (整改 last time), and the last targets for the item that refers to them (5.1 / 1.1)."""
    rows_with = [r for r in results.rows if r.previous is not None]
    if not rows_with:
        return []
    out: list[Any] = h1("上轮结果（同比）", font, "round-previous")
    out.append(note([f"已导入上一轮 {len(results.previous)} 项结果，按中心名称匹配到本轮 {len(rows_with)} 项；"
                     "上轮处理意见为整改的中心须复评（标“须复评”）。"], font))
    w = [15 * mm, 0.0, 16 * mm, 14 * mm, 16 * mm, 14 * mm, 30 * mm, 14 * mm]
    w[1] = WIDTH - sum(w)
    table: list[list[Any]] = [["项目编号", "中心名称", "本轮得分", "本轮结论", "上轮得分", "上轮结论", "来源", "复评"]]
    fills: dict[int, Any] = {0: SHADE}
    for r in rows_with:
        p = r.previous
        assert p is not None
        if FLAG_RECTIFY in r.flag_codes:
            fills[len(table)] = CHANGED
        table.append([r.proposal_id, cell(r.center_name, w[1], font), fmt(r.final_score),
                      r.conclusion_label.zh if r.conclusion_label else "待定", fmt(p.final_score),
                      p.conclusion_label or p.conclusion or "—", cell(p.source or "—", w[6], font),
                      "须复评" if FLAG_RECTIFY in r.flag_codes else ""])
    out.append(Grid(table, w, font, SIZE, header=1, row_fills=fills, left=(1, 6)))
    targets = [r for r in rows_with if r.targets_item and r.previous is not None and r.previous.targets]
    if targets:
        out.append(h2("上轮目标（评分表中参照上轮目标的指标）", font, keep=20 * mm))
        paras = []
        for r in targets:
            assert r.previous is not None
            items = "；".join(f"{t.name} {fmt(t.target)}{t.unit}" + (f"（完成 {fmt(t.achieved)}{t.unit}）"
                                                                  if t.achieved is not None else "")
                              for t in r.previous.targets)
            paras.append(f"{r.proposal_id} {r.center_name}（第 {r.targets_item} 项）：{items}")
        out.append(TextLines(paras, font, 8.5, 12, indent=8.5, after=1.5 * mm))
    out.append(PageBreak())
    return out
