"""The consolidated report (专家评审汇总报告) of a batch as one A4 PDF.

Cover (batch, agency, date, counts, the sheet files that were not accepted and why) → per form
the ranking table (the list to publish, 公示) and the ranking chart → per proposal and form: the
评分汇总表 (指标 / 分值 / 专家1…n / 平均, the dropped experts' columns grey and marked 〔去高〕/〔去低〕,
a 合计 row with each expert's total), the dot plot of the totals, the calculation in words, the
flags, the vetoes with the chair's decision, 回避 and missing experts, each expert's comments by
name, the panel opinion (专家组意见; empty sections as lines to fill in by hand) and the signature
blocks (组长, 成员, 填写人 / 复核人, 日期).

One outline entry per proposal (and per form below it) with XYZ destinations (a /Fit destination
makes QtPdf log a warning per entry). Pages carry "第 x 页 / 共 y 页". The bundled TrueType font is
embedded (reports.fonts). Output is reproducible (reportlab invariant mode).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen import canvas as rl_canvas
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from tic_desktop.agency.report import ReportData
from tic_desktop.core.consolidation import ExpertEntry, ProposalResult
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.labels import KIND_LABELS, ROLE_LABELS, label
from tic_desktop.core.panel_opinion import SECTIONS, PanelOpinion
from tic_desktop.reports import charts
from tic_desktop.reports.qr import GRID, MARGIN, SHADE, footer_painter, numbered_canvas, styles
from tic_desktop.storage.atomic import atomic_write

WIDTH = A4[0] - 2 * MARGIN
DROPPED_BG = colors.HexColor("#E4E4E4")
DROPPED_INK = colors.HexColor("#777777")
RED = colors.HexColor("#C62828")
DROPPED_MARK = {"highest": "〔去高〕", "lowest": "〔去低〕"}
METHOD_ZH = {"trimmed_mean": "去掉最高、最低分后平均", "mean": "有效总分平均", "median": "有效总分的中位数"}
# flags printed in their own blocks (vetoes, 回避 / 未提交) rather than in the 提示 list
OWN_BLOCK_FLAGS = ("veto.", "experts.conflicted", "sheets.missing")

Progress = Callable[[int, int], None]


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


class _Styles:
    def __init__(self) -> None:
        base = styles()
        f = base.font
        self.base = base
        self.font = f
        self.cover_title = ParagraphStyle("ctitle", fontName=f, fontSize=20, leading=28, alignment=1, spaceAfter=4 * mm)
        self.cover_sub = ParagraphStyle("csub", fontName=f, fontSize=14, leading=20, alignment=1, spaceAfter=10 * mm)
        self.h1 = ParagraphStyle("h1", fontName=f, fontSize=14, leading=19, spaceAfter=2 * mm)
        self.h2 = ParagraphStyle("h2", fontName=f, fontSize=11, leading=15, spaceBefore=3 * mm, spaceAfter=1.5 * mm)
        self.body = base.body
        self.cell = ParagraphStyle("cell", fontName=f, fontSize=8, leading=10)
        self.note = ParagraphStyle("note", fontName=f, fontSize=8.5, leading=12, textColor=colors.HexColor("#333333"))


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


_GRID_CMDS: list[tuple[Any, ...]] = [
    ("GRID", (0, 0), (-1, -1), 0.5, GRID),
    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ("TOPPADDING", (0, 0), (-1, -1), 1.8),
    ("BOTTOMPADDING", (0, 0), (-1, -1), 2.2),
    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
    ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
]


def _grid(font: str, size: float, extra: Sequence[tuple[Any, ...]] = ()) -> TableStyle:
    return TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), size),
                       ("LEADING", (0, 0), (-1, -1), size + 2), *_GRID_CMDS, *extra])


class TextLines(Flowable):
    """Plain lines of text wrapped at any character (Chinese has no spaces to break at), drawn with
    one text object; splits across pages between lines. Several times cheaper than a Paragraph per
    line for the many short comment lines of a batch report (no markup, one font)."""

    def __init__(self, lines: Sequence[str], font: str, size: float, leading: float, indent: float = 0) -> None:
        super().__init__()
        self.lines, self.font, self.size, self.leading, self.indent = list(lines), font, size, leading, indent
        self._wrapped: list[tuple[str, float]] = []
        self._for_width = -1.0

    def _wrap_lines(self, width: float) -> list[tuple[str, float]]:
        if width == self._for_width:
            return self._wrapped
        out: list[tuple[str, float]] = []
        font, size = self.font, self.size
        for line in self.lines:
            if stringWidth(line, font, size) <= width:
                out.append((line, 0.0))
                continue
            start, used, first = 0, 0.0, True
            for i, ch in enumerate(line):
                w = stringWidth(ch, font, size)
                limit = width if first else width - self.indent
                if used + w > limit and i > start:
                    out.append((line[start:i], 0.0 if first else self.indent))
                    start, used, first = i, 0.0, False
                used += w
            out.append((line[start:], 0.0 if first else self.indent))
        self._wrapped, self._for_width = out, width
        return out

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = len(self._wrap_lines(avail_width)) * self.leading
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        wrapped = self._wrap_lines(avail_width)
        fit = int(avail_height // self.leading)
        if fit <= 0 or fit >= len(wrapped):
            return []
        parts = []
        for chunk in (wrapped[:fit], wrapped[fit:]):
            t = TextLines([], self.font, self.size, self.leading, self.indent)
            t._wrapped, t._for_width = chunk, avail_width
            parts.append(t)
        return parts

    def draw(self) -> None:
        t = self.canv.beginText()
        t.setFont(self.font, self.size)
        y = self.height - self.size
        for text, x in self._wrapped:
            t.setTextOrigin(x, y)
            t.textOut(text)
            y -= self.leading
        self.canv.drawText(t)


class ScoreGrid(Flowable):
    """A ruled table of short, single-line cells (header cells may hold several lines), drawn with
    one path for the rules and one text object for the text: what the 评分汇总表 needs, at about
    half the cost of a platypus Table (hundreds of them in a batch report). Not split: a form's
    criteria fit on a page.

    `fills`: (col0, row0, col1, row1, colour) rectangles; `inks`: (col, row) or (col, None) → colour;
    `left`: columns aligned left (the rest are centred)."""

    PAD = 2.5

    def __init__(self, rows: Sequence[Sequence[str]], widths: Sequence[float], font: str, size: float, *,
                 fills: Sequence[tuple[int, int, int, int, Any]] = (), inks: dict[tuple[int, int | None], Any] | None = None,
                 left: Sequence[int] = (), spans: Sequence[tuple[int, int]] = ()) -> None:
        super().__init__()
        self.rows, self.widths, self.font, self.size = rows, list(widths), font, size
        self.fills, self.inks, self.left = fills, inks or {}, set(left)
        self.spans = dict(spans)  # row -> last column the first cell of that row spans to
        self.leading = size + 2
        self.heights = [max(len(c.split("\n")) for c in row) * self.leading + 4.2 for row in rows]
        self.width, self.height = sum(self.widths), sum(self.heights)

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        ys = [self.height]
        for h in self.heights:
            ys.append(ys[-1] - h)
        c.saveState()
        for c0, r0, c1, r1, colour in self.fills:
            c.setFillColor(colour)
            c.rect(xs[c0], ys[r1 + 1], xs[c1 + 1] - xs[c0], ys[r0] - ys[r1 + 1], stroke=0, fill=1)
        c.setStrokeColor(GRID)
        c.setLineWidth(0.5)
        p = c.beginPath()
        for y in ys:
            p.moveTo(0, y)
            p.lineTo(self.width, y)
        for i, x in enumerate(xs):
            for r in range(len(self.rows)):
                if 0 < i <= self.spans.get(r, 0):
                    continue  # inside a spanned cell
                p.moveTo(x, ys[r])
                p.lineTo(x, ys[r + 1])
        c.drawPath(p, stroke=1, fill=0)
        t = c.beginText()
        t.setFont(self.font, self.size)
        ink: Any = colors.black
        t.setFillColor(ink)
        for r, row in enumerate(self.rows):
            top = ys[r]
            for col, text in enumerate(row):
                if not text:
                    continue
                want = self.inks.get((col, r)) or self.inks.get((col, None)) or colors.black
                if want is not ink:
                    t.setFillColor(want)
                    ink = want
                x0 = xs[col]
                x1 = xs[self.spans[r] + 1] if col == 0 and r in self.spans else xs[col + 1]
                parts = text.split("\n")
                y = top - (self.heights[r] - len(parts) * self.leading) / 2 - self.size + 0.5
                for part in parts:
                    if col in self.left:
                        x = x0 + self.PAD
                    else:
                        x = (x0 + x1 - _width(part, self.font, self.size)) / 2
                    t.setTextOrigin(x, y)
                    t.textOut(part)
                    y -= self.leading
        c.drawText(t)
        c.restoreState()


_widths: dict[tuple[str, float], float] = {}


def _width(text: str, font: str, size: float) -> float:
    key = (text, size)
    w = _widths.get(key)
    if w is None:
        if len(_widths) > 50000:
            _widths.clear()
        w = _widths[key] = stringWidth(text, font, size)
    return w


# ── outline: bookmarks kept per page and written when the page's number is known ───────────────


class _Anchor(Flowable):
    """A zero-size mark: an outline entry pointing (XYZ) at where it is drawn."""

    def __init__(self, key: str, title: str, level: int) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        _, y = self.canv.absolutePosition(0, 0)
        self.canv.bookmarkPage(self.key, fit="XYZ", left=0, top=min(A4[1], y + 8 * mm))
        self.canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level == 0)


class _Tick(Flowable):
    """Calls `progress(done, total)` when drawn: the proposal before it is laid out and drawn."""

    def __init__(self, progress: Progress, done: int, total: int) -> None:
        super().__init__()
        self.progress, self.done, self.total = progress, done, total
        self.width = self.height = 0

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.progress(self.done, self.total)


def _canvas_class(footer: Callable[[Any, int, int], None]) -> type[rl_canvas.Canvas]:
    numbered = numbered_canvas(footer)

    class ReportCanvas(numbered):  # type: ignore[misc, valid-type]
        """`numbered_canvas` writes the pages only at save(), when the page count is known; a
        bookmark made while drawing would point at page 1, so bookmarks wait for their page too."""

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._marks: list[tuple[str, dict[str, Any]]] = []

        def bookmarkPage(self, key: str, **kw: Any) -> None:  # noqa: N802 - reportlab API
            self._marks.append((key, kw))

        def showPage(self) -> None:  # noqa: N802 - reportlab API
            super().showPage()
            self._marks = []

        def write_marks(self) -> None:
            for key, kw in self._marks:
                rl_canvas.Canvas.bookmarkPage(self, key, **kw)

    return ReportCanvas


# ── cover and ranking ──────────────────────────────────────────────────────────────────────


def _cover(report: ReportData, st: _Styles, forms: Sequence[FormTemplate]) -> list[Any]:
    results = report.consolidation.results
    proposals = {r.proposal_id for r in results}
    out: list[Any] = [_Anchor("cover", "封面", 0), Spacer(1, 30 * mm), _p(report.title.zh, st.cover_title),
                      _p("专家评审汇总报告", st.cover_sub)]
    rows = [
        ["评审机构", report.agency_name],
        ["评审批次", report.batch_id],
        ["评审类型", label(KIND_LABELS, report.kind)],
        ["评分表", "；".join(f.title.zh for f in forms) or "—"],
        ["项目数", f"{len(proposals)} 项"],
        ["专家数", f"{len(report.experts)} 人"],
        ["评分表文件", f"已接收 {report.accepted_files} 份，未接收 {len(report.rejected)} 份"],
        ["生成时间", report.generated_at.replace("T", " ")],
    ]
    rows = [[k, _p(v, st.body)] for k, v in rows]
    t = Table(rows, colWidths=[32 * mm, 120 * mm])
    t.setStyle(_grid(st.font, 10, [("BACKGROUND", (0, 0), (0, -1), SHADE), ("ALIGN", (0, 0), (0, -1), "CENTER"),
                                   ("TOPPADDING", (0, 0), (-1, -1), 4), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    out.append(t)
    if report.rejected:
        out += [Spacer(1, 8 * mm), _p(f"未接收的评分表文件（{len(report.rejected)} 份）", st.h2)]
        rows = [["文件", "原因"]] + [[_p(r.name, st.cell), _p(f"{r.reason_zh}（{r.code}）", st.cell)]
                                     for r in report.rejected]
        t = Table(rows, colWidths=[60 * mm, WIDTH - 60 * mm], repeatRows=1)
        t.setStyle(_grid(st.font, 8, [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER")]))
        out.append(t)
    out.append(PageBreak())
    return out


def remark(r: ProposalResult) -> str:
    """The 备注 of a ranking row: 并列, capped, veto, pending, too few sheets."""
    parts = []
    if r.tie:
        parts.append("并列")
    if r.capped:
        parts.append("优秀名额已满，顺延")
    for v in r.vetoes:
        if v.decision is None:
            parts.append("否决项待确认")
        elif v.decision.confirmed:
            parts.append("否决项成立")
    if any(f.code == "sheets.insufficient" for f in r.flags):
        parts.append("有效评分表不足")
    return "；".join(parts)


def _ranking(form: FormTemplate, results: Sequence[ProposalResult], st: _Styles) -> list[Any]:
    out: list[Any] = [_Anchor(f"rank-{form.id}", f"排名表：{form.title.zh}", 0),
                      _p(f"排名表　{form.title.zh}", st.h1),
                      _p(f"共 {len(results)} 项，按最终得分从高到低排列；得分相同的按有效总分之和排列，仍相同的并列。", st.note),
                      Spacer(1, 2 * mm)]
    rows: list[list[Any]] = [["排名", "项目编号", "中心名称", "有效评分表", "最终得分", "结论", "备注"]]
    for r in results:
        rank = "—" if r.rank is None else (f"{r.rank}（并列）" if r.tie else str(r.rank))
        concl = r.conclusion_label.zh if r.conclusion_label else "待定"
        note = remark(r)
        rows.append([rank, r.proposal_id, _cell(r.center_name, 58 * mm, st), str(r.valid_sheets),
                     _fmt(r.final_score), concl, _cell(note, 30 * mm, st) if note else ""])
    t = Table(rows, colWidths=[16 * mm, 20 * mm, 58 * mm, 16 * mm, 18 * mm, 20 * mm, 30 * mm], repeatRows=1)
    t.setStyle(_grid(st.font, 8, [("BACKGROUND", (0, 0), (-1, 0), SHADE), ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                                  ("ALIGN", (0, 1), (1, -1), "CENTER"), ("ALIGN", (3, 1), (5, -1), "CENTER")]))
    out.append(t)
    out.append(CondPageBreak(60 * mm))
    out.append(_p("排名图", st.h2))
    out += [charts.ChartFlowable(d) for d in charts.ranking_charts(results, form, WIDTH)]
    out.append(PageBreak())
    return out


def _cell(text: str, width: float, st: _Styles) -> Any:
    """Plain text when it fits on one line (drawn directly: far cheaper), else a wrapping paragraph."""
    if "\n" not in text and stringWidth(text, st.font, 8) <= width - 5:
        return text
    return _p(text, st.cell)


# ── one proposal on one form ───────────────────────────────────────────────────────────────


def _fit(text: str, width: float, font: str, size: float) -> str:
    """`text` broken into lines (at any character) that fit in `width`."""
    if _width(text, font, size) <= width:
        return text
    lines, start, used = [], 0, 0.0
    for i, ch in enumerate(text):
        w = _width(ch, font, size)
        if used + w > width and i > start:
            lines.append(text[start:i])
            start, used = i, 0.0
        used += w
    lines.append(text[start:])
    return "\n".join(lines)


def _score_table(r: ProposalResult, form: FormTemplate, st: _Styles) -> tuple[ScoreGrid, bool]:
    """The 评分汇总表 and whether a criterion was flagged for its spread (※)."""
    experts = r.experts
    n = len(experts)
    id_w, max_w, mean_w = 9 * mm, 10 * mm, 14 * mm
    col = min(14 * mm, max(8 * mm, (WIDTH - id_w - max_w - mean_w - 40 * mm) / max(1, n)))
    label_w = WIDTH - id_w - max_w - mean_w - col * n
    size = 8 if col >= 11 * mm else 7
    header = ["序号", "指标", "分值"]
    for i, e in enumerate(experts, 1):
        mark = DROPPED_MARK.get(e.dropped or "", "") + ("离群" if e.outlier else "")
        header.append(f"专家{i}\n{e.expert_name}" + (f"\n{mark}" if mark else ""))
    header.append("平均")
    rows: list[list[str]] = [header]
    last_col = 3 + n
    inks: dict[tuple[int, int | None], Any] = {}
    by_id = {c.criterion_id: c for c in r.criteria}
    ids = [e.expert_id for e in experts]
    any_outlier = False
    for c in form.criteria:
        cr = by_id.get(c.id)
        scores = cr.scores if cr is not None else {}
        mean = _fmt(cr.mean) if cr is not None and cr.mean is not None else "—"
        if cr is not None and cr.outlier:
            mean += "※"
            any_outlier = True
            inks[(last_col, len(rows))] = RED
        rows.append([c.id, _fit(c.label.zh, label_w - 5, st.font, size), _fmt(c.max),
                     *[_fmt(scores[x]) if x in scores else "—" for x in ids], mean])
    spans = []
    rescaled = any(e.total != e.raw_total for e in experts)
    if rescaled:
        spans.append((len(rows), 1))
        rows.append(["得分合计", "", "", *[_fmt(e.raw_total) for e in experts], ""])
    last = len(rows)
    spans.append((last, 1))
    rows.append(["合计（折算百分制）" if rescaled else "合计", "", "100", *[_fmt(e.total) for e in experts],
                 _fmt(r.final_score)])
    fills: list[tuple[int, int, int, int, Any]] = [(0, 0, last_col, 0, SHADE), (0, last, last_col, last, SHADE)]
    inks[(last_col, last)] = charts.FINAL
    for i, e in enumerate(experts):
        if e.dropped:
            fills.append((3 + i, 0, 3 + i, last, DROPPED_BG))
            inks[(3 + i, None)] = DROPPED_INK
        elif e.outlier:
            inks[(3 + i, 0)] = RED
    widths = [id_w, label_w, max_w, *([col] * n), mean_w]
    return ScoreGrid(rows, widths, st.font, size, fills=fills, inks=inks, left=(1,), spans=spans), any_outlier


def _key_facts(r: ProposalResult, form: FormTemplate, ranked: int, st: _Styles) -> Table:
    rank = "—" if r.rank is None else f"{r.rank} / {ranked}" + ("（并列）" if r.tie else "")
    concl = r.conclusion_label.zh if r.conclusion_label else "待定（否决项待组长确认）" if any(
        v.decision is None for v in r.vetoes) else "待定"
    if r.capped:
        concl += "（优秀名额已满，顺延）"
    outcome = r.outcome.zh if r.outcome else "—"
    rows = [
        ["最终得分", _fmt(r.final_score), "排名", rank, "结论", concl],
        ["有效评分表", f"{r.valid_sheets} 份", "计算方法", METHOD_ZH.get(r.method, r.method), "处理意见",
         _p(outcome, st.cell)],
    ]
    t = Table(rows, colWidths=[18 * mm, 20 * mm, 16 * mm, 52 * mm, 16 * mm, 56 * mm])
    t.setStyle(_grid(st.font, 8.5, [("BACKGROUND", (0, 0), (0, -1), SHADE), ("BACKGROUND", (2, 0), (2, -1), SHADE),
                                    ("BACKGROUND", (4, 0), (4, -1), SHADE), ("FONTSIZE", (1, 0), (1, 0), 11),
                                    ("TEXTCOLOR", (1, 0), (1, 0), charts.FINAL)]))
    return t


def _name(report: ReportData, expert_id: str) -> str:
    try:
        return f"{report.expert(expert_id).name}（{expert_id}）"
    except KeyError:
        return expert_id


def _calculation(r: ProposalResult, report: ReportData, st: _Styles, any_outlier: bool) -> list[Any]:
    out: list[Any] = [_p("计算过程", st.h2), _p(r.calculation.zh, st.body)]
    if any_outlier:
        out.append(_p("※ 该项专家打分分歧较大（极差超过该项满分的规定比例）。", st.note))
    people = [f"应评专家 {r.valid_sheets + len(r.conflicted) + len(r.missing)} 人，有效评分表 {r.valid_sheets} 份"]
    if r.conflicted:
        people.append("回避：" + "、".join(_name(report, x) for x in r.conflicted))
    if r.missing:
        people.append("未提交评分表：" + "、".join(_name(report, x) for x in r.missing))
    out.append(_p("；".join(people) + "。", st.body))
    flags = [f for f in r.flags if not f.code.startswith(OWN_BLOCK_FLAGS)]
    if flags:
        out.append(_p("提示", st.h2))
        out.append(_p("\n".join(f"• {f.zh}" for f in flags), st.body))
    if r.vetoes:
        out.append(_p("否决项（筛选性指标）", st.h2))
        lines = []
        for v in r.vetoes:
            who = "、".join(_name(report, x) for x in v.raised_by)
            if v.decision is None:
                state = "待专家组组长确认"
            else:
                d = v.decision
                state = ("组长确认成立" if d.confirmed else "组长确认不予采纳") + f"，理由：{d.reason}"
                if d.decided_by or d.decided_at:
                    state += f"（{d.decided_by} {d.decided_at.replace('T', ' ')}）".replace("（ ", "（")
            lines.append(f"• {v.label.zh}：由 {who} 提出；{state}")
        out.append(_p("\n".join(lines), st.body))
    return out


def _comments(entries: Sequence[ExpertEntry], form: FormTemplate, report: ReportData, st: _Styles) -> list[Any]:
    out: list[Any] = [_p("专家评审意见", st.h2)]
    if not entries:
        return out + [_p("（本报告未附专家评审意见，见各专家评分表。）", st.note)]
    labels = {c.id: c.label.zh for c in form.criteria}
    conclusions = {c.code: c.label.zh for c in form.conclusions}
    for e in sorted(entries, key=lambda e: e.expert_id):
        head = f"{e.expert_name}（{e.expert_id}，{label(ROLE_LABELS, e.role)}）"
        if e.conclusion:
            head += f"　推荐结论：{conclusions.get(e.conclusion, e.conclusion)}"
        lines = [head]
        for cid in (c.id for c in form.criteria):
            text = (e.comments.get(cid) or "").strip()
            if text:
                lines.append(f"　{cid} {labels.get(cid, '')}：{text}")
        for f in form.overall_fields:
            text = (e.overall.get(f.id) or "").strip()
            lines.append(f"　{f.label.zh}：{text or '（无）'}")
        out.append(TextLines([part for line in lines for part in line.split("\n")], st.font, 8.5, 12, indent=8.5))
        out.append(Spacer(1, 1.5 * mm))
    return out


def _lines(count: int, font: str) -> Table:
    t = Table([[""]] * count, colWidths=[WIDTH], rowHeights=[7 * mm] * count)
    t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                           ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999"))]))
    return t


def _opinion(opinion: PanelOpinion | None, st: _Styles) -> list[Any]:
    out: list[Any] = [CondPageBreak(50 * mm), _p("专家组意见", st.h2)]
    for name, heading in SECTIONS:
        text = opinion.section(name).strip() if opinion is not None else ""
        if text:
            out.append(_p(f"{heading.zh}：{text}", st.body))
            out.append(Spacer(1, 1 * mm))
        else:
            out.append(KeepTogether([_p(f"{heading.zh}：", st.body), _lines(2 if name == "conclusion" else 3, st.font)]))
    return out


def _signatures(results: Sequence[ProposalResult], report: ReportData, st: _Styles) -> list[Any]:
    """One signature block per proposal (after all its forms): the chair, every member who scored it
    on any form, 填写人 and 复核人."""
    chair = next((e for e in report.experts if e.chair), None)
    seen = dict.fromkeys(e.expert_id for r in results for e in r.experts)
    names = {e.expert_id: e.expert_name for r in results for e in r.experts}
    members = [names[x] for x in sorted(seen) if chair is None or x != chair.id]
    rows: list[list[Any]] = [["专家组组长", chair.name if chair else "", "签字：", "", "日期：", "年　　月　　日"]]
    for i, name in enumerate(members):
        rows.append(["专家组成员" if i == 0 else "", name, "签字：", "", "日期：", "年　　月　　日"])
    rows.append(["填写人", "", "签字：", "", "日期：", "年　　月　　日"])
    rows.append(["复核人", "", "签字：", "", "日期：", "年　　月　　日"])
    t = Table(rows, colWidths=[24 * mm, 28 * mm, 14 * mm, 48 * mm, 14 * mm, 50 * mm], rowHeights=[8.5 * mm] * len(rows))
    cmds: list[tuple[Any, ...]] = [("FONTNAME", (0, 0), (-1, -1), st.font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                                   ("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (2, 0), (2, -1), "RIGHT"),
                                   ("ALIGN", (4, 0), (4, -1), "RIGHT"), ("ALIGN", (5, 0), (5, -1), "RIGHT"),
                                   ("LINEBELOW", (3, 0), (3, -1), 0.5, GRID), ("LINEBELOW", (5, 0), (5, -1), 0.5, GRID),
                                   ("LINEBELOW", (1, -2), (1, -1), 0.5, GRID)]
    if members:
        cmds.append(("SPAN", (0, 1), (0, len(members))))
        cmds.append(("VALIGN", (0, 1), (0, len(members)), "TOP"))
    t.setStyle(TableStyle(cmds))
    return [CondPageBreak(min(len(rows) * 8.5 * mm + 15 * mm, 150 * mm)), _p("签字", st.h2), t]


def _proposal(report: ReportData, r: ProposalResult, form: FormTemplate, ranked: int, entries: Sequence[ExpertEntry],
              st: _Styles, first: bool) -> list[Any]:
    key = f"p-{r.proposal_id}-{r.form_id}"
    out: list[Any] = []
    if first:
        out += [_Anchor(f"p-{r.proposal_id}", f"{r.proposal_id} {r.center_name}", 0)]
    else:
        out.append(CondPageBreak(120 * mm))
    out += [_Anchor(key, form.title.zh, 1),
            _p(f"{r.proposal_id}　{r.center_name}", st.h1),
            _p(f"{form.title.zh}　·　评分汇总表", st.base.subtitle if first else st.h2),
            _key_facts(r, form, ranked, st), Spacer(1, 2.5 * mm)]
    table, any_outlier = _score_table(r, form, st)
    out += [table, Spacer(1, 2 * mm)]
    if r.experts:
        out.append(KeepTogether([_p("专家总分分布", st.h2), charts.ChartFlowable(charts.dot_plot(r, WIDTH))]))
    out += _calculation(r, report, st, any_outlier)
    out += _comments(entries, form, report, st)
    out += _opinion(report.opinions.get((r.proposal_id, r.form_id)), st)
    return out


def render_consolidated_pdf(report: ReportData, progress: Progress | None = None) -> bytes:
    """The consolidated report as PDF bytes. `progress(done, total)` is called per proposal."""
    st = _Styles()
    results = report.consolidation.results
    form_ids = list(dict.fromkeys(r.form_id for r in results))
    forms = [report.forms[f] for f in form_ids]
    story: list[Any] = _cover(report, st, forms)
    ranked: dict[str, int] = {}
    for form in forms:
        group = report.consolidation.for_form(form.id)
        ranked[form.id] = sum(1 for r in group if r.rank is not None)
        story += _ranking(form, group, st)
    # proposals in the order of the first form's ranking; each proposal's forms together
    order = list(dict.fromkeys(r.proposal_id for r in results))
    by_proposal: dict[str, list[ProposalResult]] = {}
    for r in results:
        by_proposal.setdefault(r.proposal_id, []).append(r)
    entries = {(i.proposal_id, i.form.id): i.entries for i in report.inputs}
    total = len(order)
    for n, pid in enumerate(order, 1):
        for j, r in enumerate(by_proposal[pid]):
            story += _proposal(report, r, report.forms[r.form_id], ranked[r.form_id],
                               entries.get((pid, r.form_id), ()), st, first=j == 0)
        story += _signatures(by_proposal[pid], report, st)
        if progress is not None:
            story.append(_Tick(progress, n, total))
        if n < total:
            story.append(PageBreak())
    painter = footer_painter(f"{report.batch_id} · 专家评审汇总报告 · {report.generated_at.replace('T', ' ')}")

    def footer(c: Any, page: int, pages: int) -> None:
        painter(c, page, pages)
        c.write_marks()

    buf = io.BytesIO()
    doc = SimpleDocTemplate(
        buf, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=14 * mm, bottomMargin=18 * mm,
        title=f"专家评审汇总报告 {report.batch_id}", author=report.agency_name, subject=report.title.zh,
        creator="TIC Desktop", invariant=1, initialFontName=st.font,
    )
    doc.build(story, canvasmaker=_canvas_class(footer))
    if progress is not None and total == 0:
        progress(0, 0)
    return buf.getvalue()


def check_pdf(path: Any) -> None:
    """A cheap whole-file check for atomic_write: starts with %PDF-, ends with %%EOF."""
    with open(path, "rb") as fh:
        head = fh.read(5)
        fh.seek(0, 2)
        size = fh.tell()
        fh.seek(max(0, size - 64))
        tail = fh.read()
    if head != b"%PDF-" or b"%%EOF" not in tail:
        raise ValueError("not a complete PDF file")


def write_consolidated_pdf(path: Any, report: ReportData, progress: Progress | None = None) -> None:
    """Render and write the consolidated report to `path` atomically (temp, fsync, replace, check)."""
    atomic_write(path, render_consolidated_pdf(report, progress), verify=check_pdf)
