"""Charts of a consolidation as reportlab Drawings: the experts' totals per proposal, the ranking.

- `dot_plot(result)`: one row per valid expert, a dot at the expert's total on a 0–100 scale
  (a hollow dot when the total was dropped as highest or lowest, a red ring and 离群 when it is an
  outlier), and the final score as a vertical line.
- `ranking_chart(results, form)`: one bar per ranked proposal, longest first, coloured by the
  conclusion, with the conclusion thresholds as dashed lines; long lists are cut into several
  drawings (`ranking_charts`) so each fits on a page.

Drawings render in a PDF (they are flowables), and through renderPM/renderSVG for a picture.
Qt-free, like the rest of `reports`.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from tic_desktop.core.consolidation import ProposalResult
from tic_desktop.core.forms import FormTemplate
from tic_desktop.reports.fonts import register_fonts

INK = colors.HexColor("#222222")
MUTED = colors.HexColor("#888888")
AXIS = colors.HexColor("#BBBBBB")
FINAL = colors.HexColor("#1F5FAF")
OUTLIER = colors.HexColor("#C62828")
BAND_COLOURS = (
    colors.HexColor("#2E7D32"),
    colors.HexColor("#1F5FAF"),
    colors.HexColor("#E0A100"),
    colors.HexColor("#C62828"),
)
"""Bar colours by conclusion, best first (a form has at most four conclusions)."""
PENDING = colors.HexColor("#9E9E9E")

LABEL_W = 34 * mm
ROW_H = 4.6 * mm
RANK_ROW_H = 4.4 * mm
RANKS_PER_CHART = 45


def _fmt(value: Decimal | None) -> str:
    return "—" if value is None else format(value, "f")


def _scale_low(values: Sequence[Decimal]) -> int:
    """The left end of the axis: 0, or a round number below the lowest value when they are all high."""
    if not values:
        return 0
    low = int(min(values)) - 5
    return max(0, low // 10 * 10)


def _axis(d: Drawing, x0: float, x1: float, y: float, low: int, font: str) -> None:
    d.add(Line(x0, y, x1, y, strokeColor=AXIS, strokeWidth=0.6))
    step = 10 if 100 - low > 30 else 5
    for v in range(low, 101, step):
        x = x0 + (x1 - x0) * (v - low) / (100 - low)
        d.add(Line(x, y, x, y - 1.2 * mm, strokeColor=AXIS, strokeWidth=0.6))
        d.add(String(x, y - 4 * mm, str(v), fontName=font, fontSize=6.5, fillColor=MUTED, textAnchor="middle"))


def dot_plot(result: ProposalResult, width: float = 178 * mm, names: dict[str, str] | None = None) -> Drawing:
    """The experts' totals of one proposal on one form (see the module docstring)."""
    font = register_fonts()
    experts = result.experts
    rows = max(1, len(experts))
    legend_h = 5 * mm
    axis_h = 6 * mm
    height = legend_h + rows * ROW_H + axis_h
    d = Drawing(width, height, initialFontName=font, initialFontSize=7)
    x0, x1 = LABEL_W, width - 4 * mm
    low = _scale_low([e.total for e in experts] + ([result.final_score] if result.final_score is not None else []))

    def xpos(v: Decimal) -> float:
        return x0 + (x1 - x0) * float((v - low) / (100 - low))

    top = height - legend_h
    # legend
    ly = height - 3 * mm
    d.add(Circle(x0, ly, 1.3 * mm, fillColor=INK, strokeColor=INK, strokeWidth=0.6))
    d.add(String(x0 + 2.5 * mm, ly - 1 * mm, "计入", fontName=font, fontSize=7, fillColor=INK))
    d.add(Circle(x0 + 14 * mm, ly, 1.3 * mm, fillColor=colors.white, strokeColor=INK, strokeWidth=0.8))
    d.add(String(x0 + 16.5 * mm, ly - 1 * mm, "去掉（最高/最低）", fontName=font, fontSize=7, fillColor=INK))
    d.add(Circle(x0 + 42 * mm, ly, 2.1 * mm, fillColor=None, strokeColor=OUTLIER, strokeWidth=0.9))
    d.add(String(x0 + 45 * mm, ly - 1 * mm, "离群", fontName=font, fontSize=7, fillColor=OUTLIER))
    d.add(Line(x0 + 56 * mm, ly - 1.5 * mm, x0 + 56 * mm, ly + 1.5 * mm, strokeColor=FINAL, strokeWidth=1.4))
    d.add(String(x0 + 58 * mm, ly - 1 * mm, f"最终得分 {_fmt(result.final_score)}", fontName=font, fontSize=7,
                 fillColor=FINAL))
    # grid rows
    for i, e in enumerate(experts):
        y = top - (i + 0.5) * ROW_H
        label = (names or {}).get(e.expert_id, e.expert_name)
        d.add(String(x0 - 2 * mm, y - 1 * mm, label, fontName=font, fontSize=7.5, textAnchor="end",
                     fillColor=MUTED if e.dropped else INK))
        d.add(Line(x0, y, x1, y, strokeColor=colors.HexColor("#EEEEEE"), strokeWidth=0.4))
    _axis(d, x0, x1, top - rows * ROW_H, low, font)
    if result.final_score is not None:
        fx = xpos(result.final_score)
        d.add(Line(fx, top - rows * ROW_H, fx, top, strokeColor=FINAL, strokeWidth=1.4))
    for i, e in enumerate(experts):
        y = top - (i + 0.5) * ROW_H
        x = xpos(e.total)
        if e.dropped:
            d.add(Circle(x, y, 1.3 * mm, fillColor=colors.white, strokeColor=INK, strokeWidth=0.8))
        else:
            d.add(Circle(x, y, 1.3 * mm, fillColor=INK, strokeColor=INK, strokeWidth=0.6))
        if e.outlier:
            d.add(Circle(x, y, 2.1 * mm, fillColor=None, strokeColor=OUTLIER, strokeWidth=0.9))
        text = _fmt(e.total) + ("（去高）" if e.dropped == "highest" else "（去低）" if e.dropped == "lowest" else "")
        text += "　离群" if e.outlier else ""
        # the label goes on the side away from the final-score line (and inside the plot)
        right = (result.final_score is None or e.total >= result.final_score) and x < x1 - 30 * mm
        right = right or x < x0 + 30 * mm
        d.add(String(x + (2.8 * mm if right else -2.8 * mm), y - 1 * mm, text, fontName=font, fontSize=6.5,
                     fillColor=OUTLIER if e.outlier else MUTED, textAnchor="start" if right else "end"))
    return d


