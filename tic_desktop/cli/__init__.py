"""The command line: agency tools and the demo (DESIGN.md §8). No Qt here.

    tic-desktop [--demo] [FILE ...]                        the app (tic_desktop.app.main)
    tic-desktop demo-batch DIR [--kind K] [--passphrase-file F]                  (cli.batch)
    tic-desktop keys create AGENCY_DIR (--passphrase-file F | --no-passphrase)   (cli.batch)
    tic-desktop batch build SRC_DIR -o OUT.ticbatch --key AGENCY_DIR             (cli.batch)
                            [--key-passphrase-file F] [--passphrase-file F | --recipient AGE_PUBKEY ...]
    tic-desktop batch inspect FILE [--passphrase-file F | --identity F] [--json] (cli.batch)
    tic-desktop sheets verify …                                                  (cli.trust)
    tic-desktop simulate …                                                       (cli.simulate)
    tic-desktop consolidate --batch B --identity AGENCY_DIR/agency.agekey SHEETS... -o OUT_DIR
                            [--allowed-signers F | --trust-first-use]           (cli.consolidate)
    tic-desktop pool draw|replace|check …                                        (cli.pool)
    tic-desktop round consolidate|create|add|status|export|official|decide|object|settle|previous …
                                                                                 (cli.round)
    tic-desktop archive verify|restore …                                         (cli.archive)
    tic-desktop scans match --batch B --identity K SHEETS_OR_DIRS... --scans SCAN.pdf|DIR ... -o OUT_DIR
                                                                                 (cli.scans)
    tic-desktop self-test                                                        (cli.selftest)

Help and messages are Chinese by default, English when TIC_LANG=en (or, without TIC_LANG, when
LANG starts with "en"). Bad input never ends in a traceback: one line on stderr, exit status 1.

Adding a subcommand: write `tic_desktop/cli/NAME.py` with `add_commands(sub, lang)` (its parsers
call `set_defaults(handler=cmd_x)`, `cmd_x(args, lang) -> int`) and add one line per top-level
command word to COMMANDS below. The modules are imported only when a subcommand runs, never on the
app's start (tests/unit/test_start_imports.py).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from tic_desktop import __version__
from tic_desktop.cli.common import NOTES, CliError, Parser, tr, ui_lang
from tic_desktop.core.errors import Rejected

__all__ = ["COMMANDS", "build_parser", "main", "ui_lang"]

# top-level command word → the module of tic_desktop.cli that adds it (in the order of --help)
COMMANDS: dict[str, str] = {
    "demo-batch": "batch",
    "keys": "batch",
    "batch": "batch",
    "sheets": "trust",
    "simulate": "simulate",
    "consolidate": "consolidate",
    "pool": "pool",
    "archive": "archive",
    "round": "round",
    "scans": "scans",
    "self-test": "selftest",
}
SUBCOMMANDS = tuple(COMMANDS)


def build_parser(lang: str) -> argparse.ArgumentParser:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    parser = Parser(prog="tic-desktop", lang=lang, description=t(
        "天津市技术创新中心专家评审桌面端。不带子命令时启动图形界面：tic-desktop [--demo] [--agency] [文件.ticbatch ...]"
        "（--agency：机构汇总模式）",
        "TIC Desktop, offline expert review for Tianjin technology innovation centers. Without a subcommand it "
        "starts the app: tic-desktop [--demo] [--agency] [FILE.ticbatch ...] (--agency: the agency mode)"))
    parser.add_argument("--version", action="version", version=f"tic-desktop {__version__}",
                        help=t("显示版本号并退出", "show the version and exit"))
    sub = parser.add_subparsers(dest="command", metavar=t("子命令", "COMMAND"), parser_class=Parser)
    for module in dict.fromkeys(COMMANDS.values()):
        importlib.import_module(f"tic_desktop.cli.{module}").add_commands(sub, lang)
    return parser


# ── entry point ─────────────────────────────────────────────────────────────────────────────

def _run_gui(argv: list[str], lang: str) -> int:
    # The cyclic garbage collector is off while the app starts (app.main turns it on again once
    # the window is built): the start makes some hundred thousand objects that live as long as the
    # app (modules, classes, the batch models' schemas, widgets), and the collector's passes over
    # them cost ~30 ms of a start that leaves almost no garbage cycles.
    gc.disable()
    # The Qt-free part of the start (pydantic and the batch models, the workspace, the batch reader)
    # is imported before PySide6: PySide6 reads the source of every module imported after it (for
    # its `__feature__` switch), which cost ~50 ms of a start that imports some 270 modules.
    import tic_desktop.expert.session  # noqa: F401, PLC0415
    import tic_desktop.formats.batch  # noqa: F401, PLC0415

    try:
        from tic_desktop.app import main as gui_main
    except ImportError as exc:
        print(tr(lang, f"无法启动图形界面（{exc}）。命令行工具仍可使用：tic-desktop --help",
                 f"The app cannot start ({exc}). The command-line tools still work: tic-desktop --help"), file=sys.stderr)
        return 1
    result = gui_main(argv)
    return result if isinstance(result, int) else 0


def _looks_like_command(arg: str) -> bool:
    """A bare word that is not a file: a mistyped or unknown subcommand, not something to open."""
    return not arg.startswith("-") and re.fullmatch(r"[a-z][a-z-]*", arg) is not None and not Path(arg).exists()


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = ui_lang()
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="replace")
    if not args_list or (args_list[0] not in SUBCOMMANDS and args_list[0] not in ("-h", "--help", "--version")
                         and not _looks_like_command(args_list[0])):
        return _run_gui(args_list, lang)
    parser = build_parser(lang)
    args = parser.parse_args(args_list)
    handler = args.handler
    NOTES.clear()
    try:
        result = handler(args, lang)
        for note, warning in dict.fromkeys(NOTES):
            print(note, file=sys.stderr if warning else sys.stdout)
        return result
    except CliError as exc:
        print(str(exc), file=sys.stderr)
    except Rejected as exc:
        print(tr(lang, "错误：", "error: ") + exc.text(lang) + f" [{exc.code}]", file=sys.stderr)
    except BrokenPipeError:  # e.g. `| head`: the reader has gone, nothing left to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except FileNotFoundError as exc:
        print(tr(lang, f"错误：找不到文件 {exc.filename}", f"error: no such file: {exc.filename}"), file=sys.stderr)
    except OSError as exc:
        print(tr(lang, f"错误：无法读写 {exc.filename or ''}（{exc.strerror or exc}）",
                 f"error: cannot read or write {exc.filename or ''} ({exc.strerror or exc})"), file=sys.stderr)
    except KeyboardInterrupt:
        print(tr(lang, "已中断。", "Interrupted."), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, with the details behind TIC_DEBUG
        if os.environ.get("TIC_DEBUG"):
            raise
        print(tr(lang, f"内部错误：{type(exc).__name__}: {exc}（设置 TIC_DEBUG=1 可查看详情）",
                 f"internal error: {type(exc).__name__}: {exc} (set TIC_DEBUG=1 for details)"), file=sys.stderr)
    return 1