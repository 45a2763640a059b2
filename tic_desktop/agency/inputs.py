"""From verified sheets to `core.consolidation.ProposalInput`s: one per (proposal, form), in batch order.

Per proposal, every expert the batch assigns to it (an empty `assigned` means every proposal) is
exactly one of:
  - conflicted: the proposal is in the expert's `known_conflicts`, or the expert's sheet declares
    a conflict (回避) on it;
  - an entry: the expert's sheet scores it (`FormEntry` → `ExpertEntry`);
  - missing: the expert has no sheet that counts.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from tic_desktop.core.consolidation import Consolidation, ExpertEntry, ProposalInput, consolidate
from tic_desktop.formats.sheet_model import FormEntry, Sheet
from tic_desktop.reports.report_data import SignerKey


def expert_entry(expert: Any, fe: FormEntry) -> ExpertEntry:
    """One expert's entry from the `FormEntry` of a verified sheet."""
    return ExpertEntry(
        expert_id=expert.id,
        expert_name=expert.name,
        role=expert.role,
        total=Decimal(fe.total),
        raw_total=Decimal(fe.raw_total),
        scores={c.id: Decimal(c.score) for c in fe.criteria if c.score is not None},
        not_applicable=frozenset(c.id for c in fe.criteria if c.not_applicable),
        comments={c.id: c.comment for c in fe.criteria if c.comment is not None},
        vetoes_triggered=tuple(fe.vetoes_triggered),
        conclusion=fe.conclusion,
        overall=dict(fe.overall),
    )


def consolidation_inputs(batch: Any, sheets: Sequence[Sheet]) -> list[ProposalInput]:
    """`batch` is a `formats.batch.OpenedBatch`; `sheets` the sheets that count (one per expert; if
    an expert appears twice the higher sheet_seq is used)."""
    m = batch.manifest
    by_expert: dict[str, Sheet] = {}
    for sh in sheets:
        if sh.batch_id != m.batch_id:
            raise ValueError(f"sheet of batch {sh.batch_id} given for batch {m.batch_id}")
        old = by_expert.get(sh.expert_id)
        if old is None or sh.sheet_seq > old.sheet_seq:
            by_expert[sh.expert_id] = sh
    entries_of: dict[str, dict[str, Any]] = {}
    for eid, sh in by_expert.items():
        entries_of[eid] = {p.proposal_id: p for p in sh.proposals}
    out: list[ProposalInput] = []
    for ref in m.proposals:
        proposal = batch.proposals[ref.id]
        assigned = [e for e in m.experts if not e.assigned or ref.id in e.assigned]
        for form_id in proposal.forms:
            form = batch.forms[form_id]
            rule = m.consolidation.get(form_id, form.consolidation)
            entries: list[ExpertEntry] = []
            conflicted: list[str] = []
            missing: list[str] = []
            for e in assigned:
                if ref.id in e.known_conflicts:
                    conflicted.append(e.id)
                    continue
                pe = entries_of.get(e.id, {}).get(ref.id)
                if pe is None:
                    missing.append(e.id)
                elif pe.conflict.declared:
                    conflicted.append(e.id)
                else:
                    fe = next((f for f in pe.forms if f.form_id == form_id), None)
                    if fe is None:  # read_sheet refuses this; a defensive gap, not a silent zero
                        missing.append(e.id)
                    else:
                        entries.append(expert_entry(e, fe))
            out.append(ProposalInput(
                proposal_id=ref.id, center_name=proposal.center_name, form=form, rule=rule,
                entries=tuple(entries), conflicted=tuple(conflicted), missing=tuple(missing),
                center_type=proposal.center_type, proposal=proposal,
            ))
    return out


def consolidate_workspace(ws: Any, batch: Any) -> Consolidation:
    """Consolidate the workspace's current sheets of `batch` with the chair's veto decisions."""
    batch_id = batch.manifest.batch_id
    sheets = [r.sheet() for r in ws.current_sheets(batch_id)]
    return consolidate(consolidation_inputs(batch, sheets), ws.veto_decisions(batch_id))


def signer_keys(ws: Any, batch_id: str) -> tuple[SignerKey, ...]:
    """Per expert with a counted sheet: its signing key and the registry's source for it."""
    registry = {k.fingerprint: k for k in ws.expert_keys()}
    out = []
    for r in sorted(ws.current_sheets(batch_id), key=lambda r: r.expert_id):
        key = registry.get(r.fingerprint)
        out.append(SignerKey(r.expert_id, r.fingerprint, key.source if key is not None else "manual"))
    return tuple(out)
