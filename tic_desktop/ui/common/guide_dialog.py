"""F1: the short guide for experts (resources/guide/guide_zh.html or guide_en.html)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QWidget

from tic_desktop.paths import resources_dir
from tic_desktop.ui.forms.ui_guide_dialog import Ui_GuideDialog


class GuideDialog(QDialog):
    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_GuideDialog()
        self.ui.setupUi(self)
        name = "guide_en.html" if lang.startswith("en") else "guide_zh.html"
        path = resources_dir() / "guide" / name
        self.ui.textBrowser.setHtml(path.read_text(encoding="utf-8") if path.exists() else "")
        self.ui.buttonBox.rejected.connect(self.reject)
        self.ui.buttonBox.accepted.connect(self.accept)
