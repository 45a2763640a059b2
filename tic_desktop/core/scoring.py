"""Scoring rules: one expert's answers on one form, checked and totalled.

`evaluate(form, answers, role)` never raises on bad answers; everything wrong or missing is a
`Problem` with a stable code, the id it is about and a sentence in Chinese and English that says
exactly what to fix. An evaluation is `complete` when it has no problems.

Rules (all read from the form; nothing form-specific lives here):

- A score must be a finite multiple of `form.step` within [0, max]. A score that breaks this is
  a problem and counts as not scored (it is left out of every total and band).
- N/A is only allowed where `na_allowed`; a criterion both scored and marked N/A is a problem.
  With `fixed_na` (batches from format 1.1) the agency decided the N/A items for the center: those
  and only those are N/A, whatever `na_allowed` says, with no comment asked for them; an item the
  expert marked N/A beyond them is a problem (`na.agency_only`: the expert comments instead).
- Applicable criteria are those not marked N/A and, for a given `role`, those the role scores.
  A criterion restricted by `roles` to other roles is optional for this role: left blank it is
  treated as not applicable and the total is rescaled; scored, it counts like any other.
  With `role=None` role restrictions are ignored and every criterion is required.
- `raw_total` = sum of the valid scores of applicable criteria; `applicable_max` = sum of their
  maxima (unscored applicable criteria count with 0 points and their full max).
  `total` = raw_total / applicable_max × 100, rounded half up to 2 decimals; when nothing is N/A
  `applicable_max` is 100 and `total` equals `raw_total`.
- The band of a scored criterion is the first band whose `min_ratio` ≤ score / max.
- A comment is required when a comment rule fires: ratio ≤ `at_most`, ratio ≥ `at_least`, or
  (with `on_not_applicable`) the criterion is marked N/A.
- Every veto must be answered; 是 triggers it. A section whose every applicable criterion is
  scored and whose score is below `floor_ratio` of its applicable max triggers its `floor_veto`
  whatever the answer (then an unanswered floor veto is no problem).
- `suggested_conclusion`: the worst conclusion if any veto is triggered, else the first whose
  `min_total` ≤ total once every applicable criterion is scored, else None.
- A chosen conclusion other than the worst while a veto is triggered is a problem; so are a
  missing or unknown conclusion and missing required overall fields. A `choice` field holds one of
  its option codes; an option with `requires` makes that other field required.
- A chosen conclusion other than the one of the band the total falls in (the suggested conclusion,
  once every applicable criterion is scored and no veto is triggered) needs a reason: the reserved
  overall answer `conclusion_reason` (`CONCLUSION_REASON`, at most `REASON_MAX_LENGTH` characters),
  which is signed with the sheet and shown to the agency. Without it: `conclusion.reason_required`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.scoring_items import (
    Collector,
    Problem,
    band_code,
    check_overall,
    check_score,
    comment_required,
    criterion_name,
    form_field,
)

HUNDRED = Decimal(100)
TOTAL_DECIMALS = 2
CONCLUSION_REASON = "conclusion_reason"
"""Reserved overall answer: why the chosen conclusion differs from the band of the total."""
REASON_MAX_LENGTH = 2000


def band_disagreement(ev: Evaluation, conclusion: str | None) -> str | None:
    """The conclusion of the total's band when `conclusion` differs from it (no veto triggered,
    every applicable criterion scored), else None."""
    if ev.vetoes_triggered or ev.suggested_conclusion is None or conclusion is None:
        return None
    return ev.suggested_conclusion if conclusion != ev.suggested_conclusion else None


def round_half_up(value: Decimal, decimals: int = TOTAL_DECIMALS) -> Decimal:
    """Round to `decimals` places, halves away from zero (2.345 -> 2.35, -2.345 -> -2.35)."""
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    return value.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class FormAnswers:
    """What one expert entered on one form for one proposal."""

    scores: Mapping[str, Decimal] = field(default_factory=dict)
    """Criterion id -> points (absent = not scored yet)."""
    not_applicable: frozenset[str] = frozenset()
    """Criteria marked N/A (only where na_allowed)."""
    comments: Mapping[str, str] = field(default_factory=dict)
    vetoes: Mapping[str, bool] = field(default_factory=dict)
    """Veto id -> True (是) / False (否); absent = unanswered."""
    conclusion: str | None = None
    overall: Mapping[str, str] = field(default_factory=dict)
    """Overall field id -> text (amounts as decimal strings)."""


@dataclass(frozen=True)
class Evaluation:
    raw_total: Decimal
    applicable_max: Decimal
    total: Decimal
    """Rescaled to 100 over the applicable criteria, 2 decimals half up."""
    section_totals: dict[str, Decimal]
    """Section id -> raw points of its valid, applicable scores."""
    section_max: dict[str, Decimal]
    """Section id -> applicable max."""
    band_of: dict[str, str]
    """Criterion id -> band code, for every validly scored criterion."""
    vetoes_triggered: tuple[str, ...]
    """In form order; includes floor vetoes."""
    floor_vetoes: tuple[str, ...]
    """Vetoes triggered by a section floor."""
    suggested_conclusion: str | None
    problems: tuple[Problem, ...]
    applicable: tuple[str, ...]
    """Criteria that count for this sheet and role, in form order."""
    scored: int
    """How many applicable criteria carry a valid score (for progress: scored / len(applicable))."""

    @property
    def complete(self) -> bool:
        return not self.problems

    def problems_for(self, target: str) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.target == target)


def fmt_total(value: Decimal) -> str:
    return format(round_half_up(value), "f")


def evaluate(form: FormTemplate, answers: FormAnswers, role: str | None = None,
             fixed_na: frozenset[str] | None = None) -> Evaluation:
    """Check and total one sheet. See the module docstring for every rule."""
    out = Collector()
    if fixed_na is not None:
        for cid in sorted(answers.not_applicable - fixed_na):
            if cid in form.criterion_ids:
                c = form.criterion(cid)
                zh, en = criterion_name(c)
                out.add("na.agency_only", cid,
                        f"{zh} 是否适用由评审机构确定，专家不能标为不适用；如认为不适用，请在评语中说明",
                        f"{en}: only the agency decides what does not apply; say so in a comment instead")
        answers = FormAnswers(scores=answers.scores, not_applicable=fixed_na, comments=answers.comments,
                              vetoes=answers.vetoes, conclusion=answers.conclusion, overall=answers.overall)
    known = form.criterion_ids
    if not known.issuperset(answers.scores):
        for cid in sorted(set(answers.scores) - known):
            out.add("score.unknown_criterion", cid, f"评分表中没有第 {cid} 项", f"The form has no item {cid}")
    if not known.issuperset(answers.not_applicable):
        for cid in sorted(answers.not_applicable - known):
            out.add("na.unknown_criterion", cid, f"评分表中没有第 {cid} 项", f"The form has no item {cid}")
    memo = form.score_memo

    raw_total = Decimal(0)
    applicable_max = Decimal(0)
    section_totals: dict[str, Decimal] = {}
    section_max: dict[str, Decimal] = {}
    section_complete: dict[str, bool] = {}
    band_of: dict[str, str] = {}
    applicable: list[str] = []
    scored = 0

    for section in form.sections:
        s_total = Decimal(0)
        s_max = Decimal(0)
        s_complete = True
        for c in section.criteria:
            marked_na = c.id in answers.not_applicable
            has_score = c.id in answers.scores
            if marked_na and not c.na_allowed and fixed_na is None:
                zh, en = criterion_name(c)
                out.add(
                    "na.not_allowed", c.id, f"{zh} 不允许标为不适用", f"{en} cannot be marked not applicable"
                )
                marked_na = False
            if marked_na and has_score:
                zh, en = criterion_name(c)
                out.add(
                    "score.scored_and_na",
                    c.id,
                    f"{zh} 既有得分又标为不适用，请只选其一",
                    f"{en} is both scored and marked not applicable; choose one",
                )
            score = derived = None
            if has_score:
                value = answers.scores[c.id]
                if type(value) is Decimal and value.is_finite():
                    derived = memo.get((c.id, value))
                score = value if derived is not None else check_score(form, c, value, out)
            for_role = role is None or not c.roles or role in c.roles
            if marked_na or (not for_role and not has_score):
                label = comment_required(form, None, na=True) if marked_na and fixed_na is None else None
                if label is not None and not answers.comments.get(c.id, "").strip():
                    out.add("comment.required", c.id, f"第 {c.id} 项{label.zh}", f"Item {c.id} {label.en}")
                continue
            applicable.append(c.id)
            s_max += c.max
            if score is None:
                s_complete = False
                if not has_score:
                    zh, en = criterion_name(c)
                    out.add("score.missing", c.id, f"{zh} 未评分", f"{en} is not scored")
                continue
            scored += 1
            s_total += score
            if derived is None:
                ratio = score / c.max
                derived = memo[(c.id, score)] = (band_code(form, ratio), comment_required(form, ratio, na=False))
            band_of[c.id], label = derived
            if label is not None and not answers.comments.get(c.id, "").strip():
                out.add("comment.required", c.id, f"第 {c.id} 项{label.zh}", f"Item {c.id} {label.en}")
        section_totals[section.id] = s_total
        section_max[section.id] = s_max
        section_complete[section.id] = s_complete
        raw_total += s_total
        applicable_max += s_max

    if applicable_max > 0:
        total = round_half_up(raw_total / applicable_max * HUNDRED)
    else:
        total = round_half_up(Decimal(0))
        out.add(
            "score.nothing_applicable",
            None,
            "没有适用的评分项，无法计算总分",
            "No item applies, so there is no total",
        )

    floor_vetoes: list[str] = []
    for section in form.sections:
        if section.floor_veto is None or section.floor_ratio is None:
            continue
        s_max = section_max[section.id]
        if (
            s_max > 0
            and section_complete[section.id]
            and section_totals[section.id] < section.floor_ratio * s_max
        ):
            floor_vetoes.append(section.floor_veto)

    for vid in sorted(set(answers.vetoes) - form.veto_ids):
        out.add("veto.unknown", vid, f"评分表中没有否决项 {vid}", f"The form has no screening question {vid}")
    triggered: list[str] = []
    for veto in form.vetoes:
        answer = answers.vetoes.get(veto.id)
        if veto.id in floor_vetoes or answer is True:
            triggered.append(veto.id)
        elif answer is None:
            out.add(
                "veto.unanswered",
                veto.id,
                f"否决项“{veto.label.zh}”未回答",
                f"Screening question “{veto.label.en}” is not answered",
            )

    worst = form.worst_conclusion
    all_scored = scored == len(applicable) and applicable_max > 0
    if triggered:
        suggested: str | None = worst.code
    elif all_scored:
        suggested = next(c.code for c in form.conclusions if c.min_total <= total)
    else:
        suggested = None

    codes = form.conclusion_codes
    if answers.conclusion is None:
        out.add("conclusion.missing", None, "未选择结论", "No conclusion chosen")
    elif answers.conclusion not in codes:
        out.add(
            "conclusion.unknown",
            None,
            f"结论“{answers.conclusion}”不在本评分表的结论中",
            f"Conclusion “{answers.conclusion}” is not one of this form's conclusions",
        )
    elif triggered and answers.conclusion != worst.code:
        chosen = form.conclusion(answers.conclusion)
        names_zh = "、".join(v.label.zh for v in form.vetoes if v.id in triggered)
        names_en = "; ".join(v.label.en for v in form.vetoes if v.id in triggered)
        out.add(
            "conclusion.contradicts_veto",
            None,
            f"已触发否决项（{names_zh}），结论应为“{worst.label.zh}”，不能为“{chosen.label.zh}”",
            f"A screening question is triggered ({names_en}); the conclusion must be "
            f"“{worst.label.en}”, not “{chosen.label.en}”",
        )

    if (not triggered and suggested is not None and answers.conclusion in codes
            and answers.conclusion != suggested):
        reason = (answers.overall.get(CONCLUSION_REASON) or "").strip()
        chosen = form.conclusion(answers.conclusion)
        band = form.conclusion(suggested)
        if not reason:
            out.add(
                "conclusion.reason_required",
                CONCLUSION_REASON,
                f"总分 {fmt_total(total)} 对应“{band.label.zh}”，所选结论为“{chosen.label.zh}”：请填写理由",
                f"A total of {fmt_total(total)} falls in “{band.label.en}” but the conclusion is "
                f"“{chosen.label.en}”: give the reason",
            )
        elif len(reason) > REASON_MAX_LENGTH:
            out.add(
                "field.too_long",
                CONCLUSION_REASON,
                f"结论理由超过 {REASON_MAX_LENGTH} 字（现 {len(reason)} 字）",
                f"The reason for the conclusion is longer than {REASON_MAX_LENGTH} characters ({len(reason)})",
            )

    for f in form.overall_fields:
        check_overall(f, answers.overall.get(f.id), out)
        chosen_option = f.option((answers.overall.get(f.id) or "").strip()) if f.type == "choice" else None
        if (chosen_option is not None and chosen_option.requires
                and not (answers.overall.get(chosen_option.requires) or "").strip()):
            needed = form_field(form, chosen_option.requires)
            out.add("field.missing", needed.id, f"选择“{chosen_option.label.zh}”时需填写{needed.label.zh}",
                    f"{needed.label.en} is required with “{chosen_option.label.en}”")
    for fid in sorted(set(answers.overall) - form.field_ids - {CONCLUSION_REASON}):
        out.add("field.unknown", fid, f"评分表中没有栏目 {fid}", f"The form has no field {fid}")

    return Evaluation(
        raw_total=raw_total,
        applicable_max=applicable_max,
        total=total,
        section_totals=section_totals,
        section_max=section_max,
        band_of=band_of,
        vetoes_triggered=tuple(triggered),
        floor_vetoes=tuple(v for v in (v.id for v in form.vetoes) if v in floor_vetoes),
        suggested_conclusion=suggested,
        problems=tuple(out.items),
        applicable=tuple(applicable),
        scored=scored,
    )
