"""The 专家抽取记录 PDF from a draw record (the dict of agency.draw_record; plain data, no agency import),
and the invitation letter (专家邀请函) of one drawn expert."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import PageBreak, Spacer, Table, TableStyle

from tic_desktop.core.labels import ROLE_LABELS, label
from tic_desktop.reports.agency_key_pdf import QR_PREFIX, grouped
from tic_desktop.reports.invitation import invitation_text
from tic_desktop.reports.qr import GRID, SHADE, build_pdf, footer_painter, para, qr_drawing, styles

REASON_ZH = {"unit": "本人单位为依托/共建单位", "collaborator": "合作单位为依托/共建单位", "past_conflict": "曾有利益冲突",
             "rotation": "上次评审过该中心（轮换）", "unavailable": "评审日期不能参加"}


def _table(rows: list[list[Any]], widths: list[float], *, header: bool = True) -> Table:
    t = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [("FONTNAME", (0, 0), (-1, -1), styles().font), ("GRID", (0, 0), (-1, -1), 0.5, GRID),
             ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("TOPPADDING", (0, 0), (-1, -1), 3),
             ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]
    style.append(("BACKGROUND", (0, 0), (-1, 0), SHADE) if header else ("BACKGROUND", (0, 0), (0, -1), SHADE))
    t.setStyle(TableStyle(style))
    return t


def _rules_text(r: Mapping[str, Any]) -> str:
    seats = "，".join(f"{label(ROLE_LABELS, k)} {v} 人" for k, v in r["per_panel"])
    parts = [f"{r['panels']} 个专家组，每组 {seats}", f"每组每类候补 {r['reserves']} 人",
             "同单位每组不超过 " + (f"{r['max_per_unit']} 人" if r["max_per_unit"] else "（不限）"),
             "轮换：" + ("上次评审过该中心的专家回避" if r["rotation"] else "不适用")]
    if r.get("date"):
        parts.append(f"评审日期 {r['date']}")
    return "；".join(parts)


def _exclusion_rows(exclusions: list[Mapping[str, str]]) -> list[list[Any]]:
    """One row per center: per reason the experts it keeps off that center's panel."""
    s = styles()
    by_center: dict[str, dict[str, list[str]]] = {}
    for x in exclusions:
        by_center.setdefault(x["proposal_id"], {}).setdefault(x["reason"], []).append(x["expert_id"])
    rows = [[para("中心", s.head), para("回避的专家（按原因）", s.head)]]
    for pid in sorted(by_center, key=lambda p: (p != "*", p)):
        text = "；".join(f"{REASON_ZH.get(r, r)}：{' '.join(dict.fromkeys(ids))}" for r, ids in sorted(by_center[pid].items()))
        rows.append([para("全部中心" if pid == "*" else pid, s.cell_c), para(text, s.tiny)])
    return rows


