"""What a consolidated report is made from: one value handed to the PDF, xlsx and csv writers."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from tic_desktop.core.consolidation import Consolidation, ExpertEntry, ProposalInput
from tic_desktop.core.forms import ConsolidationRule, FormTemplate
from tic_desktop.core.panel_meeting import PanelMeeting, Presiding, presiding
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.core.proposal import Proposal
from tic_desktop.core.types import Text


@dataclass(frozen=True)
class ExpertInfo:
    id: str
    name: str
    unit: str
    title: str
    role: str
    chair: bool


@dataclass(frozen=True)
class RejectedFile:
    """A sheet file that was not accepted, and why (in both languages)."""

    name: str
    code: str
    reason_zh: str
    reason_en: str


SOURCE_LABELS = {"first_use": "首次使用", "enrolment": "密钥登记表", "allowed_signers": "可信签名者文件",
                 "manual": "手工登记", "enrolment_file": "登记文件", "manifest": "批次中写明"}


@dataclass(frozen=True)
class SignerKey:
    """Which key signed the sheet that counts for an expert, and how the agency came to trust it."""

    expert_id: str
    fingerprint: str
    source: str
    """A registry source (agency.records.PIN_SOURCES); "first_use" is listed apart on the cover."""


@dataclass(frozen=True)
class ReportData:
    batch_id: str
    title: Text
    kind: str
    agency_name: str
    generated_at: str
    """ISO date-time the report was made (printed on the cover)."""
    experts: tuple[ExpertInfo, ...]
    """Every expert of the batch, in batch order."""
    forms: Mapping[str, FormTemplate]
    consolidation: Consolidation
    opinions: Mapping[tuple[str, str], PanelOpinion] = field(default_factory=dict)
    """(proposal_id, form_id) → the panel opinion."""
    rejected: tuple[RejectedFile, ...] = ()
    accepted_files: int = 0
    inputs: tuple[ProposalInput, ...] = ()
    """What was consolidated (optional): the experts' comments and overall fields (主要问题, 修改建议…)
    printed per proposal come from here, as ProposalResult carries only the numbers."""
    meeting: PanelMeeting | None = None
    """The panel meeting record (None: not recorded; the PDF leaves lines to fill in by hand)."""
    integrity: Mapping[str, Any] = field(default_factory=dict)
    """proposal_id → the agency's integrity check (`core.proposal.IntegrityCheck`), where recorded."""

    def presiding(self, conflicted: tuple[str, ...]) -> Presiding:
        """Who signs as 组长 for a proposal with these conflicted experts (the deputy where the chair
        stands aside)."""
        chair = next((e.id for e in self.experts if e.chair), None)
        return presiding(self.meeting, chair, conflicted)
    signers: tuple[SignerKey, ...] = ()
    """Each counted expert's signing key (printed on the cover; first-use keys listed apart)."""
    scans: Any = None
    """The scanned paper checked against the sheets (`reports.scan_pdf.ScanSection`), printed as the
    report's last section when the batch has scans; None: no such section."""

    def entries(self, proposal_id: str, form_id: str) -> tuple[ExpertEntry, ...]:
        """The experts' entries on one proposal and form, or () when `inputs` were not given."""
        for item in self.inputs:
            if item.proposal_id == proposal_id and item.form.id == form_id:
                return item.entries
        return ()

    def rule(self, form_id: str) -> ConsolidationRule:
        """The consolidation rule the form was consolidated with (the batch's, else the form's)."""
        for item in self.inputs:
            if item.form.id == form_id:
                return item.rule
        return self.forms[form_id].consolidation

    def proposal(self, proposal_id: str) -> Proposal | None:
        """The proposal (budget, KPIs) when `inputs` were given with it."""
        for item in self.inputs:
            if item.proposal_id == proposal_id and item.proposal is not None:
                return item.proposal
        return None

    def expert(self, expert_id: str) -> ExpertInfo:
        for e in self.experts:
            if e.id == expert_id:
                return e
        raise KeyError(expert_id)


def report_data(
    batch: Any,
    consolidation: Consolidation,
    *,
    generated_at: str,
    opinions: Mapping[tuple[str, str], PanelOpinion] | None = None,
    rejected: tuple[RejectedFile, ...] = (),
    accepted_files: int = 0,
    inputs: tuple[ProposalInput, ...] = (),
    meeting: PanelMeeting | None = None,
    signers: tuple[SignerKey, ...] = (),
) -> ReportData:
    """Build the report value from an opened batch (`formats.batch.OpenedBatch`)."""
    m = batch.manifest
    return ReportData(
        batch_id=m.batch_id,
        title=m.title,
        kind=m.kind,
        agency_name=m.agency.name,
        generated_at=generated_at,
        experts=tuple(
            ExpertInfo(id=e.id, name=e.name, unit=e.unit, title=e.title, role=e.role, chair=e.chair)
            for e in m.experts
        ),
        forms=dict(batch.forms),
        consolidation=consolidation,
        opinions=dict(opinions or {}),
        rejected=rejected,
        accepted_files=accepted_files,
        inputs=tuple(inputs),
        meeting=meeting,
        integrity={pid: p.integrity for pid, p in batch.proposals.items() if p.integrity is not None},
        signers=tuple(signers),
    )
