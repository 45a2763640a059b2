"""The command line: agency tools and the demo (DESIGN.md §8). No Qt here.

    tic-desktop [--demo] [FILE ...]                        the app (tic_desktop.app.main)
    tic-desktop demo-batch DIR [--kind K] [--passphrase-file F]
    tic-desktop keys create AGENCY_DIR (--passphrase-file F | --no-passphrase)
    tic-desktop batch build SRC_DIR -o OUT.ticbatch --key AGENCY_DIR
                            [--key-passphrase-file F] [--passphrase-file F | --recipient AGE_PUBKEY ...]
    tic-desktop batch inspect FILE [--passphrase-file F | --identity F] [--json]
    tic-desktop consolidate --batch B --identity AGENCY_DIR/agency.agekey SHEETS... -o OUT_DIR
                            [--allowed-signers F | --trust-first-use]     (tic_desktop.cli_consolidate)

Help and messages are Chinese by default, English when TIC_LANG=en (or, without TIC_LANG, when
LANG starts with "en"). Bad input never ends in a traceback: one line on stderr, exit status 1.

`batch inspect --json` prints one JSON object (see `inspect_json`). Points (criterion `max`,
form `step`) are JSON numbers when the decimal is exactly representable as a binary double
(6, 7.5, 0.25), otherwise decimal strings ("0.1"); money and ratios are always decimal strings.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, NoReturn

from tic_desktop import __version__
from tic_desktop.core.errors import Rejected
from tic_desktop.core.labels import KIND_LABELS, ROLE_LABELS

SUBCOMMANDS = ("demo-batch", "batch", "keys", "sheets", "simulate", "consolidate", "pool", "archive", "self-test")


def ui_lang(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    tic = env.get("TIC_LANG", "").strip().lower()
    if tic:
        return "en" if tic.startswith("en") else "zh"
    return "en" if env.get("LANG", "").lower().startswith("en") else "zh"


def _t(lang: str, zh: str, en: str) -> str:
    return zh if lang == "zh" else en


class CliError(Exception):
    """A bad-input message already in the user's language."""


# ── argparse in the user's language ─────────────────────────────────────────────────────────

_ARGPARSE_ZH = [
    (r"the following arguments are required: (.+)", r"缺少必需的参数：\1"),
    (r"unrecognized arguments: (.+)", r"无法识别的参数：\1"),
    (r"argument (\S+): invalid choice: (.+?) \(choose from (.+)\)", r"参数 \1：无效的取值 \2（可选：\3）"),
    (r"argument (\S+): expected one argument", r"参数 \1 需要一个值"),
    (r"argument (\S+): not allowed with argument (\S+)", r"参数 \1 不能与 \2 同时使用"),
    (r"argument (\S+): (.+)", r"参数 \1：\2"),
]


class _Formatter(argparse.RawDescriptionHelpFormatter):
    lang = "zh"

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, _t(self.lang, "用法：", "usage: ") if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    lang = "zh"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        lang = kwargs.pop("lang", None) or type(self).lang
        formatter = type("Formatter", (_Formatter,), {"lang": lang})
        super().__init__(*args, formatter_class=formatter, add_help=False, **kwargs)
        self.lang = lang
        self._positionals.title = _t(lang, "参数", "arguments")
        self._optionals.title = _t(lang, "选项", "options")
        self.add_argument("-h", "--help", action="help", help=_t(lang, "显示本帮助并退出", "show this help and exit"))

    def error(self, message: str) -> NoReturn:
        if self.lang == "zh":
            for pattern, repl in _ARGPARSE_ZH:
                if re.fullmatch(pattern, message):
                    message = re.sub(pattern, repl, message)
                    break
        hint = _t(self.lang, f"（用 {self.prog} --help 查看用法）", f" (see {self.prog} --help)")
        print(_t(self.lang, "错误：", "error: ") + message + hint, file=sys.stderr)
        raise SystemExit(1)


