"""The start page: open a batch (file dialog, drop, recent list) or the demo batch; or switch to 机构汇总."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QFileDialog, QListWidgetItem, QWidget

from tic_desktop.paths import resources_dir
from tic_desktop.ui.forms.ui_start_page import Ui_StartPage


class StartPage(QWidget):
    openRequested = Signal(str)  # noqa: N815 - Qt signal naming
    demoRequested = Signal()  # noqa: N815
    agencyRequested = Signal()  # noqa: N815 - the 机构汇总 mode button

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ui = Ui_StartPage()
        self.ui.setupUi(self)
        icon = QIcon(str(resources_dir() / "icons" / "tic-desktop.png"))
        self.ui.iconLabel.setPixmap(icon.pixmap(QSize(96, 96)))
        font = self.ui.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.ui.titleLabel.setFont(font)
        self.ui.errorLabel.setVisible(False)
        self.ui.openButton.setAccessibleName(self.tr("打开批次文件"))
        self.ui.demoButton.setAccessibleName(self.tr("打开演示批次"))
        self._connect()

    def _connect(self) -> None:
        self.ui.openButton.clicked.connect(self.choose_file)
        self.ui.demoButton.clicked.connect(self.demoRequested.emit)
        self.ui.recentList.itemActivated.connect(self._on_recent)
        self.ui.agencyModeButton.clicked.connect(self._on_agency)
        self.ui.expertModeButton.clicked.connect(lambda: self.ui.expertModeButton.setChecked(True))

    def _on_agency(self) -> None:
        self.ui.agencyModeButton.setChecked(False)  # this page is the expert mode; the agency has its window
        self.agencyRequested.emit()

    def choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("打开批次文件"), str(Path.home()), self.tr("评审批次 (*.ticbatch);;所有文件 (*)")
        )
        if path:
            self.openRequested.emit(path)

    def _on_recent(self, item: QListWidgetItem) -> None:
        self.openRequested.emit(item.data(Qt.ItemDataRole.UserRole))

    def set_recent(self, rows: Sequence[dict[str, Any]], lang: str) -> None:
        self.ui.recentList.clear()
        for row in rows:
            title = row["title_en"] if lang.startswith("en") else row["title_zh"]
            item = QListWidgetItem(f"{title}  ·  {row['agency_name']}")
            item.setData(Qt.ItemDataRole.UserRole, str(row["path"]))
            item.setToolTip(str(row["path"]))
            self.ui.recentList.addItem(item)
        self.ui.recentTitle.setVisible(bool(rows))
        self.ui.recentList.setVisible(bool(rows))
        if rows:
            self.ui.recentList.setCurrentRow(0)

    def show_error(self, text: str, detail: str = "") -> None:
        self.ui.errorLabel.setText(text)
        self.ui.errorLabel.setToolTip(self.tr("技术细节：%1").replace("%1", detail) if detail else "")
        self.ui.errorLabel.setVisible(bool(text))

    def retranslate(self) -> None:
        self.ui.retranslateUi(self)
