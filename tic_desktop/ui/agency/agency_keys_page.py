"""机构密钥: create the agency keys, show the fingerprint, back them up, restore them, print the fingerprint.

The keys live in `<agency dir>/keys/` (`formats.keys`); backup and restore are `agency.keys`
(an age passphrase file, written and read without holding the GIL); the fingerprint sheet is
`reports.agency_key_pdf`. Every slow step (key generation, scrypt, the PDF) runs through
`run_in_background`. File dialogs and the replace confirmation are replaceable hooks (tests);
passphrase dialogs are opened with `open()` and kept in `self.dialog` while on screen. The passphrase
fields and the backup passphrase dialog are `ui.agency.new_passphrase`.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.agency import keys as ak
from tic_desktop.core.errors import Rejected
from tic_desktop.ui.agency.new_passphrase import BackupPassphraseDialog, NewPassphrase
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.screen_fit import fit_on_show


class AgencyKeysPage(QWidget):
    keysChanged = Signal()  # noqa: N815 - Qt signal naming
    busyChanged = Signal(bool)  # noqa: N815

    def __init__(self, keys_dir: Path, agency_dir: Path, lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.keys_dir = Path(keys_dir)
        self.agency_dir = Path(agency_dir)
        self.lang = lang
        self.busy = False
        self.unlocked: tuple[str, bytes] | None = None
        """(identity text, passphrase) of keys just created here, for the window's session unlock."""
        self._secret = b""
        self.dialog: QDialog | None = None
        self.ask_save_file: Callable[[str, str, str], str | None] = self._ask_save_file
        self.ask_open_file: Callable[[str, str], str | None] = self._ask_open_file
        self.ask_confirm: Callable[[str, str], bool] = self._ask_confirm
        self._build()
        self._connect()
        self.refresh()

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        layout.setSpacing(12)
        heading = QLabel(self.tr("机构密钥"), self)
        font = QFont(heading.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        intro = QLabel(self.tr(
            "机构密钥用于签名发给专家的批次文件，并解密专家交回的评分表。密钥指纹要印在专家邀请函上，"
            "专家第一次打开批次时据此核对。请在生成后立即备份：密钥丢失后将无法解密已交回的评分表。"), self)
        intro.setWordWrap(True)
        layout.addWidget(intro)
        name_row = QHBoxLayout()
        name_label = QLabel(self.tr("机构名称："), self)
        self.nameEdit = QLineEdit(self)
        self.nameEdit.setPlaceholderText(self.tr("例如：天津市科学技术评估中心"))
        self.nameEdit.setAccessibleName(self.tr("机构名称"))
        name_label.setBuddy(self.nameEdit)
        name_row.addWidget(name_label)
        name_row.addWidget(self.nameEdit, 1)
        layout.addLayout(name_row)

        self.createBox = QGroupBox(self.tr("生成机构密钥"), self)
        create = QVBoxLayout(self.createBox)
        create_intro = QLabel(self.tr(
            "本机还没有机构密钥。请设置机构密钥的口令（至少 10 个字符，混合字母、数字、符号或汉字）："
            "签名密钥和解密评分表的 agency.agekey 都用它加密保存，每次启动后第一次使用时输入一次。"
            "也可以从以前的备份恢复。"), self.createBox)
        create_intro.setWordWrap(True)
        create.addWidget(create_intro)
        self.newPassphrase = NewPassphrase(self.lang, self.createBox)
        create.addWidget(self.newPassphrase)
        create_buttons = QHBoxLayout()
        self.createButton = QPushButton(self.tr("生成机构密钥"), self.createBox)
        self.createButton.setMinimumHeight(34)
        self.restoreFirstButton = QPushButton(self.tr("从备份恢复…"), self.createBox)
        create_buttons.addWidget(self.createButton)
        create_buttons.addWidget(self.restoreFirstButton)
        create_buttons.addStretch(1)
        create.addLayout(create_buttons)
        layout.addWidget(self.createBox)

        self.keysBox = QGroupBox(self.tr("本机构密钥"), self)
        keys = QVBoxLayout(self.keysBox)
        keys.addWidget(QLabel(self.tr("签名密钥指纹（请印在专家邀请函上）："), self.keysBox))
        self.fingerprintLabel = QLabel(self.keysBox)
        mono = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        mono.setPointSizeF(max(mono.pointSizeF(), 10) * 1.7)
        mono.setBold(True)
        self.fingerprintLabel.setFont(mono)
        self.fingerprintLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.fingerprintLabel.setWordWrap(True)  # grouped in fours: wraps between groups on a small screen
        self.fingerprintLabel.setAccessibleName(self.tr("签名密钥指纹"))
        self.fingerprintLabel.setStyleSheet("padding: 10px; background: #f4f6f8; border: 1px solid #d0d7de;")
        keys.addWidget(self.fingerprintLabel)
        self.rawLabel = QLabel(self.keysBox)
        self.rawLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        keys.addWidget(self.rawLabel)
        self.recipientLabel = QLabel(self.keysBox)
        self.recipientLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.recipientLabel.setWordWrap(True)
        keys.addWidget(self.recipientLabel)
        self.protectionLabel = QLabel(self.keysBox)
        self.protectionLabel.setWordWrap(True)
        keys.addWidget(self.protectionLabel)
        buttons = QHBoxLayout()
        self.copyButton = QPushButton(self.tr("复制指纹"), self.keysBox)
        self.printButton = QPushButton(self.tr("打印指纹（PDF）…"), self.keysBox)
        self.backupButton = QPushButton(self.tr("备份密钥…"), self.keysBox)
        self.restoreButton = QPushButton(self.tr("恢复备份…"), self.keysBox)
        for b in (self.copyButton, self.printButton, self.backupButton, self.restoreButton):
            b.setMinimumHeight(34)
            buttons.addWidget(b)
        buttons.addStretch(1)
        keys.addLayout(buttons)
        layout.addWidget(self.keysBox)

        self.statusLabel = QLabel(self)
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout.addWidget(self.statusLabel)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.nameEdit.editingFinished.connect(self._on_name_edited)
        self.newPassphrase.changed.connect(self._update_buttons)
        self.createButton.clicked.connect(self.create_keys)
        self.restoreFirstButton.clicked.connect(self.restore)
        self.restoreButton.clicked.connect(self.restore)
        self.backupButton.clicked.connect(self.backup)
        self.copyButton.clicked.connect(self.copy_fingerprint)
        self.printButton.clicked.connect(self.print_fingerprint)

    # -- state ---------------------------------------------------------------------------------
    def has_keys(self) -> bool:
        return ak.has_keys(self.keys_dir)

    def public(self) -> ak.AgencyPublic | None:
        try:
            return ak.public_info(self.keys_dir) if self.has_keys() else None
        except Rejected as exc:
            self.show_status(exc.text(self.lang), error=True)
            return None

    def refresh(self) -> None:
        public = self.public()
        self.nameEdit.setText(ak.agency_name(self.agency_dir))
        self.createBox.setVisible(public is None)
        self.keysBox.setVisible(public is not None)
        if public is not None:
            from tic_desktop.reports.agency_key_pdf import grouped  # noqa: PLC0415

            self.fingerprintLabel.setText(grouped(public.fingerprint))
            self.rawLabel.setText(self.tr("原样：%1").replace("%1", public.fingerprint))
            self.recipientLabel.setText(self.tr("评分表加密公钥：%1").replace("%1", public.age_recipient))
            self._show_protection(public.fingerprint)
        self._update_buttons()

    def _show_protection(self, fingerprint: str) -> None:
        from tic_desktop.formats import keys as fkeys  # noqa: PLC0415
        from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415

        try:
            sealed = fkeys.is_sealed((self.keys_dir / fkeys.AGE_IDENTITY_FILE).read_bytes())
        except OSError:
            sealed = False
        if sealed:
            self.protectionLabel.setStyleSheet("color: #1b5e20;")
            self.protectionLabel.setText(self.tr("签名密钥和 agency.agekey 均已用机构密钥口令加密保存。"))
        elif is_demo_agency_fingerprint(fingerprint):
            self.protectionLabel.setStyleSheet("color: #8a6d00;")
            self.protectionLabel.setText(self.tr("演示密钥（仅供演示）：按设计未加口令，不得用于真实评审。"))
        else:
            self.protectionLabel.setStyleSheet("color: #b3261e;")
            self.protectionLabel.setText(self.tr(
                "警告：agency.agekey 未用口令保护，任何拿到该文件的人都能解密评分表。"
                "请生成带口令的新密钥，或恢复一份带口令的备份。"))

    def _update_buttons(self) -> None:
        self.createButton.setEnabled(not self.busy and self.newPassphrase.problem() == "")
        for b in (self.restoreFirstButton, self.restoreButton, self.backupButton, self.printButton):
            b.setEnabled(not self.busy)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update_buttons()
        self.busyChanged.emit(busy)

    def show_status(self, text: str, *, error: bool = False) -> None:
        self.statusLabel.setStyleSheet("color: #b3261e;" if error else "color: #1b5e20;")
        self.statusLabel.setText(text)

    def _error(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Rejected):
            self.show_status(exc.text(self.lang), error=True)
        elif isinstance(exc, OSError):
            self.show_status(self.tr("无法读写文件：%1").replace("%1", f"{exc.filename or ''} {exc.strerror or exc}"),
                             error=True)
        else:
            raise exc

    def _on_name_edited(self) -> None:
        if self.nameEdit.text().strip() != ak.agency_name(self.agency_dir):
            ak.save_agency_name(self.agency_dir, self.nameEdit.text())

    # -- create --------------------------------------------------------------------------------
    def create_keys(self) -> None:
        if self.busy or self.newPassphrase.problem():
            return
        from tic_desktop.formats.keys import create_agency_keys  # noqa: PLC0415

        secret = self.newPassphrase.text().encode("utf-8")
        self._on_name_edited()
        name = self.nameEdit.text().strip()
        self._set_busy(True)
        self.show_status(self.tr("正在生成机构密钥…"))
        self._secret = secret
        run_in_background(lambda: create_agency_keys(self.keys_dir, passphrase=secret, agency_name=name),
                          self._on_created, self._error)

    def _on_created(self, keys: Any) -> None:
        self._set_busy(False)
        self.unlocked = (keys.age_identity_text(), self._secret)  # the window needs not ask again
        self._secret = b""
        self.newPassphrase.clear()
        self.refresh()
        self.show_status(self.tr("机构密钥已生成。请立即点击“备份密钥…”做一份离线备份，并打印指纹附在邀请函中。"))
        self.keysChanged.emit()

    # -- copy and print ------------------------------------------------------------------------
    def copy_fingerprint(self) -> None:
        public = self.public()
        if public is not None:
            QGuiApplication.clipboard().setText(public.fingerprint)
            self.show_status(self.tr("指纹已复制。"))

    def _documents(self) -> Path:
        return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
                    or str(Path.home()))

    def print_fingerprint(self) -> None:
        public = self.public()
        if public is None or self.busy:
            return
        self._on_name_edited()
        name = ak.agency_name(self.agency_dir)
        if not name:
            self.show_status(self.tr("请先填写机构名称，它会印在指纹页上。"), error=True)
            self.nameEdit.setFocus()
            return
        chosen = self.ask_save_file(self.tr("保存机构密钥指纹页"),
                                    str(self._documents() / self.tr("机构密钥指纹.pdf")), self.tr("PDF 文件 (*.pdf)"))
        if not chosen:
            return
        path = Path(chosen) if chosen.lower().endswith(".pdf") else Path(chosen + ".pdf")
        from tic_desktop.formats.docsign import certificate_fingerprint  # noqa: PLC0415
        from tic_desktop.reports.agency_key_pdf import AgencyKeySheet  # noqa: PLC0415

        try:
            certificate = certificate_fingerprint(self.keys_dir)
        except Rejected:
            certificate = ""
        sheet = AgencyKeySheet(name, public.fingerprint, public.age_recipient, _dt.date.today().isoformat(),
                               certificate_fingerprint=certificate)
        self._set_busy(True)
        run_in_background(lambda: _write_sheet(sheet, path), self._on_printed, self._error)

    def _on_printed(self, path: Path) -> None:
        self._set_busy(False)
        self.show_status(self.tr("指纹页已保存到：%1。请打印后附在专家邀请函中。").replace("%1", str(path)))

    # -- backup --------------------------------------------------------------------------------
    def backup(self) -> None:
        if self.busy or not self.has_keys():
            return
        dialog = BackupPassphraseDialog(self.lang, self)
        self._open(dialog, lambda: self._backup_to(dialog.passphrase.text()))

    def _backup_to(self, passphrase: str) -> None:
        stamp = _dt.date.today().strftime("%Y%m%d")
        chosen = self.ask_save_file(self.tr("保存密钥备份"), str(self._documents() / f"agency-keys-{stamp}{ak.BACKUP_SUFFIX}"),
                                    self.tr("机构密钥备份 (*.tickeys)"))
        if not chosen:
            return
        path = Path(chosen) if chosen.endswith(ak.BACKUP_SUFFIX) else Path(chosen + ak.BACKUP_SUFFIX)
        self._set_busy(True)
        self.show_status(self.tr("正在加密并写入备份…"))
        run_in_background(lambda: (ak.write_backup(self.keys_dir, path, passphrase), path)[1], self._on_backed_up,
                          self._error)

    def _on_backed_up(self, path: Path) -> None:
        self._set_busy(False)
        self.show_status(self.tr("备份已写入并核对：%1。请把它存到离线介质（如 U 盘）并妥善保管，口令另行保存。")
                         .replace("%1", str(path)))

    # -- restore -------------------------------------------------------------------------------
    def restore(self) -> None:
        if self.busy:
            return
        chosen = self.ask_open_file(self.tr("选择密钥备份文件"), self.tr("机构密钥备份 (*.tickeys);;所有文件 (*)"))
        if chosen:
            self.ask_restore_passphrase(Path(chosen), "")

    def ask_restore_passphrase(self, path: Path, error: str) -> None:
        from tic_desktop.ui.common.passphrase_dialog import PassphraseDialog  # noqa: PLC0415

        dialog = PassphraseDialog(self, error=error, prompt=self.tr("请输入备份“%1”的口令：").replace("%1", path.name))
        dialog.setWindowTitle(self.tr("恢复机构密钥"))
        self._open(dialog, lambda: self._restore(path, dialog.value().passphrase, replace=False))

    def _restore(self, path: Path, passphrase: str, *, replace: bool) -> None:
        self._set_busy(True)
        self.show_status(self.tr("正在解密备份…"))

        def failed(exc: BaseException) -> None:
            if isinstance(exc, Rejected) and exc.code == ak.WRONG_PASSPHRASE:
                self._set_busy(False)
                self.show_status("")
                self.ask_restore_passphrase(path, exc.text(self.lang))
            elif isinstance(exc, Rejected) and exc.code == ak.WOULD_REPLACE:
                self._set_busy(False)
                text = self.tr("本机已有另一套机构密钥（指纹 %1）。\n\n换用备份中的密钥后，用原密钥签名的批次和加密给原密钥的评分表"
                               "将需要原密钥才能使用；原密钥会被移到旁边的文件夹保留，不会删除。\n\n确定要替换吗？"
                               ).replace("%1", exc.detail)
                if self.ask_confirm(self.tr("替换机构密钥"), text):
                    self._restore(path, passphrase, replace=True)
                else:
                    self.show_status(self.tr("未替换：本机的机构密钥保持不变。"))
            else:
                self._error(exc)

        run_in_background(lambda: ak.restore_backup(path, self.keys_dir, passphrase, replace=replace),
                          self._on_restored, failed)

    def _on_restored(self, public: ak.AgencyPublic) -> None:
        self._set_busy(False)
        self.refresh()
        self.show_status(self.tr("机构密钥已从备份恢复，指纹：%1").replace("%1", public.fingerprint))
        self.keysChanged.emit()

    # -- dialogs and hooks ---------------------------------------------------------------------
    def _open(self, dialog: QDialog, on_accept: Callable[[], None]) -> None:
        self.dialog = dialog
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

        def finished(result: int) -> None:
            if self.dialog is dialog:
                self.dialog = None
            if result == QDialog.DialogCode.Accepted:
                on_accept()

        dialog.finished.connect(finished)
        fit_on_show(dialog)
        dialog.open()

    def _ask_save_file(self, title: str, suggested: str, filters: str) -> str | None:
        chosen, _ = QFileDialog.getSaveFileName(self, title, suggested, filters)
        return chosen or None

    def _ask_open_file(self, title: str, filters: str) -> str | None:
        chosen, _ = QFileDialog.getOpenFileName(self, title, str(self._documents()), filters)
        return chosen or None

    def _ask_confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes


def _write_sheet(sheet: Any, path: Path) -> Path:
    from tic_desktop.core.atomic import atomic_write  # noqa: PLC0415
    from tic_desktop.reports.agency_key_pdf import render_agency_key_sheet  # noqa: PLC0415

    atomic_write(path, render_agency_key_sheet(sheet))
    return path
