"""Inert spreadsheet cells: moved to `tic_desktop.reports.inert` (the writers of round.xlsx and the
公示 list in `reports` use them too, and `reports` comes before `agency`). Kept as a re-export."""

from tic_desktop.reports.inert import ACTIVE_PREFIXES, QUOTE, inert, inert_row, set_cell, xlsx_text

__all__ = ["ACTIVE_PREFIXES", "QUOTE", "inert", "inert_row", "set_cell", "xlsx_text"]
