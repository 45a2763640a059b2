"""The agency workspace's SQLite schema (its own application id and versions; see agency.workspace)."""

from __future__ import annotations

import sqlite3

from tic_desktop.agency.records import PIN_SOURCES
from tic_desktop.storage.schema import statements

AGENCY_APPLICATION_ID = 0x54494341  # "TICA"
AGENCY_SCHEMA_VERSION = 6
V1_PIN_SOURCES = ("first_use", "enrolment", "allowed_signers", "manual")

_SHA = "CHECK (length({c}) = 64 AND {c} NOT GLOB '*[^0-9a-f]*')"
_V1 = f"""
CREATE TABLE batches (
    batch_id            TEXT PRIMARY KEY CHECK (length(batch_id) BETWEEN 1 AND 64),
    manifest_sha256     TEXT NOT NULL {_SHA.format(c="manifest_sha256")},
    title_zh            TEXT NOT NULL,
    title_en            TEXT NOT NULL,
    kind                TEXT NOT NULL,
    agency_fingerprint  TEXT NOT NULL,
    age_recipient       TEXT NOT NULL,
    expert_ids          TEXT NOT NULL,
    proposal_ids        TEXT NOT NULL,
    raw_sha256          TEXT NOT NULL {_SHA.format(c="raw_sha256")},
    raw_size            INTEGER NOT NULL CHECK (raw_size >= 0),
    added_at            TEXT NOT NULL
);
CREATE TABLE expert_pins (
    batch_id     TEXT NOT NULL REFERENCES batches(batch_id),
    expert_id    TEXT NOT NULL,
    fingerprint  TEXT NOT NULL CHECK (fingerprint LIKE 'SHA256:%'),
    source       TEXT NOT NULL CHECK (source IN {V1_PIN_SOURCES!r}),
    pinned_at    TEXT NOT NULL,
    PRIMARY KEY (batch_id, expert_id)
) WITHOUT ROWID;
CREATE TABLE sheets (
    batch_id      TEXT NOT NULL REFERENCES batches(batch_id),
    sheet_sha256  TEXT NOT NULL {_SHA.format(c="sheet_sha256")},
    expert_id     TEXT NOT NULL,
    sheet_seq     INTEGER NOT NULL CHECK (sheet_seq >= 1),
    supersedes    TEXT,
    fingerprint   TEXT NOT NULL,
    audit_seq     INTEGER NOT NULL,
    audit_hash    TEXT NOT NULL,
    chain         TEXT NOT NULL CHECK (chain IN ('first', 'linked', 'gap')),
    raw_sha256    TEXT NOT NULL {_SHA.format(c="raw_sha256")},
    raw_size      INTEGER NOT NULL,
    file_name     TEXT NOT NULL,
    imported_at   TEXT NOT NULL,
    sheet_json    BLOB NOT NULL,
    PRIMARY KEY (batch_id, sheet_sha256)
) WITHOUT ROWID;
CREATE INDEX sheets_by_expert ON sheets (batch_id, expert_id, sheet_seq);
CREATE TABLE conflict_resolutions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id      TEXT NOT NULL REFERENCES batches(batch_id),
    expert_id     TEXT NOT NULL,
    sheet_seq     INTEGER NOT NULL,
    keep_sha256   TEXT NOT NULL,
    considered    TEXT NOT NULL,
    reason        TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    resolved_at   TEXT NOT NULL
);
CREATE TABLE import_log (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id        TEXT NOT NULL,
    path            TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    raw_sha256      TEXT,
    status          TEXT NOT NULL CHECK (status IN ('accepted', 'duplicate', 'older', 'conflict', 'unpinned',
                                                    'rejected')),
    code            TEXT,
    message_zh      TEXT NOT NULL,
    message_en      TEXT NOT NULL,
    expert_id       TEXT,
    sheet_seq       INTEGER,
    fingerprint     TEXT,
    sheet_sha256    TEXT,
    superseded_seq  INTEGER,
    at              TEXT NOT NULL
);
CREATE TABLE veto_decisions (
    batch_id     TEXT NOT NULL REFERENCES batches(batch_id),
    proposal_id  TEXT NOT NULL,
    form_id      TEXT NOT NULL,
    veto_id      TEXT NOT NULL,
    confirmed    INTEGER NOT NULL CHECK (confirmed IN (0, 1)),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    decided_by   TEXT NOT NULL,
    decided_at   TEXT NOT NULL,
    PRIMARY KEY (batch_id, proposal_id, form_id, veto_id)
) WITHOUT ROWID;
CREATE TABLE opinions (
    batch_id     TEXT NOT NULL REFERENCES batches(batch_id),
    proposal_id  TEXT NOT NULL,
    form_id      TEXT NOT NULL,
    body         TEXT NOT NULL,
    saved_at     TEXT NOT NULL,
    PRIMARY KEY (batch_id, proposal_id, form_id)
) WITHOUT ROWID;
CREATE TABLE audit_log (
    seq        INTEGER PRIMARY KEY CHECK (seq >= 1),
    ts         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    body       BLOB NOT NULL,
    prev_hash  BLOB NOT NULL CHECK (length(prev_hash) = 32),
    hash       BLOB NOT NULL CHECK (length(hash) = 32)
);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER sheets_no_update BEFORE UPDATE ON sheets
BEGIN SELECT RAISE(ABORT, 'sheets are never overwritten'); END;
CREATE TRIGGER sheets_no_delete BEFORE DELETE ON sheets
BEGIN SELECT RAISE(ABORT, 'sheets are never deleted'); END;
"""


