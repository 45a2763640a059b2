"""Typed storage errors and their registered codes (Chinese first, English second).

All of them are `core.errors.Rejected` subclasses, so the UI shows them with `err.text(lang)`
like every other rejection. None of them means the expert's data was damaged: on each one the
transaction has been rolled back and the caller still holds the edit in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from tic_desktop.core.errors import register

# the errors of a file write live below formats and storage (core.atomic raises them); the workspace's
# callers keep finding every storage error here
from tic_desktop.core.file_errors import (  # noqa: F401
    DISK_FULL,
    DISK_IO,
    FILE_LOCKED,
    FILE_VERIFY,
    DiskFull,
    StorageError,
)

DB_READ_ONLY = register(
    "db.read_only",
    "工作区文件是只读的，无法保存。请检查文件权限或磁盘写保护。",
    "The workspace file is read-only, so nothing can be saved. Check the file permissions or write protection.",
)
DB_CORRUPT = register(
    "db.corrupt",
    "工作区数据库已损坏。可以从最近一次完好的备份恢复，损坏的文件会被保留。",
    "The workspace database is damaged. You can restore the newest good backup; the damaged file is kept.",
)
DB_FOREIGN = register(
    "db.foreign",
    "该文件不是本软件的工作区数据库。",
    "This file is not a TIC Desktop workspace.",
)
DB_NEWER = register(
    "db.newer_schema",
    "工作区由更新版本的软件创建，请升级软件后再打开。",
    "The workspace was written by a newer version of the application; please update it.",
)
DB_BUSY = register(
    "db.busy",
    "工作区正被另一个程序窗口使用。请关闭其他窗口后重试。",
    "The workspace is in use by another window of the application. Close it and try again.",
)
PATH_NETWORK = register(
    "path.network",
    "工作区不能放在网络路径上，请选择本机磁盘上的文件夹。",
    "The workspace cannot live on a network path; choose a folder on a local disk.",
)
PATH_CLOUD = register(
    "path.cloud_synced",
    "工作区不能放在 OneDrive 等云同步文件夹中，请选择本机的非同步文件夹。",
    "The workspace cannot live in a OneDrive or other cloud-synced folder; choose a local, unsynced folder.",
)
AUDIT_BROKEN = register(
    "audit.chain_broken",
    "审计日志校验失败：记录被改动过。",
    "The audit log does not verify: a record has been altered.",
)
AGENCY_PIN = register(
    "agency.pin_mismatch",
    "该评审机构的签名密钥与首次导入时记录的不一致，已拒绝。请与机构核对邀请函上的密钥指纹。",
    "The agency's signing key differs from the one pinned at first import; refused. "
    "Check the fingerprint printed on the invitation letter with the agency.",
)
BATCH_CONFLICT = register(
    "batch.conflict",
    "已导入同一编号但内容不同的评审批次。",
    "A different batch with the same id has already been imported.",
)
BATCH_UNKNOWN = register(
    "batch.unknown",
    "工作区中没有该评审批次。",
    "This batch is not in the workspace.",
)
ANSWER_INVALID = register(
    "answer.invalid_value",
    "填写的内容格式不正确（分数应为数字，如 7.5）。",
    "The value has the wrong format (scores are numbers such as 7.5).",
)
BACKUP_FAILED = register(
    "backup.failed",
    "备份未能完成，工作区本身不受影响。",
    "The backup could not be completed; the workspace itself is unaffected.",
)
BACKUP_DAMAGED = register(
    "backup.damaged",
    "该备份文件已损坏或不是本软件的备份，无法用于恢复。请选择其他备份。",
    "This backup is damaged or not a TIC Desktop backup and cannot be restored; choose another one.",
)


class ReadOnlyWorkspace(StorageError):
    """`db.read_only`."""


class UnsafeLocation(StorageError):
    """`path.network` / `path.cloud_synced`: the workspace path is refused."""


@dataclass
class WorkspaceCorrupt(StorageError):
    """`db.corrupt`: offer `backups` (newest first; each passed `integrity_check`) to restore."""

    path: Path | None = None
    backups: tuple[Path, ...] = field(default_factory=tuple)


@dataclass
class AuditChainBroken(StorageError):
    """`audit.chain_broken`: `seq` is the first row that does not verify."""

    seq: int = 0
