"""Autosave: every edit reaches the workspace within 0.5 s; "已保存" only after the commit returns.

Edits are collected per field and committed together after a short quiet time (debounce), and
at once on proposal switch, close, aboutToQuit and commitDataRequest (`flush()`). When the
commit fails (disk full, read-only, I/O error) the edits stay here, in memory, the window shows a
banner and a timer retries; nothing is dropped and nothing half-written.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QObject, QTimer, Signal

from tic_desktop.core.errors import Rejected

log = logging.getLogger(__name__)

Edit = tuple[str, str, str, str, object]
"""(proposal_id, form_id, item_kind, item_id, value)"""

DEBOUNCE_MS = 250
RETRY_MS = 3000


class Autosave(QObject):
    saved = Signal(str)  # "HH:MM:SS" of the commit
    failed = Signal(object)  # the Rejected (or other exception) that kept the edits in memory

    def __init__(self, commit: Callable[[Sequence[Edit]], None], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._commit = commit
        self._pending: dict[tuple[str, str, str, str], object] = {}
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.flush)
        self._retry = QTimer(self)
        self._retry.setSingleShot(True)
        self._retry.setInterval(RETRY_MS)
        self._retry.timeout.connect(self.flush)
        self.last_saved: str | None = None
        self.failing = False

    @property
    def pending(self) -> dict[tuple[str, str, str, str], object]:
        return dict(self._pending)

    def value(self, proposal_id: str, form_id: str, kind: str, item_id: str, default: object = None) -> object:
        return self._pending.get((proposal_id, form_id, kind, item_id), default)

    def change(self, proposal_id: str, form_id: str, kind: str, item_id: str, value: object) -> None:
        self._pending[(proposal_id, form_id, kind, item_id)] = value
        if not self.failing:
            self._timer.start()

    def flush(self) -> bool:
        """Commit what is pending now; True when nothing is left in memory."""
        self._timer.stop()
        if not self._pending:
            return True
        batch = dict(self._pending)
        try:
            self._commit([(*key, value) for key, value in batch.items()])
        except Rejected as exc:
            log.warning("autosave failed, keeping %d edits in memory: %s", len(batch), exc)
            self.failing = True
            self._retry.start()
            self.failed.emit(exc)
            return False
        for key, value in batch.items():
            if self._pending.get(key, object()) is value:
                del self._pending[key]
        self.failing = False
        self._retry.stop()
        self.last_saved = datetime.now().strftime("%H:%M:%S")
        self.saved.emit(self.last_saved)
        if self._pending:
            self._timer.start()
        return not self._pending
