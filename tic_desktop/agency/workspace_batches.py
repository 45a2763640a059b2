"""The raw files and batches of the agency workspace (agency.workspace.AgencyWorkspace inherits them).

A batch is checked (signed by THIS agency's key, the manifest, the agency's own encryption key)
before its raw .ticbatch is kept content-addressed in `<dir>/batches/<raw sha256>.ticbatch` and its
row and audit event are committed in one transaction; a raw file written for an import that did not
happen is removed again when no row names it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

from tic_desktop.agency.records import BatchInfo
from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.types import Text
from tic_desktop.formats.batch import OpenedBatch, read_batch
from tic_desktop.storage.audit import AuditHead
from tic_desktop.storage.store import AuditedStore, now

ACTOR = "agency"


BATCH_CONFLICT = register(
    "agency.batch_conflict",
    "工作区中已有编号相同但内容不同的批次。请确认使用的是同一份批次文件，或另建工作区。",
    "The workspace already holds a different batch with the same id. Check that it is the same batch file, "
    "or use another workspace.",
)
NOT_OUR_BATCH = register(
    "agency.not_own_batch",
    "该批次不是用本机构的密钥制作的（评分表加密公钥不同），本机构无法解密其评分表。请选择本机构的批次文件和密钥。",
    "This batch was not made with this agency's keys (the score sheet encryption key differs), so its sheets "
    "cannot be decrypted here. Choose this agency's batch file and key.",
)
BATCH_UNKNOWN = register(
    "agency.batch_unknown", "工作区中没有该批次。请先添加批次文件。",
    "The workspace has no such batch. Add the batch file first.",
)
BATCH_FILE_MISSING = register(
    "agency.batch_file_missing", "工作区中保存的批次文件丢失或已改变。请重新添加原批次文件。",
    "The batch file kept in the workspace is missing or changed. Add the original batch file again.",
)
NOT_OWN_SIGNATURE = register(
    "agency.not_own_signature",
    "该批次不是用本机构的签名密钥签名的，可能被他人改动后重新签名（例如改了汇总规则或分值）。已拒收，工作区未作任何改动。"
    "请使用本机构自己生成的批次文件，并核对机构密钥。",
    "This batch is not signed with this agency's signing key; someone may have changed it and signed it again (the "
    "consolidation rule or the points, for example). It was refused and the workspace is unchanged. Use the batch "
    "file this agency built, and check the agency key.",
)
DEMO_BATCH = register(
    "agency.demo_batch",
    "该批次由公开的演示机构密钥签名（仅供演示，任何人都可用它签名），不能用于正式的机构工作区。演示请用 tic-desktop --agency --demo。",
    "This batch is signed with the public DEMO-ONLY agency key (anyone can sign with it), so it cannot be used in a "
    "real agency workspace. For the demo use tic-desktop --agency --demo.",
)
OWN_KEY_UNKNOWN = register(
    "agency.own_key_unknown",
    "找不到本机构的签名公钥（agency_ed25519.pub），无法核对批次是否由本机构签名。请指定机构密钥文件夹（命令行用 --key AGENCY_DIR）。",
    "This agency's signing public key (agency_ed25519.pub) was not found, so the batch's signature cannot be "
    "checked against it. Give the agency key folder (on the command line --key AGENCY_DIR).",
)


def signing_fingerprint(key_dir: Path) -> str:
    """The fingerprint of `key_dir/agency_ed25519.pub` (only the public key is read); `agency.own_key_unknown`."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    from tic_desktop.formats import keys as fkeys  # noqa: PLC0415
    from tic_desktop.formats import sshsig  # noqa: PLC0415

    path = Path(key_dir) / fkeys.PUBLIC_KEY_FILE
    try:
        key = serialization.load_ssh_public_key(path.read_text("ascii").strip().encode("ascii"))
        return sshsig.fingerprint(key)  # type: ignore[arg-type]
    except (OSError, ValueError, UnicodeDecodeError, TypeError):
        raise Rejected(OWN_KEY_UNKNOWN, str(path)) from None


