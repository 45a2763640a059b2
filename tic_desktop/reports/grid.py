"""`Grid`: a ruled table of plain-text cells drawn with one path per fill colour, one path for the
rules and one text object (spans, fills, per-cell size, ink and alignment; split between rows with
the header repeated), and the `Line`s a cell may be made of. One of the report flowables
(`reports.flowables`, which imports these names too); only the bundled TrueType font is fast.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable

from tic_desktop.reports.pdftext import break_lines, show, width
from tic_desktop.reports.qr import GRID


@dataclass(frozen=True)
class Line:
    """One line of a `Grid` cell in its own size and leading (already fitted to the cell)."""

    text: str
    size: float
    leading: float


Cell = str | tuple[Line, ...]


def lines(text: str, avail: float, font: str, size: float, leading: float) -> tuple[Line, ...]:
    """`text` (newlines kept) broken to fit `avail`, as `Grid` cell lines."""
    return tuple(Line(part, size, leading) for para in text.split("\n")
                 for part in break_lines(para, avail, font, size))


class Grid(Flowable):
    """A ruled table of plain-text cells (a cell's text may hold several lines, already broken to
    fit: `pdftext.fit`), drawn with one path per fill colour, one path for the rules and one text
    object: the report's tables at a fraction of a platypus Table's cost (hundreds of them in a
    batch report). Splits between rows, the first `header` rows repeated on the next page.

    `fills`: (col, row) → colour, `col_fills`: col → colour (over the whole column), `row_fills`:
    row → colour; the first that applies wins. `inks`: (col, row) or (col, None) → text colour.
    `sizes`: (col, row) → font size. `left`: the columns aligned left (else centred); `aligns`:
    (col, row) → "left", "right" or "center" for one cell. `spans`: (row, col) → the last column
    that cell spans to. A cell is a string (lines split at newlines, each `size` + 2 apart) or a
    tuple of `Line`s (each with its own size and leading: a cell in two styles). `pad`: the space
    left and right of a cell's text, `pad_y`: above and below together; `h_align`: where the frame
    puts a grid narrower or wider than itself ("LEFT", "CENTER", "RIGHT")."""

    PAD = 2.5

    def __init__(self, rows: Sequence[Sequence[Cell]], widths: Sequence[float], font: str, size: float, *,
                 header: int = 0, fills: dict[tuple[int, int], Any] | None = None,
                 col_fills: dict[int, Any] | None = None, row_fills: dict[int, Any] | None = None,
                 inks: dict[tuple[int, int | None], Any] | None = None,
                 sizes: dict[tuple[int, int], float] | None = None, left: Sequence[int] = (),
                 spans: dict[tuple[int, int], int] | None = None, rule: Any = GRID,
                 aligns: dict[tuple[int, int], str] | None = None, pad: float = PAD, pad_y: float = 4.2,
                 line_width: float = 0.5, h_align: str = "LEFT") -> None:
        super().__init__()
        self.hAlign = h_align
        self.rows, self.widths, self.font, self.size = [list(r) for r in rows], list(widths), font, size
        self.header = header
        self.fills, self.col_fills, self.row_fills = fills or {}, col_fills or {}, row_fills or {}
        self.inks, self.sizes, self.left = inks or {}, sizes or {}, set(left)
        self.spans, self.rule = spans or {}, rule
        self.aligns, self.pad, self.pad_y, self.line_width = aligns or {}, pad, pad_y, line_width
        self.heights = []
        for r, row in enumerate(self.rows):
            h = 0.0
            for c, cell in enumerate(row):
                if isinstance(cell, str):
                    h = max(h, (cell.count("\n") + 1) * (self.sizes.get((c, r), size) + 2))
                else:
                    h = max(h, sum(line.leading for line in cell))
            self.heights.append(h + pad_y)
        self.width, self.height = sum(self.widths), sum(self.heights)

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def _rows(self, keep: Sequence[int]) -> Grid:
        at = {old: new for new, old in enumerate(keep)}
        return Grid([self.rows[r] for r in keep], self.widths, self.font, self.size, header=self.header,
                    fills={(c, at[r]): v for (c, r), v in self.fills.items() if r in at},
                    col_fills=self.col_fills, row_fills={at[r]: v for r, v in self.row_fills.items() if r in at},
                    inks={(c, r if r is None else at[r]): v for (c, r), v in self.inks.items() if r is None or r in at},
                    sizes={(c, at[r]): v for (c, r), v in self.sizes.items() if r in at}, left=tuple(self.left),
                    spans={(at[r], c): v for (r, c), v in self.spans.items() if r in at}, rule=self.rule,
                    aligns={(c, at[r]): v for (c, r), v in self.aligns.items() if r in at}, pad=self.pad,
                    pad_y=self.pad_y, line_width=self.line_width, h_align=self.hAlign)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        used, k = 0.0, 0
        while k < len(self.rows) and used + self.heights[k] <= avail_height:
            used += self.heights[k]
            k += 1
        if k <= self.header or k >= len(self.rows):
            return []
        head = list(range(self.header))
        return [self._rows(range(k)), self._rows(head + list(range(k, len(self.rows))))]

    def draw(self) -> None:
        c = self.canv
        xs = [0.0]
        for w in self.widths:
            xs.append(xs[-1] + w)
        ys = [self.height]
        for h in self.heights:
            ys.append(ys[-1] - h)
        covered: set[tuple[int, int]] = set()  # cells inside a span (not the first)
        for (r, c0), c1 in self.spans.items():
            covered.update((r, x) for x in range(c0 + 1, c1 + 1))
        c.saveState()
        # fills in painting order: rows, then columns over them, then single cells over both
        rects: list[tuple[Any, float, float, float, float]] = []
        for r, colour in sorted(self.row_fills.items()):
            rects.append((colour, 0, ys[r + 1], self.width, ys[r] - ys[r + 1]))
        for col, colour in sorted(self.col_fills.items()):
            rects.append((colour, xs[col], 0, xs[col + 1] - xs[col], self.height))
        for (col, r), colour in sorted(self.fills.items()):
            if (r, col) in covered:
                continue
            x1 = xs[self.spans.get((r, col), col) + 1]
            rects.append((colour, xs[col], ys[r + 1], x1 - xs[col], ys[r] - ys[r + 1]))
        current: Any = None
        path: Any = None
        for colour, x, y, w, h in rects:
            if colour != current:
                if path is not None:
                    c.drawPath(path, stroke=0, fill=1)
                c.setFillColor(colour)
                current, path = colour, c.beginPath()
            path.rect(x, y, w, h)
        if path is not None:
            c.drawPath(path, stroke=0, fill=1)
        c.setStrokeColor(self.rule)
        c.setLineWidth(self.line_width)
        path = c.beginPath()
        for y in ys:
            path.moveTo(0, y)
            path.lineTo(self.width, y)
        nrows = len(self.rows)
        for i, x in enumerate(xs):
            r = 0
            while r < nrows:  # one segment per run of rows where this rule is not inside a span
                if (r, i) in covered:
                    r += 1
                    continue
                r1 = r
                while r1 + 1 < nrows and (r1 + 1, i) not in covered:
                    r1 += 1
                path.moveTo(x, ys[r])
                path.lineTo(x, ys[r1 + 1])
                r = r1 + 1
        c.drawPath(path, stroke=1, fill=0)
        # the text grouped by colour: a colour change costs more than the text of a cell
        groups: dict[Any, list[tuple[float, float, float, str]]] = {}
        black = colors.black
        for r, row in enumerate(self.rows):
            top = ys[r]
            for col, cell in enumerate(row):
                if not cell or (r, col) in covered:
                    continue
                ink = self.inks.get((col, r)) or self.inks.get((col, None)) or black
                x0 = xs[col]
                x1 = xs[self.spans.get((r, col), col) + 1]
                align = self.aligns.get((col, r)) or ("left" if col in self.left else "center")
                if isinstance(cell, str):
                    size = self.sizes.get((col, r), self.size)
                    lines = [Line(part, size, size + 2) for part in cell.split("\n")]
                else:
                    lines = list(cell)
                # the block centred in the row; each line's glyphs centred in its own leading
                y_top = top - (self.heights[r] - sum(line.leading for line in lines)) / 2
                out = groups.setdefault(ink, [])
                for line in lines:
                    y = y_top - (line.leading - line.size) / 2 - line.size + 1.5
                    y_top -= line.leading
                    if not line.text:
                        continue
                    if align == "left":
                        x = x0 + self.pad
                    elif align == "right":
                        x = x1 - self.pad - width(line.text, self.font, line.size)
                    else:
                        x = (x0 + x1 - width(line.text, self.font, line.size)) / 2
                    out.append((line.size, x, y, line.text))
        t = c.beginText()
        current = self.size
        t.setFont(self.font, current)
        for ink, items in groups.items():
            t.setFillColor(ink)
            for size, x, y, part in items:
                if size != current:
                    current = size
                    t.setFont(self.font, size)
                show(t, x, y, part)
        c.drawText(t)
        c.restoreState()