def _to_v1(conn: sqlite3.Connection) -> None:
    for statement in statements(_V1):
        conn.execute(statement)
    conn.execute(f"PRAGMA application_id = {AGENCY_APPLICATION_ID}")


_V2 = f"""
CREATE TABLE pool_experts (
    expert_id        TEXT PRIMARY KEY CHECK (length(expert_id) BETWEEN 1 AND 64),
    name             TEXT NOT NULL,
    unit             TEXT NOT NULL,
    title            TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('technical', 'finance', 'management')),
    body             TEXT NOT NULL,
    key_fingerprint  TEXT CHECK (key_fingerprint IS NULL OR key_fingerprint LIKE 'SHA256:%'),
    updated_at       TEXT NOT NULL
) WITHOUT ROWID;
CREATE UNIQUE INDEX pool_one_key_one_expert ON pool_experts (key_fingerprint) WHERE key_fingerprint IS NOT NULL;
CREATE TABLE pool_fields (
    field  TEXT PRIMARY KEY CHECK (length(trim(field)) > 0)
) WITHOUT ROWID;
CREATE TABLE unit_aliases (
    alias      TEXT PRIMARY KEY CHECK (length(trim(alias)) > 0),
    canonical  TEXT NOT NULL CHECK (length(trim(canonical)) > 0)
) WITHOUT ROWID;
CREATE TABLE draws (
    draw_id        TEXT NOT NULL,
    revision       INTEGER NOT NULL CHECK (revision >= 1),
    record_sha256  TEXT NOT NULL {_SHA.format(c="record_sha256")},
    record_json    BLOB NOT NULL,
    signature      BLOB NOT NULL,
    created_at     TEXT NOT NULL,
    PRIMARY KEY (draw_id, revision)
) WITHOUT ROWID;
CREATE TRIGGER draws_no_update BEFORE UPDATE ON draws
BEGIN SELECT RAISE(ABORT, 'draw records are never overwritten'); END;
CREATE TRIGGER draws_no_delete BEFORE DELETE ON draws
BEGIN SELECT RAISE(ABORT, 'draw records are never deleted'); END;
"""


def _to_v2(conn: sqlite3.Connection) -> None:
    """The expert pool (专家库), the agency's field list and unit alias table, the signed draw records."""
    for statement in statements(_V2):
        conn.execute(statement)


_V3 = """
CREATE TABLE meetings (
    batch_id  TEXT PRIMARY KEY REFERENCES batches(batch_id),
    body      TEXT NOT NULL,
    saved_at  TEXT NOT NULL
) WITHOUT ROWID;
"""


def _to_v3(conn: sqlite3.Connection) -> None:
    """The panel meeting record per batch (date, place, mode, chair, deputy: core.panel_meeting); the
    dissent notes live in the opinions' JSON body, which needs no change."""
    for statement in statements(_V3):
        conn.execute(statement)


_V4 = f"""
CREATE TABLE expert_keys (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    expert_id    TEXT NOT NULL CHECK (length(expert_id) BETWEEN 1 AND 64),
    fingerprint  TEXT NOT NULL UNIQUE CHECK (fingerprint GLOB 'SHA256:*' AND length(fingerprint) = 50),
    source       TEXT NOT NULL CHECK (source IN {PIN_SOURCES!r}),
    batch_id     TEXT,
    enrolled_at  TEXT NOT NULL,
    ended_at     TEXT,
    end_reason   TEXT CHECK ((ended_at IS NULL AND end_reason IS NULL)
                             OR (ended_at IS NOT NULL AND end_reason IN ('revoked', 'rotated'))),
    note         TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX expert_keys_one_active ON expert_keys (expert_id) WHERE ended_at IS NULL;
CREATE TRIGGER expert_keys_no_delete BEFORE DELETE ON expert_keys
BEGIN SELECT RAISE(ABORT, 'enrolled keys are never deleted: revoke them'); END;
"""


