"""What the agency's commands share about trust (issue 11): the agency's own signing key, the demo key.

Every agency command that reads a batch (`consolidate`, `sheets verify`) requires the batch to be
signed by the agency's OWN key: `--key AGENCY_DIR` (its `agency_ed25519.pub`), or else the
`agency_ed25519.pub` beside `--identity`. A batch signed by another key is refused
(`agency.not_own_signature`), whatever it says inside. The public demo key is accepted only as what
it is: the rehearsal with `demo-batch`'s `DIR/agency/` keys works and says it is a demo.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import (
    CliError,
    Parser,
    add_key_passphrase_option,
    load_identity,
    read_passphrase,
    tr,
)
from tic_desktop.core.errors import Rejected

COMMANDS = ("sheets",)


def add_commands(sub: Any, lang: str) -> None:
    """`sheets verify` (issue 4)."""
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    sheets = sub.add_parser("sheets", lang=lang, help=t("核验专家评分表", "verify score sheets"),
                            description=t("专家评分表（.ticsheet）。", "Expert score sheets (.ticsheet)."))
    sheets_sub = sheets.add_subparsers(dest="sheets_command", metavar=t("操作", "ACTION"), parser_class=Parser, required=True)
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
    add_key_argument(ver, lang)
    ver.add_argument("--batch-passphrase-file", type=Path, metavar="F", help=t("批次文件的解密口令文件", "passphrase file of the batch"))
    add_key_passphrase_option(ver, lang)
    ver.set_defaults(handler=cmd_sheets_verify)



def add_key_argument(p: Any, lang: str) -> None:
    p.add_argument("--key", type=Path, metavar="AGENCY_DIR",
                   help=tr(lang, "机构密钥文件夹：核对批次是否由本机构的签名密钥签名（默认取 --identity 所在文件夹中的 agency_ed25519.pub）",
                           "agency key folder: the batch must be signed by this agency's signing key (default: the "
                           "agency_ed25519.pub beside --identity)"))


def own_fingerprint(args: argparse.Namespace, lang: str) -> str:
    """The fingerprint of the agency's own signing key (from --key, else beside --identity)."""
    from tic_desktop.agency.workspace import signing_fingerprint

    folder = Path(args.key) if getattr(args, "key", None) else Path(args.identity).parent
    try:
        return signing_fingerprint(folder)
    except Rejected as exc:
        raise CliError(tr(lang, "错误：", "error: ") + exc.text(lang) + f" [{exc.code}]") from None


def check_own_batch(signer: str, own: str, batch_path: Path, lang: str) -> bool:
    """Refuse a batch not signed by the agency's own key; True (and a note on stderr) for the demo key."""
    from tic_desktop.agency.workspace import DEMO_BATCH, NOT_OWN_SIGNATURE
    from tic_desktop.formats.demo_key import is_demo_agency_fingerprint

    if signer != own:
        err = Rejected(DEMO_BATCH if is_demo_agency_fingerprint(signer) else NOT_OWN_SIGNATURE, f"{signer} ≠ {own}")
        raise CliError(tr(lang, f"错误：批次文件 {batch_path} 无法使用：", f"error: the batch {batch_path} cannot be used: ")
                       + err.text(lang) + tr(lang, f"（批次签名密钥 {signer}，本机构 {own}；{err.code}）",
                                             f" (batch signed by {signer}, this agency {own}; {err.code})"))
    return demo_note(own, lang)


def demo_note(own: str, lang: str) -> bool:
    """True when the agency's own key is the public demo key: the rehearsal, said on stderr."""
    from tic_desktop.formats.demo_key import is_demo_agency_fingerprint

    if not is_demo_agency_fingerprint(own):
        return False
    print(tr(lang, "演示：批次和机构密钥是公开的演示密钥（仅供演示与演练），结果不能用于正式评审。",
             "DEMO: the batch and agency keys are the public DEMO-ONLY keys (for demos and rehearsals); the "
             "results cannot be used for a real review."))
    return True


def first_use_line(lang: str, expert_id: str, fingerprint: str) -> str:
    return tr(lang, f"首次使用：已信任专家 {expert_id} 的密钥 {fingerprint}（请与该专家的密钥登记表核对）",
              f"first use: trusted expert {expert_id}'s key {fingerprint} (check it against the expert's enrolment "
              "sheet)")


