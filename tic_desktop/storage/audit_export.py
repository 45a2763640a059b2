"""The audit log exported as JSON Lines, with its hash chain, and the check of such an export.

One line per row of `audit_log` (storage.audit), oldest first, each a JSON object with exactly

    {"seq": 1, "prev_hash": "<64 hex>", "hash": "<64 hex>", "body": "<the row's body, as text>"}

`body` is the exact RFC 8785 text the row stores (`{"action", "actor", "data", "ts"}`), so anyone
can recompute the chain without this app:

    hash = SHA-256(b"tic-audit-v1\\0" || seq as 8-byte big-endian || bytes.fromhex(prev_hash) || body as UTF-8)

with `prev_hash` = the previous line's `hash` (64 zeros on line 1) and `seq` = 1, 2, 3… Lines end in
"\\n"; the file is UTF-8. `check_export` refuses anything else (`archive.audit_chain`, naming the
first line that does not verify).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from typing import Any, NamedTuple

from tic_desktop.core.errors import Rejected, register
from tic_desktop.storage.audit import DOMAIN, GENESIS, AuditHead

AUDIT_CHAIN = register(
    "archive.audit_chain",
    "归档包中的审计日志哈希链断裂：某条记录被改动、删除或插入过。请勿使用此归档包，并与机构的原始工作区核对。",
    "The audit log in the archive has a broken hash chain: an entry was changed, removed or inserted. Do not use "
    "this archive; check it against the agency's original workspace.",
)


class ExportedEntry(NamedTuple):
    seq: int
    prev_hash: str
    hash: str
    body: dict[str, Any]


def export_lines(conn: sqlite3.Connection) -> bytes:
    """Every audit row as one JSON line (see the module docstring)."""
    out: list[bytes] = []
    for seq, body, prev, digest in conn.execute("SELECT seq, body, prev_hash, hash FROM audit_log ORDER BY seq"):
        line = {"seq": int(seq), "prev_hash": bytes(prev).hex(), "hash": bytes(digest).hex(),
                "body": bytes(body).decode("utf-8")}
        out.append(json.dumps(line, ensure_ascii=False, sort_keys=True).encode("utf-8") + b"\n")
    return b"".join(out)


def _entry_hash(seq: int, prev_hex: str, body: bytes) -> str:
    return hashlib.sha256(DOMAIN + seq.to_bytes(8, "big") + bytes.fromhex(prev_hex) + body).hexdigest()


def check_export(data: bytes) -> tuple[AuditHead, list[ExportedEntry]]:
    """Recompute the chain of an export; its head and entries, or `archive.audit_chain`."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(AUDIT_CHAIN, "not UTF-8") from None
    if text and not text.endswith("\n"):
        raise Rejected(AUDIT_CHAIN, "the last line is cut short")
    prev = GENESIS.hex()
    entries: list[ExportedEntry] = []
    for n, line in enumerate(text.splitlines(), start=1):
        try:
            row = json.loads(line)
            ok_keys = isinstance(row, dict) and set(row) == {"seq", "prev_hash", "hash", "body"}
            seq, prev_hash, digest, body = row["seq"], row["prev_hash"], row["hash"], row["body"]
        except (ValueError, KeyError, TypeError):
            raise Rejected(AUDIT_CHAIN, f"line {n} is not an audit entry") from None
        if not ok_keys or type(seq) is not int or not all(isinstance(v, str) for v in (prev_hash, digest, body)):
            raise Rejected(AUDIT_CHAIN, f"line {n} is not an audit entry")
        if seq != n:
            raise Rejected(AUDIT_CHAIN, f"line {n} has seq {seq}")
        if prev_hash != prev:
            raise Rejected(AUDIT_CHAIN, f"seq {seq}: prev_hash is not the hash of seq {seq - 1}")
        try:
            computed = _entry_hash(seq, prev_hash, body.encode("utf-8"))
            parsed = json.loads(body)
        except ValueError:
            raise Rejected(AUDIT_CHAIN, f"seq {seq}: unreadable") from None
        if computed != digest:
            raise Rejected(AUDIT_CHAIN, f"seq {seq}: the hash does not match the entry")
        if not isinstance(parsed, dict) or not {"ts", "actor", "action", "data"} <= set(parsed):
            raise Rejected(AUDIT_CHAIN, f"seq {seq}: the body is not an audit event")
        entries.append(ExportedEntry(seq, prev_hash, digest, parsed))
        prev = digest
    return AuditHead(len(entries), prev), entries
