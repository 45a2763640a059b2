"""生成批次: the batch wizard over `agency.build` (what `tic-desktop batch build` does, with a view).

Steps: 1 choose the source folder → read it off the GUI thread (`agency.build.inspect_source`) →
2 see the proposals and experts as parsed, or the raw rows with the mistake named (file, row,
column) and its row marked → 3 choose the files (one file / one per expert), the encryption (none
/ passphrase entered twice) and the output folder → 4 write off the GUI thread with progress, each
file read back from disk, and the list of files written. The batch is then kept in the agency
workspace (a copy encrypted to the agency's own key) and selected in the window.

What the source format allows, and so what is offered: experts.csv/xlsx has no column for an
expert's age public key (experts make their keys when they first open a batch), so there is no
"encrypt to the experts' keys"; it has no panel column either (one source folder is one panel),
so there is no per-panel split.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSplitter,
    QStackedWidget,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected, message
from tic_desktop.core.labels import CENTER_TYPE_LABELS, KIND_LABELS
from tic_desktop.core.passphrase import PASSPHRASE_MISMATCH, check_passphrase
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.people import role_text
from tic_desktop.ui.common.short_titles import short_titles
from tic_desktop.ui.common.table_model import TableModel

Index = QModelIndex | QPersistentModelIndex


class _SourceModel(TableModel):
    """A table whose one row with the source's mistake is shaded red."""

    def __init__(self, headers: list[str]) -> None:
        super().__init__(headers)
        self.bad_row: int | None = None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and self.bad_row is not None and index.row() == self.bad_row:
            return QColor("#f9d6d5")
        return super().data(index, role)



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
    def _heading(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        font = QFont(label.font())
        font.setPointSizeF(font.pointSizeF() * 1.4)
        font.setBold(True)
        label.setFont(font)
        return label

    def _wrap(self, text: str, parent: QWidget) -> QLabel:
        label = QLabel(text, parent)
        label.setWordWrap(True)
        return label

    def _build(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 8, 16, 8)
        self.stepLabel = QLabel(self)
        self.stepLabel.setStyleSheet("color: #555;")
        layout.addWidget(self.stepLabel)
        self.steps = QStackedWidget(self)
        layout.addWidget(self.steps, 1)
        # each step scrolls on a small screen: its fields keep their height (never squeezed to a line)
        for page in (self._source_step(), self._review_step(), self._output_step(), self._export_step()):
            scroll = QScrollArea(self.steps)
            scroll.setAccessibleName(self.tr("本步内容"))
            scroll.setWidgetResizable(True)
            scroll.setFrameShape(QFrame.Shape.NoFrame)
            scroll.setWidget(page)
            self.steps.addWidget(scroll)
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

    def _source_step(self) -> QWidget:
        page = QWidget(self)
        v = QVBoxLayout(page)
        v.addWidget(self._heading(self.tr("选择批次源文件夹"), page))
        v.addWidget(self._wrap(self.tr(
            "源文件夹中应有：batch（批次信息）、proposals（申报项目）、experts（专家）表格（CSV 或 XLSX），"
            "可选 budget（预算）、kpis（绩效指标），以及 proposals/<项目编号>/ 下的 PDF 申报材料。"
            "表头可用中文或英文列名。"), page))
        row = QHBoxLayout()
        self.folderEdit = QLineEdit(page)
        self.folderEdit.setAccessibleName(self.tr("批次源文件夹"))
        self.folderEdit.setPlaceholderText(self.tr("批次源文件夹的路径"))
        self.browseButton = QPushButton(self.tr("选择文件夹…"), page)
        row.addWidget(self.folderEdit, 1)
        row.addWidget(self.browseButton)
        v.addLayout(row)
        v.addStretch(1)
        return page

    def _review_step(self) -> QWidget:
        page = QWidget(self)
        v = QVBoxLayout(page)
        v.addWidget(self._heading(self.tr("核对读取结果"), page))
        self.summaryLabel = self._wrap("", page)
        v.addWidget(self.summaryLabel)
        self.problemLabel = self._wrap("", page)
        self.problemLabel.setStyleSheet("color: #b3261e; font-weight: bold; padding: 6px; background: #fdecea;")
        self.problemLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.problemLabel)
        split = QSplitter(Qt.Orientation.Vertical, page)
        self.proposalsTitle = QLabel(page)
        self.proposalsModel = _SourceModel([])
        self.proposalsView = self._table(self.proposalsModel, page, self.tr("申报项目"))
        self.expertsModel = _SourceModel([])
        self.expertsView = self._table(self.expertsModel, page, self.tr("专家"))
        for title, view in ((self.tr("申报项目"), self.proposalsView), (self.tr("专家"), self.expertsView)):
            box = QGroupBox(title, split)
            QVBoxLayout(box).addWidget(view)
            split.addWidget(box)
        v.addWidget(split, 1)
        return page

    def _table(self, model: TableModel, parent: QWidget, name: str) -> QTableView:
        view = QTableView(parent)
        view.setTabKeyNavigation(False)  # Tab leaves the table (arrows move inside)
        view.setModel(model)
        view.setAccessibleName(name)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setAlternatingRowColors(True)
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setStretchLastSection(True)
        # one line a row: more rows in view on a small screen (issue 17: tables three rows tall)
        view.setWordWrap(False)
        view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        view.verticalHeader().setDefaultSectionSize(view.fontMetrics().lineSpacing() + 8)
        # room for six rows and a sideways scroll bar: on a small screen the step scrolls instead of
        # squeezing the tables (English at 1366×768, 125%: 4.5 and 5.1 rows in view)
        view.setMinimumHeight(view.horizontalHeader().sizeHint().height()
                              + 6 * view.verticalHeader().defaultSectionSize()
                              + view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
                              + 2 * view.frameWidth() + 2)
        return view

    def _output_step(self) -> QWidget:
        page = QWidget(self)
        v = QVBoxLayout(page)
        v.addWidget(self._heading(self.tr("选择输出方式"), page))
        files = QGroupBox(self.tr("文件"), page)
        fv = QVBoxLayout(files)
        self.singleRadio = QRadioButton(self.tr("整个专家组一个批次文件"), files)
        self.perExpertRadio = QRadioButton(self.tr("每位专家一个文件（文件名含专家编号，便于分别发送）"), files)
        self.perPanelRadio = QRadioButton(self.tr("每个专家组一个批次（按专家表的“专家组”列拆分，各组只含本组的专家和项目）"),
                                          files)
        self.singleRadio.setChecked(True)
        self.layoutGroup = QButtonGroup(self)
        for b in (self.singleRadio, self.perExpertRadio, self.perPanelRadio):
            self.layoutGroup.addButton(b)
            fv.addWidget(b)
        fv.addWidget(self._note(self.tr(
            "每位专家的文件内容完全相同（同一份签名清单），只是分别写出，因此所有评分表都对应同一个批次，汇总不受影响。"
            "专家表有“专家组”列时，可按组拆分：每组一个批次（编号加“-P序号”），各组的评分表分别汇总。"), files))
        v.addWidget(files)
        enc = QGroupBox(self.tr("加密"), page)
        ev = QVBoxLayout(enc)
        self.plainRadio = QRadioButton(self.tr("不加密（请通过安全渠道传递文件）"), enc)
        self.passphraseRadio = QRadioButton(self.tr("用口令加密"), enc)
        self.passphraseRadio.setChecked(True)
        self.encGroup = QButtonGroup(self)
        for b in (self.plainRadio, self.passphraseRadio):
            self.encGroup.addButton(b)
            ev.addWidget(b)
        form = QFormLayout()
        self.passEdit = QLineEdit(enc)
        self.passEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passEdit.setAccessibleName(self.tr("批次口令"))
        self.pass2Edit = QLineEdit(enc)
        self.pass2Edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass2Edit.setAccessibleName(self.tr("再次输入批次口令"))
        form.addRow(self.tr("批次口令："), self.passEdit)
        form.addRow(self.tr("再次输入："), self.pass2Edit)
        ev.addLayout(form)
        ev.addWidget(self._note(self.tr(
            "口令请通过电话或短信另行告知专家，不要与批次文件一起发送。"
            "专家表格中没有专家的加密公钥（专家的密钥在其第一次打开批次时才生成），因此不提供“加密给专家密钥”。"), enc))
        v.addWidget(enc)
        out = QGroupBox(self.tr("输出文件夹与签名"), page)
        of = QFormLayout(out)
        row = QHBoxLayout()
        self.outEdit = QLineEdit(out)
        self.outEdit.setAccessibleName(self.tr("输出文件夹"))
        self.outBrowse = QPushButton(self.tr("选择…"), out)
        row.addWidget(self.outEdit, 1)
        row.addWidget(self.outBrowse)
        of.addRow(self.tr("输出文件夹："), row)
        self.keyPassEdit = QLineEdit(out)
        self.keyPassEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyPassEdit.setAccessibleName(self.tr("机构签名密钥口令"))
        self.keyPassLabel = QLabel(self.tr("机构密钥口令："), out)
        of.addRow(self.keyPassLabel, self.keyPassEdit)
        v.addWidget(out)
        v.addStretch(1)
        return page

    def _note(self, text: str, parent: QWidget) -> QLabel:
        label = self._wrap(text, parent)
        label.setStyleSheet("color: #555;")
        return label

    def _export_step(self) -> QWidget:
        page = QWidget(self)
        v = QVBoxLayout(page)
        v.addWidget(self._heading(self.tr("生成与核对"), page))
        self.progressLabel = self._wrap("", page)
        v.addWidget(self.progressLabel)
        self.progressBar = QProgressBar(page)
        v.addWidget(self.progressBar)
        self.resultLabel = self._wrap("", page)
        self.resultLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.resultLabel)
        self.filesList = QListWidget(page)
        self.filesList.setAccessibleName(self.tr("已写入的文件"))
        v.addWidget(self.filesList, 1)
        return page

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
        spec = report.spec
        if spec is not None:
            kind = KIND_LABELS[spec.kind]
            self.summaryLabel.setText(
                self.tr("批次：%1（%2）· 评审类型：%3 · 组织机构：%4 · %5 个申报项目，%6 位专家，%7 份 PDF 材料")
                .replace("%1", spec.title.get(self.lang)).replace("%2", spec.batch_id)
                .replace("%3", kind.get(self.lang)).replace("%4", spec.agency_name)
                .replace("%5", str(len(spec.proposals))).replace("%6", str(len(spec.experts)))
                .replace("%7", str(len(spec.documents))))
            self.problemLabel.setVisible(False)
            self._show_parsed(spec)
            # a source with panels makes one batch per panel (one batch may name only one chair)
            self.perPanelRadio.setEnabled(bool(spec.panels))
            self.singleRadio.setEnabled(not spec.panels)
            self.perExpertRadio.setEnabled(not spec.panels)
            (self.perPanelRadio if spec.panels else self.singleRadio).setChecked(True)
            return
        self.summaryLabel.setText(self.tr("读取时发现以下错误。请按提示修改表格后，点击“上一步”重新读取。下面是表格的原始内容，出错的行以红色标出。"))
        self.problemLabel.setText(report.error.text(self.lang))
        self.problemLabel.setVisible(True)
        for key, model, view in (("proposals", self.proposalsModel, self.proposalsView),
                                 ("experts", self.expertsModel, self.expertsView)):
            raw = report.tables.get(key)
            model.set_headers([self.tr("行号"), *(raw.headers if raw else [])])
            model.set_rows([[str(n), *cells] for n, cells in raw.rows] if raw else [])
            bad = report.error_row(key)
            model.bad_row = next((i for i, (n, _c) in enumerate(raw.rows) if n == bad), None) if raw else None
            if model.bad_row is not None:
                view.scrollTo(model.index(model.bad_row, 0))

    def _show_parsed(self, spec: Any) -> None:
        lang = self.lang
        self.proposalsModel.bad_row = None
        self.proposalsModel.set_headers([self.tr("编号"), self.tr("中心名称"), self.tr("类型"), self.tr("依托单位"),
                                         self.tr("技术领域"), self.tr("评分表"), self.tr("材料")])
        # the forms by their short titles, not their ids (issue 17: raw ids in step 2)
        titles = short_titles({f.id: f.title.get(lang) for f in spec.forms})
        self.proposalsModel.set_rows([
            [p.id, p.center_name, CENTER_TYPE_LABELS[p.center_type].get(lang), p.lead_unit, p.field,
             "、".join(titles.get(f, f) for f in p.forms), "、".join(d.title for d in p.documents) or self.tr("（无）")]
            for p in spec.proposals])
        self.expertsModel.bad_row = None
        panel = [self.tr("专家组")] if spec.panels else []
        self.expertsModel.set_headers([self.tr("编号"), self.tr("姓名"), self.tr("单位"), self.tr("职称"),
                                       self.tr("角色"), self.tr("评审项目"), self.tr("回避项目"), *panel])
        self.expertsModel.set_rows([
            [e.id, e.name, e.unit, e.title, role_text(e.role, e.chair),
             str(len(e.assigned)) if len(e.assigned) != len(spec.proposals) else self.tr("全部（%1）").replace(
                 "%1", str(len(e.assigned))), "、".join(e.known_conflicts), *([spec.panels[e.id]] if panel else [])]
            for e in spec.experts])

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
        if self.perPanelRadio.isChecked():
            return "per_panel"
        return "per_expert" if self.perExpertRadio.isChecked() else "single"

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
        job = _ExportJob(spec, self.keys_dir, self.ws_path, out_dir, layout, passphrase, key_pass, self.lang,
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


class _ExportJob:
    """Runs in a worker: load the keys, write the files, keep the agency's copy in its workspace."""

    def __init__(self, spec: Any, keys_dir: Path, ws_path: Path, out_dir: Path, layout: str,
                 passphrase: bytes | None, key_pass: bytes | None, lang: str = "zh", *, demo: bool = False) -> None:
        self.lang = lang
        self.demo = demo
        self.spec, self.keys_dir, self.ws_path, self.out_dir = spec, keys_dir, ws_path, out_dir
        self.layout, self.passphrase, self.key_pass = layout, passphrase, key_pass
        self.identity_text = ""

    def run(self, progress: Callable[[int, int], None]) -> tuple[list[Any], str, str]:
        """`progress(done, total)` after each file (run_in_background's report)."""
        import tempfile  # noqa: PLC0415

        from tic_desktop.agency.build import DEMO_KEY, with_expert_keys, write_batches  # noqa: PLC0415
        from tic_desktop.agency.service import open_workspace  # noqa: PLC0415
        from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415
        from tic_desktop.formats.keys import load_agency_keys  # noqa: PLC0415

        keys = load_agency_keys(self.keys_dir, passphrase=self.key_pass)
        self.identity_text = keys.age_identity_text()
        if is_demo_agency_fingerprint(keys.fingerprint) and not self.demo:
            raise Rejected(DEMO_KEY, keys.fingerprint)
        spec = self.spec
        with open_workspace(self.ws_path, check_location=False) as ws:  # the keys the registry knows go
            known = {eid: k.fingerprint for eid, k in ws.active_keys().items()}  # into the signed manifest
        if known:
            spec = with_expert_keys(spec, known)
        with tempfile.TemporaryDirectory(prefix="tic-agency-") as tmp:
            copy = Path(tmp) / "batch.ticbatch"  # the same signed ZIP, encrypted to the agency's own key
            written = write_batches(spec, keys, self.out_dir, layout=self.layout,  # type: ignore[arg-type]
                                    passphrase=self.passphrase, progress=progress, agency_copy=copy)
            try:
                ws = open_workspace(self.ws_path, check_location=False)
                try:  # one copy, or one per panel beside it
                    infos = [ws.add_batch(c, keys.age_identity_text(), own_fingerprint=keys.fingerprint,
                                          allow_demo=self.demo) for c in sorted(Path(tmp).glob("*.ticbatch"))]
                finally:
                    ws.close()
            except Rejected as exc:
                return written, "", exc.text(self.lang)
        return written, infos[0].batch_id, ""
