"""The 评审轮次 page's work off the GUI thread (`RoundJobs`, mixed into `round_page.RoundPage`):
import the round's sheet files (each routed to its panel's batch, verified, stored; 取消 stops
between files), consolidate the round, read the previous round's results, write the exports.

Each job opens its own workspace connection (WAL) and reports progress to the page's bar; the
import and the consolidation build some hundred thousand objects, so Python's cyclic collector
waits while they run (`run_in_background(..., pause_gc=True)`, see `ui.common.gc_pause`). The
jobs use the page's widgets and helpers (`round_id`, `_set_busy`, `status`, `_on_progress`,
`_record`, ...); `choose_sheets`, `choose_previous` and `choose_folder` can be replaced (tests).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QFileDialog

from tic_desktop.ui.common.background import run_in_background


class RoundJobs:
    """Import, consolidation, previous round and exports of `RoundPage` (a mixin: the page's own
    attributes are used as they are)."""

    # ── import and consolidation (off the GUI thread) ─────────────────────────────────────
    def _choose_sheets(self) -> list[Path]:
        files, _ = QFileDialog.getOpenFileNames(self, self.tr("选择评分表文件（可多选，各组的都可以）"), "",
                                                self.tr("评分表 (*.ticsheet)"))
        return [Path(f) for f in files]

    def import_sheets(self, paths: list[Path]) -> bool:
        """Route every file to its panel's batch and import it (verified as on 导入评分表)."""
        rid = self.round_id()
        if not rid or not paths or self.busy:
            return False
        identity = self._identity()
        if not identity:
            return False
        own = self.ws.own_fingerprint()
        self._cancel.clear()
        self._set_busy(True, self.tr("正在导入评分表…"))
        self.cancelButton.setVisible(True)
        cancel = self._cancel

        def work(report: Any) -> Any:
            from tic_desktop.agency.service.round_import import import_round

            ws = self._worker_ws()
            try:
                return import_round(ws, rid, identity, paths, own_fingerprint=own, progress=report,
                                    cancelled=cancel.is_set)
            finally:
                ws.close()

        run_in_background(work, self._on_imported, self._on_failed, owner=self, on_progress=self._on_progress,
                          pause_gc=True)
        return True

    def _on_imported(self, result: Any) -> None:
        self._set_busy(False)
        lines = []
        for path, other in result.foreign:
            lines.append(self.tr("%1：属于不在本轮中的批次 %2").replace("%1", Path(path).name).replace("%2", other))
        for items in result.outcomes.values():
            lines += [f"{o.file_name}：{o.message(self.lang)}" for o in items if not o.counted]
        self.status.setText(self.tr("已导入 %1 个文件，未使用 %2 个。").replace("%1", str(result.used))
                            .replace("%2", str(result.not_used)))
        self._show_batches()
        if lines:
            self.show_message(self.tr("部分评分表未使用"), "\n".join(lines[:30]), True)
        self.consolidate()

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.status.setText(self._error(exc))
        self.show_message(self.tr("操作失败"), self._error(exc), True)

    def consolidate(self) -> bool:
        """The round's report (every panel consolidated, ranked together, normalised) in a worker."""
        rid = self.round_id()
        if not rid or self.busy:
            return False
        identity = self.window_.identity()
        if not identity:
            return False
        own = self.ws.own_fingerprint()
        self._set_busy(True, self.tr("正在汇总本轮…"))

        def work(report: Any) -> Any:
            from tic_desktop.agency.service.round import round_report

            ws = self._worker_ws()
            try:
                return round_report(ws, rid, identity, own_fingerprint=own, progress=report)
            finally:
                ws.close()

        run_in_background(work, lambda r: self._on_consolidated(r, rid), self._on_failed, owner=self,
                          on_progress=self._on_progress, pause_gc=True)
        return True

    def _on_consolidated(self, report: Any, rid: str) -> None:
        self._set_busy(False)
        if rid != self.round_id():
            return
        self.report = report
        changed = sum(1 for r in report.results.rows if "normalised.conclusion_differs" in r.flag_codes)
        self.status.setText(self.tr("已汇总：%1 个专家组，%2 项；标准化后结论不同 %3 项。")
                            .replace("%1", str(len(report.panels))).replace("%2", str(len(report.results.rows)))
                            .replace("%3", str(changed)))
        self._set_busy(False)
        self._show_report()

    # ── previous round, exports ───────────────────────────────────────────────────────────
    def _choose_previous(self) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(self, self.tr("选择上一轮的 round.csv、results.csv 或 agency.db"), "",
                                              self.tr("上一轮结果 (*.csv agency.db)"))
        return Path(name) if name else None

    def import_previous(self, path: Path | None) -> bool:
        rid = self.round_id()
        if not rid or path is None or self.busy:
            return False
        identity = self.window_.identity() if path.suffix.lower() != ".csv" else ""
        self._set_busy(True, self.tr("正在读取上一轮结果…"))

        def work() -> Any:
            from tic_desktop.agency.service.round import previous_from_csv, previous_from_workspace

            if path.suffix.lower() == ".csv":
                return previous_from_csv(path)
            return previous_from_workspace(path, identity or "")

        def done(results: Any) -> None:
            from tic_desktop.agency import round_store

            self._set_busy(False)
            self._record(self.tr("无法导入上一轮结果"), round_store.import_previous, results)
            self.publication.set_previous(len(round_store.previous(self.ws, rid)))

        run_in_background(work, done, self._on_failed, owner=self)
        return True

    def _choose_folder(self) -> Path | None:
        name = QFileDialog.getExistingDirectory(self, self.tr("选择导出文件夹"))
        return Path(name) if name else None

    def export(self, folder: Path | None) -> bool:
        if self.report is None or folder is None or self.busy:
            return False
        report = self.report
        self._set_busy(True, self.tr("正在导出本轮文件…"))

        keys_dir = getattr(self.window_, "keys_dir", None)
        passphrase = self.window_.session_passphrase() if hasattr(self.window_, "session_passphrase") else None

        def work(progress: Any) -> Any:
            from tic_desktop.agency.document_signer import agency_document_signer
            from tic_desktop.agency.service.round import write_round_exports

            agency = report.panels[0].agency_name if report.panels else ""
            # the round's PDFs (round.pdf, the 公示 list, each consolidated.pdf) signed by the agency (PAdES)
            signer = agency_document_signer(keys_dir, passphrase, agency)[0] if keys_dir is not None else None
            return write_round_exports(folder, report, progress=progress, signer=signer)

        def done(written: Any) -> None:
            self._set_busy(False)
            self.last_export = list(written)
            self.publication.exportStatus.setText(self.tr("已写入 %1 个文件到 %2").replace("%1", str(len(written)))
                                                  .replace("%2", str(folder)))
            self.status.setText(self.publication.exportStatus.text())

        run_in_background(work, done, self._on_failed, owner=self, on_progress=self._on_progress)
        return True
