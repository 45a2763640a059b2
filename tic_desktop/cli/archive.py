"""`tic-desktop archive verify|restore` and `consolidate --archive` (issue 15: the archive, 归档包).

    tic-desktop archive verify FILE.ticarchive [--expect-fingerprint FP] [--json]
    tic-desktop archive restore FILE.ticarchive --identity AGENCY_DIR/agency.agekey [--key-passphrase-file F]
                                [--batch-passphrase-file F] [--expect-fingerprint FP] -o OUT_DIR

`verify` exits 0 only when everything checks (agency.archive_verify); a refusal is one line with the
sentence and its code (`archive.bad_signature`, `archive.member_hash`, …), exit 1. Without
--expect-fingerprint the signer is said, in words, not to have been checked against a known key.
`restore` verifies first, restores into a fresh agency workspace in OUT_DIR/agency/, consolidates
again into OUT_DIR and compares OUT_DIR/results.csv with the archived one: exit 0 when they are
identical byte for byte, else 1 (`archive.results_differ`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import (
    Parser,
    add_key_passphrase_option,
    key_error,
    load_identity,
    read_passphrase,
    tr,
)
from tic_desktop.core.errors import Rejected, register

COMMANDS = ("archive",)

RESULTS_DIFFER = register(
    "archive.results_differ",
    "恢复后重新汇总得到的 results.csv 与归档包中的不一致。请保留归档包，并与机构核对当时的评分表和决定。",
    "The results.csv consolidated again after the restore differs from the archived one. Keep the archive and "
    "check the sheets and decisions of the time with the agency.",
)


def add_archive_option(p: Any, lang: str) -> None:
    """`consolidate --archive FILE.ticarchive`."""
    p.add_argument("--archive", type=Path, metavar="FILE.ticarchive",
                   help=tr(lang, "同时生成归档包（批次、全部评分表版本、导入与审计日志、决定、报告，附清单并由机构密钥签名；"
                                 "需要机构签名密钥：--key AGENCY_DIR 或 --identity 所在文件夹）",
                           "also write the archive (the batch, every sheet revision, the import and audit logs, the "
                           "decisions, the reports, with a manifest signed by the agency key; needs the agency signing "
                           "key: --key AGENCY_DIR or the folder of --identity)"))


def add_commands(sub: Any, lang: str) -> None:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    archive = sub.add_parser("archive", lang=lang, help=t("核验或恢复归档包", "verify or restore an archive"),
                             description=t("归档包（.ticarchive）：一个批次的全部评审材料，附签名清单。",
                                           "The archive (.ticarchive): everything of one batch's review, with a "
                                           "signed manifest."))
    archive_sub = archive.add_subparsers(dest="archive_command", metavar=t("操作", "ACTION"),
                                         parser_class=Parser, required=True)
    ver = archive_sub.add_parser(
        "verify", lang=lang, help=t("完整核验归档包", "fully verify an archive"),
        description=t("核验归档包的签名（命名空间 tic-archive-v1）、每个文件的大小和 SHA-256、有无多余或缺少的文件，以及审计日志的哈希链。"
                      "全部通过时退出码为 0；否则说明原因及代码，退出码为 1。",
                      "Check the archive's signature (namespace tic-archive-v1), every member's size and SHA-256, "
                      "that no member is missing or added, and the audit log's hash chain. Exit 0 only when all "
                      "pass; otherwise the reason and its code, exit 1."))
    ver.add_argument("archive", type=Path, metavar="FILE.ticarchive")
    ver.add_argument("--expect-fingerprint", metavar="FP",
                     help=t("预期的机构签名密钥指纹（邀请函上印的 SHA256:…）", "the expected agency key fingerprint (SHA256:…)"))
    ver.add_argument("--json", action="store_true", help=t("以 JSON 输出", "print JSON"))
    res = archive_sub.add_parser(
        "restore", lang=lang, help=t("恢复归档包并重新汇总", "restore an archive and consolidate again"),
        description=t("先完整核验，再把归档包中的批次、评分表和决定导入 OUT_DIR/agency/ 中新建的机构工作区，重新汇总并在 OUT_DIR "
                      "生成报告。OUT_DIR/results.csv 与归档中的逐字节一致时退出码为 0。",
                      "Verify first, then import the batch, sheets and decisions into a fresh agency workspace in "
                      "OUT_DIR/agency/, consolidate again and write the reports to OUT_DIR. Exit 0 when "
                      "OUT_DIR/results.csv equals the archived one byte for byte."))
    res.add_argument("archive", type=Path, metavar="FILE.ticarchive")
    res.add_argument("--identity", required=True, type=Path, metavar="AGENCY_DIR/agency.agekey",
                     help=t("机构 age 私钥文件", "the agency's age identity file"))
    add_key_passphrase_option(res, lang)
    res.add_argument("--batch-passphrase-file", type=Path, metavar="F",
                     help=t("批次文件的解密口令文件（批次用口令加密时）", "passphrase file of the batch (when it is passphrase-encrypted)"))
    res.add_argument("--expect-fingerprint", metavar="FP",
                     help=t("预期的机构签名密钥指纹", "the expected agency key fingerprint"))
    res.add_argument("-o", "--output", required=True, type=Path, metavar="OUT_DIR",
                     help=t("恢复到的文件夹（须为空或不存在）", "folder to restore into (empty or new)"))
    ver.set_defaults(handler=cmd_archive_verify)
    res.set_defaults(handler=cmd_archive_restore)


def _signer_line(fp: str, checked: bool, lang: str) -> str:
    from tic_desktop.formats.demo_key import is_demo_agency_fingerprint

    demo = is_demo_agency_fingerprint(fp)
    if checked:
        return tr(lang, f"签名者：与指定的机构密钥指纹 {fp} 一致" + ("（公开的演示密钥，仅供演示）" if demo else ""),
                  f"signer: the expected agency key {fp}" + (" (the public DEMO-ONLY key)" if demo else ""))
    if demo:
        return tr(lang, f"签名者是公开的演示机构密钥 {fp}（仅供演示，任何人都能用它签名）",
                  f"the signer is the public DEMO-ONLY agency key {fp} (anyone can sign with it)")
    return tr(lang, f"签名者未与已知密钥核对（签名密钥 {fp}）。请与邀请函上的机构指纹比对，或用 --expect-fingerprint 指定",
              f"the signer was NOT checked against a known key (signing key {fp}). Compare it with the agency "
              "fingerprint in the invitation letter, or give --expect-fingerprint")


def cmd_archive_verify(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency.archive_verify import verify_archive

    with verify_archive(args.archive, expect_fingerprint=args.expect_fingerprint) as v:
        m = v.manifest
        if args.json:
            print(json.dumps({"ok": True, "batch_id": v.batch_id, "round_id": v.round_id, "batch_ids": v.batch_ids,
                              "created_at": m["created_at"],
                              "agency_fingerprint": v.signer_fingerprint, "signer_checked": v.signer_checked,
                              "members": len(m["members"]), "audit_entries": v.audit_entries,
                              "audit_head": m["audit_head"]}, ensure_ascii=False, indent=2))
            return 0
        title = m["title"]["zh"] if lang == "zh" else m["title"]["en"]
        print(tr(lang, f"归档包：{args.archive}", f"archive: {args.archive}"))
        if v.round_id is None:
            print(tr(lang, f"批次：{v.batch_id}（{title}），归档时间 {m['created_at']}",
                     f"batch: {v.batch_id} ({title}), archived {m['created_at']}"))
        else:
            print(tr(lang, f"评审轮次：{v.round_id}（{title}），批次 {'、'.join(v.batch_ids)}，归档时间 {m['created_at']}",
                     f"round: {v.round_id} ({title}), batches {', '.join(v.batch_ids)}, archived {m['created_at']}"))
        print(tr(lang, f"文件 {len(m['members'])} 个：大小与 SHA-256 均与清单一致，无多余或缺少的文件",
                 f"{len(m['members'])} members: sizes and SHA-256 as the manifest lists, none missing or added"))
        print(tr(lang, f"审计日志 {v.audit_entries} 条：哈希链完整（末条 {m['audit_head']['hash'][:16]}…）",
                 f"audit log: {v.audit_entries} entries, hash chain intact (head {m['audit_head']['hash'][:16]}…)"))
        print(tr(lang, "签名（tic-archive-v1）：有效", "signature (tic-archive-v1): valid"))
        print(_signer_line(v.signer_fingerprint, v.signer_checked, lang))
        print(tr(lang, "核验结果：通过", "Archive check: passed") if v.signer_checked else
              tr(lang, "核验结果：内容与签名一致（签名者未核对）", "Archive check: consistent (signer not checked)"))
    return 0


def _own_fingerprint(folder: Path) -> str | None:
    """The agency signing key's fingerprint from `folder/agency_ed25519.pub`, None when it is not there."""
    from tic_desktop.agency.workspace import signing_fingerprint

    if not (folder / "agency_ed25519.pub").is_file():
        return None
    try:
        return signing_fingerprint(folder)
    except Rejected:
        return None


