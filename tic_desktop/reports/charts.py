"""Charts of a consolidation as reportlab Drawings: the experts' totals per proposal, the ranking.

- `dot_plot(result)`: one row per valid expert, a dot at the expert's total on a 0–100 scale
  (a hollow dot when the total was dropped as highest or lowest, a red ring and 离群 when it is an
  outlier), and the final score as a vertical line.
- `ranking_chart(results, form)`: one bar per ranked proposal, longest first, coloured by the
  conclusion, with the conclusion thresholds as dashed lines; long lists are cut into several
  drawings (`ranking_charts`) so each fits on a page.

The charts are built as a `Plot` (a plain list of lines, circles, rectangles and strings): the
consolidated PDF draws that straight onto its canvas (`ChartFlowable`), and `dot_plot` /
`ranking_chart` turn it into a reportlab Drawing (renderPM/renderSVG for a picture). Building
hundreds of Drawings, whose shapes check every attribute set, was a good part of a batch report.
Qt-free, like the rest of `reports`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from reportlab.graphics.shapes import Circle, Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from tic_desktop.core.consolidation import ProposalResult
from tic_desktop.core.forms import FormTemplate
from tic_desktop.reports.fonts import register_fonts
from tic_desktop.reports.pdftext import show, width

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
ROW_RULE = colors.HexColor("#EEEEEE")

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


@dataclass
class Plot:
    """A chart as plain drawing operations, in drawing order.

    ops: ("line", x1, y1, x2, y2, colour, width, dashed), ("circle", cx, cy, r, fill, stroke, width),
    ("rect", x, y, w, h, fill), ("text", x, y, text, size, colour, anchor)."""

    width: float
    height: float
    font: str
    ops: list[tuple[Any, ...]] = field(default_factory=list)

    def line(self, x1: float, y1: float, x2: float, y2: float, colour: Any, width: float,
             dashed: bool = False) -> None:
        self.ops.append(("line", x1, y1, x2, y2, colour, width, dashed))

    def circle(self, cx: float, cy: float, r: float, fill: Any, stroke: Any, width: float) -> None:
        self.ops.append(("circle", cx, cy, r, fill, stroke, width))

    def rect(self, x: float, y: float, w: float, h: float, fill: Any) -> None:
        self.ops.append(("rect", x, y, w, h, fill))

    def text(self, x: float, y: float, text: str, size: float, colour: Any, anchor: str = "start") -> None:
        self.ops.append(("text", x, y, text, size, colour, anchor))

    def drawing(self) -> Drawing:
        """The same picture as a reportlab Drawing."""
        d = Drawing(self.width, self.height, initialFontName=self.font, initialFontSize=7)
        for op in self.ops:
            kind = op[0]
            if kind == "line":
                _, x1, y1, x2, y2, colour, w, dashed = op
                if dashed:
                    d.add(PolyLine([x1, y1, x2, y2], strokeColor=colour, strokeWidth=w, strokeDashArray=[2, 2]))
                else:
                    d.add(Line(x1, y1, x2, y2, strokeColor=colour, strokeWidth=w))
            elif kind == "circle":
                _, cx, cy, r, fill, stroke, w = op
                d.add(Circle(cx, cy, r, fillColor=fill, strokeColor=stroke, strokeWidth=w))
            elif kind == "rect":
                _, x, y, w, h, fill = op
                d.add(Rect(x, y, w, h, fillColor=fill, strokeColor=None))
            else:
                _, x, y, text, size, colour, anchor = op
                d.add(String(x, y, text, fontName=self.font, fontSize=size, fillColor=colour, textAnchor=anchor))
        return d


def _axis(p: Plot, x0: float, x1: float, y: float, low: int) -> None:
    p.line(x0, y, x1, y, AXIS, 0.6)
    step = 10 if 100 - low > 30 else 5
    for v in range(low, 101, step):
        x = x0 + (x1 - x0) * (v - low) / (100 - low)
        p.line(x, y, x, y - 1.2 * mm, AXIS, 0.6)
        p.text(x, y - 4 * mm, str(v), 6.5, MUTED, "middle")


def dot_plot(result: ProposalResult, width: float = 178 * mm, names: dict[str, str] | None = None) -> Drawing:
    """The experts' totals of one proposal on one form (see the module docstring), as a Drawing."""
    return plot_dots(result, width, names).drawing()


