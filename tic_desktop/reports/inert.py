"""Spreadsheet cells that stay inert: no text an expert, a center or the chair typed becomes a formula.

Center names, expert names, comments and reasons come from files other people wrote. Opened in
Excel or LibreOffice, a CSV cell or an xlsx formula beginning with `=`, `+`, `-` or `@` is
evaluated (`=HYPERLINK(...)` leaks data on a click, `=cmd|...` runs programs on old Excel); a
leading tab or carriage return hides such a prefix from naive filters. Following OWASP's "CSV
Injection" advice, such a cell is prefixed with a single quote `'`, which spreadsheet programs show
and never evaluate. Fixed decimal numbers (`-1.50`, `91.20`, `7`) are not text and stay as they
are, so negative decimals stay numbers and scores.csv can still be added up by hand.

In xlsx every string is also stored as a string cell (openpyxl would store a string starting with
`=` as a formula and one like `#N/A` as an error), and the control characters xlsx cannot hold are
replaced by U+FFFD instead of failing the export.
"""

from __future__ import annotations

import re

from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.worksheet.worksheet import Worksheet

ACTIVE_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
"""First characters that make a spreadsheet program read a cell as a formula (OWASP)."""
QUOTE = "'"
_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def inert(text: str) -> str:
    """`text` as a cell no spreadsheet evaluates: prefixed with `'` when it begins with one of
    ACTIVE_PREFIXES, unless it is a plain decimal number such as `-1.50`."""
    if text.startswith(ACTIVE_PREFIXES) and not _NUMBER.fullmatch(text):
        return QUOTE + text
    return text


def inert_row(row: list[str]) -> list[str]:
    return [inert(cell) for cell in row]


def xlsx_text(text: str) -> str:
    """A string for an xlsx cell: inert, and without the control characters xlsx cannot store."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", inert(text))


def set_cell(ws: Worksheet, row: int, column: int, value: object):  # noqa: ANN201 - openpyxl's Cell
    """ws.cell(row, column, value) with a string always stored as an inert string cell (data_type
    's'), never as a formula or an error value."""
    if isinstance(value, str):
        c = ws.cell(row=row, column=column)
        c.value = xlsx_text(value)
        c.data_type = "s"
        return c
    return ws.cell(row=row, column=column, value=value)
