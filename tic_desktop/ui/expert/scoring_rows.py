"""CriterionRow: one scored criterion of the scoring form (score, band, N/A, comment, levels).

The row checks only what the form itself states about an entry (0 to max in the form's step);
bands, required comments and totals come from `core.scoring` through the ScoringForm.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from PySide6.QtCore import QRegularExpression, Qt, Signal
from PySide6.QtGui import QKeyEvent, QRegularExpressionValidator
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QLineEdit, QWidget

from tic_desktop.core.forms import Band, Criterion


def format_points(value: Decimal, step: Decimal | None = None) -> str:
    """'7.5', '6', or with the step's decimals ('5.0') when a step is given."""
    if step is not None:
        exponent = min(step.normalize().as_tuple().exponent, 0)
        return format(value.quantize(Decimal(1).scaleb(exponent)), "f")
    text = format(value.normalize(), "f")
    return text


def _decimals(step: Decimal) -> int:
    return max(0, -step.normalize().as_tuple().exponent)


class _ScoreEdit(QLineEdit):
    """A points entry: digits in the form's step; Up/Down add or take one step."""

    stepped = Signal()

    def __init__(self, step: Decimal, maximum: Decimal, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.step = step
        self.maximum = maximum
        decimals = _decimals(step)
        pattern = r"^\d{0,3}$" if decimals == 0 else rf"^\d{{0,3}}(\.\d{{0,{decimals}}})?$"
        self.setValidator(QRegularExpressionValidator(QRegularExpression(pattern), self))
        self.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.setPlaceholderText("—")
        self.setFixedWidth(64)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        if event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and not self.isReadOnly():
            try:
                current = Decimal(self.text()) if self.text() else None
            except InvalidOperation:
                current = None
            delta = self.step if event.key() == Qt.Key.Key_Up else -self.step
            value = Decimal(0) if current is None else min(max(current + delta, Decimal(0)), self.maximum)
            self.setText(format_points(value, self.step))
            self.stepped.emit()
            return
        super().keyPressEvent(event)


class CriterionRow(QWidget):
    scoreEdited = Signal(str, object)  # noqa: N815 - criterion id, Decimal | None
    naToggled = Signal(str, bool)  # noqa: N815
    commentEdited = Signal(str, object)  # noqa: N815 - criterion id, str | None

    def __init__(self, criterion: Criterion, bands: tuple[Band, ...], step: Decimal, lang: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.criterion = criterion
        self._step = step
        self._score: Decimal | None = None
        self._comment: str | None = None
        self._bands = {b.code: b for b in bands}
        c = criterion
        label_text = c.label.get(lang)
        levels = self._levels_text(lang)

        self.label = QLabel(self.tr("{id}  {label}").format(id=c.id, label=label_text), self)
        self.label.setWordWrap(True)
        self.label.setObjectName("criterionLabel")
        # never one or two characters a line: the panel's minimum width keeps room for a short phrase
        self.label.setMinimumWidth(self.label.fontMetrics().horizontalAdvance("1.1  必要性与可行"))
        self.max_label = QLabel(self.tr("满分 {max}").format(max=format_points(c.max)), self)
        self.max_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.max_label.setObjectName("criterionMax")
        self.score_edit = _ScoreEdit(step, c.max, self)
        self.score_edit.setAccessibleName(self.tr("第 {id} 项得分（满分 {max}）").format(
            id=c.id, max=format_points(c.max)))
        self.band_label = QLabel(self)
        self.band_label.setObjectName("criterionBand")
        self.band_label.setFixedWidth(44)
        self.band_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.na_box: QCheckBox | None = None
        if c.na_allowed:
            self.na_box = QCheckBox(self.tr("不适用"), self)
            self.na_box.setAccessibleName(self.tr("第 {id} 项不适用").format(id=c.id))
        self.comment_edit = QLineEdit(self)
        self.comment_edit.setAccessibleName(self.tr("第 {id} 项评语").format(id=c.id))
        self.comment_edit.setObjectName("criterionComment")
        self.comment_edit.setMaxLength(2000)
        self._levels = levels
        self.levels_label: QLabel | None = None  # made when the expert first shows the levels
        self.note = QLabel(self)
        self.note.setObjectName("criterionNote")
        self.note.setWordWrap(True)
        self.note.setVisible(False)

        for w in (self.label, self.max_label, self.score_edit):
            w.setToolTip(levels)

        self._grid = grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(3)
        grid.addWidget(self.label, 0, 0)
        grid.addWidget(self.max_label, 0, 1)
        grid.addWidget(self.score_edit, 0, 2)
        grid.addWidget(self.band_label, 0, 3)
        na_slot = self.na_box if self.na_box is not None else QWidget(self)
        na_slot.setFixedWidth(72)
        grid.addWidget(na_slot, 0, 4)
        grid.addWidget(self.comment_edit, 1, 0, 1, 5)
        grid.addWidget(self.note, 3, 0, 1, 5)
        grid.setColumnStretch(0, 1)
        grid.setColumnMinimumWidth(1, 56)
        self.set_comment_required(False)
        self._connect()

    def _connect(self) -> None:
        self.score_edit.editingFinished.connect(self._on_score_finished)
        self.score_edit.stepped.connect(self._on_score_finished)
        self.score_edit.textEdited.connect(self._on_score_typing)
        self.comment_edit.editingFinished.connect(self._on_comment_finished)
        if self.na_box is not None:
            self.na_box.toggled.connect(self._on_na_toggled)

    # -- values (set without signals) --------------------------------------------------------
    def set_values(self, score: Decimal | None, na: bool, comment: str | None) -> None:
        self._score = None if na else score
        self._comment = comment or None
        self.score_edit.setText("" if self._score is None else format_points(self._score, self._step))
        self.comment_edit.setText(self._comment or "")
        if self.na_box is not None:
            self.na_box.blockSignals(True)
            self.na_box.setChecked(na)
            self.na_box.blockSignals(False)
        self.score_edit.setEnabled(not na and self.isEnabled())
        self._show_note(None)

    def set_band(self, code: str | None, lang: str) -> None:
        band = self._bands.get(code) if code else None
        text, prop = ("", "") if band is None else (f"{band.code} {band.label.get(lang)}", band.code)
        self.band_label.setToolTip(text)
        if text and self.band_label.fontMetrics().horizontalAdvance(text) > self.band_label.width() - 4:
            text = prop  # a long label (English) in the fixed-width column: the code, the label in the tooltip
        self.band_label.setText(text)
        # a re-polish costs ~0.1 ms a row and the whole form refreshes on every commit: only when it changes
        if self.band_label.property("band") != prop:
            self.band_label.setProperty("band", prop)
            self.band_label.style().unpolish(self.band_label)
            self.band_label.style().polish(self.band_label)

    def set_comment_required(self, required: bool, reason: str | None = None) -> None:
        changed = self.comment_edit.property("required") != required
        self.comment_edit.setProperty("required", required)
        if required:
            self.comment_edit.setPlaceholderText(reason or self.tr("必填：请填写评语"))
        else:
            self.comment_edit.setPlaceholderText(self.tr("评语（选填）"))
        self.comment_edit.setToolTip(reason or "")
        if changed:
            self.comment_edit.style().unpolish(self.comment_edit)
            self.comment_edit.style().polish(self.comment_edit)

    def set_restricted(self, note: str | None) -> None:
        """Disable the row for a role that does not score it, saying who does."""
        self.setEnabled(note is None)
        self._show_note(note, error=False)

    def set_read_only(self, read_only: bool) -> None:
        self.score_edit.setReadOnly(read_only)
        self.comment_edit.setReadOnly(read_only)
        if self.na_box is not None:
            self.na_box.setEnabled(not read_only)

    def set_agency_na(self, reason: str | None, fixed: bool) -> None:
        """A batch where the agency decides N/A: the item shows 不适用, checked and disabled, when the
        agency set it for this center (with its reason), and no N/A box otherwise."""
        if self.na_box is None:
            return
        self.na_box.setVisible(fixed)
        self.na_box.setEnabled(False)
        self.na_box.blockSignals(True)
        self.na_box.setChecked(fixed)
        self.na_box.blockSignals(False)
        if fixed:
            text = self.tr("评审机构确定本项不适用") + (f"：{reason}" if reason else "")
            self.na_box.setToolTip(text)
            self._show_note(text + self.tr("（对所有专家相同）"), error=False)

    def set_levels_visible(self, visible: bool) -> None:
        if self.levels_label is None:
            if not visible:
                return
            self.levels_label = QLabel(self._levels, self)
            self.levels_label.setWordWrap(True)
            self.levels_label.setObjectName("criterionLevels")
            self.levels_label.setTextFormat(Qt.TextFormat.RichText)
            self._grid.addWidget(self.levels_label, 2, 0, 1, 5)
        self.levels_label.setVisible(visible)

    def focusables(self) -> list[QWidget]:
        widgets: list[QWidget] = [self.score_edit]
        if self.na_box is not None:
            widgets.append(self.na_box)
        widgets.append(self.comment_edit)
        return widgets

    # -- handlers ----------------------------------------------------------------------------
    def _on_score_typing(self, _text: str) -> None:
        self._show_note(None)

    def _on_score_finished(self) -> None:
        if self.score_edit.isReadOnly():
            return
        text = self.score_edit.text().strip()
        if not text:
            value = None
        else:
            try:
                value = Decimal(text)
            except InvalidOperation:
                value = None
            c = self.criterion
            if value is None or value < 0 or value > c.max or (value / self._step) % 1 != 0:
                self._show_note(self.tr("“{text}”不是有效分值：请输入 0 到 {max} 之间、以 {step} 为步长的分数。").format(
                    text=text, max=format_points(c.max), step=format_points(self._step)), error=True)
                self.score_edit.setText("" if self._score is None else format_points(self._score, self._step))
                return
            self.score_edit.setText(format_points(value, self._step))
        self._show_note(None)
        if value != self._score:
            self._score = value
            self.scoreEdited.emit(self.criterion.id, value)

    def _on_na_toggled(self, checked: bool) -> None:
        self.score_edit.setEnabled(not checked)
        if checked and self._score is not None:
            self._score = None
            self.score_edit.setText("")
            self.scoreEdited.emit(self.criterion.id, None)
        self.naToggled.emit(self.criterion.id, checked)

    def _on_comment_finished(self) -> None:
        if self.comment_edit.isReadOnly():
            return
        value = self.comment_edit.text().strip() or None
        if value != self._comment:
            self._comment = value
            self.commentEdited.emit(self.criterion.id, value)

    # -- helpers -----------------------------------------------------------------------------
    def _show_note(self, text: str | None, error: bool = True) -> None:
        if text is None and self.note.property("kind") == "restricted" and not self.isEnabled():
            return
        self.note.setText(text or "")
        kind = "error" if error else "restricted"
        if self.note.property("kind") != kind:  # re-polished (slow) only when the style changes
            self.note.setProperty("kind", kind)
            self.note.style().unpolish(self.note)
            self.note.style().polish(self.note)
        self.note.setVisible(bool(text))

    def _levels_text(self, lang: str) -> str:
        c = self.criterion
        lines = []
        if c.guidance is not None:
            lines.append(self.tr("<b>评分要点</b>：{text}").format(text=c.guidance.get(lang)))
        for code, band in self._bands.items():
            descriptor = c.levels.get(code)
            if descriptor is None:
                continue
            threshold = format_points((band.min_ratio * c.max).normalize())
            lines.append(self.tr("<b>{code} {label}</b>（{min} 分及以上）：{text}").format(
                code=code, label=band.label.get(lang), min=threshold, text=descriptor.get(lang)))
        return "<br>".join(lines)
