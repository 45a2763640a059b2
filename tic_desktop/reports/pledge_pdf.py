"""The printable 回避声明与承诺书 (one per expert per batch; domain/forms.md (c)).

The expert's name, unit and title; every assigned proposal with 是/否 conflict and the reason;
the pledge text the expert accepted in the app (its SHA-256 is in the signed sheet); the
signature and date lines; the key fingerprint and a QR code.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Spacer, Table, TableStyle

from tic_desktop.core.pledge import KNOWN_IN_ADVANCE, PLEDGE, pledge_title_body, reason
from tic_desktop.reports.qr import (
    GRID,
    PAGE_QR_BOTTOM,
    SHADE,
    boxes,
    build_pdf,
    footer_painter,
    page_qr_size,
    para,
    qr_drawing,
    styles,
)

PAGE_CODE_MAX = 31 * mm
"""The footer code's size: the long signature-block code at 0.5 mm modules (read after a 200 dpi scan)."""


@dataclass(frozen=True)
class PledgeInput:
    batch_id: str
    batch_title: str
    agency_name: str
    expert: Any  # formats.manifest.Expert
    proposals: tuple[tuple[str, str, str], ...]
    """(proposal id, center name, 依托单位) in manifest order."""
    conflicts: Mapping[str, tuple[bool, str | None, str]]
    """proposal id → (declared, reason code, note)."""
    accepted_at: str
    fingerprint: str
    digest: str
    sheet_seq: int
    qr_text: str
    pledge_zh: str = PLEDGE.zh
    """The batch's pledge text (the agency's own, or the default)."""


def reason_text(code: str | None, note: str) -> str:
    if code == KNOWN_IN_ADVANCE:
        text = "评审组织机构确定的回避"
    else:
        found = reason(code) if code else None
        text = found.label.zh if found else (code or "")
    return f"{text}（{note}）" if note else text


def render_pledge(data: PledgeInput) -> bytes:
    s = styles()
    e = data.expert
    story: list[Any] = [para("评审专家回避声明与承诺书", s.title),
                        para(f"{data.agency_name}　·　{data.batch_title}（{data.batch_id}）", s.subtitle)]
    info = Table([
        [para("姓　　名", s.cell_c), para(e.name, s.body), para("专家编号", s.cell_c), para(e.id, s.body)],
        [para("工作单位", s.cell_c), para(e.unit or "—", s.body), para("职　　称", s.cell_c), para(e.title or "—", s.body)],
    ], colWidths=[24 * mm, 70 * mm, 24 * mm, 60 * mm])
    info.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), ("GRID", (0, 0), (-1, -1), 0.6, GRID), ("BACKGROUND", (0, 0), (0, -1), SHADE),
                              ("BACKGROUND", (2, 0), (2, -1), SHADE), ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [info, para("一、回避声明", s.section),
              para("本人对本批次分配给本人评审的项目逐一核对如下（存在利害关系的申请回避，不参与该项目的评审和评分）：", s.body),
              Spacer(1, 2 * mm)]
    rows = [[para(h, s.head) for h in ("序号", "项目编号", "中心名称 / 依托单位", "是否回避", "回避情形")]]
    for i, (pid, name, lead) in enumerate(data.proposals, 1):
        declared, code, note = data.conflicts.get(pid, (False, None, ""))
        rows.append([para(str(i), s.cell_c), para(pid, s.cell_c), para(f"{name}\n{lead}", s.body),
                     para(boxes([("是", declared), ("否", not declared)]), s.cell_c),
                     para(reason_text(code, note) if declared else "—", s.small)])
    t = Table(rows, colWidths=[11 * mm, 24 * mm, 77 * mm, 24 * mm, 42 * mm], repeatRows=1)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), ("GRID", (0, 0), (-1, -1), 0.6, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
                           ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    story += [t, para("二、承诺书", s.section)]
    text = pledge_title_body(data.pledge_zh)[1]  # without its own title line
    for line in [ln for ln in text.split("\n") if ln.strip()]:
        story.append(para(line.strip(), s.text))
    sign = [
        para(f"本人已于 {data.accepted_at} 在评审软件中阅读并接受上述承诺。", s.body),
        Spacer(1, 6 * mm),
        para("承诺人（签名）：________________________　　日期：______年____月____日", s.body),
        Spacer(1, 2 * mm),
        para(f"专家密钥指纹：{data.fingerprint}", s.small),
        para(f"评分表第 {data.sheet_seq} 版　内容摘要（SHA-256）：{data.digest}", s.tiny),
    ]
    box = Table([[sign, qr_drawing(data.qr_text, 30 * mm)]], colWidths=[142 * mm, 36 * mm])
    box.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), ("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                             ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    story += [Spacer(1, 4 * mm), KeepTogether([box])]
    footer = footer_painter(f"{data.batch_id} · 专家 {e.id} · 回避声明与承诺书 · 第 {data.sheet_seq} 版 · 摘要 {data.digest[:16]}",
                            page_code=lambda _page, _pages: data.qr_text, code_max=PAGE_CODE_MAX)
    bottom = PAGE_QR_BOTTOM + page_qr_size(data.qr_text, PAGE_CODE_MAX) + 1 * mm
    return build_pdf(story, footer, title=f"回避声明与承诺书 {e.name}", author=e.name, subject=data.batch_title,
                     bottom_margin=max(18 * mm, bottom))
