"""Plain-text flowables shared by the printed reports: fast where a report has many pages.

reportlab's `Paragraph` parses markup and measures word by word, and a platypus `Table` wraps and
draws every cell through several layers; a score sheet or a batch report prints hundreds of short
plain strings in one font. These flowables take the text as it is (wrapped by `pdftext`) and draw
it with one text object and one path per flowable:

    TextLines       paragraphs of plain text, split across pages between lines
    Grid            a ruled table of plain-text cells (spans, fills, per-cell size, ink, alignment)
    Stack           flowables one above the other, as one block (not split)
    Beside          flowables side by side in a box, each centred vertically (not split)
    FillIn          a heading followed by lines to write on by hand
    SignatureBlock  rows of role, name, 签字 and 日期 lines
    Anchor          a zero-size outline entry

Used by the consolidated report (`reports.consolidated_pdf`) and the score sheet
(`reports.sheet_pdf`). Only the bundled TrueType font is fast (`pdftext.show`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from tic_desktop.reports.pdftext import break_lines, show, width
from tic_desktop.reports.qr import GRID, MARGIN

WIDTH = A4[0] - 2 * MARGIN - 12
"""The frame's inner width (SimpleDocTemplate's frame pads 6 pt on each side)."""
RULE = colors.HexColor("#999999")


class TextLines(Flowable):
    """Paragraphs of plain text wrapped at any character (Chinese has no spaces to break at;
    pdftext.break_lines keeps punctuation and numbers in place), drawn with one text object;
    splits across pages between lines. What the report's headings, notes and comments need, at a
    fraction of the cost of a Paragraph each (no markup, one font, one colour).

    `indent`: lines after the first line of a paragraph start `indent` further right. A None in
    `paras` is a gap of `gap` points (between the blocks of several people's comments: one
    flowable for them all). `keep`: the height that must follow on the same page, else the text
    moves to the next page (a heading; like a CondPageBreak before it, one flowable less).
    `anchors`: outline entries (key, title, level) pointing at the text's top."""

    def __init__(self, paras: Sequence[str | None], font: str, size: float, leading: float, indent: float = 0, *,
                 ink: Any = None, center: bool = False, before: float = 0, after: float = 0, gap: float = 0,
                 keep: float = 0, anchors: Sequence[tuple[str, str, int]] = ()) -> None:
        super().__init__()
        self.keep, self.anchors = keep, anchors
        self.paras = [part for para in paras for part in ((None,) if para is None else para.split("\n"))]
        self.font, self.size, self.leading, self.indent, self.gap = font, size, leading, indent, gap
        self.ink, self.center = ink, center
        self.spaceBefore, self.spaceAfter = before, after
        self._wrapped: list[tuple[str | None, float, float]] = []  # (text or None for a gap, x, advance)
        self._for_width = -1.0

    def _wrap_lines(self, avail: float) -> list[tuple[str | None, float, float]]:
        if avail == self._for_width:
            return self._wrapped
        out: list[tuple[str | None, float, float]] = []
        for para in self.paras:
            if para is None:
                out.append((None, 0.0, self.gap))
                continue
            for i, line in enumerate(break_lines(para, avail, self.font, self.size, self.indent)):
                out.append((line, self.indent if i else 0.0, self.leading))
        self._wrapped, self._for_width = out, avail
        return out

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = sum(advance for _, _, advance in self._wrap_lines(avail_width))
        if self.keep and avail_height < self.height + self.spaceAfter + self.keep:
            return self.width, avail_height + 1  # does not fit here: the frame moves it on
        return self.width, self.height

    def _part(self, lines: list[tuple[str | None, float, float]], avail_width: float, first: bool) -> TextLines:
        while lines and lines[0][0] is None:
            lines = lines[1:]
        while lines and lines[-1][0] is None:
            lines = lines[:-1]
        t = TextLines([], self.font, self.size, self.leading, self.indent, ink=self.ink, center=self.center,
                      before=self.spaceBefore if first else 0, after=0 if first else self.spaceAfter, gap=self.gap)
        t._wrapped, t._for_width = lines, avail_width
        return t

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        if self.keep:
            return []
        wrapped = self._wrap_lines(avail_width)
        used, fit = 0.0, 0
        while fit < len(wrapped) and used + wrapped[fit][2] <= avail_height:
            used += wrapped[fit][2]
            fit += 1
        if fit >= len(wrapped) or not any(text is not None for text, _, _ in wrapped[:fit]):
            return []
        return [self._part(wrapped[:fit], avail_width, True), self._part(wrapped[fit:], avail_width, False)]

    def draw(self) -> None:
        for key, title, level in self.anchors:
            Anchor(key, title, level).mark(self.canv, self.height)
        t = self.canv.beginText()
        t.setFont(self.font, self.size)
        if self.ink is not None:
            t.setFillColor(self.ink)
        y = self.height - self.size
        for text, x, advance in self._wrapped:
            if text is not None:
                if self.center:
                    x = (self.width - width(text, self.font, self.size)) / 2
                show(t, x, y, text)
            y -= advance
        self.canv.drawText(t)


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