def cmd_sheets_verify(args: argparse.Namespace, lang: str) -> int:
    """`sheets verify`: every file fully checked against the agency's own batch; the signer must be a
    known key of the expert — from `--allowed-signers` or the key the batch names — else the file is
    "signer not verified" (exit 1) unless `--trust-first-use`, which accepts a key only when no other
    file given claims the same expert with another key or the same key for another expert."""
    from tic_desktop.agency.registry import FIRST_USE_AMBIGUOUS, SHARED_KEY
    from tic_desktop.formats.allowed_signers import parse_allowed_signers
    from tic_desktop.formats.batch import read_batch
    from tic_desktop.formats.sheet import batch_key_of, read_sheet

    def fail(path: Path, text: str) -> None:
        print(f"✘ {path}：{text}" if lang == "zh" else f"✘ {path}: {text}", file=sys.stderr)

    own = own_fingerprint(args, lang)
    passphrase = read_passphrase(args.batch_passphrase_file, lang) if args.batch_passphrase_file else None
    identity = load_identity(args.identity, args.key_passphrase_file, lang)
    try:
        opened = read_batch(args.batch, passphrase=passphrase, identity=identity if passphrase is None else None)
    except Rejected as exc:
        raise CliError(tr(lang, f"错误：批次文件 {args.batch} 无法使用：", f"error: the batch {args.batch} cannot be used: ")
                       + exc.text(lang)) from None
    check_own_batch(opened.agency_fingerprint, own, args.batch, lang)
    signers = args.allowed_signers.read_text("utf-8") if args.allowed_signers else None
    listed: dict[str, list[str]] = {}
    if signers is not None:
        try:
            listed = parse_allowed_signers(signers)
        except Rejected as exc:
            raise CliError(tr(lang, f"错误：{args.allowed_signers}：", f"error: {args.allowed_signers}: ")
                           + exc.text(lang)) from None
        owners: dict[str, set[str]] = {}
        for e in opened.manifest.experts:
            for fp in listed.get(e.id, []):
                owners.setdefault(fp, set()).add(e.id)
        shared = {fp: ids for fp, ids in owners.items() if len(ids) > 1}
        if shared:
            fp, ids = next(iter(shared.items()))
            raise CliError(tr(lang, f"错误：{args.allowed_signers}：", f"error: {args.allowed_signers}: ")
                           + Rejected(SHARED_KEY).text(lang) + f" ({fp}: {', '.join(sorted(ids))})")
    bad = 0
    good: list[tuple[Path, Any]] = []
    for path in args.files:
        try:
            good.append((path, read_sheet(path, opened, identity=identity, allowed_signers=signers)))
        except Rejected as exc:
            bad += 1
            fail(path, f"{exc.text(lang)} ({exc.code})")
        except OSError as exc:
            bad += 1
            fail(path, str(exc.strerror or exc))
    unpinned = [(p, g) for p, g in good if batch_key_of(opened, g.sheet.expert_id) is None
                and not listed.get(g.sheet.expert_id)]
    keys_of: dict[str, set[str]] = {}
    experts_of: dict[str, set[str]] = {}
    for _p, g in good:
        keys_of.setdefault(g.sheet.expert_id, set()).add(g.signer_fingerprint)
        experts_of.setdefault(g.signer_fingerprint, set()).add(g.sheet.expert_id)
    refused: set[int] = set()
    for p, g in unpinned:
        eid, fp = g.sheet.expert_id, g.signer_fingerprint
        if not args.trust_first_use:
            refused.add(id(g))
            fail(p, tr(lang, f"签名有效，但签名者未核实（signer not verified）：没有专家 {eid} 的登记密钥，签名密钥 {fp} 未与任何已知密钥核对。"
                             "请用 --allowed-signers 指定专家的可信签名者文件；确需按首次使用信任，请加 --trust-first-use。",
                       f"signer not verified: the signature is valid, but there is no enrolled key for expert {eid}, so "
                       f"the signing key {fp} was not checked against a known key. Give the experts' allowed_signers "
                       "file with --allowed-signers, or --trust-first-use to trust keys on first use."))
        elif len(keys_of[eid]) > 1 or len(experts_of[fp]) > 1:
            refused.add(id(g))
            fail(p, f"{Rejected(FIRST_USE_AMBIGUOUS).text(lang)} ({FIRST_USE_AMBIGUOUS}; {eid} {fp})")
    bad += len(refused)
    first_use = {id(g) for _p, g in unpinned} - refused
    for path, got in good:
        if id(got) in refused:
            continue
        sh = got.sheet
        withdrawn = sum(1 for p in sh.proposals if p.conflict.declared)
        print(tr(lang, f"✔ {path}：专家 {sh.expert_id}，第 {sh.sheet_seq} 版，{len(sh.proposals)} 个项目（回避 {withdrawn}），"
                       f"签名密钥 {got.signer_fingerprint}，内容摘要 {got.content_digest[:16]}",
                 f"✔ {path}: expert {sh.expert_id}, revision {sh.sheet_seq}, {len(sh.proposals)} proposals "
                 f"({withdrawn} withdrawn), key {got.signer_fingerprint}, content digest {got.content_digest[:16]}"))
        if id(got) in first_use:
            print(first_use_line(lang, sh.expert_id, got.signer_fingerprint), file=sys.stderr)
    return 1 if bad else 0
