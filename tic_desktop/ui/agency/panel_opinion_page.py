"""专家组意见: the panel meeting record of the batch (date, place, mode, chair, deputy; saved at once),
and per proposal × form the chair's opinion in the usual five sections (core.panel_opinion.SECTIONS),
the dissent note (保留意见) and the name of who signs as 组长 — the deputy where the chair stands aside
(回避) — beside every expert's comments on that proposal (criterion comments and overall fields, by
name, read-only) with 插入 into the focused section.

Edits are saved through ui.common.autosave.Autosave (debounced; ws.save_opinion on the GUI thread, one
transaction); "已保存" shows only after the commit returned. The experts' comments come from the
current sheets (`agency.service.panel_inputs`), read in a worker, and are shown and inserted by
ui.agency.opinion_comments.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.panel_meeting import presiding
from tic_desktop.core.panel_opinion import DISSENT, SECTIONS, PanelOpinion
from tic_desktop.ui.agency.agency_context import AgencyContext
from tic_desktop.ui.agency.meeting_box import MeetingBox
from tic_desktop.ui.agency.opinion_comments import OpinionComments
from tic_desktop.ui.agency.result_texts import conclusion_text, fmt
from tic_desktop.ui.common.autosave import Autosave, Edit
from tic_desktop.ui.common.background import run_in_background
from tic_desktop.ui.common.table_model import ui_language

KIND = "opinion"
CHAIR = "chair_name"
DISSENT_FIELD = "dissent"


class PanelOpinionPage(OpinionComments, QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx: AgencyContext | None = None
        self.inputs: dict[tuple[str, str], Any] = {}
        self.key: tuple[str, str] | None = None
        self._loading = False
        self._focused = SECTIONS[0][0]
        self._computed: dict[tuple[str, str], str] = {}
        """(proposal, form) -> the computed conclusion, pre-filled in an empty 结论 (issue 17)."""
        self.autosave = Autosave(self._commit, self)
        self._build()
        self._connect()

    # ── layout ──────────────────────────────────────────────────────────────────────────────
    def _build(self) -> None:
        layout = QHBoxLayout(self)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.proposalTree = QTreeWidget()
        self.proposalTree.setAccessibleName(self.tr("项目与评分表"))
        self.proposalTree.setHeaderHidden(True)
        self.proposalTree.setRootIsDecorated(False)
        split.addWidget(self.proposalTree)

        editor = QWidget()
        el = QVBoxLayout(editor)
        el.setContentsMargins(6, 0, 6, 0)
        head = QHBoxLayout()
        self.titleLabel = QLabel()
        font = self.titleLabel.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.2)
        self.titleLabel.setFont(font)
        self.titleLabel.setWordWrap(True)
        head.addWidget(self.titleLabel, 1)
        self.savedLabel = QLabel()
        self.savedLabel.setStyleSheet("color: #2e7d32;")
        head.addWidget(self.savedLabel)
        el.addLayout(head)
        self.meeting = MeetingBox(self)
        el.addWidget(self.meeting)
        chair = QFormLayout()
        self.chairEdit = QLineEdit()
        chair.addRow(self.tr("签署人（组长）："), self.chairEdit)
        el.addLayout(chair)
        self.asideLabel = QLabel()
        self.asideLabel.setWordWrap(True)
        self.asideLabel.setStyleSheet("color: #b26a00;")
        self.asideLabel.setVisible(False)
        el.addWidget(self.asideLabel)
        body = QWidget()
        bl = QVBoxLayout(body)
        bl.setContentsMargins(0, 0, 0, 0)
        self.sectionEdits: dict[str, QPlainTextEdit] = {}
        for name, heading in SECTIONS:
            label = QLabel(f"<b>{heading.zh if ui_language() == 'zh' else heading.en}</b>")
            bl.addWidget(label)
            edit = QPlainTextEdit()
            edit.setObjectName(f"section_{name}")
            edit.setAccessibleName(heading.zh if ui_language() == "zh" else heading.en)
            label.setBuddy(edit)
            edit.setMinimumHeight(90)
            edit.installEventFilter(self)
            bl.addWidget(edit)
            self.sectionEdits[name] = edit
        dissent_label = QLabel(f"<b>{DISSENT.zh if ui_language() == 'zh' else DISSENT.en}</b>")
        bl.addWidget(dissent_label)
        self.dissentEdit = QPlainTextEdit()
        self.dissentEdit.setAccessibleName(DISSENT.zh if ui_language() == "zh" else DISSENT.en)
        dissent_label.setBuddy(self.dissentEdit)
        self.dissentEdit.setObjectName("section_dissent")
        self.dissentEdit.setMinimumHeight(60)
        self.dissentEdit.setPlaceholderText(self.tr("持不同意见的专家署名及其意见；一致通过的留空"))
        bl.addWidget(self.dissentEdit)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(body)
        scroll.setAccessibleName(self.tr("专家组意见各部分"))
        el.addWidget(scroll, 1)
        split.addWidget(editor)

        side = QWidget()
        sl = QVBoxLayout(side)
        sl.setContentsMargins(6, 0, 0, 0)
        sl.addWidget(QLabel(self.tr("各位专家的意见（只读）")))
        self.commentTree = QTreeWidget()
        self.commentTree.setHeaderHidden(True)
        self.commentTree.setAccessibleName(self.tr("各位专家的意见"))
        self.commentTree.setWordWrap(True)
        sl.addWidget(self.commentTree, 3)
        self.commentPreview = QTextBrowser()
        self.commentPreview.setPlaceholderText(self.tr("选中一条意见，这里显示全文"))
        self.commentPreview.setAccessibleName(self.tr("意见全文"))
        sl.addWidget(self.commentPreview, 1)
        row = QHBoxLayout()
        self.insertButton = QPushButton(self.tr("插入"))
        self.insertButton.setToolTip(self.tr("把所选意见追加到光标所在的栏目"))
        self.targetLabel = QLabel()
        self.targetLabel.setStyleSheet("color: #666;")
        row.addWidget(self.targetLabel, 1)
        row.addWidget(self.insertButton)
        sl.addLayout(row)
        split.addWidget(side)
        split.setSizes([250, 540, 460])
        layout.addWidget(split)
        self._set_enabled(False)

    def _connect(self) -> None:
        self.proposalTree.currentItemChanged.connect(lambda item, _prev: self._on_proposal(item))
        self.chairEdit.textChanged.connect(lambda text: self._on_edit(CHAIR, text))
        self.dissentEdit.textChanged.connect(lambda: self._on_edit(DISSENT_FIELD, self.dissentEdit.toPlainText()))
        self.meeting.saved.connect(self._show_presiding)
        for name, edit in self.sectionEdits.items():
            edit.textChanged.connect(lambda n=name, e=edit: self._on_edit(n, e.toPlainText()))
        self.insertButton.clicked.connect(self.insert_selected)
        self.commentTree.currentItemChanged.connect(lambda *_: self._on_comment())
        self.autosave.saved.connect(lambda at: self.savedLabel.setText(self.tr("已保存 %1").replace("%1", at)))
        self.autosave.failed.connect(self._on_save_failed)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.FocusIn:
            for name, edit in self.sectionEdits.items():
                if edit is watched:
                    self._focused = name
                    self._update_insert()
        return super().eventFilter(watched, event)

    # ── context ─────────────────────────────────────────────────────────────────────────────
    def set_context(self, ctx: AgencyContext | None) -> None:
        self.autosave.flush()
        self.ctx = ctx
        self.inputs = {}
        self.key = None
        self.proposalTree.blockSignals(True)
        self.proposalTree.clear()
        first: QTreeWidgetItem | None = None
        if ctx is not None:
            for ref in ctx.manifest.forms:
                form = ctx.batch.forms[ref.id]
                group = QTreeWidgetItem([self._t(form.title)])
                group.setFlags(Qt.ItemFlag.ItemIsEnabled)
                bold = group.font(0)
                bold.setBold(True)
                group.setFont(0, bold)
                self.proposalTree.addTopLevelItem(group)
                for pid, proposal in ctx.batch.proposals.items():
                    if ref.id in proposal.forms:
                        item = QTreeWidgetItem(group, [str(proposal.center_name)])
                        item.setData(0, Qt.ItemDataRole.UserRole, (pid, ref.id))
                        first = first or item
                group.setExpanded(True)
        self.proposalTree.blockSignals(False)
        self.meeting.set_context(ctx)
        self._mark_written()
        self.load_comments()
        if first is not None:
            self.proposalTree.setCurrentItem(first)
        else:
            self._on_proposal(None)

    def _conflicted(self, proposal_id: str) -> tuple[str, ...]:
        """Experts standing aside for a proposal: known in advance, or declared on their sheets."""
        assert self.ctx is not None
        known = [e.id for e in self.ctx.manifest.experts if proposal_id in e.known_conflicts]
        declared = [x for (pid, _f), i in self.inputs.items() if pid == proposal_id for x in i.conflicted]
        return tuple(dict.fromkeys([*known, *declared]))

    def _show_presiding(self) -> None:
        """Who signs for this proposal: the deputy where the chair stands aside (prefilled, said)."""
        if self.ctx is None or self.key is None:
            self.asideLabel.setVisible(False)
            return
        meeting = self.ctx.ws.meeting(self.ctx.batch_id)
        chair = next((e.id for e in self.ctx.manifest.experts if e.chair), None)
        who = presiding(meeting, chair, self._conflicted(self.key[0]))
        self.asideLabel.setVisible(who.deputy)
        if who.deputy:
            name = self.ctx.expert_name(who.expert_id)
            self.asideLabel.setText(
                self.tr("组长回避本项目，由副组长 %1 主持评议并签署。").replace("%1", name) if name
                else self.tr("组长回避本项目：请在上方“评审会议”中指定副组长主持评议。"))
            stored = self.stored_opinion()
            if name and (not stored.chair_name or stored.chair_name == self.ctx.chair_name()):
                self.chairEdit.setText(name)

    def load_comments(self) -> None:
        """Read the experts' comments of the current sheets in a worker."""
        if self.ctx is None:
            return
        ctx = self.ctx

        def work() -> list[Any]:
            from tic_desktop.agency.service import panel_inputs

            with ctx.worker_workspace() as (ws, batch):
                return panel_inputs(ws, batch)

        run_in_background(work, lambda inputs: self._on_inputs(inputs, ctx), lambda exc: self.commentTree.clear(),
                          owner=self)

    def set_inputs(self, inputs: Sequence[Any]) -> None:
        self.inputs = {(i.proposal_id, i.form.id): i for i in inputs}
        self._fill_comments()
        self._show_presiding()

    def _on_inputs(self, inputs: list[Any], ctx: AgencyContext) -> None:
        if ctx is self.ctx:
            self.set_inputs(inputs)

    # ── one proposal ────────────────────────────────────────────────────────────────────────
    def _items(self) -> list[QTreeWidgetItem]:
        return [self.proposalTree.topLevelItem(i).child(j) for i in range(self.proposalTree.topLevelItemCount())
                for j in range(self.proposalTree.topLevelItem(i).childCount())]

    def select(self, proposal_id: str, form_id: str) -> None:
        for item in self._items():
            if tuple(item.data(0, Qt.ItemDataRole.UserRole)) == (proposal_id, form_id):
                self.proposalTree.setCurrentItem(item)
                return
        raise KeyError((proposal_id, form_id))

    def _on_proposal(self, item: QTreeWidgetItem | None) -> None:
        self.autosave.flush()
        key = item.data(0, Qt.ItemDataRole.UserRole) if item is not None else None
        if key is None or self.ctx is None:
            self.key = None
            self._set_enabled(False)
            return
        self.key = (str(key[0]), str(key[1]))
        pid, form_id = self.key
        opinion = self.stored_opinion()
        self._loading = True
        self.titleLabel.setText(f"{self.ctx.center_name(pid)} · {self._t(self.ctx.batch.forms[form_id].title)}")
        self.chairEdit.setText(opinion.chair_name or self.ctx.chair_name())
        for name, edit in self.sectionEdits.items():
            edit.setPlainText(opinion.section(name))
        self.dissentEdit.setPlainText(opinion.dissent)
        self._loading = False
        self.savedLabel.setText(self.tr("已保存") if not opinion.is_empty else "")
        self._set_enabled(True)
        self._prefill()
        self._fill_comments()
        self._show_presiding()

    def set_consolidation(self, consolidation: Any) -> None:
        """The consolidated results: an empty 结论 shows the computed conclusion, which the agency may
        change; it is saved with the first edit of the opinion (or when the 结论 itself is edited)."""
        lang = self.ctx.lang if self.ctx else ui_language()
        self._computed = {}
        for r in getattr(consolidation, "results", ()):
            if r.conclusion_label is None:  # a veto waits for the chair: nothing to pre-fill yet
                continue
            self._computed[(r.proposal_id, r.form_id)] = (
                self.tr("经专家组评议，结论为“%1”（最终得分 %2）。")
                .replace("%1", conclusion_text(r, lang, outcome=True)).replace("%2", fmt(r.final_score)))
        self._prefill()

    def computed_conclusion(self) -> str:
        return self._computed.get(self.key, "") if self.key is not None else ""

    def _prefill(self) -> None:
        """Show the computed conclusion in the 结论 of the current proposal when nothing is stored."""
        edit = self.sectionEdits["conclusion"]
        if self.key is None or self.stored_opinion().conclusion.strip() or edit.toPlainText().strip():
            return
        text = self.computed_conclusion()
        if text:
            self._loading = True
            edit.setPlainText(text)
            self._loading = False

    def stored_opinion(self) -> PanelOpinion:
        if self.ctx is None or self.key is None:
            return PanelOpinion()
        return self.ctx.ws.opinions(self.ctx.batch_id).get(self.key, PanelOpinion())

    def _on_edit(self, field: str, value: str) -> None:
        if self._loading or self.key is None:
            return
        self.savedLabel.setText(self.tr("正在保存…"))
        self.autosave.change(self.key[0], self.key[1], KIND, field, value)

    def _commit(self, edits: Sequence[Edit]) -> None:
        assert self.ctx is not None
        stored = self.ctx.ws.opinions(self.ctx.batch_id)
        grouped: dict[tuple[str, str], dict[str, str]] = {}
        for pid, form_id, _kind, field, value in edits:
            grouped.setdefault((pid, form_id), {})[field] = str(value)
        now = _dt.datetime.now().astimezone().isoformat(timespec="seconds")
        for (pid, form_id), fields in grouped.items():
            base = stored.get((pid, form_id), PanelOpinion())
            if not base.chair_name and CHAIR not in fields:
                fields[CHAIR] = self.ctx.chair_name()
            prefilled = self._computed.get((pid, form_id), "")
            if prefilled and "conclusion" not in fields and not base.conclusion.strip():
                fields["conclusion"] = prefilled  # what the page showed is what is kept
            self.ctx.ws.save_opinion(self.ctx.batch_id, pid, form_id, replace(base, **fields, written_at=now))
        self._mark_written()

    def _on_save_failed(self, exc: BaseException) -> None:
        text = self.ctx.error_text(exc) if self.ctx else str(exc)
        self.savedLabel.setText(self.tr("未保存：%1（修改保留在内存中，稍后自动重试）").replace("%1", text))
        self.savedLabel.setStyleSheet("color: #c62828;")

    def _mark_written(self) -> None:
        if self.ctx is None:
            return
        self.savedLabel.setStyleSheet("color: #2e7d32;")
        stored = self.ctx.ws.opinions(self.ctx.batch_id)
        for item in self._items():
            key = tuple(item.data(0, Qt.ItemDataRole.UserRole))
            written = key in stored and not stored[key].is_empty
            name = self.ctx.center_name(str(key[0]))
            item.setText(0, ("✔ " if written else "○ ") + name)
            item.setForeground(0, Qt.GlobalColor.darkGreen if written else Qt.GlobalColor.black)
            item.setToolTip(0, self.tr("已填写专家组意见") if written else self.tr("尚未填写"))

    # ── helpers ─────────────────────────────────────────────────────────────────────────────
    def _set_enabled(self, enabled: bool) -> None:
        self.chairEdit.setEnabled(enabled)
        self.dissentEdit.setEnabled(enabled)
        for edit in self.sectionEdits.values():
            edit.setEnabled(enabled)
        if not enabled:
            self.titleLabel.setText(self.tr("请选择项目"))
        self._update_insert()

    def _t(self, text: Any) -> str:
        lang = self.ctx.lang if self.ctx else "zh"
        return str(text.zh if lang.startswith("zh") else text.en)
