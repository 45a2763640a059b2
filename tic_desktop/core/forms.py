"""Form templates: the scoring forms as data (resources/forms/*.json).

A form is a tree of sections and scored criteria with max points, level descriptors (A/B/C/D
bands as shares of the max), comment rules, veto checks, conclusion bands and the default
consolidation rule. Nothing form-specific lives in code: the UI renders whatever form it is
given and the rules in `core.scoring` read only these fields.
"""

from __future__ import annotations

import functools
import hashlib
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from tic_desktop.core import canonical
from tic_desktop.core.proposal import CenterType
from tic_desktop.core.types import Dec, Ident, Strict, Text

Kind = Literal["feasibility_review", "term_end_evaluation", "periodic_assessment"]
Role = Literal["technical", "finance", "management"]
KINDS: tuple[str, ...] = ("feasibility_review", "term_end_evaluation", "periodic_assessment")
ROLES: tuple[str, ...] = ("technical", "finance", "management")

FORM_FORMAT = "tic-form"
FORM_FORMAT_VERSION = "1.0"


BandCode = Annotated[str, Field(pattern=r"^[A-Z]$")]


class Band(Strict):
    """A level band (A/B/C/D): a criterion scored at >= min_ratio of its max falls in it."""

    code: BandCode
    min_ratio: Dec
    label: Text


class Criterion(Strict):
    """A scored leaf: points from 0 to `max` in the form's step."""

    id: Ident
    label: Text
    guidance: Text | None = None
    max: Dec
    levels: dict[BandCode, Text] = Field(
        default_factory=dict, json_schema_extra={"additionalProperties": False}
    )
    """Descriptor per band code, e.g. {"A": {...}, "B": {...}}."""
    na_allowed: bool = False
    roles: tuple[Role, ...] = ()
    """Roles that score this criterion; empty means every role."""


class Section(Strict):
    """A first-level indicator (一级指标) grouping criteria; its max is the sum of theirs."""

    id: Ident
    label: Text
    criteria: Annotated[tuple[Criterion, ...], Field(min_length=1)]
    floor_ratio: Dec | None = None
    """If the section's score is below floor_ratio of its max, `floor_veto` counts as answered 是."""
    floor_veto: Ident | None = None

    @property
    def max(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))


class VetoCheck(Strict):
    """A yes/no screening question (筛选性指标); 是 means the proposal fails whatever its score."""

    id: Ident
    label: Text
    note: Text | None = None


class CommentRule(Strict):
    """When a comment is required on a criterion.

    The rule fires when the criterion's score ratio (score / max) is at or below `at_most`, or at
    or above `at_least`, or (with `on_not_applicable`) when the criterion is marked N/A. `label`
    completes the sentence shown to the expert after the item number, e.g.
    "得分为满分，需填写评语" → "第 3.1 项得分为满分，需填写评语".
    """

    at_most: Dec | None = None
    at_least: Dec | None = None
    on_not_applicable: bool = False
    label: Text


class Conclusion(Strict):
    """A conclusion band: a total of at least `min_total` (and no veto) reaches it. Ordered best first."""

    code: Ident
    label: Text
    min_total: Dec
    outcome: Text | None = None
    """What follows, e.g. 后续支持 / 整改 / 撤销; or the award for 优秀."""
    award: Dec | None = None
    """One-time award in CNY for this band (periodic assessment: 优秀 → 300000)."""


class ChoiceOption(Strict):
    """One answer of a `choice` field, e.g. 撤并转: keep / convert / merge / revoke."""

    code: Ident
    label: Text
    requires: Ident | None = None
    """Another overall field that must be filled when this option is chosen (合并 → the center's name)."""


