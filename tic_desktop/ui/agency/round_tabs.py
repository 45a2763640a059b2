"""The tabs of the round page (`round_page.RoundPage`), views only: each shows part of a
`RoundReport` and hands what the user entered to the page, which calls the agency service.

- RankingTab: per form and center type the cohort ranking, raw and normalised side by side; a
  center whose conclusion changes under normalisation is shaded and marked "≠" in 提示.
- PanelsTab: each panel's totals against the round, and each expert against the panel.
- OfficialTab: which ranking is official (raw by default; normalised needs a reason).
(DecisionsTab and PublicationTab are in `round_records.py`.)
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

CHANGED = QColor("#FFF1C2")


def _num(value: Decimal | int | None) -> str:
    return "—" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def table(parent: QWidget, name: str, headers: list[str]) -> QTableWidget:
    t = QTableWidget(0, len(headers), parent)
    t.setHorizontalHeaderLabels(headers)
    t.setAccessibleName(name)
    t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    t.setAlternatingRowColors(True)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)  # sized once per fill
    t.horizontalHeader().setResizeContentsPrecision(40)  # the first 40 rows set a column's width
    t.horizontalHeader().setStretchLastSection(True)
    t.setTabKeyNavigation(False)  # Tab leaves the table; arrows move inside
    return t


def narrow(combo: QComboBox) -> None:
    """A combo box whose long entries (form titles, center names) are elided, never widening the window."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(20)


def fill(t: QTableWidget, rows: list[list[str]], shaded: set[int] | None = None) -> None:
    """The rows into the table, then the columns sized to their contents once (resizing on every
    item made a 150-row ranking hold the GUI thread for seconds)."""
    t.setUpdatesEnabled(False)
    try:
        t.clearContents()
        t.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, text in enumerate(row):
                item = QTableWidgetItem(text)
                if shaded and i in shaded:
                    item.setBackground(QBrush(CHANGED))
                    item.setForeground(QBrush(QColor("#000000")))
                t.setItem(i, j, item)
        t.resizeColumnsToContents()
    finally:
        t.setUpdatesEnabled(True)


def _label(form: Any, code: str | None, lang: str) -> str:
    if code is None:
        return "—"
    for c in getattr(form, "conclusions", ()):
        if c.code == code:
            return c.label.get(lang)
    return code


class RankingTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = "zh"
        self.report: Any = None
        box = QVBoxLayout(self)
        top = QHBoxLayout()
        self.cohortLabel = QLabel(self.tr("评分表与中心类型(&C)："), self)
        self.cohortCombo = QComboBox(self)
        self.cohortCombo.setAccessibleName(self.tr("评分表与中心类型"))
        narrow(self.cohortCombo)
        self.cohortLabel.setBuddy(self.cohortCombo)
        top.addWidget(self.cohortLabel)
        top.addWidget(self.cohortCombo, 1)
        box.addLayout(top)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        box.addWidget(self.summary)
        self.table = table(self, self.tr("全轮排名"), [
            self.tr("全轮排名"), self.tr("专家组"), self.tr("项目编号"), self.tr("中心名称"), self.tr("最终得分"),
            self.tr("原始排名"), self.tr("原始结论"), self.tr("标准化得分"), self.tr("标准化排名"),
            self.tr("标准化结论"), self.tr("正式结论"), self.tr("奖励"), self.tr("上轮"), self.tr("提示")])
        box.addWidget(self.table, 1)
        self.cohortCombo.currentIndexChanged.connect(self._show)

    def set_report(self, report: Any, lang: str) -> None:
        self.report, self.lang = report, lang
        from tic_desktop.core.cohort import TYPE_EN, TYPE_ZH

        self.cohortCombo.blockSignals(True)
        self.cohortCombo.clear()
        if report is not None:
            forms = {k: f for p in report.panels for k, f in p.forms.items()}
            types = TYPE_ZH if lang.startswith("zh") else TYPE_EN
            for form_id, center_type in report.results.cohorts():
                title = forms[form_id].title.get(lang) if form_id in forms else form_id
                self.cohortCombo.addItem(f"{title} · {types.get(center_type, center_type)}", (form_id, center_type))
        self.cohortCombo.blockSignals(False)
        self._show()

    def changed_rows(self) -> list[int]:
        return [i for i in range(self.table.rowCount())
                if self.table.item(i, 13) is not None and self.table.item(i, 13).text().startswith("≠")]

    def _show(self) -> None:
        data = self.cohortCombo.currentData()
        if self.report is None or data is None:
            self.table.setRowCount(0)
            self.summary.setText(self.tr("尚未汇总：加入批次、导入评分表后点“汇总本轮”。"))
            return
        from tic_desktop.core.round_results import FLAG_NORMALISED_DIFFERS, FLAG_RECTIFY

        form_id, center_type = data
        forms = {k: f for p in self.report.panels for k, f in p.forms.items()}
        form = forms.get(form_id)
        rows, shaded = [], set()
        for r in self.report.results.rows_for(form_id, center_type):
            notes = []
            if FLAG_NORMALISED_DIFFERS in r.flag_codes:
                shaded.add(len(rows))
                notes.append(self.tr("≠ 标准化后结论不同"))
            if r.tie:
                notes.append(self.tr("并列"))
            if r.capped:
                notes.append(self.tr("优秀名额已满，顺延"))
            if FLAG_RECTIFY in r.flag_codes:
                notes.append(self.tr("上轮整改，须复评"))
            p = r.previous
            prev = "—" if p is None else f"{_num(p.final_score)} {p.conclusion_label or p.conclusion or ''}".strip()
            rows.append([_num(r.round_rank), r.batch_id, r.proposal_id, r.center_name, _num(r.final_score),
                         _num(r.raw_rank), _label(form, r.raw_conclusion, self.lang), _num(r.normalised_score),
                         _num(r.normalised_rank), _label(form, r.normalised_conclusion, self.lang),
                         r.conclusion_label.get(self.lang) if r.conclusion_label else "—",
                         "—" if r.award is None else format(r.award, ",f"), prev, "；".join(notes)])
        fill(self.table, rows, shaded)
        basis = self.report.results.official.basis
        self.summary.setText(
            self.tr("共 %1 项；正式排名：%2。底色并标“≠”的项目按标准化得分的结论不同（%3 项）。")
            .replace("%1", str(len(rows)))
            .replace("%2", self.tr("标准化得分") if basis == "normalised" else self.tr("原始最终得分"))
            .replace("%3", str(len(shaded))))