def _conclusion_colour(form: FormTemplate, code: str | None) -> colors.Color:
    codes = [c.code for c in form.conclusions]
    if code is None or code not in codes:
        return PENDING
    i = codes.index(code)
    # the worst band is always red, the best always green
    if i == len(codes) - 1:
        return BAND_COLOURS[-1]
    return BAND_COLOURS[min(i, len(BAND_COLOURS) - 2)]


def ranking_chart(results: Sequence[ProposalResult], form: FormTemplate,
                  width: float = 178 * mm) -> Drawing:
    """Horizontal bars of the final scores of `results` (in the order given), coloured by conclusion."""
    font = register_fonts()
    n = max(1, len(results))
    legend_h = 6 * mm
    axis_h = 7 * mm
    height = legend_h + n * RANK_ROW_H + axis_h
    d = Drawing(width, height, initialFontName=font, initialFontSize=7)
    label_w = 62 * mm
    x0, x1 = label_w, width - 14 * mm
    top = height - legend_h
    bottom = top - n * RANK_ROW_H

    def xpos(v: Decimal) -> float:
        return x0 + (x1 - x0) * float(v) / 100

    # legend: one swatch per conclusion, then "待定"
    lx = x0
    for c in form.conclusions:
        d.add(Rect(lx, height - 4 * mm, 3 * mm, 2.6 * mm, fillColor=_conclusion_colour(form, c.code), strokeColor=None))
        d.add(String(lx + 4 * mm, height - 3.7 * mm, f"{c.label.zh}（≥{_fmt(c.min_total)}）" if c.min_total else c.label.zh,
                     fontName=font, fontSize=7, fillColor=INK))
        lx += 30 * mm
    d.add(Rect(lx, height - 4 * mm, 3 * mm, 2.6 * mm, fillColor=PENDING, strokeColor=None))
    d.add(String(lx + 4 * mm, height - 3.7 * mm, "待定（否决项待确认）", fontName=font, fontSize=7, fillColor=INK))
    for i, r in enumerate(results):
        y = top - (i + 1) * RANK_ROW_H + 0.7 * mm
        rank = "—" if r.rank is None else (f"{r.rank}=" if r.tie else str(r.rank))
        name = r.center_name if len(r.center_name) <= 18 else r.center_name[:17] + "…"
        d.add(String(2 * mm, y + 0.8 * mm, rank, fontName=font, fontSize=7, fillColor=INK))
        d.add(String(x0 - 1.5 * mm, y + 0.8 * mm, name, fontName=font, fontSize=7, fillColor=INK, textAnchor="end"))
        if r.final_score is not None:
            d.add(Rect(x0, y, xpos(r.final_score) - x0, RANK_ROW_H - 1.4 * mm,
                       fillColor=_conclusion_colour(form, r.conclusion), strokeColor=None))
            d.add(String(xpos(r.final_score) + 1 * mm, y + 0.8 * mm, _fmt(r.final_score), fontName=font,
                         fontSize=6.5, fillColor=INK))
    for c in form.conclusions:
        if c.min_total > 0:
            x = xpos(c.min_total)
            d.add(PolyLine([x, bottom, x, top], strokeColor=MUTED, strokeWidth=0.6, strokeDashArray=[2, 2]))
    _axis(d, x0, x1, bottom, 0, font)
    return d