class OverallField(Strict):
    """A free-text, amount or choice field of the whole sheet (主要问题, 修改建议, 建议财政补助额度, 撤并转建议)."""

    id: Ident
    label: Text
    type: Literal["text", "amount", "choice"] = "text"
    required: bool = True
    max_length: Annotated[int, Field(ge=1, le=20000)] = 5000
    options: tuple[ChoiceOption, ...] = ()
    """The answers of a `choice` field (the sheet stores the option's code)."""
    center_types: tuple[CenterType, ...] = ()
    """The center types the field is asked for; empty means every type."""

    def option(self, code: str) -> ChoiceOption | None:
        return next((o for o in self.options if o.code == code), None)

    def display(self, value: str, lang: str = "zh") -> str:
        """The value as a person reads it: a choice's label instead of its code."""
        chosen = self.option(value.strip()) if self.type == "choice" else None
        return chosen.label.get(lang) if chosen is not None else value


CapRounding = Literal["floor", "round_half_up", "ceil"]


class CenterTypeRule(Strict):
    """How the results of one center type are decided on a form (the plan's rules as data).

    Outcomes and awards replace the conclusion band's `outcome` / `award` for this type (a band
    not listed keeps its outcome and gets no award); the 优秀 cap counts only this type's proposals
    (its cohort) and is ranked within it.
    """

    outcomes: dict[Ident, Text] = Field(default_factory=dict, json_schema_extra={"additionalProperties": False})
    """Conclusion code → what follows for this center type."""
    awards: dict[Ident, Dec] = Field(default_factory=dict, json_schema_extra={"additionalProperties": False})
    """Conclusion code → one-time award in CNY (professional centers: 优秀 → 300000)."""
    excellent_cap_ratio: Dec | None = None
    """At most this share of the cohort keeps the best conclusion (None: no cap)."""
    excellent_cap_rounding: CapRounding = "round_half_up"
    """How ratio × cohort size becomes a number of places."""
    subsidy_policy: bool = False
    """The plan's city-subsidy limits (30% / 5 M CNY a year / 3 consecutive years) apply to the budget."""
    suggested_subsidy_field: Ident | None = None
    """An `amount` overall field with the expert's suggested city subsidy in 10,000 CNY a year."""
    restructure_field: Ident | None = None
    """A `choice` overall field with the expert's 撤并转 recommendation, counted across the panel."""
    restructure_target_field: Ident | None = None
    """The text field naming the center to merge into."""


class ConsolidationRule(Strict):
    method: Literal["trimmed_mean", "mean", "median"] = "trimmed_mean"
    trim_min_sheets: Annotated[int, Field(ge=3, le=100)] = 5
    """trimmed_mean drops one highest and one lowest total only with at least this many valid sheets."""
    min_valid_sheets: Annotated[int, Field(ge=1, le=100)] = 5
    decimals: Annotated[int, Field(ge=0, le=4)] = 2
    outlier_total_points: Dec = Decimal("15")
    outlier_criterion_spread_ratio: Dec = Decimal("0.5")
    tie_break: Literal["sum_raw"] = "sum_raw"
    excellent_cap_ratio: Dec | None = None
    """Optional cap on the share of the best band (e.g. 优秀 ≤ 20%), ranked by final score; for the
    center types without an entry in `center_types`."""
    excellent_cap_rounding: CapRounding = "round_half_up"
    center_types: dict[CenterType, CenterTypeRule] = Field(default_factory=dict)
    """Per center type: outcomes, awards, the 优秀 cap over the type's cohort, the policy checks."""

    def for_type(self, center_type: str) -> CenterTypeRule | None:
        return self.center_types.get(center_type)  # type: ignore[call-overload]


