"""The answers of the expert's workspace (storage.workspace.Workspace inherits them): scores, N/A,
vetoes, comments and conclusions, one row a field, each burst of edits one transaction whose
`answer.set` / `answer.clear` events go to the audit log.
"""

from __future__ import annotations

from collections.abc import Iterable

from tic_desktop.storage.records import (
    AnswerEdit,
    AnswerRow,
    AnswerValue,
    FormAnswersDict,
    ItemKind,
    build_answers,
    check_item,
    encode_value,
)
from tic_desktop.storage.store import AuditedStore, now


class WorkspaceAnswers(AuditedStore):
    """The answer methods of `Workspace`."""

    def set_answers(self, batch_id: str, expert_id: str, edits: Iterable[AnswerEdit]) -> int:
        """Apply several edits (a debounced burst) in one transaction; returns how many changed."""
        prepared = []
        for edit in edits:
            check_item(edit.item_kind, edit.item_id)
            text = None if edit.value is None else encode_value(edit.item_kind, edit.item_id, edit.value)
            prepared.append((edit, text))
        changed = 0
        with self.transaction() as conn:
            for edit, text in prepared:
                key = (batch_id, expert_id, edit.proposal_id, edit.form_id, edit.item_kind, edit.item_id)
                where = (
                    "batch_id = ? AND expert_id = ? AND proposal_id = ? AND form_id = ? "
                    "AND item_kind = ? AND item_id = ?"
                )
                old = conn.execute(f"SELECT value FROM answers WHERE {where}", key).fetchone()
                if (old[0] if old else None) == text:
                    continue
                if text is None:
                    conn.execute(f"DELETE FROM answers WHERE {where}", key)
                else:
                    conn.execute(
                        "INSERT INTO answers (batch_id, expert_id, proposal_id, form_id, item_kind, item_id, value, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO UPDATE SET "
                        "value = excluded.value, updated_at = excluded.updated_at",
                        (*key, text, now()),
                    )
                data = {
                    "batch_id": batch_id,
                    "expert_id": expert_id,
                    "proposal_id": edit.proposal_id,
                    "form_id": edit.form_id,
                    "item_kind": edit.item_kind,
                    "item_id": edit.item_id,
                    "value": text,
                }
                self._log(conn, "answer.clear" if text is None else "answer.set", data, expert_id)
                changed += 1
        return changed

    def set_answer(
        self,
        batch_id: str,
        expert_id: str,
        proposal_id: str,
        form_id: str,
        item_kind: ItemKind,
        item_id: str,
        value: AnswerValue,
    ) -> bool:
        """Store one field (scores as Decimal or "7.5"; na/veto as bool); False if unchanged."""
        edit = AnswerEdit(proposal_id, form_id, item_kind, item_id, value)
        return self.set_answers(batch_id, expert_id, [edit]) == 1

    def clear_answer(
        self,
        batch_id: str,
        expert_id: str,
        proposal_id: str,
        form_id: str,
        item_kind: ItemKind,
        item_id: str,
    ) -> bool:
        edit = AnswerEdit(proposal_id, form_id, item_kind, item_id, None)
        return self.set_answers(batch_id, expert_id, [edit]) == 1

    def answers_for(self, batch_id: str, expert_id: str, proposal_id: str, form_id: str) -> FormAnswersDict:
        """The fields of `core.scoring.FormAnswers` for one form of one proposal."""
        rows = self.query(
            "SELECT item_kind, item_id, value FROM answers WHERE batch_id = ? AND expert_id = ? "
            "AND proposal_id = ? AND form_id = ?",
            (batch_id, expert_id, proposal_id, form_id),
        )
        return build_answers([(r["item_kind"], r["item_id"], r["value"]) for r in rows])

    def answer_rows(self, batch_id: str, expert_id: str) -> list[AnswerRow]:
        """Every stored answer of an expert in a batch (for sheets, progress and exports)."""
        rows = self.query(
            "SELECT proposal_id, form_id, item_kind, item_id, value, updated_at FROM answers "
            "WHERE batch_id = ? AND expert_id = ? ORDER BY proposal_id, form_id, item_kind, item_id",
            (batch_id, expert_id),
        )
        return [AnswerRow(**r) for r in rows]
