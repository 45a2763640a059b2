"""人工匹配 on 纸质核对 (ui.agency.scan_page): assign a scanned page whose QR code cannot be read to an
expert, a proposal and a page i of n (or unknown), with the reason the match is recorded with.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)


class ManualMatchDialog(QDialog):
    """人工匹配: expert, proposal, page i of n (or unknown) and the reason."""

    def __init__(self, ctx: Any, page: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from tic_desktop.agency import scan_store  # noqa: PLC0415

        self.setWindowTitle(self.tr("人工匹配扫描页"))
        self.ctx = ctx
        self.revisions = {r.expert_id: r for r in scan_store.revisions(ctx.ws, ctx.batch_id) if r.current}
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        thumb = QLabel()
        pix = QPixmap()
        if pix.loadFromData(scan_store.thumbnail(ctx.ws, page.scan_sha256, page.page)):
            thumb.setPixmap(pix.scaled(QSize(160, 226), Qt.AspectRatioMode.KeepAspectRatio,
                                       Qt.TransformationMode.SmoothTransformation))
        top.addWidget(thumb)
        form = QFormLayout()
        where = self.tr("第 %1 页").replace("%1", str(page.page))
        form.addRow(self.tr("扫描页："), QLabel(f"{page.source_file} · {where}"))
        self.expertCombo = QComboBox()
        for eid in sorted(self.revisions):
            self.expertCombo.addItem(f"{eid} {ctx.expert_name(eid)}", eid)
        self.proposalCombo = QComboBox()
        self.pageSpin = QSpinBox()
        self.pageSpin.setRange(0, 99)
        self.pageSpin.setSpecialValueText(self.tr("未知"))
        self.pagesSpin = QSpinBox()
        self.pagesSpin.setRange(1, 99)
        self.pagesSpin.setValue(5)
        self.reasonEdit = QPlainTextEdit()
        self.reasonEdit.setPlaceholderText(self.tr("为什么这一页属于这份评分表（例如：页眉的项目编号与页脚的摘要一致，二维码被污损）"))
        self.reasonEdit.setMinimumHeight(70)
        form.addRow(self.tr("专家："), self.expertCombo)
        form.addRow(self.tr("项目："), self.proposalCombo)
        pages = QHBoxLayout()
        pages.addWidget(self.pageSpin)
        pages.addWidget(QLabel(self.tr("/ 共")))
        pages.addWidget(self.pagesSpin)
        pages.addWidget(QLabel(self.tr("页")))
        pages.addStretch(1)
        form.addRow(self.tr("页码："), pages)
        form.addRow(self.tr("理由："), self.reasonEdit)
        top.addLayout(form, 1)
        layout.addLayout(top)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("确认匹配"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(self.tr("取消"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.expertCombo.currentIndexChanged.connect(self._fill_proposals)
        self.reasonEdit.textChanged.connect(self._update)
        self._fill_proposals()
        self._update()

    def _fill_proposals(self) -> None:
        self.proposalCombo.clear()
        rev = self.revisions.get(self.expertCombo.currentData())
        for pid in rev.proposals if rev is not None else ():
            self.proposalCombo.addItem(f"{pid} {self.ctx.center_name(pid)}", pid)
        self._update()

    def _update(self) -> None:
        ok = bool(self.reasonEdit.toPlainText().strip()) and self.proposalCombo.count() > 0
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)

    def choice(self) -> tuple[str, str, int | None, int | None, str]:
        page = self.pageSpin.value() or None
        pages = self.pagesSpin.value() if page is not None else None
        if page is not None and pages is not None and page > pages:
            pages = page
        return (self.expertCombo.currentData(), self.proposalCombo.currentData(), page, pages,
                self.reasonEdit.toPlainText().strip())
