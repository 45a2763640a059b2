"""The expert session's view of the workspace (storage.workspace.Workspace), in one place.

Kept as a small adapter so the session's vocabulary (pins, identity, pledge, conflicts, answers,
documents, place) maps onto the workspace's typed methods in one file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from tic_desktop.storage.records import AnswerEdit, encode_value
from tic_desktop.storage.workspace import Workspace

AnswerKey = tuple[str, str, str, str]
"""(proposal_id, form_id, item_kind, item_id)"""


class Records:
    def __init__(self, workspace: Workspace) -> None:
        self.ws = workspace

    def close(self) -> None:
        self.ws.close()

    # batches and pins
    def pinned(self, agency_name: str) -> str | None:
        return self.ws.get_pinned_agency(agency_name)

    def pins(self) -> list[tuple[str, str]]:
        """Every (agency name, fingerprint) pinned in the workspace (void ones too)."""
        return self.ws.agency_pins()

    def add_batch(self, raw: bytes, **row: Any) -> None:
        self.ws.add_batch(raw=raw, replace=True, **row)

    def batches(self) -> list[dict[str, Any]]:
        out = []
        for record in sorted(self.ws.batches(), key=lambda r: r.imported_at, reverse=True):
            out.append({"batch_id": record.batch_id, "title_zh": record.title_zh, "title_en": record.title_en,
                        "kind": record.kind, "agency_name": record.agency_name,
                        "agency_fingerprint": record.agency_fingerprint,
                        "imported_at": record.imported_at, "path": self.ws.batch_file(record)})
        return out

    # identity, pledge, conflicts
    def identity(self, batch_id: str) -> tuple[str, str] | None:
        found = self.ws.expert_identity(batch_id)
        return (found.expert_id, found.key_fingerprint) if found else None

    def set_identity(self, batch_id: str, expert_id: str, fingerprint: str) -> None:
        self.ws.set_expert_identity(batch_id, expert_id, fingerprint)

    def pledge(self, batch_id: str, expert_id: str) -> str | None:
        found = self.ws.pledge(batch_id, expert_id)
        return found.accepted_at if found else None

    def set_pledge(self, batch_id: str, expert_id: str, text_sha256: str) -> None:
        self.ws.accept_pledge(batch_id, expert_id, text_sha256)

    def conflicts(self, batch_id: str, expert_id: str) -> dict[str, tuple[bool, str | None, str]]:
        return {pid: (c.declared, c.reason_code, c.note) for pid, c in self.ws.conflicts(batch_id, expert_id).items()}

    def set_conflicts(self, batch_id: str, expert_id: str, rows: dict[str, tuple[bool, str | None, str]]) -> None:
        self.ws.set_conflicts(batch_id, expert_id, rows)

    # answers
    def answers(self, batch_id: str, expert_id: str) -> dict[AnswerKey, str]:
        return {(r.proposal_id, r.form_id, r.item_kind, r.item_id): r.value
                for r in self.ws.answer_rows(batch_id, expert_id)}

    def save_answers(self, batch_id: str, expert_id: str,
                     items: Iterable[tuple[AnswerKey, object]]) -> dict[AnswerKey, str | None]:
        """One transaction for the burst; returns the stored text of each item (None: cleared)."""
        edits = []
        stored: dict[AnswerKey, str | None] = {}
        for (pid, form, kind, item), value in items:
            if kind in ("comment", "overall", "conclusion") and value == "":
                value = None
            edits.append(AnswerEdit(pid, form, kind, item, value))  # type: ignore[arg-type]
            stored[(pid, form, kind, item)] = None if value is None else encode_value(kind, item, value)  # type: ignore[arg-type]
        self.ws.set_answers(batch_id, expert_id, edits)
        return stored

    # documents and ui state
    def add_document_opened(self, batch_id: str, expert_id: str, proposal_id: str, path: str, sha256: str) -> None:
        self.ws.record_document_opened(batch_id, expert_id, proposal_id, path, sha256)

    def documents_opened(self, batch_id: str, expert_id: str) -> dict[tuple[str, str], str]:
        return {(d.proposal_id, d.path): d.sha256 for d in self.ws.documents_opened(batch_id, expert_id)}

    def ui_get(self, key: str, default: Any = None) -> Any:
        return self.ws.ui_state(key, default)

    def ui_set(self, key: str, value: Any) -> None:
        self.ws.set_ui_state(key, value)
