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
- Ranking per form by final score, descending; ties broken by the sum of the valid raw totals
  (`sum_raw`, descending); still tied: the same rank, every member flagged `tie`.
- `excellent_cap_ratio` (periodic assessment): at most floor(ratio × ranked proposals) may keep the
  best conclusion, in rank order; the rest move to the next band and are flagged `capped`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from tic_desktop.core.forms import Conclusion, ConsolidationRule, FormTemplate
from tic_desktop.core.scoring import CONCLUSION_REASON, round_half_up
from tic_desktop.core.types import Text

Method = Literal["trimmed_mean", "mean", "median"]
Dropped = Literal["highest", "lowest"]


# ── inputs ──────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class ExpertEntry:
    """One expert's accepted scores on one proposal and form (a `FormEntry` of a verified sheet)."""

    expert_id: str
    expert_name: str
    role: str
    total: Decimal
    """The sheet's total, rescaled to 100 over the applicable criteria."""
    raw_total: Decimal
    scores: Mapping[str, Decimal]
    """Criterion id → points, for scored criteria only."""
    not_applicable: frozenset[str] = frozenset()
    comments: Mapping[str, str] = field(default_factory=dict)
    """Criterion id → comment."""
    vetoes_triggered: tuple[str, ...] = ()
    conclusion: str | None = None
    """The conclusion code the expert chose."""
    overall: Mapping[str, str] = field(default_factory=dict)
    """Overall field id → text (主要问题, 修改建议, …)."""


@dataclass(frozen=True)
class ProposalInput:
    """Everything consolidation needs about one proposal on one form."""

    proposal_id: str
    center_name: str
    form: FormTemplate
    rule: ConsolidationRule
    entries: tuple[ExpertEntry, ...]
    conflicted: tuple[str, ...] = ()
    """Expert ids left out for a conflict of interest (declared on the sheet or known in advance)."""
    missing: tuple[str, ...] = ()
    """Assigned expert ids with no accepted sheet."""


@dataclass(frozen=True)
class VetoDecision:
    """The chair's decision on a raised veto; `reason` is required either way."""

    confirmed: bool
    reason: str
    decided_by: str = ""
    decided_at: str = ""


DecisionKey = tuple[str, str, str]
"""(proposal_id, form_id, veto_id)."""


# ── outputs ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Flag:
    """Something the chair should look at. `code` is stable; `subject` is an expert, criterion or veto id."""

    code: str
    subject: str | None
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


@dataclass(frozen=True)
class ExpertResult:
    expert_id: str
    expert_name: str
    total: Decimal
    raw_total: Decimal
    dropped: Dropped | None
    """Which extreme this total was dropped as, or None when it counts."""
    deviation: Decimal
    """total − the mean of all valid totals (unrounded sign, rounded to the rule's decimals)."""
    outlier: bool


@dataclass(frozen=True)
class CriterionResult:
    criterion_id: str
    max: Decimal
    scores: Mapping[str, Decimal]
    """Expert id → points, valid entries only."""
    mean: Decimal | None
    """Mean of the valid scores, rounded; None when nobody scored it."""
    spread: Decimal | None
    outlier: bool


@dataclass(frozen=True)
class VetoResult:
    veto_id: str
    label: Text
    raised_by: tuple[str, ...]
    """Expert ids whose entries triggered it."""
    decision: VetoDecision | None


@dataclass(frozen=True)
class ProposalResult:
    proposal_id: str
    center_name: str
    form_id: str
    method: Method
    """The method actually used (trimmed_mean falls back to mean below trim_min_sheets)."""
    experts: tuple[ExpertResult, ...]
    """Valid entries, sorted by expert id."""
    valid_sheets: int
    final_score: Decimal | None
    """None only when there is no valid entry at all."""
    mean_of_all: Decimal | None
    sum_raw: Decimal
    criteria: tuple[CriterionResult, ...]
    """In form order."""
    vetoes: tuple[VetoResult, ...]
    conclusion: str | None
    """Conclusion code, or None while a veto awaits the chair or nothing was scored."""
    conclusion_label: Text | None
    outcome: Text | None
    """后续支持 / 整改 / 撤销, or the award text, from the conclusion band."""
    award: Decimal | None
    """One-time award in CNY when the conclusion carries one (优秀 → 300000)."""
    conflicted: tuple[str, ...]
    missing: tuple[str, ...]
    flags: tuple[Flag, ...]
    calculation: Text
    """The calculation in words: which totals were dropped and why, the sum, the division."""
    rank: int | None = None
    tie: bool = False
    capped: bool = False