def cmd_archive_restore(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency.archive_restore import restore_archive

    identity = load_identity(args.identity, args.key_passphrase_file, lang)
    passphrase = read_passphrase(args.batch_passphrase_file, lang) if args.batch_passphrase_file else None
    from tic_desktop.agency.archive_verify import verify_archive
    from tic_desktop.cli.docsign import document_signer, signed_line

    if args.expect_fingerprint is None:
        # the agency restores its own archive: the signer must be the key beside --identity, so a
        # re-signed archive (someone else's key named in its manifest) is refused, not restored
        args.expect_fingerprint = _own_fingerprint(Path(args.identity).parent)
    with verify_archive(args.archive, expect_fingerprint=args.expect_fingerprint) as checked:
        batch_archive = checked.round_id is None
    signer = document_signer(args, lang) if batch_archive else None
    r = restore_archive(args.archive, identity, args.output, passphrase=passphrase,
                        expect_fingerprint=args.expect_fingerprint, signer=signer)
    if signer is not None:
        print(signed_line(lang, signer))
    print(_signer_line(r.signer_fingerprint, r.signer_checked, lang))
    what = r.batch_id if r.round_id is None else f"{r.round_id} ({', '.join(r.batch_ids)})"
    print(tr(lang, f"已恢复{'批次' if r.round_id is None else '评审轮次'} {what}：重新导入评分表 {r.sheets_imported} 份，"
                   f"工作区 {r.out_dir / 'agency'}",
             f"restored {'batch' if r.round_id is None else 'round'} {what}: {r.sheets_imported} sheet(s) imported "
             f"again, workspace {r.out_dir / 'agency'}"))
    for name, code in r.sheets_refused:
        print(tr(lang, f"✘ {name}：未能再次导入（{code}）", f"✘ {name}: not imported again ({code})"), file=sys.stderr)
    for path in r.written:
        print(tr(lang, f"已生成：{path}", f"written: {path}"))
    if r.results_identical is None:
        print(tr(lang, "归档包中没有 results.csv，无法比对。", "The archive holds no results.csv to compare with."))
        return 0
    if not r.results_identical:
        err = Rejected(RESULTS_DIFFER, ", ".join(r.differing))
        print(tr(lang, "错误：", "error: ") + err.text(lang) + f" [{err.code}]", file=sys.stderr)
        return 1
    if r.round_id is None:
        print(tr(lang, "results.csv 与归档包中的逐字节一致。", "results.csv is identical to the archived one, byte for byte."))
    else:
        print(tr(lang, "round.csv 和各批次的 results.csv 与归档包中的逐字节一致。",
                 "round.csv and every batch's results.csv are identical to the archived ones, byte for byte."))
    return 0


def write_consolidation_archive(args: argparse.Namespace, lang: str, ws: Any, batch_id: str | None = None, *,
                                round_id: str | None = None) -> Path:
    """`consolidate --archive` (a batch) and `round consolidate|export --archive` (`round_id`): the archive of
    the workspace and OUT_DIR's reports, signed with the agency key of --key, else beside --identity."""
    from tic_desktop.agency.archive import ArchiveSource, write_archive
    from tic_desktop.formats.keys import load_agency_keys

    folder = Path(args.key) if getattr(args, "key", None) else Path(args.identity).parent
    secret = read_passphrase(args.key_passphrase_file, lang) if args.key_passphrase_file else None
    try:
        keys = load_agency_keys(folder, passphrase=secret)
    except Rejected as exc:
        raise key_error(exc, lang) from None
    return write_archive(args.archive, ArchiveSource(ws, batch_id, args.output, round_id=round_id), keys).path
