"""The expert-key actions of 导入评分表 (ui.agency.sheet_import_page.SheetImportPage inherits them):
导入密钥登记… (an allowed_signers file), 登记专家密钥… (EnrolKeyDialog), 更换密钥… and 吊销密钥…
(KeyChangeDialog, a revocation confirmed first). Each goes to the workspace's expert key registry
(audited, with its reason) and says what it did; the dialogs are hooks the page sets (tests).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog, QMessageBox


class ExpertKeyActions:
    """Mixin of `SheetImportPage` (a QWidget): needs `ctx`, `refresh`, `show_message`, `_error` and the hooks."""

    ctx: Any
    refresh: Callable[[], None]
    show_message: Callable[[str, str, bool], None]
    ask_signers_file: Callable[[], Path | None]
    ask_enrolment: Callable[..., tuple[str, str] | None]
    ask_key_change: Callable[..., tuple[str, str | None, str] | None]
    confirm_revoke: Callable[[str, str], bool]
    tr: Callable[[str], str]
    _error: Callable[[BaseException], str]

    def _ask_signers_file(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择密钥登记文件（allowed_signers）"), "",
                                              self.tr("所有文件 (*)"))
        return Path(name) if name else None

    def _on_import_signers(self) -> None:
        if self.ctx is None:
            return
        path = self.ask_signers_file()
        if path is None:
            return
        try:
            text = path.read_text("utf-8")
            count = self.ctx.ws.pin_allowed_signers(self.ctx.batch_id, text)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.show_message(self.tr("密钥登记导入失败"), self._error(exc), True)
            return
        self.refresh()
        self.show_message(self.tr("密钥登记已导入"),
                          self.tr("已预先登记 %1 位专家的密钥。之后导入的评分表必须由这些密钥签名。")
                          .replace("%1", str(count)), False)

    def _ask_enrolment(self, experts: list[Any], pins: dict[str, Any]) -> tuple[str, str] | None:
        from tic_desktop.ui.agency.enrol_key_dialog import EnrolKeyDialog  # noqa: PLC0415

        dialog = EnrolKeyDialog(experts, pins, self.ctx.lang if self.ctx else "zh", self)
        return dialog.choice() if dialog.exec() == EnrolKeyDialog.DialogCode.Accepted else None

    def _on_enrol(self) -> None:
        if self.ctx is None or self.ctx.batch is None:
            return
        choice = self.ask_enrolment(list(self.ctx.batch.manifest.experts), self.ctx.ws.pins(self.ctx.batch_id))
        if choice is None:
            return
        expert_id, fingerprint = choice
        try:
            self.ctx.ws.pin(self.ctx.batch_id, expert_id, fingerprint, "enrolment")
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.show_message(self.tr("密钥未能登记"), self._error(exc), True)
            return
        self.refresh()
        self.show_message(self.tr("密钥已登记"),
                          self.tr("已登记专家 %1 的密钥 %2。之后该专家的评分表必须由这把密钥签名。")
                          .replace("%1", expert_id).replace("%2", fingerprint), False)

    def _ask_key_change(self, mode: str, experts: list[Any], pins: dict[str, Any]) -> tuple[str, str | None, str] | None:
        from tic_desktop.ui.agency.key_change_dialog import KeyChangeDialog  # noqa: PLC0415

        dialog = KeyChangeDialog(mode, experts, pins, self.ctx.lang if self.ctx else "zh", self)
        return dialog.choice() if dialog.exec() == KeyChangeDialog.DialogCode.Accepted else None

    def _confirm_revoke(self, expert_id: str, reason: str) -> bool:
        answer = QMessageBox.question(self, self.tr("吊销密钥"), self.tr(
            "确定吊销专家 %1 的密钥吗？吊销后不可恢复，由它签名的新评分表一律拒收，"
            "该专家须重新登记一把新密钥。").replace("%1", expert_id))
        return answer == QMessageBox.StandardButton.Yes

    def _on_key_change(self, mode: str) -> None:
        """更换密钥… / 吊销密钥…: the registry ends the expert's key (audited, with the reason)."""
        if self.ctx is None or self.ctx.batch is None:
            return
        choice = self.ask_key_change(mode, list(self.ctx.batch.manifest.experts), self.ctx.ws.pins(self.ctx.batch_id))
        if choice is None:
            return
        expert_id, fingerprint, reason = choice
        if mode == "revoke" and not self.confirm_revoke(expert_id, reason):
            return
        try:
            if mode == "rotate":
                self.ctx.ws.rotate_key(expert_id, fingerprint or "", reason)
            else:
                self.ctx.ws.revoke_key(expert_id, reason)
        except Exception as exc:  # noqa: BLE001 - shown to the user
            self.show_message(self.tr("密钥未能更换") if mode == "rotate" else self.tr("密钥未能吊销"),
                              self._error(exc), True)
            return
        self.refresh()
        if mode == "rotate":
            self.show_message(self.tr("密钥已更换"), self.tr("专家 %1 的密钥已更换为 %2。旧密钥签名的评分表此后一律拒收。")
                              .replace("%1", expert_id).replace("%2", fingerprint or ""), False)
        else:
            self.show_message(self.tr("密钥已吊销"), self.tr("专家 %1 的密钥已吊销。由它签名的新评分表一律拒收。")
                              .replace("%1", expert_id), False)
