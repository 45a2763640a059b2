"""The four steps of 生成批次 (`batch_wizard.BatchWizard`), each a page of its own widgets:

1 `BatchSourceStep` the source folder; 2 `BatchReviewStep` the proposals and experts as parsed, or
the raw rows with the mistake named and its row shaded red (`show_source`); 3 `BatchOutputStep`
the files, the encryption and the output folder; 4 `BatchExportStep` the progress and the files
written. The wizard moves between them, checks them and runs the jobs; the steps only hold and show.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QSplitter,
    QStyle,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.labels import CENTER_TYPE_LABELS, KIND_LABELS
from tic_desktop.ui.common.people import role_text
from tic_desktop.ui.common.short_titles import short_titles
from tic_desktop.ui.common.table_model import TableModel

Index = QModelIndex | QPersistentModelIndex


class SourceModel(TableModel):
    """A table whose one row with the source's mistake is shaded red."""

    def __init__(self, headers: list[str]) -> None:
        super().__init__(headers)
        self.bad_row: int | None = None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and self.bad_row is not None and index.row() == self.bad_row:
            return QColor("#f9d6d5")
        return super().data(index, role)


def heading(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    font = QFont(label.font())
    font.setPointSizeF(font.pointSizeF() * 1.4)
    font.setBold(True)
    label.setFont(font)
    return label


def wrapped(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    return label


def note(text: str, parent: QWidget) -> QLabel:
    label = wrapped(text, parent)
    label.setStyleSheet("color: #555;")
    return label


class BatchSourceStep(QWidget):
    """Step 1: the source folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addWidget(heading(self.tr("选择批次源文件夹"), self))
        v.addWidget(wrapped(self.tr(
            "源文件夹中应有：batch（批次信息）、proposals（申报项目）、experts（专家）表格（CSV 或 XLSX），"
            "可选 budget（预算）、kpis（绩效指标），以及 proposals/<项目编号>/ 下的 PDF 申报材料。"
            "表头可用中文或英文列名。"), self))
        row = QHBoxLayout()
        self.folderEdit = QLineEdit(self)
        self.folderEdit.setAccessibleName(self.tr("批次源文件夹"))
        self.folderEdit.setPlaceholderText(self.tr("批次源文件夹的路径"))
        self.browseButton = QPushButton(self.tr("选择文件夹…"), self)
        row.addWidget(self.folderEdit, 1)
        row.addWidget(self.browseButton)
        v.addLayout(row)
        v.addStretch(1)


class BatchReviewStep(QWidget):
    """Step 2: what was read — the parsed proposals and experts, or the raw rows and the mistake."""

    def __init__(self, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        v = QVBoxLayout(self)
        v.addWidget(heading(self.tr("核对读取结果"), self))
        self.summaryLabel = wrapped("", self)
        v.addWidget(self.summaryLabel)
        self.problemLabel = wrapped("", self)
        self.problemLabel.setStyleSheet("color: #b3261e; font-weight: bold; padding: 6px; background: #fdecea;")
        self.problemLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.problemLabel)
        split = QSplitter(Qt.Orientation.Vertical, self)
        self.proposalsModel = SourceModel([])
        self.proposalsView = self._table(self.proposalsModel, self.tr("申报项目"))
        self.expertsModel = SourceModel([])
        self.expertsView = self._table(self.expertsModel, self.tr("专家"))
        for title, view in ((self.tr("申报项目"), self.proposalsView), (self.tr("专家"), self.expertsView)):
            box = QGroupBox(title, split)
            QVBoxLayout(box).addWidget(view)
            split.addWidget(box)
        v.addWidget(split, 1)

    def _table(self, model: TableModel, name: str) -> QTableView:
        view = QTableView(self)
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

    def show_source(self, report: Any) -> None:
        """`agency.build.inspect_source`'s report: the parsed source, or its mistake over the raw rows."""
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


class BatchOutputStep(QWidget):
    """Step 3: one file / one per expert / one batch per panel, the encryption, the output folder."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addWidget(heading(self.tr("选择输出方式"), self))
        files = QGroupBox(self.tr("文件"), self)
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
        fv.addWidget(note(self.tr(
            "每位专家的文件内容完全相同（同一份签名清单），只是分别写出，因此所有评分表都对应同一个批次，汇总不受影响。"
            "专家表有“专家组”列时，可按组拆分：每组一个批次（编号加“-P序号”），各组的评分表分别汇总。"), files))
        v.addWidget(files)
        enc = QGroupBox(self.tr("加密"), self)
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
        ev.addWidget(note(self.tr(
            "口令请通过电话或短信另行告知专家，不要与批次文件一起发送。"
            "专家表格中没有专家的加密公钥（专家的密钥在其第一次打开批次时才生成），因此不提供“加密给专家密钥”。"), enc))
        v.addWidget(enc)
        out = QGroupBox(self.tr("输出文件夹与签名"), self)
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

    def offer_panels(self, panels: bool) -> None:
        """A source with panels makes one batch per panel (one batch may name only one chair)."""
        self.perPanelRadio.setEnabled(panels)
        self.singleRadio.setEnabled(not panels)
        self.perExpertRadio.setEnabled(not panels)
        (self.perPanelRadio if panels else self.singleRadio).setChecked(True)

    def layout_choice(self) -> str:
        if self.perPanelRadio.isChecked():
            return "per_panel"
        return "per_expert" if self.perExpertRadio.isChecked() else "single"


class BatchExportStep(QWidget):
    """Step 4: the progress of the writing, then what was written."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        v = QVBoxLayout(self)
        v.addWidget(heading(self.tr("生成与核对"), self))
        self.progressLabel = wrapped("", self)
        v.addWidget(self.progressLabel)
        self.progressBar = QProgressBar(self)
        v.addWidget(self.progressBar)
        self.resultLabel = wrapped("", self)
        self.resultLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        v.addWidget(self.resultLabel)
        self.filesList = QListWidget(self)
        self.filesList.setAccessibleName(self.tr("已写入的文件"))
        v.addWidget(self.filesList, 1)