def plot_dots(result: ProposalResult, width: float = 178 * mm, names: dict[str, str] | None = None) -> Plot:
    """`dot_plot` as a Plot."""
    font = register_fonts()
    experts = result.experts
    rows = max(1, len(experts))
    legend_h = 5 * mm
    axis_h = 6 * mm
    height = legend_h + rows * ROW_H + axis_h
    p = Plot(width, height, font)
    x0, x1 = LABEL_W, width - 4 * mm
    low = _scale_low([e.total for e in experts] + ([result.final_score] if result.final_score is not None else []))

    def xpos(v: Decimal) -> float:
        return x0 + (x1 - x0) * float((v - low) / (100 - low))

    top = height - legend_h
    # legend
    ly = height - 3 * mm
    p.circle(x0, ly, 1.3 * mm, INK, INK, 0.6)
    p.text(x0 + 2.5 * mm, ly - 1 * mm, "计入", 7, INK)
    p.circle(x0 + 14 * mm, ly, 1.3 * mm, colors.white, INK, 0.8)
    p.text(x0 + 16.5 * mm, ly - 1 * mm, "去掉（最高/最低）", 7, INK)
    p.circle(x0 + 42 * mm, ly, 2.1 * mm, None, OUTLIER, 0.9)
    p.text(x0 + 45 * mm, ly - 1 * mm, "离群", 7, OUTLIER)
    p.line(x0 + 56 * mm, ly - 1.5 * mm, x0 + 56 * mm, ly + 1.5 * mm, FINAL, 1.4)
    p.text(x0 + 58 * mm, ly - 1 * mm, f"最终得分 {_fmt(result.final_score)}", 7, FINAL)
    # grid rows
    for i, e in enumerate(experts):
        y = top - (i + 0.5) * ROW_H
        label = (names or {}).get(e.expert_id, e.expert_name)
        p.text(x0 - 2 * mm, y - 1 * mm, label, 7.5, MUTED if e.dropped else INK, "end")
        p.line(x0, y, x1, y, ROW_RULE, 0.4)
    _axis(p, x0, x1, top - rows * ROW_H, low)
    if result.final_score is not None:
        fx = xpos(result.final_score)
        p.line(fx, top - rows * ROW_H, fx, top, FINAL, 1.4)
    for i, e in enumerate(experts):
        y = top - (i + 0.5) * ROW_H
        x = xpos(e.total)
        if e.dropped:
            p.circle(x, y, 1.3 * mm, colors.white, INK, 0.8)
        else:
            p.circle(x, y, 1.3 * mm, INK, INK, 0.6)
        if e.outlier:
            p.circle(x, y, 2.1 * mm, None, OUTLIER, 0.9)
        text = _fmt(e.total) + ("（去高）" if e.dropped == "highest" else "（去低）" if e.dropped == "lowest" else "")
        text += "　离群" if e.outlier else ""
        # the label goes on the side away from the final-score line (and inside the plot)
        right = (result.final_score is None or e.total >= result.final_score) and x < x1 - 30 * mm
        right = right or x < x0 + 30 * mm
        p.text(x + (2.8 * mm if right else -2.8 * mm), y - 1 * mm, text, 6.5, OUTLIER if e.outlier else MUTED,
               "start" if right else "end")
    return p


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
    return plot_ranking(results, form, width).drawing()


def plot_ranking(results: Sequence[ProposalResult], form: FormTemplate, width: float = 178 * mm) -> Plot:
    """`ranking_chart` as a Plot."""
    font = register_fonts()
    n = max(1, len(results))
    legend_h = 6 * mm
    axis_h = 7 * mm
    height = legend_h + n * RANK_ROW_H + axis_h
    p = Plot(width, height, font)
    label_w = 62 * mm
    x0, x1 = label_w, width - 14 * mm
    top = height - legend_h
    bottom = top - n * RANK_ROW_H

    def xpos(v: Decimal) -> float:
        return x0 + (x1 - x0) * float(v) / 100

    # legend: one swatch per conclusion, then "待定"; right-aligned with the plot when it is wide
    items = [(_conclusion_colour(form, c.code), f"{c.label.zh}（≥{_fmt(c.min_total)}）" if c.min_total else c.label.zh)
             for c in form.conclusions] + [(PENDING, "待定（否决项待确认）")]
    gap = 4 * mm
    spans = [4 * mm + width_of(text, font, 7) for _, text in items]
    lx = max(2 * mm, min(x0, width - sum(spans) - gap * (len(items) - 1)))
    for (colour, text), span in zip(items, spans, strict=True):
        p.rect(lx, height - 4 * mm, 3 * mm, 2.6 * mm, colour)
        p.text(lx + 4 * mm, height - 3.7 * mm, text, 7, INK)
        lx += span + gap
    for i, r in enumerate(results):
        y = top - (i + 1) * RANK_ROW_H + 0.7 * mm
        rank = "—" if r.rank is None else (f"{r.rank}=" if r.tie else str(r.rank))
        name = r.center_name if len(r.center_name) <= 18 else r.center_name[:17] + "…"
        p.text(2 * mm, y + 0.8 * mm, rank, 7, INK)
        p.text(x0 - 1.5 * mm, y + 0.8 * mm, name, 7, INK, "end")
        if r.final_score is not None:
            p.rect(x0, y, xpos(r.final_score) - x0, RANK_ROW_H - 1.4 * mm, _conclusion_colour(form, r.conclusion))
            p.text(xpos(r.final_score) + 1 * mm, y + 0.8 * mm, _fmt(r.final_score), 6.5, INK)
    for c in form.conclusions:
        if c.min_total > 0:
            x = xpos(c.min_total)
            p.line(x, bottom, x, top, MUTED, 0.6, dashed=True)
    _axis(p, x0, x1, bottom, 0)
    return p


