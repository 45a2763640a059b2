"""Fast plain text for reports with hundreds of pages: measuring, breaking and writing lines.

reportlab's `textOut` splits every string into font subsets, escapes it and formats the operators
on each call; a batch report writes the same short strings ("8.00", "—", names) tens of thousands
of times. `show()` caches that work per canvas and string and appends the operators to a text
object directly: the same PDF operators, a fraction of the cost. `width()` caches string widths;
`break_lines()` wraps Chinese text at any character, keeping closing punctuation off the start of
a line, opening brackets off the end of one, and Latin words and numbers whole.

Only for the bundled TrueType font (a "dynamic" reportlab font); other fonts fall back to
reportlab's own `textOut`.
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth

NO_LINE_START = frozenset("，。、；：？！）》」』】〕〉”’,.;:?!)]}%·…—")
"""Characters that must not begin a line (they stay with the character before them)."""
NO_LINE_END = frozenset("（《「『【〔〈“‘([{")
"""Characters that must not end a line (they go on with the character after them)."""

_CACHE = "_tic_text_cache"
_widths: dict[tuple[str, str, float], float] = {}


def width(text: str, font: str, size: float) -> float:
    """`stringWidth`, cached (the strings of a report repeat a lot)."""
    key = (text, font, size)
    w = _widths.get(key)
    if w is None:
        if len(_widths) > 200_000:
            _widths.clear()
        w = _widths[key] = stringWidth(text, font, size)
    return w


def _word_char(ch: str) -> bool:
    return ch.isascii() and (ch.isalnum() or ch in ".-_/+%")


def break_lines(text: str, avail: float, font: str, size: float, indent: float = 0.0) -> list[str]:
    """`text` (one paragraph, no newline) as lines no wider than `avail`; lines after the first
    are `indent` narrower. A line breaks between any two characters except before closing
    punctuation and inside a run of Latin letters and digits (when the run is shorter than a line)."""
    if width(text, font, size) <= avail:
        return [text]
    lines: list[str] = []
    start, used, limit = 0, 0.0, avail
    i = 0
    n = len(text)
    while i < n:
        w = width(text[i], font, size)
        if used + w > limit and i > start:
            cut = i
            while text[cut] in NO_LINE_START and cut - 1 > start:
                cut -= 1  # take the character before along, the punctuation stays with it
            if _word_char(text[cut]) and _word_char(text[cut - 1]):
                j = cut
                while j > start and _word_char(text[j - 1]):
                    j -= 1
                if j > start:
                    cut = j
            while text[cut - 1] in NO_LINE_END and cut - 1 > start:
                cut -= 1  # an opening bracket goes on to the next line with what it opens
            lines.append(text[start:cut])
            start, limit = cut, avail - indent
            used = width(text[start:i], font, size) if cut < i else 0.0
            continue
        used += w
        i += 1
    lines.append(text[start:])
    return lines


def fit(text: str, avail: float, font: str, size: float) -> str:
    """`text` broken into lines that fit in `avail` (joined by newlines; newlines kept)."""
    return "\n".join(line for part in text.split("\n") for line in break_lines(part, avail, font, size))


def show(t: Any, x: float, y: float, text: str) -> None:
    """Write `text` at (x, y) into the reportlab text object `t` in its current font and size."""
    canv = t._canvas
    font = getFont(t._fontname)
    if not font._dynamicFont or not canv.bottomup:
        t.setTextOrigin(x, y)
        t.textOut(text)
        return
    cache: dict[Any, Any] | None = canv.__dict__.get(_CACHE)
    if cache is None:
        cache = canv.__dict__[_CACHE] = {}
    code = t._code
    code.append(f"1 0 0 1 {fp_str(x, y)} Tm")
    key = (t._fontname, text)
    runs = cache.get(key)
    if runs is None:
        # splitString assigns each new character its subset code once per document; afterwards
        # the result for a string never changes, so it can be kept for the canvas's life
        runs = cache[key] = [(subset, f"({canv._escape(chunk)}) Tj")
                             for subset, chunk in font.splitString(text, canv._doc)]
    for subset, op in runs:
        if subset != t._curSubset:
            fkey = (t._fontname, subset, t._fontsize, t._leading)
            select = cache.get(fkey)
            if select is None:
                select = cache[fkey] = (f"{font.getSubsetInternalName(subset, canv._doc)} "
                                        f"{fp_str(t._fontsize)} Tf {fp_str(t._leading)} TL")
            code.append(select)
            t._curSubset = subset
        code.append(op)
