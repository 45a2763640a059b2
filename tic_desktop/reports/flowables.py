"""Plain-text flowables shared by the printed reports: fast where a report has many pages.

reportlab's `Paragraph` parses markup and measures word by word, and a platypus `Table` wraps and
draws every cell through several layers; a score sheet or a batch report prints hundreds of short
plain strings in one font. These flowables take the text as it is (wrapped by `pdftext`) and draw
it with one text object and one path per flowable:

    TextLines       paragraphs of plain text, split across pages between lines
    Grid            a ruled table of plain-text cells (spans, fills, per-cell size, ink, alignment);
                    it lives in `reports.grid` with its `Line`, `Cell` and `lines`, imported here too
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
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable

from tic_desktop.reports.grid import Cell as Cell  # the grid and its lines, imported from here too
from tic_desktop.reports.grid import Grid as Grid
from tic_desktop.reports.grid import Line as Line
from tic_desktop.reports.grid import lines as lines
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