def _to_v4(conn: sqlite3.Connection) -> None:
    """The expert registry across batches (issue 11). Every v1 pin (batch, expert) → key is kept
    (expert_pins stays as it was, the history of v1) and becomes a registry key, oldest first: a
    newer, different key of the same expert rotates the older one; a key pinned for two experts stays
    with the first and is recorded for the second as not carried over (audit event)."""
    for statement in statements(_V4):
        conn.execute(statement)
    rows = conn.execute("SELECT batch_id, expert_id, fingerprint, source, pinned_at FROM expert_pins "
                        "ORDER BY pinned_at, batch_id, expert_id").fetchall()
    for batch_id, expert_id, fingerprint, source, pinned_at in rows:
        owner = conn.execute("SELECT expert_id FROM expert_keys WHERE fingerprint = ?", (fingerprint,)).fetchone()
        if owner is not None:
            continue  # the same key again, or a key already given to another expert (see skipped_pins)
        conn.execute("UPDATE expert_keys SET ended_at = ?, end_reason = 'rotated', note = 'v4 migration' "
                     "WHERE expert_id = ? AND ended_at IS NULL", (pinned_at, expert_id))
        conn.execute("INSERT INTO expert_keys (expert_id, fingerprint, source, batch_id, enrolled_at) "
                     "VALUES (?, ?, ?, ?, ?)", (expert_id, fingerprint, source, batch_id, pinned_at))


def skipped_pins(conn: sqlite3.Connection) -> list[dict[str, str]]:
    """v1 pins whose key the registry gives to another expert (one key belongs to one expert)."""
    rows = conn.execute("SELECT p.batch_id, p.expert_id, p.fingerprint, k.expert_id FROM expert_pins p "
                        "JOIN expert_keys k ON k.fingerprint = p.fingerprint WHERE k.expert_id != p.expert_id "
                        "ORDER BY p.batch_id, p.expert_id").fetchall()
    return [{"batch_id": b, "expert_id": e, "fingerprint": f, "registered_to": o} for b, e, f, o in rows]


_SCANS = f"""
CREATE TABLE scans (
    batch_id     TEXT NOT NULL REFERENCES batches(batch_id),
    scan_sha256  TEXT NOT NULL {_SHA.format(c="scan_sha256")},
    file_name    TEXT NOT NULL,
    suffix       TEXT NOT NULL CHECK (suffix IN ('.pdf', '.jpg', '.jpeg', '.png', '.tif', '.tiff')),
    size         INTEGER NOT NULL CHECK (size >= 0),
    pages        INTEGER NOT NULL CHECK (pages >= 0),
    added_at     TEXT NOT NULL,
    PRIMARY KEY (batch_id, scan_sha256)
) WITHOUT ROWID;
CREATE TABLE scan_pages (
    scan_sha256  TEXT NOT NULL {_SHA.format(c="scan_sha256")},
    page         INTEGER NOT NULL CHECK (page >= 1),
    codes        TEXT NOT NULL,
    reason       TEXT NOT NULL,
    thumbnail    BLOB NOT NULL,
    PRIMARY KEY (scan_sha256, page)
) WITHOUT ROWID;
CREATE TABLE scan_manual_matches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    batch_id     TEXT NOT NULL REFERENCES batches(batch_id),
    scan_sha256  TEXT NOT NULL,
    page         INTEGER NOT NULL CHECK (page >= 1),
    expert_id    TEXT NOT NULL,
    proposal_id  TEXT NOT NULL,
    sheet_seq    INTEGER NOT NULL CHECK (sheet_seq >= 1),
    digest       TEXT NOT NULL {_SHA.format(c="digest")},
    sheet_page   INTEGER CHECK (sheet_page IS NULL OR sheet_page >= 1),
    sheet_pages  INTEGER CHECK (sheet_pages IS NULL OR sheet_pages >= 1),
    reason       TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    matched_at   TEXT NOT NULL
);
CREATE TRIGGER scans_no_update BEFORE UPDATE ON scans
BEGIN SELECT RAISE(ABORT, 'scans are never overwritten'); END;
CREATE TRIGGER scans_no_delete BEFORE DELETE ON scans
BEGIN SELECT RAISE(ABORT, 'scans are never deleted'); END;
CREATE TRIGGER scan_pages_no_update BEFORE UPDATE ON scan_pages
BEGIN SELECT RAISE(ABORT, 'decoded scan pages are never overwritten'); END;
CREATE TRIGGER scan_pages_no_delete BEFORE DELETE ON scan_pages
BEGIN SELECT RAISE(ABORT, 'decoded scan pages are never deleted'); END;
CREATE TRIGGER scan_manual_no_update BEFORE UPDATE ON scan_manual_matches
BEGIN SELECT RAISE(ABORT, 'manual matches are never overwritten: add a new one'); END;
CREATE TRIGGER scan_manual_no_delete BEFORE DELETE ON scan_manual_matches
BEGIN SELECT RAISE(ABORT, 'manual matches are never deleted'); END;
"""


