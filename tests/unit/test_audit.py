"""The audit chain: its hash formula, append-only triggers, tamper detection."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
import rfc8785

from tic_desktop.storage.audit import GENESIS
from tic_desktop.storage.errors import AuditChainBroken
from tic_desktop.storage.schema import SCHEMA_VERSION
from tic_desktop.storage.workspace import Workspace


@pytest.fixture
def ws(tmp_path: Path) -> Iterator[Workspace]:
    workspace = Workspace.open(tmp_path / "workspace.db")
    workspace.add_batch(
        batch_id="B1", manifest_sha256="ab" * 32, title_zh="批", title_en="Batch", kind="periodic_assessment",
        agency_name="机构", agency_fingerprint="SHA256:a", raw=b"raw",
    )  # fmt: skip
    for i in range(5):
        workspace.set_answer("B1", "E01", "P01", "f", "score", str(i), str(i))
    yield workspace
    workspace.close()


EXTRA_MIGRATIONS = SCHEMA_VERSION - 1


def rows(ws: Workspace) -> list[tuple]:
    return ws.db.execute(
        "SELECT seq, ts, actor, action, body, prev_hash, hash FROM audit_log ORDER BY seq"
    ).fetchall()


def test_hash_formula_recomputed_independently(ws: Workspace) -> None:
    prev = bytes(32)
    for seq, ts, actor, action, body, prev_hash, digest in rows(ws):
        assert prev_hash == prev
        expected = hashlib.sha256(b"tic-audit-v1\0" + seq.to_bytes(8, "big") + prev + body).digest()
        assert digest == expected
        parsed = json.loads(body)
        assert rfc8785.dumps(parsed) == body  # canonical
        assert (parsed["ts"], parsed["actor"], parsed["action"]) == (ts, actor, action)
        prev = digest
    head = ws.audit_head()
    assert head.seq == len(rows(ws)) and head.hash == prev.hex()
    assert ws.verify_audit_chain() == head
    assert ws.first_bad_audit_seq() is None


def test_answer_event_body(ws: Workspace) -> None:
    event = ws.audit_events(since=ws.audit_head().seq - 1)[0]
    assert event.action == "answer.set" and event.actor == "E01"
    assert event.data == {
        "batch_id": "B1", "expert_id": "E01", "proposal_id": "P01", "form_id": "f",
        "item_kind": "score", "item_id": "4", "value": "4",
    }  # fmt: skip


def test_empty_log_head(tmp_path: Path) -> None:
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, hash BLOB)")
        from tic_desktop.storage import audit

        assert audit.head(conn) == (0, GENESIS.hex())
    finally:
        conn.close()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE audit_log SET actor = 'someone' WHERE seq = 2",
        "DELETE FROM audit_log WHERE seq = 3",
        "DELETE FROM audit_log",
    ],
)
def test_update_and_delete_refused(ws: Workspace, sql: str) -> None:
    before = rows(ws)
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        ws.db.execute(sql)
    assert rows(ws) == before


def drop_triggers(ws: Workspace) -> None:
    ws.db.execute("DROP TRIGGER audit_log_no_update")
    ws.db.execute("DROP TRIGGER audit_log_no_delete")


@pytest.mark.parametrize(
    ("sql", "bad"),
    [
        (
            "UPDATE audit_log SET body = CAST(replace(CAST(body AS TEXT), '\"3\"', '\"9\"') AS BLOB) WHERE seq = 7",
            7,
        ),
        ("UPDATE audit_log SET actor = 'E99' WHERE seq = 4", 4),
        ("UPDATE audit_log SET ts = '2020-01-01T00:00:00.000Z' WHERE seq = 2", 2),
        ("DELETE FROM audit_log WHERE seq = 3", 3),
        ("UPDATE audit_log SET hash = zeroblob(32) WHERE seq = 6", 6),
    ],
)
def test_tampering_detected(ws: Workspace, sql: str, bad: int) -> None:
    # the seq numbers above are for schema v1 (one schema.migrate event); each later migration adds one
    sql, bad = sql.replace(f"seq = {bad}", f"seq = {bad + EXTRA_MIGRATIONS}"), bad + EXTRA_MIGRATIONS
    drop_triggers(ws)
    ws.db.execute(sql)
    assert ws.first_bad_audit_seq() == bad
    with pytest.raises(AuditChainBroken) as info:
        ws.verify_audit_chain()
    assert info.value.seq == bad and info.value.code == "audit.chain_broken"


def test_rewriting_a_row_and_its_hash_breaks_the_next(ws: Workspace) -> None:
    drop_triggers(ws)
    seq, _ts, _actor, _action, body, prev, _digest = rows(ws)[4 + EXTRA_MIGRATIONS]  # answer item 1
    forged = body.replace(b'"value":"1"', b'"value":"8"')
    assert forged != body
    new_hash = hashlib.sha256(b"tic-audit-v1\0" + seq.to_bytes(8, "big") + prev + forged).digest()
    ws.db.execute("UPDATE audit_log SET body = ?, hash = ? WHERE seq = ?", (forged, new_hash, seq))
    assert ws.first_bad_audit_seq() == seq + 1
