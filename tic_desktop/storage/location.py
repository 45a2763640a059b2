"""Where the workspace lives, and where it must not.

`default_path()` is `<user data dir>/workspace.db`, with the user data dir from platformdirs
(`%LOCALAPPDATA%\\TICDesktop` on Windows: not Roaming, which may be redirected to a UNC share)
or `$TIC_DATA_DIR` when set (tests, portable installs). On Windows, a UNC or mapped network path
and anything inside a OneDrive folder are refused (SQLite WAL needs local locking; sync clients
copy a live database and its -wal apart, which corrupts it).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from pathlib import Path, PureWindowsPath

import platformdirs

from tic_desktop.storage.errors import PATH_CLOUD, PATH_NETWORK, UnsafeLocation
from tic_desktop.storage.private import private_dir

DATA_DIR_ENV = "TIC_DATA_DIR"
APP_NAME = "TICDesktop"
DB_NAME = "workspace.db"
_ONEDRIVE_ENV = ("OneDrive", "OneDriveConsumer", "OneDriveCommercial")
_ONEDRIVE_PART = re.compile(r"^onedrive( - .+)?$", re.IGNORECASE)
_DRIVE_REMOTE = 4


def data_dir() -> Path:
    """The per-user data folder (created): `$TIC_DATA_DIR` or platformdirs' user data dir."""
    override = os.environ.get(DATA_DIR_ENV)
    base = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return private_dir(base)


def default_path() -> Path:
    """`<data dir>/workspace.db`; the folder is created, the location checked."""
    path = data_dir() / DB_NAME
    check_workspace_location(path)
    return path


def _is_remote_drive(path: PureWindowsPath) -> bool:
    if sys.platform != "win32" or not path.drive:
        return False
    import ctypes

    drive_type = getattr(ctypes, "windll").kernel32.GetDriveTypeW(path.drive + "\\")  # noqa: B009 (Windows only)
    return int(drive_type) == _DRIVE_REMOTE


def check_workspace_location(
    path: Path, *, windows: bool | None = None, environ: Mapping[str, str] | None = None
) -> None:
    """Raise `UnsafeLocation` for a network or OneDrive path (Windows rules; testable anywhere)."""
    if windows is None:
        windows = sys.platform == "win32"
    if not windows:
        return
    env = os.environ if environ is None else environ
    text = str(path)
    if sys.platform == "win32":
        text = os.path.abspath(text)
    win = PureWindowsPath(text)
    if text.startswith(("\\\\", "//")) or win.drive.startswith(("\\\\", "//")) or _is_remote_drive(win):
        raise UnsafeLocation(PATH_NETWORK, text)
    lowered = [part.lower() for part in win.parts]
    for name in _ONEDRIVE_ENV:
        root = env.get(name)
        if not root:
            continue
        root_parts = [part.lower() for part in PureWindowsPath(root).parts]
        if root_parts and lowered[: len(root_parts)] == root_parts:
            raise UnsafeLocation(PATH_CLOUD, text)
    if any(_ONEDRIVE_PART.match(part) for part in win.parts[1:]):
        raise UnsafeLocation(PATH_CLOUD, text)
