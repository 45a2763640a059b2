"""Form templates: the scoring forms as data (resources/forms/*.json).

A form is a tree of sections and scored criteria with max points, level descriptors (A/B/C/D
bands as shares of the max), comment rules, veto checks, conclusion bands and the default
consolidation rule. Nothing form-specific lives in code: the UI renders whatever form it is
given and the rules in `core.scoring` read only these fields.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Annotated, Literal

import rfc8785
from pydantic import Field, model_validator

from tic_desktop.core.types import Dec, Ident, Strict, Text

Kind = Literal["feasibility_review", "term_end_evaluation", "periodic_assessment"]
Role = Literal["technical", "finance", "management"]
KINDS: tuple[str, ...] = ("feasibility_review", "term_end_evaluation", "periodic_assessment")
ROLES: tuple[str, ...] = ("technical", "finance", "management")

FORM_FORMAT = "tic-form"
FORM_FORMAT_VERSION = "1.0"


class Band(Strict):
    """A level band (A/B/C/D): a criterion scored at >= min_ratio of its max falls in it."""

    code: Annotated[str, Field(pattern=r"^[A-Z]$")]
    min_ratio: Dec
    label: Text


class Criterion(Strict):
    """A scored leaf: points from 0 to `max` in the form's step."""

    id: Ident
    label: Text
    guidance: Text | None = None
    max: Dec
    levels: dict[str, Text] = Field(default_factory=dict)
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


class VetoCheck(Strict):
    """A yes/no screening question (筛选性指标); 是 means the proposal fails whatever its score."""

    id: Ident
    label: Text
    note: Text | None = None


class CommentRule(Strict):
    """When a criterion's score ratio is at or below `at_most` or at or above `at_least`, a comment is required."""

    at_most: Dec | None = None
    at_least: Dec | None = None
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


class OverallField(Strict):
    """A free-text or amount field of the whole sheet (主要问题, 修改建议, 建议财政补助额度)."""

    id: Ident
    label: Text
    type: Literal["text", "amount"] = "text"
    required: bool = True
    max_length: Annotated[int, Field(ge=1, le=20000)] = 5000


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
    """Optional cap on the share of the best band (e.g. 优秀 ≤ 20%), ranked by final score."""


class FormTemplate(Strict):
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
        if self.step <= 0:
            raise ValueError("step must be positive")
        ids: set[str] = set()
        veto_ids = {v.id for v in self.vetoes}
        for section in self.sections:
            if section.floor_veto is not None and section.floor_veto not in veto_ids:
                raise ValueError(f"section {section.id}: floor_veto {section.floor_veto} is not a veto")
            for c in section.criteria:
                if c.id in ids:
                    raise ValueError(f"duplicate criterion id {c.id}")
                ids.add(c.id)
                if c.max <= 0 or (c.max / self.step) != (c.max / self.step).to_integral_value():
                    raise ValueError(f"criterion {c.id}: max {c.max} is not a positive multiple of step")
                unknown = set(c.levels) - {b.code for b in self.bands}
                if unknown:
                    raise ValueError(f"criterion {c.id}: level codes {sorted(unknown)} are not bands")
        if self.max_total != Decimal(100):
            raise ValueError(f"criteria must add up to 100, not {self.max_total}")
        ratios = [b.min_ratio for b in self.bands]
        if ratios != sorted(ratios, reverse=True) or ratios[-1] != 0:
            raise ValueError("bands must be ordered best first and the last must start at 0")
        totals = [c.min_total for c in self.conclusions]
        if totals != sorted(totals, reverse=True) or totals[-1] != 0:
            raise ValueError("conclusions must be ordered best first and the last must start at 0")
        return self

    @property
    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for s in self.sections for c in s.criteria)

    @property
    def max_total(self) -> Decimal:
        return sum((c.max for c in self.criteria), Decimal(0))

    def criterion(self, criterion_id: str) -> Criterion:
        for c in self.criteria:
            if c.id == criterion_id:
                return c
        raise KeyError(criterion_id)

    def canonical_bytes(self) -> bytes:
        return rfc8785.dumps(self.model_dump(mode="json", exclude_none=True))

    @property
    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON: what sheets and manifests pin."""
        return hashlib.sha256(self.canonical_bytes()).hexdigest()
