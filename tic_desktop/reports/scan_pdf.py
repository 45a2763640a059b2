"""The 纸质评分表核对 section (issue 15): scanned paper checked against the signed sheets.

Per expert and proposal the checklist (已匹配 / 缺纸件 with the missing pages / 只有旧版本纸件), then the
pages that need a person: older revisions, pages with no record, pages with no readable code (with a
thumbnail each, to match by hand). Takes plain values (the rows and checks of `agency.scan_match`,
read by attribute), so it stays below `agency`.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.units import mm
from reportlab.platypus import Image, Spacer, Table, TableStyle

from tic_desktop.reports.qr import GRID, SHADE, build_pdf, footer_painter, para, styles

STATUS_ZH = {
    "matched": "已匹配",
    "older_revision": "旧版本纸件",
    "no_record": "无对应记录",
    "unreadable": "无法识别",
    "no_paper": "缺纸件",
}
CHECK_ZH = {"matched": "✔ 已匹配", "no_paper": "✘ 缺纸件", "older_revision": "✘ 只有旧版本纸件（须重新签字）"}


@dataclass(frozen=True)
class ScanSection:
    """What the consolidated report prints of the scans (`ReportData.scans`)."""

    checks: Sequence[Any]
    rows: Sequence[Any]
    experts: Mapping[str, str] = field(default_factory=dict)
    thumbnails: Mapping[tuple[str, int], bytes] = field(default_factory=dict)
    scans: int = 0


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), styles().font), ("FONTSIZE", (0, 0), (-1, -1), 8.5),
        ("GRID", (0, 0), (-1, -1), 0.5, GRID), ("BACKGROUND", (0, 0), (-1, 0), SHADE),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ]))
    return table


def scan_section(checks: Sequence[Any], rows: Sequence[Any], *, experts: Mapping[str, str] | None = None,
                 thumbnails: Mapping[tuple[str, int], bytes] | None = None, scans: int = 0) -> list[Any]:
    """The flowables of the section (a heading, the checklist, the pages to look at)."""
    s = styles()
    experts = experts or {}
    thumbnails = thumbnails or {}
    counts = {k: 0 for k in STATUS_ZH}
    for r in rows:
        counts[r.status] = counts.get(r.status, 0) + 1
    pages = sum(1 for r in rows if r.page is not None)
    done = sum(1 for c in checks if c.status == "matched")
    out: list[Any] = [
        para("纸质评分表核对（扫描件与已签名记录）", s.section),
        para(f"扫描文件 {scans} 个，扫描页 {pages} 页：已匹配 {counts['matched']}，旧版本纸件 {counts['older_revision']}，"
             f"无对应记录 {counts['no_record']}，无法识别 {counts['unreadable']}。已签名的项目评分表 {len(checks)} 份，"
             f"纸件齐全 {done} 份，缺纸件 {len(checks) - done} 份。", s.body),
        Spacer(1, 2 * mm),
    ]
    head = [para(t, s.head) for t in ("专家", "项目编号", "版本", "核对结果", "已有页", "缺页")]
    table_rows: list[list[Any]] = [head]
    for c in checks:
        name = experts.get(c.expert_id, "")
        if c.pages_total and tuple(c.pages_found) == tuple(range(1, c.pages_total + 1)):
            found, total = f"全部 {c.pages_total} 页", ""
        else:
            found = "、".join(str(p) for p in c.pages_found)
            total = f"（共 {c.pages_total} 页）" if c.pages_total else ""
        table_rows.append([para(f"{c.expert_id} {name}".strip(), s.small), para(c.proposal_id, s.small),
                           para(f"第 {c.sheet_seq} 版" if c.sheet_seq else "", s.small),
                           para(CHECK_ZH.get(c.status, c.status), s.small), para(found + total, s.small),
                           para("、".join(str(p) for p in c.missing) or ("全部" if c.status != "matched" else ""),
                                s.small)])
    if checks:
        out.append(_table(table_rows, [34 * mm, 28 * mm, 16 * mm, 46 * mm, 30 * mm, 24 * mm]))
    else:
        out.append(para("没有已签名的评分表。", s.body))
    look = [r for r in rows if r.page is not None and r.status != "matched"]
    if look:
        out += [Spacer(1, 3 * mm), para("需要人工处理的扫描页", s.section)]
        head = [para(t, s.head) for t in ("扫描文件 / 页", "状态", "二维码内容", "原因", "缩略图")]
        body: list[list[Any]] = [head]
        for r in look:
            code = f"{r.expert_id} · {r.proposal_id} · 第 {r.sheet_seq} 版 · {r.page_of}" if r.expert_id else "—"
            thumb: Any = ""
            data = thumbnails.get((r.scan_sha256, r.page)) if r.status == "unreadable" else None
            if data:
                img = Image(io.BytesIO(data))
                scale = min(22 * mm / img.imageWidth, 30 * mm / img.imageHeight)
                img.drawWidth, img.drawHeight = img.imageWidth * scale, img.imageHeight * scale
                thumb = img
            body.append([para(f"{r.source_file} 第 {r.page} 页", s.small), para(STATUS_ZH.get(r.status, r.status), s.small),
                         para(code, s.small), para(r.reason, s.small), thumb])
        out.append(_table(body, [40 * mm, 20 * mm, 42 * mm, 52 * mm, 24 * mm]))
    return out


def render_scan_checklist(*, batch_id: str, batch_title: str, generated_at: str, checks: Sequence[Any],
                          rows: Sequence[Any], experts: Mapping[str, str] | None = None,
                          thumbnails: Mapping[tuple[str, int], bytes] | None = None, scans: int = 0) -> bytes:
    """A PDF of the section alone (the command's `scan_matches.pdf`, the app's 导出核对表)."""
    s = styles()
    story: list[Any] = [para("纸质评分表核对表", s.title), para(f"{batch_title}（{batch_id}）　·　{generated_at}", s.subtitle)]
    story += scan_section(checks, rows, experts=experts, thumbnails=thumbnails, scans=scans)
    return build_pdf(story, footer_painter(f"{batch_id} · 纸质评分表核对"), title=f"纸质评分表核对 {batch_id}",
                     subject=batch_title)
