"""评审轮次: the agency's round page — create a round, add its panels' batches, import the sheet
files of all of them, consolidate the round off the GUI thread with progress, and show the cohort
ranking (raw and normalised side by side), the panel effects, the official-ranking choice with its
reason, the decisions and 异议/复议, the previous round, the 公示 notice and the exports.

Every read and write goes through the agency service (`agency.service.round`, `.round_import`)
and the round's records (`agency.round_store`); the page assembles nothing. Slow work runs in
`run_in_background` with its own workspace connection (WAL) and reports progress on the GUI
thread (those jobs are `round_jobs.RoundJobs`, which the page mixes in). `show_message`, `choose_sheets`, `choose_folder` and `choose_previous` can be replaced
(tests)."""

from __future__ import annotations

import threading
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected
from tic_desktop.ui.agency.round_dialogs import AddBatchesDialog, NewRoundDialog
from tic_desktop.ui.agency.round_jobs import RoundJobs
from tic_desktop.ui.agency.round_records import DecisionsTab, PublicationTab
from tic_desktop.ui.agency.round_tabs import OfficialTab, PanelsTab, RankingTab
from tic_desktop.ui.common.os_errors import error_parts


class RoundPage(RoundJobs, QWidget):
    roundChanged = Signal()  # noqa: N815 - a new report is shown

    def __init__(self, window: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.lang = getattr(window, "lang", "zh")
        self.report: Any = None
        self.busy = False
        self._cancel = threading.Event()
        self.show_message = self._show_message
        self.choose_sheets = self._choose_sheets
        self.choose_folder = self._choose_folder
        self.choose_previous = self._choose_previous
        self._build()
        self.refresh_rounds()

    # ── layout ────────────────────────────────────────────────────────────────────────────
    def _build(self) -> None:
        box = QVBoxLayout(self)
        box.setContentsMargins(6, 0, 0, 0)
        top = QHBoxLayout()
        self.roundLabel = QLabel(self.tr("评审轮次(&R)："), self)
        self.roundCombo = QComboBox(self)
        self.roundCombo.setAccessibleName(self.tr("评审轮次"))
        self.roundCombo.setMinimumContentsLength(18)
        self.roundCombo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.roundLabel.setBuddy(self.roundCombo)
        self.newButton = QPushButton(self.tr("新建轮次…"), self)
        self.newButton.setAccessibleName(self.tr("新建评审轮次"))
        self.addButton = QPushButton(self.tr("加入批次…"), self)
        self.addButton.setAccessibleName(self.tr("加入批次"))
        top.addWidget(self.roundLabel)
        top.addWidget(self.roundCombo, 1)
        top.addWidget(self.newButton)
        top.addWidget(self.addButton)
        box.addLayout(top)
        row = QHBoxLayout()
        self.importButton = QPushButton(self.tr("导入评分表(&I)…"), self)
        self.importButton.setAccessibleName(self.tr("导入本轮评分表"))
        self.consolidateButton = QPushButton(self.tr("汇总本轮(&H)"), self)
        self.consolidateButton.setAccessibleName(self.tr("汇总本轮"))
        self.cancelButton = QPushButton(self.tr("取消"), self)
        self.cancelButton.setAccessibleName(self.tr("取消导入"))
        self.cancelButton.setVisible(False)
        self.progress = QProgressBar(self)
        self.progress.setAccessibleName(self.tr("进度"))
        self.progress.setVisible(False)
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.status.setAccessibleName(self.tr("状态"))
        row.addWidget(self.importButton)
        row.addWidget(self.consolidateButton)
        row.addWidget(self.cancelButton)
        row.addWidget(self.progress)
        row.addWidget(self.status, 1)
        box.addLayout(row)
        self.batches = QLabel(self)
        self.batches.setWordWrap(True)
        box.addWidget(self.batches)
        self.tabs = QTabWidget(self)
        self.tabs.setAccessibleName(self.tr("本轮结果"))
        self.ranking = RankingTab(self.tabs)
        self.panels = PanelsTab(self.tabs)
        self.official = OfficialTab(self.tabs)
        self.decisions = DecisionsTab(self.tabs)
        self.publication = PublicationTab(self.tabs)
        self.tabs.addTab(self.ranking, self.tr("全轮排名"))
        self.tabs.addTab(self.panels, self.tr("专家组效应"))
        self.tabs.addTab(self.official, self.tr("正式排名"))
        self.tabs.addTab(self.decisions, self.tr("决定与异议"))
        self.tabs.addTab(self.publication, self.tr("公示与导出"))
        box.addWidget(self.tabs, 1)
        self.roundCombo.currentIndexChanged.connect(self._round_selected)
        self.newButton.clicked.connect(self.new_round)
        self.addButton.clicked.connect(self.add_batches)
        self.importButton.clicked.connect(lambda: self.import_sheets(self.choose_sheets()))
        self.consolidateButton.clicked.connect(self.consolidate)
        self.cancelButton.clicked.connect(self._cancel.set)
        self.official.saveRequested.connect(self.save_official)
        self.decisions.decisionRequested.connect(self.record_decision)
        self.decisions.objectionRequested.connect(self.record_objection)
        self.decisions.settleRequested.connect(self.settle_objection)
        self.publication.saveNoticeRequested.connect(self.save_notice)
        self.publication.previousRequested.connect(lambda: self.import_previous(self.choose_previous()))
        self.publication.exportRequested.connect(lambda: self.export(self.choose_folder()))

    # ── the workspace ─────────────────────────────────────────────────────────────────────
    @property
    def ws(self) -> Any:
        return self.window_.workspace

    def round_id(self) -> str:
        return str(self.roundCombo.currentData() or "")

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self.busy:
            self._show_batches()

    def refresh_rounds(self, select: str | None = None) -> None:
        from tic_desktop.agency import round_store

        current = select or self.round_id()
        self.roundCombo.blockSignals(True)
        self.roundCombo.clear()
        for info in round_store.rounds(self.ws) if self.ws is not None else []:
            self.roundCombo.addItem(f"{info.title}（{info.round_id}）", info.round_id)
        if self.roundCombo.count() == 0:
            self.roundCombo.addItem(self.tr("尚无评审轮次：点“新建轮次…”"), "")
        index = self.roundCombo.findData(current) if current else -1
        self.roundCombo.setCurrentIndex(index if index >= 0 else self.roundCombo.count() - 1)
        self.roundCombo.blockSignals(False)
        self._round_selected()

    def _round_selected(self) -> None:
        self.report = None
        self._show_report()
        self._show_batches()
        rid = self.round_id()
        if rid and self.ws is not None:
            from tic_desktop.agency import round_store

            self.publication.set_notice(round_store.notice(self.ws, rid))
            self.publication.set_previous(len(round_store.previous(self.ws, rid)))
            if round_store.get_round(self.ws, rid).batch_ids:
                self.consolidate()
        self._set_busy(self.busy)

    def _show_batches(self) -> None:
        rid = self.round_id()
        if not rid or self.ws is None:
            self.batches.setText("")
            return
        from tic_desktop.agency import round_store

        ids = round_store.get_round(self.ws, rid).batch_ids
        counted = {b: len(self.ws.current_sheets(b)) for b in ids}
        self.batches.setText(self.tr("本轮 %1 个专家组：%2").replace("%1", str(len(ids))).replace(
            "%2", "；".join(self.tr("%1（%2 份评分表）").replace("%1", b).replace("%2", str(n)) for b, n in counted.items())
            or self.tr("尚未加入批次")))

    def _show_report(self) -> None:
        for tab in (self.ranking, self.panels, self.official, self.decisions):
            tab.set_report(self.report, self.lang)
        self.roundChanged.emit()

    def _set_busy(self, busy: bool, text: str = "") -> None:
        self.busy = busy
        has_round = bool(self.round_id())
        for w in (self.importButton, self.consolidateButton, self.addButton):
            w.setEnabled(not busy and has_round)
        for w in (self.newButton, self.roundCombo, self.official.saveButton, self.decisions.decideButton,
                  self.decisions.objectButton, self.decisions.settleButton, self.publication.exportButton,
                  self.publication.previousButton, self.publication.saveNoticeButton):
            w.setEnabled(not busy and (w in (self.newButton, self.roundCombo) or has_round))
        self.publication.exportButton.setEnabled(not busy and self.report is not None)
        if not busy:
            self.official.update_save_button()
        self.progress.setVisible(busy)
        self.cancelButton.setVisible(False)
        if busy:
            self.progress.setRange(0, 0)
        if text:
            self.status.setText(text)

    def _on_progress(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _error(self, exc: BaseException) -> str:
        code, sentence, _ = error_parts(exc, self.lang)
        return sentence if code is not None else self.tr("出现意外错误：%1").replace("%1", str(exc))

    def _show_message(self, title: str, text: str, error: bool) -> None:
        (QMessageBox.warning if error else QMessageBox.information)(self, title, text)

    def _identity(self) -> str | None:
        identity = self.window_.identity()
        if not identity:
            self.show_message(self.tr("需要机构密钥"), self.tr("请先在“机构密钥”页生成或恢复机构密钥。"), True)
        return identity

    def _worker_ws(self) -> Any:
        from tic_desktop.agency import service as svc

        return svc.open_workspace(self.window_.ws_path, check_location=False)

    # ── creating the round, adding batches ────────────────────────────────────────────────
    def new_round(self, values: tuple[str, str, int] | None = None) -> bool:
        from tic_desktop.agency import round_store

        if values is None:
            dialog = NewRoundDialog(self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            values = dialog.values()
        try:
            info = round_store.create_round(self.ws, *values)
        except Rejected as exc:
            self.show_message(self.tr("无法新建评审轮次"), self._error(exc), True)
            return False
        self.refresh_rounds(select=info.round_id)
        return True

    def available_batches(self) -> list[Any]:
        from tic_desktop.agency import round_store

        taken = {b for r in round_store.rounds(self.ws) for b in r.batch_ids}
        return [b for b in self.ws.batches() if b.batch_id not in taken]

    def add_batches(self, batch_ids: list[str] | None = None) -> bool:
        from tic_desktop.agency import round_store

        rid = self.round_id()
        if not rid:
            return False
        if batch_ids is None:
            dialog = AddBatchesDialog(self.available_batches(), self.lang, self)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return False
            batch_ids = dialog.chosen()
        try:
            for b in batch_ids:
                round_store.add_batch(self.ws, rid, b)
        except Rejected as exc:
            self.show_message(self.tr("无法加入批次"), self._error(exc), True)
        self.refresh_rounds(select=rid)
        return True

    # ── the round's records ───────────────────────────────────────────────────────────────
    def _record(self, title: str, fn: Any, *args: Any) -> bool:
        try:
            fn(self.ws, self.round_id(), *args)
        except Rejected as exc:
            self.show_message(title, self._error(exc), True)
            return False
        self.consolidate()
        return True

    def save_official(self, basis: str, reason: str) -> bool:
        from tic_desktop.agency import round_store

        return self._record(self.tr("无法保存正式排名"), round_store.set_official, basis, reason)

    def record_decision(self, batch_id: str, proposal_id: str, decided_on: str, decision: str, number: str) -> bool:
        from tic_desktop.agency import round_store
        from tic_desktop.core.round_results import FinalDecision

        if not proposal_id:
            return False
        return self._record(self.tr("无法记录决定"), round_store.record_decision,
                            FinalDecision(batch_id, proposal_id, decided_on, decision, number))

    def record_objection(self, batch_id: str, proposal_id: str, kind: str, received_on: str, by: str,
                         summary: str) -> bool:
        from tic_desktop.agency import round_store

        if not proposal_id:
            return False
        return self._record(self.tr("无法记录异议"), round_store.record_objection, batch_id, proposal_id, kind,
                            received_on, by, summary)

    def settle_objection(self, objection_id: int, outcome: str, outcome_on: str) -> bool:
        from tic_desktop.agency import round_store

        return self._record(self.tr("无法办结"), round_store.settle_objection, objection_id, outcome, outcome_on)

    def save_notice(self, text: str) -> bool:
        from tic_desktop.agency import round_store
        from tic_desktop.reports.notice import check_notice

        try:
            check_notice(text)
            round_store.set_notice(self.ws, self.round_id(), text)
        except Rejected as exc:
            self.show_message(self.tr("无法保存公示说明"), self._error(exc), True)
            return False
        self.status.setText(self.tr("公示说明已保存。"))
        self.consolidate()
        return True
