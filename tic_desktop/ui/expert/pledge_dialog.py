"""The 承诺书: must be accepted before any proposal opens."""

from __future__ import annotations

import html

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QWidget

from tic_desktop.core.pledge import PLEDGE, pledge_title_body
from tic_desktop.core.types import Text
from tic_desktop.ui.forms.ui_pledge_dialog import Ui_PledgeDialog


class PledgeDialog(QDialog):
    def __init__(self, lang: str, expert_line: str, *, text: Text | None = None, read_only: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_PledgeDialog()
        self.ui.setupUi(self)
        title, body = pledge_title_body((text or PLEDGE).get(lang))
        paragraphs = "".join(f"<p>{html.escape(line)}</p>" for line in body.splitlines() if line.strip())
        self.ui.textBrowser.setHtml(
            f"<h2 align='center'>{html.escape(title)}</h2>{paragraphs}"
            f"<p align='right' style='margin-top:18px'>{html.escape(expert_line)}</p>"
        )
        self._ok = self.ui.buttonBox.button(QDialogButtonBox.StandardButton.Ok)
        self._ok.setText(self.tr("接受承诺"))
        self._ok.setEnabled(False)
        self._connect()
        if read_only:
            self.ui.acceptCheck.setChecked(True)
            self.ui.acceptCheck.setEnabled(False)
            self._ok.setText(self.tr("关闭"))

    def _connect(self) -> None:
        self.ui.acceptCheck.toggled.connect(self._ok.setEnabled)
        self.ui.buttonBox.accepted.connect(self.accept)
        self.ui.buttonBox.rejected.connect(self.reject)