def ranking_charts(results: Sequence[ProposalResult], form: FormTemplate, width: float = 178 * mm) -> list[Drawing]:
    """`ranking_chart` for `results` cut into pages of at most RANKS_PER_CHART bars."""
    return [p.drawing() for p in ranking_plots(results, form, width)]


def ranking_plots(results: Sequence[ProposalResult], form: FormTemplate, width: float = 178 * mm) -> list[Plot]:
    """`ranking_charts` as Plots."""
    return [plot_ranking(results[i:i + RANKS_PER_CHART], form, width)
            for i in range(0, max(1, len(results)), RANKS_PER_CHART)]


def width_of(text: str, font: str, size: float) -> float:
    return width(text, font, size)


class ChartFlowable(Flowable):
    """A chart drawn straight onto the PDF canvas: a Plot's operations as direct canvas calls and
    one text object (renderPDF walks a Drawing through a generic state tracker, about 0.2 ms per
    shape; hundreds of charts in a batch report). A Drawing made of Line, PolyLine, Circle, Rect
    and String only is accepted too."""

    def __init__(self, chart: Plot | Drawing) -> None:
        super().__init__()
        self.plot = chart if isinstance(chart, Plot) else _plot_of(chart)
        self.width, self.height = self.plot.width, self.plot.height

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        texts: list[tuple[Any, ...]] = []
        c.saveState()
        stroke: Any = None
        lw: float | None = None
        fill: Any = None
        dashed = False

        def pen(colour: Any, w: float) -> None:
            nonlocal stroke, lw
            if colour != stroke:
                c.setStrokeColor(colour)
                stroke = colour
            if w != lw:
                c.setLineWidth(w)
                lw = w

        def paint(colour: Any) -> None:
            nonlocal fill
            if colour != fill:
                c.setFillColor(colour)
                fill = colour

        for op in self.plot.ops:
            kind = op[0]
            if kind == "text":
                texts.append(op)
            elif kind == "line":
                _, x1, y1, x2, y2, colour, w, dash = op
                pen(colour, w)
                if dash != dashed:
                    c.setDash([2, 2] if dash else [])
                    dashed = dash
                c.line(x1, y1, x2, y2)
            elif kind == "circle":
                _, cx, cy, r, fc, sc, w = op
                if sc is not None:
                    pen(sc, w)
                if fc is not None:
                    paint(fc)
                c.circle(cx, cy, r, stroke=1 if sc is not None else 0, fill=1 if fc is not None else 0)
            else:
                _, x, y, w, h, fc = op
                paint(fc)
                c.rect(x, y, w, h, stroke=0, fill=1)
        if texts:
            t = c.beginText()
            font: tuple[str, float] | None = None
            for _, x, y, text, size, colour, anchor in texts:
                if (self.plot.font, size) != font:
                    font = (self.plot.font, size)
                    t.setFont(*font)
                if colour != fill:
                    t.setFillColor(colour)
                    fill = colour
                if anchor != "start":
                    w = width(text, self.plot.font, size)
                    x -= w / 2 if anchor == "middle" else w
                show(t, x, y, text)
            c.drawText(t)
        c.restoreState()


def _plot_of(d: Drawing) -> Plot:
    """A Plot of a Drawing made of Line, PolyLine, Circle, Rect and String."""
    p = Plot(d.width, d.height, getattr(d, "initialFontName", None) or register_fonts())
    for s in d.contents:
        if isinstance(s, String):
            p.font = s.fontName
            p.text(s.x, s.y, s.text, s.fontSize, s.fillColor, s.textAnchor)
        elif isinstance(s, Line):
            p.line(s.x1, s.y1, s.x2, s.y2, s.strokeColor, s.strokeWidth, bool(s.strokeDashArray))
        elif isinstance(s, PolyLine):
            pts = s.points
            for i in range(0, len(pts) - 2, 2):
                p.line(pts[i], pts[i + 1], pts[i + 2], pts[i + 3], s.strokeColor, s.strokeWidth,
                       bool(s.strokeDashArray))
        elif isinstance(s, Circle):
            p.circle(s.cx, s.cy, s.r, s.fillColor, s.strokeColor, s.strokeWidth)
        elif isinstance(s, Rect):
            p.rect(s.x, s.y, s.width, s.height, s.fillColor)
    return p
