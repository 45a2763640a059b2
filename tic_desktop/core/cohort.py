"""Ranking and the 优秀 cap, per cohort: the proposals of one form and one center type.

- Ranking per cohort by final score, descending; ties broken by the sum of the valid raw totals
  (`sum_raw`, descending); still tied: the same rank, every member flagged `tie`.
- The 优秀 cap (`excellent_cap_ratio` of the center type's rule, else the form-level one): at most
  ratio × cohort size places, rounded as the rule says (`floor`, `round_half_up` — the default —
  or `ceil`), keep the best conclusion, in rank order; the rest move to the next band and are
  flagged `capped`. A tie group that would cross the cap moves down whole. When the rounding leaves
  no place at all the cohort is too small to judge alone: every member is flagged
  `excellent.cohort_small` (the agency should decide over the whole round, not this batch alone).
"""

from __future__ import annotations

from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_UP, Decimal

from tic_desktop.core.forms import Conclusion, ConsolidationRule, FormTemplate
from tic_desktop.core.results import Flag, ProposalResult
from tic_desktop.core.scoring import round_half_up
from tic_desktop.core.types import Text

ROUNDING = {"floor": ROUND_FLOOR, "round_half_up": ROUND_HALF_UP, "ceil": ROUND_CEILING}
ROUNDING_ZH = {"floor": "向下取整", "round_half_up": "四舍五入", "ceil": "向上取整"}
ROUNDING_EN = {"floor": "rounded down", "round_half_up": "rounded half up", "ceil": "rounded up"}
TYPE_ZH = {"comprehensive": "综合性技术创新中心", "professional": "专业性技术创新中心", "engineering": "工程技术研究中心"}
TYPE_EN = {"comprehensive": "comprehensive innovation centers", "professional": "professional innovation centers",
           "engineering": "engineering research centers"}


def _percent(ratio: Decimal) -> str:
    return f"{format(round_half_up(ratio * 100, 0), 'f')}%"


def outcome_award(rule: ConsolidationRule, center_type: str, conclusion: Conclusion) -> tuple[Text | None, Decimal | None]:
    """The outcome text and award of `conclusion` for the center type (its rule, else the band's)."""
    tr = rule.for_type(center_type)
    if tr is None:
        return conclusion.outcome, conclusion.award
    return tr.outcomes.get(conclusion.code, conclusion.outcome), tr.awards.get(conclusion.code)


def has_awards(form: FormTemplate, rule: ConsolidationRule | None = None) -> bool:
    """Whether any conclusion of the form carries an award, for some center type or for all."""
    rule = rule or form.consolidation
    return any(c.award is not None for c in form.conclusions) or any(t.awards for t in rule.center_types.values())


def cap_places(ratio: Decimal, cohort: int, rounding: str) -> int:
    return int((ratio * cohort).to_integral_value(rounding=ROUNDING[rounding]))


def _tie_value(r: ProposalResult, across_panels: bool) -> Decimal:
    if across_panels:
        return r.sum_raw / Decimal(max(r.valid_sheets, 1))
    return r.sum_raw


def rank_cohort(group: list[ProposalResult], form: FormTemplate, rule: ConsolidationRule, *,
                across_panels: bool = False) -> list[ProposalResult]:
    """Rank one cohort (one form, one center type) and apply its 优秀 cap; unscored last."""
    scored = sorted(
        (r for r in group if r.final_score is not None),
        key=lambda r: (-(r.final_score or Decimal(0)), -_tie_value(r, across_panels), r.proposal_id),
    )
    unscored = sorted((r for r in group if r.final_score is None), key=lambda r: r.proposal_id)
    what_zh, what_en = ("平均原始总分", "mean raw total") if across_panels else ("原始总分之和", "sum of raw totals")
    ranked: list[ProposalResult] = []
    position = 0
    while position < len(scored):
        key = (scored[position].final_score, _tie_value(scored[position], across_panels))
        tied = [r for r in scored[position:] if (r.final_score, _tie_value(r, across_panels)) == key]
        for r in tied:
            flags = r.flags
            if len(tied) > 1:
                others = "、".join(t.proposal_id for t in tied if t is not r)
                flags = (*flags, Flag(
                    "rank.tie", None,
                    f"与 {others} 得分及{what_zh}相同，并列第 {position + 1} 名",
                    f"Same score and {what_en} as {others.replace('、', ', ')}: shares rank {position + 1}",
                ))
            ranked.append(replace(r, rank=position + 1, tie=len(tied) > 1, flags=flags))
        position += len(tied)
    ranked = _cap_best(ranked, form, rule, across_panels)
    return ranked + unscored


def _cap_best(ranked: list[ProposalResult], form: FormTemplate, rule: ConsolidationRule,
              across_panels: bool = False) -> list[ProposalResult]:
    if not ranked:
        return ranked
    center_type = ranked[0].center_type
    tr = rule.for_type(center_type)
    cap = tr.excellent_cap_ratio if tr is not None else rule.excellent_cap_ratio
    rounding = tr.excellent_cap_rounding if tr is not None else rule.excellent_cap_rounding
    if cap is None:
        return ranked
    n = len(ranked)
    allowed = cap_places(cap, n, rounding)
    best, second = form.conclusions[0], form.conclusions[1]
    who_zh = TYPE_ZH.get(center_type, "被评对象")
    who_en = TYPE_EN.get(center_type, "proposals")
    how_zh, how_en = ROUNDING_ZH[rounding], ROUNDING_EN[rounding]
    small = allowed == 0  # the rounding leaves no place: say so rather than zero it silently
    where_zh, where_en = ("轮", "round") if across_panels else ("批", "batch")
    advice_zh = "不宜单独确定，请由机构决定" if across_panels else "不宜单独确定，请在同一评估轮次内统筹"
    advice_en = "the agency decides" if across_panels else "decide over the whole evaluation round"
    kept = 0
    out: list[ProposalResult] = []
    by_rank: dict[int | None, list[ProposalResult]] = {}
    for r in ranked:
        by_rank.setdefault(r.rank, []).append(r)
    for group in by_rank.values():
        best_ones = [r for r in group if r.conclusion == best.code]
        fits = kept + len(best_ones) <= allowed
        for r in group:
            flags = r.flags
            if small:
                flags = (*flags, Flag(
                    "excellent.cohort_small", None,
                    f"本{where_zh}{who_zh}共 {n} 个，“{best.label.zh}”名额按 {_percent(cap)}{how_zh}为 {allowed} 个；"
                    f"数量过少，{advice_zh}",
                    f"This {where_en} has {n} {who_en}: {_percent(cap)} {how_en} gives {allowed} “{best.label.en}” "
                    f"place(s); too few to judge alone, {advice_en}",
                ))
            if r.conclusion != best.code or fits:
                out.append(replace(r, flags=flags))
                continue
            outcome, award = outcome_award(rule, center_type, second)
            out.append(replace(
                r, conclusion=second.code, conclusion_label=second.label, outcome=outcome, award=award, capped=True,
                flags=(*flags, Flag(
                    "rank.capped", None,
                    f"{who_zh}“{best.label.zh}”名额上限为 {_percent(cap)}（{n} 个中{how_zh}为 {allowed} 个），"
                    f"按排名调整为“{second.label.zh}”",
                    f"“{best.label.en}” among {who_en} is capped at {_percent(cap)} ({allowed} of {n}, {how_en}): "
                    f"moved to “{second.label.en}” by rank",
                )),
            ))
        if fits:
            kept += len(best_ones)
    return out