def _to_scans(conn: sqlite3.Connection) -> None:
    """Scanned paper (issue 15): the scan files of a batch (`<dir>/scans/<sha256><suffix>`, by the SHA-256
    of the file, never overwritten), the QR texts read on each page with a thumbnail, and the pages a
    person matched by hand (the newest match of a page counts)."""
    for statement in statements(_SCANS):
        conn.execute(statement)


_ROUNDS = """
CREATE TABLE rounds (
    round_id         TEXT PRIMARY KEY CHECK (length(round_id) BETWEEN 1 AND 64),
    title            TEXT NOT NULL CHECK (length(trim(title)) > 0),
    year             INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    official         TEXT NOT NULL DEFAULT 'raw' CHECK (official IN ('raw', 'normalised')),
    official_reason  TEXT NOT NULL DEFAULT '',
    official_at      TEXT,
    normalisation    TEXT,
    notice           TEXT NOT NULL DEFAULT '',
    created_at       TEXT NOT NULL,
    CHECK (official = 'raw' OR length(trim(official_reason)) > 0)
) WITHOUT ROWID;
CREATE TABLE round_batches (
    round_id  TEXT NOT NULL REFERENCES rounds(round_id),
    batch_id  TEXT NOT NULL REFERENCES batches(batch_id),
    position  INTEGER NOT NULL,
    added_at  TEXT NOT NULL,
    PRIMARY KEY (round_id, batch_id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX round_batches_one_round ON round_batches (batch_id);
CREATE TABLE round_decisions (
    round_id         TEXT NOT NULL REFERENCES rounds(round_id),
    batch_id         TEXT NOT NULL,
    proposal_id      TEXT NOT NULL,
    decided_on       TEXT NOT NULL,
    decision         TEXT NOT NULL CHECK (length(trim(decision)) > 0),
    document_number  TEXT NOT NULL DEFAULT '',
    recorded_at      TEXT NOT NULL,
    PRIMARY KEY (round_id, batch_id, proposal_id)
) WITHOUT ROWID;
CREATE TABLE round_objections (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    round_id      TEXT NOT NULL REFERENCES rounds(round_id),
    batch_id      TEXT NOT NULL,
    proposal_id   TEXT NOT NULL,
    kind          TEXT NOT NULL CHECK (kind IN ('objection', 'review')),
    received_on   TEXT NOT NULL,
    submitted_by  TEXT NOT NULL,
    summary       TEXT NOT NULL CHECK (length(trim(summary)) > 0),
    outcome       TEXT NOT NULL DEFAULT '',
    outcome_on    TEXT NOT NULL DEFAULT '',
    recorded_at   TEXT NOT NULL
);
CREATE TABLE round_previous (
    round_id     TEXT NOT NULL REFERENCES rounds(round_id),
    center_key   TEXT NOT NULL,
    form_id      TEXT NOT NULL,
    body         TEXT NOT NULL,
    imported_at  TEXT NOT NULL,
    PRIMARY KEY (round_id, center_key, form_id)
) WITHOUT ROWID;
"""


def _to_rounds(conn: sqlite3.Connection) -> None:
    """The evaluation round (issue 13): rounds and their batches (a batch in at most one round), the
    official ranking choice with its reason, the normalisation parameters last computed, the 公示 notice
    text, the 市科技局's final decisions, the 异议/复议, and the previous round's results per center."""
    for statement in statements(_ROUNDS):
        conn.execute(statement)


MIGRATIONS = {1: _to_v1, 2: _to_v2, 3: _to_v3, 4: _to_v4, 5: _to_scans, 6: _to_rounds}

SHEET_COLUMNS = (
    "batch_id, sheet_sha256, expert_id, sheet_seq, supersedes, fingerprint, audit_seq, audit_hash, chain, "
    "raw_sha256, raw_size, file_name, imported_at, sheet_json"
)
