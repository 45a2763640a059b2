"""生成批次: the batch wizard over `agency.build` (what `tic-desktop batch build` does, with a view).

Steps: 1 choose the source folder → read it off the GUI thread (`agency.build.inspect_source`) →
2 see the proposals and experts as parsed, or the raw rows with the mistake named (file, row,
column) and its row marked → 3 choose the files (one file / one per expert), the encryption (none
/ passphrase entered twice) and the output folder → 4 write off the GUI thread with progress, each
file read back from disk, and the list of files written. The batch is then kept in the agency
workspace (a copy encrypted to the agency's own key) and selected in the window. The steps' widgets
are in `batch_wizard_steps`, the writing job in `batch_export_job`; the wizard names their fields as
its own (`folderEdit`, `proposalsModel`, `passEdit`, ...).

What the source format allows, and so what is offered: experts.csv/xlsx has no column for an
expert's age public key (experts make their keys when they first open a batch), so there is no
"encrypt to the experts' keys"; it has no panel column either (one source folder is one panel),
so there is no per-panel split.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected, message
from tic_desktop.core.passphrase import PASSPHRASE_MISMATCH, check_passphrase
from tic_desktop.ui.agency.batch_export_job import BatchExportJob
from tic_desktop.ui.agency.batch_wizard_steps import (
    BatchExportStep,
    BatchOutputStep,
    BatchReviewStep,
    BatchSourceStep,
)
from tic_desktop.ui.common.background import run_in_background


class BatchWizard(QWidget):
    batchAdded = Signal(str)  # noqa: N815 - Qt signal naming; the batch id kept in the workspace
    finished = Signal(list)
    """The paths written."""

    def __init__(self, keys_dir: Path, agency_dir: Path, ws_path: Path, *, lang: str = "zh",
                 parent: QWidget | None = None, demo: bool = False) -> None:
        super().__init__(parent)
        self.demo = demo
        """Only the demo window may sign with the public demo key (`build.demo_key`)."""
        self.keys_dir = Path(keys_dir)
        self.agency_dir = Path(agency_dir)
        self.ws_path = Path(ws_path)
        self.lang = lang
        self.report: Any = None
        self.written: list[Any] = []
        self.busy = False
        self.ask_folder: Callable[[str, str], str | None] = self._ask_folder
        self.ask_confirm: Callable[[str, str], bool] = self._ask_confirm
        self.session_passphrase: Callable[[], bytes | None] = lambda: None
        """The agency key passphrase unlocked in this session (set by the window), so it is asked once."""
        self.on_unlocked: Callable[[str, bytes], None] | None = None
        """Told (identity text, passphrase) after the typed key passphrase opened the keys."""
        self._build()
        self._connect()
        self.go(0)

    # -- layout --------------------------------------------------------------------------------
    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self.stepLabel = QLabel(self)
        self.stepLabel.setStyleSheet("color: #555;")
        layout.addWidget(self.stepLabel)
        self.steps = QStackedWidget(self)
        layout.addWidget(self.steps, 1)
        self.sourceStep = BatchSourceStep(self)
        self.reviewStep = BatchReviewStep(self.lang, self)
        self.outputStep = BatchOutputStep(self)
        self.exportStep = BatchExportStep(self)
        # each step scrolls on a small screen: its fields keep their height (never squeezed to a line)
        for page in (self.sourceStep, self.reviewStep, self.outputStep, self.exportStep):
            scroll = QScrollArea(self.steps)
            scroll.setAccessibleName(self.tr("本步内容"))
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.steps.addWidget(scroll)
        # the steps' fields, as the wizard (and its tests) name them
        self.folderEdit, self.browseButton = self.sourceStep.folderEdit, self.sourceStep.browseButton
        review = self.reviewStep
        self.summaryLabel, self.problemLabel = review.summaryLabel, review.problemLabel
        self.proposalsModel, self.proposalsView = review.proposalsModel, review.proposalsView
        self.expertsModel, self.expertsView = review.expertsModel, review.expertsView
        out = self.outputStep
        self.singleRadio, self.perExpertRadio, self.perPanelRadio = out.singleRadio, out.perExpertRadio, out.perPanelRadio
        self.plainRadio, self.passphraseRadio, self.encGroup = out.plainRadio, out.passphraseRadio, out.encGroup
        self.passEdit, self.pass2Edit = out.passEdit, out.pass2Edit
        self.outEdit, self.outBrowse = out.outEdit, out.outBrowse
        self.keyPassEdit, self.keyPassLabel = out.keyPassEdit, out.keyPassLabel
        done = self.exportStep
        self.progressLabel, self.progressBar = done.progressLabel, done.progressBar
        self.resultLabel, self.filesList = done.resultLabel, done.filesList
        nav = QHBoxLayout()
        self.errorLabel = QLabel(self)
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setStyleSheet("color: #b3261e;")
        nav.addWidget(self.errorLabel, 1)
        self.backButton = QPushButton(self.tr("上一步"), self)
        self.nextButton = QPushButton(self.tr("下一步"), self)
        self.nextButton.setDefault(True)
        for b in (self.backButton, self.nextButton):
            b.setMinimumSize(110, 34)
            nav.addWidget(b)
        layout.addLayout(nav)

    def _connect(self) -> None:
        self.backButton.clicked.connect(self._on_back)
        self.nextButton.clicked.connect(self._on_next)
        self.browseButton.clicked.connect(self._on_browse_source)
        self.outBrowse.clicked.connect(self._on_browse_out)
        self.folderEdit.textChanged.connect(self._update)
        self.outEdit.textChanged.connect(self._update)
        self.passEdit.textChanged.connect(self._update)
        self.pass2Edit.textChanged.connect(self._update)
        self.keyPassEdit.textChanged.connect(self._update)
        self.encGroup.buttonToggled.connect(self._update)

    # -- navigation ----------------------------------------------------------------------------
    def step(self) -> int:
        return self.steps.currentIndex()

    def go(self, step: int) -> None:
        self.steps.setCurrentIndex(step)
        self.stepLabel.setText(self.tr("第 %1 步，共 4 步").replace("%1", str(step + 1)))
        self._update()

    def problem(self) -> str:
        """Why 下一步 is disabled on this step ("" when it is enabled)."""
        step = self.step()
        if step == 0:
            return "" if self.folderEdit.text().strip() else self.tr("请选择批次源文件夹。")
        if step == 1:
            return "" if self.report is not None and self.report.spec is not None else self.tr(
                "源文件有错误，请修改表格后点击“上一步”重新读取。")
        if step == 2:
            if not self.has_keys():
                return message("agency_keys.none", self.lang)
            if self.passphraseRadio.isChecked() and not self.passEdit.text():
                return self.tr("请设置批次口令。")  # not "too short" before anything is typed
            if self.passphraseRadio.isChecked():
                strength = check_passphrase(self.passEdit.text())
                if not strength.ok:
                    return message(strength.code or "", self.lang)
                if self.pass2Edit.text() != self.passEdit.text():
                    return message(PASSPHRASE_MISMATCH, self.lang)
            if not self.outEdit.text().strip():
                return self.tr("请选择输出文件夹。")
            if self._needs_key_pass() and not self.keyPassEdit.text():
                return self.tr("请输入机构签名密钥的口令。")
        return ""

    def _update(self) -> None:
        step = self.step()
        problem = self.problem()
        self.backButton.setEnabled(step > 0 and not self.busy)
        self.nextButton.setEnabled(not self.busy and (problem == "" or step == 3))
        self.nextButton.setText(
            {0: self.tr("读取"), 1: self.tr("下一步"), 2: self.tr("生成批次文件"), 3: self.tr("再生成一批")}[step])
        self.errorLabel.setText("" if step in (1, 3) else problem if step > 0 or self.folderEdit.text() else "")
        enabled = self.passphraseRadio.isChecked()
        for w in (self.passEdit, self.pass2Edit):
            w.setEnabled(enabled)
        protected = step == 2 and self._needs_key_pass()
        self.keyPassLabel.setVisible(protected)
        self.keyPassEdit.setVisible(protected)

    def _on_back(self) -> None:
        if self.step() > 0 and not self.busy:
            self.go(self.step() - 1)

    def _on_next(self) -> None:
        step = self.step()
        if step == 3:
            self.go(0)
        elif self.problem():
            return
        elif step == 0:
            self.read_source()
        elif step == 1:
            if not self.outEdit.text().strip():
                self.outEdit.setText(str(self.report.src_dir.parent / f"{self.report.spec.batch_id}-batches"))
            self.go(2)
        elif step == 2:
            self.export()

    # -- keys ----------------------------------------------------------------------------------
    def has_keys(self) -> bool:
        from tic_desktop.agency.keys import has_keys  # noqa: PLC0415

        return has_keys(self.keys_dir)

    def _key_protected(self) -> bool:
        from tic_desktop.agency.keys import is_protected  # noqa: PLC0415

        try:
            return self.has_keys() and is_protected(self.keys_dir)
        except Rejected:
            return False

    def _needs_key_pass(self) -> bool:
        return self._key_protected() and self.session_passphrase() is None

    # -- step 1 → 2 ----------------------------------------------------------------------------
    def read_source(self, folder: str | None = None) -> None:
        if folder is not None:
            self.folderEdit.setText(folder)
        src = Path(self.folderEdit.text().strip())
        from tic_desktop.agency.build import inspect_source  # noqa: PLC0415

        self._set_busy(True)
        self.errorLabel.setText(self.tr("正在读取源文件夹…"))
        run_in_background(lambda: inspect_source(src), self._on_read, self._on_failed)

    def _on_read(self, report: Any) -> None:
        self._set_busy(False)
        self.report = report
        self._show_report(report)
        self.go(1)

    def _show_report(self, report: Any) -> None:
        self.reviewStep.show_source(report)
        if report.spec is not None:
            self.outputStep.offer_panels(bool(report.spec.panels))

    def _on_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        if isinstance(exc, Rejected):
            self.errorLabel.setText(exc.text(self.lang))
        elif isinstance(exc, OSError):
            self.errorLabel.setText(self.tr("无法读写文件：%1").replace("%1", f"{exc.filename or ''} {exc.strerror or exc}"))
        else:
            raise exc
        self._update_keep_error()

    def _update_keep_error(self) -> None:
        text = self.errorLabel.text()
        self._update()
        self.errorLabel.setText(text)

    # -- step 3 → 4 ----------------------------------------------------------------------------
    def layout_choice(self) -> str:
        return self.outputStep.layout_choice()

    def export(self) -> None:
        spec = self.report.spec
        out_dir = Path(self.outEdit.text().strip())
        layout = self.layout_choice()
        from tic_desktop.agency.build import file_name  # noqa: PLC0415

        if layout == "per_panel":
            from tic_desktop.agency.build import split_by_panel  # noqa: PLC0415

            names = [file_name(sub.batch_id) for _panel, sub in split_by_panel(spec)]
        elif layout == "per_expert":
            names = [file_name(spec.batch_id, e.id) for e in spec.experts]
        else:
            names = [file_name(spec.batch_id)]
        existing = [n for n in names if (out_dir / n).exists()]
        if existing and not self.ask_confirm(self.tr("覆盖文件"), self.tr("输出文件夹中已有 %1 个同名文件（如 %2）。要覆盖吗？")
                                             .replace("%1", str(len(existing))).replace("%2", existing[0])):
            return
        passphrase = self.passEdit.text().encode("utf-8") if self.passphraseRadio.isChecked() else None
        typed = self._needs_key_pass()
        key_pass = (self.keyPassEdit.text().encode("utf-8") if typed else self.session_passphrase()
                    if self._key_protected() else None)
        self.written = []
        self.filesList.clear()
        self.resultLabel.setText("")
        self.progressBar.setRange(0, 0)
        self.progressLabel.setText(self.tr("正在签名并写入批次文件，每个文件写入后都会重新读取核对…"))
        self.go(3)
        self._set_busy(True)
        job = BatchExportJob(spec, self.keys_dir, self.ws_path, out_dir, layout, passphrase, key_pass, self.lang,
                         demo=self.demo)
        def done(result: Any) -> None:
            if typed and key_pass and job.identity_text and self.on_unlocked is not None:
                self.on_unlocked(job.identity_text, key_pass)
            self._on_exported(result)

        run_in_background(job.run, done, self._on_export_failed, on_progress=self._on_progress)

    def _on_progress(self, done: int, total: int) -> None:
        self.progressBar.setRange(0, total)
        self.progressBar.setValue(done)

    def _on_exported(self, result: Any) -> None:
        self._set_busy(False)
        written, added, add_error = result
        self.written = written
        self.progressLabel.setText(self.tr("完成。"))
        self.progressBar.setRange(0, 1)
        self.progressBar.setValue(1)
        for w in written:
            self.filesList.addItem(str(w.path))
        enc = self.tr("已用口令加密") if written and written[0].encrypted else self.tr("未加密")
        lines = [self.tr("已写入 %1 个批次文件（%2），每个文件都已重新读取并核对签名与内容：").replace("%1", str(len(written)))
                 .replace("%2", enc)]
        if written and written[0].encrypted:
            lines.append(self.tr("请把口令另行告知专家（电话或短信），不要与文件一起发送。"))
        if added:
            lines.append(self.tr("该批次已加入机构工作区，可在上方“当前批次”中选择。"))
        elif add_error:
            lines.append(self.tr("未能加入机构工作区：%1").replace("%1", add_error))
        self.resultLabel.setText("\n".join(lines))
        self.passEdit.clear()
        self.pass2Edit.clear()
        self.keyPassEdit.clear()
        self._update()
        self.finished.emit([w.path for w in written])
        if added:
            self.batchAdded.emit(added)

    def _on_export_failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.progressBar.setRange(0, 1)
        self.progressBar.setValue(0)
        self.progressLabel.setText(self.tr("未能生成批次文件。"))
        if isinstance(exc, Rejected):
            text = exc.text(self.lang)
        elif isinstance(exc, OSError):
            text = self.tr("无法读写文件：%1").replace("%1", f"{exc.filename or ''} {exc.strerror or exc}")
        else:
            raise exc
        self.resultLabel.setText(text)
        self.go(2)
        self.errorLabel.setText(text)

    def _set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._update()

    # -- hooks ---------------------------------------------------------------------------------
    def _on_browse_source(self) -> None:
        chosen = self.ask_folder(self.tr("选择批次源文件夹"), self.folderEdit.text() or str(Path.home()))
        if chosen:
            self.folderEdit.setText(chosen)

    def _on_browse_out(self) -> None:
        chosen = self.ask_folder(self.tr("选择输出文件夹"), self.outEdit.text() or str(Path.home()))
        if chosen:
            self.outEdit.setText(chosen)

    def _ask_folder(self, title: str, start: str) -> str | None:
        return QFileDialog.getExistingDirectory(self, title, start) or None

    def _ask_confirm(self, title: str, text: str) -> bool:
        answer = QMessageBox.question(self, title, text, QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                      QMessageBox.StandardButton.No)
        return answer == QMessageBox.StandardButton.Yes

