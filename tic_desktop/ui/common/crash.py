"""Crash hygiene: rotating log, faulthandler, and an excepthook that tells the user their work is safe.

A windowed PyInstaller build has no stderr, so everything goes to the per-user log folder.
"""

from __future__ import annotations

import faulthandler
import logging
import logging.handlers
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QCoreApplication, QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication, QMessageBox

log = logging.getLogger("tic_desktop")
_fault_file = None


def install(log_dir: Path) -> None:
    global _fault_file
    from tic_desktop.storage.private import precreate_private, private_dir, private_files  # noqa: PLC0415

    private_dir(log_dir)  # logs name files and experts: the owner's only (POSIX)
    for name in ("tic-desktop.log", "crash.log"):
        precreate_private(log_dir / name)
        private_files(log_dir / name)
    handler = logging.handlers.RotatingFileHandler(
        log_dir / "tic-desktop.log", maxBytes=1_000_000, backupCount=5, encoding="utf-8"
    )
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    _fault_file = open(log_dir / "crash.log", "a", encoding="utf-8")  # noqa: SIM115 - lives for the process
    faulthandler.enable(file=_fault_file)
    sys.excepthook = _excepthook
    qInstallMessageHandler(_qt_message)


def _qt_message(mode: QtMsgType, _context: object, message: str) -> None:
    level = logging.WARNING if mode in (QtMsgType.QtWarningMsg, QtMsgType.QtInfoMsg) else logging.ERROR
    if mode == QtMsgType.QtDebugMsg:
        level = logging.DEBUG
    log.log(level, "Qt: %s", message)


def _excepthook(kind: type[BaseException], value: BaseException, tb: TracebackType | None) -> None:
    log.error("Unhandled exception:\n%s", "".join(traceback.format_exception(kind, value, tb)))
    if QApplication.instance() is None:
        return
    box = QMessageBox()
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(QCoreApplication.translate("crash", "程序错误"))
    box.setText(
        QCoreApplication.translate(
            "crash", "程序遇到了意外错误。截至最近一次“已保存”的所有内容都是安全的。\n\n请重新启动程序；如果问题重复出现，请将日志文件夹中的文件发给评审机构。"
        )
    )
    box.setDetailedText(f"{kind.__name__}: {value}")
    box.exec()
