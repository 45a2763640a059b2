"""The chair's veto decisions, the panel meeting record and the panel opinions of the agency workspace
(agency.workspace.AgencyWorkspace inherits them). Each change is one transaction with its audit event.
"""

from __future__ import annotations

import json

from tic_desktop.agency.workspace_batches import WorkspaceBatches
from tic_desktop.agency.workspace_sheets import REASON_REQUIRED
from tic_desktop.core.consolidation import DecisionKey, VetoDecision
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.panel_meeting import PanelMeeting
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.storage.store import now

MEETING_INVALID = register(
    "meeting.invalid", "评审会议记录有误（日期应为 YYYY-MM-DD，评审方式为会议评审、现场考察或通讯评审，副组长不能是组长本人）。",
    "The meeting record is wrong (the date is YYYY-MM-DD, the mode a panel meeting, site visit or review by "
    "correspondence, and the deputy cannot be the chair).")


class WorkspaceDecisions(WorkspaceBatches):
    """The veto-decision, meeting and opinion methods of `AgencyWorkspace`."""

    # ---- chair decisions and panel opinions ----------------------------------------------------
    def veto_decisions(self, batch_id: str) -> dict[DecisionKey, VetoDecision]:
        rows = self.query("SELECT * FROM veto_decisions WHERE batch_id = ? ORDER BY proposal_id, form_id, veto_id",
                          (batch_id,))
        return {(r["proposal_id"], r["form_id"], r["veto_id"]): VetoDecision(
            confirmed=bool(r["confirmed"]), reason=r["reason"], decided_by=r["decided_by"], decided_at=r["decided_at"])
            for r in rows}

    def set_veto_decision(self, batch_id: str, key: DecisionKey, decision: VetoDecision) -> None:
        """Record (or change, audited) the chair's decision on a raised veto; a reason is required."""
        if not decision.reason.strip():
            raise Rejected(REASON_REQUIRED)
        self._batch_row(batch_id)
        pid, fid, vid = key
        at = decision.decided_at or now()
        with self.transaction() as conn:
            old = conn.execute("SELECT confirmed, reason FROM veto_decisions WHERE batch_id = ? AND proposal_id = ? "
                               "AND form_id = ? AND veto_id = ?", (batch_id, pid, fid, vid)).fetchone()
            conn.execute("INSERT OR REPLACE INTO veto_decisions (batch_id, proposal_id, form_id, veto_id, confirmed, "
                         "reason, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                         (batch_id, pid, fid, vid, int(decision.confirmed), decision.reason.strip(),
                          decision.decided_by, at))
            self.log(conn, "veto.decide", {"batch_id": batch_id, "proposal_id": pid, "form_id": fid, "veto_id": vid,
                                           "confirmed": decision.confirmed, "reason": decision.reason.strip(),
                                           "decided_by": decision.decided_by,
                                           "previous": None if old is None else {"confirmed": bool(old[0]),
                                                                                  "reason": old[1]}})

    def meeting(self, batch_id: str) -> PanelMeeting:
        """The panel meeting record of the batch (an empty one until saved)."""
        rows = self.query("SELECT body FROM meetings WHERE batch_id = ?", (batch_id,))
        return PanelMeeting.from_dict(json.loads(rows[0]["body"])) if rows else PanelMeeting()

    def save_meeting(self, batch_id: str, meeting: PanelMeeting) -> None:
        """Store the meeting record (date, place, mode, chair, deputy); audited. Refuses a wrong one."""
        self._batch_row(batch_id)
        problems = meeting.problems()
        if problems:
            raise Rejected(MEETING_INVALID, "; ".join(p.zh for p in problems))
        body = meeting.as_dict()
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO meetings (batch_id, body, saved_at) VALUES (?, ?, ?)",
                         (batch_id, json.dumps(body, ensure_ascii=False, sort_keys=True), now()))
            self.log(conn, "meeting.save", {"batch_id": batch_id, **body})

    def opinions(self, batch_id: str) -> dict[tuple[str, str], PanelOpinion]:
        rows = self.query("SELECT proposal_id, form_id, body FROM opinions WHERE batch_id = ?", (batch_id,))
        return {(r["proposal_id"], r["form_id"]): PanelOpinion(**json.loads(r["body"])) for r in rows}

    def save_opinion(self, batch_id: str, proposal_id: str, form_id: str, opinion: PanelOpinion) -> None:
        """Store the panel opinion (its `written_at` is set to now); audited with the full text."""
        self._batch_row(batch_id)
        body = {**opinion.as_dict(), "written_at": now()}
        with self.transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO opinions (batch_id, proposal_id, form_id, body, saved_at) "
                         "VALUES (?, ?, ?, ?, ?)",
                         (batch_id, proposal_id, form_id, json.dumps(body, ensure_ascii=False, sort_keys=True),
                          body["written_at"]))
            self.log(conn, "opinion.save", {"batch_id": batch_id, "proposal_id": proposal_id, "form_id": form_id,
                                            **body})