def render_draw_record(record: Mapping[str, Any]) -> bytes:
    s = styles()
    cell, small = s.body, s.small
    rev = record["revision"]
    story: list[Any] = [para("评审专家抽取记录", s.title),
                        para(f"天津市技术创新中心专家评审 · {record['draw_id']} · 第 {rev} 版", s.subtitle)]
    info = [
        ["组织机构", record["agency"]["name"]],
        ["机构密钥指纹", grouped(record["agency"]["fingerprint"])],
        ["抽取时间", record["created_at"] + (f"（本版修订 {record['revised_at']}）" if record.get("revised_at") else "")],
        ["随机种子", f"{record['seed']}（{'抽取时由操作系统产生' if record['seed_source'] == 'os' else '指定'}）"],
        ["专家库", f"{record['pool']['file']}，{record['pool']['experts']} 位专家，SHA-256 {record['pool']['sha256']}"],
        ["申报项目", f"{record['centers']['file']}，{record['centers']['count']} 个中心，SHA-256 {record['centers']['sha256']}"],
        ["抽取规则", _rules_text(record["rules"])],
        ["单位别名", "；".join(f"{a} → {c}" for a, c in record["aliases"].items()) or "无"],
        ["监督人", "、".join(record["supervisors"]) or "—"],
    ]
    story.append(_table([[para(k, s.cell_c), para(v, cell)] for k, v in info], [30 * mm, 148 * mm], header=False))
    story += [Spacer(1, 3 * mm), para(
        "复核方法：tic-desktop pool draw --replay draw.json --pool 专家库文件 --centers 申报项目表，"
        "用同一专家库文件和记录中的随机种子重新抽取并核对签名；签名也可用 ssh-keygen -Y verify（命名空间 tic-draw-v1）核验。",
        small)]
    for p in record["panels"]:
        story += [para(f"专家组 {p['panel']}：{len(p['proposals'])} 个中心（{'、'.join(p['fields'])}）", s.section),
                  para("评审中心：" + "、".join(p["proposals"]), small), Spacer(1, 1.5 * mm)]
        rows = [[para(h, s.head) for h in ("", "专家编号", "姓名", "单位", "职称", "类别", "专业领域")]]
        used = {r["replaced_by"]: r["expert_id"] for r in record["replacements"] if r["panel"] == p["panel"]}
        for kind, seats in (("成员", p["members"]), ("候补", p["reserves"])):
            for i, m in enumerate(seats, start=1):
                tag = "组长" if m["chair"] and kind == "成员" else f"{kind}{i}"
                if kind == "候补" and m["expert_id"] in used:
                    tag += f"（已递补 {used[m['expert_id']]}）"
                rows.append([para(tag, s.cell_c), para(m["expert_id"], cell), para(m["name"], cell),
                             para(m["unit"], small), para(m["title"], small),
                             para(label(ROLE_LABELS, m["role"]), small), para("、".join(m["fields"]), small)])
        story.append(_table(rows, [20 * mm, 18 * mm, 18 * mm, 48 * mm, 20 * mm, 20 * mm, 34 * mm]))
    if record["replacements"]:
        story.append(para("替换记录（由候补依次递补）", s.section))
        rows = [[para(h, s.head) for h in ("版本", "专家组", "原专家", "递补专家", "原因")]]
        rows += [[para(str(r["revision"]), s.cell_c), para(r["panel"], s.cell_c), para(r["expert_id"], cell),
                  para(r["replaced_by"], cell), para(r["reason"], cell)] for r in record["replacements"]]
        story.append(_table(rows, [14 * mm, 18 * mm, 30 * mm, 30 * mm, 86 * mm]))
    story += [PageBreak(), para(f"回避名单（共 {len(record['exclusions'])} 条，抽取前排除；逐条依据见 exclusions.csv"
                                "与 draw.json）", s.section)]
    story.append(_table(_exclusion_rows(record["exclusions"]), [24 * mm, 154 * mm]))
    story += [Spacer(1, 10 * mm),
              para("抽取人（签字）：______________　　监督人（签字）：______________　　日期：______年____月____日", cell)]
    footer = footer_painter(f"专家抽取记录 {record['draw_id']} 第 {rev} 版 · 种子 {record['seed']}")
    return build_pdf(story, footer, title=f"专家抽取记录 {record['draw_id']}", author=record["agency"]["name"])


def render_invitation(record: Mapping[str, Any], panel: Mapping[str, Any], member: Mapping[str, Any],
                      meeting: str, *, certificate_fingerprint: str = "") -> bytes:
    """One expert's invitation letter: panel, date, the agency fingerprint (and its QR), the fingerprint
    of the certificate that signs the agency's PDFs (when given) and how to enrol a key."""
    s = styles()
    t = invitation_text(record, panel, member, meeting, qr_where="右侧二维码",
                        certificate_fingerprint=certificate_fingerprint)
    fp = record["agency"]["fingerprint"]
    text = ParagraphStyle("letter", parent=s.text, wordWrap="CJK")
    body = ParagraphStyle("letterbody", parent=s.body, wordWrap="CJK")
    story: list[Any] = [para(t.title, s.title), para(t.subtitle, s.subtitle), para(t.greeting, body),
                        Spacer(1, 2 * mm), para(t.invitation, text), para(t.date, text),
                        para(t.check_heading, s.section), para(t.check, body)]
    fp_style = ParagraphStyle("fp", parent=s.big, fontSize=12.5, leading=18)
    box = Table([[para(t.fingerprint, fp_style), qr_drawing(f"{QR_PREFIX};fp={fp}", 36 * mm)]],
                colWidths=[136 * mm, 42 * mm])
    box.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story.append(box)
    if t.certificate:
        story += [Spacer(1, 2 * mm), para(t.certificate_note, body), para(t.certificate, s.body)]
    story += [para(t.enrol_heading, s.section), para(t.enrol, body)]
    if t.enrolled:
        story.append(para(t.enrolled, body))
    story += [Spacer(1, 14 * mm), para(t.closing, body)]
    footer = footer_painter(f"专家评审邀请函 · {member['expert_id']} · {panel['panel']}")
    return build_pdf(story, footer, title=f"专家评审邀请函 {member['name']}", author=record["agency"]["name"])
