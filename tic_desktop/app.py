"""The application entry: `create_app()` (used by `main()` and by the end-to-end tests) and `main()`.

The expert flow itself is `tic_desktop.ui.expert_flow.ExpertFlow`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from tic_desktop.paths import resources_dir
from tic_desktop.ui.expert_flow import ExpertFlow, open_session
from tic_desktop.ui.settings_dialog import Settings

__all__ = ["ExpertFlow", "create_app", "main", "open_session"]


def default_data_dir() -> Path:
    from tic_desktop.storage.location import data_dir  # noqa: PLC0415

    return data_dir()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tic-desktop", add_help=True)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--lang", choices=("zh", "en"))
    parser.add_argument("files", nargs="*")
    known, _qt_args = parser.parse_known_args(list(argv)[1:])
    return known


def create_app(argv: Sequence[str], data_dir: Path | None = None) -> ExpertFlow:
    """Make (or reuse) the QApplication, the session and the main window; schedule what argv asks."""
    args = parse_args(argv)
    qapp = QApplication.instance() or QApplication(list(argv))
    assert isinstance(qapp, QApplication)
    qapp.setApplicationName("TIC Desktop")
    qapp.setOrganizationName("TIC Desktop")
    qapp.setWindowIcon(QIcon(str(resources_dir() / "icons" / "tic-desktop.png")))
    lang = args.lang or os.environ.get("TIC_LANG", "zh")
    data_dir = Path(data_dir) if data_dir is not None else default_data_dir()
    app = ExpertFlow(qapp, data_dir, lang)
    if args.lang:
        app.apply_settings(Settings(args.lang, app.settings.large_font), store=False)
        app.window.retranslate(args.lang)
    app.window.show()
    if args.files:
        QTimer.singleShot(0, app, lambda: app.open_file(args.files[0]))
    elif args.demo:
        QTimer.singleShot(0, app, lambda: None if app.closed else app.open_demo())
    else:
        QTimer.singleShot(0, app, app.reopen_last)
    return app


def main(args: Sequence[str] | None = None) -> int:
    """The app; `args` are the arguments after the program name (as `cli.main` passes them)."""
    argv = [sys.argv[0] if sys.argv else "tic-desktop", *(sys.argv[1:] if args is None else args)]
    from tic_desktop.ui import crash  # noqa: PLC0415

    data_dir = default_data_dir()
    crash.install(data_dir / "logs")
    app = create_app(argv, data_dir)
    hook = os.environ.get("TIC_TEST_HOOK")
    if hook:  # the kill-and-reopen test drives the real process through this module
        import importlib  # noqa: PLC0415

        importlib.import_module(hook).run(app)
    return app.qapp.exec()


if __name__ == "__main__":
    raise SystemExit(main())
