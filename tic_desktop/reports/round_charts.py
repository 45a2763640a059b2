"""Charts of an evaluation round (reports.charts' `Plot`, drawn by `charts.ChartFlowable`):

- `panel_effect_plot(panels)`: one row per panel (batch) of one form — its valid totals from the
  lowest to the highest as a thin line, mean ± one standard deviation as a bar, the mean as a dot,
  each expert's mean total as a small ring, and the round's mean as a dashed line: a harsh panel
  sits left of the line.
- `cohort_rows(rows, normalised)`: a round's ranking rows in the shape `charts.plot_ranking` draws
  (rank, tie, center name, score, conclusion): the official scores, or the normalised ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from reportlab.lib import colors
from reportlab.lib.units import mm

from tic_desktop.core.round_results import PanelEffect, RoundRow
from tic_desktop.reports.charts import AXIS, FINAL, INK, MUTED, OUTLIER, Plot
from tic_desktop.reports.fonts import register_fonts
from tic_desktop.reports.pdftext import fit

ROW_H = 7 * mm
SPREAD = colors.HexColor("#B7CCEA")


@dataclass(frozen=True)
class ChartRow:
    """What `charts.plot_ranking` reads of a result."""

    rank: int | None
    tie: bool
    center_name: str
    final_score: Decimal | None
    conclusion: str | None


def cohort_rows(rows: Sequence[RoundRow], normalised: bool = False) -> list[ChartRow]:
    """The rows as the ranking chart draws them, in the order of that ranking."""
    if normalised:
        ordered = sorted(rows, key=lambda r: (r.normalised_rank is None, r.normalised_rank or 0))
        return [ChartRow(r.normalised_rank, False, r.center_name, r.normalised_score, r.normalised_conclusion)
                for r in ordered]
    return [ChartRow(r.round_rank, r.tie, r.center_name, r.final_score, r.conclusion) for r in rows]


def _low(values: Sequence[Decimal]) -> int:
    if not values:
        return 0
    return max(0, (int(min(values)) - 5) // 10 * 10)


def panel_effect_plot(panels: Sequence[PanelEffect], width: float) -> Plot:
    """The panels of one form side by side against the round's mean (see the module docstring)."""
    font = register_fonts()
    legend_h, axis_h = 6 * mm, 8 * mm
    n = max(1, len(panels))
    height = legend_h + n * ROW_H + axis_h
    p = Plot(width, height, font)
    x0, x1 = 40 * mm, width - 16 * mm
    values = [v for e in panels for v in (e.minimum, *(x.mean for x in e.experts))]
    low = _low(values)

    def xpos(v: Decimal) -> float:
        return x0 + (x1 - x0) * (float(v) - low) / (100 - low)

    top = height - legend_h
    bottom = top - n * ROW_H
    # legend
    lx = x0
    p.rect(lx, height - 4 * mm, 6 * mm, 2.6 * mm, SPREAD)
    p.text(lx + 7 * mm, height - 3.7 * mm, "平均分 ± 标准差", 7, INK)
    lx += 34 * mm
    p.line(lx, height - 2.7 * mm, lx + 6 * mm, height - 2.7 * mm, INK, 0.6)
    p.text(lx + 7 * mm, height - 3.7 * mm, "最低—最高", 7, INK)
    lx += 26 * mm
    p.circle(lx + 1.2 * mm, height - 2.7 * mm, 1.1 * mm, None, OUTLIER, 0.6)
    p.text(lx + 3.5 * mm, height - 3.7 * mm, "专家平均分", 7, INK)
    lx += 26 * mm
    p.line(lx, height - 2.7 * mm, lx + 6 * mm, height - 2.7 * mm, MUTED, 0.8, dashed=True)
    p.text(lx + 7 * mm, height - 3.7 * mm, "全轮平均分", 7, INK)
    for i, e in enumerate(panels):
        mid = top - (i + 0.5) * ROW_H
        p.line(0, top - (i + 1) * ROW_H, width, top - (i + 1) * ROW_H, AXIS, 0.3)
        p.text(2 * mm, mid - 1.2 * mm, fit(e.batch_id, x0 - 4 * mm, font, 7), 7, INK)
        if e.n == 0:
            continue
        p.line(xpos(e.minimum), mid, xpos(e.maximum), mid, INK, 0.6)
        lo, hi = max(Decimal(low), e.mean - e.sd), min(Decimal(100), e.mean + e.sd)
        p.rect(xpos(lo), mid - 1.6 * mm, max(0.5, xpos(hi) - xpos(lo)), 3.2 * mm, SPREAD)
        for x in e.experts:
            p.circle(xpos(x.mean), mid, 1.1 * mm, None, OUTLIER, 0.6)
        p.circle(xpos(e.mean), mid, 1.3 * mm, FINAL, FINAL, 0.6)
        p.text(x1 + 2 * mm, mid - 1.2 * mm, format(e.mean.quantize(Decimal("0.01")), "f"), 7, INK)
    if panels:
        x = xpos(panels[0].round_mean)
        p.line(x, bottom, x, top, MUTED, 0.8, dashed=True)
    p.line(x0, bottom, x1, bottom, AXIS, 0.6)
    step = 10 if 100 - low > 30 else 5
    for v in range(low, 101, step):
        x = xpos(Decimal(v))
        p.line(x, bottom, x, bottom - 1.2 * mm, AXIS, 0.6)
        p.text(x, bottom - 4 * mm, str(v), 6.5, MUTED, "middle")
    return p