def build_parser(lang: str) -> argparse.ArgumentParser:
    def t(zh: str, en: str) -> str:
        return _t(lang, zh, en)

    kinds = list(KIND_LABELS)
    kind_help = "，".join(f"{k}（{v.zh}）" for k, v in KIND_LABELS.items())
    parser = _Parser(prog="tic-desktop", lang=lang, description=t(
        "天津市技术创新中心专家评审桌面端。不带子命令时启动图形界面：tic-desktop [--demo] [--agency] [文件.ticbatch ...]"
        "（--agency：机构汇总模式）",
        "TIC Desktop, offline expert review for Tianjin technology innovation centers. Without a subcommand it "
        "starts the app: tic-desktop [--demo] [--agency] [FILE.ticbatch ...] (--agency: the agency mode)"))
    parser.add_argument("--version", action="version", version=f"tic-desktop {__version__}",
                        help=t("显示版本号并退出", "show the version and exit"))
    sub = parser.add_subparsers(dest="command", metavar=t("子命令", "COMMAND"), parser_class=_Parser)

    demo = sub.add_parser("demo-batch", lang=lang, help=t("生成演示批次及演示机构密钥", "write the demo batch and demo agency keys"),
                          description=t("在 DIR 中生成 demo.ticbatch，并把演示机构密钥（仅供演示）复制到 DIR/agency/。",
                                        "Write DIR/demo.ticbatch and copy the DEMO-ONLY agency keys to DIR/agency/."))
    demo.add_argument("dir", metavar="DIR", type=Path, help=t("输出文件夹", "output folder"))
    demo.add_argument("--kind", choices=kinds, default="feasibility_review", help=t(f"评审类型：{kind_help}", "evaluation kind"))
    demo.add_argument("--passphrase-file", type=Path, metavar="F", help=t("用该文件中的口令加密批次", "encrypt the batch with the passphrase in F"))

    keys = sub.add_parser("keys", lang=lang, help=t("机构密钥", "agency keys"), description=t("机构密钥管理。", "Agency keys."))
    keys_sub = keys.add_subparsers(dest="keys_command", metavar=t("操作", "ACTION"), parser_class=_Parser, required=True)
    create = keys_sub.add_parser("create", lang=lang, help=t("生成新的机构密钥", "create new agency keys"),
                                 description=t("在 AGENCY_DIR 中生成机构签名密钥和加密密钥，并显示密钥指纹（印在邀请函上）。",
                                               "Create the agency signing and encryption keys in AGENCY_DIR and print the "
                                               "fingerprint (print it in the invitation letter)."))
    create.add_argument("agency_dir", metavar="AGENCY_DIR", type=Path, help=t("密钥文件夹（不能已有密钥）", "key folder (must hold no keys yet)"))
    protect = create.add_mutually_exclusive_group()
    protect.add_argument("--passphrase-file", type=Path, metavar="F",
                         help=t("用该文件中的口令保护签名密钥和 agency.agekey（与图形界面相同的强度要求）",
                                "protect the signing key and agency.agekey with the passphrase in F (the app's "
                                "strength rules apply)"))
    protect.add_argument("--no-passphrase", action="store_true",
                         help=t("不设口令（不推荐：任何拿到文件夹的人都能签名和解密评分表）",
                                "no passphrase (not recommended: whoever gets the folder can sign and read the sheets)"))

    batch = sub.add_parser("batch", lang=lang, help=t("生成或查看评审批次", "build or inspect a batch"),
                           description=t("评审批次（.ticbatch）。", "Review batches (.ticbatch)."))
    batch_sub = batch.add_subparsers(dest="batch_command", metavar=t("操作", "ACTION"), parser_class=_Parser, required=True)
    build = batch_sub.add_parser("build", lang=lang, help=t("由批次源文件夹生成签名的批次文件", "build a signed batch from a source folder"),
                                 description=t("读取 SRC_DIR（batch、proposals、budget、kpis、experts 表格及 proposals/<编号>/*.pdf），"
                                               "用机构密钥签名，生成 .ticbatch。",
                                               "Read SRC_DIR (the batch, proposals, budget, kpis and experts tables and "
                                               "proposals/<id>/*.pdf), sign with the agency key and write a .ticbatch."))
    build.add_argument("src_dir", metavar="SRC_DIR", type=Path, help=t("批次源文件夹", "batch source folder"))
    build.add_argument("-o", "--output", required=True, type=Path, metavar="OUT.ticbatch", help=t("输出的批次文件", "batch file to write"))
    build.add_argument("--key", required=True, type=Path, metavar="AGENCY_DIR", help=t("机构密钥文件夹", "agency key folder"))
    add_key_passphrase_option(build, lang)
    build.add_argument("--allowed-signers", type=Path, metavar="F",
                       help=t("专家登记的密钥（OpenSSH allowed_signers，主体为专家编号）：把每位专家的密钥指纹写入签名的批次，"
                              "专家端只能用该密钥签名，机构只接受该密钥签名的评分表",
                              "the experts' enrolled keys (OpenSSH allowed_signers, principal = expert id): each expert's "
                              "key fingerprint is written into the signed batch; the expert app signs only with that key "
                              "and the agency accepts only sheets signed by it"))
    build.add_argument("--demo", action="store_true",
                       help=t("允许使用公开的演示机构密钥（仅供演示）", "allow the public DEMO-ONLY agency key (demos only)"))
    enc = build.add_mutually_exclusive_group()
    enc.add_argument("--passphrase-file", type=Path, metavar="F", help=t("用该文件中的口令加密批次", "encrypt with the passphrase in F"))
    enc.add_argument("--recipient", action="append", default=[], metavar="AGE_PUBKEY",
                     help=t("加密给该 age 公钥（可重复）", "encrypt to this age public key (repeatable)"))

    insp = batch_sub.add_parser("inspect", lang=lang, help=t("检查并显示批次内容", "check a batch and show what it holds"),
                                description=t("完整检查批次文件（签名、清单、格式），并显示摘要。",
                                              "Fully check a batch file (signature, manifest, schema) and summarise it."))
    insp.add_argument("file", metavar="FILE", type=Path, help=t("批次文件", "batch file"))
    secret = insp.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-file", type=Path, metavar="F", help=t("解密口令文件", "decryption passphrase file"))
    secret.add_argument("--identity", type=Path, metavar="F", help=t("age 私钥文件", "age identity file"))
    add_key_passphrase_option(insp, lang)
    insp.add_argument("--expect-fingerprint", metavar="FP",
                      help=t("已知的机构密钥指纹（邀请函上印的 SHA256:…）：签名者不同时退出码为 1",
                             "the agency key fingerprint you know (SHA256:… from the invitation letter): exit 1 when "
                             "the signer differs"))
    insp.add_argument("--json", action="store_true", help=t("以 JSON 输出", "print JSON"))
    add_sheet_commands(sub, lang)
    from tic_desktop.cli_consolidate import add_consolidate_command  # noqa: PLC0415 - not on the app's start

    add_consolidate_command(sub, lang)
    from tic_desktop.cli_pool import add_pool_command  # noqa: PLC0415 - not on the app's start

    add_pool_command(sub, lang)
    from tic_desktop.cli_archive import add_archive_command  # noqa: PLC0415 - not on the app's start

    add_archive_command(sub, lang)
    add_self_test_command(sub, lang)
    return parser


