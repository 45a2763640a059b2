"""`tic-desktop scans match` (issue 15): scanned, hand-signed paper checked against the signed sheets.

    tic-desktop scans match --batch B --identity AGENCY_DIR/agency.agekey [--key-passphrase-file F]
                            [--allowed-signers F | --trust-first-use] [--key AGENCY_DIR] [--batch-passphrase-file F]
                            SHEETS_OR_DIRS... --scans SCAN.pdf|DIR ... -o OUT_DIR

The sheets go through the same import pipeline and trust rules as `consolidate` (the batch signed by
the agency's own key; expert keys from --allowed-signers or the batch, or first use) in a temporary
workspace; every page of the scans is decoded (agency.scan_decode) and matched to the revisions that
count (agency.scan_match). OUT_DIR receives scan_matches.csv and scan_matches.pdf (agency.scan_report).
Exit 0 only when every signed proposal sheet has all its pages on paper of its current revision and
every sheet file was accepted; else 1.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import (
    CliError,
    Parser,
    add_expert_trust_options,
    add_key_passphrase_option,
    load_identity,
    read_passphrase,
    tr,
)
from tic_desktop.cli.trust import add_key_argument, demo_note, first_use_line, own_fingerprint
from tic_desktop.core.errors import Rejected

COMMANDS = ("scans",)


def add_commands(sub: Any, lang: str) -> None:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    scans = sub.add_parser("scans", lang=lang, help=t("核对扫描的纸质评分表", "check scanned paper score sheets"),
                           description=t("扫描的纸质评分表（专家亲笔签名的打印件）。",
                                         "Scanned paper score sheets (the printouts the experts signed by hand)."))
    scans_sub = scans.add_subparsers(dest="scans_command", metavar=t("操作", "ACTION"), parser_class=Parser,
                                     required=True)
    p = scans_sub.add_parser(
        "match", lang=lang,
        help=t("将扫描页与已签名的评分表逐页匹配", "match scanned pages to the signed score sheets"),
        description=t(
            "核验评分表文件（规则与 consolidate 相同），读取扫描件（PDF、JPEG、PNG、TIFF 或其文件夹）每一页的二维码，"
            "与各专家有效版本的评分表逐页匹配，在 OUT_DIR 中生成 scan_matches.csv（每个扫描页一行，另为每份缺纸件的"
            "项目评分表或缺页各一行）和 scan_matches.pdf（核对表）。每份已签名的项目评分表都有完整的当前版本纸件、"
            "且全部评分表文件有效时退出码为 0，否则为 1。",
            "Verify the score sheet files (as consolidate does), read the QR code of every page of the scans (PDF, "
            "JPEG, PNG, TIFF files or folders of them), match each page to the experts' current sheets, and write "
            "scan_matches.csv (one row per scanned page, plus one per signed proposal sheet or page without paper) "
            "and scan_matches.pdf (the checklist) to OUT_DIR. Exit 0 only when every signed proposal sheet has all "
            "its pages on paper of its current revision and every sheet file is valid; else 1.",
        ),
    )
    p.add_argument("sheets", metavar="SHEETS_OR_DIRS", type=Path, nargs="+",
                   help=t("评分表文件或包含评分表的文件夹", "score sheet files, or folders holding them"))
    p.add_argument("--scans", required=True, type=Path, nargs="+", action="extend", metavar="SCAN.pdf|DIR",
                   help=t("扫描文件（PDF、JPEG、PNG、TIFF）或其文件夹", "scan files (PDF, JPEG, PNG, TIFF) or folders"))
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
    p.set_defaults(handler=cmd_scans_match)


def cmd_scans_match(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency import scan_decode
    from tic_desktop.agency.importer import import_sheets
    from tic_desktop.agency.inputs import signer_keys
    from tic_desktop.agency.scan_match import STATUS_LABELS, ScannedPage, match
    from tic_desktop.agency.scan_report import expert_names, write_outputs
    from tic_desktop.agency.scan_store import revisions
    from tic_desktop.agency.service import open_workspace

    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    files = scan_decode.scan_files(args.scans)  # bad paths are named before any work
    own = own_fingerprint(args, lang)
    identity = load_identity(args.identity, args.key_passphrase_file, lang)
    passphrase = read_passphrase(args.batch_passphrase_file, lang) if args.batch_passphrase_file else None
    signers = args.allowed_signers.read_text("utf-8") if args.allowed_signers else None
    refused = 0
    with tempfile.TemporaryDirectory(prefix="tic-scans-") as tmp:
        ws = open_workspace(Path(tmp) / "agency.db", check_location=False)
        try:
            try:
                demo = demo_note(own, lang)
                info = ws.add_batch(args.batch, identity, own_fingerprint=own, passphrase=passphrase, allow_demo=demo)
                batch = ws.open_batch(info.batch_id, identity, passphrase=passphrase, own_fingerprint=own)
            except Rejected as exc:
                raise CliError(t(f"错误：批次文件 {args.batch} 无法使用：", f"error: the batch {args.batch} cannot be used: ")
                               + exc.text(lang) + f" ({exc.code})") from None
            with batch:
                if signers is not None:
                    try:
                        ws.pin_allowed_signers(info.batch_id, signers)
                    except Rejected as exc:
                        raise CliError(t(f"错误：{args.allowed_signers}：", f"error: {args.allowed_signers}: ")
                                       + exc.text(lang)) from None
                outcomes = import_sheets(ws, batch, identity, args.sheets, trust_first_use=args.trust_first_use)
                for o in outcomes:
                    if not o.counted:
                        refused += 1
                        text = o.message_zh if lang == "zh" else o.message_en
                        print(f"✘ {o.path}：{text} ({o.code})" if lang == "zh" else f"✘ {o.path}: {text} ({o.code})",
                              file=sys.stderr)
                for key in signer_keys(ws, info.batch_id):
                    if key.source == "first_use":
                        print(first_use_line(lang, key.expert_id, key.fingerprint), file=sys.stderr)
                revs = revisions(ws, info.batch_id)
                names = expert_names(batch)
                title = batch.manifest.title.zh
        finally:
            ws.close()
    pages: list[ScannedPage] = []
    thumbs: dict[tuple[str, int], bytes] = {}
    total = 0
    for path in files:
        sha = hashlib.sha256(path.read_bytes()).hexdigest()
        decoded = scan_decode.decode_files([path])
        total += len(decoded)
        for d in decoded:
            pages.append(ScannedPage(str(path), d.index, d.code, d.reason, sha))
            if d.code is None:
                thumbs[(sha, d.index)] = d.thumbnail
    result = match(info.batch_id, pages, revs)
    written = write_outputs(args.output, result, batch_id=info.batch_id, batch_title=title,
                            generated_at=datetime.now().astimezone().isoformat(timespec="seconds"), experts=names,
                            thumbnails=thumbs, scans=len(files))
    for row in result.rows:
        if row.status == "matched":
            continue
        where = f"{row.source_file} p.{row.page}" if row.page is not None else f"{row.expert_id} {row.proposal_id}"
        where += f" [{row.page_of}]" if row.page_of else ""
        label = STATUS_LABELS[row.status][0 if lang == "zh" else 1]
        print(f"✘ {where}：{label}（{row.reason}）" if lang == "zh" else f"✘ {where}: {label} ({row.reason_en})",
              file=sys.stderr)
    for path in written:
        print(t(f"已生成：{path}", f"written: {path}"))
    counts = result.counts()
    done = sum(1 for c in result.checks if c.status == "matched")
    print(t(f"扫描文件 {len(files)} 个，共 {total} 页：已匹配 {counts['matched']}，旧版本 {counts['older_revision']}，"
            f"无对应记录 {counts['no_record']}，无法识别 {counts['unreadable']}；项目评分表 {len(result.checks)} 份，"
            f"纸件齐全 {done} 份，缺纸件 {len(result.checks) - done} 份。",
            f"{len(files)} scan file(s), {total} page(s): {counts['matched']} matched, {counts['older_revision']} "
            f"older revision, {counts['no_record']} without record, {counts['unreadable']} unreadable; "
            f"{len(result.checks)} proposal sheets, {done} with complete paper, {len(result.checks) - done} without."))
    return 0 if result.complete and not refused else 1
