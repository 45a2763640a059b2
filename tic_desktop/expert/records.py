"""The expert session's rows in the workspace (tables of storage.schema v1), in one place.

Every write is one transaction that also appends its audit event (storage.audit), so a change
and its record in the hash chain are committed together or not at all.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import sqlite3
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from tic_desktop.storage import audit

AnswerKey = tuple[str, str, str, str]
"""(proposal_id, form_id, item_kind, item_id)"""


def now() -> str:
    return _dt.datetime.now(_dt.UTC).isoformat(timespec="milliseconds")


class Records:
    """Reads and writes the expert rows over one workspace connection."""

    def __init__(self, conn: sqlite3.Connection, actor: str = "expert") -> None:
        self.conn = conn
        self.actor = actor

    @contextlib.contextmanager
    def _tx(self, action: str, data: dict[str, Any]) -> Iterator[sqlite3.Connection]:
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
            audit.append(conn, ts=now(), actor=self.actor, action=action, data=data)
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")

    # batches and pins -------------------------------------------------------------------------
    def record_batch(self, row: dict[str, Any], pin: tuple[str, str] | None) -> None:
        with self._tx("batch.import", {"batch_id": row["batch_id"], "raw_sha256": row["raw_sha256"]}) as c:
            if pin is not None:
                c.execute(
                    "INSERT INTO agency_pins (agency_name, fingerprint, pinned_at, first_batch) VALUES (?,?,?,?)",
                    (pin[0], pin[1], now(), row["batch_id"]),
                )
            c.execute(
                "INSERT INTO batches (batch_id, manifest_sha256, title_zh, title_en, kind, agency_name,"
                " agency_fingerprint, raw_sha256, raw_size, imported_at) VALUES (?,?,?,?,?,?,?,?,?,?)"
                " ON CONFLICT(batch_id) DO UPDATE SET manifest_sha256=excluded.manifest_sha256,"
                " title_zh=excluded.title_zh, title_en=excluded.title_en, raw_sha256=excluded.raw_sha256,"
                " raw_size=excluded.raw_size",
                (row["batch_id"], row["manifest_sha256"], row["title_zh"], row["title_en"], row["kind"],
                 row["agency_name"], row["agency_fingerprint"], row["raw_sha256"], row["raw_size"], now()),
            )

    def pinned(self, agency_name: str) -> str | None:
        row = self.conn.execute("SELECT fingerprint FROM agency_pins WHERE agency_name = ?", (agency_name,)).fetchone()
        return row[0] if row else None

    def batches(self) -> list[dict[str, Any]]:
        cur = self.conn.execute(
            "SELECT batch_id, title_zh, title_en, kind, agency_name, raw_sha256, imported_at FROM batches"
            " ORDER BY imported_at DESC"
        )
        names = [d[0] for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]

    # identity, pledge, conflicts --------------------------------------------------------------
    def identity(self, batch_id: str) -> tuple[str, str] | None:
        row = self.conn.execute(
            "SELECT expert_id, key_fingerprint FROM expert_identity WHERE batch_id = ?", (batch_id,)
        ).fetchone()
        return (row[0], row[1]) if row else None

    def set_identity(self, batch_id: str, expert_id: str, fingerprint: str) -> None:
        with self._tx("identity.choose", {"batch_id": batch_id, "expert_id": expert_id, "key": fingerprint}) as c:
            c.execute(
                "INSERT OR REPLACE INTO expert_identity (batch_id, expert_id, key_fingerprint, chosen_at)"
                " VALUES (?,?,?,?)",
                (batch_id, expert_id, fingerprint, now()),
            )

    def pledge(self, batch_id: str, expert_id: str) -> str | None:
        row = self.conn.execute(
            "SELECT accepted_at FROM pledges WHERE batch_id = ? AND expert_id = ?", (batch_id, expert_id)
        ).fetchone()
        return row[0] if row else None

    def set_pledge(self, batch_id: str, expert_id: str, text_sha256: str) -> None:
        with self._tx("pledge.accept", {"batch_id": batch_id, "expert_id": expert_id, "text": text_sha256}) as c:
            c.execute(
                "INSERT OR REPLACE INTO pledges (batch_id, expert_id, accepted_at, text_sha256) VALUES (?,?,?,?)",
                (batch_id, expert_id, now(), text_sha256),
            )

    def conflicts(self, batch_id: str, expert_id: str) -> dict[str, tuple[bool, str | None, str]]:
        rows = self.conn.execute(
            "SELECT proposal_id, declared, reason_code, note FROM conflicts WHERE batch_id = ? AND expert_id = ?",
            (batch_id, expert_id),
        ).fetchall()
        return {r[0]: (bool(r[1]), r[2], r[3]) for r in rows}

    def set_conflicts(self, batch_id: str, expert_id: str, rows: dict[str, tuple[bool, str | None, str]]) -> None:
        data = {pid: [d, code, note] for pid, (d, code, note) in sorted(rows.items())}
        with self._tx("conflicts.declare", {"batch_id": batch_id, "expert_id": expert_id, "rows": data}) as c:
            for pid, (declared, code, note) in rows.items():
                c.execute(
                    "INSERT OR REPLACE INTO conflicts (batch_id, expert_id, proposal_id, declared, reason_code,"
                    " note, declared_at) VALUES (?,?,?,?,?,?,?)",
                    (batch_id, expert_id, pid, int(declared), code, note, now()),
                )

    # answers ----------------------------------------------------------------------------------
    def answers(self, batch_id: str, expert_id: str) -> dict[AnswerKey, str]:
        rows = self.conn.execute(
            "SELECT proposal_id, form_id, item_kind, item_id, value FROM answers WHERE batch_id = ? AND expert_id = ?",
            (batch_id, expert_id),
        ).fetchall()
        return {(r[0], r[1], r[2], r[3]): r[4] for r in rows}

    def save_answers(self, batch_id: str, expert_id: str, items: Iterable[tuple[AnswerKey, str | None]]) -> None:
        """Upsert (or delete, for None) the items in one transaction with one audit event."""
        items = list(items)
        data = {"batch_id": batch_id, "expert_id": expert_id,
                "items": [[*key, value] for key, value in items]}
        with self._tx("answers.save", data) as c:
            stamp = now()
            for (pid, form, kind, item), value in items:
                if value is None:
                    c.execute(
                        "DELETE FROM answers WHERE batch_id=? AND expert_id=? AND proposal_id=? AND form_id=?"
                        " AND item_kind=? AND item_id=?",
                        (batch_id, expert_id, pid, form, kind, item),
                    )
                else:
                    c.execute(
                        "INSERT OR REPLACE INTO answers (batch_id, expert_id, proposal_id, form_id, item_kind,"
                        " item_id, value, updated_at) VALUES (?,?,?,?,?,?,?,?)",
                        (batch_id, expert_id, pid, form, kind, item, value, stamp),
                    )

    # documents and ui state -------------------------------------------------------------------
    def documents_opened(self, batch_id: str, expert_id: str) -> dict[tuple[str, str], str]:
        rows = self.conn.execute(
            "SELECT proposal_id, path, sha256 FROM documents_opened WHERE batch_id = ? AND expert_id = ?",
            (batch_id, expert_id),
        ).fetchall()
        return {(r[0], r[1]): r[2] for r in rows}

    def add_document_opened(self, batch_id: str, expert_id: str, proposal_id: str, path: str, sha256: str) -> None:
        with self._tx("document.open", {"batch_id": batch_id, "proposal_id": proposal_id, "path": path,
                                         "sha256": sha256}) as c:
            c.execute(
                "INSERT OR IGNORE INTO documents_opened (batch_id, expert_id, proposal_id, path, sha256,"
                " first_opened_at) VALUES (?,?,?,?,?,?)",
                (batch_id, expert_id, proposal_id, path, sha256, now()),
            )

    def ui_get(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM ui_state WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def ui_set(self, key: str, value: Any) -> None:
        """UI state is not audited: it is where the expert was, not what they decided."""
        conn = self.conn
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "INSERT OR REPLACE INTO ui_state (key, value, updated_at) VALUES (?,?,?)",
                (key, json.dumps(value, ensure_ascii=False), now()),
            )
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def open_connection(path: Path) -> sqlite3.Connection:
    """Until storage.workspace lands: the same schema and pragmas, opened directly."""
    from tic_desktop.storage.schema import MIGRATIONS, SCHEMA_VERSION  # noqa: PLC0415

    conn = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("PRAGMA foreign_keys=ON")
    conn.execute("PRAGMA busy_timeout=5000")
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    for v in range(version + 1, SCHEMA_VERSION + 1):
        conn.execute("BEGIN IMMEDIATE")
        MIGRATIONS[v](conn)
        conn.execute(f"PRAGMA user_version = {v}")
        conn.execute("COMMIT")
    return conn
