"""The hash-chained, append-only audit log.

Row `seq` (1, 2, 3…) stores `body` = RFC 8785 bytes of `{"ts", "actor", "action", "data"}` and
  hash = SHA-256(b"tic-audit-v1\\0" || seq as 8-byte big-endian || prev_hash || body)
with `prev_hash` the previous row's hash (32 zero bytes for row 1). The `ts`, `actor` and `action`
columns repeat what the body says, for queries; the check compares them. Triggers refuse UPDATE
and DELETE. A local chain cannot stop a rewrite of the whole file; it makes a rewrite detectable
against any head already exported (every signed sheet carries the head).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any, NamedTuple

from tic_desktop.core import canonical

DOMAIN = b"tic-audit-v1\0"
GENESIS = bytes(32)


class AuditHead(NamedTuple):
    seq: int
    hash: str  # hex; 64 zeros for an empty log


class AuditEvent(NamedTuple):
    seq: int
    ts: str
    actor: str
    action: str
    data: dict[str, Any]
    hash: str


def entry_hash(seq: int, prev_hash: bytes, body: bytes) -> bytes:
    return hashlib.sha256(DOMAIN + seq.to_bytes(8, "big") + prev_hash + body).digest()


def encode_body(ts: str, actor: str, action: str, data: dict[str, Any]) -> bytes:
    return canonical.dumps({"ts": ts, "actor": actor, "action": action, "data": data})


def append(conn: sqlite3.Connection, *, ts: str, actor: str, action: str, data: dict[str, Any]) -> AuditHead:
    """Append one event; call inside the transaction that makes the change it describes."""
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    seq, prev = (row[0] + 1, bytes(row[1])) if row else (1, GENESIS)
    body = encode_body(ts, actor, action, data)
    digest = entry_hash(seq, prev, body)
    conn.execute(
        "INSERT INTO audit_log (seq, ts, actor, action, body, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (seq, ts, actor, action, body, prev, digest),
    )
    return AuditHead(seq, digest.hex())


def head(conn: sqlite3.Connection) -> AuditHead:
    row = conn.execute("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchone()
    return AuditHead(row[0], bytes(row[1]).hex()) if row else AuditHead(0, GENESIS.hex())


def _row_ok(row: tuple[Any, ...], expected_seq: int, prev: bytes) -> bool:
    seq, ts, actor, action, body, prev_hash, digest = row
    if seq != expected_seq or bytes(prev_hash) != prev:
        return False
    if entry_hash(seq, prev, bytes(body)) != bytes(digest):
        return False
    try:
        parsed = json.loads(bytes(body))
    except ValueError:
        return False
    return isinstance(parsed, dict) and (parsed.get("ts"), parsed.get("actor"), parsed.get("action")) == (
        ts,
        actor,
        action,
    )


def first_bad_seq(conn: sqlite3.Connection) -> int | None:
    """The first row that does not verify (a gap counts as the missing seq), or None."""
    prev = GENESIS
    expected = 1
    cursor = conn.execute("SELECT seq, ts, actor, action, body, prev_hash, hash FROM audit_log ORDER BY seq")
    for row in cursor:
        if not _row_ok(row, expected, prev):
            return min(int(row[0]), expected)
        prev = bytes(row[6])
        expected += 1
    return None


def events(conn: sqlite3.Connection, since: int = 0) -> list[AuditEvent]:
    rows = conn.execute(
        "SELECT seq, ts, actor, action, body, hash FROM audit_log WHERE seq > ? ORDER BY seq", (since,)
    )
    return [
        AuditEvent(seq, ts, actor, action, json.loads(bytes(body))["data"], bytes(digest).hex())
        for seq, ts, actor, action, body, digest in rows
    ]
