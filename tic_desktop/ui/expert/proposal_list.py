"""ProposalList: the expert's proposals with their status, a filter box and overall progress.

Rows are plain `ProposalRow`s; the list model turns a status into a drawn icon and a translated
word, and a QSortFilterProxyModel filters on name, field, id and status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QPointF,
    QRect,
    QRectF,
    QSize,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QLineEdit,
    QListView,
    QProgressBar,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.ui.expert.proposal_text import name_lines, status_line

Index = QModelIndex | QPersistentModelIndex

STATUSES = ("not_started", "in_progress", "complete", "signed", "conflict")
DONE_STATUSES = frozenset({"complete", "signed"})

ID_ROLE = Qt.ItemDataRole.UserRole + 1
STATUS_ROLE = Qt.ItemDataRole.UserRole + 2
FIELD_ROLE = Qt.ItemDataRole.UserRole + 3
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 4

_COLORS = {
    "not_started": QColor("#8a8f98"),
    "in_progress": QColor("#d08a1e"),
    "complete": QColor("#2e8b57"),
    "signed": QColor("#2f6db5"),
    "conflict": QColor("#b03a3a"),
}


@dataclass(frozen=True)
class ProposalRow:
    id: str
    center_name: str
    field: str
    status: str  # one of STATUSES


def _status_text(status: str) -> str:
    texts = {
        "not_started": QCoreApplication.translate("ProposalList", "未开始"),
        "in_progress": QCoreApplication.translate("ProposalList", "进行中"),
        "complete": QCoreApplication.translate("ProposalList", "已完成"),
        "signed": QCoreApplication.translate("ProposalList", "已签名"),
        "conflict": QCoreApplication.translate("ProposalList", "回避"),
    }
    return texts.get(status, status)


def _status_icon(status: str, size: int = 32) -> QIcon:
    """Drawn, so that it looks the same on every platform and font (no emoji needed)."""
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    color = _COLORS.get(status, _COLORS["not_started"])
    pen = QPen(color, size / 11)
    p.setPen(pen)
    r = QRectF(size * 0.14, size * 0.14, size * 0.72, size * 0.72)
    if status == "not_started":
        p.drawEllipse(r)
    elif status == "in_progress":
        p.drawEllipse(r)
        p.setBrush(color)
        p.drawPie(r, 90 * 16, 180 * 16)
    elif status == "complete":
        p.setBrush(color)
        p.drawEllipse(r)
        p.setPen(QPen(QColor("white"), size / 9, Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap,
                      Qt.PenJoinStyle.RoundJoin))
        path = QPainterPath(QPointF(size * 0.32, size * 0.52))
        path.lineTo(size * 0.45, size * 0.64)
        path.lineTo(size * 0.68, size * 0.38)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawPath(path)
    elif status == "signed":
        p.setBrush(color)
        p.drawRoundedRect(QRectF(size * 0.22, size * 0.46, size * 0.56, size * 0.4), size * 0.06, size * 0.06)
        p.setBrush(Qt.BrushStyle.NoBrush)
        p.drawArc(QRectF(size * 0.32, size * 0.16, size * 0.36, size * 0.5), 0, 180 * 16)
        p.drawLine(QPointF(size * 0.32, size * 0.41), QPointF(size * 0.32, size * 0.47))
        p.drawLine(QPointF(size * 0.68, size * 0.41), QPointF(size * 0.68, size * 0.47))
    else:  # conflict: a circle with a slash
        p.drawEllipse(r)
        p.drawLine(QPointF(size * 0.26, size * 0.74), QPointF(size * 0.74, size * 0.26))
    p.end()
    return QIcon(pix)


class ProposalListModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[ProposalRow] = []
        self._icons = {status: _status_icon(status) for status in STATUSES}

    def set_rows(self, rows: Sequence[ProposalRow]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def rows(self) -> list[ProposalRow]:
        return list(self._rows)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return row.center_name
        if role == Qt.ItemDataRole.DecorationRole:
            return self._icons.get(row.status)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.center_name}\n{row.field} · {_status_text(row.status)}"
        if role == Qt.ItemDataRole.AccessibleTextRole:
            return f"{row.center_name}，{row.field}，{_status_text(row.status)}"
        if role == ID_ROLE:
            return row.id
        if role == STATUS_ROLE:
            return row.status
        if role == FIELD_ROLE:
            return row.field
        if role == SEARCH_ROLE:
            return f"{row.id} {row.center_name} {row.field} {_status_text(row.status)}"
        return None


PADDING_X, PADDING_Y = 8, 6
"""Space around a row's content (logical pixels)."""