@dataclass(frozen=True)
class Consolidation:
    results: tuple[ProposalResult, ...]
    """Per (proposal, form): grouped by form in batch order, then by rank (unranked last)."""

    def for_form(self, form_id: str) -> tuple[ProposalResult, ...]:
        return tuple(r for r in self.results if r.form_id == form_id)

    def result(self, proposal_id: str, form_id: str) -> ProposalResult:
        for r in self.results:
            if r.proposal_id == proposal_id and r.form_id == form_id:
                return r
        raise KeyError((proposal_id, form_id))


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
) -> Consolidation:
    """Consolidate every proposal and rank them per form. See the module docstring."""
    decisions = decisions or {}
    results = [_one(item, decisions) for item in inputs]
    form_order: list[str] = []
    rules: dict[str, ProposalInput] = {}
    for item in inputs:
        if item.form.id not in rules:
            form_order.append(item.form.id)
            rules[item.form.id] = item
    ordered: list[ProposalResult] = []
    for form_id in form_order:
        group = [r for r in results if r.form_id == form_id]
        ordered += _rank(group, rules[form_id].form)
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
    if method == "trimmed_mean" and n < rule.trim_min_sheets:
        method = "mean"
    if method == "trimmed_mean":
        by_total = sorted(entries, key=lambda e: (e.total, e.expert_id))
        dropped[by_total[0].expert_id] = "lowest"
        dropped[by_total[-1].expert_id] = "highest"

    final: Decimal | None = None
    mean_exact: Decimal | None = None
    if n:
        mean_exact = _mean(totals)
        if method == "median":
            final = round_half_up(_median(totals), places)
        else:
            kept = [e.total for e in entries if e.expert_id not in dropped]
            final = round_half_up(_mean(kept), places)

    experts: list[ExpertResult] = []
    for e in entries:
        deviation = e.total - mean_exact if mean_exact is not None else Decimal(0)
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
    for c in form.criteria:
        scores = {e.expert_id: e.scores[c.id] for e in entries if c.id in e.scores}
        kept_scores = [e.scores[c.id] for e in counted if c.id in e.scores]
        spread = max(scores.values()) - min(scores.values()) if scores else None
        outlier = spread is not None and spread > rule.outlier_criterion_spread_ratio * c.max
        criteria.append(CriterionResult(
            criterion_id=c.id, max=c.max, scores=scores,
            mean=round_half_up(_mean(kept_scores), places) if kept_scores else None,
            spread=spread, outlier=outlier,
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

    return ProposalResult(
        proposal_id=item.proposal_id, center_name=item.center_name, form_id=form.id, method=method,
        experts=tuple(experts), valid_sheets=n, final_score=final,
        mean_of_all=round_half_up(mean_exact, places) if mean_exact is not None else None,
        sum_raw=sum((e.raw_total for e in entries), Decimal(0)),
        criteria=tuple(criteria), vetoes=tuple(vetoes),
        conclusion=conclusion.code if conclusion else None,
        conclusion_label=conclusion.label if conclusion else None,
        outcome=conclusion.outcome if conclusion else None,
        award=conclusion.award if conclusion else None,
        conflicted=conflicted, missing=missing, flags=tuple(flags),
        calculation=_calculation(rule, method, entries, dropped, final),
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


# ── ranking ─────────────────────────────────────────────────────────────────────────────────


def _rank(group: list[ProposalResult], form: FormTemplate) -> list[ProposalResult]:
    scored = sorted(
        (r for r in group if r.final_score is not None),
        key=lambda r: (-(r.final_score or Decimal(0)), -r.sum_raw, r.proposal_id),
    )
    unscored = sorted((r for r in group if r.final_score is None), key=lambda r: r.proposal_id)
    ranked: list[ProposalResult] = []
    position = 0
    while position < len(scored):
        key = (scored[position].final_score, scored[position].sum_raw)
        tied = [r for r in scored[position:] if (r.final_score, r.sum_raw) == key]
        for r in tied:
            flags = r.flags
            if len(tied) > 1:
                others = "、".join(t.proposal_id for t in tied if t is not r)
                flags = (*flags, Flag(
                    "rank.tie", None,
                    f"与 {others} 得分及原始总分之和相同，并列第 {position + 1} 名",
                    f"Same score and sum of raw totals as {others.replace('、', ', ')}: shares rank {position + 1}",
                ))
            ranked.append(replace(r, rank=position + 1, tie=len(tied) > 1, flags=flags))
        position += len(tied)
    ranked = _cap_best(ranked, form)
    return ranked + unscored


def _cap_best(ranked: list[ProposalResult], form: FormTemplate) -> list[ProposalResult]:
    """At most floor(cap × ranked) keep the best conclusion, in rank order; a tie group that would
    cross the cap moves down whole (the rule allows no more than the cap)."""
    cap = form.consolidation.excellent_cap_ratio if ranked else None
    if cap is None:
        return ranked
    allowed = int((cap * len(ranked)).to_integral_value(rounding="ROUND_FLOOR"))
    best, second = form.conclusions[0], form.conclusions[1]
    kept = 0
    out: list[ProposalResult] = []
    by_rank: dict[int | None, list[ProposalResult]] = {}
    for r in ranked:
        by_rank.setdefault(r.rank, []).append(r)
    for group in by_rank.values():
        best_ones = [r for r in group if r.conclusion == best.code]
        fits = kept + len(best_ones) <= allowed
        for r in group:
            if r.conclusion != best.code or fits:
                out.append(r)
            else:
                out.append(replace(
                    r, conclusion=second.code, conclusion_label=second.label, outcome=second.outcome,
                    award=second.award, capped=True,
                    flags=(*r.flags, Flag(
                        "rank.capped", None,
                        f"“{best.label.zh}”名额上限为 {_percent(cap)}（{allowed} 个），按排名调整为“{second.label.zh}”",
                        f"“{best.label.en}” is capped at {_percent(cap)} ({allowed}): moved to “{second.label.en}” by rank",
                    )),
                ))
        if fits:
            kept += len(best_ones)
    return out
