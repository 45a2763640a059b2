"""The application entry: `create_app()` (used by `main()` and by the end-to-end tests) and `main()`.

The expert flow itself is `tic_desktop.ui.expert.expert_flow.ExpertFlow`. One app, two modes: 专家评审
(the expert flow's main window) and 机构汇总 (`ui.agency_window.AgencyWindow`), switched by
`AppModes` (found with `app_modes(flow)`): the start page's 机构汇总 button, the agency window's
切换到专家评审 menu item, or `--agency` at start. The last mode chosen is remembered (the expert
workspace's ui_state "mode") and opened at the next start unless files or --demo are given.
`--agency --demo` opens the agency window on a separate demo agency folder (DEMO-ONLY keys, the
demo batch, the demo source folder) so the real agency keys are never touched; `--demo` alone opens
the demo batch in the expert demo's own workspace (`<data dir>/demo/expert-demo/`), never in the
expert's real one. Both demos use the same demo batch, so a sheet signed in one is imported in the other.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from tic_desktop.paths import resources_dir
from tic_desktop.ui.common.settings import Settings
from tic_desktop.ui.expert.expert_flow import ExpertFlow, open_session

__all__ = ["AppModes", "ExpertFlow", "app_modes", "create_app", "main", "open_session"]
MODE_KEY = "mode"


def default_data_dir() -> Path:
    from tic_desktop.storage.location import data_dir  # noqa: PLC0415

    return data_dir()


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="tic-desktop", add_help=True)
    parser.add_argument("--demo", action="store_true")
    parser.add_argument("--agency", action="store_true")
    parser.add_argument("--lang", choices=("zh", "en"))
    parser.add_argument("files", nargs="*")
    known, _qt_args = parser.parse_known_args(list(argv)[1:])
    return known


class AppModes(QObject):
    """Switches between the expert window and the agency window; a child of the ExpertFlow."""

    def __init__(self, flow: ExpertFlow) -> None:
        super().__init__(flow)
        self.flow = flow
        self.agency: Any = None
        flow.window.start_page.agencyRequested.connect(lambda: self.show_agency())

    def stored_mode(self) -> str:
        return str(self.flow.home.ui_get(MODE_KEY) or "expert")

    def show_agency(self, demo: bool = False) -> Any:
        from tic_desktop.ui.agency.agency_window import AgencyWindow  # noqa: PLC0415

        if self.agency is not None and self.agency.demo != demo:
            self._close_agency()
        if self.agency is None:
            data_dir = self.flow.data_dir
            if demo:
                from tic_desktop.demo_agency import prepare_agency_demo  # noqa: PLC0415

                folder = prepare_agency_demo(data_dir / "demo" / "agency-demo")
            else:
                from tic_desktop.agency.keys import agency_dir  # noqa: PLC0415

                folder = agency_dir(data_dir)
            self.agency = AgencyWindow(folder, self.flow.settings.lang, demo=demo)
            self.agency.expertModeRequested.connect(self.show_expert)
            if demo:
                self.agency.wizard.folderEdit.setText(str(folder / "source"))
                self._offer_demo_sheets(folder)
        self.agency.show()
        self.flow.window.flush()
        self.flow.window.hide()
        if not demo:
            self.flow.home.ui_set(MODE_KEY, "agency")
        return self.agency

    def _offer_demo_sheets(self, folder: Path) -> None:
        """The agency demo's returned sheets: simulated once in the background (a few seconds)."""
        from tic_desktop.demo_agency import demo_returned_sheets  # noqa: PLC0415
        from tic_desktop.ui.common.background import run_in_background  # noqa: PLC0415

        window = self.agency
        window.import_page.set_demo_sheets(None, preparing=True)

        def offer(returned: Path | None) -> None:
            if self.agency is window:  # not closed or switched meanwhile
                window.import_page.set_demo_sheets(returned)

        run_in_background(lambda: demo_returned_sheets(folder), offer, lambda _exc: offer(None))

    def show_expert(self) -> None:
        self.flow.window.show()
        if self.agency is not None:
            self.agency.hide()
        self.flow.home.ui_set(MODE_KEY, "expert")
        self.flow.go_start()

    def _close_agency(self) -> None:
        agency, self.agency = self.agency, None
        if agency is not None:
            agency.shutdown()
            agency.close()
            agency.deleteLater()

    def shutdown(self) -> None:
        self._close_agency()


def app_modes(flow: ExpertFlow) -> AppModes:
    found = flow.findChild(AppModes)
    assert isinstance(found, AppModes)
    return found


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
    modes = AppModes(app)
    app.qapp.aboutToQuit.connect(modes.shutdown)
    if args.agency or (not args.files and not args.demo and modes.stored_mode() == "agency"):
        modes.show_agency(demo=args.demo)
        return app
    app.window.show()
    if args.files and args.demo:  # e.g. a demo batch of another kind (`tic-desktop demo-batch --kind`)
        QTimer.singleShot(0, app, lambda: None if app.closed or not app.enter_demo() else app.open_file(args.files[0]))
    elif args.files:
        QTimer.singleShot(0, app, lambda: app.open_file(args.files[0]))
    elif args.demo:
        QTimer.singleShot(0, app, lambda: None if app.closed else app.open_demo())
    else:
        QTimer.singleShot(0, app, app.reopen_last)
    return app


def _collect_again() -> None:
    """The garbage collector on again after the start (`tic-desktop` starts with it off, see
    cli._run_gui). What the start built is moved to the oldest generation without a pass
    (`gc.freeze()` then at once `gc.unfreeze()`: nothing stays frozen), so the first collections
    do not walk it all; its garbage cycles, if any, go at the next full pass."""
    if not gc.isenabled():
        gc.freeze()
        gc.unfreeze()
        gc.enable()


def main(args: Sequence[str] | None = None) -> int:
    """The app; `args` are the arguments after the program name (as `cli.main` passes them)."""
    argv = [sys.argv[0] if sys.argv else "tic-desktop", *(sys.argv[1:] if args is None else args)]
    from tic_desktop.ui.common import crash  # noqa: PLC0415

    data_dir = default_data_dir()
    crash.install(data_dir / "logs")
    app = create_app(argv, data_dir)
    _collect_again()
    hook = os.environ.get("TIC_TEST_HOOK")
    if hook:  # the kill-and-reopen test drives the real process through this module
        import importlib  # noqa: PLC0415

        importlib.import_module(hook).run(app)
    return app.qapp.exec()


if __name__ == "__main__":
    raise SystemExit(main())