class WorkspaceBatches(AuditedStore):
    """The raw-file and batch methods of `AgencyWorkspace` (and its audit `log`)."""

    @property
    def folder(self) -> Path:
        return self.path.parent

    def log(self, conn: sqlite3.Connection, action: str, data: dict[str, Any]) -> AuditHead:
        """An audit event by the agency, inside the caller's transaction."""
        return self._log(conn, action, data, ACTOR)

    # ---- raw files -------------------------------------------------------------------------
    def store_raw(self, kind: Literal["batches", "sheets"], raw: bytes, raw_sha256: str) -> tuple[Path, bool]:
        """Write a raw file content-addressed (never over an existing one); (path, written now)."""
        suffix = ".ticbatch" if kind == "batches" else ".ticsheet"
        target = self.folder / kind / f"{raw_sha256}{suffix}"
        if target.exists():
            return target, False
        target.parent.mkdir(parents=True, exist_ok=True)

        def same(candidate: Path) -> None:
            if candidate.read_bytes() != raw:
                raise ValueError("stored file differs from the imported bytes")

        atomic_write(target, raw, verify=same, reverify=False)
        return target, True

    def drop_raw_if_unused(self, kind: Literal["batches", "sheets"], raw_sha256: str) -> None:
        """Remove a raw file this session wrote when no row names it (the import did not happen)."""
        table = "batches" if kind == "batches" else "sheets"
        try:
            used = self.query(f"SELECT 1 FROM {table} WHERE raw_sha256 = ? LIMIT 1", (raw_sha256,))
        except Exception:
            return  # cannot tell: an orphan is better than a missing file
        if not used:
            suffix = ".ticbatch" if kind == "batches" else ".ticsheet"
            with contextlib.suppress(OSError):
                (self.folder / kind / f"{raw_sha256}{suffix}").unlink()

    # ---- batches ---------------------------------------------------------------------------
    def own_fingerprint(self) -> str:
        """The fingerprint of this agency's signing key, from `<folder>/keys/agency_ed25519.pub`."""
        return signing_fingerprint(self.folder / "keys")

    def add_batch(self, batch_path: Path, identity: str, *, own_fingerprint: str | None = None,
                  passphrase: bytes | None = None, allow_demo: bool = False) -> BatchInfo:
        """Check the batch (signature by THIS agency's key `own_fingerprint` — by default the key in
        `<folder>/keys/` —, manifest, the agency's own encryption key), keep a copy, record it. The same batch
        again returns its record; another batch with the same id is refused. A batch signed with the public
        demo key is refused unless `allow_demo` (the demo workspace and the command line's rehearsal)."""
        from tic_desktop.formats import keys as agency_keys  # noqa: PLC0415
        from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415

        own_fp = own_fingerprint or self.own_fingerprint()
        if is_demo_agency_fingerprint(own_fp) and not allow_demo:
            raise Rejected(DEMO_BATCH, f"own key {own_fp}")
        raw = Path(batch_path).read_bytes()
        raw_sha = hashlib.sha256(raw).hexdigest()
        with read_batch(raw, passphrase=passphrase, identity=identity if passphrase is None else None) as opened:
            m = opened.manifest
            if opened.agency_fingerprint != own_fp:
                if is_demo_agency_fingerprint(opened.agency_fingerprint) and not allow_demo:
                    raise Rejected(DEMO_BATCH, opened.agency_fingerprint)
                raise Rejected(NOT_OWN_SIGNATURE, f"signed by {opened.agency_fingerprint}, this agency {own_fp}")
            own = str(agency_keys.parse_age_identity(identity).to_public())
            if m.agency.age_recipient != own:
                raise Rejected(NOT_OUR_BATCH, f"{m.agency.age_recipient} ≠ {own}")
            existing = self.query("SELECT manifest_sha256 FROM batches WHERE batch_id = ?", (m.batch_id,))
            if existing:
                if existing[0]["manifest_sha256"] != opened.manifest_sha256:
                    raise Rejected(BATCH_CONFLICT, m.batch_id)
                return self.batch(m.batch_id)
            _, wrote = self.store_raw("batches", raw, raw_sha)
            try:
                with self.transaction() as conn:
                    row = {
                        "batch_id": m.batch_id, "manifest_sha256": opened.manifest_sha256,
                        "title_zh": m.title.zh, "title_en": m.title.en, "kind": m.kind,
                        "agency_fingerprint": opened.agency_fingerprint, "age_recipient": m.agency.age_recipient,
                        "expert_ids": json.dumps([e.id for e in m.experts]),
                        "proposal_ids": json.dumps([p.id for p in m.proposals]),
                        "raw_sha256": raw_sha, "raw_size": len(raw), "added_at": now(),
                    }
                    conn.execute(
                        f"INSERT INTO batches ({', '.join(row)}) VALUES ({', '.join('?' * len(row))})",
                        tuple(row.values()),
                    )
                    self.log(conn, "batch.add", {k: row[k] for k in (
                        "batch_id", "manifest_sha256", "kind", "agency_fingerprint", "raw_sha256")})
            finally:
                if wrote:
                    self.drop_raw_if_unused("batches", raw_sha)
        return self.batch(m.batch_id)

    def _batch_info(self, row: Mapping[str, Any]) -> BatchInfo:
        return BatchInfo(
            batch_id=row["batch_id"], title=Text(zh=row["title_zh"], en=row["title_en"]), kind=row["kind"],
            path=self.folder / "batches" / f"{row['raw_sha256']}.ticbatch", added_at=row["added_at"],
            experts=len(json.loads(row["expert_ids"])), proposals=len(json.loads(row["proposal_ids"])),
            manifest_sha256=row["manifest_sha256"], agency_fingerprint=row["agency_fingerprint"],
            raw_sha256=row["raw_sha256"],
        )

    def batches(self) -> list[BatchInfo]:
        return [self._batch_info(r) for r in self.query("SELECT * FROM batches ORDER BY added_at, batch_id")]

    def batch(self, batch_id: str) -> BatchInfo:
        rows = self.query("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        if not rows:
            raise Rejected(BATCH_UNKNOWN, batch_id)
        return self._batch_info(rows[0])

    def _batch_row(self, batch_id: str) -> dict[str, Any]:
        rows = self.query("SELECT * FROM batches WHERE batch_id = ?", (batch_id,))
        if not rows:
            raise Rejected(BATCH_UNKNOWN, batch_id)
        return dict(rows[0])

    def expert_ids(self, batch_id: str) -> list[str]:
        return list(json.loads(self._batch_row(batch_id)["expert_ids"]))

    def open_batch(self, batch_id: str, identity: str, *, passphrase: bytes | None = None,
                   own_fingerprint: str | None = None) -> OpenedBatch:
        """The kept batch file, fully checked again (signed by the same key, same manifest). Close it.
        With `own_fingerprint` the batch must be signed by that key (`agency.not_own_signature`): a batch
        kept by an older version of the app, before it checked, cannot slip through."""
        row = self._batch_row(batch_id)
        if own_fingerprint is not None and row["agency_fingerprint"] != own_fingerprint:
            raise Rejected(NOT_OWN_SIGNATURE, f"signed by {row['agency_fingerprint']}, this agency {own_fingerprint}")
        path = self.folder / "batches" / f"{row['raw_sha256']}.ticbatch"
        if not path.is_file():
            raise Rejected(BATCH_FILE_MISSING, str(path))
        opened = read_batch(path, passphrase=passphrase, identity=identity if passphrase is None else None,
                            pinned_fingerprint=row["agency_fingerprint"])
        if opened.manifest_sha256 != row["manifest_sha256"]:
            opened.close()
            raise Rejected(BATCH_FILE_MISSING, f"{path}: manifest differs")
        return opened
