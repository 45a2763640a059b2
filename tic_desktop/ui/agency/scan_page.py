"""纸质核对 (issue 15): scanned, hand-signed paper matched to the batch's signed sheets.

添加扫描件… / 添加扫描文件夹… decode every page in the background (progress, 取消) with
`agency.scan_store.decode_scan`; the files are then kept in the workspace by SHA-256
(`scan_store.add_scan`, on the GUI thread's connection). The page shows the checklist per expert and
proposal (`scan_store.check`) and, below, the pages that need a person — older revisions, no record,
unreadable (with a thumbnail). 人工匹配… assigns an unreadable page to an expert, a proposal and a page
with a reason (audited; its dialog is `ui.agency.manual_match_dialog.ManualMatchDialog`, also importable
from here); 导出核对表… writes the checklist PDF (`reports.scan_pdf`).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.ui.agency.manual_match_dialog import ManualMatchDialog
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.progress_row import ProgressRow, stacked_tables

SCAN_FILTER = "*.pdf *.jpg *.jpeg *.png *.tif *.tiff"
THUMB = QSize(72, 100)


class ScanPage(QWidget):
    scans_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: Any = None
        self.result: Any = None
        self._busy = False
        self._look_rows: list[Any] = []
        self.last_added: list[str] = []
        self.last_failed: list[str] = []
        self.ask_files = self._ask_files
        self.ask_folder = self._ask_folder
        self.ask_save = self._ask_save
        self.ask_manual = self._ask_manual
        self.show_message = self._show_message
        self._build()
        self._set_busy(False)

    # ── layout ──────────────────────────────────────────────────────────────────────────────
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        bar = QHBoxLayout()
        self.addFilesButton = QPushButton(self.tr("添加扫描件…"))
        self.addFolderButton = QPushButton(self.tr("添加扫描文件夹…"))
        self.manualButton = QPushButton(self.tr("人工匹配…"))
        self.manualButton.setToolTip(self.tr("把二维码无法识别的扫描页指定给某位专家的某个项目评分表（须填写理由，记入审计日志）"))
        self.exportButton = QPushButton(self.tr("导出核对表…"))
        for b in (self.addFilesButton, self.addFolderButton, self.manualButton, self.exportButton):
            bar.addWidget(b)
        bar.addStretch(1)
        self.summaryLabel = QLabel()
        bar.addWidget(self.summaryLabel)
        layout.addLayout(bar)
        hint = QLabel(self.tr("扫描专家亲笔签名的评分表打印件（PDF，或 JPEG / PNG / TIFF 图像，200–300 dpi，页序与方向不限），"
                              "每页右下角的二维码与已导入的评分表逐页核对。扫描文件按 SHA-256 保存在机构工作区，不会被覆盖。"))
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        layout.addWidget(hint)
        self.progressRow = ProgressRow(self)
        self.progressLabel, self.progressBar = self.progressRow.label, self.progressRow.bar
        self.cancelButton = self.progressRow.cancelButton
        self._cancel = self.progressRow.cancelled
        layout.addWidget(self.progressRow)

        self.checkTable = self._table([self.tr("专家"), self.tr("项目"), self.tr("版本"), self.tr("核对结果"),
                                       self.tr("已有页"), self.tr("缺页")])
        self.checkTable.setAccessibleName(self.tr("核对表"))
        self.pageTable = self._table([self.tr("缩略图"), self.tr("扫描文件"), self.tr("页"), self.tr("状态"),
                                      self.tr("二维码内容"), self.tr("原因")])
        self.pageTable.setAccessibleName(self.tr("需要人工处理的扫描页"))
        self.pageTable.setIconSize(THUMB)
        self.pageTable.itemSelectionChanged.connect(self._update_buttons)
        self.pageTable.itemDoubleClicked.connect(lambda _item: self.match_selected())
        layout.addWidget(stacked_tables((self.tr("核对表（每位专家、每个项目）"), self.checkTable),
                                        (self.tr("需要人工处理的扫描页"), self.pageTable)), 1)
        self.addFilesButton.clicked.connect(lambda: self.add_paths(self.ask_files()))
        self.addFolderButton.clicked.connect(lambda: self.add_paths(self.ask_folder()))
        self.manualButton.clicked.connect(self.match_selected)
        self.exportButton.clicked.connect(self.export_checklist)

    def _table(self, headers: list[str]) -> QTableWidget:
        t = QTableWidget(0, len(headers))
        t.setHorizontalHeaderLabels(headers)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.verticalHeader().setVisible(False)
        t.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        t.horizontalHeader().setStretchLastSection(True)
        t.setWordWrap(True)
        return t

    # ── context ─────────────────────────────────────────────────────────────────────────────
    def set_context(self, ctx: Any) -> None:
        self.ctx = ctx
        self.refresh()

    def refresh(self) -> None:
        self.checkTable.setRowCount(0)
        self.pageTable.setRowCount(0)
        self._look_rows = []
        self.result = None
        if self.ctx is None:
            self.summaryLabel.setText(self.tr("请先选择批次"))
            self._update_buttons()
            return
        from tic_desktop.agency import scan_store  # noqa: PLC0415

        ctx = self.ctx
        result = scan_store.check(ctx.ws, ctx.batch_id)
        self.result = result
        for c in result.checks:
            if c.pages_total and tuple(c.pages_found) == tuple(range(1, c.pages_total + 1)):
                found = self.tr("全部 %1 页").replace("%1", str(c.pages_total))
            else:
                found = "、".join(str(p) for p in c.pages_found)
                if c.pages_total:
                    found += self.tr("（共 %1 页）").replace("%1", str(c.pages_total))
            missing = "、".join(str(p) for p in c.missing) or (self.tr("全部") if c.status != "matched" else "")
            label = {"matched": self.tr("✔ 已匹配"), "no_paper": self.tr("✘ 缺纸件"),
                     "older_revision": self.tr("✘ 只有旧版本纸件（须重新签字）")}.get(c.status, c.status)
            self._append(self.checkTable, [f"{c.expert_id} {ctx.expert_name(c.expert_id)}", c.proposal_id,
                                           self.tr("第 %1 版").replace("%1", str(c.sheet_seq)), label, found, missing],
                         ok=c.status == "matched")
        for r in result.rows:
            if r.page is None or r.status == "matched":
                continue
            self._look_rows.append(r)
            seq = self.tr("第 %1 版").replace("%1", str(r.sheet_seq))
            code = f"{r.expert_id} · {r.proposal_id} · {seq} · {r.page_of}" if r.expert_id else "—"
            row = self._append(self.pageTable, ["", r.source_file, str(r.page), self._status_text(r.status), code,
                                                r.reason_in(ctx.lang)],
                               ok=False)
            if r.status == "unreadable":
                data = scan_store.thumbnail(ctx.ws, r.scan_sha256, r.page)
                pix = QPixmap()
                if data and pix.loadFromData(data):
                    item = self.pageTable.item(row, 0)
                    item.setIcon(QIcon(pix.scaled(THUMB, Qt.AspectRatioMode.KeepAspectRatio,
                                                  Qt.TransformationMode.SmoothTransformation)))
                    self.pageTable.setRowHeight(row, THUMB.height() + 6)
        counts = result.counts()
        done = sum(1 for c in result.checks if c.status == "matched")
        scans = len(scan_store.scans(ctx.ws, ctx.batch_id))
        self.summaryLabel.setText(
            self.tr("扫描文件 %1 个 · 已匹配 %2 页 · 待处理 %3 页 · 纸件齐全 %4 / %5 份")
            .replace("%1", str(scans)).replace("%2", str(counts["matched"])).replace("%3", str(len(self._look_rows)))
            .replace("%4", str(done)).replace("%5", str(len(result.checks))))
        self._update_buttons()

    def _status_text(self, status: str) -> str:
        return {"matched": self.tr("已匹配"), "older_revision": self.tr("旧版本纸件"), "no_record": self.tr("无对应记录"),
                "unreadable": self.tr("无法识别"), "no_paper": self.tr("缺纸件")}.get(status, status)

    def _append(self, table: QTableWidget, cells: list[str], *, ok: bool) -> int:
        """A row; its status cell (the 4th) in dark red unless `ok`."""
        row = table.rowCount()
        table.insertRow(row)
        for i, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if not ok and i == 3:
                item.setForeground(Qt.GlobalColor.darkRed)
            table.setItem(row, i, item)
        return row

    def _selected_page(self) -> Any:
        rows = self.pageTable.selectionModel().selectedRows() if self.pageTable.selectionModel() else []
        if not rows:
            return None
        r = self._look_rows[rows[0].row()]
        return r if r.status == "unreadable" else None

    def _update_buttons(self) -> None:
        ready = self.ctx is not None and not self._busy
        self.addFilesButton.setEnabled(ready)
        self.addFolderButton.setEnabled(ready)
        self.exportButton.setEnabled(ready and self.result is not None and bool(self.result.checks))
        self.manualButton.setEnabled(ready and self._selected_page() is not None)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.progressRow.set_busy(busy)
        self._update_buttons()

    # ── adding scans ───────────────────────────────────────────────────────────────────────
    def add_paths(self, paths: list[Path]) -> bool:
        """Decode `paths` (files or folders) in the background, then keep them. False when nothing started."""
        if not paths or self.ctx is None or self._busy:
            return False
        from tic_desktop.agency import scan_decode, scan_store  # noqa: PLC0415

        ctx = self.ctx
        known = scan_store.known_sha256s(ctx.ws)
        self._set_busy(True)
        self.progressRow.start(self.tr("正在识别扫描页…"))
        cancel = self._cancel

        def work(progress: Any) -> tuple[list[Any], list[tuple[str, BaseException]]]:
            files = scan_decode.scan_files(paths)
            counts, failed = [], []
            for f in files:
                try:
                    counts.append(len(scan_decode.pages_of(f)))
                except Exception as exc:  # noqa: BLE001 - named in the result, the other files go on
                    counts.append(-1)
                    failed.append((f.name, exc))
            total = sum(n for n in counts if n > 0)
            done, out = 0, []
            for f, n in zip(files, counts, strict=True):
                if n < 0 or cancel.is_set():
                    continue
                base = done
                out.append(scan_store.decode_scan(f, known=known, cancelled=cancel.is_set,
                                                  progress=lambda i, _t, b=base: progress(b + i, total)))
                done += n
            return out, failed

        run_in_background(work, lambda res: self._on_decoded(res, ctx), self._on_failed, owner=self,
                          on_progress=self._on_progress)
        return True

    def _on_progress(self, done: int, total: int) -> None:
        self.progressRow.set_progress(done, total, self.tr("正在识别扫描页 %1 / %2").replace("%1", str(done))
                                      .replace("%2", str(total)))

    def _on_decoded(self, res: tuple[list[Any], list[tuple[str, BaseException]]], ctx: Any) -> None:
        from tic_desktop.agency import scan_store  # noqa: PLC0415

        self._set_busy(False)
        decoded, failed = res
        self.last_added = []
        self.last_failed = [f"{name}：{ctx.error_text(exc)}" + (f"（{exc.code}）" if getattr(exc, "code", None) else "")
                            for name, exc in failed]
        if self._cancel.is_set():
            decoded = []  # nothing half-kept: a cancelled run keeps no file
        if ctx is self.ctx:
            for scan in decoded:
                if scan.pages or scan.reused:
                    try:
                        if scan_store.add_scan(ctx.ws, ctx.batch_id, scan):
                            self.last_added.append(scan.path.name)
                    except Exception as exc:  # noqa: BLE001 - named to the user, the other files go on
                        self.last_failed.append(f"{scan.path.name}（{ctx.error_text(exc)}）")
        self.refresh()
        self.scans_changed.emit()
        if self.last_failed:
            self.show_message(self.tr("部分扫描文件无法读取"), "\n".join(self.last_failed), True)

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.refresh()
        text = self.ctx.error_text(exc) if self.ctx is not None else str(exc)
        self.show_message(self.tr("无法读取扫描件"), text, True)

    # ── by hand, export ────────────────────────────────────────────────────────────────────
    def match_selected(self) -> bool:
        page = self._selected_page()
        if page is None or self.ctx is None:
            return False
        from tic_desktop.agency import scan_store  # noqa: PLC0415
        from tic_desktop.core.errors import Rejected  # noqa: PLC0415

        choice = self.ask_manual(page)
        if choice is None:
            return False
        expert_id, proposal_id, sheet_page, sheet_pages, reason = choice
        try:
            scan_store.match_by_hand(self.ctx.ws, self.ctx.batch_id, page.scan_sha256, page.page, expert_id,
                                     proposal_id, reason, sheet_page=sheet_page, sheet_pages=sheet_pages)
        except Rejected as exc:
            self.show_message(self.tr("无法人工匹配"), self.ctx.error_text(exc), True)
            return False
        self.refresh()
        self.scans_changed.emit()
        return True

    def export_checklist(self) -> Path | None:
        if self.ctx is None or self.result is None:
            return None
        from tic_desktop.agency import scan_store  # noqa: PLC0415
        from tic_desktop.agency.scan_report import expert_names  # noqa: PLC0415
        from tic_desktop.core.atomic import atomic_write  # noqa: PLC0415
        from tic_desktop.reports.scan_pdf import render_scan_checklist  # noqa: PLC0415

        target = self.ask_save(f"{self.ctx.batch_id}-纸质核对.pdf")
        if target is None:
            return None
        ctx = self.ctx
        thumbs = {(r.scan_sha256, r.page): scan_store.thumbnail(ctx.ws, r.scan_sha256, r.page)
                  for r in self.result.rows if r.status == "unreadable" and r.page is not None}
        pdf = render_scan_checklist(
            batch_id=ctx.batch_id, batch_title=ctx.manifest.title.zh,
            generated_at=datetime.now().astimezone().isoformat(timespec="seconds"), checks=self.result.checks,
            rows=self.result.rows, experts=expert_names(ctx.batch), thumbnails=thumbs,
            scans=len(scan_store.scans(ctx.ws, ctx.batch_id)))
        try:
            atomic_write(target, pdf, mode=0o644)
        except Exception as exc:  # noqa: BLE001 - disk full, locked, read-only: said, nothing half-written
            self.show_message(self.tr("无法导出核对表"), ctx.error_text(exc), True)
            return None
        self.show_message(self.tr("已导出核对表"), str(target), False)
        return target

    # ── dialogs (replaced in tests) ────────────────────────────────────────────────────────
    def _ask_files(self) -> list[Path]:
        names, _ = QFileDialog.getOpenFileNames(self, self.tr("添加扫描件"), "",
                                                self.tr("扫描件 (%1)").replace("%1", SCAN_FILTER))
        return [Path(n) for n in names]

    def _ask_folder(self) -> list[Path]:
        name = QFileDialog.getExistingDirectory(self, self.tr("添加扫描文件夹"))
        return [Path(name)] if name else []

    def _ask_save(self, suggested: str) -> Path | None:
        name, _ = QFileDialog.getSaveFileName(self, self.tr("导出核对表"), suggested, "PDF (*.pdf)")
        return Path(name) if name else None

    def _ask_manual(self, page: Any) -> tuple[str, str, int | None, int | None, str] | None:
        dialog = ManualMatchDialog(self.ctx, page, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    def _show_message(self, title: str, text: str, error: bool) -> None:
        box = QMessageBox.warning if error else QMessageBox.information
        box(self, title, text)
