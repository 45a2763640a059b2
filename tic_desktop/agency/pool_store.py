"""The expert pool in the agency workspace (schema v2): experts, the field list, the unit alias
table and the signed draw records. Every change is one transaction with its audit event.

    pool_store.import_pool(ws, experts)       # replaces the pool; audited with what was added/changed/removed
    pool_store.save_expert(ws, expert)        # add or change one expert (audited with the old values)
    pool_store.remove_expert(ws, expert_id)
    pool_store.experts(ws) -> list[PoolExpert]
    pool_store.set_fields(ws, [...]) / fields(ws)
    pool_store.set_aliases(ws, {alias: canonical}) / aliases(ws)
    pool_store.save_draw(ws, draw_id, revision, record_bytes, signature)   # never overwritten
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from tic_desktop.agency.pool import PoolExpert
from tic_desktop.core.errors import Rejected, register
from tic_desktop.storage.store import now

KEY_REUSED = register(
    "pool.key_in_use", "该密钥已登记给专家库中的另一位专家（一把密钥只能属于一位专家）。请核对密钥指纹。",
    "This key is already enrolled for another expert of the pool (one key belongs to one expert). Check the "
    "fingerprint.")
DRAW_EXISTS = register(
    "pool.draw_exists", "工作区中已有该抽取记录的同一版本，不能覆盖。",
    "The workspace already holds this revision of the draw record; it is never overwritten.")
UNKNOWN_EXPERT = register("pool.unknown_expert", "专家库中没有该专家。", "The pool has no such expert.")


def _body(e: PoolExpert) -> str:
    return json.dumps(e.as_dict(), ensure_ascii=False, sort_keys=True)


def experts(ws: Any) -> list[PoolExpert]:
    """The pool; an expert without a key fingerprint of their own shows the key the agency's expert
    registry (agency.registry) holds as valid for them."""
    rows = ws.query("SELECT body FROM pool_experts ORDER BY expert_id")
    out = [PoolExpert.from_dict(json.loads(r["body"])) for r in rows]
    keys = {eid: k.fingerprint for eid, k in ws.active_keys().items()}
    return [dataclasses.replace(e, key_fingerprint=keys[e.expert_id])
            if not e.key_fingerprint and e.expert_id in keys else e for e in out]


def _key_owner(conn: Any, fp: str, expert_id: str, ws: Any) -> None:
    """One key, one expert: in the pool, and in the agency's expert registry."""
    if not fp:
        return
    record = ws.key_owner(fp)
    if record is not None and record.expert_id != expert_id:
        raise Rejected(KEY_REUSED, f"{fp}: {record.expert_id} (registry)")
    row = conn.execute("SELECT expert_id FROM pool_experts WHERE key_fingerprint = ? AND expert_id != ?",
                       (fp, expert_id)).fetchone()
    if row is not None:
        raise Rejected(KEY_REUSED, f"{fp}: {row[0]}")


def _upsert(conn: Any, e: PoolExpert, at: str) -> None:
    conn.execute("INSERT OR REPLACE INTO pool_experts (expert_id, name, unit, title, role, body, key_fingerprint, "
                 "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                 (e.expert_id, e.name, e.unit, e.title, e.role, _body(e), e.key_fingerprint or None, at))


def import_pool(ws: Any, new: Sequence[PoolExpert], *, source: str = "") -> dict[str, list[str]]:
    """Replace the pool with `new` in one transaction; returns the ids added, changed and removed."""
    old = {e.expert_id: e for e in experts(ws)}
    incoming = {e.expert_id: e for e in new}
    diff = {"added": sorted(set(incoming) - set(old)), "removed": sorted(set(old) - set(incoming)),
            "changed": sorted(i for i in set(incoming) & set(old) if incoming[i] != old[i])}
    at = now()
    with ws.transaction() as conn:
        conn.execute("DELETE FROM pool_experts")
        for e in new:
            _key_owner(conn, e.key_fingerprint, e.expert_id, ws)
            _upsert(conn, e, at)
        ws.log(conn, "pool.import", {"source": source, "experts": len(new), **diff,
                                     "before": {i: old[i].as_dict() for i in diff["changed"] + diff["removed"]}})
    return diff


def save_expert(ws: Any, e: PoolExpert) -> None:
    with ws.transaction() as conn:
        _key_owner(conn, e.key_fingerprint, e.expert_id, ws)
        row = conn.execute("SELECT body FROM pool_experts WHERE expert_id = ?", (e.expert_id,)).fetchone()
        _upsert(conn, e, now())
        ws.log(conn, "pool.save_expert", {"expert": e.as_dict(), "before": json.loads(row[0]) if row else None})


def remove_expert(ws: Any, expert_id: str) -> None:
    with ws.transaction() as conn:
        row = conn.execute("SELECT body FROM pool_experts WHERE expert_id = ?", (expert_id,)).fetchone()
        if row is None:
            raise Rejected(UNKNOWN_EXPERT, expert_id)
        conn.execute("DELETE FROM pool_experts WHERE expert_id = ?", (expert_id,))
        ws.log(conn, "pool.remove_expert", {"before": json.loads(row[0])})


def fields(ws: Any) -> list[str]:
    return [r["field"] for r in ws.query("SELECT field FROM pool_fields ORDER BY field")]


def set_fields(ws: Any, new: Iterable[str]) -> None:
    items = sorted({f.strip() for f in new if f.strip()})
    with ws.transaction() as conn:
        before = [r[0] for r in conn.execute("SELECT field FROM pool_fields ORDER BY field")]
        conn.execute("DELETE FROM pool_fields")
        conn.executemany("INSERT INTO pool_fields (field) VALUES (?)", [(f,) for f in items])
        ws.log(conn, "pool.fields", {"fields": items, "before": before})


def aliases(ws: Any) -> dict[str, str]:
    return {r["alias"]: r["canonical"] for r in ws.query("SELECT alias, canonical FROM unit_aliases ORDER BY alias")}


def set_aliases(ws: Any, table: Mapping[str, str]) -> None:
    items = sorted((a.strip(), c.strip()) for a, c in table.items() if a.strip() and c.strip())
    with ws.transaction() as conn:
        before = dict(conn.execute("SELECT alias, canonical FROM unit_aliases ORDER BY alias").fetchall())
        conn.execute("DELETE FROM unit_aliases")
        conn.executemany("INSERT INTO unit_aliases (alias, canonical) VALUES (?, ?)", items)
        ws.log(conn, "pool.aliases", {"aliases": dict(items), "before": before})


def save_draw(ws: Any, draw_id: str, revision: int, record: bytes, signature: bytes) -> None:
    digest = hashlib.sha256(record).hexdigest()
    with ws.transaction() as conn:
        if conn.execute("SELECT 1 FROM draws WHERE draw_id = ? AND revision = ?", (draw_id, revision)).fetchone():
            raise Rejected(DRAW_EXISTS, f"{draw_id} r{revision}")
        conn.execute("INSERT INTO draws (draw_id, revision, record_sha256, record_json, signature, created_at) "
                     "VALUES (?, ?, ?, ?, ?, ?)", (draw_id, revision, digest, record, signature, now()))
        ws.log(conn, "pool.draw", {"draw_id": draw_id, "revision": revision, "record_sha256": digest})


def draws(ws: Any) -> list[dict[str, Any]]:
    return ws.query("SELECT draw_id, revision, record_sha256, record_json, signature, created_at FROM draws "
                    "ORDER BY created_at, draw_id, revision")