def add_sheet_commands(sub: Any, lang: str) -> None:
    """`sheets verify` and `simulate` (issue 4)."""
    def t(zh: str, en: str) -> str:
        return _t(lang, zh, en)

    sheets = sub.add_parser("sheets", lang=lang, help=t("核验专家评分表", "verify score sheets"),
                            description=t("专家评分表（.ticsheet）。", "Expert score sheets (.ticsheet)."))
    sheets_sub = sheets.add_subparsers(dest="sheets_command", metavar=t("操作", "ACTION"), parser_class=_Parser, required=True)
    ver = sheets_sub.add_parser("verify", lang=lang, help=t("完整核验评分表文件", "fully verify score sheet files"),
                                description=t("用机构私钥解密，并核验签名、文件清单、格式及与批次的一致性。全部有效时退出码为 0，"
                                              "否则逐个列出无效文件及原因，退出码为 1。",
                                              "Decrypt with the agency key and check the signatures, the member list, the "
                                              "schema and the consistency with the batch. Exit 0 when every file is valid; "
                                              "otherwise name each bad file and why, and exit 1."))
    ver.add_argument("files", metavar="FILE.ticsheet", type=Path, nargs="+", help=t("评分表文件", "score sheet files"))
    ver.add_argument("--batch", required=True, type=Path, metavar="B", help=t("对应的批次文件", "the batch file"))
    ver.add_argument("--identity", required=True, type=Path, metavar="AGENCY_DIR/agency.agekey",
                     help=t("机构 age 私钥文件", "the agency's age identity file"))
    ver.add_argument("--allowed-signers", type=Path, metavar="F",
                     help=t("可信签名者文件（OpenSSH allowed_signers），核对专家登记的密钥",
                            "OpenSSH allowed_signers file: check each expert's enrolled key"))
    ver.add_argument("--trust-first-use", action="store_true",
                     help=t("没有登记密钥的专家：按首次使用信任其签名密钥（同一专家出现多把密钥、或同一密钥为多位专家签名时均不采用）",
                            "experts with no enrolled key: trust the signing key on first use (not when one expert comes "
                            "with several keys, or one key signs for several experts)"))
    from tic_desktop.cli_trust import add_key_argument  # noqa: PLC0415

    add_key_argument(ver, lang)
    ver.add_argument("--batch-passphrase-file", type=Path, metavar="F", help=t("批次文件的解密口令文件", "passphrase file of the batch"))
    add_key_passphrase_option(ver, lang)

    sim = sub.add_parser("simulate", lang=lang, help=t("模拟全部专家评分并生成签名评分表", "signed sheets as if every expert had scored"),
                         description=t("如同批次中每位专家都已在软件中完成评分：生成 DIR/<专家编号>.ticsheet、专家公钥（DIR/keys/）"
                                       "和 DIR/allowed_signers。用于演练、培训和压力测试。",
                                       "As if every expert of the batch had scored in the app: writes DIR/<expert_id>.ticsheet, "
                                       "the experts' public keys (DIR/keys/) and DIR/allowed_signers. For rehearsals, "
                                       "training and load tests."))
    sim.add_argument("batch", metavar="FILE.ticbatch", type=Path, help=t("批次文件", "batch file"))
    sim.add_argument("-o", "--output", required=True, type=Path, metavar="DIR", help=t("输出文件夹", "output folder"))
    sim.add_argument("--seed", type=int, default=1, metavar="N", help=t("随机种子（默认 1）", "random seed (default 1)"))
    sim.add_argument("--scores", type=Path, metavar="FILE.csv",
                     help=t("指定分数的 CSV，列为 expert_id,proposal_id,criterion_id,score[,form_id]。同一指标编号出现在项目的"
                            "多张评分表中时（如方案论证批次的 1.1–4.2）须填 form_id；score 为 0 到该指标满分之间、符合评分步长的数，"
                            "或 NA（表格允许时）；criterion_id=* 且 score=conflict 表示回避。未列出的指标按随机种子生成分数",
                            "CSV of fixed scores, columns expert_id,proposal_id,criterion_id,score[,form_id]. form_id is "
                            "required when the criterion id is in more than one of the proposal's forms (1.1-4.2 in a "
                            "feasibility batch); score is a number from 0 to the criterion's max in the form's step, or NA "
                            "where the form allows it; criterion_id=* with score=conflict declares a conflict. Criteria not "
                            "listed get seeded scores"))
    secret = sim.add_mutually_exclusive_group()
    secret.add_argument("--passphrase-file", type=Path, metavar="F", help=t("批次解密口令文件", "batch passphrase file"))
    secret.add_argument("--identity", type=Path, metavar="F", help=t("批次解密 age 私钥文件", "age identity file for the batch"))
    add_key_passphrase_option(sim, lang)


