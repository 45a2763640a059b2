"""Names that people compare by eye (the agency's name in a batch): normalised, and refused when they
hide characters.

A name is compared in its NFKC form (full-width and half-width letters, compatibility forms and the
ideographic space are one); `name_key` also folds case, so "ABC Centre" and "ａｂｃ centre" are the
same agency. `name_problem` says why a name cannot be shown honestly: control or format characters
(zero-width spaces and joiners, bidi controls, BOM, soft hyphen), other invisible characters (Hangul
fillers, the braille blank, variation selectors, the combining grapheme joiner), line or paragraph
separators, private-use or unassigned code points, whitespace at either end or doubled inside
(after normalisation), or nothing at all.
"""

from __future__ import annotations

import unicodedata

_BAD_CATEGORIES = {"Cc": "control", "Cf": "invisible", "Co": "private_use", "Cs": "surrogate",
                   "Cn": "unassigned", "Zl": "line_separator", "Zp": "line_separator"}
_INVISIBLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x2800, 0x3164, 0xFFA0}
_INVISIBLE_RANGES = ((0xFE00, 0xFE0F), (0xE0100, 0xE01EF))  # variation selectors


def normalise_name(name: str) -> str:
    """The NFKC form of `name` (what is stored and shown)."""
    return unicodedata.normalize("NFKC", name)


def name_key(name: str) -> str:
    """What two names are compared by: NFKC, case folded, NFKC again."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


def _invisible(ch: str) -> bool:
    code = ord(ch)
    return code in _INVISIBLE or any(lo <= code <= hi for lo, hi in _INVISIBLE_RANGES)


def name_problem(name: str) -> str | None:
    """None for an honest name, else what is wrong (`empty`, `invisible`, `control`, `whitespace`, …)
    with the offending code point, e.g. `invisible U+200B`."""
    text = normalise_name(name)
    if not text.strip():
        return "empty"
    for ch in text:
        category = unicodedata.category(ch)
        if category in _BAD_CATEGORIES:
            return f"{_BAD_CATEGORIES[category]} U+{ord(ch):04X}"
        if _invisible(ch):
            return f"invisible U+{ord(ch):04X}"
        if category == "Zs" and ch != " ":
            return f"whitespace U+{ord(ch):04X}"
    if text != text.strip() or "  " in text:
        return "whitespace"
    return None
