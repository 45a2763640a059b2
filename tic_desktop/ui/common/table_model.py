"""TableModel: a read-only table fed plain rows (as in Vorta), for the budget and KPI tables.

A cell is either a plain value (shown with str(), right-aligned when it is a number column) or a
dict of Qt roles to values, for a cell that needs a colour, a tooltip or an icon. The model knows
nothing of budgets or KPIs: the panels format their figures and hand over rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QLocale, QModelIndex, QPersistentModelIndex, Qt

Index = QModelIndex | QPersistentModelIndex

LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
CENTER = Qt.AlignmentFlag.AlignCenter


def ui_language() -> str:
    """'en' when the UI was switched to English (i18n sets QLocale's default), else 'zh'."""
    return "en" if QLocale().language() == QLocale.Language.English else "zh"


class TableModel(QAbstractTableModel):
    def __init__(self, headers: Sequence[str], alignments: Sequence[Qt.AlignmentFlag] | None = None,
                 parent: Any = None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._alignments = list(alignments) if alignments is not None else [LEFT] * len(self._headers)
        self._rows: list[Sequence[Any]] = []

    def set_rows(self, rows: Sequence[Sequence[Any]]) -> None:
        self.beginResetModel()
        self._rows = [tuple(row) for row in rows]
        self.endResetModel()

    def set_headers(self, headers: Sequence[str]) -> None:
        self._headers = list(headers)
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, max(0, len(self._headers) - 1))

    def rows(self) -> list[Sequence[Any]]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if index.column() >= len(row):
            return None
        cell = row[index.column()]
        if isinstance(cell, Mapping):
            if role in cell:
                return cell[role]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self._alignment(index.column())
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if cell is None else str(cell)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return self._alignment(index.column())
        return None

    def headerData(self, section: int, orientation: Qt.Orientation,  # noqa: N802 - Qt API
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self._headers):
            if role == Qt.ItemDataRole.DisplayRole:
                return self._headers[section]
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self._alignment(section)
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def _alignment(self, column: int) -> int:
        align = self._alignments[column] if column < len(self._alignments) else LEFT
        return int(align.value if hasattr(align, "value") else align)