class _ProposalDelegate(QStyledItemDelegate):
    """The center's name (on two lines when it is long, see `name_lines`), then its field and status in a
    quieter colour. Rows are as wide as the list — never a horizontal scroll bar that hides the names."""

    def __init__(self, view: QListView) -> None:
        super().__init__(view)
        self._view = view

    def text_width(self, font: QFont) -> int:
        """Pixels for the text of a row in the list as wide as it is now (after the icon)."""
        return self._view.viewport().width() - 2 * PADDING_X - QFontMetrics(font).height() - 8

    def lines(self, index: Index) -> list[str]:
        """The name's lines as drawn at the list's current width (for the tests and the row height)."""
        return self._lines(index, self._view.font())

    def _lines(self, index: Index, font: QFont) -> list[str]:
        return name_lines(str(index.data(Qt.ItemDataRole.DisplayRole) or ""), font, self.text_width(font))

    def sizeHint(self, option: QStyleOptionViewItem, index: Index) -> QSize:  # noqa: N802 - Qt API
        fm = option.fontMetrics
        lines = len(self._lines(index, option.font)) + 1
        return QSize(max(1, self._view.viewport().width()), fm.height() * lines + 2 * (lines - 1) + 2 * PADDING_Y)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        widget = opt.widget
        style = widget.style() if widget is not None else None
        icon = index.data(Qt.ItemDataRole.DecorationRole) or QIcon()
        opt.text = ""
        opt.icon = QIcon()
        if style is not None:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect: QRect = opt.rect.adjusted(PADDING_X, PADDING_Y, -PADDING_X, -PADDING_Y)
        icon_size = opt.fontMetrics.height()
        icon.paint(painter, QRect(rect.left(), rect.top() + 1, icon_size, icon_size))
        text_left = rect.left() + icon_size + 8
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        group = QPalette.ColorGroup.Active
        main = opt.palette.color(group, QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text)
        painter.save()
        painter.setPen(main)
        fm = opt.fontMetrics
        width = rect.right() - text_left
        top = rect.top()
        for text in self._lines(index, opt.font):
            painter.drawText(QRect(text_left, top, width, fm.height()),
                             Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, text)
            top += fm.height() + 2
        status = index.data(STATUS_ROLE)
        if not selected:
            painter.setPen(_COLORS.get(status, main) if status == "conflict" else QColor("#6b7280"))
        painter.drawText(QRect(text_left, top, width, fm.height()), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                         status_line(str(index.data(FIELD_ROLE) or ""), _status_text(status), opt.font, width))
        painter.restore()


