"""System errors (OSError) met while the app writes files for the user (the agency's export, a
folder chosen by hand) as registered codes with a sentence in Chinese and English: the user reads
what to do, the system's own (English) text goes to the details. The storage codes are reused
where they fit (disk.full, disk.io_error); the others are registered here. Qt-free."""

from __future__ import annotations

import errno

from tic_desktop.core.errors import Rejected, message, register
from tic_desktop.storage.errors import DISK_FULL, DISK_IO

NO_PERMISSION = register(
    "file.no_permission",
    "没有权限写入所选位置。请选择其他文件夹，或请管理员开放权限后重试；已有的文件不受影响。",
    "You may not write to the chosen place. Choose another folder, or ask an administrator for access, "
    "then try again; existing files are unaffected.",
)
READ_ONLY_DISK = register(
    "file.read_only_disk",
    "所选位置是只读的（如写保护的U盘或光盘）。请解除写保护或选择其他文件夹后重试。",
    "The chosen place is read-only (a write-protected USB stick or a disc). Remove the write protection or "
    "choose another folder, then try again.",
)
NOT_A_FOLDER = register(
    "file.not_a_folder",
    "所选路径中有一部分是文件而不是文件夹。请重新选择一个文件夹后重试。",
    "Part of the chosen path is a file, not a folder. Choose a folder again and retry.",
)
NOT_FOUND = register(
    "file.not_found",
    "找不到所选的文件夹或文件（U盘是否已拔出？）。请重新选择后重试。",
    "The chosen folder or file cannot be found (was the USB stick removed?). Choose it again and retry.",
)
ALREADY_EXISTS = register(
    "file.exists",
    "目标位置已有同名的文件或文件夹。请改名或选择其他文件夹后重试。",
    "A file or folder of that name is already there. Rename it or choose another folder, then try again.",
)
NAME_TOO_LONG = register(
    "file.name_too_long",
    "文件路径太长。请选择层级较浅的文件夹后重试。",
    "The file path is too long. Choose a folder nearer the top of the disk and try again.",
)
FILE_ERROR = register(
    "file.error",
    "无法读写文件。请检查磁盘空间，并关闭正在使用该文件的程序后重试。",
    "The file could not be read or written. Check the free disk space, close any program using the file, "
    "and try again.",
)

ERRNO_CODES: dict[int, str] = {
    errno.ENOSPC: DISK_FULL,
    getattr(errno, "EDQUOT", errno.ENOSPC): DISK_FULL,
    errno.EIO: DISK_IO,
    errno.EACCES: NO_PERMISSION,
    errno.EPERM: NO_PERMISSION,
    errno.EROFS: READ_ONLY_DISK,
    errno.ENOTDIR: NOT_A_FOLDER,
    errno.ENOENT: NOT_FOUND,
    errno.EEXIST: ALREADY_EXISTS,
    errno.ENAMETOOLONG: NAME_TOO_LONG,
}


def os_error_code(exc: OSError) -> str:
    """The registered code for an OSError (file.error when its errno is not one we know)."""
    if exc.errno in ERRNO_CODES:
        return ERRNO_CODES[exc.errno]
    if isinstance(exc, PermissionError):
        return NO_PERMISSION
    return FILE_ERROR


def error_parts(exc: BaseException, lang: str) -> tuple[str | None, str, str]:
    """(code, the sentence in `lang`, the technical details) for an error shown to the user; the
    sentence never carries the system's own text. None as code: not a file or typed error."""
    if isinstance(exc, Rejected):
        cause = exc.__cause__
        if exc.code in (DISK_IO, FILE_ERROR) and isinstance(cause, OSError) and cause.errno in ERRNO_CODES:
            code = os_error_code(cause)
            return code, message(code, lang), _details(exc)
        return exc.code, message(exc.code, lang), _details(exc)
    if isinstance(exc, OSError):
        code = os_error_code(exc)
        return code, message(code, lang), _details(exc)
    return None, "", _details(exc)


def _details(exc: BaseException) -> str:
    parts = [f"{type(exc).__name__}: {exc}"]
    cause = exc.__cause__
    while cause is not None and len(parts) < 4:
        parts.append(f"{type(cause).__name__}: {cause}")
        cause = cause.__cause__
    return "\n".join(parts)
