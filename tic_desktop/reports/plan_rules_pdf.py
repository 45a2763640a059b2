"""The plan's rules on a proposal's page of the consolidated report (issue 12).

- 财政补助政策核查: each check with its figures, the requested and the compliant subsidy (核减 to
  the largest amount within 30% of the R&D capacity project's investment, 5 M CNY a year and 3
  consecutive years), where the rule applies to the center type;
- 专家建议财政补助额度: median and range across the experts, each checked against the same limits;
- 撤并转建议 (engineering research centers): every option with the experts' count and names;
- 绩效目标完成情况 (term-end): the planned-vs-achieved table with 达标率 and 平均完成率.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm

from tic_desktop.core.kpi import capped_rate, kpi_rows, kpi_summary
from tic_desktop.core.policy import format_cny, format_percent
from tic_desktop.core.proposal import Proposal
from tic_desktop.core.results import ProposalResult
from tic_desktop.reports.flowables import WIDTH, Grid
from tic_desktop.reports.pdftext import fit
from tic_desktop.reports.qr import SHADE

Heading = Callable[[str, str, float], list[Any]]
Body = Callable[[Sequence[str], str, float], Any]
SIZE = 8.5
VERDICT = {True: "符合", False: "不符合"}
CHECK_NAMES = {"subsidy.ratio": "补助占总投资比例（≤ 30%）", "subsidy.annual_cap": "年度补助（每年 ≤ 500 万元）",
               "subsidy.years": "支持年限（连续 ≤ 3 年）", "budget.lines": "预算表各行一致",
               "budget.missing": "研发能力建设项目预算表"}


def _spaced(grid: Grid) -> Grid:
    grid.spaceAfter = 1.5 * mm
    return grid


def _num(value: Decimal) -> str:
    text = format(value.normalize(), "f") if value == value.to_integral_value() else format(value, "f")
    return text


def policy_block(r: ProposalResult, font: str, h2: Heading, body: Body) -> list[Any]:
    p = r.policy
    if not p.applies:
        return []
    out = h2("财政补助政策核查（30%、每年 500 万元、连续 3 年）", font, 40 * mm)
    rows: list[list[str]] = [["核查项", "结果", "依据的数字"]]
    for c in p.checks:
        rows.append([CHECK_NAMES.get(c.code, c.code), VERDICT[c.passed], fit(c.zh, WIDTH - 74 * mm, font, SIZE)])
    widths = [46 * mm, 16 * mm, WIDTH - 62 * mm]
    red = colors.HexColor("#C62828")
    inks: dict[tuple[int, int | None], Any] = {(1, i): red for i, c in enumerate(p.checks, 1) if not c.passed}
    out.append(_spaced(Grid(rows, widths, font, SIZE, header=1, row_fills={0: SHADE}, left=(0, 2), inks=inks)))
    lines = [p.summary("zh") + "。"]
    if p.requested is not None and p.compliant is not None:
        c = p.compliant
        years = "、".join(f"第 {y} 年 {format_cny(c.per_year[y])}" for y in c.years) or "—"
        lines.append(f"申请补助 {format_cny(p.requested)}；符合规定的最高补助 {format_cny(c.amount)}"
                     f"（保留的连续年度及每年不超过 500 万元的额度：{years}；再以总投资的 30% 为上限）。")
        if p.failed:
            lines.append("政策规定超限的，通常按符合规定的最高额度核减，不因此否定方案。")
    out.append(body(lines, font, 0))
    return out


def suggested_block(r: ProposalResult, font: str, h2: Heading, body: Body) -> list[Any]:
    s = r.suggested_subsidy
    if s is None:
        return []
    out = h2("专家建议财政补助额度（万元/年）", font, 25 * mm)
    lines = [s.text("zh") + "。"]
    for x in s.suggestions:
        verdict = "符合" if not x.failed else "超出上限（" + "、".join(CHECK_NAMES.get(f, f) for f in x.failed) + "）"
        lines.append(f"• {x.expert_name}：{_num(x.amount)} 万元/年，{verdict}")
    out.append(body(lines, font, 9.5))
    return out


def restructure_block(r: ProposalResult, font: str, h2: Heading, body: Body) -> list[Any]:
    rec = r.restructure
    if rec is None:
        return []
    out = h2("撤并转建议（工程技术研究中心，专家人数）", font, 30 * mm)
    rows: list[list[str]] = [["建议", "人数", "专家"]]
    for o in rec.options:
        label = o.label.zh + (f"（至：{'、'.join(o.targets)}）" if o.targets else "")
        rows.append([fit(label, 52 * mm, font, SIZE), str(o.count),
                     fit("、".join(o.experts) or "—", WIDTH - 80 * mm, font, SIZE)])
    if rec.unanswered:
        rows.append(["未提出", str(len(rec.unanswered)), fit("、".join(rec.unanswered), WIDTH - 80 * mm, font, SIZE)])
    out.append(_spaced(Grid(rows, [56 * mm, 14 * mm, WIDTH - 70 * mm], font, SIZE, header=1, row_fills={0: SHADE},
                    left=(0, 2))))
    out.append(body([rec.text("zh") + "。"], font, 0))
    return out


def kpi_block(proposal: Proposal | None, font: str, h2: Heading, body: Body) -> list[Any]:
    if proposal is None or not proposal.kpis:
        return []
    rows_ = kpi_rows(proposal)
    summary = kpi_summary(rows_)
    out = h2("绩效目标完成情况（计划与实际）", font, 40 * mm)
    rows: list[list[str]] = [["编号", "指标", "单位", "目标值", "完成值", "方向", "完成率", "计入平均", "状态"]]
    for k in rows_:
        rows.append([k.kpi_id, fit(k.name, WIDTH - 126 * mm, font, SIZE), k.unit, _num(k.target),
                     "—" if k.achieved is None else _num(k.achieved), "越大越好" if k.higher_is_better else "越小越好",
                     k.completion_percent, format_percent(capped_rate(k)), k.status_text()])
    widths = [12 * mm, WIDTH - 120 * mm, 12 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm, 16 * mm]
    out.append(_spaced(Grid(rows, widths, font, SIZE, header=1, row_fills={0: SHADE}, left=(1,))))
    share = "—" if summary.met_share is None else format_percent(summary.met_share)
    mean = "—" if summary.mean_completion is None else format_percent(summary.mean_completion)
    out.append(body([
        f"达标率 {share}（达到目标值的指标 {summary.met} 项 ÷ 指标 {summary.total} 项）；"
        f"平均完成率 {mean}（各指标完成率的平均，单项最高按 100% 计，未填报的按 0 计；越小越好的指标按目标值 ÷ 完成值）。",
    ], font, 0))
    return out


def plan_rule_blocks(r: ProposalResult, proposal: Proposal | None, font: str, h2: Heading, body: Body,
                     *, with_kpis: bool) -> list[Any]:
    """Everything above, in order; the KPI table once per proposal (`with_kpis` on its first form)."""
    out = policy_block(r, font, h2, body) + suggested_block(r, font, h2, body) + restructure_block(r, font, h2, body)
    if with_kpis:
        out += kpi_block(proposal, font, h2, body)
    return out