def add_self_test_command(sub: Any, lang: str) -> None:
    """`self-test` (issue 7): the installed or frozen app checks itself, offscreen."""
    sub.add_parser("self-test", lang=lang, help=_t(lang, "自检：检查本机安装能否正常工作", "check that this installation works"),
                   description=_t(lang, "在临时文件夹中离屏运行：打开演示批次、用 QtPdf 渲染 PDF、评分并存入工作区、签名导出并核验评分表、"
                                        "生成中文 PDF。每项一行；全部通过时退出码为 0。",
                                  "Runs offscreen in a temporary folder: opens the demo batch, renders a PDF with QtPdf, "
                                  "scores and stores answers in a workspace, signs, exports and verifies a score sheet, "
                                  "writes a PDF with Chinese text. One line per check; exit 0 when all pass."))


def cmd_self_test(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.ui.selftest import run

    return run(lang)


# ── helpers ─────────────────────────────────────────────────────────────────────────────────

def read_passphrase(path: Path, lang: str) -> bytes:
    """The file's bytes without one trailing newline."""
    data = path.read_bytes()
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    if not data:
        raise CliError(_t(lang, f"口令文件 {path} 是空的。", f"The passphrase file {path} is empty."))
    return data


def add_key_passphrase_option(p: argparse.ArgumentParser, lang: str) -> None:
    """`--key-passphrase-file F`: the agency passphrase that unseals agency_ed25519 and agency.agekey."""
    p.add_argument("--key-passphrase-file", type=Path, metavar="F",
                   help=_t(lang, "机构密钥口令文件（解开 agency_ed25519 和 agency.agekey）",
                           "agency key passphrase file (unseals agency_ed25519 and agency.agekey)"))


def _key_error(exc: Rejected, lang: str) -> CliError:
    hint = ""
    if exc.code == "keys.passphrase_required":
        hint = _t(lang, "请用 --key-passphrase-file F 给出机构密钥口令。",
                  " Give the agency key passphrase with --key-passphrase-file F.")
    return CliError(_t(lang, "错误：", "error: ") + exc.text(lang) + hint + f" [{exc.code}]")


NOTES: list[tuple[str, bool]] = []
"""(line, is a warning) to print once the command has done its work (never before a one-line error):
warnings on stderr, the demo notice on stdout."""


def warn_plain_keys(lang: str, *, demo: bool, what: str) -> None:
    """One line after the command's output when agency keys are not sealed under a passphrase: a warning on
    stderr, or for the DEMO-ONLY keys (plain by design) a notice on stdout."""
    if demo:
        NOTES.append((_t(lang, f"注意：{what} 是演示密钥（仅供演示），按设计不加口令；不要用于真实评审。",
                 f"Note: {what} is a DEMO-ONLY key, left without a passphrase by design; never use it for a real review."),
                      False))
    else:
        NOTES.append((_t(lang, f"警告：{what} 未用口令保护，任何拿到该文件的人都能解密评分表或以机构名义签名。"
                       "请生成带口令的新密钥（tic-desktop keys create --passphrase-file F）。",
                 f"warning: {what} is not protected by a passphrase: whoever gets the file can read the score sheets "
                 "or sign as the agency. Make new keys with a passphrase (tic-desktop keys create --passphrase-file F)."),
                      True))


def _is_demo_identity(text: str) -> bool:
    from tic_desktop.demo import demo_agency_dir
    from tic_desktop.formats import keys as k

    try:
        demo, _plain = k.read_identity(demo_agency_dir() / k.AGE_IDENTITY_FILE)
        return str(k.parse_age_identity(text).to_public()) == str(k.parse_age_identity(demo).to_public())
    except (Rejected, OSError):
        return False


def load_identity(path: Path, key_passphrase_file: Path | None, lang: str, *, agency: bool = True) -> str:
    """The text of an age identity file named on the command line (`--identity`): a sealed
    agency.agekey is opened with `--key-passphrase-file`; a plain agency key gets a line on stderr."""
    from tic_desktop.formats import keys as k

    secret = read_passphrase(key_passphrase_file, lang) if key_passphrase_file else None
    try:
        text, plain = k.read_identity(path, secret)
    except Rejected as exc:
        if exc.code == k.INVALID and not agency:  # not an agency key file: the batch reader says what is wrong
            return path.read_text("utf-8")
        raise _key_error(exc, lang) from None
    if plain and agency:
        warn_plain_keys(lang, demo=_is_demo_identity(text), what=str(path))
    return text


def _number(d: Decimal) -> int | float | str:
    if d == d.to_integral_value():
        return int(d)
    f = float(d)
    return f if Decimal(f) == d else format(d, "f")


# ── commands ────────────────────────────────────────────────────────────────────────────────

def cmd_demo_batch(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.demo import demo_agency_dir, write_demo_batch
    from tic_desktop.formats.keys import load_agency_keys

    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    out = write_demo_batch(args.dir, args.kind, passphrase=passphrase)
    fp = load_agency_keys(demo_agency_dir()).fingerprint
    print(_t(lang, f"已生成演示批次：{out}（{KIND_LABELS[args.kind].zh}，{'已用口令加密' if passphrase else '未加密'}）",
             f"Demo batch written: {out} ({KIND_LABELS[args.kind].en}, {'passphrase-encrypted' if passphrase else 'not encrypted'})"))
    print(_t(lang, f"演示机构密钥（仅供演示）已复制到：{args.dir / 'agency'}", f"DEMO-ONLY agency keys copied to: {args.dir / 'agency'}"))
    print(_t(lang, f"机构密钥指纹：{fp}", f"Agency key fingerprint: {fp}"))
    return 0


def cmd_keys_create(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.core.errors import message
    from tic_desktop.core.passphrase import check_passphrase
    from tic_desktop.formats.keys import PASSPHRASE_MISSING, create_agency_keys

    if args.passphrase_file is None and not args.no_passphrase:
        raise CliError(_t(lang, "错误：", "error: ") + message(PASSPHRASE_MISSING, lang) + f" [{PASSPHRASE_MISSING}]")
    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    if passphrase is not None:
        strength = check_passphrase(passphrase.decode("utf-8", "replace"))
        if not strength.ok:
            raise CliError(_t(lang, "错误：口令不够强：", "error: the passphrase is too weak: ")
                           + message(strength.code or "", lang) + f" [{strength.code}]")
    keys = create_agency_keys(args.agency_dir, passphrase=passphrase)
    if passphrase is None:
        warn_plain_keys(lang, demo=False, what=str(args.agency_dir))
    print(_t(lang, f"已在 {args.agency_dir} 生成机构密钥。", f"Agency keys created in {args.agency_dir}."))
    print(_t(lang, f"机构密钥指纹：{keys.fingerprint}", f"Agency key fingerprint: {keys.fingerprint}"))
    print(_t(lang, f"评分表加密公钥：{keys.age_recipient}", f"Score sheet encryption key: {keys.age_recipient}"))
    print(_t(lang, "请把指纹印在专家邀请函上，并将此文件夹离线备份；丢失后将无法解密专家的评分表。",
             "Print the fingerprint in the invitation letter and back this folder up offline; without it the "
             "experts' score sheets cannot be decrypted."))
    return 0


def refuse_demo_key(fingerprint: str, demo: bool) -> None:
    """`batch build --key` with the public demo key only with `--demo` (`build.demo_key`)."""
    from tic_desktop.agency.build import DEMO_KEY
    from tic_desktop.formats.demo_key import is_demo_agency_fingerprint

    if is_demo_agency_fingerprint(fingerprint) and not demo:
        raise Rejected(DEMO_KEY, fingerprint)


def allowed_signers_keys(text: str) -> dict[str, str]:
    """expert id → fingerprint from an allowed_signers text (one key per principal)."""
    from tic_desktop.agency.registry import PIN_AMBIGUOUS
    from tic_desktop.formats.sheet import parse_allowed_signers

    out: dict[str, str] = {}
    for principal, fps in parse_allowed_signers(text).items():
        unique = list(dict.fromkeys(fps))
        if len(unique) > 1:
            raise Rejected(PIN_AMBIGUOUS, principal)
        out[principal] = unique[0]
    return out


def cmd_batch_build(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency.build import build_batches
    from tic_desktop.formats import keys as k

    key_dir: Path = args.key
    if not all((key_dir / n).is_file() for n in (k.SIGNING_KEY_FILE, k.AGE_IDENTITY_FILE)):
        raise CliError(_t(lang, f"机构密钥文件夹 {key_dir} 中没有机构密钥。请先运行：tic-desktop keys create {key_dir}",
                          f"The folder {key_dir} holds no agency keys. Create them first: tic-desktop keys create {key_dir}"))
    key_pass = read_passphrase(args.key_passphrase_file, lang) if args.key_passphrase_file else None
    try:
        keys = k.load_agency_keys(key_dir, passphrase=key_pass)
    except Rejected as exc:
        raise _key_error(exc, lang) from None
    if keys.plain_identity:
        warn_plain_keys(lang, demo=_is_demo_identity(keys.age_identity_text()), what=str(key_dir))
    refuse_demo_key(keys.fingerprint, args.demo)
    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    expert_keys = allowed_signers_keys(args.allowed_signers.read_text("utf-8")) if args.allowed_signers else None
    written = build_batches(args.src_dir, args.output, keys, passphrase=passphrase, recipients=args.recipient,
                            expert_keys=expert_keys)
    how = (_t(lang, "已用口令加密", "passphrase-encrypted") if passphrase else
           _t(lang, f"已加密给 {len(args.recipient)} 个公钥", f"encrypted to {len(args.recipient)} key(s)") if args.recipient else
           _t(lang, "未加密，请通过安全渠道传递", "not encrypted; send it through a safe channel"))
    for path, manifest in written:  # one per panel (专家组) when the experts table has panels
        print(_t(lang, f"已生成批次文件：{path}（{len(manifest.proposals)} 个项目，{len(manifest.experts)} 位专家，{how}）",
                 f"Batch written: {path} ({len(manifest.proposals)} proposals, {len(manifest.experts)} experts, {how})"))
        named = sum(1 for e in manifest.experts if e.key_fingerprint)
        print(_t(lang, f"  写入批次的专家密钥指纹：{named}/{len(manifest.experts)} 位专家",
                 f"  expert key fingerprints in the batch: {named} of {len(manifest.experts)} experts"))
    if args.demo:
        print(_t(lang, "演示：用公开的演示机构密钥签名（仅供演示），不能用于正式评审。",
                 "DEMO: signed with the public DEMO-ONLY agency key; not for a real review."), file=sys.stderr)
    print(_t(lang, f"机构密钥指纹：{keys.fingerprint}", f"Agency key fingerprint: {keys.fingerprint}"))
    return 0


def inspect_json(opened: Any) -> dict[str, Any]:
    """The `batch inspect --json` object."""
    from tic_desktop.core.policy import RATIO_PLACES, check_budget

    m = opened.manifest
    forms = []
    for fid, form in sorted(opened.forms.items()):
        forms.append({
            "id": fid, "version": form.version, "kind": form.kind, "title": form.title.model_dump(),
            "step": _number(form.step), "max_total": _number(form.max_total),
            "criteria": [{"id": c.id, "section": s.id, "max": _number(c.max), "step": _number(form.step),
                          "roles": list(c.roles), "na_allowed": c.na_allowed}
                         for s in form.sections for c in s.criteria],
        })
    proposals = []
    for ref in m.proposals:
        p = opened.proposals[ref.id]
        applies = m.subsidy_policy_applies(p)
        checks = check_budget(p) if applies else ()
        # the figures the policy check judged, so the budget line and the ✔/✘ line agree
        figures = next((c.figures for c in checks if c.code == "subsidy.ratio"), {})
        total = figures.get("total_investment", Decimal(0))
        subsidy = figures.get("city_subsidy", Decimal(0))
        ratio = figures.get("ratio")
        entry: dict[str, Any] = {
            "id": p.id, "center_name": p.center_name, "center_type": p.center_type, "lead_unit": p.lead_unit,
            "member_units": list(p.member_units), "field": p.field, "forms": list(p.forms),
            "period": [p.period_start, p.period_end],
            "documents": [{"path": d.path, "title": d.title, "size": len(opened.documents[d.path])} for d in p.documents],
            "budget": {"total": format(total, "f"), "city_subsidy": format(subsidy, "f"),
                       "subsidy_ratio": None if ratio is None else format(ratio.quantize(RATIO_PLACES, ROUND_HALF_UP), "f")},
            "kpis": [{"id": k.id, "name": k.name, "unit": k.unit, "target": format(k.target, "f"),
                      "achieved": None if k.achieved is None else format(k.achieved, "f")} for k in p.kpis],
        }
        entry["subsidy_policy"] = "applies" if applies else "n/a"
        entry["not_applicable"] = [n.model_dump() for n in p.not_applicable]
        entry["integrity"] = None if p.integrity is None else p.integrity.model_dump()
        if checks:
            entry["policy"] = [{"code": c.code, "passed": c.passed, "text_zh": c.text("zh"), "text_en": c.text("en"),
                                "figures": {k: format(v, "f") for k, v in c.figures.items()}} for c in checks]
            entry["policy_passed"] = all(c.passed for c in checks)
        proposals.append(entry)
    return {
        "format": "tic-batch-inspect", "format_version": "1.0",
        "batch_id": m.batch_id, "title": m.title.model_dump(), "kind": m.kind, "deadline": m.deadline,
        "created_at": m.created_at, "manifest_sha256": opened.manifest_sha256,
        "agency": {"name": m.agency.name, "fingerprint": opened.agency_fingerprint, "age_recipient": m.agency.age_recipient},
        "agency_fingerprint": opened.agency_fingerprint,
        "forms": forms,
        "proposals": proposals,
        "experts": [{"id": e.id, "name": e.name, "unit": e.unit, "title": e.title, "role": e.role, "chair": e.chair,
                     "assigned": list(e.assigned), "known_conflicts": list(e.known_conflicts),
                     "key_fingerprint": e.key_fingerprint} for e in m.experts],
        "assignments": {e.id: [p for p in e.assigned if p not in e.known_conflicts] for e in m.experts},
    }


def _signer_line(data: dict[str, Any], lang: str) -> str:
    fp = data["agency_fingerprint"]
    demo = data.get("demo_key")
    if data.get("signer_checked"):
        return _t(lang, f"签名与内容检查：通过；签名者与指定的机构密钥指纹 {fp} 一致" + ("（公开的演示密钥，仅供演示）" if demo else ""),
                  f"Signature and content checks: passed; the signer is the expected agency key {fp}"
                  + (" (the public DEMO-ONLY key)" if demo else ""))
    if demo:
        return _t(lang, f"签名与内容检查：内容与签名一致；签名者是公开的演示机构密钥 {fp}（仅供演示，任何人都能用它签名）",
                  f"Signature and content checks: the content matches its signature; the signer is the public "
                  f"DEMO-ONLY agency key {fp} (anyone can sign with it)")
    return _t(lang, f"签名与内容检查：内容与签名一致，但签名者未与已知密钥核对（签名密钥 {fp}）。"
                    "请与邀请函上的指纹比对，或用 --expect-fingerprint 指定",
              f"Signature and content checks: the content matches its signature, but the signer was NOT checked "
              f"against a known key (signing key {fp}). Compare it with the fingerprint in the invitation letter, or "
              "give --expect-fingerprint")


def _summary(data: dict[str, Any], lang: str) -> str:
    from tic_desktop.core.policy import format_subsidy_ratio, format_wan

    zh = lang == "zh"
    kind = KIND_LABELS[data["kind"]].get(lang)
    lines = [
        _t(lang, f"批次：{data['title']['zh']}（{data['batch_id']}）", f"Batch: {data['title']['en']} ({data['batch_id']})"),
        _t(lang, f"评审类型：{kind}　截止日期：{data['deadline'] or '—'}", f"Kind: {kind}   deadline: {data['deadline'] or '—'}"),
        _t(lang, f"组织机构：{data['agency']['name']}　机构密钥指纹：{data['agency_fingerprint']}",
           f"Agency: {data['agency']['name']}   key fingerprint: {data['agency_fingerprint']}"),
        _signer_line(data, lang),
        _t(lang, f"评分表（{len(data['forms'])}）：", f"Forms ({len(data['forms'])}):"),
    ]
    for f in data["forms"]:
        lines.append(_t(lang, f"  {f['id']} v{f['version']}　{f['title']['zh']}　满分 {f['max_total']}，{len(f['criteria'])} 个评分项，步长 {f['step']}",
                        f"  {f['id']} v{f['version']}  {f['title']['en']}  max {f['max_total']}, {len(f['criteria'])} criteria, step {f['step']}"))
    lines.append(_t(lang, f"申报项目（{len(data['proposals'])}）：", f"Proposals ({len(data['proposals'])}):"))
    for p in data["proposals"]:
        lines.append(f"  {p['id']}  {p['center_name']}　{_t(lang, '依托单位', 'host unit')}：{p['lead_unit']}　{_t(lang, '材料', 'documents')} {len(p['documents'])}")
        b = p["budget"]
        ratio_check = next((c for c in p.get("policy", []) if c["code"] == "subsidy.ratio"), None)
        if b["subsidy_ratio"] is not None and ratio_check is not None:
            total, subsidy = format_wan(Decimal(b["total"])), format_wan(Decimal(b["city_subsidy"]))
            share = format_subsidy_ratio(Decimal(ratio_check["figures"]["ratio"]))  # as the policy line shows it
            lines.append(_t(lang, f"      总投资 {total} 万元，市财政补助 {subsidy} 万元（{share}）",
                            f"      total {total} ×10k CNY, city subsidy {subsidy} ×10k CNY ({share})"))
        for c in p.get("policy", []):
            mark = "✔" if c["passed"] else "✘"
            lines.append(f"      {mark} {c['text_zh'] if zh else c['text_en']}")
        if p.get("subsidy_policy") == "n/a":
            lines.append(_t(lang, "      财政补助政策核查：不适用（仅适用于综合性技术创新中心研发创新能力建设项目的方案论证）",
                            "      City-subsidy policy checks: not applicable (only for a comprehensive center's R&D "
                            "capacity project at the feasibility review)"))
        for n in p.get("not_applicable", []):
            lines.append(_t(lang, f"      不适用（机构确定）：{n['form_id']} {n['criterion_id']}　{n['reason']}",
                            f"      not applicable (set by the agency): {n['form_id']} {n['criterion_id']}  {n['reason']}"))
        if p.get("integrity") is not None:
            found = p["integrity"]["record"]
            lines.append(_t(lang, f"      科研诚信核查：{'有' if found else '无'}尚未了结的严重科研失信记录　{p['integrity']['note']}",
                            f"      integrity check: {'a' if found else 'no'} unresolved serious misconduct record  "
                            f"{p['integrity']['note']}"))
    lines.append(_t(lang, f"专家（{len(data['experts'])}）：", f"Experts ({len(data['experts'])}):"))
    for e in data["experts"]:
        role = ROLE_LABELS[e["role"]].get(lang)
        chair = _t(lang, "，组长", ", chair") if e["chair"] else ""
        n = len(data["assignments"][e["id"]])
        conflicts = "、".join(e["known_conflicts"]) if zh else ", ".join(e["known_conflicts"])
        extra = (_t(lang, f"，回避 {conflicts}", f", conflict {conflicts}") if conflicts else "")
        lines.append(_t(lang, f"  {e['id']} {e['name']}（{e['unit']}，{role}{chair}）评审 {n} 项{extra}",
                        f"  {e['id']} {e['name']} ({e['unit']}, {role}{chair}) scores {n}{extra}"))
    return "\n".join(lines)


def cmd_batch_inspect(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.formats.batch import read_batch
    from tic_desktop.formats.demo_key import is_demo_agency_fingerprint

    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    identity = load_identity(args.identity, args.key_passphrase_file, lang, agency=False) if args.identity else None
    expect = args.expect_fingerprint.strip() if args.expect_fingerprint else None
    opened = read_batch(args.file, passphrase=passphrase, identity=identity, pinned_fingerprint=expect)
    data = inspect_json(opened)
    data["signer_checked"] = expect is not None
    data["demo_key"] = is_demo_agency_fingerprint(opened.agency_fingerprint)
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    else:
        print(_summary(data, lang))
    return 0


def cmd_simulate(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.simulate import simulate

    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    identity = load_identity(args.identity, args.key_passphrase_file, lang, agency=False) if args.identity else None
    done = simulate(args.batch, args.output, seed=args.seed, scores_csv=args.scores, passphrase=passphrase,
                    identity=identity)
    for s in done:
        r = s.result
        print(_t(lang, f"{r.path}：{r.proposals - r.conflicts} 个项目已评分，回避 {r.conflicts}，密钥 {s.key.fingerprint}",
                 f"{r.path}: {r.proposals - r.conflicts} proposals scored, {r.conflicts} withdrawn, key {s.key.fingerprint}"))
    print(_t(lang, f"可信签名者文件：{args.output / 'allowed_signers'}；专家公钥：{args.output / 'keys'}",
             f"Allowed signers: {args.output / 'allowed_signers'}; public keys: {args.output / 'keys'}"))
    if any(s.demo for s in done):
        print(_t(lang, "演示：该批次由公开的演示机构密钥签名，这些评分表仅供演示和演练。",
                 "Demo: this batch is signed with the public DEMO agency key; these sheets are for the demo and rehearsals only."))
    return 0


# ── entry point ─────────────────────────────────────────────────────────────────────────────

def _run_gui(argv: list[str], lang: str) -> int:
    try:
        from tic_desktop.app import main as gui_main
    except ImportError as exc:
        print(_t(lang, f"无法启动图形界面（{exc}）。命令行工具仍可使用：tic-desktop --help",
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
    from tic_desktop.cli_archive import cmd_archive_restore, cmd_archive_verify  # noqa: PLC0415
    from tic_desktop.cli_consolidate import cmd_consolidate  # noqa: PLC0415 - not on the app's start
    from tic_desktop.cli_pool import cmd_pool  # noqa: PLC0415 - not on the app's start
    from tic_desktop.cli_trust import cmd_sheets_verify  # noqa: PLC0415

    handlers = {("demo-batch", None): cmd_demo_batch, ("keys", "create"): cmd_keys_create,
                ("batch", "build"): cmd_batch_build, ("batch", "inspect"): cmd_batch_inspect,
                ("sheets", "verify"): cmd_sheets_verify, ("simulate", None): cmd_simulate,
                ("consolidate", None): cmd_consolidate, ("self-test", None): cmd_self_test,
                ("archive", "verify"): cmd_archive_verify, ("archive", "restore"): cmd_archive_restore,
                **{("pool", a): cmd_pool for a in ("draw", "replace", "check")}}
    action = (getattr(args, "keys_command", None) or getattr(args, "batch_command", None)
              or getattr(args, "sheets_command", None) or getattr(args, "pool_command", None)
              or getattr(args, "archive_command", None))
    handler = handlers[(args.command, action)]
    NOTES.clear()
    try:
        result = handler(args, lang)
        for note, warning in dict.fromkeys(NOTES):
            print(note, file=sys.stderr if warning else sys.stdout)
        return result
    except CliError as exc:
        print(str(exc), file=sys.stderr)
    except Rejected as exc:
        print(_t(lang, "错误：", "error: ") + exc.text(lang) + f" [{exc.code}]", file=sys.stderr)
    except BrokenPipeError:  # e.g. `| head`: the reader has gone, nothing left to say
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except FileNotFoundError as exc:
        print(_t(lang, f"错误：找不到文件 {exc.filename}", f"error: no such file: {exc.filename}"), file=sys.stderr)
    except OSError as exc:
        print(_t(lang, f"错误：无法读写 {exc.filename or ''}（{exc.strerror or exc}）",
                 f"error: cannot read or write {exc.filename or ''} ({exc.strerror or exc})"), file=sys.stderr)
    except KeyboardInterrupt:
        print(_t(lang, "已中断。", "Interrupted."), file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: still one line, with the details behind TIC_DEBUG
        if os.environ.get("TIC_DEBUG"):
            raise
        print(_t(lang, f"内部错误：{type(exc).__name__}: {exc}（设置 TIC_DEBUG=1 可查看详情）",
                 f"internal error: {type(exc).__name__}: {exc} (set TIC_DEBUG=1 for details)"), file=sys.stderr)
    return 1
