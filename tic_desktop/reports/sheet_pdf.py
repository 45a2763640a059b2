"""The printable 专家评分表: one PDF per proposal, one part per form (domain/forms.md (c)).

Header (batch, center, lead and member units, field, period, kind, 总分 on top), the screening
block (是□否□ with the answer ticked), the criteria table 序号 / 指标 / 评分说明 / 分值 / 得分 with
section subtotals, 总分, 结论 with tick boxes, 主要问题 / 修改建议, the expert's name, unit and
title, the line for the handwritten 评审专家签名 and 日期, the key fingerprint and a QR code with
the sheet's content digest and the fingerprint; footer with page x / y.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Spacer, Table, TableStyle

from tic_desktop.core.labels import CENTER_TYPE_LABELS, KIND_LABELS
from tic_desktop.reports.qr import (
    BOX_OFF,
    BOX_ON,
    GRID,
    SHADE,
    boxes,
    build_pdf,
    footer_painter,
    para,
    qr_drawing,
    styles,
)

KIND_ZH = {code: text.zh for code, text in KIND_LABELS.items()}
CENTER_TYPE_ZH = {code: text.zh for code, text in CENTER_TYPE_LABELS.items()}
NUMERALS = "一二三四五六七八九十"
WIDTH = 178 * mm


@dataclass(frozen=True)
class SheetPage:
    form: Any  # core.forms.FormTemplate
    answers: Any  # core.scoring.FormAnswers
    evaluation: Any  # core.scoring.Evaluation


@dataclass(frozen=True)
class ScoreSheetInput:
    batch_id: str
    batch_title: str
    kind: str
    agency_name: str
    proposal: Any  # core.proposal.Proposal
    expert: Any  # formats.manifest.Expert
    pages: tuple[SheetPage, ...]
    fingerprint: str
    digest: str
    sheet_seq: int
    qr_text: str
    date: str
    """YYYY-MM-DD the sheet was signed (printed beside the date line)."""


def fmt(value: Decimal | None) -> str:
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def _grid(extra: list[tuple[Any, ...]] | None = None) -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), 
        ("GRID", (0, 0), (-1, -1), 0.6, GRID),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
        ("LEFTPADDING", (0, 0), (-1, -1), 3),
        ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        *(extra or []),
    ])


def _header(data: ScoreSheetInput, page: SheetPage) -> list[Any]:
    s = styles()
    p = data.proposal
    ev = page.evaluation
    period = f"{p.period_start or '—'} 至 {p.period_end or '—'}"
    label = str  # label cells are plain strings, centred by the table style
    rows = [
        [label("评审批次"), para(f"{data.batch_title}（{data.batch_id}）", s.body), "", label("评审类型"),
         para(KIND_ZH.get(data.kind, data.kind), s.body)],
        [label("项目编号"), para(p.id, s.body), "", label("中心类型"), para(CENTER_TYPE_ZH.get(p.center_type, p.center_type), s.body)],
        [label("中心名称"), para(p.center_name, s.body), "", "", ""],
        [label("牵头单位"), para(p.lead_unit, s.body), "", "", ""],
        [label("共建单位"), para("、".join(p.member_units) or "—", s.body), "", "", ""],
        [label("技术领域"), para(p.field, s.body), "", label("建设（执行）期"), para(period, s.body)],
        [label("总　　分"), para(f"（ {fmt(ev.total)} ）", s.big), "", label("满分"), "100"],
    ]
    t = Table(rows, colWidths=[28 * mm, 62 * mm, 28 * mm, 26 * mm, 34 * mm])
    t.setStyle(_grid([
        ("SPAN", (1, 0), (2, 0)), ("SPAN", (1, 1), (2, 1)), ("SPAN", (1, 2), (4, 2)), ("SPAN", (1, 3), (4, 3)),
        ("SPAN", (1, 4), (4, 4)), ("SPAN", (1, 5), (2, 5)), ("SPAN", (1, 6), (2, 6)),
        ("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (3, 0), (3, 1), SHADE),
        ("BACKGROUND", (3, 5), (3, 6), SHADE), ("FONTSIZE", (0, 0), (-1, -1), 9.5),
        ("ALIGN", (0, 0), (0, -1), "CENTER"), ("ALIGN", (3, 0), (3, -1), "CENTER"), ("ALIGN", (4, 6), (4, 6), "CENTER"),
    ]))
    return [para(page.form.title.zh, s.title), para(f"{data.agency_name}　·　{data.batch_title}", s.subtitle), t]


def _vetoes(page: SheetPage) -> list[Any]:
    form, answers, ev = page.form, page.answers, page.evaluation
    if not form.vetoes:
        return []
    s = styles()
    triggered = set(ev.vetoes_triggered)
    floor = set(ev.floor_vetoes)
    rows: list[list[Any]] = [["序号", "筛选性指标（任一项为“是”，结论为最低档）", "是　/　否"]]
    for i, v in enumerate(form.vetoes, 1):
        answer = answers.vetoes.get(v.id)
        yes = answer is True or v.id in triggered
        no = answer is False and v.id not in triggered
        text = v.label.zh + ("（由分项得分低于下限自动判定）" if v.id in floor else "")
        rows.append([str(i), para(text, s.body), boxes([("是", yes), ("否", no)])])
    t = Table(rows, colWidths=[12 * mm, 136 * mm, 30 * mm], repeatRows=1)
    t.setStyle(_grid([("BACKGROUND", (0, 0), (-1, 0), SHADE), ("FONTSIZE", (0, 0), (-1, -1), 9.5),
                      ("ALIGN", (0, 0), (-1, 0), "CENTER"), ("ALIGN", (0, 1), (0, -1), "CENTER"),
                      ("ALIGN", (2, 1), (2, -1), "CENTER")]))
    return [Spacer(1, 3 * mm), t]


def _levels_text(form: Any, criterion: Any, band: str | None) -> str:
    """The guidance, the band ranges on one line, and the descriptor of the band the score falls in."""
    parts = []
    if criterion.guidance is not None:
        parts.append(criterion.guidance.zh)
    bands = list(form.bands)
    ranges = []
    for i, b in enumerate(bands):
        low = criterion.max * b.min_ratio
        high = criterion.max if i == 0 else criterion.max * bands[i - 1].min_ratio
        ranges.append(f"{b.label.zh} {fmt(low)}–{fmt(high)}" if i == 0 else f"{b.label.zh} {fmt(low)}–<{fmt(high)}")
    parts.append("等级：" + "；".join(ranges))
    if band is not None and band in criterion.levels:
        label = next(b.label.zh for b in bands if b.code == band)
        parts.append(f"评定：{label}（{criterion.levels[band].zh}）")
    return "\n".join(parts)


_CRIT_WIDTHS = [12 * mm, 32 * mm, 106 * mm, 13 * mm, 15 * mm]
_CRIT_STYLE: list[tuple[Any, ...]] = [("FONTSIZE", (0, 0), (-1, -1), 9.5), ("ALIGN", (0, 0), (0, -1), "CENTER"),
                                      ("ALIGN", (3, 0), (-1, -1), "CENTER")]


def _criteria(page: SheetPage) -> list[Any]:
    """The criteria table as one small table per section (the column header repeats above each), so
    page breaks fall between or inside short tables instead of re-splitting one long table."""
    s = styles()
    form, answers, ev = page.form, page.answers, page.evaluation
    applicable = set(ev.applicable)
    out: list[Any] = [Spacer(1, 3 * mm)]
    header = ["序号", "指标", "评价内容及评分说明", "分值", "得分"]
    for si, section in enumerate(form.sections):
        # short cells are plain strings (drawn directly, far cheaper than paragraphs)
        rows: list[list[Any]] = [header] if si == 0 else []
        style: list[tuple[Any, ...]] = list(_CRIT_STYLE)
        if si == 0:
            style += [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER")]
        r = len(rows)
        title = f"{NUMERALS[si] if si < len(NUMERALS) else si + 1}、{section.label.zh}"
        rows.append([title, "", "", fmt(section.max), ""])
        style += [("SPAN", (0, r), (2, r)), ("ALIGN", (0, r), (0, r), "LEFT"),
                  ("BACKGROUND", (0, r), (-1, r), colors.HexColor("#F6F6F6"))]
        for c in section.criteria:
            if c.id in answers.not_applicable:
                got = "不适用"
            elif c.id in answers.scores:
                got = fmt(answers.scores[c.id])
            else:
                got = "—" if c.id not in applicable else ""
            desc = _levels_text(form, c, ev.band_of.get(c.id))
            comment = (answers.comments.get(c.id) or "").strip()
            cell: list[Any] = [para(desc, s.small)]
            if comment:
                cell.append(para(f"评语：{comment}", s.body))
            rows.append([c.id, para(c.label.zh, s.body), cell, fmt(c.max), got])
        r = len(rows)
        rows.append(["小计", "", "", fmt(ev.section_max.get(section.id)), fmt(ev.section_totals.get(section.id))])
        style += [("SPAN", (0, r), (2, r)), ("ALIGN", (0, r), (2, r), "RIGHT")]
        t = Table(rows, colWidths=_CRIT_WIDTHS, repeatRows=1 if si == 0 else 0)
        t.setStyle(_grid(style))
        out.append(t)
    rescaled = ev.applicable_max != Decimal(100)
    note = f"总　分（得分 {fmt(ev.raw_total)} / 适用满分 {fmt(ev.applicable_max)} × 100）" if rescaled else "总　分"
    t = Table([[para(note, s.cell_r), "", "", "100", para(fmt(ev.total), s.big)]], colWidths=_CRIT_WIDTHS)
    t.setStyle(_grid(_CRIT_STYLE + [("SPAN", (0, 0), (2, 0)), ("BACKGROUND", (0, 0), (-1, 0), SHADE)]))
    out.append(t)
    return out


def _conclusion(page: SheetPage) -> list[Any]:
    s = styles()
    form, answers = page.form, page.answers
    options = []
    concl = list(form.conclusions)
    for i, c in enumerate(concl):
        if i == 0:
            rng = f"≥{fmt(c.min_total)}分"
        elif c.min_total == 0:
            rng = f"<{fmt(concl[i - 1].min_total)}分或触发筛选性指标"
        else:
            rng = f"{fmt(c.min_total)}–<{fmt(concl[i - 1].min_total)}分"
        options.append(f"{BOX_ON if answers.conclusion == c.code else BOX_OFF}{c.label.zh}（{rng}）")
    chosen = next((c for c in concl if c.code == answers.conclusion), None)
    rows = [[para("推荐结论", s.cell_c), para("　　".join(options), s.body)]]
    if chosen is not None and chosen.outcome is not None:
        rows.append([para("结论说明", s.cell_c), para(chosen.outcome.zh, s.body)])
    for f in form.overall_fields:
        value = (answers.overall.get(f.id) or "").strip()
        rows.append([para(f.label.zh, s.cell_c), para(value or "（无）", s.body)])
    t = Table(rows, colWidths=[32 * mm, 146 * mm])
    t.setStyle(_grid([("BACKGROUND", (0, 0), (0, -1), SHADE)]))
    return [Spacer(1, 3 * mm), t]


def _signature(data: ScoreSheetInput) -> list[Any]:
    s = styles()
    e = data.expert
    y, mth, d = (data.date.split("-") + ["", "", ""])[:3]
    left = [
        para(f"专家姓名：{e.name}　　　职称：{e.title or '—'}", s.body),
        para(f"工作单位：{e.unit or '—'}", s.body),
        Spacer(1, 5 * mm),
        para("评审专家签名：________________________　　日期：______年____月____日", s.body),
        Spacer(1, 2 * mm),
        para(f"电子签名日期：{y}年{mth}月{d}日　　评分表第 {data.sheet_seq} 版", s.small),
        para(f"专家密钥指纹：{data.fingerprint}", s.small),
        para(f"内容摘要（SHA-256）：{data.digest}", s.tiny),
        para("本表由 TIC Desktop 生成并经专家电子签名；以签名的 sheet.json 为准。右侧二维码含内容摘要与密钥指纹，"
             "可与加密评分表文件核对。本表须经专家亲笔签名方为有效。", s.tiny),
    ]
    t = Table([[left, qr_drawing(data.qr_text, 32 * mm)]], colWidths=[140 * mm, 38 * mm])
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), styles().font), 
        ("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]))
    return [Spacer(1, 3 * mm), KeepTogether([t])]


def render_score_sheet(data: ScoreSheetInput) -> bytes:
    """The 专家评分表 PDF of one proposal (all its forms, each starting on a new page)."""
    story: list[Any] = []
    for i, page in enumerate(data.pages):
        if i:
            story.append(PageBreak())
        story += _header(data, page)
        story += _vetoes(page)
        story += _criteria(page)
        story.append(CondPageBreak(60 * mm))
        story += _conclusion(page)
        story += _signature(data)
    footer = footer_painter(
        f"{data.batch_id} · {data.proposal.id} · 专家 {data.expert.id} · 第 {data.sheet_seq} 版 · "
        f"摘要 {data.digest[:16]} · {data.fingerprint[:23]}…",
    )
    title = f"专家评分表 {data.proposal.id} {data.proposal.center_name}"
    return build_pdf(story, footer, title=title, author=data.expert.name, subject=data.batch_title)
