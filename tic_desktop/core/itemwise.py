"""Item-by-item consolidation for role-split forms.

A form is role-split when some criterion is scored by only some roles (`Criterion.roles` set and
not naming every role), e.g. the R&D capacity form: the finance expert scores only the budget
section. Their partial total, rescaled to 100, would be trimmed against the others' full totals,
so the only finance view could be the one dropped. Instead, per criterion: the scores of the
experts who scored it; with at least `trim_min_sheets` of them (trimmed_mean) one highest and one
lowest score are dropped (ties: the expert whose id sorts last is the dropped highest, first the
dropped lowest) and the rest averaged, with fewer the plain mean; `mean`: the mean of all;
`median`: their median. Then the final score = Σ item means ÷ Σ maxima of the items anyone
scored × 100 (= the sum when every item was scored), rounded half up once at the end.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from tic_desktop.core.forms import ROLES, ConsolidationRule, FormTemplate
from tic_desktop.core.results import Dropped, ExpertEntry
from tic_desktop.core.scoring import round_half_up
from tic_desktop.core.types import Text

HUNDRED = Decimal(100)


def role_split(form: FormTemplate) -> bool:
    return any(c.roles and set(c.roles) != set(ROLES) for c in form.criteria)


@dataclass(frozen=True)
class ItemMean:
    criterion_id: str
    max: Decimal
    mean: Decimal
    """Exact (unrounded)."""
    scorers: int
    dropped: Mapping[str, Dropped]


@dataclass(frozen=True)
class Itemwise:
    items: tuple[ItemMean, ...]
    """Items at least one expert scored, in form order."""
    total: Decimal
    """Σ item means, exact."""
    applicable_max: Decimal
    final: Decimal | None
    """Rounded to the rule's decimals; None when nobody scored anything."""

    def comparable(self, entry: ExpertEntry) -> Decimal | None:
        """The panel's figure on the items this expert scored, rescaled to 100 (for the outlier check)."""
        mine = [i for i in self.items if i.criterion_id in entry.scores]
        top = sum((i.max for i in mine), Decimal(0))
        if not top:
            return None
        return sum((i.mean for i in mine), Decimal(0)) / top * HUNDRED


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def itemwise(form: FormTemplate, rule: ConsolidationRule, entries: Sequence[ExpertEntry]) -> Itemwise:
    items: list[ItemMean] = []
    for c in form.criteria:
        scored = sorted((e.scores[c.id], e.expert_id) for e in entries if c.id in e.scores)
        if not scored:
            continue
        dropped: dict[str, Dropped] = {}
        if rule.method == "median":
            mean = _median([v for v, _ in scored])
        else:
            if rule.method == "trimmed_mean" and len(scored) >= rule.trim_min_sheets:
                dropped = {scored[0][1]: "lowest", scored[-1][1]: "highest"}
            kept = [v for v, eid in scored if eid not in dropped]
            mean = sum(kept, Decimal(0)) / Decimal(len(kept))
        items.append(ItemMean(c.id, c.max, mean, len(scored), dropped))
    total = sum((i.mean for i in items), Decimal(0))
    top = sum((i.max for i in items), Decimal(0))
    final = None
    if items:
        final = round_half_up(total if top == HUNDRED else total / top * HUNDRED, rule.decimals)
    return Itemwise(tuple(items), total, top, final)


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def calculation(rule: ConsolidationRule, result: Itemwise, valid: int) -> Text:
    """The method in words for the report."""
    if result.final is None:
        return Text(zh="没有有效评分，无法计算得分。", en="No valid score, so there is no score.")
    places = rule.decimals
    total = round_half_up(result.total, places + 2)
    trimmed = [i.criterion_id for i in result.items if i.dropped]
    if rule.method == "median":
        how_zh, how_en = "取评了该项的专家得分的中位数", "the median of the scores of the experts who scored it"
    else:
        how_zh = "取评了该项的专家得分的平均分"
        how_en = "the mean of the scores of the experts who scored it"
        if rule.method == "trimmed_mean":
            how_zh += f"（评分专家不少于 {rule.trim_min_sheets} 人的项去掉一个最高分和一个最低分）"
            how_en += f" (an item scored by at least {rule.trim_min_sheets} experts drops its highest and lowest score)"
    trim_zh = f"；去高去低的项：{'、'.join(trimmed)}" if trimmed else ""
    trim_en = f"; items trimmed: {', '.join(trimmed)}" if trimmed else ""
    if result.applicable_max == HUNDRED:
        sum_zh = f"各项平均分之和 {_fmt(total)}，四舍五入保留 {places} 位小数得 {_fmt(result.final)}"
        sum_en = f"the item means add up to {_fmt(total)}, rounded half up to {places} decimals: {_fmt(result.final)}"
    else:
        sum_zh = (f"各项平均分之和 {_fmt(total)} ÷ 有人评分的各项满分之和 {_fmt(result.applicable_max)} × 100，"
                  f"四舍五入保留 {places} 位小数得 {_fmt(result.final)}")
        sum_en = (f"the item means add up to {_fmt(total)} ÷ {_fmt(result.applicable_max)} (the maxima of the items "
                  f"scored) × 100, rounded half up to {places} decimals: {_fmt(result.final)}")
    return Text(
        zh=f"本表按专家角色分工评分（各角色只评本角色的指标），按逐项汇总计算：有效评分表 {valid} 份，"
           f"每项{how_zh}{trim_zh}；{sum_zh}。",
        en=f"This form is split by role (each role scores its own items), so it is consolidated item by item: "
           f"{valid} valid sheets; each item takes {how_en}{trim_en}; {sum_en}.",
    )
