"""`tic-desktop consolidate` (issue 5): import and verify score sheets, consolidate, write the report.

    tic-desktop consolidate --batch B --identity AGENCY_DIR/agency.agekey SHEETS... -o OUT_DIR
                            [--key AGENCY_DIR] [--allowed-signers F | --trust-first-use] [--batch-passphrase-file F]
                            [--key-passphrase-file F] [--archive FILE.ticarchive]

The batch must be signed by the agency's own key (`cli.trust`). Experts' keys: the allowed_signers
file and the keys the batch names; `--trust-first-use` enrols the others only when no other file of
the run claims the same expert or key (agency.importer), prints each such key on stderr and lists it
on the report's cover.

Every step is the agency service's (`agency.service`, the same functions the app's pages call, so
the report is the app's): the files go through the one import pipeline on an agency workspace in a
temporary folder that is removed afterwards; nothing is written outside OUT_DIR but the OS temp
folder. OUT_DIR receives consolidated.pdf (signed by the agency, PAdES: cli.docsign), results.xlsx,
results.csv, scores.csv and panel_opinions.docx (`agency.service.write_exports`); with --archive also
the signed archive of the run (cli.archive).
Exit 0 when every file was accepted (a duplicate of an accepted file
or an older revision of an expert whose newer one is given is accepted too); otherwise the
accepted sheets are still consolidated, each refused file is named with the reason on stderr (one
line each) and in the report, and the exit status is 1. A sheet whose expert has two different
sheets with the same revision number (a conflict) is not counted, and both files are named.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import (
    CliError,
    add_expert_trust_options,
    add_key_passphrase_option,
    load_identity,
    read_passphrase,
    tr,
)
from tic_desktop.cli.docsign import document_signer, signed_line
from tic_desktop.cli.trust import add_key_argument, demo_note, first_use_line, own_fingerprint
from tic_desktop.core.errors import Rejected

COMMANDS = ("consolidate",)


def add_commands(sub: Any, lang: str) -> None:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    p = sub.add_parser(
        "consolidate", lang=lang,
        help=t("导入核验专家评分表并汇总，生成汇总报告", "import and verify score sheets, consolidate, write the report"),
        description=t(
            "用机构私钥解密并完整核验每个评分表文件（签名、专家密钥、版本），汇总有效评分表，在 OUT_DIR 中生成"
            " consolidated.pdf（汇总报告，由机构文件签名证书签名，PAdES）、results.xlsx、results.csv（每个项目一行）、"
            "scores.csv（每个分数一行）和 panel_opinions.docx（专家组意见，可编辑）。"
            "全部文件有效时退出码为 0；否则仍汇总有效的评分表，在标准错误和报告中逐个列出未采用的文件及原因，退出码为 1。"
            "专家密钥须事先登记：用 --allowed-signers 指定可信签名者文件，或用 --trust-first-use 信任每位专家首次出现的密钥。",
            "Decrypt with the agency key and fully verify every score sheet file (signatures, the experts' keys, "
            "revisions), consolidate the valid sheets and write consolidated.pdf (signed with the agency's "
            "document-signing certificate, PAdES), results.xlsx, results.csv (one row per proposal), scores.csv (one "
            "row per score) and panel_opinions.docx (the panel opinions, editable) to OUT_DIR. Exit 0 when every file "
            "is accepted; "
            "otherwise the valid sheets are still consolidated, each file not used is named with the reason on "
            "stderr and in the report, and the exit status is 1. The experts' keys must be known: give an "
            "allowed_signers file with --allowed-signers, or trust each expert's first key with --trust-first-use.",
        ),
    )
    p.add_argument("sheets", metavar="SHEETS", type=Path, nargs="+",
                   help=t("评分表文件或包含评分表的文件夹", "score sheet files, or folders holding them"))
    p.add_argument("--batch", required=True, type=Path, metavar="B", help=t("对应的批次文件", "the batch file"))
    p.add_argument("--identity", required=True, type=Path, metavar="AGENCY_DIR/agency.agekey",
                   help=t("机构 age 私钥文件", "the agency's age identity file"))
    p.add_argument("-o", "--output", required=True, type=Path, metavar="OUT_DIR",
                   help=t("输出文件夹（不存在时创建）", "output folder (created when missing)"))
    add_expert_trust_options(p, lang)

    add_key_argument(p, lang)
    p.add_argument("--batch-passphrase-file", type=Path, metavar="F",
                   help=t("批次文件的解密口令文件（批次用口令加密时）", "passphrase file of the batch (when it is passphrase-encrypted)"))
    add_key_passphrase_option(p, lang)
    from tic_desktop.cli.archive import add_archive_option  # noqa: PLC0415

    add_archive_option(p, lang)
    p.set_defaults(handler=cmd_consolidate)


def _line(lang: str, mark: str, path: str, text: str) -> str:
    return f"{mark} {path}：{text}" if lang == "zh" else f"{mark} {path}: {text}"


def report_outcomes(ws: Any, batch_id: str, outcomes: Sequence[Any], lang: str, *, name_batch: bool = False) -> int:
    """Name every imported file: on stdout when it counts, on stderr with the reason and code when not
    (the agency service's rule, `agency.service.not_used`, as in the report). First-use keys on stderr.
    Returns the number of files not used."""
    from tic_desktop.agency import service as svc
    from tic_desktop.agency.inputs import signer_keys
    from tic_desktop.formats.sheet_checks import KEY_UNKNOWN

    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    for key in signer_keys(ws, batch_id):
        if key.source == "first_use":
            print(first_use_line(lang, key.expert_id, key.fingerprint), file=sys.stderr)
    states = svc.sheet_states(ws, batch_id)
    bad = 0
    for o in outcomes:
        why = svc.not_used(o, states)
        if why is None:
            note = ""
            if o.status == "duplicate":
                note = t("（与已导入的文件相同，未重复计入）", " (same as a file already imported; counted once)")
            elif states.get(o.sheet_sha256 or "") == "superseded":
                note = t("（已被该专家的较新版本替代）", " (replaced by the expert's newer revision)")
            where = t(f"批次 {batch_id}，", f"batch {batch_id}, ") if name_batch else ""
            print(_line(lang, "✔", o.path, where + t(f"专家 {o.expert_id}，第 {o.sheet_seq} 版",
                                                     f"expert {o.expert_id}, revision {o.sheet_seq}") + note))
            continue
        bad += 1
        text = why.reason_zh if lang == "zh" else why.reason_en
        if why.code == KEY_UNKNOWN:
            text += t("请用 --allowed-signers 指定可信签名者文件，或用 --trust-first-use 信任首次出现的密钥。",
                      " Use --allowed-signers with the experts' allowed_signers file, or --trust-first-use.")
        print(_line(lang, "✘", o.path, text + f" ({why.code})"), file=sys.stderr)
    return bad


def cmd_consolidate(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import service as svc

    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    own = own_fingerprint(args, lang)
    identity = load_identity(args.identity, args.key_passphrase_file, lang)
    passphrase = read_passphrase(args.batch_passphrase_file, lang) if args.batch_passphrase_file else None
    with svc.temporary_workspace("tic-consolidate-") as ws:
        try:
            demo = demo_note(own, lang)
            info = svc.add_batch(ws, args.batch, identity, own_fingerprint=own, passphrase=passphrase, allow_demo=demo)
            batch = svc.open_batch(ws, info.batch_id, identity, passphrase=passphrase, own_fingerprint=own)
        except Rejected as exc:
            raise CliError(t(f"错误：批次文件 {args.batch} 无法使用：", f"error: the batch {args.batch} cannot be used: ")
                           + exc.text(lang) + f" ({exc.code})") from None
        with batch:
            if args.allowed_signers is not None:
                try:
                    svc.pin_allowed_signers(ws, info.batch_id, args.allowed_signers.read_text("utf-8"))
                except Rejected as exc:
                    raise CliError(t(f"错误：{args.allowed_signers}：", f"error: {args.allowed_signers}: ")
                                   + exc.text(lang)) from None
            outcomes = svc.import_files(ws, batch, identity, args.sheets, trust_first_use=args.trust_first_use)
            bad = report_outcomes(ws, info.batch_id, outcomes, lang)
            report = svc.build_report(ws, batch)
            signer = document_signer(args, lang, report.agency_name)
            written = svc.write_exports(args.output, report, signer=signer)
            if args.archive is not None:
                from tic_desktop.cli.archive import write_consolidation_archive

                written.append(write_consolidation_archive(args, lang, ws, info.batch_id))
    counted = len(report.signers)
    for path in written:
        print(t(f"已生成：{path}", f"written: {path}"))
    if signer is not None:
        print(signed_line(lang, signer))
    print(t(f"有效评分表 {counted} 份（专家 {counted}/{info.experts} 位），未采用的文件 {bad} 个。",
            f"{counted} sheets counted ({counted} of {info.experts} experts), {bad} file(s) not used."))
    return 1 if bad else 0
