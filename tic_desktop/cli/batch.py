"""`demo-batch`, `keys create`, `batch build` and `batch inspect` (DESIGN.md §8).

`batch inspect --json` prints one JSON object (see `inspect_json`). Points (criterion `max`,
form `step`) are JSON numbers when the decimal is exactly representable as a binary double
(6, 7.5, 0.25), otherwise decimal strings ("0.1"); money and ratios are always decimal strings.
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from tic_desktop.cli.common import (
    CliError,
    Parser,
    add_key_passphrase_option,
    is_demo_identity,
    key_error,
    load_identity,
    read_passphrase,
    tr,
    warn_plain_keys,
)
from tic_desktop.core.errors import Rejected
from tic_desktop.core.labels import KIND_LABELS, ROLE_LABELS

COMMANDS = ("demo-batch", "keys", "batch")


def add_commands(sub: Any, lang: str) -> None:
    def t(zh: str, en: str) -> str:
        return tr(lang, zh, en)

    kinds = list(KIND_LABELS)
    kind_help = "，".join(f"{k}（{v.zh}）" for k, v in KIND_LABELS.items())

    demo = sub.add_parser("demo-batch", lang=lang, help=t("生成演示批次及演示机构密钥", "write the demo batch and demo agency keys"),
                          description=t("在 DIR 中生成 demo.ticbatch，并把演示机构密钥（仅供演示）复制到 DIR/agency/。",
                                        "Write DIR/demo.ticbatch and copy the DEMO-ONLY agency keys to DIR/agency/."))
    demo.add_argument("dir", metavar="DIR", type=Path, help=t("输出文件夹", "output folder"))
    demo.add_argument("--kind", choices=kinds, default="feasibility_review", help=t(f"评审类型：{kind_help}", "evaluation kind"))
    demo.add_argument("--passphrase-file", type=Path, metavar="F", help=t("用该文件中的口令加密批次", "encrypt the batch with the passphrase in F"))

    keys = sub.add_parser("keys", lang=lang, help=t("机构密钥", "agency keys"), description=t("机构密钥管理。", "Agency keys."))
    keys_sub = keys.add_subparsers(dest="keys_command", metavar=t("操作", "ACTION"), parser_class=Parser, required=True)
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
    create.add_argument("--agency-name", metavar="NAME", default="",
                        help=t("机构名称：写入签署 PDF 用的文件签名证书（缺省时取本机设置的机构名称）",
                               "the agency's name, written into the certificate that signs its PDFs (default: the "
                               "name set on this computer)"))

    batch = sub.add_parser("batch", lang=lang, help=t("生成或查看评审批次", "build or inspect a batch"),
                           description=t("评审批次（.ticbatch）。", "Review batches (.ticbatch)."))
    batch_sub = batch.add_subparsers(dest="batch_command", metavar=t("操作", "ACTION"), parser_class=Parser, required=True)
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
    demo.set_defaults(handler=cmd_demo_batch)
    create.set_defaults(handler=cmd_keys_create)
    build.set_defaults(handler=cmd_batch_build)
    insp.set_defaults(handler=cmd_batch_inspect)


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
    print(tr(lang, f"已生成演示批次：{out}（{KIND_LABELS[args.kind].zh}，{'已用口令加密' if passphrase else '未加密'}）",
             f"Demo batch written: {out} ({KIND_LABELS[args.kind].en}, {'passphrase-encrypted' if passphrase else 'not encrypted'})"))
    print(tr(lang, f"演示机构密钥（仅供演示）已复制到：{args.dir / 'agency'}", f"DEMO-ONLY agency keys copied to: {args.dir / 'agency'}"))
    print(tr(lang, f"机构密钥指纹：{fp}", f"Agency key fingerprint: {fp}"))
    return 0


def cmd_keys_create(args: argparse.Namespace, lang: str) -> int:
    from tic_desktop.core.errors import message
    from tic_desktop.core.passphrase import check_passphrase
    from tic_desktop.formats.keys import PASSPHRASE_MISSING, create_agency_keys

    if args.passphrase_file is None and not args.no_passphrase:
        raise CliError(tr(lang, "错误：", "error: ") + message(PASSPHRASE_MISSING, lang) + f" [{PASSPHRASE_MISSING}]")
    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    if passphrase is not None:
        strength = check_passphrase(passphrase.decode("utf-8", "replace"))
        if not strength.ok:
            raise CliError(tr(lang, "错误：口令不够强：", "error: the passphrase is too weak: ")
                           + message(strength.code or "", lang) + f" [{strength.code}]")
    from tic_desktop.agency.keys import agency_name
    from tic_desktop.formats.docsign import certificate_fingerprint

    name = args.agency_name.strip() or agency_name(Path(args.agency_dir).parent)
    keys = create_agency_keys(args.agency_dir, passphrase=passphrase, agency_name=name)
    if passphrase is None:
        warn_plain_keys(lang, demo=False, what=str(args.agency_dir))
    print(tr(lang, f"已在 {args.agency_dir} 生成机构密钥。", f"Agency keys created in {args.agency_dir}."))
    print(tr(lang, f"机构密钥指纹：{keys.fingerprint}", f"Agency key fingerprint: {keys.fingerprint}"))
    print(tr(lang, f"评分表加密公钥：{keys.age_recipient}", f"Score sheet encryption key: {keys.age_recipient}"))
    cert = certificate_fingerprint(args.agency_dir)
    print(tr(lang, f"文件签名证书 SHA-256 指纹：{cert}", f"Document-signing certificate SHA-256 fingerprint: {cert}"))
    print(tr(lang, "请把两个指纹印在专家邀请函上，并将此文件夹离线备份；丢失后将无法解密专家的评分表。",
             "Print both fingerprints in the invitation letter and back this folder up offline; without it the "
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
    from tic_desktop.formats.allowed_signers import parse_allowed_signers

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
        raise CliError(tr(lang, f"机构密钥文件夹 {key_dir} 中没有机构密钥。请先运行：tic-desktop keys create {key_dir}",
                          f"The folder {key_dir} holds no agency keys. Create them first: tic-desktop keys create {key_dir}"))
    key_pass = read_passphrase(args.key_passphrase_file, lang) if args.key_passphrase_file else None
    try:
        keys = k.load_agency_keys(key_dir, passphrase=key_pass)
    except Rejected as exc:
        raise key_error(exc, lang) from None
    if keys.plain_identity:
        warn_plain_keys(lang, demo=is_demo_identity(keys.age_identity_text()), what=str(key_dir))
    refuse_demo_key(keys.fingerprint, args.demo)
    passphrase = read_passphrase(args.passphrase_file, lang) if args.passphrase_file else None
    expert_keys = allowed_signers_keys(args.allowed_signers.read_text("utf-8")) if args.allowed_signers else None
    written = build_batches(args.src_dir, args.output, keys, passphrase=passphrase, recipients=args.recipient,
                            expert_keys=expert_keys)
    how = (tr(lang, "已用口令加密", "passphrase-encrypted") if passphrase else
           tr(lang, f"已加密给 {len(args.recipient)} 个公钥", f"encrypted to {len(args.recipient)} key(s)") if args.recipient else
           tr(lang, "未加密，请通过安全渠道传递", "not encrypted; send it through a safe channel"))
    for path, manifest in written:  # one per panel (专家组) when the experts table has panels
        print(tr(lang, f"已生成批次文件：{path}（{len(manifest.proposals)} 个项目，{len(manifest.experts)} 位专家，{how}）",
                 f"Batch written: {path} ({len(manifest.proposals)} proposals, {len(manifest.experts)} experts, {how})"))
        named = sum(1 for e in manifest.experts if e.key_fingerprint)
        print(tr(lang, f"  写入批次的专家密钥指纹：{named}/{len(manifest.experts)} 位专家",
                 f"  expert key fingerprints in the batch: {named} of {len(manifest.experts)} experts"))
    if args.demo:
        print(tr(lang, "演示：用公开的演示机构密钥签名（仅供演示），不能用于正式评审。",
                 "DEMO: signed with the public DEMO-ONLY agency key; not for a real review."), file=sys.stderr)
    print(tr(lang, f"机构密钥指纹：{keys.fingerprint}", f"Agency key fingerprint: {keys.fingerprint}"))
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
        return tr(lang, f"签名与内容检查：通过；签名者与指定的机构密钥指纹 {fp} 一致" + ("（公开的演示密钥，仅供演示）" if demo else ""),
                  f"Signature and content checks: passed; the signer is the expected agency key {fp}"
                  + (" (the public DEMO-ONLY key)" if demo else ""))
    if demo:
        return tr(lang, f"签名与内容检查：内容与签名一致；签名者是公开的演示机构密钥 {fp}（仅供演示，任何人都能用它签名）",
                  f"Signature and content checks: the content matches its signature; the signer is the public "
                  f"DEMO-ONLY agency key {fp} (anyone can sign with it)")
    return tr(lang, f"签名与内容检查：内容与签名一致，但签名者未与已知密钥核对（签名密钥 {fp}）。"
                    "请与邀请函上的指纹比对，或用 --expect-fingerprint 指定",
              f"Signature and content checks: the content matches its signature, but the signer was NOT checked "
              f"against a known key (signing key {fp}). Compare it with the fingerprint in the invitation letter, or "
              "give --expect-fingerprint")


def _summary(data: dict[str, Any], lang: str) -> str:
    from tic_desktop.core.policy import format_subsidy_ratio, format_wan

    zh = lang == "zh"
    kind = KIND_LABELS[data["kind"]].get(lang)
    lines = [
        tr(lang, f"批次：{data['title']['zh']}（{data['batch_id']}）", f"Batch: {data['title']['en']} ({data['batch_id']})"),
        tr(lang, f"评审类型：{kind}　截止日期：{data['deadline'] or '—'}", f"Kind: {kind}   deadline: {data['deadline'] or '—'}"),
        tr(lang, f"组织机构：{data['agency']['name']}　机构密钥指纹：{data['agency_fingerprint']}",
           f"Agency: {data['agency']['name']}   key fingerprint: {data['agency_fingerprint']}"),
        _signer_line(data, lang),
        tr(lang, f"评分表（{len(data['forms'])}）：", f"Forms ({len(data['forms'])}):"),
    ]
    for f in data["forms"]:
        lines.append(tr(lang, f"  {f['id']} v{f['version']}　{f['title']['zh']}　满分 {f['max_total']}，{len(f['criteria'])} 个评分项，步长 {f['step']}",
                        f"  {f['id']} v{f['version']}  {f['title']['en']}  max {f['max_total']}, {len(f['criteria'])} criteria, step {f['step']}"))
    lines.append(tr(lang, f"申报项目（{len(data['proposals'])}）：", f"Proposals ({len(data['proposals'])}):"))
    for p in data["proposals"]:
        lines.append(f"  {p['id']}  {p['center_name']}　{tr(lang, '依托单位', 'host unit')}：{p['lead_unit']}　{tr(lang, '材料', 'documents')} {len(p['documents'])}")
        b = p["budget"]
        ratio_check = next((c for c in p.get("policy", []) if c["code"] == "subsidy.ratio"), None)
        if b["subsidy_ratio"] is not None and ratio_check is not None:
            total, subsidy = format_wan(Decimal(b["total"])), format_wan(Decimal(b["city_subsidy"]))
            share = format_subsidy_ratio(Decimal(ratio_check["figures"]["ratio"]))  # as the policy line shows it
            lines.append(tr(lang, f"      总投资 {total} 万元，市财政补助 {subsidy} 万元（{share}）",
                            f"      total {total} ×10k CNY, city subsidy {subsidy} ×10k CNY ({share})"))
        for c in p.get("policy", []):
            mark = "✔" if c["passed"] else "✘"
            lines.append(f"      {mark} {c['text_zh'] if zh else c['text_en']}")
        if p.get("subsidy_policy") == "n/a":
            lines.append(tr(lang, "      财政补助政策核查：不适用（仅适用于综合性技术创新中心研发创新能力建设项目的方案论证）",
                            "      City-subsidy policy checks: not applicable (only for a comprehensive center's R&D "
                            "capacity project at the feasibility review)"))
        for n in p.get("not_applicable", []):
            lines.append(tr(lang, f"      不适用（机构确定）：{n['form_id']} {n['criterion_id']}　{n['reason']}",
                            f"      not applicable (set by the agency): {n['form_id']} {n['criterion_id']}  {n['reason']}"))
        if p.get("integrity") is not None:
            found = p["integrity"]["record"]
            lines.append(tr(lang, f"      科研诚信核查：{'有' if found else '无'}尚未了结的严重科研失信记录　{p['integrity']['note']}",
                            f"      integrity check: {'a' if found else 'no'} unresolved serious misconduct record  "
                            f"{p['integrity']['note']}"))
    lines.append(tr(lang, f"专家（{len(data['experts'])}）：", f"Experts ({len(data['experts'])}):"))
    for e in data["experts"]:
        role = ROLE_LABELS[e["role"]].get(lang)
        chair = tr(lang, "，组长", ", chair") if e["chair"] else ""
        n = len(data["assignments"][e["id"]])
        conflicts = "、".join(e["known_conflicts"]) if zh else ", ".join(e["known_conflicts"])
        extra = (tr(lang, f"，回避 {conflicts}", f", conflict {conflicts}") if conflicts else "")
        lines.append(tr(lang, f"  {e['id']} {e['name']}（{e['unit']}，{role}{chair}）评审 {n} 项{extra}",
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

