"""The evaluation round in the agency workspace (agency schema v6). Every change is ONE transaction with
its audit event (the workspace's hash-chained log), carrying the values before the change.

    round_store.create_round(ws, "R2027-PRO", "2027 年度专业性技术创新中心评估", 2027)
    round_store.add_batch(ws, round_id, batch_id)                # a batch belongs to at most one round
    round_store.set_official(ws, round_id, "normalised", reason)  # "raw" needs no reason
    round_store.save_normalisation(ws, round_id, normalisation)  # the parameters last computed
    round_store.record_decision(ws, round_id, FinalDecision(...)) # 市科技局: date, decision, 文号
    round_store.record_objection(ws, round_id, batch_id, proposal_id, kind, received_on, by, summary) -> id
    round_store.settle_objection(ws, round_id, objection_id, outcome, outcome_on)
    round_store.import_previous(ws, round_id, [PreviousResult, ...])   # replaces the same center and form
    round_store.set_notice(ws, round_id, text)                   # the 公示 notice template
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from decimal import Decimal
from typing import Any

from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.names import name_key
from tic_desktop.core.round_results import (
    ExpertScale,
    FinalDecision,
    FormScale,
    Normalisation,
    Objection,
    OfficialChoice,
    PreviousResult,
    PreviousTarget,
    RoundInfo,
)
from tic_desktop.core.types import ID_RE
from tic_desktop.storage.store import now

ROUND_UNKNOWN = register("round.unknown", "工作区中没有该评审轮次。请先创建（tic-desktop round create）。",
                         "The workspace has no such evaluation round. Create it first (tic-desktop round create).")
ROUND_EXISTS = register("round.exists", "工作区中已有同一编号的评审轮次。", "The workspace already has a round with this id.")
ROUND_BAD = register(
    "round.invalid",
    "评审轮次的编号、名称或年度有误：编号只用字母、数字、点、下划线和连字符（最多 64 个），名称不能为空，年度为 2000–2100。",
    "The round's id, title or year is wrong: the id uses letters, digits, dots, underscores and hyphens (at most "
    "64), the title is not empty, the year is 2000–2100.")
BATCH_IN_OTHER_ROUND = register("round.batch_taken", "该批次已属于另一个评审轮次。",
                                "This batch already belongs to another evaluation round.")
REASON_REQUIRED = register("round.reason_required", "采用标准化排名作为正式排名时必须说明理由。",
                           "Making the normalised ranking official needs a reason.")
BAD_DATE = register("round.bad_date", "日期应为 YYYY-MM-DD（例如 2027-06-30）。", "A date is YYYY-MM-DD (e.g. 2027-06-30).")
UNKNOWN_CENTER = register("round.unknown_center", "本轮的批次中没有该项目。", "No batch of this round has this proposal.")
TEXT_REQUIRED = register("round.text_required", "请填写内容（决定、异议内容或处理结果不能为空）。",
                         "Fill it in: a decision, an objection's content or its outcome cannot be empty.")
OBJECTION_UNKNOWN = register("round.objection_unknown", "本轮没有该异议/复议记录。",
                             "This round has no such objection or review.")


def _check_date(value: str) -> str:
    value = value.strip()
    try:
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise Rejected(BAD_DATE, value) from None
    return value


def _info(ws: Any, row: dict[str, Any]) -> RoundInfo:
    batches = ws.query("SELECT batch_id FROM round_batches WHERE round_id = ? ORDER BY position, batch_id",
                       (row["round_id"],))
    return RoundInfo(round_id=row["round_id"], title=row["title"], year=int(row["year"]),
                     batch_ids=tuple(b["batch_id"] for b in batches), created_at=row["created_at"])


def _row(ws: Any, round_id: str) -> dict[str, Any]:
    rows = ws.query("SELECT * FROM rounds WHERE round_id = ?", (round_id,))
    if not rows:
        raise Rejected(ROUND_UNKNOWN, round_id)
    return rows[0]


def rounds(ws: Any) -> list[RoundInfo]:
    return [_info(ws, r) for r in ws.query("SELECT * FROM rounds ORDER BY year DESC, created_at, round_id")]


def get_round(ws: Any, round_id: str) -> RoundInfo:
    return _info(ws, _row(ws, round_id))


def create_round(ws: Any, round_id: str, title: str, year: int) -> RoundInfo:
    title = title.strip()
    if not re.fullmatch(ID_RE, round_id) or not title or not 2000 <= int(year) <= 2100:
        raise Rejected(ROUND_BAD, f"{round_id!r}, {title!r}, {year}")
    with ws.transaction() as conn:
        if conn.execute("SELECT 1 FROM rounds WHERE round_id = ?", (round_id,)).fetchone():
            raise Rejected(ROUND_EXISTS, round_id)
        conn.execute("INSERT INTO rounds (round_id, title, year, created_at) VALUES (?, ?, ?, ?)",
                     (round_id, title, int(year), now()))
        ws.log(conn, "round.create", {"round_id": round_id, "title": title, "year": int(year)})
    return get_round(ws, round_id)


def add_batch(ws: Any, round_id: str, batch_id: str) -> RoundInfo:
    """Put a batch of the workspace into the round (again: no change; in another round: refused)."""
    _row(ws, round_id)
    ws.batch(batch_id)  # agency.batch_unknown
    with ws.transaction() as conn:
        other = conn.execute("SELECT round_id FROM round_batches WHERE batch_id = ?", (batch_id,)).fetchone()
        if other is not None and other[0] != round_id:
            raise Rejected(BATCH_IN_OTHER_ROUND, f"{batch_id}: {other[0]}")
        if other is None:
            position = conn.execute("SELECT COALESCE(MAX(position), 0) + 1 FROM round_batches WHERE round_id = ?",
                                    (round_id,)).fetchone()[0]
            conn.execute("INSERT INTO round_batches (round_id, batch_id, position, added_at) VALUES (?, ?, ?, ?)",
                         (round_id, batch_id, position, now()))
            ws.log(conn, "round.add_batch", {"round_id": round_id, "batch_id": batch_id, "position": position})
    return get_round(ws, round_id)


def official(ws: Any, round_id: str) -> OfficialChoice:
    r = _row(ws, round_id)
    return OfficialChoice(basis=r["official"], reason=r["official_reason"], chosen_at=r["official_at"] or "")


def set_official(ws: Any, round_id: str, basis: str, reason: str = "") -> OfficialChoice:
    """Which ranking is official: "raw" (the default) or "normalised" (a reason is required)."""
    old = official(ws, round_id)
    reason = reason.strip()
    if basis not in ("raw", "normalised"):
        raise ValueError(basis)
    if basis == "normalised" and not reason:
        raise Rejected(REASON_REQUIRED)
    at = now()
    with ws.transaction() as conn:
        conn.execute("UPDATE rounds SET official = ?, official_reason = ?, official_at = ? WHERE round_id = ?",
                     (basis, reason, at, round_id))
        ws.log(conn, "round.official", {"round_id": round_id, "basis": basis, "reason": reason,
                                        "previous": {"basis": old.basis, "reason": old.reason}})
    return official(ws, round_id)


def _dec(value: Any) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))


def normalisation_to_dict(norm: Normalisation) -> dict[str, Any]:
    return {"method": norm.method,
            "forms": [{"form_id": f.form_id, "n": f.n, "mean": str(f.mean), "sd": str(f.sd)} for f in norm.forms],
            "experts": [{"expert_id": e.expert_id, "form_id": e.form_id, "n": e.n, "mean": str(e.mean),
                         "sd": str(e.sd)} for e in norm.experts]}


def normalisation(ws: Any, round_id: str) -> Normalisation | None:
    """The parameters last recorded for the round (None before the first consolidation)."""
    text = _row(ws, round_id)["normalisation"]
    if not text:
        return None
    d = json.loads(text)
    return Normalisation(
        method=d["method"],
        forms=tuple(FormScale(f["form_id"], int(f["n"]), Decimal(f["mean"]), Decimal(f["sd"])) for f in d["forms"]),
        experts=tuple(ExpertScale(e["expert_id"], e["form_id"], int(e["n"]), Decimal(e["mean"]), Decimal(e["sd"]))
                      for e in d["experts"]))


def save_normalisation(ws: Any, round_id: str, norm: Normalisation) -> bool:
    """Record the method and parameters (audited only when they changed); returns whether they did."""
    body = json.dumps(normalisation_to_dict(norm), ensure_ascii=False, sort_keys=True)
    if _row(ws, round_id)["normalisation"] == body:
        return False
    with ws.transaction() as conn:
        conn.execute("UPDATE rounds SET normalisation = ? WHERE round_id = ?", (body, round_id))
        ws.log(conn, "round.normalisation", {"round_id": round_id, **json.loads(body)})
    return True


def notice(ws: Any, round_id: str) -> str:
    return str(_row(ws, round_id)["notice"])


def set_notice(ws: Any, round_id: str, text: str) -> None:
    """The 公示 notice template of the round (period, how to object, contact), as the agency edits it."""
    old = notice(ws, round_id)
    with ws.transaction() as conn:
        conn.execute("UPDATE rounds SET notice = ? WHERE round_id = ?", (text, round_id))
        ws.log(conn, "round.notice", {"round_id": round_id, "text": text, "previous": old})


def _check_center(ws: Any, round_id: str, batch_id: str, proposal_id: str) -> None:
    info = get_round(ws, round_id)
    if batch_id not in info.batch_ids:
        raise Rejected(UNKNOWN_CENTER, f"{batch_id}/{proposal_id}")
    ids = json.loads(ws.query("SELECT proposal_ids FROM batches WHERE batch_id = ?", (batch_id,))[0]["proposal_ids"])
    if proposal_id not in ids:
        raise Rejected(UNKNOWN_CENTER, f"{batch_id}/{proposal_id}")


def batch_of(ws: Any, round_id: str, proposal_id: str) -> str:
    """The batch of the round that holds `proposal_id` (`round.unknown_center` when none does)."""
    for batch_id in get_round(ws, round_id).batch_ids:
        ids = json.loads(ws.query("SELECT proposal_ids FROM batches WHERE batch_id = ?", (batch_id,))[0]["proposal_ids"])
        if proposal_id in ids:
            return batch_id
    raise Rejected(UNKNOWN_CENTER, proposal_id)


def decisions(ws: Any, round_id: str) -> list[FinalDecision]:
    rows = ws.query("SELECT * FROM round_decisions WHERE round_id = ? ORDER BY batch_id, proposal_id", (round_id,))
    return [FinalDecision(batch_id=r["batch_id"], proposal_id=r["proposal_id"], decided_on=r["decided_on"],
                          decision=r["decision"], document_number=r["document_number"], recorded_at=r["recorded_at"])
            for r in rows]


def record_decision(ws: Any, round_id: str, decision: FinalDecision) -> FinalDecision:
    """The 市科技局's final decision on one center (recorded again: replaced, the old one in the audit)."""
    _check_center(ws, round_id, decision.batch_id, decision.proposal_id)
    day = _check_date(decision.decided_on)
    if not decision.decision.strip():
        raise Rejected(TEXT_REQUIRED)
    at = now()
    with ws.transaction() as conn:
        old = conn.execute("SELECT decided_on, decision, document_number FROM round_decisions WHERE round_id = ? "
                           "AND batch_id = ? AND proposal_id = ?",
                           (round_id, decision.batch_id, decision.proposal_id)).fetchone()
        conn.execute("INSERT OR REPLACE INTO round_decisions (round_id, batch_id, proposal_id, decided_on, decision, "
                     "document_number, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                     (round_id, decision.batch_id, decision.proposal_id, day, decision.decision.strip(),
                      decision.document_number.strip(), at))
        ws.log(conn, "round.decision", {
            "round_id": round_id, "batch_id": decision.batch_id, "proposal_id": decision.proposal_id,
            "decided_on": day, "decision": decision.decision.strip(), "document_number": decision.document_number.strip(),
            "previous": None if old is None else {"decided_on": old[0], "decision": old[1], "document_number": old[2]}})
    return next(d for d in decisions(ws, round_id)
                if (d.batch_id, d.proposal_id) == (decision.batch_id, decision.proposal_id))