class Stack(Flowable):
    """Flowables one above the other as one block of `width` (not split): a cell's content."""

    def __init__(self, parts: Sequence[Flowable], width: float) -> None:
        super().__init__()
        self.parts, self.width = list(parts), width
        self._sizes: list[tuple[float, float, float]] = []  # (space before, height, space after)
        for f in self.parts:
            _, h = f.wrap(width, A4[1])
            self._sizes.append((f.getSpaceBefore(), h, f.getSpaceAfter()))
        self.height = sum(b + h + a for b, h, a in self._sizes)

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        y = self.height
        for f, (before, h, after) in zip(self.parts, self._sizes, strict=True):
            y -= before + h
            f.drawOn(self.canv, 0, y)
            y -= after


class Beside(Flowable):
    """Flowables side by side in columns of `widths`, each centred vertically, in a ruled box
    (`box`: line width, 0 for none) with `pad` inside every column. Not split."""

    def __init__(self, parts: Sequence[Flowable], widths: Sequence[float], *, pad: float = 4, box: float = 0.6,
                 rule: Any = GRID, h_align: str = "LEFT") -> None:
        super().__init__()
        self.hAlign = h_align
        self.parts, self.widths, self.pad, self.box, self.rule = list(parts), list(widths), pad, box, rule
        self._heights = [f.wrap(w - 2 * pad, A4[1])[1] for f, w in zip(self.parts, self.widths, strict=True)]
        self.width, self.height = sum(self.widths), max(self._heights, default=0) + 2 * pad

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        if self.box:
            c.saveState()
            c.setStrokeColor(self.rule)
            c.setLineWidth(self.box)
            c.rect(0, 0, self.width, self.height, stroke=1, fill=0)
            c.restoreState()
        x = 0.0
        for f, w, h in zip(self.parts, self.widths, self._heights, strict=True):
            f.drawOn(self.canv, x + self.pad, (self.height - h) / 2)
            x += w


class FillIn(Flowable):
    """A heading followed by ruled lines to write on by hand (an empty section of the panel
    opinion): the heading sits on the first line. Not split."""

    def __init__(self, label: str, lines: int, font: str, size: float = 9.5, pitch: float = 7 * mm) -> None:
        super().__init__()
        self.label, self.lines, self.font, self.size, self.pitch = label, lines, font, size, pitch
        self.width, self.height = WIDTH, lines * pitch + 1.5 * mm
        self.spaceAfter = 1 * mm

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        c.saveState()
        c.setStrokeColor(RULE)
        c.setLineWidth(0.4)
        label_w = width(self.label, self.font, self.size) + 1.5 * mm
        path = c.beginPath()
        for i in range(self.lines):
            y = self.height - (i + 1) * self.pitch
            path.moveTo(label_w if i == 0 else 0, y)
            path.lineTo(self.width, y)
        c.drawPath(path, stroke=1, fill=0)
        t = c.beginText()
        t.setFont(self.font, self.size)
        show(t, 0, self.height - self.pitch + 1.2, self.label)
        c.drawText(t)
        c.restoreState()


class SignatureBlock(Flowable):
    """Rows of 角色 · 姓名 · 签字：____ · 日期：____年　月　日, one per person; names left blank
    get a line to write on. Not split."""

    ROW = 8.5 * mm
    COLS = (24 * mm, 30 * mm, 13 * mm, 50 * mm, 13 * mm)

    def __init__(self, rows: Sequence[tuple[str, str]], font: str, done: Callable[[], None] | None = None,
                 size: float = 9) -> None:
        super().__init__()
        self.rows, self.font, self.size, self.done = list(rows), font, size, done
        self.width, self.height = WIDTH, len(self.rows) * self.ROW

    def wrap(self, *_: Any) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        xs = [0.0]
        for w in self.COLS:
            xs.append(xs[-1] + w)
        c.saveState()
        c.setStrokeColor(GRID)
        c.setLineWidth(0.5)
        path = c.beginPath()
        t = c.beginText()
        t.setFont(self.font, self.size)
        date = "年　　月　　日"
        for i, (role, name) in enumerate(self.rows):
            base = self.height - (i + 1) * self.ROW + 2.2
            line = base - 2.2
            if role:
                show(t, 0, base, role)
            if name:
                show(t, xs[1] + 2, base, name)
            else:
                path.moveTo(xs[1], line)
                path.lineTo(xs[2] - 3 * mm, line)
            for caption, right in (("签字：", xs[3]), ("日期：", xs[5])):
                show(t, right - width(caption, self.font, self.size) - 1, base, caption)
            path.moveTo(xs[3], line)
            path.lineTo(xs[4] - 2 * mm, line)
            path.moveTo(xs[5], line)
            path.lineTo(self.width, line)
            show(t, self.width - width(date, self.font, self.size) - 2, base, date)
        c.drawPath(path, stroke=1, fill=0)
        c.drawText(t)
        c.restoreState()
        if self.done is not None:
            self.done()




class Anchor(Flowable):
    """A zero-size mark: an outline entry pointing (XYZ) at where it is drawn."""

    def __init__(self, key: str, title: str, level: int) -> None:
        super().__init__()
        self.key, self.title, self.level = key, title, level
        self.width = self.height = 0

    def wrap(self, *_: Any) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.mark(self.canv, 0)

    def mark(self, canv: Any, y: float) -> None:
        """Bookmark the point `y` above the current origin of `canv`."""
        _, top = canv.absolutePosition(0, y)
        canv.bookmarkPage(self.key, fit="XYZ", left=0, top=min(A4[1], top + 8 * mm))
        canv.addOutlineEntry(self.title, self.key, level=self.level, closed=self.level == 0)
