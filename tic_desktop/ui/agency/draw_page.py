"""抽取专家 page: the fair random draw from the workspace's pool (agency.draw_job, as the command line).

The pool is written to OUT_DIR/pool.csv and the proposals table copied beside it, so the record can
be replayed from OUT_DIR alone (`tic-desktop pool draw --replay OUT_DIR/draw.json --pool OUT_DIR/pool.csv
--centers OUT_DIR/<proposals file>`). The draw runs off the GUI thread; the seed is shown big, the
panels, reserves and the number of exclusions below it; 替换所选专家… makes a new signed revision.
Every record revision is also kept in the workspace (pool_store.save_draw, audited).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.errors import Rejected
from tic_desktop.core.labels import ROLE_LABELS, label
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.table_model import TableModel


class DrawPage(QWidget):
    drawn = Signal(dict)  # the record

    def __init__(self, workspace: Any, keys_dir: Path, lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self.keys_dir = Path(keys_dir)
        self.lang = lang
        self.record: dict[str, Any] | None = None
        self.out_dir: Path | None = None
        self.busy = False
        self._build()
        self._connect()

    def _spin(self, value: int, low: int, high: int) -> QSpinBox:
        s = QSpinBox(self)
        s.setRange(low, high)
        s.setValue(value)
        s.setMinimumWidth(80)
        s.setMaximumWidth(120)
        return s

    def _file_row(self, edit: QLineEdit, button: QPushButton) -> QHBoxLayout:
        row = QHBoxLayout()
        row.addWidget(edit, 1)
        row.addWidget(button)
        return row

    def _build(self) -> None:
        # everything scrolls, so that the page fits a 1366×768 screen at 125% (tests/ui/test_screen_fit.py)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setAccessibleName(self.tr("抽取专家"))
        inner = QWidget(scroll)
        outer = QVBoxLayout(inner)
        outer.setContentsMargins(0, 0, 0, 0)
        page = QVBoxLayout(self)
        page.setContentsMargins(0, 0, 0, 0)
        page.addWidget(scroll)
        box = QGroupBox(self.tr("抽取规则"), self)
        form = QFormLayout(box)
        self.centersEdit = QLineEdit(box)
        self.centersEdit.setPlaceholderText(self.tr("批次源的申报项目表（proposals.csv / .xlsx）"))
        self.centersButton = QPushButton(self.tr("选择…"), box)
        form.addRow(self.tr("申报项目表："), self._file_row(self.centersEdit, self.centersButton))
        self.panelsSpin = self._spin(1, 1, 200)
        form.addRow(self.tr("专家组数："), self.panelsSpin)
        seats = QHBoxLayout()
        self.technicalSpin, self.financeSpin, self.managementSpin = (self._spin(5, 0, 50), self._spin(1, 0, 20),
                                                                     self._spin(1, 0, 20))
        for text, spin in ((self.tr("技术专家"), self.technicalSpin), (self.tr("财务专家"), self.financeSpin),
                           (self.tr("管理专家"), self.managementSpin)):
            seats.addWidget(QLabel(text, box))
            seats.addWidget(spin)
        seats.addStretch(1)
        form.addRow(self.tr("每组人数："), seats)
        self.reservesSpin = self._spin(1, 0, 20)
        form.addRow(self.tr("每组每类候补："), self.reservesSpin)
        self.maxUnitSpin = self._spin(0, 0, 50)
        self.maxUnitSpin.setSpecialValueText(self.tr("不限"))
        form.addRow(self.tr("同单位每组最多："), self.maxUnitSpin)
        self.dateEdit = QLineEdit(box)
        self.dateEdit.setPlaceholderText(self.tr("YYYY-MM-DD（可不填；排除当天不能参加的专家）"))
        form.addRow(self.tr("评审日期："), self.dateEdit)
        self.rotationCheck = QCheckBox(self.tr("上次评审过该中心的专家回避（轮换）"), box)
        self.rotationCheck.setChecked(True)
        form.addRow("", self.rotationCheck)
        self.seedEdit = QLineEdit(box)
        self.seedEdit.setPlaceholderText(self.tr("留空：抽取时由操作系统产生（推荐）"))
        form.addRow(self.tr("随机种子："), self.seedEdit)
        self.supervisorsEdit = QLineEdit(box)
        self.supervisorsEdit.setPlaceholderText(self.tr("在场监督人姓名，用顿号分隔"))
        form.addRow(self.tr("监督人："), self.supervisorsEdit)
        self.agencyEdit = QLineEdit(box)
        form.addRow(self.tr("组织机构："), self.agencyEdit)
        self.keyPassEdit = QLineEdit(box)
        self.keyPassEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.keyPassEdit.setPlaceholderText(self.tr("签名密钥受口令保护时填写"))
        form.addRow(self.tr("密钥口令："), self.keyPassEdit)
        self.outEdit = QLineEdit(box)
        self.outButton = QPushButton(self.tr("选择…"), box)
        form.addRow(self.tr("输出文件夹："), self._file_row(self.outEdit, self.outButton))
        outer.addWidget(box)
        row = QHBoxLayout()
        self.drawButton = QPushButton(self.tr("抽取"), self)
        self.replaceButton = QPushButton(self.tr("替换所选专家…"), self)
        self.replaceButton.setEnabled(False)
        row.addWidget(self.drawButton)
        row.addWidget(self.replaceButton)
        self.seedLabel = QLabel(self)
        font = self.seedLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.seedLabel.setFont(font)
        self.seedLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        row.addWidget(self.seedLabel, 1)
        outer.addLayout(row)
        self.statusLabel = QLabel(self)
        self.statusLabel.setWordWrap(True)
        self.statusLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        outer.addWidget(self.statusLabel)
        self.model = TableModel([self.tr("专家组"), self.tr("身份"), self.tr("专家编号"), self.tr("姓名"), self.tr("单位"),
                                 self.tr("类别"), self.tr("专业领域"), self.tr("评审中心")], parent=self)
        self.table = QTableView(self)
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setAccessibleName(self.tr("抽取结果"))
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setMinimumHeight(260)
        self.exclusionModel = TableModel([self.tr("专家编号"), self.tr("中心"), self.tr("回避原因"), self.tr("依据")],
                                         parent=self)
        self.exclusionTable = QTableView(self)
        self.exclusionTable.setModel(self.exclusionModel)
        self.exclusionTable.setAccessibleName(self.tr("回避名单"))
        self.exclusionTable.verticalHeader().setVisible(False)
        self.exclusionTable.horizontalHeader().setStretchLastSection(True)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.table, self.tr("抽取结果"))
        self.tabs.addTab(self.exclusionTable, self.tr("回避名单"))
        outer.addWidget(self.tabs, 1)
        scroll.setWidget(inner)

    def _connect(self) -> None:
        self.centersButton.clicked.connect(self._on_pick_centers)
        self.outButton.clicked.connect(self._on_pick_out)
        self.drawButton.clicked.connect(self.start_draw)
        self.replaceButton.clicked.connect(self._on_replace)

    def _say(self, text: str, ok: bool) -> None:
        self.statusLabel.setStyleSheet("color: #1b5e20;" if ok else "color: #b71c1c;")
        self.statusLabel.setText(text)

    def _on_pick_centers(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, self.tr("申报项目表"), "", self.tr("表格 (*.csv *.xlsx)"))
        if path:
            self.centersEdit.setText(path)

    def _on_pick_out(self) -> None:
        path = QFileDialog.getExistingDirectory(self, self.tr("输出文件夹"))
        if path:
            self.outEdit.setText(path)

    def _rules(self) -> Any:
        from tic_desktop.agency.draw import DrawRules  # noqa: PLC0415

        seats = {"technical": self.technicalSpin.value(), "finance": self.financeSpin.value(),
                 "management": self.managementSpin.value()}
        return DrawRules(panels=self.panelsSpin.value(), per_panel={k: v for k, v in seats.items() if v},
                         reserves=self.reservesSpin.value(), max_per_unit=self.maxUnitSpin.value() or None,
                         rotation=self.rotationCheck.isChecked(), date=self.dateEdit.text().strip() or None)

    def _certificate(self) -> str:
        """The document-signing certificate's fingerprint, printed on the letters ("" when none yet)."""
        from tic_desktop.formats.docsign import certificate_fingerprint  # noqa: PLC0415

        try:
            return certificate_fingerprint(self.keys_dir)
        except Rejected:
            return ""

    def _keys(self) -> Any:
        from tic_desktop.formats.keys import load_agency_keys  # noqa: PLC0415

        secret = self.keyPassEdit.text().encode("utf-8") or None
        return load_agency_keys(self.keys_dir, passphrase=secret)

    def start_draw(self) -> None:
        """Check the inputs, then draw in the background (the button is off until it is done)."""
        import datetime as _dt  # noqa: PLC0415

        from tic_desktop.agency import pool_store  # noqa: PLC0415
        from tic_desktop.agency.draw_job import run_draw  # noqa: PLC0415
        from tic_desktop.agency.pool import pool_csv_bytes  # noqa: PLC0415

        centers = Path(self.centersEdit.text().strip()) if self.centersEdit.text().strip() else None
        out = Path(self.outEdit.text().strip()) if self.outEdit.text().strip() else None
        experts = pool_store.experts(self.workspace)
        problem = (self.tr("专家库是空的：请先在“专家库”页导入。") if not experts else
                   self.tr("请选择申报项目表。") if centers is None or not centers.is_file() else
                   self.tr("请选择输出文件夹。") if out is None else "")
        date = self.dateEdit.text().strip()
        if not problem and date:
            try:
                _dt.date.fromisoformat(date)
            except ValueError:
                problem = self.tr("评审日期应写成 YYYY-MM-DD。")
        if problem:
            self._say(problem, False)
            return
        assert centers is not None and out is not None
        try:
            keys, rules = self._keys(), self._rules()
        except Rejected as exc:
            self._say(exc.text(self.lang), False)
            return
        aliases = pool_store.aliases(self.workspace)
        supervisors = [s for s in self.supervisorsEdit.text().replace("，", "、").replace(",", "、").split("、")]
        seed = self.seedEdit.text().strip() or None
        agency = self.agencyEdit.text().strip()

        def work() -> Any:
            out.mkdir(parents=True, exist_ok=True)
            (out / "pool.csv").write_bytes(pool_csv_bytes(experts))
            copy = out / centers.name
            if copy.resolve() != centers.resolve():
                shutil.copyfile(centers, copy)
            done = run_draw(out / "pool.csv", copy, rules, keys, out, seed=seed, agency_name=agency,
                            supervisors=supervisors, aliases=aliases, experts=experts,
                            certificate_fingerprint=self._certificate())
            return done, (out / "draw.json").read_bytes(), (out / "draw.json.sig").read_bytes()

        self._run(work, out)

    def _run(self, work: Any, out: Path) -> None:
        self.busy = True
        self.drawButton.setEnabled(False)
        self.replaceButton.setEnabled(False)
        self._say(self.tr("正在抽取并生成抽取记录和邀请函…"), True)
        run_in_background(work, lambda r: self._on_done(r, out), self._on_error, owner=self)

    def _on_done(self, result: Any, out: Path) -> None:
        from tic_desktop.agency import pool_store  # noqa: PLC0415

        done, data, sig = result
        rec = done.record
        pool_store.save_draw(self.workspace, rec["draw_id"], rec["revision"], data, sig)
        self.busy = False
        self.record, self.out_dir = rec, out
        self.drawButton.setEnabled(True)
        self.replaceButton.setEnabled(True)
        self.seedLabel.setText(self.tr("随机种子：%1").replace("%1", rec["seed"]))
        self._show(rec)
        self._say(self.tr("抽取记录 %1 第 %2 版已签名；回避 %3 条；文件在 %4（draw.pdf、experts.csv、letters/ …）")
                  .replace("%1", rec["draw_id"]).replace("%2", str(rec["revision"]))
                  .replace("%3", str(len(rec["exclusions"]))).replace("%4", str(out)), True)
        self.drawn.emit(rec)

    def _on_error(self, exc: BaseException) -> None:
        self.busy = False
        self.drawButton.setEnabled(True)
        self.replaceButton.setEnabled(self.record is not None)
        text = exc.text(self.lang) if isinstance(exc, Rejected) else f"{type(exc).__name__}: {exc}"
        self._say(self.tr("未完成：") + text, False)

    def _show(self, rec: dict[str, Any]) -> None:
        rows = []
        used = {r["replaced_by"] for r in rec["replacements"]}
        for p in rec["panels"]:
            for kind, seats in (("member", p["members"]), ("reserve", p["reserves"])):
                for m in seats:
                    who = (self.tr("组长") if m["chair"] and kind == "member" else self.tr("成员") if kind == "member"
                           else self.tr("候补（已递补）") if m["expert_id"] in used else self.tr("候补"))
                    rows.append((p["panel"], who, m["expert_id"], m["name"], m["unit"],
                                 label(ROLE_LABELS, m["role"], self.lang), "、".join(m["fields"]),
                                 "、".join(p["proposals"])))
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        from tic_desktop.agency.avoidance import REASONS  # noqa: PLC0415

        every = self.tr("全部中心")
        self.exclusionModel.set_rows([
            (x["expert_id"], every if x["proposal_id"] == "*" else x["proposal_id"],
             REASONS[x["reason"]][0 if self.lang.startswith("zh") else 1] if x["reason"] in REASONS else x["reason"],
             x["detail"]) for x in rec["exclusions"]])
        self.exclusionTable.resizeColumnsToContents()
        self.tabs.setTabText(1, self.tr("回避名单（%1）").replace("%1", str(len(rec["exclusions"]))))

    def replace_expert(self, expert_id: str, reason: str) -> None:
        """A new signed revision: `expert_id` replaced from the reserves, in order (in the background)."""
        from tic_desktop.agency.draw_job import run_replacement  # noqa: PLC0415

        if self.record is None or self.out_dir is None:
            return
        if not reason.strip():
            self._say(self.tr("请填写替换原因。"), False)
            return
        try:
            keys = self._keys()
        except Rejected as exc:
            self._say(exc.text(self.lang), False)
            return
        out, rec = self.out_dir, self.record

        def work() -> Any:
            done = run_replacement(out / "draw.json", out / rec["pool"]["file"], out / rec["centers"]["file"],
                                   expert_id, reason, keys, certificate_fingerprint=self._certificate())
            return done, (out / "draw.json").read_bytes(), (out / "draw.json.sig").read_bytes()

        self._run(work, out)

    def _on_replace(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.record is None:
            self._say(self.tr("请先在表中选择不能参加的专家。"), False)
            return
        row = self.model.rows()[rows[0].row()]
        reason, ok = QInputDialog.getText(self, self.tr("替换专家"),
                                          self.tr("%1 不能参加的原因：").replace("%1", f"{row[2]} {row[3]}"))
        if ok:
            self.replace_expert(str(row[2]), reason)
