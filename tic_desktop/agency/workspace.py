"""The agency's workspace: its batches, the experts' pinned keys, every imported sheet revision,
the import log, the chair's veto decisions and panel opinions. One SQLite file, Qt-free.

    ws = AgencyWorkspace.open(data_dir / "agency" / "agency.db")
    info = ws.add_batch(path, identity_text)           # signed by the agency key in <dir>/keys/, read with agency.agekey
    batch = ws.open_batch(info.batch_id, identity_text)
    agency.importer.import_sheets(ws, batch, identity_text, [folder])
    ws.current_sheets(info.batch_id)

The file is opened like the expert's workspace (storage.connection: quick_check, WAL,
synchronous=FULL, typed errors) with its own application id and schema version; migrations run in
their own transaction after a snapshot (storage.backup). Every mutating method is ONE
`BEGIN IMMEDIATE` transaction together with its event in the hash-chained audit log
(storage.audit). Raw files are content-addressed beside the database and never overwritten:
`<dir>/batches/<raw sha256>.ticbatch`, `<dir>/sheets/<raw sha256>.ticsheet` (written with
core.atomic before the row that names them is committed).

Tables (agency schema v1, in agency.schema; the records handed out are in agency.records):
  batches               one row per batch (manifest hash, titles, expert and proposal ids, raw file)
  expert_pins           (batch, expert) → the pinned signing key fingerprint and where it came from
  sheets                every stored sheet revision: the exact signed sheet.json, its SHA-256, the raw
                        file's SHA-256, sheet_seq, supersedes, the expert's audit head, the chain state
  conflict_resolutions  a person's choice between sheets with the same expert and sheet_seq
                        (append-only: the newest row for a group counts)
  import_log            every import attempt with its outcome, code and sentences
  veto_decisions        (batch, proposal, form, veto) → the chair's confirmation or rejection
  opinions              (batch, proposal, form) → the panel opinion (with its dissent note)
  meetings              batch → the panel meeting record (date, place, mode, chair, deputy; schema v3)
  rounds, round_batches, round_decisions, round_objections, round_previous
                        the evaluation round (schema v6; agency.round_store)
  audit_log             as storage.audit requires

Which revision counts (see agency.importer for how a file becomes a revision): per expert, revisions
are grouped by sheet_seq; a group with more than one sheet and no resolution covering all of them is
a *conflict*. The highest group decides: a single (or chosen) sheet there is *current*; if that group
is in conflict the expert has no current sheet until a person resolves it. Every other stored sheet
is *superseded* (or *conflict*, while its own group is unresolved).
"""

from __future__ import annotations

from pathlib import Path

from tic_desktop.agency.registry import (  # noqa: F401 - the registry's codes, re-exported
    FIRST_USE_AMBIGUOUS,
    KEY_REVOKED,
    KEY_TAKEN,
    PIN_AMBIGUOUS,
    PIN_BAD_FINGERPRINT,
    PIN_CONFLICT,
    PIN_UNKNOWN_EXPERT,
    ExpertRegistry,
)
from tic_desktop.agency.schema import AGENCY_APPLICATION_ID, AGENCY_SCHEMA_VERSION, MIGRATIONS
from tic_desktop.agency.workspace_batches import (  # noqa: F401 - the batches' codes, re-exported
    ACTOR,
    BATCH_CONFLICT,
    BATCH_FILE_MISSING,
    BATCH_UNKNOWN,
    DEMO_BATCH,
    NOT_OUR_BATCH,
    NOT_OWN_SIGNATURE,
    OWN_KEY_UNKNOWN,
    signing_fingerprint,
)
from tic_desktop.agency.workspace_decisions import MEETING_INVALID, WorkspaceDecisions  # noqa: F401 - re-exported
from tic_desktop.agency.workspace_sheets import (  # noqa: F401 - the sheets' codes, re-exported
    CONFLICT_UNKNOWN,
    REASON_REQUIRED,
    WorkspaceSheets,
)
from tic_desktop.storage import backup


class AgencyWorkspace(ExpertRegistry, WorkspaceSheets, WorkspaceDecisions):
    """An open agency workspace. Use `AgencyWorkspace.open(path)`; close it (or use `with`).

    Its methods live with what they handle: raw files and batches in agency.workspace_batches, sheet
    revisions, conflicts and the import log in agency.workspace_sheets, veto decisions, the meeting
    record and panel opinions in agency.workspace_decisions, the expert key registry in agency.registry.
    """

    application_id = AGENCY_APPLICATION_ID
    schema_version = AGENCY_SCHEMA_VERSION
    migrations = MIGRATIONS
    system_actor = ACTOR

    @classmethod
    def open(cls, path: Path, *, check_location: bool = True) -> AgencyWorkspace:
        path = Path(path)
        return cls._open(path, check_location=check_location, folders=(path.parent / "batches", path.parent / "sheets"))

    def backup_now(self) -> Path:
        with self._lock:
            return backup.take_backup(self._connection(), self.path)
