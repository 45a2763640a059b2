"""更换密钥… / 吊销密钥…: end an enrolled expert's key in the agency's registry (issue 11). Rotating takes
the new fingerprint as printed on the expert's new enrolment sheet (typed, or its QR code scanned);
both need a reason, and the registry audits them. The old key is never valid again."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.agency.enrolment import OTHER_EXPERT, parse_enrolment
from tic_desktop.core.errors import Rejected, message

ROTATE = "rotate"
REVOKE = "revoke"


class KeyChangeDialog(QDialog):
    """Choose an expert with an enrolled key, (rotate) the new fingerprint, and a reason.
    `choice()` is (expert id, new fingerprint or None, reason) once everything reads."""

    def __init__(self, mode: str, experts: Sequence[Any], pins: Mapping[str, Any], lang: str = "zh",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.mode, self.lang = mode, lang
        rotate = mode == ROTATE
        self.setWindowTitle(self.tr("更换专家密钥") if rotate else self.tr("吊销专家密钥"))
        self.setMinimumWidth(660)  # a whole fingerprint fits
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("专家换了电脑或新建了密钥时，按其新的《评审专家密钥登记表》输入新密钥指纹或扫描二维码。"
                               "旧密钥将标记为已更换，此后由旧密钥签名的评分表一律拒收。") if rotate else
                       self.tr("密钥丢失、被盗或专家退出评审时吊销其密钥。吊销后由该密钥签名的新评分表一律拒收，"
                               "已导入的评分表保留在记录中。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.expertCombo = QComboBox()
        self.expertCombo.setAccessibleName(self.tr("专家"))
        for e in experts:
            pin = pins.get(e.id)
            if pin is not None:  # only an expert with a valid key has one to end
                self.expertCombo.addItem(f"{e.name}（{e.id}）", e.id)
        form.addRow(self.tr("专家"), self.expertCombo)
        self.currentLabel = QLabel()
        self.currentLabel.setWordWrap(True)
        form.addRow(self.tr("当前密钥"), self.currentLabel)
        self.fingerprintEdit = QLineEdit()
        self.fingerprintEdit.setAccessibleName(self.tr("新密钥指纹或二维码内容"))
        self.fingerprintEdit.setPlaceholderText("SHA256: AbCd EfGh …")
        if rotate:
            form.addRow(self.tr("新密钥指纹或二维码内容"), self.fingerprintEdit)
        else:
            self.fingerprintEdit.setVisible(False)
        self.reasonEdit = QLineEdit()
        self.reasonEdit.setAccessibleName(self.tr("原因"))
        self.reasonEdit.setPlaceholderText(self.tr("例如：更换电脑、密钥丢失（必填，记入审计记录）"))
        form.addRow(self.tr("原因"), self.reasonEdit)
        layout.addLayout(form)
        self.resultLabel = QLabel()
        self.resultLabel.setWordWrap(True)
        layout.addWidget(self.resultLabel)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.okButton = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.okButton.setText(self.tr("更换") if rotate else self.tr("吊销"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._pins = pins
        self.expertCombo.currentIndexChanged.connect(self._check)
        self.fingerprintEdit.textChanged.connect(self._check)
        self.reasonEdit.textChanged.connect(self._check)
        self._choice: tuple[str, str | None, str] | None = None
        self._check()

    def _check(self) -> None:
        self._choice = None
        self.okButton.setEnabled(False)
        expert_id = self.expertCombo.currentData()
        pin = self._pins.get(expert_id) if expert_id else None
        self.currentLabel.setText(getattr(pin, "fingerprint", "") if pin is not None else self.tr("（无已登记的密钥）"))
        if expert_id is None:
            return
        new: str | None = None
        if self.mode == ROTATE:
            text = self.fingerprintEdit.text()
            if not text.strip():
                self.resultLabel.setText("")
                return
            try:
                got = parse_enrolment(text)
            except Rejected as exc:
                self._say(message(exc.code, self.lang), False)
                return
            if got.expert_id is not None and got.expert_id != expert_id:
                index = self.expertCombo.findData(got.expert_id)
                if index >= 0:  # a scanned QR names its expert: select them
                    self.expertCombo.setCurrentIndex(index)
                    return
                self._say(message(OTHER_EXPERT, self.lang), False)
                return
            new = got.fingerprint
            self._say(self.tr("新密钥：%1").replace("%1", new), True)
        if not self.reasonEdit.text().strip():
            if self.mode == REVOKE:
                self.resultLabel.setText("")
            return
        self._choice = (str(expert_id), new, self.reasonEdit.text().strip())
        self.okButton.setEnabled(True)

    def _say(self, text: str, good: bool) -> None:
        self.resultLabel.setStyleSheet("color: #1b5e20;" if good else "color: #b3261e;")
        self.resultLabel.setText(text)

    def choice(self) -> tuple[str, str | None, str] | None:
        return self._choice
