"""`tic-desktop pool …` (issue 16): the expert pool and the fair random draw.

    tic-desktop pool draw --pool POOL.csv --centers PROPOSALS.csv --panels N
        --per-panel technical=5,finance=1,management=1 [--reserves R] [--max-per-unit M]
        [--seed S] --key AGENCY_DIR [--key-passphrase-file F] -o OUT_DIR
        [--aliases F] [--date YYYY-MM-DD] [--no-rotation] [--supervisor NAME ...] [--agency-name NAME] [--no-letters]
    tic-desktop pool draw --replay OUT_DIR/draw.json --pool POOL.csv --centers PROPOSALS.csv [--key AGENCY_DIR]
    tic-desktop pool replace OUT_DIR/draw.json --pool POOL.csv --centers PROPOSALS.csv --expert ID --reason TEXT
        --key AGENCY_DIR [--key-passphrase-file F] [--no-letters]
    tic-desktop pool check POOL.csv [--centers PROPOSALS.csv] [--aliases F] [--date D] [--no-rotation]

Exit 0 on success; 1 on bad input, a draw that cannot be filled (naming the constraint), or a replay
that differs (naming each difference) or whose signature does not hold.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import CliError, Parser, read_passphrase, tr

COMMANDS = ("pool",)


def add_commands(sub: Any, lang: str) -> None:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    pool = sub.add_parser("pool", lang=lang, help=t("专家库与随机抽取专家", "the expert pool and the random draw"),
                          description=t("专家库（专家库文件 CSV/XLSX）、随机抽取专家组（回避规则、可复核的签名抽取记录）、候补递补。",
                                        "The expert pool (a CSV/XLSX file), the random draw of panels (avoidance "
                                        "rules, a signed record anyone can replay) and replacement from reserves."))
    pool.set_defaults(handler=cmd_pool)
    pool_sub = pool.add_subparsers(dest="pool_command", metavar=t("操作", "ACTION"), parser_class=Parser, required=True)
    d = pool_sub.add_parser("draw", lang=lang, help=t("随机抽取专家组，或复核抽取记录", "draw the panels, or replay a record"),
                            description=t(
                                "按回避规则从专家库随机抽取各专家组，在 OUT_DIR 中生成 experts.csv（批次源的专家表）、panels.csv、"
                                "draw.json 与 draw.json.sig（机构签名，命名空间 tic-draw-v1）、draw.pdf（抽取记录）、exclusions.csv "
                                "和 letters/<专家编号>.pdf 与 .docx（邀请函）。无法抽满时退出码为 1 并指出哪条限制不满足。"
                                "--replay：用同一专家库文件重新抽取并核对签名，结果相同时退出码为 0，否则为 1 并列出差异。",
                                "Draw the panels from the pool after the avoidance rules and write to OUT_DIR experts.csv "
                                "(the batch source's experts table), panels.csv, draw.json and draw.json.sig (signed by "
                                "the agency, namespace tic-draw-v1), draw.pdf (the record), exclusions.csv and "
                                "letters/<expert_id>.pdf and .docx (invitation letters). A draw that cannot be filled exits 1 "
                                "naming the constraint. --replay: draw again from the same pool file and check the "
                                "signature; exit 0 when the result is the same, else 1 naming what differs."))
    d.add_argument("--pool", required=True, type=Path, metavar="POOL.csv", help=t("专家库文件（CSV 或 XLSX）", "pool file (CSV or XLSX)"))
    d.add_argument("--centers", required=True, type=Path, metavar="PROPOSALS.csv",
                   help=t("批次源的申报项目表", "the batch source's proposals table"))
    d.add_argument("--replay", type=Path, metavar="OUT_DIR/draw.json", help=t("复核该抽取记录", "replay this draw record"))
    d.add_argument("--panels", type=int, metavar="N", help=t("专家组数", "number of panels"))
    d.add_argument("--per-panel", metavar="technical=5,finance=1,management=1",
                   help=t("每组各类专家人数", "experts per panel by role"))
    d.add_argument("--reserves", type=int, default=0, metavar="R", help=t("每组每类候补人数（默认 0）", "reserves per panel and role (default 0)"))
    d.add_argument("--max-per-unit", type=int, metavar="M", help=t("每组同一单位最多人数（默认不限）", "at most M experts of one unit per panel (default: no limit)"))
    d.add_argument("--seed", metavar="S", help=t("随机种子（默认抽取时由操作系统产生）", "random seed (default: from the OS at draw time)"))
    d.add_argument("--key", type=Path, metavar="AGENCY_DIR", help=t("机构密钥文件夹", "agency key folder"))
    d.add_argument("--key-passphrase-file", type=Path, metavar="F", help=t("签名密钥的口令文件", "passphrase file of the signing key"))
    d.add_argument("-o", "--output", type=Path, metavar="OUT_DIR", help=t("输出文件夹", "output folder"))
    d.add_argument("--aliases", type=Path, metavar="F", help=t("单位别名表（alias,canonical 或 别名,规范名称）", "unit alias table (alias,canonical)"))
    d.add_argument("--date", metavar="YYYY-MM-DD", help=t("评审日期（排除当天不能参加的专家）", "meeting date (experts unavailable then are left out)"))
    d.add_argument("--no-rotation", action="store_true", help=t("不执行轮换回避", "do not apply the rotation rule"))
    d.add_argument("--supervisor", action="append", default=[], metavar="NAME", help=t("监督人（可重复）", "a supervisor present (repeatable)"))
    d.add_argument("--agency-name", default="", metavar="NAME", help=t("组织机构名称", "the agency's name"))
    d.add_argument("--no-letters", action="store_true", help=t("不生成邀请函", "do not write the invitation letters"))

    r = pool_sub.add_parser("replace", lang=lang, help=t("由候补依次递补一位专家（新的签名版本）",
                                                       "replace an expert from the reserves (a new signed revision)"),
                            description=t("专家不能参加时，由同组同类候补依次递补，抽取记录生成新的签名版本（旧版本保存为 draw-r<N>.json）。",
                                          "An expert who declines is replaced by the next reserve of the same role on the "
                                          "same panel; the record gets a new signed revision (the old one is kept as "
                                          "draw-r<N>.json)."))
    r.add_argument("record", type=Path, metavar="OUT_DIR/draw.json", help=t("抽取记录", "the draw record"))
    r.add_argument("--pool", required=True, type=Path, metavar="POOL.csv", help=t("专家库文件", "pool file"))
    r.add_argument("--centers", required=True, type=Path, metavar="PROPOSALS.csv", help=t("申报项目表", "proposals table"))
    r.add_argument("--expert", required=True, metavar="ID", help=t("不能参加的专家编号", "id of the expert who declines"))
    r.add_argument("--reason", required=True, metavar="TEXT", help=t("原因", "reason"))
    r.add_argument("--key", required=True, type=Path, metavar="AGENCY_DIR", help=t("机构密钥文件夹", "agency key folder"))
    r.add_argument("--key-passphrase-file", type=Path, metavar="F", help=t("签名密钥的口令文件", "passphrase file of the signing key"))
    r.add_argument("--no-letters", action="store_true", help=t("不生成邀请函", "do not write the invitation letters"))

    c = pool_sub.add_parser("check", lang=lang, help=t("检查专家库文件并列出回避", "check a pool file and list the exclusions"),
                            description=t("检查专家库文件（逐项指出文件、行、列）；给出 --centers 时列出每条回避及原因。",
                                          "Check a pool file (each mistake named by file, row and column); with --centers "
                                          "list every exclusion with its reason."))
    c.add_argument("pool", type=Path, metavar="POOL.csv", help=t("专家库文件", "pool file"))
    c.add_argument("--centers", type=Path, metavar="PROPOSALS.csv", help=t("申报项目表", "proposals table"))
    c.add_argument("--aliases", type=Path, metavar="F", help=t("单位别名表", "unit alias table"))
    c.add_argument("--date", metavar="YYYY-MM-DD", help=t("评审日期", "meeting date"))
    c.add_argument("--no-rotation", action="store_true", help=t("不执行轮换回避", "do not apply the rotation rule"))


def _certificate(args: argparse.Namespace) -> str:
    """The SHA-256 fingerprint of the agency's document-signing certificate beside --key ("" when none)."""
    from tic_desktop.core.errors import Rejected
    from tic_desktop.formats.docsign import certificate_fingerprint

    try:
        return certificate_fingerprint(args.key) if args.key is not None else ""
    except Rejected:
        return ""


