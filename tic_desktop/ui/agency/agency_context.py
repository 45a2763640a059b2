"""AgencyContext: what the agency pages share about the batch being worked on.

The workspace's SQLite connection belongs to the GUI thread: slow work in a worker opens its own
connection to the same file with `worker_workspace()` (WAL lets both run) and closes it after.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication

from tic_desktop.ui.common.os_errors import error_parts


@dataclass
class AgencyContext:
    ws: Any
    """The GUI thread's `agency.workspace.AgencyWorkspace`."""
    ws_path: Path
    batch_id: str
    batch: Any
    """The `formats.batch.OpenedBatch`, read with the agency's identity."""
    identity: str = field(repr=False)
    """The text of the agency's age identity (agency.agekey)."""
    lang: str = field(default="zh")
    keys_dir: Path | None = None
    """The agency key folder (its document-signing key signs the exported PDFs)."""
    key_passphrase: bytes | None = field(default=None, repr=False)
    """The session's agency key passphrase (None: the keys are not sealed, or not unlocked)."""

    def document_signer(self, agency_name: str = "") -> Any:
        """The agency's `formats.docsign.DocumentSigner` (made now for a folder made before PDF
        signing), or None without a key folder or for demo keys without a certificate."""
        if self.keys_dir is None:
            return None
        from tic_desktop.agency.document_signer import agency_document_signer

        return agency_document_signer(self.keys_dir, self.key_passphrase, agency_name)[0]

    @contextmanager
    def worker_workspace(self) -> Iterator[tuple[Any, Any]]:
        """(workspace, opened batch) of the calling worker thread: its own SQLite connection and
        its own copy of the batch, checked again, so that the window may switch or close the
        GUI's batch meanwhile. Both are closed on exit."""
        from tic_desktop.agency.service import open_batch, open_workspace

        ws = open_workspace(self.ws_path, check_location=False)
        try:
            batch = open_batch(ws, self.batch_id, self.identity)
            try:
                yield ws, batch
            finally:
                batch.close()
        finally:
            ws.close()

    @property
    def manifest(self) -> Any:
        return self.batch.manifest

    def expert_name(self, expert_id: str | None) -> str:
        if not expert_id:
            return ""
        for e in self.batch.manifest.experts:
            if e.id == expert_id:
                return str(e.name)
        return expert_id

    def chair_name(self) -> str:
        return next((str(e.name) for e in self.batch.manifest.experts if e.chair), "")

    def center_name(self, proposal_id: str) -> str:
        proposal = self.batch.proposals.get(proposal_id)
        return str(proposal.center_name) if proposal is not None else proposal_id

    def error_text(self, exc: BaseException) -> str:
        """What went wrong and what to do, in the UI language: the registered sentence of the code
        (system errors mapped by errno), never the system's own English text (see error_details)."""
        code, sentence, _details = error_parts(exc, self.lang)
        if code is not None:
            return sentence
        return QCoreApplication.translate("AgencyContext", "出现意外错误：%1").replace("%1", str(exc))

    def error_details(self, exc: BaseException) -> str:
        """The technical text of an error (system message, detail of a code) for a details section."""
        return error_parts(exc, self.lang)[2]
