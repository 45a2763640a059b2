"""Panel effects and the per-expert normalisation of an evaluation round (pure, Decimal).

The method (`core.round_results.Normalisation`, README "The evaluation round"): per expert and form,
z = (total − m_e) ÷ s_e over the expert's valid totals in the round; total′ = M + S × z, where M and S
are the mean and the population standard deviation of every valid total of the form in the round.
An expert with a single total or no spread (s_e = 0) is shifted only: total′ = total − m_e + M.
A proposal's normalised score applies its panel's method to total′: the mean over the experts whose
raw totals count (trimmed_mean drops the same highest and lowest; role-split forms use every expert),
the median for `median`; rounded half up to the rule's decimals once.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal, localcontext

from tic_desktop.core.results import ProposalResult
from tic_desktop.core.round_results import (
    ExpertEffect,
    ExpertScale,
    FormScale,
    Normalisation,
    PanelEffect,
)
from tic_desktop.core.scoring import round_half_up

ZERO = Decimal(0)
_PLACES = 6
"""The parameters are kept to 6 decimals, and the scores are computed from exactly these recorded values
(so the round's record lets anyone recompute every normalised score)."""


def mean(values: Sequence[Decimal]) -> Decimal:
    return sum(values, ZERO) / Decimal(len(values)) if values else ZERO


def sd(values: Sequence[Decimal]) -> Decimal:
    """Population standard deviation (0 for fewer than two values)."""
    if len(values) < 2:
        return ZERO
    m = mean(values)
    with localcontext() as ctx:
        ctx.prec = 34
        return (sum(((v - m) ** 2 for v in values), ZERO) / Decimal(len(values))).sqrt()


def median(values: Sequence[Decimal]) -> Decimal:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def q(value: Decimal) -> Decimal:
    return round_half_up(value, _PLACES)


def _totals(results: Iterable[ProposalResult]) -> dict[str, list[Decimal]]:
    by_form: dict[str, list[Decimal]] = {}
    for r in results:
        by_form.setdefault(r.form_id, []).extend(e.total for e in r.experts)
    return by_form


def normalisation(results: Sequence[ProposalResult]) -> Normalisation:
    """The parameters over the round's results (every panel): M and S per form, each expert's scale."""
    forms = tuple(FormScale(form_id=f, n=len(v), mean=q(mean(v)), sd=q(sd(v))) for f, v in _totals(results).items())
    per_expert: dict[tuple[str, str], list[Decimal]] = {}
    for r in results:
        for e in r.experts:
            per_expert.setdefault((e.expert_id, r.form_id), []).append(e.total)
    experts = tuple(
        ExpertScale(expert_id=eid, form_id=fid, n=len(v), mean=q(mean(v)), sd=q(sd(v)))
        for (eid, fid), v in sorted(per_expert.items())
    )
    return Normalisation(forms=forms, experts=experts)


def normalised_total(total: Decimal, scale: ExpertScale, form: FormScale) -> Decimal:
    if scale.sd == 0:
        return total - scale.mean + form.mean
    return form.mean + form.sd * (total - scale.mean) / scale.sd


def normalised_score(r: ProposalResult, norm: Normalisation, decimals: int) -> Decimal | None:
    """The proposal's score from its experts' normalised totals (None when it has no valid total)."""
    if r.final_score is None or not r.experts:
        return None
    form = next(f for f in norm.forms if f.form_id == r.form_id)
    scales = {s.expert_id: s for s in norm.experts if s.form_id == r.form_id}
    if r.method == "median":
        return round_half_up(median([normalised_total(e.total, scales[e.expert_id], form) for e in r.experts]),
                             decimals)
    counted = [e for e in r.experts if r.itemwise or e.dropped is None]
    return round_half_up(mean([normalised_total(e.total, scales[e.expert_id], form) for e in counted]), decimals)


def panel_effects(batch_id: str, results: Sequence[ProposalResult], norm: Normalisation) -> tuple[PanelEffect, ...]:
    """Per form of the panel: the spread of its totals, and each expert's mean against the panel's."""
    out = []
    round_means = {f.form_id: f.mean for f in norm.forms}
    for form_id, totals in _totals(results).items():
        if not totals:
            continue
        form_results = [r for r in results if r.form_id == form_id]
        experts: dict[str, tuple[str, list[Decimal], list[Decimal]]] = {}
        for r in form_results:
            for e in r.experts:
                name, own, panel = experts.setdefault(e.expert_id, (e.expert_name, [], []))
                own.append(e.total)
                panel.append(r.final_score if r.final_score is not None else e.total)
        out.append(PanelEffect(
            batch_id=batch_id, form_id=form_id, n=len(totals), mean=q(mean(totals)), sd=q(sd(totals)),
            minimum=min(totals), maximum=max(totals), round_mean=round_means.get(form_id, ZERO),
            experts=tuple(
                ExpertEffect(expert_id=eid, expert_name=name, n=len(own), mean=q(mean(own)), panel_mean=q(mean(panel)),
                             difference=q(mean(own) - mean(panel)))
                for eid, (name, own, panel) in sorted(experts.items())
            ),
        ))
    return tuple(out)
