"""Consolidation: a panel's scores on one proposal and form → the final score, flags and rank.

Pure and deterministic: the same inputs in any order give the same result. Every number is a
`Decimal`; rounding is half up (`core.scoring.round_half_up`) to the rule's `decimals`, once,
at the end of each figure (means are computed exactly, then rounded).

Rules (all from the batch's `ConsolidationRule` per form; DESIGN.md §5):

- Valid entries are the accepted sheets' entries of experts who scored the proposal (declared or
  known conflicts are left out and listed; assigned experts with no accepted sheet are listed as
  missing).
- `trimmed_mean`: with at least `trim_min_sheets` valid entries, drop one highest and one lowest
  total (ties: the expert whose id sorts last is the dropped highest, first the dropped lowest,
  so the choice does not depend on the order of sheets) and take the mean of the rest; with fewer,
  the plain mean. `mean`: the mean of all. `median`: the median of all (mean of the middle two).
- Fewer than `min_valid_sheets` valid entries: the final score is still computed and shown, and
  the proposal carries the flag `insufficient_sheets` (the chair decides what to do).
- Outliers: an expert's total more than `outlier_total_points` from the mean of all valid totals;
  a criterion whose spread (max − min of the valid scores) exceeds `outlier_criterion_spread_ratio`
  × the criterion's max.
- Vetoes: any expert answering 是 (or a triggered section floor) raises the veto for the chair,
  who confirms or rejects it with a reason. A confirmed veto sets the worst conclusion; an
  unconfirmed one leaves the conclusion open (`conclusion is None`, flag `veto_pending`).
- Conclusion: the first band whose `min_total` ≤ final score (after vetoes).
- Role-split forms (some criterion scored by only some roles, e.g. the R&D capacity form) are
  consolidated item by item instead (`core.itemwise`): each item's mean over the experts who
  scored it, trimmed per item where enough scored it, then the sum. Forms every expert scores
  whole keep the total-based method above.
- Per center type (`ConsolidationRule.center_types`, written in the form or the batch's rule):
  the outcome and award of the conclusion (the 30万元 award only for 优秀 professional centers),
  the plan's subsidy limits (`core.subsidy`: `policy` of each result; a breach is flagged
  `policy.failed` with the compliant subsidy — the usual outcome is 核减, not rejection), the
  experts' suggested subsidy (median and range, each checked against the limits) and the counted
  撤并转 recommendation of engineering centers (`core.restructure`).
- Ranking and the 优秀 cap per cohort (one form, one center type): `core.cohort`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from tic_desktop.core.cohort import outcome_award, rank_cohort
from tic_desktop.core.forms import Conclusion, ConsolidationRule, FormTemplate
from tic_desktop.core.itemwise import calculation as itemwise_calculation
from tic_desktop.core.itemwise import itemwise, role_split
from tic_desktop.core.restructure import restructure
from tic_desktop.core.results import (
    Consolidation,
    CriterionResult,
    DecisionKey,
    Dropped,
    ExpertEntry,
    ExpertResult,
    Flag,
    Method,
    ProposalInput,
    ProposalResult,
    VetoDecision,
    VetoResult,
)
from tic_desktop.core.scoring import CONCLUSION_REASON, round_half_up
from tic_desktop.core.subsidy import PolicyResult, policy_result, suggested_subsidy
from tic_desktop.core.types import Text

__all__ = [
    "Consolidation", "CriterionResult", "DecisionKey", "Dropped", "ExpertEntry", "ExpertResult", "Flag", "Method",
    "ProposalInput", "ProposalResult", "VetoDecision", "VetoResult", "consolidate",
]

def _band_reason_flags(form: FormTemplate, e: ExpertEntry) -> list[Flag]:
    """An expert whose conclusion differs from the band of their total, with the reason they gave
    (`core.scoring` requires one before the sheet can be signed)."""
    if e.vetoes_triggered or e.conclusion is None or not form.conclusions:
        return []
    band = next((c for c in form.conclusions if c.min_total <= e.total), None)
    if band is None or band.code == e.conclusion or e.conclusion not in {c.code for c in form.conclusions}:
        return []
    chosen = form.conclusion(e.conclusion)
    reason = (e.overall.get(CONCLUSION_REASON) or "").strip() or "（未说明）"
    reason_en = (e.overall.get(CONCLUSION_REASON) or "").strip() or "(none given)"
    return [Flag(
        "conclusion.differs_from_band", e.expert_id,
        f"专家 {e.expert_name} 的推荐结论“{chosen.label.zh}”与其总分 {_fmt(e.total)} 所在分档“{band.label.zh}”不一致，"
        f"理由：{reason}",
        f"Expert {e.expert_name} recommends “{chosen.label.en}” although the total {_fmt(e.total)} falls in "
        f"“{band.label.en}”; reason: {reason_en}",
    )]


def consolidate(
    inputs: Sequence[ProposalInput],
    decisions: Mapping[DecisionKey, VetoDecision] | None = None,
    *,
    across_panels: bool = False,
) -> Consolidation:
    """Consolidate every proposal and rank them per cohort (form, center type). See the module docstring.
    `across_panels`: the inputs are a whole evaluation round (`core.cohort`: the tie-break is the mean
    raw total)."""
    decisions = decisions or {}
    results = [_one(item, decisions) for item in inputs]
    cohorts: dict[tuple[str, str], ProposalInput] = {}
    for item in inputs:
        cohorts.setdefault((item.form.id, item.center_type), item)
    forms = list(dict.fromkeys(form_id for form_id, _ in cohorts))
    ordered: list[ProposalResult] = []
    for form_id in forms:
        for (fid, center_type), first in cohorts.items():
            if fid == form_id:
                group = [r for r in results if r.form_id == form_id and r.center_type == center_type]
                ordered += rank_cohort(group, first.form, first.rule, across_panels=across_panels)
    return Consolidation(results=tuple(ordered))


# ── one proposal ────────────────────────────────────────────────────────────────────────────


def _mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, Decimal(0)) / Decimal(len(values))


def _median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return (ordered[mid - 1] + ordered[mid]) / Decimal(2)


def _fmt(value: Decimal) -> str:
    return format(value, "f")


def _one(item: ProposalInput, decisions: Mapping[DecisionKey, VetoDecision]) -> ProposalResult:
    form, rule = item.form, item.rule
    places = rule.decimals
    conflicted = tuple(sorted(set(item.conflicted)))
    entries = sorted((e for e in item.entries if e.expert_id not in conflicted), key=lambda e: e.expert_id)
    seen: set[str] = set()
    for e in entries:
        if e.expert_id in seen:
            raise ValueError(f"{item.proposal_id}/{form.id}: two entries of expert {e.expert_id}")
        seen.add(e.expert_id)
    missing = tuple(sorted(set(item.missing) - seen - set(conflicted)))
    n = len(entries)
    flags: list[Flag] = []
    totals = [e.total for e in entries]

    method: Method = rule.method
    dropped: dict[str, Dropped] = {}
    split = role_split(form)
    items = itemwise(form, rule, entries) if split else None
    if method == "trimmed_mean" and (n < rule.trim_min_sheets or split):
        method = "mean" if not split else method
    if method == "trimmed_mean" and not split:
        by_total = sorted(entries, key=lambda e: (e.total, e.expert_id))
        dropped[by_total[0].expert_id] = "lowest"
        dropped[by_total[-1].expert_id] = "highest"

    final: Decimal | None = None
    mean_exact: Decimal | None = None
    if n:
        mean_exact = _mean(totals)
        if items is not None:
            final = items.final
        elif method == "median":
            final = round_half_up(_median(totals), places)
        else:
            kept = [e.total for e in entries if e.expert_id not in dropped]
            final = round_half_up(_mean(kept), places)

    experts: list[ExpertResult] = []
    for e in entries:
        reference = mean_exact if items is None else items.comparable(e)
        deviation = e.total - reference if reference is not None else Decimal(0)
        outlier = abs(deviation) > rule.outlier_total_points
        experts.append(ExpertResult(
            expert_id=e.expert_id, expert_name=e.expert_name, total=e.total, raw_total=e.raw_total,
            dropped=dropped.get(e.expert_id), deviation=round_half_up(deviation, places), outlier=outlier,
        ))
        if outlier:
            flags.append(Flag(
                "outlier.total", e.expert_id,
                f"专家 {e.expert_name} 的总分 {_fmt(e.total)} 与全体平均分相差 {_fmt(round_half_up(abs(deviation), places))} 分"
                f"（超过 {_fmt(rule.outlier_total_points)} 分）",
                f"Expert {e.expert_name}'s total {_fmt(e.total)} is {_fmt(round_half_up(abs(deviation), places))} points "
                f"from the panel mean (more than {_fmt(rule.outlier_total_points)})",
            ))
        flags.extend(_band_reason_flags(form, e))

    counted = [e for e in entries if e.expert_id not in dropped]
    criteria: list[CriterionResult] = []
    item_of = {i.criterion_id: i for i in items.items} if items is not None else {}
    for c in form.criteria:
        scores = {e.expert_id: e.scores[c.id] for e in entries if c.id in e.scores}
        kept_scores = [e.scores[c.id] for e in counted if c.id in e.scores]
        spread = max(scores.values()) - min(scores.values()) if scores else None
        outlier = spread is not None and spread > rule.outlier_criterion_spread_ratio * c.max
        im = item_of.get(c.id)
        if items is not None:
            mean = round_half_up(im.mean, places) if im is not None else None
        else:
            mean = round_half_up(_mean(kept_scores), places) if kept_scores else None
        criteria.append(CriterionResult(
            criterion_id=c.id, max=c.max, scores=scores, mean=mean, spread=spread, outlier=outlier,
            dropped=dict(im.dropped) if im is not None else {},
        ))
        if outlier:
            flags.append(Flag(
                "outlier.criterion", c.id,
                f"第 {c.id} 项（{c.label.zh}）专家打分相差 {_fmt(spread or Decimal(0))} 分，"
                f"超过该项满分 {_fmt(c.max)} 的 {_percent(rule.outlier_criterion_spread_ratio)}",
                f"Item {c.id} ({c.label.en}): scores differ by {_fmt(spread or Decimal(0))} points, more than "
                f"{_percent(rule.outlier_criterion_spread_ratio)} of its maximum {_fmt(c.max)}",
            ))

    vetoes: list[VetoResult] = []
    pending = confirmed = False
    for v in form.vetoes:
        raised = tuple(e.expert_id for e in entries if v.id in e.vetoes_triggered)
        if not raised:
            continue
        decision = decisions.get((item.proposal_id, form.id, v.id))
        vetoes.append(VetoResult(veto_id=v.id, label=v.label, raised_by=raised, decision=decision))
        names = "、".join(e.expert_name for e in entries if e.expert_id in raised)
        names_en = ", ".join(e.expert_name for e in entries if e.expert_id in raised)
        if decision is None:
            pending = True
            flags.append(Flag(
                "veto.pending", v.id,
                f"否决项“{v.label.zh}”由 {names} 提出，待专家组组长确认",
                f"Screening question “{v.label.en}” raised by {names_en}: awaiting the chair's decision",
            ))
        elif decision.confirmed:
            confirmed = True
            flags.append(Flag(
                "veto.confirmed", v.id,
                f"否决项“{v.label.zh}”经组长确认成立：{decision.reason}",
                f"Screening question “{v.label.en}” confirmed by the chair: {decision.reason}",
            ))
        else:
            flags.append(Flag(
                "veto.rejected", v.id,
                f"否决项“{v.label.zh}”经组长确认不予采纳：{decision.reason}",
                f"Screening question “{v.label.en}” not upheld by the chair: {decision.reason}",
            ))

    conclusion: Conclusion | None = None
    if final is not None and not pending:
        conclusion = form.worst_conclusion if confirmed else next(
            c for c in form.conclusions if c.min_total <= final
        )

    if n < rule.min_valid_sheets:
        flags.insert(0, Flag(
            "sheets.insufficient", None,
            f"有效评分表 {n} 份，少于规定的 {rule.min_valid_sheets} 份",
            f"{n} valid sheets, fewer than the required {rule.min_valid_sheets}",
        ))
    if missing:
        flags.append(Flag(
            "sheets.missing", None,
            f"未收到评分表：{'、'.join(missing)}",
            f"No sheet received from: {', '.join(missing)}",
        ))
    if conflicted:
        flags.append(Flag(
            "experts.conflicted", None,
            f"回避专家（不计分）：{'、'.join(conflicted)}",
            f"Withdrawn for a conflict of interest (not counted): {', '.join(conflicted)}",
        ))

    tr = rule.for_type(item.center_type)
    policy = policy_result(item.proposal, tr is not None and tr.subsidy_policy)
    if policy.failed:
        flags.append(_policy_flag(policy))
    overall = [(e.expert_id, e.expert_name, e.overall) for e in entries]
    suggested = None
    if tr is not None and tr.suggested_subsidy_field is not None:
        suggested = suggested_subsidy(tr.suggested_subsidy_field, overall, item.proposal)
        over = [x.expert_name for x in suggested.suggestions if x.failed]
        if over:
            flags.append(Flag(
                "subsidy.suggested_over", None,
                f"建议财政补助额度超出政策上限（每年 500 万元、项目总投资的 30%）：{'、'.join(over)}",
                f"Suggested subsidy above the policy limits (5 M CNY a year, 30% of the investment): {', '.join(over)}",
            ))
    recommendation = None
    if tr is not None and tr.restructure_field is not None:
        field_def = next(f for f in form.overall_fields if f.id == tr.restructure_field)
        recommendation = restructure(field_def, tr.restructure_target_field, overall)
    outcome, award = outcome_award(rule, item.center_type, conclusion) if conclusion else (None, None)
    calculation = (itemwise_calculation(rule, items, n) if items is not None
                   else _calculation(rule, method, entries, dropped, final))

    return ProposalResult(
        proposal_id=item.proposal_id, center_name=item.center_name, form_id=form.id, method=method,
        experts=tuple(experts), valid_sheets=n, final_score=final,
        mean_of_all=round_half_up(mean_exact, places) if mean_exact is not None else None,
        sum_raw=sum((e.raw_total for e in entries), Decimal(0)),
        criteria=tuple(criteria), vetoes=tuple(vetoes),
        conclusion=conclusion.code if conclusion else None,
        conclusion_label=conclusion.label if conclusion else None,
        outcome=outcome, award=award,
        conflicted=conflicted, missing=missing, flags=tuple(flags),
        calculation=calculation, center_type=item.center_type, itemwise=items is not None,
        policy=policy, suggested_subsidy=suggested, restructure=recommendation,
    )


def _policy_flag(policy: PolicyResult) -> Flag:
    failed = [c for c in policy.checks if not c.passed]
    return Flag(
        "policy.failed", None,
        "不符合财政补助政策规定：" + "；".join(c.zh for c in failed) + "。" + policy.summary("zh"),
        "Breaks the subsidy policy: " + "; ".join(c.en for c in failed) + ". " + policy.summary("en"),
    )


def _percent(ratio: Decimal) -> str:
    return f"{_fmt(round_half_up(ratio * 100, 0))}%"


def _calculation(
    rule: ConsolidationRule, method: Method, entries: Sequence[ExpertEntry],
    dropped: Mapping[str, Dropped], final: Decimal | None,
) -> Text:
    n = len(entries)
    if final is None:
        return Text(zh="没有有效评分表，无法计算得分。", en="No valid sheet, so there is no score.")
    places = rule.decimals
    if method == "median":
        values = "、".join(_fmt(e.total) for e in sorted(entries, key=lambda e: (e.total, e.expert_id)))
        return Text(
            zh=f"有效评分表 {n} 份，按中位数计：总分从低到高为 {values}，中位数 {_fmt(final)}。",
            en=f"{n} valid sheets, median: totals from low to high {values.replace('、', ', ')}; median {_fmt(final)}.",
        )
    kept = [e for e in entries if e.expert_id not in dropped]
    total = sum((e.total for e in kept), Decimal(0))
    exact = total / Decimal(len(kept))
    short = round_half_up(exact, places + 2)
    division = f"{_fmt(total)} ÷ {len(kept)} = {_fmt(exact) if exact == short else _fmt(short) + '…'}"
    exact_shown = exact == final
    rounding_zh = "" if exact_shown else f"，四舍五入保留 {places} 位小数得 {_fmt(final)}"
    rounding_en = "" if exact_shown else f", rounded half up to {places} decimals: {_fmt(final)}"
    if dropped:
        high = next(e for e in entries if dropped.get(e.expert_id) == "highest")
        low = next(e for e in entries if dropped.get(e.expert_id) == "lowest")
        return Text(
            zh=f"有效评分表 {n} 份（不少于 {rule.trim_min_sheets} 份），去掉一个最高分 {_fmt(high.total)}（{high.expert_name}）"
               f"和一个最低分 {_fmt(low.total)}（{low.expert_name}），其余 {len(kept)} 份总分之和 {division}{rounding_zh}。",
            en=f"{n} valid sheets (at least {rule.trim_min_sheets}): the highest total {_fmt(high.total)} ({high.expert_name}) "
               f"and the lowest {_fmt(low.total)} ({low.expert_name}) are dropped; the other {len(kept)} totals add up to "
               f"{division}{rounding_en}.",
        )
    why_zh = f"（少于 {rule.trim_min_sheets} 份，不去最高最低分）" if rule.method == "trimmed_mean" else ""
    why_en = f" (fewer than {rule.trim_min_sheets}: nothing dropped)" if rule.method == "trimmed_mean" else ""
    return Text(
        zh=f"有效评分表 {n} 份{why_zh}，取平均：总分之和 {division}{rounding_zh}。",
        en=f"{n} valid sheets{why_en}, mean: the totals add up to {division}{rounding_en}.",
    )


