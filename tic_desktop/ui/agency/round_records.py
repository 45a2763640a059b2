"""The round page's tabs for what the agency records and hands out (views only, see `round_tabs`):

- DecisionsTab: the 市科技局's decisions and the 异议/复议 (record, settle).
- PublicationTab: the 公示 notice template, the previous round, the exports.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.ui.agency.round_tabs import fill, narrow, table


def _edit(parent: QWidget, name: str, placeholder: str = "") -> QLineEdit:
    e = QLineEdit(parent)
    e.setAccessibleName(name)
    e.setPlaceholderText(placeholder)
    return e


class DecisionsTab(QWidget):
    decisionRequested = Signal(str, str, str, str, str)  # noqa: N815 - batch, proposal, date, decision, number
    objectionRequested = Signal(str, str, str, str, str, str)  # noqa: N815 - batch, proposal, kind, date, by, text
    settleRequested = Signal(int, str, str)  # noqa: N815 - objection id, outcome, date

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setVerticalSpacing(4)
        self.centerLabel = QLabel(self.tr("中心(&M)："), self)
        self.centerCombo = QComboBox(self)
        self.centerCombo.setAccessibleName(self.tr("中心"))
        narrow(self.centerCombo)
        self.centerLabel.setBuddy(self.centerCombo)
        grid.addWidget(self.centerLabel, 0, 0)
        grid.addWidget(self.centerCombo, 0, 1, 1, 5)
        self.decidedOn = _edit(self, self.tr("决定日期"), "YYYY-MM-DD")
        self.decision = _edit(self, self.tr("市科技局决定"), self.tr("决定，例如：同意评估结论"))
        self.documentNumber = _edit(self, self.tr("文号"), self.tr("文号"))
        self.decideButton = QPushButton(self.tr("记录决定(&D)"), self)
        self.decideButton.setAccessibleName(self.tr("记录决定"))
        grid.addWidget(QLabel(self.tr("决定："), self), 1, 0)
        grid.addWidget(self.decidedOn, 1, 1)
        grid.addWidget(self.decision, 1, 2, 1, 2)
        grid.addWidget(self.documentNumber, 1, 4)
        grid.addWidget(self.decideButton, 1, 5)
        self.kindCombo = QComboBox(self)
        self.kindCombo.setAccessibleName(self.tr("异议或复议"))
        self.kindCombo.addItem(self.tr("异议"), "objection")
        self.kindCombo.addItem(self.tr("复议"), "review")
        self.receivedOn = _edit(self, self.tr("收到日期"), "YYYY-MM-DD")
        self.submittedBy = _edit(self, self.tr("提出人"), self.tr("提出人"))
        self.summary = _edit(self, self.tr("异议内容"), self.tr("内容"))
        self.objectButton = QPushButton(self.tr("记录异议(&O)"), self)
        self.objectButton.setAccessibleName(self.tr("记录异议或复议"))
        grid.addWidget(self.kindCombo, 2, 0)
        grid.addWidget(self.receivedOn, 2, 1)
        grid.addWidget(self.submittedBy, 2, 2)
        grid.addWidget(self.summary, 2, 3, 1, 2)
        grid.addWidget(self.objectButton, 2, 5)
        self.decisions = table(self, self.tr("市科技局决定"), [
            self.tr("项目编号"), self.tr("中心名称"), self.tr("决定日期"), self.tr("决定"), self.tr("文号")])
        self.objections = table(self, self.tr("异议与复议"), [
            self.tr("编号"), self.tr("类型"), self.tr("项目"), self.tr("收到日期"), self.tr("提出人"), self.tr("内容"),
            self.tr("处理结果"), self.tr("办结日期")])
        grid.addWidget(self.decisions, 3, 0, 1, 6)
        grid.addWidget(self.objections, 4, 0, 1, 6)
        self.outcome = _edit(self, self.tr("处理结果"), self.tr("所选异议的处理结果"))
        self.outcomeOn = _edit(self, self.tr("办结日期"), "YYYY-MM-DD")
        self.settleButton = QPushButton(self.tr("办结所选异议(&L)"), self)
        self.settleButton.setAccessibleName(self.tr("办结所选异议"))
        grid.addWidget(QLabel(self.tr("办结："), self), 5, 0)
        grid.addWidget(self.outcome, 5, 1, 1, 3)
        grid.addWidget(self.outcomeOn, 5, 4)
        grid.addWidget(self.settleButton, 5, 5)
        grid.setColumnStretch(3, 1)
        grid.setRowStretch(3, 1)
        grid.setRowStretch(4, 1)
        self.decideButton.clicked.connect(self._decide)
        self.objectButton.clicked.connect(self._object)
        self.settleButton.clicked.connect(self._settle)

    def _center(self) -> tuple[str, str]:
        data = self.centerCombo.currentData()
        return data if data else ("", "")

    def _decide(self) -> None:
        b, p = self._center()
        self.decisionRequested.emit(b, p, self.decidedOn.text().strip(), self.decision.text().strip(),
                                    self.documentNumber.text().strip())

    def _object(self) -> None:
        b, p = self._center()
        self.objectionRequested.emit(b, p, str(self.kindCombo.currentData()), self.receivedOn.text().strip(),
                                     self.submittedBy.text().strip(), self.summary.text().strip())

    def _settle(self) -> None:
        row = self.objections.currentRow()
        item = self.objections.item(row, 0) if row >= 0 else None
        self.settleRequested.emit(int(item.text()) if item is not None else 0, self.outcome.text().strip(),
                                  self.outcomeOn.text().strip())

    def set_report(self, report: Any, lang: str) -> None:
        from tic_desktop.core.round_results import OBJECTION_LABELS

        current = self.centerCombo.currentData()
        self.centerCombo.blockSignals(True)
        self.centerCombo.clear()
        if report is None:
            self.centerCombo.blockSignals(False)
            fill(self.decisions, [])
            fill(self.objections, [])
            return
        names: dict[tuple[str, str], str] = {}
        for r in report.results.rows:
            if (r.batch_id, r.proposal_id) not in names:
                names[(r.batch_id, r.proposal_id)] = r.center_name
                self.centerCombo.addItem(f"{r.proposal_id}　{r.center_name}（{r.batch_id}）", (r.batch_id, r.proposal_id))
        if current is not None:
            self.centerCombo.setCurrentIndex(max(0, self.centerCombo.findData(current)))
        self.centerCombo.blockSignals(False)
        res = report.results
        fill(self.decisions, [[d.proposal_id, names.get((d.batch_id, d.proposal_id), ""), d.decided_on, d.decision,
                                d.document_number] for d in res.decisions])
        fill(self.objections, [[str(o.objection_id), OBJECTION_LABELS[o.kind].get(lang), o.proposal_id,
                                 o.received_on, o.submitted_by, o.summary, o.outcome or self.tr("处理中"),
                                 o.outcome_on or "—"] for o in res.objections])


class PublicationTab(QWidget):
    saveNoticeRequested = Signal(str)  # noqa: N815
    previousRequested = Signal()  # noqa: N815
    exportRequested = Signal()  # noqa: N815

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        box = QVBoxLayout(self)
        self.noticeLabel = QLabel(self.tr("公示说明（模板，可编辑）(&U)："), self)
        box.addWidget(self.noticeLabel)
        self.noticeEdit = QPlainTextEdit(self)
        self.noticeEdit.setAccessibleName(self.tr("公示说明模板"))
        self.noticeEdit.setTabChangesFocus(True)
        self.noticeLabel.setBuddy(self.noticeEdit)
        box.addWidget(self.noticeEdit, 1)
        hint = QLabel(self.tr("占位符：{round_title} 轮次名称、{round_id} 编号、{year} 年度、{agency} 评审机构、"
                              "{count} 中心数、{date} 公示名单生成日期；公示期、异议方式和联系方式请直接写入正文。"), self)
        hint.setWordWrap(True)
        box.addWidget(hint)
        row = QHBoxLayout()
        self.saveNoticeButton = QPushButton(self.tr("保存公示说明(&V)"), self)
        self.saveNoticeButton.setAccessibleName(self.tr("保存公示说明"))
        self.defaultButton = QPushButton(self.tr("恢复默认文本"), self)
        self.defaultButton.setAccessibleName(self.tr("恢复默认公示说明"))
        row.addWidget(self.saveNoticeButton)
        row.addWidget(self.defaultButton)
        row.addStretch(1)
        box.addLayout(row)
        form = QFormLayout()
        self.previousButton = QPushButton(self.tr("导入上一轮结果(&P)…"), self)
        self.previousButton.setAccessibleName(self.tr("导入上一轮结果"))
        self.previousStatus = QLabel(self)
        form.addRow(self.previousButton, self.previousStatus)
        self.exportButton = QPushButton(self.tr("导出本轮文件(&X)…"), self)
        self.exportButton.setAccessibleName(self.tr("导出本轮文件"))
        self.exportStatus = QLabel(self.tr("round.pdf、round.xlsx、round.csv、公示名单 publication.pdf / .xlsx，"
                                           "以及每个专家组的汇总文件"), self)
        self.exportStatus.setWordWrap(True)
        form.addRow(self.exportButton, self.exportStatus)
        box.addLayout(form)
        self.saveNoticeButton.clicked.connect(lambda: self.saveNoticeRequested.emit(self.noticeEdit.toPlainText()))
        self.defaultButton.clicked.connect(self._default)
        self.previousButton.clicked.connect(self.previousRequested.emit)
        self.exportButton.clicked.connect(self.exportRequested.emit)

    def _default(self) -> None:
        from tic_desktop.reports.notice import default_notice

        self.noticeEdit.setPlainText(default_notice())

    def set_notice(self, text: str) -> None:
        if not text.strip():
            from tic_desktop.reports.notice import default_notice

            text = default_notice()
        self.noticeEdit.setPlainText(text)

    def set_previous(self, count: int) -> None:
        self.previousStatus.setText(self.tr("已导入上一轮 %1 个中心的结果").replace("%1", str(count)) if count
                                    else self.tr("尚未导入上一轮结果（round.csv、results.csv 或上一轮的机构工作区）"))