class PanelsTab(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        self.note = QLabel(self.tr("每个专家组的有效总分与全轮平均分比较；下表为每位专家的平均总分与本组最终得分平均之差"
                                   "（负数：比本组严）。"), self)
        self.note.setWordWrap(True)
        box.addWidget(self.note)
        self.panels = table(self, self.tr("专家组效应"), [
            self.tr("专家组"), self.tr("评分表"), self.tr("有效总分"), self.tr("平均分"), self.tr("标准差"),
            self.tr("最低"), self.tr("最高"), self.tr("与全轮平均之差")])
        self.experts = table(self, self.tr("各专家与本组比较"), [
            self.tr("专家组"), self.tr("专家"), self.tr("评分数"), self.tr("专家平均分"), self.tr("本组平均"),
            self.tr("差值")])
        box.addWidget(self.panels, 1)
        box.addWidget(self.experts, 1)

    def set_report(self, report: Any, lang: str) -> None:
        if report is None:
            fill(self.panels, [])
            fill(self.experts, [])
            return
        forms = {k: f for p in report.panels for k, f in p.forms.items()}
        q = Decimal("0.01")
        effects = report.results.panels
        fill(self.panels, [[e.batch_id, forms[e.form_id].title.get(lang) if e.form_id in forms else e.form_id,
                             str(e.n), _num(e.mean.quantize(q)), _num(e.sd.quantize(q)), _num(e.minimum),
                             _num(e.maximum), f"{e.difference:+.2f}"] for e in effects])
        fill(self.experts, [[e.batch_id, f"{x.expert_name}（{x.expert_id}）", str(x.n), _num(x.mean.quantize(q)),
                              _num(x.panel_mean.quantize(q)), f"{x.difference:+.2f}"]
                             for e in effects for x in e.experts])


class OfficialTab(QWidget):
    saveRequested = Signal(str, str)  # noqa: N815 - basis, reason

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        self.current = QLabel(self)
        self.current.setWordWrap(True)
        box.addWidget(self.current)
        self.rawRadio = QRadioButton(self.tr("原始最终得分排名（默认）(&R)"), self)
        self.rawRadio.setAccessibleName(self.tr("原始最终得分排名"))
        self.normRadio = QRadioButton(self.tr("标准化得分排名(&N)"), self)
        self.normRadio.setAccessibleName(self.tr("标准化得分排名"))
        self.rawRadio.setChecked(True)
        box.addWidget(self.rawRadio)
        box.addWidget(self.normRadio)
        self.reasonLabel = QLabel(self.tr("理由（采用标准化排名时必填）(&E)："), self)
        self.reasonEdit = QPlainTextEdit(self)
        self.reasonEdit.setAccessibleName(self.tr("采用标准化排名的理由"))
        self.reasonEdit.setTabChangesFocus(True)
        self.reasonEdit.setMaximumHeight(90)
        self.reasonLabel.setBuddy(self.reasonEdit)
        box.addWidget(self.reasonLabel)
        box.addWidget(self.reasonEdit)
        row = QHBoxLayout()
        self.saveButton = QPushButton(self.tr("保存正式排名(&S)"), self)
        self.saveButton.setAccessibleName(self.tr("保存正式排名"))
        row.addWidget(self.saveButton)
        row.addStretch(1)
        box.addLayout(row)
        self.method = QLabel(self)
        self.method.setWordWrap(True)
        box.addWidget(self.method)
        box.addStretch(1)
        self.saveButton.clicked.connect(self._save)
        self.rawRadio.toggled.connect(self.update_save_button)
        self.reasonEdit.textChanged.connect(self.update_save_button)
        self.update_save_button()

    def _save(self) -> None:
        basis = "normalised" if self.normRadio.isChecked() else "raw"
        self.saveRequested.emit(basis, self.reasonEdit.toPlainText().strip())

    def update_save_button(self) -> None:
        need = self.normRadio.isChecked()
        self.saveButton.setEnabled(not need or bool(self.reasonEdit.toPlainText().strip()))

    def set_report(self, report: Any, lang: str) -> None:
        if report is None:
            self.current.setText("")
            self.method.setText("")
            return
        official = report.results.official
        if official.basis == "normalised":
            self.normRadio.setChecked(True)
            self.reasonEdit.setPlainText(official.reason)
            self.current.setText(self.tr("当前正式排名：标准化得分排名。理由：%1").replace("%1", official.reason))
        else:
            self.rawRadio.setChecked(True)
            self.current.setText(self.tr("当前正式排名：原始最终得分排名（默认）。"))
        self.method.setText(report.results.normalisation.describe(lang))