class ProposalList(QWidget):
    proposalSelected = Signal(str)  # noqa: N815 - Qt signal naming

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = ProposalListModel(self)
        self._silent = False
        self._proxy = QSortFilterProxyModel(self)
        self._proxy.setSourceModel(self._model)
        self._proxy.setFilterRole(SEARCH_ROLE)
        self._proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)

        self._heading = QLabel(self)
        self._heading.setObjectName("proposalListHeading")
        font = self._heading.font()
        font.setBold(True)
        self._heading.setFont(font)
        self._filter = QLineEdit(self)
        self._filter.setPlaceholderText(self.tr("筛选：名称、领域或编号"))
        self._filter.setClearButtonEnabled(True)
        self._filter.setAccessibleName(self.tr("筛选申报项目"))
        self._view = QListView(self)
        self._view.setModel(self._proxy)
        self._view.setItemDelegate(_ProposalDelegate(self._view))
        self._view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        # rows as wide as the list, laid out again (a long name re-broken) whenever it is resized
        self._view.setUniformItemSizes(False)
        self._view.setResizeMode(QListView.ResizeMode.Adjust)
        self._view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._view.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self._view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self._view.setAccessibleName(self.tr("申报项目列表"))
        self._progress = QProgressBar(self)
        self._progress.setTextVisible(False)
        self._progress.setAccessibleName(self.tr("评审进度"))
        self._progress.setFixedHeight(8)
        self._progress_label = QLabel(self)
        self._progress_label.setAccessibleName(self.tr("评审进度"))

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.setSpacing(6)
        layout.addWidget(self._heading)
        layout.addWidget(self._filter)
        layout.addWidget(self._view, 1)
        layout.addWidget(self._progress_label)
        layout.addWidget(self._progress)
        self._connect()
        self._update_progress()

    def _connect(self) -> None:
        self._filter.textChanged.connect(self._on_filter_changed)
        self._view.selectionModel().currentChanged.connect(self._on_current_changed)

    # -- API ---------------------------------------------------------------------------------
    def focus_target(self) -> QWidget:
        """What Ctrl+1 focuses: the list itself (arrows choose a proposal)."""
        return self._view

    def model(self) -> QAbstractListModel:
        """The source model (for tests and for the shell's accessibility checks)."""
        return self._model

    def set_rows(self, rows: Sequence[ProposalRow]) -> None:
        """Replace the rows, keeping the current proposal selected if it is still there."""
        current = self.current_id()
        self._silent = True
        try:
            self._model.set_rows(rows)
        finally:
            self._silent = False
        self._update_progress()
        if current is not None:
            self._select_silently(current)

    def select(self, proposal_id: str) -> bool:
        index = self._proxy_index(proposal_id)
        if index is None:
            return False
        self._view.setCurrentIndex(index)
        return True

    def current_id(self) -> str | None:
        index = self._view.currentIndex()
        return index.data(ID_ROLE) if index.isValid() else None

    def select_next(self) -> None:
        self._step(1)

    def select_previous(self) -> None:
        self._step(-1)

    # -- handlers ----------------------------------------------------------------------------
    def _on_filter_changed(self, text: str) -> None:
        self._proxy.setFilterFixedString(text.strip())

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if current.isValid() and not self._silent:
            self.proposalSelected.emit(current.data(ID_ROLE))

    # -- helpers -----------------------------------------------------------------------------
    def _step(self, delta: int) -> None:
        count = self._proxy.rowCount()
        if count == 0:
            return
        row = self._view.currentIndex().row()
        target = 0 if row < 0 else min(max(row + delta, 0), count - 1)
        if target != row:
            self._view.setCurrentIndex(self._proxy.index(target, 0))

    def _proxy_index(self, proposal_id: str) -> QModelIndex | None:
        for row in range(self._proxy.rowCount()):
            index = self._proxy.index(row, 0)
            if index.data(ID_ROLE) == proposal_id:
                return index
        return None

    def _select_silently(self, proposal_id: str) -> None:
        index = self._proxy_index(proposal_id)
        if index is not None:
            self._silent = True
            try:
                self._view.setCurrentIndex(index)
            finally:
                self._silent = False

    def _update_progress(self) -> None:
        rows = self._model.rows()
        counted = [r for r in rows if r.status != "conflict"]
        done = sum(1 for r in counted if r.status in DONE_STATUSES)
        self._heading.setText(self.tr("申报项目（{count}）").format(count=len(rows)))
        self._progress.setRange(0, max(1, len(counted)))
        self._progress.setValue(done)
        text = self.tr("已完成 {done}/{total}").format(done=done, total=len(counted))
        self._progress.setFormat(text)
        self._progress.setToolTip(text)
        self._progress_label.setText(text)

    def progress_text(self) -> str:
        return self._progress_label.text()