def ranking_charts(results: Sequence[ProposalResult], form: FormTemplate, width: float = 178 * mm) -> list[Drawing]:
    """`ranking_chart` for `results` cut into pages of at most RANKS_PER_CHART bars."""
    return [ranking_chart(results[i:i + RANKS_PER_CHART], form, width)
            for i in range(0, max(1, len(results)), RANKS_PER_CHART)]


class ChartFlowable(Flowable):
    """A chart Drawing drawn straight onto the PDF canvas.

    renderPDF walks a Drawing through a generic state tracker (about 0.2 ms per shape); the charts
    here use only Line, PolyLine, Circle, Rect and String with explicit attributes, which this
    draws with direct canvas calls and one text object: the same picture at a fraction of the cost
    (hundreds of charts in a batch report)."""

    def __init__(self, drawing: Drawing) -> None:
        super().__init__()
        self.drawing = drawing
        self.width, self.height = drawing.width, drawing.height

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        texts: list[String] = []
        c.saveState()
        stroke: Any = None
        width: float | None = None
        fill: Any = None
        dashed = False
        for s in self.drawing.contents:
            if isinstance(s, String):
                texts.append(s)
                continue
            sc = getattr(s, "strokeColor", None)
            fc = getattr(s, "fillColor", None) if not isinstance(s, (Line, PolyLine)) else None
            if sc is not None and sc != stroke:
                c.setStrokeColor(sc)
                stroke = sc
            sw = getattr(s, "strokeWidth", 1)
            if sc is not None and sw != width:
                c.setLineWidth(sw)
                width = sw
            if fc is not None and fc != fill:
                c.setFillColor(fc)
                fill = fc
            dash = getattr(s, "strokeDashArray", None)
            if bool(dash) != dashed:
                c.setDash(dash or [])
                dashed = bool(dash)
            if isinstance(s, Line):
                c.line(s.x1, s.y1, s.x2, s.y2)
            elif isinstance(s, PolyLine):
                p = s.points
                c.lines([(p[i], p[i + 1], p[i + 2], p[i + 3]) for i in range(0, len(p) - 2, 2)])
            elif isinstance(s, Circle):
                c.circle(s.cx, s.cy, s.r, stroke=1 if sc is not None else 0, fill=1 if fc is not None else 0)
            elif isinstance(s, Rect):
                c.rect(s.x, s.y, s.width, s.height, stroke=1 if sc is not None else 0, fill=1 if fc is not None else 0)
        if texts:
            t = c.beginText()
            font: tuple[str, float] | None = None
            for s in texts:
                if (s.fontName, s.fontSize) != font:
                    font = (s.fontName, s.fontSize)
                    t.setFont(*font)
                if s.fillColor != fill:
                    t.setFillColor(s.fillColor)
                    fill = s.fillColor
                x = s.x
                if s.textAnchor in ("middle", "end"):
                    w = stringWidth(s.text, s.fontName, s.fontSize)
                    x -= w / 2 if s.textAnchor == "middle" else w
                t.setTextOrigin(x, s.y)
                t.textOut(s.text)
            c.drawText(t)
        c.restoreState()
