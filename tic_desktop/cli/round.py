"""`tic-desktop round …` (issue 13): the evaluation round (评审轮次) — every panel ranked together.

    tic-desktop round consolidate --identity AGENCY_DIR/agency.agekey [--key-passphrase-file F] [--key AGENCY_DIR]
        [--allowed-signers F | --trust-first-use] --batch B1 --batch B2 ... SHEETS_OR_DIRS... -o OUT_DIR
        [--title T] [--year Y] [--previous F ...]
    tic-desktop round create ROUND_ID --title T --year Y [--workspace DIR]
    tic-desktop round add ROUND_ID [--batch B ...] [SHEETS_OR_DIRS...] [--workspace DIR] [--identity F] …
    tic-desktop round status [ROUND_ID] [--workspace DIR] [--json]
    tic-desktop round export ROUND_ID -o OUT_DIR [--workspace DIR] [--identity F] [--key-passphrase-file F] [--key D]
    tic-desktop round official ROUND_ID (--raw | --normalised --reason TEXT)
    tic-desktop round decide ROUND_ID PROPOSAL_ID --date D --decision TEXT [--document-number N]
    tic-desktop round object ROUND_ID PROPOSAL_ID --received D --by NAME --summary TEXT [--review]
    tic-desktop round settle ROUND_ID NUMBER --outcome TEXT --date D
    tic-desktop round notice ROUND_ID [--file F | --default]
    tic-desktop round previous ROUND_ID (RESULTS.csv | ROUND.csv | OLD_AGENCY_DIR) [--identity F] …

`consolidate` is stateless (a temporary workspace, removed afterwards) and goes through the same agency
service as `export` and the app. Sheet files and folders may stand anywhere on the line; each sheet
is routed to the batch it names. Exit codes as `consolidate`: 0 when every file was used, 1 when
some file was not (the others are still consolidated and every output written) or on bad input.
The stateful commands work on the agency workspace (`--workspace`, default the app's `agency/`
folder in the data folder; `--identity` defaults to its `keys/agency.agekey`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tic_desktop.cli.archive import add_archive_option
from tic_desktop.cli.common import Parser, add_expert_trust_options, add_key_passphrase_option, tr
from tic_desktop.cli.trust import add_key_argument


def _intermixed(base: type) -> type:
    class Intermixed(base):  # type: ignore[misc, valid-type]
        """Options and positionals in any order (`--batch B1 a.ticsheet --batch B2 dir/ -o OUT`)."""

        _inside = False

        def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
            if self._inside:
                return super().parse_known_args(args, namespace)
            self._inside = True
            try:
                return self.parse_known_intermixed_args(args, namespace)
            finally:
                self._inside = False

    return Intermixed


COMMANDS = ("round",)


def add_commands(sub: Any, lang: str) -> None:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    rnd = sub.add_parser("round", lang=lang, help=t("评审轮次：各专家组统一排名、公示与决定", "the evaluation round: every panel "
                                                    "ranked together, the 公示 list and the decisions"),
                         description=t("评审轮次（如“2027 年度专业性技术创新中心评估”）把各专家组的批次合在一起：按评分表和中心类型"
                                       "统一排名，“优秀”比例和奖励按全轮计算，并给出标准化得分供参考。",
                                       "An evaluation round (e.g. “2027 年度专业性技术创新中心评估”) groups the panels' "
                                       "batches: one ranking per form and center type, the 优秀 share and the awards over "
                                       "the whole round, normalised scores beside the raw ones."))
    rnd.set_defaults(handler=cmd_round)
    rsub = rnd.add_subparsers(dest="round_command", metavar=t("操作", "ACTION"), parser_class=_intermixed(Parser),
                              required=True)

    def workspace(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workspace", type=Path, metavar="AGENCY_DIR",
                       help=t("机构工作区文件夹（含 agency.db；默认为软件数据文件夹中的 agency/）",
                              "agency workspace folder (holding agency.db; default: agency/ in the app's data folder)"))

    def identity(p: argparse.ArgumentParser, required: bool = False) -> None:
        p.add_argument("--identity", type=Path, required=required, metavar="AGENCY_DIR/agency.agekey",
                       help=t("机构 age 私钥文件" + ("" if required else "（默认为工作区 keys/agency.agekey）"),
                              "the agency's age identity file" + ("" if required else
                                                                   " (default: the workspace's keys/agency.agekey)")))
        add_key_passphrase_option(p, lang)
        add_key_argument(p, lang)

    def signers(p: argparse.ArgumentParser) -> None:
        add_expert_trust_options(p, lang)

    c = rsub.add_parser("consolidate", lang=lang, help=t("导入各组评分表并按轮次汇总（不保存）",
                                                         "import every panel's sheets and consolidate the round (stateless)"),
                        description=t(
                            "用机构私钥核验每个评分表文件（每个评分表按其中写明的批次归入对应专家组），各组分别汇总，再按全轮统一排名，"
                            "在 OUT_DIR 中生成 round.csv（每个项目×评分表一行）、各批次文件夹 OUT_DIR/<批次编号>/（与 consolidate 相同的"
                            "四个文件），以及 round.pdf、round.xlsx、publication.pdf/.xlsx（公示名单）。全部文件有效时退出码为 0，"
                            "否则仍汇总有效的评分表，逐个列出未采用的文件及原因，退出码为 1。",
                            "Verify every score sheet file with the agency key (each sheet goes to the batch it names), "
                            "consolidate each panel, rank the round as one, and write to OUT_DIR round.csv (one row per "
                            "proposal × form), per batch OUT_DIR/<batch_id>/ (the four files of consolidate), round.pdf, "
                            "round.xlsx and publication.pdf/.xlsx (the 公示 list). Exit 0 when every file is used; otherwise "
                            "the valid sheets are still consolidated, each file not used is named with the reason, exit 1."))
    c.add_argument("sheets", metavar="SHEETS_OR_DIRS", type=Path, nargs="+",
                   help=t("评分表文件或文件夹（可出现在命令行任意位置）", "sheet files or folders (anywhere on the line)"))
    c.add_argument("--batch", dest="batches", action="append", required=True, type=Path, metavar="B",
                   help=t("本轮的一个批次文件（可重复）", "a batch file of the round (repeat for every panel)"))
    identity(c, required=True)
    signers(c)
    c.add_argument("-o", "--output", required=True, type=Path, metavar="OUT_DIR",
                   help=t("输出文件夹（不存在时创建）", "output folder (created when missing)"))
    c.add_argument("--title", metavar="T", help=t("轮次名称（默认取第一个批次的名称）", "the round's title (default: the first batch's)"))
    c.add_argument("--year", type=int, metavar="Y", help=t("年度（默认今年）", "year (default: this year)"))
    add_archive_option(c, lang)
    c.add_argument("--previous", action="append", default=[], type=Path, metavar="F",
                   help=t("上一轮的 results.csv 或 round.csv（可重复）", "the previous round's results.csv or round.csv (repeatable)"))

    cr = rsub.add_parser("create", lang=lang, help=t("新建评审轮次", "create a round"),
                         description=t("在机构工作区中新建评审轮次。", "Create an evaluation round in the agency workspace."))
    cr.add_argument("round_id", metavar="ROUND_ID", help=t("轮次编号（字母、数字、._-）", "round id (letters, digits, ._-)"))
    cr.add_argument("--title", required=True, metavar="T", help=t("轮次名称", "the round's title"))
    cr.add_argument("--year", required=True, type=int, metavar="Y", help=t("年度", "year"))
    workspace(cr)

    a = rsub.add_parser("add", lang=lang, help=t("把批次加入轮次，并导入评分表", "add batches to a round and import sheets"),
                        description=t("把批次文件（或工作区中已有批次的编号）加入轮次，并把评分表文件导入其所属批次。"
                                      "有未采用的文件时退出码为 1。",
                                      "Add batch files (or the ids of batches the workspace holds) to the round and "
                                      "import sheet files into their batches. Exit 1 when some file was not used."))
    a.add_argument("round_id", metavar="ROUND_ID")
    a.add_argument("sheets", metavar="SHEETS_OR_DIRS", type=Path, nargs="*",
                   help=t("评分表文件或文件夹", "sheet files or folders"))
    a.add_argument("--batch", dest="batches", action="append", default=[], metavar="B",
                   help=t("批次文件或工作区中的批次编号（可重复）", "a batch file, or the id of a batch in the workspace (repeatable)"))
    workspace(a)
    identity(a)
    signers(a)

    s = rsub.add_parser("status", lang=lang, help=t("显示轮次（不给编号时列出全部轮次）", "show a round (all rounds without an id)"),
                        description=t("显示轮次的批次、评分表份数、正式排名依据、决定和异议。",
                                      "Show the round's batches, sheets counted, official ranking, decisions and objections."))
    s.add_argument("round_id", metavar="ROUND_ID", nargs="?")
    s.add_argument("--json", action="store_true", help=t("以 JSON 输出", "print JSON"))
    workspace(s)

    e = rsub.add_parser("export", lang=lang, help=t("导出轮次结果", "write the round's outputs"),
                        description=t("按工作区中保存的评分表、决定和选择汇总轮次，写出与 round consolidate 相同的文件。",
                                      "Consolidate the round as stored in the workspace and write the same files as "
                                      "round consolidate."))
    e.add_argument("round_id", metavar="ROUND_ID")
    e.add_argument("-o", "--output", required=True, type=Path, metavar="OUT_DIR")
    add_archive_option(e, lang)
    workspace(e)
    identity(e)

    o = rsub.add_parser("official", lang=lang, help=t("选择正式排名（原始或标准化）", "choose the official ranking (raw or normalised)"),
                        description=t("默认以原始得分排名为正式排名；改用标准化排名须说明理由（记入审计日志）。",
                                      "The raw ranking is official by default; choosing the normalised one needs a "
                                      "reason (kept in the audit log)."))
    o.add_argument("round_id", metavar="ROUND_ID")
    g = o.add_mutually_exclusive_group(required=True)
    g.add_argument("--raw", action="store_true", help=t("原始得分排名（默认）", "the raw ranking (default)"))
    g.add_argument("--normalised", action="store_true", help=t("标准化得分排名", "the normalised ranking"))
    o.add_argument("--reason", default="", metavar="TEXT", help=t("理由", "reason"))
    workspace(o)

    d = rsub.add_parser("decide", lang=lang, help=t("记录市科技局的最终决定", "record the 市科技局's final decision"),
                        description=t("记录市科技局对某中心的最终决定（日期、决定、文号）。",
                                      "Record the 市科技局's final decision on a center (date, decision, document number)."))
    d.add_argument("round_id", metavar="ROUND_ID")
    d.add_argument("proposal_id", metavar="PROPOSAL_ID")
    d.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    d.add_argument("--decision", required=True, metavar="TEXT")
    d.add_argument("--document-number", default="", metavar="N", help=t("文号", "document number"))
    workspace(d)

    ob = rsub.add_parser("object", lang=lang, help=t("记录异议或复议", "record an objection (异议) or review (复议)"),
                         description=t("记录收到的异议（公示期间）或复议（决定之后）；打印其编号。",
                                       "Record an objection (during the 公示) or a review (after the decision); prints its number."))
    ob.add_argument("round_id", metavar="ROUND_ID")
    ob.add_argument("proposal_id", metavar="PROPOSAL_ID")
    ob.add_argument("--received", required=True, metavar="YYYY-MM-DD")
    ob.add_argument("--by", required=True, metavar="NAME", help=t("提出人", "who raised it"))
    ob.add_argument("--summary", required=True, metavar="TEXT", help=t("内容", "what it says"))
    ob.add_argument("--review", action="store_true", help=t("复议（默认为异议）", "a review (default: an objection)"))
    workspace(ob)

    st = rsub.add_parser("settle", lang=lang, help=t("记录异议/复议的处理结果", "record the outcome of an objection or review"),
                         description=t("记录异议/复议的处理结果和日期。", "Record the outcome and date of an objection or review."))
    st.add_argument("round_id", metavar="ROUND_ID")
    st.add_argument("number", type=int, metavar="NUMBER")
    st.add_argument("--outcome", required=True, metavar="TEXT")
    st.add_argument("--date", required=True, metavar="YYYY-MM-DD")
    workspace(st)

    n = rsub.add_parser("notice", lang=lang, help=t("设置或显示公示说明", "set or show the 公示 notice"),
                        description=t("公示说明模板（公示期、异议方式、联系方式，可用占位符 {round_title} {round_id} {year} "
                                      "{agency} {count} {date}）：--file 从 UTF-8 文本文件设置，--default 恢复默认；"
                                      "不带选项时显示当前文本。",
                                      "The 公示 notice template (period, how to object, contact; placeholders "
                                      "{round_title} {round_id} {year} {agency} {count} {date}): --file sets it from a "
                                      "UTF-8 text file, --default restores the default; without either it is shown."))
    n.add_argument("round_id", metavar="ROUND_ID")
    g = n.add_mutually_exclusive_group()
    g.add_argument("--file", type=Path, metavar="F", help=t("公示说明文本文件（UTF-8）", "the notice text file (UTF-8)"))
    g.add_argument("--default", action="store_true", help=t("恢复默认公示说明", "restore the default notice"))
    workspace(n)

    p = rsub.add_parser("previous", lang=lang, help=t("导入上一轮结果", "import the previous round's results"),
                        description=t("从上一轮的 results.csv、round.csv 或旧的机构工作区文件夹导入各中心的上次结果"
                                      "（旧工作区需机构私钥）。上次为整改的中心标记为复评。",
                                      "Import each center's last result from the previous round's results.csv, round.csv "
                                      "or old agency workspace folder (which needs the agency key). A center told to "
                                      "rectify last time is flagged for re-assessment."))
    p.add_argument("round_id", metavar="ROUND_ID")
    p.add_argument("source", type=Path, metavar="FILE_OR_DIR")
    workspace(p)
    identity(p)


def cmd_round(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.cli.round_commands import HANDLERS

    return HANDLERS[args.round_command](args, lang)


def workspace_dir(args: argparse.Namespace) -> Path:
    if getattr(args, "workspace", None):
        return Path(args.workspace)
    from tic_desktop.storage.location import data_dir

    return data_dir() / "agency"


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    print()


__all__ = ["COMMANDS", "add_commands", "cmd_round", "print_json", "workspace_dir"]
