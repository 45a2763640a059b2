"""Keeping a batch the expert opens: the checks against the copy the workspace already holds under
the same batch id, and the kept copy itself (raw file, row, the agency's pin).

A batch id kept under one agency key is never re-bound to another (`batch.other_key`: the expert's
answers and the next sheet's encryption would follow it), and an older copy of a batch does not
replace a newer one (`batch.older_copy`: the next sheet would carry the old manifest hash, which the
agency refuses). ExpertSession.accept calls these after the agency-key checks of expert.agency_trust.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from tic_desktop.core.errors import BatchRejected, register
from tic_desktop.core.names import normalise_name
from tic_desktop.expert import agency_trust as trust
from tic_desktop.expert.records import Records
from tic_desktop.storage.workspace import Workspace

if TYPE_CHECKING:
    from tic_desktop.formats.batch import OpenedBatch

AGENCY_KEY_CHANGED = register(
    "agency.key_changed",
    "该批次的签名密钥与此前从同一机构收到的不一致，已拒绝打开。可能是文件被替换或伪造。"
    "请勿使用此文件，并通过电话向评审机构核实。",
    "This batch is signed with a different key than earlier batches from the same agency, so it was "
    "refused. The file may have been replaced or forged. Do not use it; call the agency to check.",
)
OLDER_COPY = register(
    "batch.older_copy",
    "这是该评审批次较早生成的版本，本机已有同一批次较新的版本，因此没有打开它。请打开评审机构最新发送的批次文件；"
    "如不确定，请联系评审机构。",
    "This is an older copy of a batch whose newer version is already on this computer, so it was not opened. "
    "Open the latest batch file the agency sent; if unsure, contact the agency.",
)


def holds_batch(workspace: Workspace, opened: OpenedBatch) -> bool:
    """Whether the workspace holds this very batch (same signed manifest) and its kept file."""
    record = workspace.batch(opened.manifest.batch_id)
    return (
        record is not None
        and record.manifest_sha256 == opened.manifest_sha256
        and workspace.batch_file(record).exists()
    )


def keep_batch(workspace: Workspace, records: Records, opened: OpenedBatch, raw: bytes | Path, *,
               demo: bool) -> None:
    """Check `opened` against the copy kept under its id, then keep it: the raw file (`raw`, what
    `opened` was read from, read once here), its row, the agency's pin (a void pin replaced)."""
    m = opened.manifest
    stored = workspace.batch(m.batch_id)
    if stored is not None and stored.agency_fingerprint != opened.agency_fingerprint \
            and not trust.is_void(stored.agency_fingerprint, demo):
        # never re-bind the expert's answers (and the next sheet's encryption) to another key
        raise BatchRejected(trust.OTHER_KEY, f"{m.batch_id}: kept {stored.agency_fingerprint}, "
                                             f"offered {opened.agency_fingerprint}")
    if stored is not None and stored.manifest_sha256 != opened.manifest_sha256 \
            and is_older(m.created_at, stored.manifest_created_at):
        # the next sheet would carry the old manifest hash, which the agency refuses
        raise BatchRejected(OLDER_COPY, f"{m.created_at} < {stored.manifest_created_at}")
    name = normalise_name(m.agency.name)
    void_pin = dict(records.pins()).get(name)
    data = raw if isinstance(raw, bytes | bytearray | memoryview) else Path(raw).read_bytes()
    records.add_batch(
        bytes(data), batch_id=m.batch_id, manifest_sha256=opened.manifest_sha256, title_zh=m.title.zh,
        title_en=m.title.en, kind=m.kind, agency_name=name,
        agency_fingerprint=opened.agency_fingerprint, manifest_created_at=m.created_at,
        pin_replace=void_pin is not None and trust.is_void(void_pin, demo),
    )


def is_older(offered: str, stored: str) -> bool:
    """Whether manifest time `offered` is before `stored` (ISO 8601; '' or unreadable: not known)."""

    def parse(text: str) -> datetime | None:
        try:
            value = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError:
            return None
        return value if value.tzinfo else value.replace(tzinfo=UTC)

    a, b = parse(offered), parse(stored)
    return a is not None and b is not None and a < b


def copy_demo(data_dir: Path, write_demo: Callable[[Path], Path]) -> Path:
    """The demo batch in the data folder, written once (tic-desktop --demo)."""
    target = data_dir / "demo"
    existing = target / "demo.ticbatch"
    if existing.exists():
        return existing
    tmp = data_dir / "demo.partial"
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    written = write_demo(tmp)
    tmp.replace(target) if not target.exists() else None
    return target / Path(written).name