def _keys(args: argparse.Namespace, lang: str) -> Any:
    from tic_desktop.formats.keys import load_agency_keys

    passphrase = read_passphrase(args.key_passphrase_file, lang) if args.key_passphrase_file else None
    return load_agency_keys(args.key, passphrase=passphrase)


def _date(value: str | None, lang: str) -> str | None:
    import datetime as _dt


    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise CliError(tr(lang, f"错误：日期“{value}”应为 YYYY-MM-DD", f"error: the date “{value}” must be YYYY-MM-DD")) from None


def _replay(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency.draw_record import replay
    from tic_desktop.core.errors import Rejected
    from tic_desktop.formats import sshsig
    from tic_desktop.formats.keys import PUBLIC_KEY_FILE

    pinned = None
    if args.key is not None:
        from cryptography.hazmat.primitives.serialization import load_ssh_public_key

        pinned = sshsig.fingerprint(load_ssh_public_key((args.key / PUBLIC_KEY_FILE).read_bytes()))  # type: ignore[arg-type]
    try:
        result = replay(args.replay, args.pool, args.centers, pinned=pinned)
    except Rejected as exc:
        print(tr(lang, f"✘ 抽取记录 {args.replay} 不可信：", f"✘ the draw record {args.replay} cannot be trusted: ")
              + exc.text(lang), file=sys.stderr)
        return 1
    rec = result.record
    print(tr(lang, f"抽取记录 {rec['draw_id']} 第 {rec['revision']} 版，签名密钥 {result.signer}，随机种子 {rec['seed']}",
             f"Draw record {rec['draw_id']} revision {rec['revision']}, signed by {result.signer}, seed {rec['seed']}"))
    if result.ok:
        print(tr(lang, "✔ 签名有效；用同一专家库文件重新抽取，结果与记录完全一致。",
                 "✔ The signature holds; drawing again from the same pool file gives exactly the recorded result."))
        return 0
    for zh, en in result.differences:
        print("✘ " + tr(lang, zh, en), file=sys.stderr)
    return 1


def cmd_pool(args: argparse.Namespace, lang: str) -> int:
    if args.pool_command == "check":
        return _check(args, lang)
    if args.pool_command == "replace":
        from tic_desktop.agency.draw_job import run_replacement

        keys = _keys(args, lang)
        done = run_replacement(args.record, args.pool, args.centers, args.expert, args.reason, keys,
                               letters=not args.no_letters, certificate_fingerprint=_certificate(args))
        r = done.record["replacements"][-1]
        print(tr(lang, f"专家组 {r['panel']}：{r['expert_id']} 由候补 {r['replaced_by']} 递补；抽取记录第 {done.record['revision']} 版已签名",
                 f"Panel {r['panel']}: {r['expert_id']} replaced by reserve {r['replaced_by']}; record revision "
                 f"{done.record['revision']} signed"))
        return 0
    if args.replay is not None:
        return _replay(args, lang)
    missing = [name for name, value in (("--panels", args.panels), ("--per-panel", args.per_panel), ("--key", args.key),
                                        ("-o", args.output)) if value is None]
    if missing:
        raise CliError(tr(lang, f"错误：缺少必需的参数：{', '.join(missing)}（或用 --replay 复核记录）",
                          f"error: the following arguments are required: {', '.join(missing)} (or --replay a record)"))
    from tic_desktop.agency.draw import DrawRules, parse_per_panel
    from tic_desktop.agency.draw_job import read_aliases, run_draw

    rules = DrawRules(panels=args.panels, per_panel=parse_per_panel(args.per_panel), reserves=args.reserves,
                      max_per_unit=args.max_per_unit, rotation=not args.no_rotation, date=_date(args.date, lang))
    aliases = read_aliases(args.aliases) if args.aliases else {}
    keys = _keys(args, lang)
    done = run_draw(args.pool, args.centers, rules, keys, args.output, seed=args.seed, agency_name=args.agency_name,
                    supervisors=args.supervisor, aliases=aliases, letters=not args.no_letters,
                    certificate_fingerprint=_certificate(args))
    rec = done.record
    print(tr(lang, f"随机种子：{rec['seed']}（{'抽取时由操作系统产生' if rec['seed_source'] == 'os' else '指定'}）",
             f"Seed: {rec['seed']} ({'from the OS at draw time' if rec['seed_source'] == 'os' else 'given'})"))
    for p in rec["panels"]:
        names = "、".join(m["expert_id"] + ("*" if m["chair"] else "") for m in p["members"])
        print(tr(lang, f"{p['panel']}：{len(p['proposals'])} 个中心；专家 {names}（* 组长）；候补 {len(p['reserves'])} 人",
                 f"{p['panel']}: {len(p['proposals'])} centers; experts {names} (* chair); {len(p['reserves'])} reserves"))
    print(tr(lang, f"回避 {len(rec['exclusions'])} 条；已写入 {args.output}（experts.csv、panels.csv、draw.json、draw.json.sig、"
                   "draw.pdf、exclusions.csv）",
             f"{len(rec['exclusions'])} exclusions; written to {args.output} (experts.csv, panels.csv, draw.json, "
             "draw.json.sig, draw.pdf, exclusions.csv)"))
    return 0


def _check(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.agency.avoidance import exclusions
    from tic_desktop.agency.draw_job import read_aliases
    from tic_desktop.agency.pool import read_centers, read_pool

    experts = read_pool(args.pool)
    print(tr(lang, f"✔ {args.pool}：{len(experts)} 位专家", f"✔ {args.pool}: {len(experts)} experts"))
    if args.centers is not None:
        found = exclusions(experts, read_centers(args.centers), aliases=read_aliases(args.aliases) if args.aliases else {},
                           rotation=not args.no_rotation, date=_date(args.date, lang))
        print("expert_id,proposal_id,reason")
        for x in found:
            print(f"{x.expert_id},{x.proposal_id},{x.text(lang)}")
    return 0
