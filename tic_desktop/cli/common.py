"""What every subcommand shares: the user's language, argparse in that language, one-line errors
(`CliError`), passphrase files, the agency identity and the notes printed after a command's output.
No Qt here."""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path
from typing import Any, NoReturn

from tic_desktop.core.errors import Rejected


def ui_lang(environ: dict[str, str] | None = None) -> str:
    env = os.environ if environ is None else environ
    tic = env.get("TIC_LANG", "").strip().lower()
    if tic:
        return "en" if tic.startswith("en") else "zh"
    return "en" if env.get("LANG", "").lower().startswith("en") else "zh"


def tr(lang: str, zh: str, en: str) -> str:
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
        super().add_usage(usage, actions, groups, tr(self.lang, "用法：", "usage: ") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    lang = "zh"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        lang = kwargs.pop("lang", None) or type(self).lang
        formatter = type("Formatter", (_Formatter,), {"lang": lang})
        super().__init__(*args, formatter_class=formatter, add_help=False, **kwargs)
        self.lang = lang
        self._positionals.title = tr(lang, "参数", "arguments")
        self._optionals.title = tr(lang, "选项", "options")
        self.add_argument("-h", "--help", action="help", help=tr(lang, "显示本帮助并退出", "show this help and exit"))

    def error(self, message: str) -> NoReturn:
        if self.lang == "zh":
            for pattern, repl in _ARGPARSE_ZH:
                if re.fullmatch(pattern, message):
                    message = re.sub(pattern, repl, message)
                    break
        hint = tr(self.lang, f"（用 {self.prog} --help 查看用法）", f" (see {self.prog} --help)")
        print(tr(self.lang, "错误：", "error: ") + message + hint, file=sys.stderr)
        raise SystemExit(1)


def read_passphrase(path: Path, lang: str) -> bytes:
    """The file's bytes without one trailing newline."""
    data = path.read_bytes()
    if data.endswith(b"\r\n"):
        data = data[:-2]
    elif data.endswith(b"\n"):
        data = data[:-1]
    if not data:
        raise CliError(tr(lang, f"口令文件 {path} 是空的。", f"The passphrase file {path} is empty."))
    return data


def add_expert_trust_options(p: argparse.ArgumentParser, lang: str) -> None:
    """`--allowed-signers F | --trust-first-use`: how the experts' keys become known to a run."""
    keys = p.add_mutually_exclusive_group()
    keys.add_argument("--allowed-signers", type=Path, metavar="F",
                      help=tr(lang, "可信签名者文件（OpenSSH allowed_signers）：登记其中列出的专家密钥",
                              "OpenSSH allowed_signers file: pin the experts' keys it lists"))
    keys.add_argument("--trust-first-use", action="store_true",
                      help=tr(lang, "信任每位专家首次出现的签名密钥（请事后与专家密钥登记表核对指纹）",
                              "trust each expert's first signing key seen (check the fingerprints against the "
                              "enrolment sheets afterwards)"))


def add_key_passphrase_option(p: argparse.ArgumentParser, lang: str) -> None:
    """`--key-passphrase-file F`: the agency passphrase that unseals agency_ed25519 and agency.agekey."""
    p.add_argument("--key-passphrase-file", type=Path, metavar="F",
                   help=tr(lang, "机构密钥口令文件（解开 agency_ed25519 和 agency.agekey）",
                           "agency key passphrase file (unseals agency_ed25519 and agency.agekey)"))


def key_error(exc: Rejected, lang: str) -> CliError:
    hint = ""
    if exc.code == "keys.passphrase_required":
        hint = tr(lang, "请用 --key-passphrase-file F 给出机构密钥口令。",
                  " Give the agency key passphrase with --key-passphrase-file F.")
    return CliError(tr(lang, "错误：", "error: ") + exc.text(lang) + hint + f" [{exc.code}]")


NOTES: list[tuple[str, bool]] = []
"""(line, is a warning) to print once the command has done its work (never before a one-line error):
warnings on stderr, the demo notice on stdout."""


def warn_plain_keys(lang: str, *, demo: bool, what: str) -> None:
    """One line after the command's output when agency keys are not sealed under a passphrase: a warning on
    stderr, or for the DEMO-ONLY keys (plain by design) a notice on stdout."""
    if demo:
        NOTES.append((tr(lang, f"注意：{what} 是演示密钥（仅供演示），按设计不加口令；不要用于真实评审。",
                 f"Note: {what} is a DEMO-ONLY key, left without a passphrase by design; never use it for a real review."),
                      False))
    else:
        NOTES.append((tr(lang, f"警告：{what} 未用口令保护，任何拿到该文件的人都能解密评分表或以机构名义签名。"
                       "请生成带口令的新密钥（tic-desktop keys create --passphrase-file F）。",
                 f"warning: {what} is not protected by a passphrase: whoever gets the file can read the score sheets "
                 "or sign as the agency. Make new keys with a passphrase (tic-desktop keys create --passphrase-file F)."),
                      True))


def is_demo_identity(text: str) -> bool:
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
        raise key_error(exc, lang) from None
    if plain and agency:
        warn_plain_keys(lang, demo=is_demo_identity(text), what=str(path))
    return text
