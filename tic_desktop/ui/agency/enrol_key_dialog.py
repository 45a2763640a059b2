"""登记专家密钥: pin an expert's key in advance from the paper enrolment sheet — the fingerprint
typed as printed, the sheet's QR code scanned by a desk scanner (which types its text), or the
sheet's PDF file as the expert saved it from the app (读取登记表文件…)."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.agency.enrolment import OTHER_EXPERT, enrolment_from_pdf, parse_enrolment
from tic_desktop.core.errors import Rejected, message


class EnrolKeyDialog(QDialog):
    def __init__(self, experts: Sequence[Any], pins: Mapping[str, Any], lang: str = "zh",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.setWindowTitle(self.tr("登记专家密钥"))
        self.setMinimumWidth(560)
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("按专家亲笔签名的《评审专家密钥登记表》登记其密钥：照表输入密钥指纹（空格可省略），"
                               "或用扫码枪扫描表上的二维码。登记后，该专家的评分表必须由这把密钥签名。"))
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.expertCombo = QComboBox()
        for e in experts:
            pinned = pins.get(e.id)
            suffix = self.tr("（已登记）") if pinned is not None else ""
            self.expertCombo.addItem(f"{e.name}（{e.id}）{suffix}", e.id)
        self.fingerprintEdit = QLineEdit()
        self.fingerprintEdit.setPlaceholderText("SHA256: AbCd EfGh …")
        form.addRow(self.tr("专家"), self.expertCombo)
        self.fileButton = QPushButton(self.tr("读取登记表文件…"))
        self.fileButton.setToolTip(self.tr("专家在软件中保存的《评审专家密钥登记表》PDF 文件"))
        self.fileButton.clicked.connect(self._read_file)
        row = QHBoxLayout()
        row.addWidget(self.fingerprintEdit, 1)
        row.addWidget(self.fileButton)
        form.addRow(self.tr("密钥指纹或二维码内容"), row)
        layout.addLayout(form)
        self.resultLabel = QLabel()
        self.resultLabel.setWordWrap(True)
        layout.addWidget(self.resultLabel)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("登记"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.fingerprintEdit.textChanged.connect(self._check)
        self.expertCombo.currentIndexChanged.connect(self._check)
        self._choice: tuple[str, str] | None = None
        self.pick_file: Callable[[], str] = lambda: QFileDialog.getOpenFileName(
            self, self.tr("读取登记表文件"), "", self.tr("密钥登记表 (*.pdf)"))[0]
        self._check()

    def _read_file(self) -> None:
        """The enrolment sheet's PDF file: its expert and fingerprint go into the field, as a scan would."""
        name = self.pick_file()
        if not name:
            return
        try:
            data = Path(name).read_bytes()
            got = enrolment_from_pdf(data)
        except OSError as exc:
            self._show_error(f"{Path(name).name}: {exc.strerror or exc}")
            return
        except Rejected as exc:
            self._show_error(message(exc.code, self.lang), exc.detail)
            return
        self.fingerprintEdit.setText(f"tic-enrol-v1;expert={got.expert_id};fp={got.fingerprint}")

    def _show_error(self, text: str, detail: str = "") -> None:
        self._choice = None
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.resultLabel.setStyleSheet("color: #b3261e;")
        self.resultLabel.setText(text)
        self.resultLabel.setToolTip(detail)

    def _check(self) -> None:
        self._choice = None
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        text = self.fingerprintEdit.text()
        expert_id = self.expertCombo.currentData()
        if not text.strip():
            self.resultLabel.setText("")
            ok.setEnabled(False)
            return
        try:
            got = parse_enrolment(text)  # a scanned QR names its expert: selected below
        except Rejected as exc:
            self.resultLabel.setStyleSheet("color: #b3261e;")
            self.resultLabel.setText(message(exc.code, self.lang))
            ok.setEnabled(False)
            return
        if got.expert_id is not None and got.expert_id != expert_id:
            index = self.expertCombo.findData(got.expert_id)
            if index >= 0:  # a scanned QR names its expert: select them
                self.expertCombo.setCurrentIndex(index)
                return
            self.resultLabel.setStyleSheet("color: #b3261e;")  # an expert of another batch
            self.resultLabel.setText(message(OTHER_EXPERT, self.lang))
            ok.setEnabled(False)
            return
        self._choice = (str(self.expertCombo.currentData()), got.fingerprint)
        self.resultLabel.setStyleSheet("color: #1b5e20;")
        self.resultLabel.setText(self.tr("将登记：%1").replace("%1", got.fingerprint))
        ok.setEnabled(True)

    def choice(self) -> tuple[str, str] | None:
        """(expert id, fingerprint) once the text reads as a fingerprint."""
        return self._choice
