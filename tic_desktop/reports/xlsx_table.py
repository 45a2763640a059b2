"""Plain xlsx tables for the round's workbooks (round.xlsx, publication.xlsx): a header row, rows of
inert cells (`reports.inert`: every string a string cell, OWASP quote prefix), numbers as numbers,
A4 print setup, the header frozen and repeated; written atomically and read back before it lands."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tic_desktop.core.atomic import atomic_write
from tic_desktop.reports.inert import set_cell

SHARED_MODE = 0o644
_THIN = Side(style="thin", color="666666")
BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEAD_FILL = PatternFill("solid", fgColor="EDEDED")
MARK_FILL = PatternFill("solid", fgColor="FFF1C2")
TITLE = Font(name="SimSun", size=14, bold=True)
BOLD = Font(name="SimSun", size=10, bold=True)
BODY = Font(name="SimSun", size=10)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
Value = str | int | Decimal | None


def table(ws: Worksheet, header: Sequence[str], rows: Sequence[Sequence[Value]], *, widths: Sequence[float],
          first: int = 1, marked: Sequence[int] = (), landscape: bool = True) -> int:
    """Write `header` at row `first` and `rows` below it; `marked`: indexes of rows to shade. Returns
    the last row written."""
    for j, h in enumerate(header, 1):
        c = set_cell(ws, first, j, h)
        c.font, c.alignment, c.fill, c.border = BOLD, CENTER, HEAD_FILL, BOX
    shade = set(marked)
    for i, row in enumerate(rows):
        for j, v in enumerate(row, 1):
            c = set_cell(ws, first + 1 + i, j, v)
            c.font, c.border = BODY, BOX
            c.alignment = LEFT if isinstance(v, str) else CENTER
            if isinstance(v, Decimal):
                c.number_format = "0.00" if v == v.quantize(Decimal("0.01")) else "0.000000"
            if i in shade:
                c.fill = MARK_FILL
    for j, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.freeze_panes = ws.cell(row=first + 1, column=1)
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{first}:{first}"
    return first + len(rows)


def workbook_bytes(wb: Workbook) -> bytes:
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def check(sheets: Sequence[str]) -> Callable[[Path], None]:
    """atomic_write's check: the file opens as a workbook with these sheets."""

    def verify(path: Path) -> None:
        with open(path, "rb") as fh:  # a file object: openpyxl refuses the temp file's .part name
            wb = load_workbook(fh, read_only=True)
            try:
                if wb.sheetnames != list(sheets):
                    raise ValueError(f"unexpected sheets {wb.sheetnames}")
            finally:
                wb.close()

    return verify


def write_workbook(path: Path, wb: Workbook) -> Path:
    atomic_write(Path(path), workbook_bytes(wb), verify=check(wb.sheetnames), mode=SHARED_MODE)
    return Path(path)