def objections(ws: Any, round_id: str) -> list[Objection]:
    rows = ws.query("SELECT * FROM round_objections WHERE round_id = ? ORDER BY id", (round_id,))
    return [Objection(objection_id=r["id"], batch_id=r["batch_id"], proposal_id=r["proposal_id"], kind=r["kind"],
                      received_on=r["received_on"], submitted_by=r["submitted_by"], summary=r["summary"],
                      outcome=r["outcome"], outcome_on=r["outcome_on"], recorded_at=r["recorded_at"]) for r in rows]


def record_objection(ws: Any, round_id: str, batch_id: str, proposal_id: str, kind: str, received_on: str,
                     submitted_by: str, summary: str) -> int:
    """An 异议 ("objection") or 复议 ("review") received about one center; returns its number."""
    _check_center(ws, round_id, batch_id, proposal_id)
    if kind not in ("objection", "review"):
        raise ValueError(kind)
    day = _check_date(received_on)
    if not summary.strip():
        raise Rejected(TEXT_REQUIRED)
    with ws.transaction() as conn:
        cur = conn.execute("INSERT INTO round_objections (round_id, batch_id, proposal_id, kind, received_on, "
                           "submitted_by, summary, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                           (round_id, batch_id, proposal_id, kind, day, submitted_by.strip(), summary.strip(), now()))
        number = int(cur.lastrowid or 0)
        ws.log(conn, "round.objection", {"round_id": round_id, "id": number, "batch_id": batch_id,
                                         "proposal_id": proposal_id, "kind": kind, "received_on": day,
                                         "submitted_by": submitted_by.strip(), "summary": summary.strip()})
    return number


def settle_objection(ws: Any, round_id: str, objection_id: int, outcome: str, outcome_on: str) -> Objection:
    """The outcome of an 异议/复议 (recorded again: replaced, the old one in the audit)."""
    old = next((o for o in objections(ws, round_id) if o.objection_id == objection_id), None)
    if old is None:
        raise Rejected(OBJECTION_UNKNOWN, str(objection_id))
    day = _check_date(outcome_on)
    if not outcome.strip():
        raise Rejected(TEXT_REQUIRED)
    with ws.transaction() as conn:
        conn.execute("UPDATE round_objections SET outcome = ?, outcome_on = ? WHERE id = ?",
                     (outcome.strip(), day, objection_id))
        ws.log(conn, "round.objection_outcome", {"round_id": round_id, "id": objection_id, "outcome": outcome.strip(),
                                                 "outcome_on": day, "previous": {"outcome": old.outcome,
                                                                                 "outcome_on": old.outcome_on}})
    return next(o for o in objections(ws, round_id) if o.objection_id == objection_id)


def previous_to_dict(p: PreviousResult) -> dict[str, Any]:
    d = asdict(p)
    for k in ("final_score", "award"):
        d[k] = None if d[k] is None else str(d[k])
    d["targets"] = [{**t, "target": str(t["target"]), "achieved": None if t["achieved"] is None else str(t["achieved"])}
                    for t in d["targets"]]
    return d


def previous_from_dict(d: dict[str, Any]) -> PreviousResult:
    return PreviousResult(
        center_name=d["center_name"], proposal_id=d["proposal_id"], form_id=d["form_id"],
        center_type=d["center_type"], final_score=_dec(d["final_score"]), conclusion=d["conclusion"],
        conclusion_label=d.get("conclusion_label", ""), outcome=d.get("outcome", ""), award=_dec(d.get("award")),
        source=d.get("source", ""), rectify=bool(d.get("rectify")),
        targets=tuple(PreviousTarget(t["kpi_id"], t["name"], t["unit"], Decimal(t["target"]), _dec(t["achieved"]))
                      for t in d.get("targets", ())))


def previous(ws: Any, round_id: str) -> list[PreviousResult]:
    rows = ws.query("SELECT body FROM round_previous WHERE round_id = ? ORDER BY center_key, form_id", (round_id,))
    return [previous_from_dict(json.loads(r["body"])) for r in rows]


def import_previous(ws: Any, round_id: str, results: Sequence[PreviousResult]) -> int:
    """Keep the previous round's results (per center name and form; the same again replaces it, the
    old value in the audit event). Returns how many were stored."""
    _row(ws, round_id)
    at = now()
    with ws.transaction() as conn:
        for p in results:
            key = name_key(p.center_name)
            body = json.dumps(previous_to_dict(p), ensure_ascii=False, sort_keys=True)
            old = conn.execute("SELECT body FROM round_previous WHERE round_id = ? AND center_key = ? AND form_id = ?",
                               (round_id, key, p.form_id)).fetchone()
            conn.execute("INSERT OR REPLACE INTO round_previous (round_id, center_key, form_id, body, imported_at) "
                         "VALUES (?, ?, ?, ?, ?)", (round_id, key, p.form_id, body, at))
            ws.log(conn, "round.previous", {"round_id": round_id, **json.loads(body),
                                            "replaced": None if old is None else json.loads(old[0])})
    return len(results)
