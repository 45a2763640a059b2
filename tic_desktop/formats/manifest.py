"""The batch manifest (`manifest.json` of a .ticbatch): what the agency signs."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from tic_desktop.core.forms import ConsolidationRule, Kind, Role
from tic_desktop.core.pledge import PLEDGE
from tic_desktop.core.types import Ident, Sha256Hex, Strict, Text

BATCH_FORMAT = "tic-batch"
BATCH_FORMAT_VERSION = "1.1"
"""1.1: `pledge` (the batch's own 承诺书), and in proposal.json `not_applicable` and `integrity`.
A 1.0 batch is still read (default pledge; experts may mark N/A where the form allows it)."""
BATCH_NAMESPACE = "tic-batch-v1"

MemberPath = Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}(/[A-Za-z0-9][A-Za-z0-9._-]{0,63}){0,2}$")]


class Agency(Strict):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    signing_key_fingerprint: Annotated[str, Field(pattern=r"^SHA256:[A-Za-z0-9+/]{43}$")]
    """As `ssh-keygen -l` prints it."""
    age_recipient: Annotated[str, Field(pattern=r"^age1[02-9ac-hj-np-z]{58}$")]
    """Score sheets are encrypted to this key."""


class Expert(Strict):
    id: Ident
    name: Annotated[str, Field(min_length=1, max_length=100)]
    unit: Annotated[str, Field(max_length=200)] = ""
    title: Annotated[str, Field(max_length=100)] = ""
    """职称, e.g. 研究员."""
    role: Role
    chair: bool = False
    assigned: tuple[Ident, ...] = ()
    known_conflicts: tuple[Ident, ...] = ()
    """Conflicts the agency knows in advance (回避): shown to the expert, never scored."""
    key_fingerprint: Annotated[str, Field(pattern=r"^SHA256:[A-Za-z0-9+/]{43}$")] | None = None
    """The expert's enrolled signing key, when the agency knew it when it built the batch (issue 11): the
    expert app signs only with this key and the agency accepts only sheets signed by it. Absent otherwise
    (the field is left out of the canonical JSON, so batches without keys are unchanged)."""


class FormRef(Strict):
    id: Ident
    version: str
    path: MemberPath
    sha256: Sha256Hex


class ProposalRef(Strict):
    id: Ident
    center_name: Annotated[str, Field(min_length=1, max_length=200)]
    path: MemberPath
    """proposals/<id>/proposal.json"""


class PledgeText(Strict):
    """The 承诺书 the agency set for this batch (Chinese; English where given, else the Chinese)."""

    zh: Annotated[str, Field(min_length=1, max_length=20000)]
    en: Annotated[str, Field(min_length=1, max_length=20000)]


class Member(Strict):
    path: MemberPath
    size: Annotated[int, Field(ge=0, le=2**40)]
    sha256: Sha256Hex


class Manifest(Strict):
    format: Literal["tic-batch"]
    format_version: Annotated[str, Field(pattern=r"^[1-9][0-9]{0,2}\.(0|[1-9][0-9]{0,2})$")]
    app_version: Annotated[str, Field(max_length=40)]
    batch_id: Ident
    title: Text
    kind: Kind
    agency: Agency
    created_at: Annotated[str, Field(max_length=40)]
    """Informative only: laptops' clocks are not trusted."""
    deadline: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    forms: Annotated[tuple[FormRef, ...], Field(min_length=1)]
    consolidation: dict[Ident, ConsolidationRule]
    """Rule per form id (copied from the form's default unless the agency changed it)."""
    proposals: Annotated[tuple[ProposalRef, ...], Field(min_length=1, max_length=2000)]
    experts: Annotated[tuple[Expert, ...], Field(min_length=1, max_length=500)]
    members: tuple[Member, ...]
    """Every other member of the ZIP with its size and SHA-256."""
    pledge: PledgeText | None = None
    """The batch's own 承诺书 (format 1.1); None: the application's default text (core.pledge.PLEDGE)."""

    @property
    def pledge_text(self) -> Text:
        """The pledge every expert of this batch accepts (its hash: core.pledge.pledge_sha256(text))."""
        if self.pledge is None:
            return PLEDGE
        return Text.model_construct(zh=self.pledge.zh, en=self.pledge.en)

    def subsidy_policy_applies(self, proposal: Any) -> bool:
        """Whether the city-subsidy limits (30%, 5 M CNY a year, 3 years) apply to this proposal: the
        rule of one of its forms says so for its center type (the plan: a comprehensive center's R&D
        capacity project at the feasibility review)."""
        for fid in proposal.forms:
            rule = self.consolidation.get(fid)
            type_rule = rule.for_type(proposal.center_type) if rule is not None else None
            if type_rule is not None and type_rule.subsidy_policy:
                return True
        return False

    @property
    def experts_mark_na(self) -> bool:
        """Format 1.0 batches let experts mark N/A themselves; from 1.1 only the agency does."""
        return self.format_version == "1.0"

    def expert(self, expert_id: str) -> Expert:
        for e in self.experts:
            if e.id == expert_id:
                return e
        raise KeyError(expert_id)

    @property
    def chair(self) -> Expert | None:
        return next((e for e in self.experts if e.chair), None)
