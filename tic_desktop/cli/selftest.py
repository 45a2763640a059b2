"""`tic-desktop self-test` (issue 7): the installed or frozen app checks itself, offscreen."""

from __future__ import annotations

import argparse
from typing import Any

from tic_desktop.cli.common import tr

COMMANDS = ("self-test",)


def add_commands(sub: Any, lang: str) -> None:
    """`self-test` (issue 7): the installed or frozen app checks itself, offscreen."""
    p = sub.add_parser("self-test", lang=lang, help=tr(lang, "自检：检查本机安装能否正常工作", "check that this installation works"),
                       description=tr(lang, "在临时文件夹中离屏运行：打开演示批次、用 QtPdf 渲染 PDF、评分并存入工作区、签名导出并核验评分表、"
                                            "生成中文 PDF。每项一行；全部通过时退出码为 0。",
                                      "Runs offscreen in a temporary folder: opens the demo batch, renders a PDF with QtPdf, "
                                      "scores and stores answers in a workspace, signs, exports and verifies a score sheet, "
                                      "writes a PDF with Chinese text. One line per check; exit 0 when all pass."))
    p.set_defaults(handler=cmd_self_test)


def cmd_self_test(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.ui.common.selftest import run

    return run(lang)
