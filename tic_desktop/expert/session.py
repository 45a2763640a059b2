"""ExpertSession: one expert's review of one batch, over the workspace and formats.batch.

The order the UI walks through: open the batch (passphrase or key), check the agency key against
the pins (`expert.agency_trust`: pinned by key, not by name; a new key: compare and pin; the name
of a trusted agency under another key, the demo key outside demo mode, a look-alike name: refuse),
choose the expert, accept the pledge, declare the conflicts, then score. Each step is a method
here; the UI only asks and shows.

A session is either the expert's real one or a demo one (`ExpertSession.open(dir, demo=True)`,
the app's `--demo` in `<data dir>/demo/expert-demo/`): the demo opens only batches signed with the
DEMO-ONLY agency key, the real one never does.

Where the batch lives while it is open: the workspace keeps the raw file in
`<data dir>/batches/<sha256>.ticbatch`; the open `formats.batch.OpenedBatch` holds the parsed
manifest, forms and proposals and reads each PDF on demand from the file it was opened from (a
plain ZIP in place) or, for an encrypted batch, from its decrypted ZIP in an anonymous 0600
temporary file in `<data dir>/tmp` (`spool_dir`). The session closes the batch it replaces and
the current one in `close()`, which removes that temporary file.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tic_desktop.core.errors import BatchRejected, Rejected, register
from tic_desktop.core.pledge import pledge_sha256
from tic_desktop.expert import agency_trust as trust
from tic_desktop.expert.agency_trust import PinState
from tic_desktop.expert.batch_intake import (
    AGENCY_KEY_CHANGED,
    OLDER_COPY,
    copy_demo,
    holds_batch,
    keep_batch,
)
from tic_desktop.expert.batch_probe import AGE_MAGIC, BatchProbe, probe
from tic_desktop.expert.conflicts import (
    NOTE_REQUIRED,
    UNKNOWN_REASON,
    ConflictDeclaration,
    rows_to_store,
    shown_conflicts,
)
from tic_desktop.expert.records import AnswerKey, Records
from tic_desktop.storage.records import build_answers
from tic_desktop.storage.workspace import Workspace

if TYPE_CHECKING:
    from tic_desktop.core.forms import FormTemplate
    from tic_desktop.core.proposal import Proposal
    from tic_desktop.core.scoring import FormAnswers
    from tic_desktop.expert.keys import ExpertKey
    from tic_desktop.formats.batch import OpenedBatch
    from tic_desktop.formats.manifest import Expert

__all__ = [
    "AGE_MAGIC", "AGENCY_KEY_CHANGED", "CONFLICTED", "NOTE_REQUIRED", "NOT_PLEDGED", "OLDER_COPY", "UNKNOWN_REASON",
    "BatchProbe", "ConflictDeclaration", "ExpertSession", "PinState", "Progress", "Status", "copy_demo", "probe",
]

NOT_PLEDGED = register(
    "expert.not_pledged", "请先阅读并接受承诺书。", "Read and accept the pledge first.",
)
CONFLICTED = register(
    "expert.conflicted", "您已对该项目申请回避，不能查看或评分。",
    "You withdrew from this proposal (conflict of interest); it cannot be read or scored.",
)


class Status(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    COMPLETE = "complete"
    SIGNED = "signed"
    CONFLICT = "conflict"


@dataclass(frozen=True)
class Progress:
    done: int
    total: int


@dataclass
class _Current:
    opened: Any  # formats.batch.OpenedBatch
    expert_id: str | None = None
    fingerprint: str | None = None
    answers: dict[AnswerKey, str] = field(default_factory=dict)


class ExpertSession:
    """Holds the open batch and the expert's choices; every change is committed before it returns."""

    def __init__(self, workspace: Workspace, data_dir: Path | None = None, *, demo: bool = False) -> None:
        self.workspace = workspace
        self.data_dir = Path(data_dir) if data_dir is not None else workspace.data_dir
        self.demo = demo
        """A demo session: opens only demo batches (signed with the DEMO-ONLY key)."""
        self.records = Records(workspace)
        self._current: _Current | None = None

    @classmethod
    def open(cls, data_dir: Path, *, demo: bool = False) -> ExpertSession:
        """The session over `<data_dir>/workspace.db` (created or migrated); `demo`: a demo workspace."""
        data_dir = Path(data_dir)
        data_dir.mkdir(parents=True, exist_ok=True)
        return cls(Workspace.open(data_dir / "workspace.db", check_location=False), data_dir, demo=demo)

    def close(self) -> None:
        """Close the open batch (its temporary decrypted copy goes with it) and the workspace."""
        if self._current is not None:
            self._current.opened.close()
            self._current = None
        self.records.close()

    @property
    def spool_dir(self) -> Path:
        """`<data dir>/tmp`, private to the user (0700): where an encrypted batch's decrypted ZIP is
        kept, in an anonymous 0600 file, while the batch is open."""
        path = self.data_dir / "tmp"
        path.mkdir(mode=0o700, exist_ok=True)
        if os.name == "posix":
            os.chmod(path, 0o700)
        return path

    # opening ----------------------------------------------------------------------------------
    @staticmethod
    def read(source: Path | bytes, *, passphrase: str | None = None, identity: str | None = None,
             spool_dir: Path | None = None) -> Any:
        """Decrypt, verify and parse a batch (slow for a large one: call it off the GUI thread).

        Give the file's path rather than its bytes: it is then never held in memory whole. Pass
        `spool_dir` (the session's) to keep a big decrypted batch on disk rather than in memory."""
        from tic_desktop.formats.batch import read_batch  # noqa: PLC0415

        return read_batch(source, passphrase=passphrase.encode("utf-8") if passphrase else None,
                          identity=identity, spool_dir=spool_dir)

    def refusal(self, opened: Any) -> BatchRejected | None:
        """Why this batch may not be opened here at all (the demo key outside the demo, a real key in
        the demo, a look-alike agency name), or None."""
        found = trust.refusal_code(opened.agency_fingerprint, opened.manifest.agency.name, self.demo)
        return BatchRejected(*found) if found else None

    def pin_state(self, opened: Any) -> PinState:
        """PINNED: signed by a key the expert trusts; NEW: a new agency key (ask); CHANGED: a new key
        under the name of an agency trusted with another key (refuse). Ask `refusal` first."""
        return trust.pin_state(opened.agency_fingerprint, opened.manifest.agency.name,
                               self.records.pins(), self.demo)

    def pinned_key_for(self, opened: Any) -> str | None:
        """The trusted key of the agency whose name the batch gives, if any (for the refusal text)."""
        return trust.pinned_under_name(opened.manifest.agency.name, self.records.pins(), self.demo)

    def trusted_agencies(self) -> list[tuple[str, str]]:
        """(agency name, fingerprint) of every agency key the expert trusts here."""
        return trust.trusted(self.records.pins(), self.demo)

    def accept(self, opened: OpenedBatch, raw: bytes | Path, *, pin_new_agency: bool = False) -> None:
        """Make `opened` the current batch: pin (first batch of an agency), keep the raw file, record it.

        `raw` is what `opened` was read from (bytes or the file). Reopening a batch the workspace
        already holds (same manifest, agency pinned, file kept) records nothing and reads nothing;
        otherwise the file is read once to keep its copy (which, like every batch, is checked in
        full again each time it is opened). The session owns `opened` from here on and closes the
        batch it replaces."""
        refused = self.refusal(opened)
        if refused is not None:
            raise refused
        state = self.pin_state(opened)
        if state is PinState.CHANGED:
            raise BatchRejected(AGENCY_KEY_CHANGED, opened.agency_fingerprint)
        if state is PinState.NEW and not pin_new_agency:
            raise BatchRejected(AGENCY_KEY_CHANGED, "agency key not pinned")
        m = opened.manifest
        if not self._holds(opened, state):
            keep_batch(self.workspace, self.records, opened, raw, demo=self.demo)
        previous, self._current = self._current, _Current(opened)
        if previous is not None and previous.opened is not opened:
            previous.opened.close()
        self.records.ui_set("last_batch", m.batch_id)
        known = self.records.identity(m.batch_id)
        if known is not None:
            self._set_expert(*known)

    def holds(self, opened: OpenedBatch) -> bool:
        """Whether `accept(opened, …)` would only reopen: the workspace holds this very batch (same
        signed manifest, so the same content), its agency is pinned and its file is kept."""
        return self._holds(opened, self.pin_state(opened))

    def _holds(self, opened: OpenedBatch, state: PinState) -> bool:
        return state is PinState.PINNED and holds_batch(self.workspace, opened)

    def recent_batches(self) -> list[dict[str, Any]]:
        """Imported batches, newest first, each with `path` of the kept copy (a demo batch kept in a
        real workspace by an older version is left out: it no longer opens there)."""
        return [row for row in self.records.batches()
                if row["path"].exists() and not trust.is_void(row["agency_fingerprint"], self.demo)]

    def last_batch_path(self) -> Path | None:
        last = self.records.ui_get("last_batch")
        return next((r["path"] for r in self.recent_batches() if r["batch_id"] == last), None)

    @property
    def opened(self) -> Any:
        if self._current is None:
            raise RuntimeError("no batch open")
        return self._current.opened

    @property
    def batch_id(self) -> str:
        return self.opened.manifest.batch_id

    # identity ---------------------------------------------------------------------------------
    def experts(self) -> tuple[Expert, ...]:
        return self.opened.manifest.experts

    @property
    def expert(self) -> Expert | None:
        cur = self._current
        return self.opened.manifest.expert(cur.expert_id) if cur and cur.expert_id else None

    @property
    def fingerprint(self) -> str | None:
        return self._current.fingerprint if self._current else None

    # the key module (cryptography, scrypt) is imported when a key is first asked for, not at start
    def has_key(self, expert_id: str) -> bool:
        from tic_desktop.expert import keys  # noqa: PLC0415

        return keys.has_key(self.data_dir, expert_id)

    def create_key(self, expert_id: str, passphrase: str) -> ExpertKey:
        from tic_desktop.expert import keys  # noqa: PLC0415

        return keys.create_key(self.data_dir, expert_id, passphrase)

    def unlock_key(self, expert_id: str, passphrase: str) -> ExpertKey:
        from tic_desktop.expert import keys  # noqa: PLC0415

        return keys.unlock_key(self.data_dir, expert_id, passphrase)

    def choose_expert(self, expert_id: str, key: ExpertKey) -> None:
        self.opened.manifest.expert(expert_id)  # KeyError for a stranger
        self.records.set_identity(self.batch_id, expert_id, key.fingerprint)
        self._set_expert(expert_id, key.fingerprint)

    def _set_expert(self, expert_id: str, fingerprint: str) -> None:
        cur = self._current
        assert cur is not None
        cur.expert_id, cur.fingerprint = expert_id, fingerprint
        cur.answers = self.records.answers(self.batch_id, expert_id)

    def _who(self) -> tuple[str, str]:
        cur = self._current
        if cur is None or cur.expert_id is None:
            raise RuntimeError("no expert chosen")
        return cur.opened.manifest.batch_id, cur.expert_id

    # pledge and conflicts ---------------------------------------------------------------------
    def pledged(self) -> bool:
        return self.records.pledge(*self._who()) is not None

    def accept_pledge(self) -> None:
        self.records.set_pledge(*self._who(), pledge_sha256(self.opened.manifest.pledge_text))

    def assigned(self) -> list[Proposal]:
        """The expert's proposals in manifest order (every proposal when the list is empty)."""
        expert = self.expert
        ids = [p.id for p in self.opened.manifest.proposals]
        if expert is not None and expert.assigned:
            ids = [i for i in ids if i in set(expert.assigned)]
        return [self.opened.proposals[i] for i in ids]

    def conflicts_declared(self) -> bool:
        rows = self.records.conflicts(*self._who())
        return all(p.id in rows for p in self.assigned())

    def conflicts(self) -> dict[str, ConflictDeclaration]:
        expert = self.expert
        known = set(expert.known_conflicts) if expert else set()
        rows = self.records.conflicts(*self._who())
        return shown_conflicts([p.id for p in self.assigned()], known, rows)

    def declare_conflicts(self, declarations: dict[str, ConflictDeclaration]) -> None:
        self.records.set_conflicts(*self._who(), rows_to_store(self.conflicts(), declarations))

    def is_conflicted(self, proposal_id: str) -> bool:
        decl = self.conflicts().get(proposal_id)
        return bool(decl and decl.declared)

    # answers ----------------------------------------------------------------------------------
    def forms_for(self, proposal_id: str) -> list[FormTemplate]:
        p = self.opened.proposals[proposal_id]
        return [self.opened.forms[f] for f in p.forms if f in self.opened.forms]

    def answers(self, proposal_id: str, form_id: str) -> FormAnswers:
        from tic_desktop.core.scoring import FormAnswers  # noqa: PLC0415

        assert self._current is not None
        rows = [(kind, item, value) for (pid, form, kind, item), value in self._current.answers.items()
                if pid == proposal_id and form == form_id]
        values = build_answers(rows)
        fixed = self.fixed_na(proposal_id, form_id)
        if fixed is not None:  # the agency decides N/A (batch 1.1): the same items for every expert
            values["not_applicable"] = fixed
        return FormAnswers(**values)

    def fixed_na(self, proposal_id: str, form_id: str) -> frozenset[str] | None:
        """The items the agency set not applicable for this center on this form; None for a 1.0
        batch, where experts still mark N/A themselves."""
        if self.opened.manifest.experts_mark_na:
            return None
        return self.opened.proposals[proposal_id].not_applicable_for(form_id)

    def save_answers(self, changes: Iterable[tuple[str, str, str, str, object]]) -> None:
        """Commit (proposal, form, item_kind, item_id, value) changes in one transaction.

        Raises storage errors (disk full…) with nothing changed; the caller keeps the edits.
        """
        batch_id, expert_id = self._who()
        items: dict[AnswerKey, object] = {}
        for pid, form, kind, item, value in changes:
            if self.is_conflicted(pid):
                raise Rejected(CONFLICTED, pid)
            items[(pid, form, kind, item or "")] = value
        if not items:
            return
        stored = self.records.save_answers(batch_id, expert_id, items.items())
        cache = self._current.answers  # type: ignore[union-attr]
        for key, value in stored.items():
            if value is None:
                cache.pop(key, None)
            else:
                cache[key] = value

    def evaluation(self, proposal_id: str, form_id: str) -> Any:
        from tic_desktop.core.scoring import evaluate  # noqa: PLC0415

        expert = self.expert
        return evaluate(self.opened.forms[form_id], self.answers(proposal_id, form_id),
                        expert.role if expert else None, fixed_na=self.fixed_na(proposal_id, form_id))

    def status(self, proposal_id: str) -> Status:
        if self.is_conflicted(proposal_id):
            return Status.CONFLICT
        assert self._current is not None
        if not any(k[0] == proposal_id for k in self._current.answers):
            return Status.NOT_STARTED
        forms = self.forms_for(proposal_id)
        if forms and all(self.evaluation(proposal_id, f.id).complete for f in forms):
            return Status.SIGNED if self.sheet_locked() else Status.COMPLETE
        return Status.IN_PROGRESS

    def progress(self) -> Progress:
        statuses = [self.status(p.id) for p in self.assigned()]
        scored = [s for s in statuses if s is not Status.CONFLICT]
        done = sum(s in (Status.COMPLETE, Status.SIGNED) for s in scored)
        return Progress(done, len(scored))

    # documents and place ----------------------------------------------------------------------
    def document_opened(self, proposal_id: str, path: str) -> str:
        """Record that the expert opened a document; returns its SHA-256 (what the sheet will carry)."""
        if self.is_conflicted(proposal_id):
            raise Rejected(CONFLICTED, proposal_id)
        # the signed manifest's hash, which the document's bytes were checked against when read
        digest = self.opened.documents.sha256(path)
        self.records.add_document_opened(*self._who(), proposal_id, path, digest)
        return digest

    def documents_opened(self) -> dict[tuple[str, str], str]:
        return self.records.documents_opened(*self._who())

    def place(self) -> dict[str, Any]:
        return self.records.ui_get(f"place:{self.batch_id}", {}) or {}

    def set_place(self, **values: Any) -> None:
        place = {**self.place(), **values}
        self.records.ui_set(f"place:{self.batch_id}", place)

    def ui_get(self, key: str, default: Any = None) -> Any:
        return self.records.ui_get(key, default)

    def ui_set(self, key: str, value: Any) -> None:
        self.records.ui_set(key, value)

    # the signed-sheet lock: set by a signature, cleared by 修订 (expert.signing decides when)
    def _lock_key(self) -> str:
        assert self.expert is not None
        return f"sheet_lock:{self.batch_id}:{self.expert.id}"

    def sheet_locked(self) -> bool:
        """True once a sheet is signed, until a new revision is opened: proposals open read-only."""
        return self.expert is not None and bool(self.ui_get(self._lock_key()))

    def set_sheet_lock(self, value: dict[str, Any] | None) -> None:
        self.ui_set(self._lock_key(), value)
