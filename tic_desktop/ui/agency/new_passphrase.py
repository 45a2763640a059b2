"""The new-passphrase fields (twice, with a strength bar) and the backup passphrase dialog of 机构密钥."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import message
from tic_desktop.core.passphrase import PASSPHRASE_MISMATCH, check_passphrase


class NewPassphrase(QWidget):
    """Passphrase twice with a strength bar; `problem()` says what is missing ("" when fine)."""

    changed = Signal()

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        self.passphraseEdit = QLineEdit(self)
        self.passphraseEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphraseEdit.setAccessibleName(self.tr("口令"))
        self.confirmEdit = QLineEdit(self)
        self.confirmEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirmEdit.setAccessibleName(self.tr("再次输入口令"))
        self.strengthBar = QProgressBar(self)
        self.strengthBar.setRange(0, 4)
        self.strengthBar.setTextVisible(False)
        self.strengthBar.setMaximumHeight(10)
        self.strengthLabel = QLabel(self)
        self.strengthLabel.setWordWrap(True)
        form.addRow(self.tr("口令："), self.passphraseEdit)
        form.addRow(self.tr("再次输入："), self.confirmEdit)
        form.addRow(self.tr("强度："), self.strengthBar)
        form.addRow("", self.strengthLabel)
        self.passphraseEdit.textChanged.connect(self._on_changed)
        self.confirmEdit.textChanged.connect(self._on_changed)
        self._on_changed()

    def problem(self) -> str:
        text = self.passphraseEdit.text()
        strength = check_passphrase(text)
        if not strength.ok:
            return message(strength.code or "", self.lang)
        if self.confirmEdit.text() != text:
            return message(PASSPHRASE_MISMATCH, self.lang)
        return ""

    def text(self) -> str:
        return self.passphraseEdit.text()

    def clear(self) -> None:
        self.passphraseEdit.clear()
        self.confirmEdit.clear()

    def _on_changed(self) -> None:
        strength = check_passphrase(self.passphraseEdit.text())
        self.strengthBar.setValue(strength.score)
        problem = self.problem()
        label = [self.tr("太弱"), self.tr("弱"), self.tr("一般"), self.tr("较强"), self.tr("强")][strength.score]
        self.strengthLabel.setText(f"{label} — {problem}" if problem else label)
        self.changed.emit()


class BackupPassphraseDialog(QDialog):
    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("设置备份口令"))
        layout = QVBoxLayout(self)
        intro = QLabel(self.tr("备份文件将用此口令加密。请设置一个与密钥口令不同、只有保管人知道的口令，"
                               "并把口令与备份文件分开保存（例如口令封存在信封中）。口令遗忘后备份无法打开。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.passphrase = NewPassphrase(lang, self)
        layout.addWidget(self.passphrase)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel,
                                        self)
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(self.tr("备份"))
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.passphrase.changed.connect(lambda: self.ok.setEnabled(self.passphrase.problem() == ""))
        self.ok.setEnabled(False)
        self.resize(520, 260)
