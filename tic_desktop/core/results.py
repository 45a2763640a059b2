"""The values of consolidation: what goes in (`ProposalInput`) and what comes out (`ProposalResult`).

See `core.consolidation` for the rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from tic_desktop.core.forms import ConsolidationRule, FormTemplate
from tic_desktop.core.proposal import Proposal
from tic_desktop.core.restructure import Restructure
from tic_desktop.core.subsidy import PolicyResult, SuggestedSubsidy
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
    center_type: str = ""
    """comprehensive / professional / engineering: picks the rule's `center_types` entry and the cohort."""
    proposal: Proposal | None = None
    """The proposal (budget for the policy checks); None leaves the policy checks out."""


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
    dropped: Mapping[str, Dropped] = field(default_factory=dict)
    """Item-by-item consolidation only: expert id → the extreme dropped on this item."""


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
    """Rank within the cohort: the same form and center type."""
    tie: bool = False
    capped: bool = False
    center_type: str = ""
    itemwise: bool = False
    """True for role-split forms: each item's mean over the experts who scored it, then the sum."""
    policy: PolicyResult = PolicyResult(applies=False)
    suggested_subsidy: SuggestedSubsidy | None = None
    restructure: Restructure | None = None


@dataclass(frozen=True)
class Consolidation:
    results: tuple[ProposalResult, ...]
    """Per (proposal, form): grouped by form in batch order, then by center type (in the order they
    first appear), then by rank (unranked last)."""

    def for_form(self, form_id: str) -> tuple[ProposalResult, ...]:
        return tuple(r for r in self.results if r.form_id == form_id)

    def result(self, proposal_id: str, form_id: str) -> ProposalResult:
        for r in self.results:
            if r.proposal_id == proposal_id and r.form_id == form_id:
                return r
        raise KeyError((proposal_id, form_id))


