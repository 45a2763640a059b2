"""The panel meeting record box of the 专家组意见 page: date, place, mode (会议评审 / 现场考察 /
通讯评审), the chair and the deputy (副组长, who presides where the chair stands aside). Saved at once,
in one transaction (AgencyWorkspace.save_meeting); a wrong entry is named and nothing is saved."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from tic_desktop.core.panel_meeting import MODES, PanelMeeting
from tic_desktop.ui.agency.agency_context import AgencyContext
from tic_desktop.ui.common.table_model import ui_language


class MeetingBox(QGroupBox):
    saved = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("评审会议"))
        self.ctx: AgencyContext | None = None
        self._build()
        self.meetingDate.editingFinished.connect(self.save_meeting)
        self.meetingPlace.editingFinished.connect(self.save_meeting)
        for combo in (self.meetingMode, self.meetingChair, self.meetingDeputy):
            combo.activated.connect(lambda _i: self.save_meeting())

    def _build(self) -> None:
        form = QFormLayout(self)
        self.meetingDate = QLineEdit()
        self.meetingDate.setPlaceholderText(self.tr("YYYY-MM-DD"))
        self.meetingPlace = QLineEdit()
        self.meetingMode = QComboBox()
        for code, text in MODES.items():
            self.meetingMode.addItem(text.zh if ui_language() == "zh" else text.en, code)
        self.meetingChair = QComboBox()
        self.meetingDeputy = QComboBox()
        row = QHBoxLayout()
        row.addWidget(self.meetingDate)
        row.addWidget(QLabel(self.tr("方式：")))
        row.addWidget(self.meetingMode)
        form.addRow(self.tr("日期："), row)
        form.addRow(self.tr("地点："), self.meetingPlace)
        people = QHBoxLayout()
        people.addWidget(self.meetingChair, 1)
        people.addWidget(QLabel(self.tr("副组长：")))
        people.addWidget(self.meetingDeputy, 1)
        form.addRow(self.tr("组长："), people)
        for widget, name in ((self.meetingDate, self.tr("评审日期")), (self.meetingPlace, self.tr("评审地点")),
                             (self.meetingMode, self.tr("评审方式")), (self.meetingChair, self.tr("专家组组长")),
                             (self.meetingDeputy, self.tr("副组长"))):
            widget.setAccessibleName(name)
        self.meetingStatus = QLabel()
        self.meetingStatus.setWordWrap(True)
        form.addRow(self.meetingStatus)

    def set_context(self, ctx: AgencyContext | None) -> None:
        self.ctx = ctx
        combos = (self.meetingChair, self.meetingDeputy)
        for combo in combos:
            combo.clear()
        self.meetingStatus.setText("")
        if self.ctx is None:
            for w in (self.meetingDate, self.meetingPlace, self.meetingMode, *combos):
                w.setEnabled(False)
            return
        meeting = self.ctx.ws.meeting(self.ctx.batch_id)
        self.meetingDeputy.addItem(self.tr("（未指定）"), "")
        for e in self.ctx.manifest.experts:
            self.meetingChair.addItem(f"{e.name}（{e.unit}）" if e.unit else e.name, e.id)
            self.meetingDeputy.addItem(f"{e.name}（{e.unit}）" if e.unit else e.name, e.id)
        chair = meeting.chair_id or next((e.id for e in self.ctx.manifest.experts if e.chair), "")
        self.meetingChair.setCurrentIndex(max(self.meetingChair.findData(chair), 0))
        self.meetingDeputy.setCurrentIndex(max(self.meetingDeputy.findData(meeting.deputy_id), 0))
        self.meetingMode.setCurrentIndex(max(self.meetingMode.findData(meeting.mode), 0))
        self.meetingDate.setText(meeting.date)
        self.meetingPlace.setText(meeting.place)
        for w in (self.meetingDate, self.meetingPlace, self.meetingMode, *combos):
            w.setEnabled(True)

    def entered_meeting(self) -> PanelMeeting:
        return PanelMeeting(date=self.meetingDate.text().strip(), place=self.meetingPlace.text().strip(),
                            mode=str(self.meetingMode.currentData() or "meeting"),
                            chair_id=str(self.meetingChair.currentData() or ""),
                            deputy_id=str(self.meetingDeputy.currentData() or ""))

    def save_meeting(self) -> bool:
        """Save the meeting record at once (one transaction); a wrong entry is named, nothing saved."""
        if self.ctx is None:
            return False
        meeting = self.entered_meeting()
        problems = meeting.problems()
        if problems:
            self.meetingStatus.setStyleSheet("color: #c62828;")
            self.meetingStatus.setText("；".join(self._t(p) for p in problems))
            return False
        if meeting == self.ctx.ws.meeting(self.ctx.batch_id):
            return True
        try:
            self.ctx.ws.save_meeting(self.ctx.batch_id, meeting)
        except Exception as exc:  # noqa: BLE001 - disk full, locked…: said in words, edit kept
            self.meetingStatus.setStyleSheet("color: #c62828;")
            self.meetingStatus.setText(self.ctx.error_text(exc))
            return False
        self.meetingStatus.setStyleSheet("color: #2e7d32;")
        self.meetingStatus.setText(self.tr("会议信息已保存"))
        self.saved.emit()
        return True

    def _t(self, text: Any) -> str:
        lang = self.ctx.lang if self.ctx else "zh"
        return str(text.zh if lang.startswith("zh") else text.en)
