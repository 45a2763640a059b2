"""The cohort rules of an evaluation round (评审轮次): every panel's results ranked and capped together.

Pure, Decimal, no I/O. `compute_round(info, panels, …) -> RoundResults` (`core.round_results`):

- The panels' batches must carry the same rules: per form, the same form (content hash) and the same
  consolidation rule (the batch's, else the form's) — else `round.rules_differ`, naming the form and
  batches; nothing is computed. A proposal id in two panels is refused (`round.duplicate_proposal`).
- Each panel is consolidated on its own (`core.consolidation.consolidate`): its `panel_rank`.
- The round: every panel's inputs consolidated together with `across_panels=True` — the same final
  scores, one ranking per form and center type over all panels, the 优秀 share and the awards
  (`core.cohort`, the batches' rule) applied over that cohort; ties across panels broken by the mean
  raw total, still tied = the same rank, flagged `rank.tie`.
- Normalisation (`core.normalise`) beside it: normalised score, its rank and conclusion (the band of
  the normalised score — a confirmed veto keeps the worst conclusion, a pending one none — then the
  same 优秀 share over the cohort); a center whose conclusion differs is flagged
  `normalised.conclusion_differs`.
- The official rank, conclusion and award are the raw ones unless `official.basis == "normalised"`.
- Previous round: matched by center name (NFKC, case folded), the same form first; a center that was
  told to rectify (整改) is flagged `previous.rectify`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

from tic_desktop.core.cohort import outcome_award, rank_cohort
from tic_desktop.core.consolidation import consolidate
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.names import name_key
from tic_desktop.core.normalise import normalisation, normalised_score, panel_effects
from tic_desktop.core.results import (
    Consolidation,
    DecisionKey,
    Flag,
    ProposalInput,
    ProposalResult,
    VetoDecision,
)
from tic_desktop.core.round_results import (
    FLAG_NORMALISED_DIFFERS,
    FLAG_OFFICIAL_NORMALISED,
    FLAG_RECTIFY,
    TARGETS_ITEMS,
    FinalDecision,
    Objection,
    OfficialChoice,
    PreviousResult,
    RoundInfo,
    RoundResults,
    RoundRow,
)

RULES_DIFFER = register(
    "round.rules_differ",
    "本轮各批次的评分表或汇总规则不一致（如“优秀”比例、汇总方法不同），不能合并排名。请用同一套规则生成各组批次。",
    "The batches of this round carry different forms or consolidation rules (the 优秀 share or the method, "
    "for example), so they cannot be ranked together. Build every panel's batch with the same rules.",
)
DUPLICATE_PROPOSAL = register(
    "round.duplicate_proposal",
    "同一项目编号出现在本轮的两个批次中：每个中心在一轮评估中只能由一个专家组评审。",
    "The same proposal id is in two batches of this round: each center is assessed by one panel per round.",
)
ROUND_EMPTY = register("round.empty", "本轮还没有批次。请先添加各专家组的批次。",
                       "The round has no batch yet. Add the panels' batches first.")


@dataclass(frozen=True)
class PanelInput:
    """One panel (batch) of the round: what its consolidation takes."""

    batch_id: str
    inputs: tuple[ProposalInput, ...]
    decisions: Mapping[DecisionKey, VetoDecision] = field(default_factory=dict)


def check_panels(panels: Sequence[PanelInput]) -> None:
    """Refuse a round without panels, with different rules, or with a proposal in two panels."""
    if not panels:
        raise Rejected(ROUND_EMPTY)
    seen_rule: dict[str, tuple[str, str, object]] = {}
    seen_pid: dict[str, str] = {}
    for panel in panels:
        for item in panel.inputs:
            first = seen_rule.setdefault(item.form.id, (panel.batch_id, item.form.content_hash, item.rule))
            if (first[1], first[2]) != (item.form.content_hash, item.rule):
                raise Rejected(RULES_DIFFER, f"{item.form.id}: {first[0]} ≠ {panel.batch_id}")
            other = seen_pid.setdefault(item.proposal_id, panel.batch_id)
            if other != panel.batch_id:
                raise Rejected(DUPLICATE_PROPOSAL, f"{item.proposal_id}: {other}, {panel.batch_id}")


def is_rectify(form: FormTemplate | None, center_type: str, conclusion: str | None, outcome: str = "") -> bool:
    """Whether a result told the center to rectify (整改): its outcome text says so, or the form's
    outcome of that conclusion for the center type does."""
    if "整改" in outcome or "rectif" in outcome.lower():
        return True
    if form is None or conclusion is None or conclusion not in {c.code for c in form.conclusions}:
        return False
    text, _ = outcome_award(form.consolidation, center_type, form.conclusion(conclusion))
    return text is not None and "整改" in text.zh


def match_previous(previous: Sequence[PreviousResult]) -> Mapping[tuple[str, str], PreviousResult]:
    """(name key, form id) → the previous result; (name key, "") → any form of that center."""
    out: dict[tuple[str, str], PreviousResult] = {}
    for p in previous:
        out.setdefault((name_key(p.center_name), p.form_id), p)
        out.setdefault((name_key(p.center_name), ""), p)
    return out


def compute_round(
    info: RoundInfo,
    panels: Sequence[PanelInput],
    *,
    official: OfficialChoice | None = None,
    previous: Sequence[PreviousResult] = (),
    decisions: Sequence[FinalDecision] = (),
    objections: Sequence[Objection] = (),
) -> RoundResults:
    check_panels(panels)
    official = official or OfficialChoice()
    own: dict[str, Consolidation] = {p.batch_id: consolidate(p.inputs, p.decisions) for p in panels}
    batch_of = {item.proposal_id: p.batch_id for p in panels for item in p.inputs}
    inputs = [item for p in panels for item in p.inputs]
    every_decision = {k: v for p in panels for k, v in p.decisions.items()}
    raw = consolidate(inputs, every_decision, across_panels=True)
    forms = {item.form.id: item.form for item in inputs}
    rules = {item.form.id: item.rule for item in inputs}
    lead = {item.proposal_id: (item.proposal.lead_unit if item.proposal is not None else "") for item in inputs}
    norm = normalisation(raw.results)

    normed: dict[tuple[str, str], ProposalResult] = {}
    for form_id, center_type in dict.fromkeys((r.form_id, r.center_type) for r in raw.results):
        form, rule = forms[form_id], rules[form_id]
        group = []
        for r in raw.results:
            if (r.form_id, r.center_type) == (form_id, center_type):
                score = normalised_score(r, norm, rule.decimals)
                base = replace(r, final_score=score, rank=None, tie=False, capped=False, flags=())
                if score is not None and r.conclusion is not None and not any(
                        v.decision is not None and v.decision.confirmed for v in r.vetoes):
                    band = next(c for c in form.conclusions if c.min_total <= score)
                    outcome, award = outcome_award(rule, center_type, band)
                    base = replace(base, conclusion=band.code, conclusion_label=band.label, outcome=outcome,
                                   award=award)
                group.append(base)
        for r in rank_cohort(group, form, rule, across_panels=True):
            normed[(r.proposal_id, r.form_id)] = r

    prev = match_previous(previous)
    decided = {(d.batch_id, d.proposal_id): d for d in decisions}
    rows: list[RoundRow] = []
    for r in raw.results:
        n = normed[(r.proposal_id, r.form_id)]
        batch_id = batch_of[r.proposal_id]
        panel_rank = own[batch_id].result(r.proposal_id, r.form_id).rank
        chosen = n if official.basis == "normalised" else r
        flags = list(chosen.flags)
        if official.basis == "normalised":
            flags.append(Flag(FLAG_OFFICIAL_NORMALISED, None, f"按机构决定采用标准化排名：{official.reason}",
                              f"The agency chose the normalised ranking: {official.reason}"))
        if n.conclusion != r.conclusion:
            form = forms[r.form_id]
            flags.append(Flag(
                FLAG_NORMALISED_DIFFERS, None,
                f"标准化后结论为“{_label(form, n.conclusion, 'zh')}”（原始结论“{_label(form, r.conclusion, 'zh')}”）",
                f"Normalised, the conclusion is “{_label(form, n.conclusion, 'en')}” "
                f"(raw: “{_label(form, r.conclusion, 'en')}”)",
            ))
        p = prev.get((name_key(r.center_name), r.form_id)) or prev.get((name_key(r.center_name), ""))
        if p is not None and p.rectify:
            flags.append(Flag(FLAG_RECTIFY, None,
                              f"上一轮评估结果为整改（{p.conclusion_label or p.conclusion or ''}），本轮为复评",
                              f"Told to rectify last round ({p.conclusion or ''}): this is the re-assessment"))
        rows.append(RoundRow(
            batch_id=batch_id, proposal_id=r.proposal_id, center_name=r.center_name, lead_unit=lead[r.proposal_id],
            center_type=r.center_type, form_id=r.form_id, final_score=r.final_score, panel_rank=panel_rank,
            round_rank=chosen.rank, conclusion=chosen.conclusion, conclusion_label=chosen.conclusion_label,
            outcome=chosen.outcome, award=chosen.award, normalised_score=n.final_score, normalised_rank=n.rank,
            flags=tuple(flags), raw_rank=r.rank, raw_conclusion=r.conclusion, normalised_conclusion=n.conclusion,
            tie=chosen.tie, capped=chosen.capped, previous=p, targets_item=TARGETS_ITEMS.get(r.form_id),
            decision=decided.get((batch_id, r.proposal_id)),
            objections=tuple(o for o in objections if (o.batch_id, o.proposal_id) == (batch_id, r.proposal_id)),
        ))
    rows = _ordered(rows)
    effects = tuple(e for p in panels for e in panel_effects(
        p.batch_id, [r for r in raw.results if batch_of[r.proposal_id] == p.batch_id], norm))
    return RoundResults(info=replace(info, batch_ids=tuple(p.batch_id for p in panels)), rows=tuple(rows),
                        panels=effects, normalisation=norm, official=official, decisions=tuple(decisions),
                        objections=tuple(objections), previous=tuple(previous))


def _label(form: FormTemplate, code: str | None, lang: str) -> str:
    if code is None:
        return "待定" if lang == "zh" else "pending"
    return form.conclusion(code).label.get(lang)


def _ordered(rows: list[RoundRow]) -> list[RoundRow]:
    forms = list(dict.fromkeys(r.form_id for r in rows))
    types = list(dict.fromkeys(r.center_type for r in rows))
    return sorted(rows, key=lambda r: (forms.index(r.form_id), types.index(r.center_type), r.round_rank is None,
                                       r.round_rank or 0, r.batch_id, r.proposal_id))
