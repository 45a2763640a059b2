"""Create the expert's signing key (passphrase twice, strength meter, no-recovery warning) or unlock it."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from tic_desktop.core.errors import message
from tic_desktop.core.passphrase import PASSPHRASE_MISMATCH, check_passphrase
from tic_desktop.ui.forms.ui_key_dialog import Ui_KeyDialog


@dataclass(frozen=True)
class KeyPassphrase:
    passphrase: str
    create: bool


def ui_lang() -> str:
    from PySide6.QtCore import QLocale  # noqa: PLC0415

    return "en" if QLocale().language() == QLocale.Language.English else "zh"


class KeyDialog(QDialog):
    def __init__(self, expert_name: str, *, create: bool, error: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_KeyDialog()
        self.ui.setupUi(self)
        self._create = create
        self._ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        if create:
            self.ui.introLabel.setText(self.tr(
                "%1，您好。本机将为您创建一把签名密钥，用于签署评分表。请设置一个只有您知道的口令"
                "（至少 10 个字符，混合字母、数字、符号或汉字）。").replace("%1", expert_name))
            self._ok.setText(self.tr("创建密钥"))
        else:
            self.setWindowTitle(self.tr("解锁签名密钥"))
            self.ui.introLabel.setText(self.tr("%1，请输入您的密钥口令。").replace("%1", expert_name))
            for w in (self.ui.confirmLabel, self.ui.confirmEdit, self.ui.strengthTitle, self.ui.strengthBar,
                      self.ui.strengthLabel, self.ui.warningLabel, self.ui.understoodCheck):
                w.setVisible(False)
            self._ok.setText(self.tr("解锁"))
        self.ui.errorLabel.setText(error)
        self._connect()
        self._on_changed()

    def _connect(self) -> None:
        self.ui.passphraseEdit.textChanged.connect(self._on_changed)
        self.ui.confirmEdit.textChanged.connect(self._on_changed)
        self.ui.understoodCheck.toggled.connect(self._on_changed)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)

    def problem(self) -> str:
        """Why OK is disabled, in the UI language ("" when it is enabled)."""
        text = self.ui.passphraseEdit.text()
        if not self._create:
            return "" if text else self.tr("请输入口令。")
        strength = check_passphrase(text)
        if not strength.ok:
            return message(strength.code or "", ui_lang())
        if self.ui.confirmEdit.text() != text:
            return message(PASSPHRASE_MISMATCH, ui_lang())
        if not self.ui.understoodCheck.isChecked():
            return self.tr("请确认您已知晓口令无法找回。")
        return ""

    def _on_changed(self) -> None:
        problem = self.problem()
        self._ok.setEnabled(problem == "")
        if not self._create:
            return
        strength = check_passphrase(self.ui.passphraseEdit.text())
        self.ui.strengthBar.setValue(strength.score)
        names = [self.tr("太弱"), self.tr("弱"), self.tr("一般"), self.tr("较强"), self.tr("强")]
        label = names[strength.score]
        self.ui.strengthLabel.setText(f"{label} — {problem}" if problem else label)

    def value(self) -> KeyPassphrase:
        return KeyPassphrase(self.ui.passphraseEdit.text(), self._create)