class FormTemplate(Strict):
    """A TIC Desktop scoring form (tic-form 1.0).

    Beyond this schema a form must satisfy, checked when it is loaded: criterion max points are
    positive multiples of `step` and add up to 100; ids are unique; level codes name bands; bands
    and conclusions are ordered best first with strictly falling thresholds and the last at 0;
    a section's floor_veto names one of the form's vetoes.
    """

    format: Literal["tic-form"]
    format_version: Literal["1.0"]
    id: Ident
    version: Annotated[str, Field(pattern=r"^[0-9]+\.[0-9]+$")]
    kind: Kind
    title: Text
    description: Text | None = None
    step: Dec
    bands: Annotated[tuple[Band, ...], Field(min_length=2)]
    sections: Annotated[tuple[Section, ...], Field(min_length=1)]
    vetoes: tuple[VetoCheck, ...] = ()
    comment_rules: tuple[CommentRule, ...] = ()
    conclusions: Annotated[tuple[Conclusion, ...], Field(min_length=2)]
    overall_fields: tuple[OverallField, ...] = ()
    consolidation: ConsolidationRule = ConsolidationRule()

    @model_validator(mode="after")
    def _arithmetic(self) -> FormTemplate:
        """Rules JSON Schema cannot express; each message names the JSON path it is about."""
        if self.step <= 0:
            raise ValueError(f"$.step: step must be positive, not {self.step}")
        band_codes = [b.code for b in self.bands]
        _unique(band_codes, "$.bands", "band code")
        for i, band in enumerate(self.bands):
            if not Decimal(0) <= band.min_ratio <= Decimal(1):
                raise ValueError(f"$.bands[{i}].min_ratio: {band.min_ratio} is not between 0 and 1")
        ratios = [b.min_ratio for b in self.bands]
        if any(a <= b for a, b in zip(ratios, ratios[1:], strict=False)) or ratios[-1] != 0:
            raise ValueError(
                "$.bands: bands must be ordered best first (min_ratio falling) and the last must start at 0"
            )
        veto_ids = [v.id for v in self.vetoes]
        _unique(veto_ids, "$.vetoes", "veto id")
        _unique([s.id for s in self.sections], "$.sections", "section id")
        ids: set[str] = set()
        for si, section in enumerate(self.sections):
            where = f"$.sections[{si}]"
            if (section.floor_ratio is None) != (section.floor_veto is None):
                raise ValueError(f"{where}: floor_ratio and floor_veto go together")
            if section.floor_veto is not None and section.floor_veto not in veto_ids:
                raise ValueError(f"{where}.floor_veto: {section.floor_veto} is not a veto of this form")
            if section.floor_ratio is not None and not Decimal(0) < section.floor_ratio <= Decimal(1):
                raise ValueError(f"{where}.floor_ratio: {section.floor_ratio} is not in (0, 1]")
            for ci, c in enumerate(section.criteria):
                cwhere = f"{where}.criteria[{ci}]"
                if c.id in ids:
                    raise ValueError(f"{cwhere}.id: duplicate criterion id {c.id}")
                ids.add(c.id)
                if c.max <= 0 or (c.max / self.step) != (c.max / self.step).to_integral_value():
                    raise ValueError(f"{cwhere}.max: {c.max} is not a positive multiple of step {self.step}")
                unknown = set(c.levels) - set(band_codes)
                if unknown:
                    raise ValueError(f"{cwhere}.levels: level codes {sorted(unknown)} are not bands")
                _unique(list(c.roles), f"{cwhere}.roles", "role")
        if self.max_total != Decimal(100):
            raise ValueError(f"$.sections: criteria must add up to 100, not {self.max_total}")
        for ri, rule in enumerate(self.comment_rules):
            if rule.at_most is None and rule.at_least is None and not rule.on_not_applicable:
                raise ValueError(
                    f"$.comment_rules[{ri}]: a rule needs at_most, at_least or on_not_applicable"
                )
        _unique([c.code for c in self.conclusions], "$.conclusions", "conclusion code")
        totals = [c.min_total for c in self.conclusions]
        if (
            any(a <= b for a, b in zip(totals, totals[1:], strict=False))
            or totals[-1] != 0
            or totals[0] > 100
        ):
            raise ValueError(
                "$.conclusions: conclusions must be ordered best first (min_total falling, at most 100) "
                "and the last must start at 0"
            )
        for ci, conclusion in enumerate(self.conclusions):
            if conclusion.award is not None and conclusion.award < 0:
                raise ValueError(f"$.conclusions[{ci}].award: {conclusion.award} is negative")
        _unique([f.id for f in self.overall_fields], "$.overall_fields", "field id")
        fields = {f.id: f for f in self.overall_fields}
        for fi, f in enumerate(self.overall_fields):
            if (f.type == "choice") != bool(f.options):
                raise ValueError(f"$.overall_fields[{fi}].options: a choice field needs options, other fields none")
            _unique([o.code for o in f.options], f"$.overall_fields[{fi}].options", "option code")
            for oi, o in enumerate(f.options):
                if o.requires is not None and (o.requires not in fields or o.requires == f.id):
                    raise ValueError(f"$.overall_fields[{fi}].options[{oi}].requires: {o.requires} is not another field")
        _check_rule(self, fields)
        return self

    @property
    def worst_conclusion(self) -> Conclusion:
        """The conclusion a triggered veto leads to (the last, lowest band)."""
        return self.conclusions[-1]

    def conclusion(self, code: str) -> Conclusion:
        for c in self.conclusions:
            if c.code == code:
                return c
        raise KeyError(code)

    @functools.cached_property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria)

    @functools.cached_property
    def criterion_ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.criteria)

    @functools.cached_property
    def veto_ids(self) -> frozenset[str]:
        return frozenset(v.id for v in self.vetoes)

    @functools.cached_property
    def conclusion_codes(self) -> frozenset[str]:
        return frozenset(c.code for c in self.conclusions)

    @functools.cached_property
    def field_ids(self) -> frozenset[str]:
        return frozenset(f.id for f in self.overall_fields)

    @functools.cached_property
    def score_memo(self) -> dict[tuple[str, Decimal], tuple[str, Text | None]]:
        """(criterion id, valid score) → (its band, the comment rule it triggers): what `core.scoring`
        derives from a valid score, kept per form (scores sit on a step grid, so this stays small:
        re-evaluating every sheet of an import, or the form at each keystroke, repeats the same)."""
        return {}

    @property
    def max_total(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def section_of(self, criterion_id: str) -> Section:
        for s in self.sections:
            if any(c.id == criterion_id for c in s.criteria):
                return s
        raise KeyError(criterion_id)

    def canonical_bytes(self) -> bytes:
        return canonical.dumps(self.model_dump(mode="json", exclude_none=True))

    @functools.cached_property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: what sheets and manifests pin (cached: the model is frozen,
        and a sheet import checks it once per sheet)."""
        return hashlib.sha256(self.canonical_bytes()).hexdigest()


def _check_rule(form: FormTemplate, fields: dict[str, OverallField]) -> None:
    rule = form.consolidation
    codes = {c.code for c in form.conclusions}
    caps = [("$.consolidation.excellent_cap_ratio", rule.excellent_cap_ratio)]
    for kind, tr in rule.center_types.items():
        where = f"$.consolidation.center_types.{kind}"
        caps.append((f"{where}.excellent_cap_ratio", tr.excellent_cap_ratio))
        for name, keys in (("outcomes", tr.outcomes), ("awards", tr.awards)):
            unknown = sorted(set(keys) - codes)
            if unknown:
                raise ValueError(f"{where}.{name}: {unknown} are not conclusion codes of this form")
        for code, award in tr.awards.items():
            if award < 0:
                raise ValueError(f"{where}.awards.{code}: {award} is negative")
        wanted = (("suggested_subsidy_field", tr.suggested_subsidy_field, "amount"),
                  ("restructure_field", tr.restructure_field, "choice"),
                  ("restructure_target_field", tr.restructure_target_field, "text"))
        for name, field_id, kind_needed in wanted:
            if field_id is not None and (field_id not in fields or fields[field_id].type != kind_needed):
                raise ValueError(f"{where}.{name}: {field_id} is not a {kind_needed} field of this form")
    for where, cap in caps:
        if cap is not None and not Decimal(0) < cap <= Decimal(1):
            raise ValueError(f"{where}: {cap} is not in (0, 1]")


def _unique(values: list[str], where: str, what: str) -> None:
    seen: set[str] = set()
    for i, value in enumerate(values):
        if value in seen:
            raise ValueError(f"{where}[{i}]: duplicate {what} {value}")
        seen.add(value)
