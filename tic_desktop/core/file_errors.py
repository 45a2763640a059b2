"""The errors of a file write (core.atomic): disk full, I/O error, a locked target, a failed check.

Registered here, below formats and storage, so that both write files through core.atomic;
storage.errors builds its workspace errors on StorageError.
"""

from __future__ import annotations

from tic_desktop.core.errors import Rejected, register

DISK_FULL = register(
    "disk.full",
    "磁盘空间不足，未能写入。请释放磁盘空间（或换一个位置）后重试；此前已保存的内容和原有文件不受影响。",
    "The disk is full, so nothing was written. Free some space (or choose another place) and try again; "
    "everything saved earlier and the existing file are safe.",
)
DISK_IO = register(
    "disk.io_error",
    "读写磁盘时出错，未能写入。请检查磁盘或U盘后重试；此前已保存的内容不受影响。",
    "The disk reported a read/write error, so nothing was written. Check the disk or USB stick and retry; "
    "everything saved earlier is safe.",
)
FILE_LOCKED = register(
    "file.locked",
    "目标文件正被其他程序占用（如杀毒软件或同步程序），保存失败。请稍后重试。",
    "The target file is held by another program (antivirus, sync client); it could not be written. Try again shortly.",
)
FILE_VERIFY = register(
    "file.verify_failed",
    "写入的文件校验失败，原文件保持不变。",
    "The written file failed verification; the previous file is unchanged.",
)


class StorageError(Rejected):
    """A storage operation that did not happen; nothing was half-written."""


class DiskFull(StorageError):
    """`disk.full`: the transaction or file write was rolled back; keep the edit in memory."""
