"""Workspace schema and its migrations.

`MIGRATIONS[v]` turns a version `v - 1` database into version `v`; each runs in its own
transaction together with `PRAGMA user_version = v`, after a backup (storage.workspace). Never
edit a released migration: append a new one and bump `SCHEMA_VERSION`.

Version 0 is an empty file, or the prototype's database that held only `ui_state`.

Tables (v1):
  batches           one row per imported .ticbatch (the expert may have several); the raw file
                    itself is content-addressed on disk, `<data dir>/batches/<raw_sha256>.ticbatch`
                    (kept out of the database so that WAL and backups stay small)
  agency_pins       agency name → signing key fingerprint pinned at first import
  expert_identity   per batch: which expert of the manifest the user is, and their key
  pledges           (batch, expert): pledge accepted at, SHA-256 of the pledge text
  conflicts         (batch, expert, proposal): declared or not, reason code, note (回避)
  answers           (batch, expert, proposal, form, item_kind, item_id) → value TEXT
  documents_opened  (batch, expert, proposal, path): SHA-256 and first-opened time
  sheet_exports     (batch, expert, sheet_seq): every signed sheet written, for `supersedes`
  ui_state          key → JSON value (last proposal, splitter sizes…)
  audit_log         hash-chained, append-only (triggers refuse UPDATE and DELETE)

v2: batches.manifest_created_at, the manifest's `created_at` (when the agency built it), so that
    opening an older copy of a batch never replaces the newer one ('' for batches imported by v1).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from tic_desktop.storage.records import ITEM_KINDS

APPLICATION_ID = 0x54494344  # "TICD"
SCHEMA_VERSION = 2

_ID = "CHECK (length({c}) BETWEEN 1 AND 64)"
_SHA = "CHECK (length({c}) = 64 AND {c} NOT GLOB '*[^0-9a-f]*')"

_V1 = f"""
CREATE TABLE IF NOT EXISTS batches (
    batch_id            TEXT PRIMARY KEY {_ID.format(c="batch_id")},
    manifest_sha256     TEXT NOT NULL {_SHA.format(c="manifest_sha256")},
    title_zh            TEXT NOT NULL,
    title_en            TEXT NOT NULL,
    kind                TEXT NOT NULL,
    agency_name         TEXT NOT NULL,
    agency_fingerprint  TEXT NOT NULL,
    raw_sha256          TEXT NOT NULL {_SHA.format(c="raw_sha256")},
    raw_size            INTEGER NOT NULL CHECK (raw_size >= 0),
    imported_at         TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS agency_pins (
    agency_name   TEXT PRIMARY KEY CHECK (length(agency_name) >= 1),
    fingerprint   TEXT NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
    pinned_at     TEXT NOT NULL,
    first_batch   TEXT
);
CREATE TABLE IF NOT EXISTS expert_identity (
    batch_id         TEXT PRIMARY KEY REFERENCES batches(batch_id) ON DELETE CASCADE,
    expert_id        TEXT NOT NULL {_ID.format(c="expert_id")},
    key_fingerprint  TEXT NOT NULL,
    chosen_at        TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS pledges (
    batch_id      TEXT NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
    expert_id     TEXT NOT NULL,
    accepted_at   TEXT NOT NULL,
    text_sha256   TEXT NOT NULL {_SHA.format(c="text_sha256")},
    PRIMARY KEY (batch_id, expert_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS conflicts (
    batch_id      TEXT NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
    expert_id     TEXT NOT NULL,
    proposal_id   TEXT NOT NULL,
    declared      INTEGER NOT NULL CHECK (declared IN (0, 1)),
    reason_code   TEXT,
    note          TEXT NOT NULL DEFAULT '',
    declared_at   TEXT NOT NULL,
    PRIMARY KEY (batch_id, expert_id, proposal_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS answers (
    batch_id      TEXT NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
    expert_id     TEXT NOT NULL,
    proposal_id   TEXT NOT NULL,
    form_id       TEXT NOT NULL,
    item_kind     TEXT NOT NULL CHECK (item_kind IN {ITEM_KINDS!r}),
    item_id       TEXT NOT NULL,
    value         TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    PRIMARY KEY (batch_id, expert_id, proposal_id, form_id, item_kind, item_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS documents_opened (
    batch_id         TEXT NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
    expert_id        TEXT NOT NULL,
    proposal_id      TEXT NOT NULL,
    path             TEXT NOT NULL,
    sha256           TEXT NOT NULL {_SHA.format(c="sha256")},
    first_opened_at  TEXT NOT NULL,
    PRIMARY KEY (batch_id, expert_id, proposal_id, path)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS sheet_exports (
    batch_id       TEXT NOT NULL REFERENCES batches(batch_id) ON DELETE CASCADE,
    expert_id      TEXT NOT NULL,
    sheet_seq      INTEGER NOT NULL CHECK (sheet_seq >= 1),
    sheet_sha256   TEXT NOT NULL {_SHA.format(c="sheet_sha256")},
    supersedes     TEXT,
    audit_seq      INTEGER NOT NULL,
    exported_at    TEXT NOT NULL,
    PRIMARY KEY (batch_id, expert_id, sheet_seq)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS ui_state (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS audit_log (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    body       BLOB NOT NULL,
    prev_hash  BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash       BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE TRIGGER IF NOT EXISTS audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
"""


def statements(script: str) -> list[str]:
    """Split a DDL script into statements (so they run inside the caller's transaction)."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        raise ValueError(f"incomplete SQL: {buf!r}")
    return out


def _to_v1(conn: sqlite3.Connection) -> None:
    for statement in statements(_V1):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")


def _to_v2(conn: sqlite3.Connection) -> None:
    conn.execute("ALTER TABLE batches ADD COLUMN manifest_created_at TEXT NOT NULL DEFAULT ''")


Migration = Callable[[sqlite3.Connection], None]
MIGRATIONS: dict[int, Migration] = {1: _to_v1, 2: _to_v2}
