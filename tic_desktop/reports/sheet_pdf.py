"""The printable 专家评分表: one PDF per proposal, one part per form (domain/forms.md (c)).

Header (batch, center, lead and member units, field, period, kind, 总分 on top), the screening
block (是□否□ with the answer ticked), the criteria table 序号 / 指标 / 评分说明 / 分值 / 得分 with
section subtotals, 总分, 结论 with tick boxes, 主要问题 / 修改建议, the expert's name, unit and
title, the line for the handwritten 评审专家签名 and 日期, the key fingerprint and a QR code with
the sheet's content digest and the fingerprint; footer with page x / y and, on every page, that
page's own QR code (`formats.page_code`: batch, expert, proposal, revision, page i of n, digest), so
that pages separated in a copier's feeder are still matched to their signed sheet.

Drawn with the plain-text flowables of `reports.flowables` (`Grid`, `TextLines`, `Beside`): an
expert's export renders one sheet per proposal, and platypus `Table`s of `Paragraph`s cost
several times more for the same page.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import CondPageBreak, PageBreak, Spacer

from tic_desktop.core.labels import CENTER_TYPE_LABELS, KIND_LABELS
from tic_desktop.core.scoring import CONCLUSION_REASON
from tic_desktop.formats import page_code
from tic_desktop.reports.flowables import Beside, Grid, Line, Stack, TextLines, lines
from tic_desktop.reports.qr import (
    BOX_OFF,
    BOX_ON,
    PAGE_QR_MARGIN,
    SHADE,
    boxes,
    build_pdf,
    footer_painter,
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


PAD = 3.0
PAD_Y = 5.5
RULE_W = 0.6
SECTION_BG = colors.HexColor("#F6F6F6")
TINY_INK = colors.HexColor("#444444")


def _cell(text: str, avail: float, size: float = 9.5, leading: float = 13.5) -> tuple[Line, ...]:
    """A paragraph cell `avail` wide (padding included) in the body style, or another size."""
    return lines(text, avail - 2 * PAD, styles().font, size, leading)


def _grid(rows: list[list[Any]], widths: list[float], **kw: Any) -> Grid:
    return Grid(rows, widths, styles().font, 9.5, pad=PAD, pad_y=PAD_Y, line_width=RULE_W, h_align="CENTER", **kw)


def _header(data: ScoreSheetInput, page: SheetPage) -> list[Any]:
    font = styles().font
    p = data.proposal
    ev = page.evaluation
    period = f"{p.period_start or '—'} 至 {p.period_end or '—'}"
    w = _HEAD_WIDTHS
    pair, whole = w[1] + w[2], w[1] + w[2] + w[3] + w[4]
    rows: list[list[Any]] = [
        ["评审批次", _cell(f"{data.batch_title}（{data.batch_id}）", pair), "", "评审类型",
         _cell(KIND_ZH.get(data.kind, data.kind), w[4])],
        ["项目编号", _cell(p.id, pair), "", "中心类型", _cell(CENTER_TYPE_ZH.get(p.center_type, p.center_type), w[4])],
        ["中心名称", _cell(p.center_name, whole), "", "", ""],
        ["依托单位", _cell(p.lead_unit, whole), "", "", ""],
        ["共建单位", _cell("、".join(p.member_units) or "—", whole), "", "", ""],
        ["技术领域", _cell(p.field, pair), "", "建设（执行）期", _cell(period, w[4])],
        ["总　　分", (Line(f"（ {fmt(ev.total)} ）", 15, 19),), "", "满分", "100"],
    ]
    spans = {(0, 1): 2, (1, 1): 2, (2, 1): 4, (3, 1): 4, (4, 1): 4, (5, 1): 2, (6, 1): 2}
    table = _grid(rows, w, spans=spans, col_fills={0: SHADE},
                  fills={(3, 0): SHADE, (3, 1): SHADE, (3, 5): SHADE, (3, 6): SHADE},
                  left=(1, 4), aligns={(1, 6): "center", (4, 6): "center"})
    title = TextLines([page.form.title.zh], font, 16, 22, center=True, after=2 * mm)
    subtitle = TextLines([f"{data.agency_name}　·　{data.batch_title}"], font, 10, 14, ink=TINY_INK, center=True,
                         after=3 * mm)
    return [title, subtitle, table]


_HEAD_WIDTHS = [28 * mm, 62 * mm, 28 * mm, 26 * mm, 34 * mm]
_VETO_WIDTHS = [12 * mm, 136 * mm, 30 * mm]


def _vetoes(page: SheetPage) -> list[Any]:
    form, answers, ev = page.form, page.answers, page.evaluation
    if not form.vetoes:
        return []
    triggered = set(ev.vetoes_triggered)
    floor = set(ev.floor_vetoes)
    rows: list[list[Any]] = [["序号", "筛选性指标（任一项为“是”，结论为最低档）", "是　/　否"]]
    for i, v in enumerate(form.vetoes, 1):
        answer = answers.vetoes.get(v.id)
        yes = answer is True or v.id in triggered
        no = answer is False and v.id not in triggered
        text = v.label.zh + ("（由分项得分低于下限自动判定）" if v.id in floor else "")
        rows.append([str(i), _cell(text, _VETO_WIDTHS[1]), boxes([("是", yes), ("否", no)])])
    return [Spacer(1, 3 * mm), _grid(rows, _VETO_WIDTHS, header=1, row_fills={0: SHADE}, left=(1,),
                                     aligns={(1, 0): "center"})]


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


def _criteria(page: SheetPage) -> list[Any]:
    """The criteria table as one small table per section (the column header repeats above the
    first), so page breaks fall between or inside short tables."""
    form, answers, ev = page.form, page.answers, page.evaluation
    applicable = set(ev.applicable)
    out: list[Any] = [Spacer(1, 3 * mm)]
    header = ["序号", "指标", "评价内容及评分说明", "分值", "得分"]
    for si, section in enumerate(form.sections):
        rows: list[list[Any]] = [header] if si == 0 else []
        row_fills: dict[int, Any] = {0: SHADE} if si == 0 else {}
        aligns: dict[tuple[int, int], str] = {(1, 0): "center", (2, 0): "center"} if si == 0 else {}
        r = len(rows)
        title = f"{NUMERALS[si] if si < len(NUMERALS) else si + 1}、{section.label.zh}"
        rows.append([title, "", "", fmt(section.max), ""])
        row_fills[r] = SECTION_BG
        aligns[(0, r)] = "left"
        spans = {(r, 0): 2}
        for c in section.criteria:
            if c.id in answers.not_applicable:
                got = "不适用"
            elif c.id in answers.scores:
                got = fmt(answers.scores[c.id])
            else:
                got = "—" if c.id not in applicable else ""
            cell = _cell(_levels_text(form, c, ev.band_of.get(c.id)), _CRIT_WIDTHS[2], 8, 10.5)
            comment = (answers.comments.get(c.id) or "").strip()
            if comment:
                cell += _cell(f"评语：{comment}", _CRIT_WIDTHS[2])
            rows.append([c.id, _cell(c.label.zh, _CRIT_WIDTHS[1]), cell, fmt(c.max), got])
        r = len(rows)
        rows.append(["小计", "", "", fmt(ev.section_max.get(section.id)), fmt(ev.section_totals.get(section.id))])
        aligns[(0, r)] = "right"
        spans[(r, 0)] = 2
        out.append(_grid(rows, _CRIT_WIDTHS, header=1 if si == 0 else 0, row_fills=row_fills, left=(1, 2),
                         aligns=aligns, spans=spans))
    rescaled = ev.applicable_max != Decimal(100)
    note = f"总 分（得分 {fmt(ev.raw_total)} / 适用满分 {fmt(ev.applicable_max)} × 100）" if rescaled else "总 分"
    out.append(_grid([[note, "", "", "100", (Line(fmt(ev.total), 15, 19),)]], _CRIT_WIDTHS, row_fills={0: SHADE},
                     aligns={(0, 0): "right"}, spans={(0, 0): 2}))
    return out


_CONCL_WIDTHS = [32 * mm, 146 * mm]


def _conclusion(page: SheetPage) -> list[Any]:
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
    label_w, value_w = _CONCL_WIDTHS

    def row(label: str, value: str) -> list[Any]:
        return [_cell(label, label_w, 9.5, 12.5), _cell(value, value_w)]

    rows = [row("推荐结论", "　　".join(options))]
    if chosen is not None and chosen.outcome is not None:
        rows.append(row("结论说明", chosen.outcome.zh))
    for f in form.overall_fields:
        value = f.display((answers.overall.get(f.id) or "").strip())
        rows.append(row(f.label.zh, value or "（无）"))
    reason = (answers.overall.get(CONCLUSION_REASON) or "").strip()
    if reason:  # the conclusion differs from the band of the total: the expert's reason
        rows.append(row("结论理由", reason))
    return [Spacer(1, 3 * mm), _grid(rows, _CONCL_WIDTHS, col_fills={0: SHADE}, left=(1,))]


_SIGN_WIDTHS = [140 * mm, 38 * mm]
SIGN_PAD = 4.0


def _signature(data: ScoreSheetInput) -> list[Any]:
    font = styles().font
    e = data.expert
    y, mth, d = (data.date.split("-") + ["", "", ""])[:3]

    def text(paras: list[str], size: float, leading: float, ink: Any = None) -> TextLines:
        return TextLines(paras, font, size, leading, ink=ink)

    left = Stack([
        text([f"专家姓名：{e.name}　　　职称：{e.title or '—'}", f"工作单位：{e.unit or '—'}"], 9.5, 13.5),
        Spacer(1, 5 * mm),
        text(["评审专家签名：________________________　　日期：______年____月____日"], 9.5, 13.5),
        Spacer(1, 2 * mm),
        text([f"电子签名日期：{y}年{mth}月{d}日　　评分表第 {data.sheet_seq} 版", f"专家密钥指纹：{data.fingerprint}"],
             8, 10.5),
        text([f"内容摘要（SHA-256）：{data.digest}",
              "本表由 TIC Desktop 生成并经专家电子签名；以签名的 sheet.json 为准。右侧二维码含内容摘要与密钥指纹，"
              "可与加密评分表文件核对。本表须经专家亲笔签名方为有效。"], 7, 9, TINY_INK),
    ], _SIGN_WIDTHS[0] - 2 * SIGN_PAD)
    return [Spacer(1, 3 * mm), Beside([left, qr_drawing(data.qr_text, 32 * mm)], _SIGN_WIDTHS, pad=SIGN_PAD,
                                      box=RULE_W, h_align="CENTER")]


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
    def code(page: int, pages: int) -> str:
        return page_code.payload(batch_id=data.batch_id, expert_id=data.expert.id, proposal_id=data.proposal.id,
                                 sheet_seq=data.sheet_seq, page=page, pages=pages, digest=data.digest)

    footer = footer_painter(
        f"{data.batch_id} · {data.proposal.id} · 专家 {data.expert.id} · 第 {data.sheet_seq} 版 · "
        f"摘要 {data.digest[:16]} · {data.fingerprint[:23]}…",
        page_code=code,
    )
    title = f"专家评分表 {data.proposal.id} {data.proposal.center_name}"
    return build_pdf(story, footer, title=title, author=data.expert.name, subject=data.batch_title,
                     bottom_margin=PAGE_QR_MARGIN)
