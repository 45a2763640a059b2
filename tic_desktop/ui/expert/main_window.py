"""The expert's main window: the start page, then the review page of DESIGN.md §1.

Review page: a header (expert · key fingerprint · 已保存 HH:MM:SS), the proposal list on the left,
the documents / budget checks / KPI table in the centre and the scoring form (one tab per form)
on the right, in a splitter that remembers its sizes. Edits go through `Autosave` to the
session; the window never writes to the workspace itself except through the session.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QWidget

from tic_desktop.core.errors import Rejected
from tic_desktop.expert.session import ExpertSession, Status
from tic_desktop.paths import resources_dir
from tic_desktop.ui.common.autosave import Autosave
from tic_desktop.ui.common.people import person_text
from tic_desktop.ui.common.screen_fit import available, fit_on_show, is_small_screen, usable_size
from tic_desktop.ui.common.short_titles import short_titles
from tic_desktop.ui.expert.budget_panel import BudgetPanel
from tic_desktop.ui.expert.demo_banner import DemoBanner
from tic_desktop.ui.expert.document_viewer import DocumentViewer
from tic_desktop.ui.expert.kpi_panel import KpiPanel
from tic_desktop.ui.expert.proposal_list import ProposalList, ProposalRow
from tic_desktop.ui.expert.scoring_form import ScoringForm
from tic_desktop.ui.expert.start_page import StartPage
from tic_desktop.ui.forms.ui_main_window import Ui_MainWindow

if TYPE_CHECKING:
    from tic_desktop.ui.expert.enrolment_export import EnrolmentExport
    from tic_desktop.ui.expert.review_dialog import ReviewDialog

DEFAULT_SIZES = [220, 500, 560]  # the form needs room for label, score, band and descriptors
SIDE_KEY = "document_side"


def default_sizes(width: int) -> list[int]:
    """Splitter sizes for a review page `width` wide: on a small screen the document and the form
    share the room 50/50 (the form needs label, score, band and descriptors on one line)."""
    if width >= sum(DEFAULT_SIZES):
        extra = width - sum(DEFAULT_SIZES)
        return [DEFAULT_SIZES[0], DEFAULT_SIZES[1] + extra // 2, DEFAULT_SIZES[2] + extra - extra // 2]
    first = 170
    half = max(0, width - first) // 2
    return [first, half, max(0, width - first - half)]


def short_fingerprint(fp: str | None) -> str:
    return f"{fp[:19]}…" if fp else ""


class MainWindow(QMainWindow):
    fileDropped = Signal(str)  # noqa: N815 - Qt signal naming
    closing = Signal()

    def __init__(self, lang: str = "zh", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = lang
        self.ui = Ui_MainWindow()
        self.ui.setupUi(self)
        self.setWindowIcon(QIcon(str(resources_dir() / "icons" / "tic-desktop.png")))
        self.setAcceptDrops(True)
        self.demo = False
        self.demo_banner = DemoBanner(self)
        self.ui.menubar.setCornerWidget(self.demo_banner, Qt.Corner.TopRightCorner)
        self.start_page = StartPage(self)
        self.ui.startLayout.addWidget(self.start_page)
        self.proposals = ProposalList(self)
        self.ui.listLayout.addWidget(self.proposals)
        self.viewer = DocumentViewer(self)
        # the agency's integrity check of the center (科研诚信核查), shown to every expert above its documents
        self.integrity_note = QLabel(self)
        self.integrity_note.setObjectName("integrityNote")
        self.integrity_note.setWordWrap(True)
        self.integrity_note.setVisible(False)
        self.ui.documentsLayout.addWidget(self.integrity_note)
        self.ui.documentsLayout.addWidget(self.viewer)
        self.budget = BudgetPanel(self)
        self.ui.budgetLayout.addWidget(self.budget)
        self.kpis = KpiPanel(self)
        self.ui.kpiLayout.addWidget(self.kpis)
        self.forms: list[ScoringForm] = []
        self._forms_of: str | None = None  # the proposal whose forms the tabs show
        self._shown_forms: list[Any] = []
        self.saved_status = QLabel(self)
        self.saved_status.setAccessibleName(self.tr("保存状态"))
        self.ui.statusbar.addPermanentWidget(self.saved_status)
        self.ui.formTabs.setElideMode(Qt.TextElideMode.ElideMiddle)
        self.ui.formTabs.setUsesScrollButtons(False)
        bold = self.ui.expertLabel.font()
        bold.setBold(True)
        self.ui.expertLabel.setFont(bold)
        self.ui.keyLabel.setStyleSheet("color: #555;")
        self.ui.savedLabel.setStyleSheet("color: #1b5e20;")
        self.ui.splitter.setStretchFactor(0, 0)
        self.ui.splitter.setStretchFactor(1, 3)
        self.ui.splitter.setStretchFactor(2, 2)
        self.session: ExpertSession | None = None
        self.autosave: Autosave | None = None
        self.current_id: str | None = None
        self._loading = False
        self._add_keyboard_actions()
        # Ctrl+F belongs to the document viewer while it is on screen; from the other tabs this
        # one brings the documents forward first (never both enabled: no ambiguous shortcut)
        self._find_shortcut = QShortcut(QKeySequence(QKeySequence.StandardKey.Find), self)
        self._find_shortcut.setEnabled(False)
        self._connect()
        self.show_start()

    def _connect(self) -> None:
        self.ui.quitAction.triggered.connect(self.close)
        self.ui.nextAction.triggered.connect(self._on_next)
        self.ui.previousAction.triggered.connect(self._on_previous)
        self.ui.searchAction.triggered.connect(self._on_search)
        self.ui.retryButton.clicked.connect(self.flush)
        self.proposals.proposalSelected.connect(self.show_proposal)
        self.viewer.documentOpened.connect(self._on_document_opened)
        self.ui.splitter.splitterMoved.connect(self._on_splitter_moved)
        self.viewer.sideToggled.connect(self._on_side_toggled)
        self.ui.centerTabs.currentChanged.connect(self._on_tab_changed)
        self.ui.formTabs.currentChanged.connect(self._on_tab_changed)
        self.nextFormAction.triggered.connect(self._on_next_form)
        self.sideAction.triggered.connect(self.viewer.toggle_side)
        self.focusListAction.triggered.connect(lambda: self._focus(self.proposals.focus_target()))
        self.focusDocumentsAction.triggered.connect(lambda: self._focus(self.ui.centerTabs.currentWidget()))
        self.focusFormAction.triggered.connect(self._focus_form)
        self._find_shortcut.activated.connect(self._on_search)
        self.ui.signAction.triggered.connect(self.open_review)
        self.ui.reviewButton.clicked.connect(self.open_review)
        self.ui.enrolmentAction.triggered.connect(self.save_enrolment_sheet)

    def _add_keyboard_actions(self) -> None:
        """Review-menu actions for what has no button of its own, each with its shortcut in the menu
        (and in the guide), so the whole review page can be used without a mouse."""
        menu = self.ui.reviewMenu
        first = menu.actions()[0] if menu.actions() else None
        self.nextFormAction = QAction(self.tr("下一个评分表(&B)"), self)
        self.nextFormAction.setShortcut(QKeySequence("Ctrl+Shift+PgDown"))
        self.sideAction = QAction(self.tr("显示或隐藏文档侧栏(&D)\tF6"), self)  # F6 belongs to the viewer
        self.focusListAction = QAction(self.tr("转到项目列表(&1)"), self)
        self.focusListAction.setShortcut(QKeySequence("Ctrl+1"))
        self.focusDocumentsAction = QAction(self.tr("转到申报材料(&2)"), self)
        self.focusDocumentsAction.setShortcut(QKeySequence("Ctrl+2"))
        self.focusFormAction = QAction(self.tr("转到评分表(&3)"), self)
        self.focusFormAction.setShortcut(QKeySequence("Ctrl+3"))
        self._review_actions = [self.nextFormAction, self.sideAction, self.focusListAction,
                                self.focusDocumentsAction, self.focusFormAction]
        for action in (self.focusListAction, self.focusDocumentsAction, self.focusFormAction):
            menu.insertAction(first, action)
        if first is not None:
            menu.insertSeparator(first)
        searches = self.ui.searchAction
        index = menu.actions().index(searches)
        after = menu.actions()[index + 1] if index + 1 < len(menu.actions()) else None
        menu.insertAction(after, self.nextFormAction)
        menu.insertAction(after, self.sideAction)

    def _focus(self, widget: QWidget | None) -> None:
        if widget is not None and widget.isVisible():
            widget.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def _focus_form(self) -> None:
        form = self.current_form()
        if form is not None:
            form.focus_start()
        else:
            self._focus(self.ui.formStack.currentWidget())

    # -- pages ---------------------------------------------------------------------------------
    def set_demo(self, demo: bool) -> None:
        """The demo runs in its own workspace: say so in the title and in a banner over every page."""
        self.demo = demo
        self.demo_banner.setVisible(demo)
        if self.ui.stack.currentWidget() is self.ui.startHost:
            self.setWindowTitle(self._title(self.tr("天津市技术创新中心 专家评审")))

    def _title(self, title: str) -> str:
        return title + self.tr("（演示）") if self.demo else title

    def show_start(self) -> None:
        self.ui.stack.setCurrentWidget(self.ui.startHost)
        self.setWindowTitle(self._title(self.tr("天津市技术创新中心 专家评审")))
        for action in (self.ui.nextAction, self.ui.previousAction, self.ui.searchAction,
                       self.ui.conflictsAction, self.ui.pledgeAction, self.ui.signAction, self.ui.enrolmentAction,
                       *self._review_actions):
            action.setEnabled(False)

    def bind(self, session: ExpertSession) -> None:
        """Show the review page for the session's batch and expert, at the place they left."""
        self.flush()
        self.session = session
        if self.autosave is None:
            # the session bound now (the demo and the real workspace are different sessions)
            self.autosave = Autosave(lambda edits: self._session().save_answers(edits), self)
            self.autosave.saved.connect(self._on_saved)
            self.autosave.failed.connect(self._on_save_failed)
        manifest = session.opened.manifest
        self.setWindowTitle(self._title(manifest.title.get(self.lang)))
        expert = session.expert
        assert expert is not None
        self.ui.expertLabel.setText(person_text(expert.name, expert.role, expert.chair))
        self.ui.keyLabel.setText(self.tr("密钥 %1").replace("%1", short_fingerprint(session.fingerprint)))
        self.ui.keyLabel.setToolTip(session.fingerprint or "")
        self.ui.savedLabel.setText("")
        self.ui.banner.setVisible(False)
        for action in (self.ui.nextAction, self.ui.previousAction, self.ui.searchAction,
                       self.ui.conflictsAction, self.ui.pledgeAction, self.ui.signAction, self.ui.enrolmentAction,
                       *self._review_actions):
            action.setEnabled(True)
        self.ui.stack.setCurrentWidget(self.ui.reviewPage)
        self.restore_layout()
        self.current_id = None
        self.refresh_rows()
        place = session.place()
        ids = [p.id for p in session.assigned()]
        target = place.get("proposal") if place.get("proposal") in ids else (ids[0] if ids else None)
        if target:
            self.proposals.select(target)
            self.show_proposal(target)
            self.ui.centerTabs.setCurrentIndex(int(place.get("tab", 0)))
            self.ui.formTabs.setCurrentIndex(int(place.get("form_tab", 0)))

    def _session(self) -> ExpertSession:
        assert self.session is not None
        return self.session

    def refresh_rows(self) -> None:
        session = self.session
        if session is None:
            return
        rows = [ProposalRow(p.id, p.center_name, p.field, session.status(p.id).value) for p in session.assigned()]
        self.proposals.set_rows(rows)
        if self.current_id:
            self.proposals.select(self.current_id)

    def _show_integrity(self, proposal: Any) -> None:
        check = proposal.integrity
        self.integrity_note.setVisible(check is not None)
        if check is None:
            return
        found = (self.tr("评审机构科研诚信核查：依托单位或中心负责人有尚未了结的严重科研失信记录") if check.record
                 else self.tr("评审机构科研诚信核查：依托单位及中心负责人无尚未了结的严重科研失信记录"))
        self.integrity_note.setText(found + (f"（{check.note}）" if check.note else ""))
        color, back = ("#b71c1c", "#fef2f2") if check.record else ("#1b5e20", "#f0fdf4")
        self.integrity_note.setStyleSheet(f"QLabel {{ color: {color}; background: {back}; padding: 4px 8px; }}")

    # -- one proposal --------------------------------------------------------------------------
    def show_proposal(self, proposal_id: str) -> None:
        session = self.session
        if session is None or proposal_id == self.current_id:
            return
        self.flush()
        self._loading = True
        try:
            self.current_id = proposal_id
            proposal = session.opened.proposals[proposal_id]
            self._show_integrity(proposal)
            applies = session.opened.manifest.subsidy_policy_applies(proposal)
            self.budget.set_proposal(proposal, applies)
            self.kpis.set_proposal(proposal)
            conflicted = session.is_conflicted(proposal_id)
            tabs = self.ui.centerTabs
            for tab in (self.ui.budgetTab, self.ui.kpiTab):
                tabs.setTabEnabled(tabs.indexOf(tab), not conflicted)
            # no R&D capacity budget and no policy check (professional / engineering centers): no tab
            tabs.setTabVisible(tabs.indexOf(self.ui.budgetTab), applies or bool(proposal.budget))
            if not tabs.isTabVisible(tabs.currentIndex()):
                tabs.setCurrentWidget(self.ui.documentsTab)
            if conflicted:
                tabs.setCurrentWidget(self.ui.documentsTab)
                self.viewer.clear(self.tr("您已对该项目申请回避：材料不予打开，也不能评分。"))
                self.ui.formClosedLabel.setText(self.tr("已回避 — 本项目不评分"))
                self.ui.formStack.setCurrentWidget(self.ui.formClosedLabel)
            else:
                docs = [(d.path, d.title, session.opened.documents[d.path]) for d in proposal.documents]
                self.viewer.set_documents(docs)
                self._show_forms(proposal_id)
                self.ui.formStack.setCurrentWidget(self.ui.formTabs)
            session.set_place(proposal=proposal_id)
        finally:
            self._loading = False
        self.proposals.select(proposal_id)

    def _show_forms(self, proposal_id: str) -> None:
        session = self.session
        assert session is not None
        forms = session.forms_for(proposal_id)
        tabs = self.ui.formTabs
        while len(self.forms) < len(forms):
            widget = ScoringForm(self)
            index = len(self.forms)
            widget.answerChanged.connect(lambda kind, item, value, i=index: self._on_answer(i, kind, item, value))
            widget.evaluationChanged.connect(lambda _e, i=index: self._update_tab_title(i))
            self.forms.append(widget)
        # the same proposal shown again (after signing) keeps its form tab; another one starts on its
        # first form (the R&D form stayed selected across proposals)
        keep = tabs.currentIndex() if proposal_id == self._forms_of else 0
        self._forms_of = proposal_id
        tabs.blockSignals(True)
        while tabs.count():
            tabs.removeTab(0)
        expert = session.expert
        self._shown_forms = list(forms)
        self._short_titles = short_titles({f.id: f.title.get(self.lang) for f in forms})
        for index, form in enumerate(forms):
            widget = self.forms[index]
            widget.setProperty("form_id", form.id)
            # into its tab first, then filled: rows built inside their final parent are polished
            # once (filled first and added after, every row was polished again)
            tabs.addTab(widget, form.title.get(self.lang))
            # a signed sheet opens read-only until the expert chooses "修订" (a new revision)
            fixed = session.fixed_na(proposal_id, form.id)
            reasons = {n.criterion_id: n.reason for n in session.opened.proposals[proposal_id].not_applicable
                       if n.form_id == form.id}
            widget.set_form(form, session.answers(proposal_id, form.id), expert.role if expert else None,
                            read_only=session.sheet_locked(),
                            fixed_na=None if fixed is None else {cid: reasons.get(cid, "") for cid in fixed},
                            center_type=session.opened.proposals[proposal_id].center_type)
            self._update_tab_title(index)
        tabs.setTabBarAutoHide(len(forms) <= 1)
        tabs.setCurrentIndex(keep if 0 <= keep < len(forms) else 0)
        tabs.blockSignals(False)

    def _update_tab_title(self, index: int) -> None:
        if index >= self.ui.formTabs.count():
            return
        widget = self.forms[index]
        form = self._shown_forms[index] if index < len(self._shown_forms) else None
        if form is None:
            return
        total = widget.evaluation().total
        title = form.title.get(self.lang)
        short = getattr(self, "_short_titles", {}).get(form.id, title)
        # “&” doubled: a single one is a mnemonic (the English “R&D …” tab read “RD”, the D underlined)
        self.ui.formTabs.setTabText(index, f"{short.replace('&', '&&')} · {total}")
        self.ui.formTabs.setTabToolTip(index, title)

    def current_form(self) -> ScoringForm | None:
        widget = self.ui.formTabs.currentWidget()
        return widget if isinstance(widget, ScoringForm) else None

    # -- autosave ------------------------------------------------------------------------------
    def _on_answer(self, index: int, kind: str, item_id: str, value: Any) -> None:
        if self._loading or self.autosave is None or self.current_id is None:
            return
        form_id = self.forms[index].property("form_id")
        self.autosave.change(self.current_id, form_id, kind, item_id, value)
        self.ui.savedLabel.setText(self.tr("正在保存…"))

    def flush(self) -> bool:
        return self.autosave.flush() if self.autosave is not None else True

    def _on_saved(self, when: str) -> None:
        text = self.tr("已保存 %1").replace("%1", when)
        self.ui.savedLabel.setText(text)
        self.saved_status.setText(text)
        self.ui.banner.setVisible(False)
        if self.session and self.current_id:
            status = self.session.status(self.current_id)
            row = next((r for r in self.proposals.model().rows() if r.id == self.current_id), None)  # type: ignore[attr-defined]
            if row is not None and row.status != status.value:
                self.refresh_rows()

    def _on_save_failed(self, exc: object) -> None:
        detail = exc.text(self.lang) if isinstance(exc, Rejected) else str(exc)
        self.ui.bannerLabel.setText(
            self.tr("修改尚未保存，已保留在内存中，程序每隔几秒自动重试。请不要关闭程序。") + "\n" + detail
        )
        self.ui.banner.setVisible(True)
        self.ui.savedLabel.setText(self.tr("未保存"))
        self.saved_status.setText(self.tr("未保存"))

    # -- place, documents, shortcuts -----------------------------------------------------------
    def _on_tab_changed(self, _index: int) -> None:
        on_documents = self.ui.centerTabs.currentWidget() is self.ui.documentsTab
        self._find_shortcut.setEnabled(not on_documents and self.ui.stack.currentWidget() is self.ui.reviewPage)
        if self.session is not None and not self._loading and self.current_id:
            self.session.set_place(tab=self.ui.centerTabs.currentIndex(), form_tab=self.ui.formTabs.currentIndex())

    def splitter_key(self) -> str:
        """Splitter sizes are remembered per screen size: a laptop and an office monitor differ."""
        area = available(self)
        return f"splitter@{area.width()}x{area.height()}"

    def restore_layout(self) -> None:
        """The panel widths and the document side bar as the expert left them on this screen, or the
        defaults for its size (document side bar hidden on a small screen)."""
        if self.session is None:
            return
        sizes = self.session.ui_get(self.splitter_key())
        width = max(self.ui.splitter.width(), usable_size(self).width() - 20)
        if not (isinstance(sizes, list) and len(sizes) == 3 and sum(int(s) for s in sizes) > 0):
            sizes = default_sizes(width)
        self.ui.splitter.setSizes([int(s) for s in sizes])
        side = self.session.ui_get(SIDE_KEY)
        self.viewer.set_side_visible(bool(side) if side is not None else not is_small_screen(self))

    def _on_splitter_moved(self, _pos: int, _index: int) -> None:
        if self.session is not None:
            self.session.ui_set(self.splitter_key(), self.ui.splitter.sizes())

    def _on_side_toggled(self, visible: bool) -> None:
        if self.session is not None:
            self.session.ui_set(SIDE_KEY, visible)

    def _on_document_opened(self, path: str) -> None:
        if self.session is not None and self.current_id and not self.session.is_conflicted(self.current_id):
            self.session.document_opened(self.current_id, path)

    def _on_next(self) -> None:
        self.proposals.select_next()

    def _on_previous(self) -> None:
        self.proposals.select_previous()

    def _on_next_form(self) -> None:
        tabs = self.ui.formTabs
        if tabs.count() > 1:
            tabs.setCurrentIndex((tabs.currentIndex() + 1) % tabs.count())

    def _on_search(self) -> None:
        self.ui.centerTabs.setCurrentWidget(self.ui.documentsTab)
        self.viewer.focus_search()

    # -- review and signing --------------------------------------------------------------------
    def open_review(self) -> ReviewDialog | None:
        """The review page: totals, what is missing, Sign (passphrase) and Revise."""
        if self.session is None:
            return None
        self.flush()
        from tic_desktop.ui.expert.review_dialog import (
            ReviewDialog,  # signing, PDFs and crypto: not needed at start
        )

        dialog = ReviewDialog(self.session, self, lang=self.lang)
        dialog.signed.connect(lambda _result: self._after_signing())
        dialog.revised.connect(lambda _seq: self._after_signing())
        fit_on_show(dialog)
        dialog.open()
        return dialog

    def save_enrolment_sheet(self) -> EnrolmentExport | None:
        """工具 → 打印密钥登记表…: the key enrolment sheet as a PDF where the expert chooses."""
        if self.session is None or self.session.expert is None:
            return None
        from tic_desktop.ui.expert.enrolment_export import EnrolmentExport

        export = EnrolmentExport(self.session, self, lang=self.lang)
        export.saved.connect(export.deleteLater)
        export.failed.connect(export.deleteLater)
        if not export.start():
            export.deleteLater()
        return export

    def _after_signing(self) -> None:
        """Locking or unlocking changes every proposal's status and whether its form is editable."""
        current, self.current_id = self.current_id, None
        self.refresh_rows()
        if current:
            self.show_proposal(current)

    def status_of(self, proposal_id: str) -> Status | None:
        return self.session.status(proposal_id) if self.session else None

    # -- drag and drop, close ------------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt API
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile() and urls[0].toLocalFile().lower().endswith(".ticbatch"):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt API
        urls = event.mimeData().urls()
        if urls and urls[0].isLocalFile():
            self.fileDropped.emit(str(Path(urls[0].toLocalFile())))
            event.acceptProposedAction()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        if not self.flush():
            self.ui.banner.setVisible(True)
            if not self.confirm_close_unsaved():
                event.ignore()
                return
        if self.session is not None and self.ui.stack.currentWidget() is self.ui.reviewPage:
            with contextlib.suppress(Rejected):
                self.session.ui_set(self.splitter_key(), self.ui.splitter.sizes())
        self.closing.emit()
        event.accept()

    def confirm_close_unsaved(self) -> bool:
        """The edits could not be saved (disk full, folder locked): closing now would lose them."""
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Warning)
        box.setWindowTitle(self.tr("修改尚未保存"))
        box.setText(self.tr("最近的修改还没有保存（见窗口顶部的提示），关闭程序会丢失这些修改。"))
        box.setInformativeText(self.tr("建议先腾出磁盘空间或关闭占用文件的程序，软件会自动重试保存。"))
        stay = box.addButton(self.tr("不关闭"), QMessageBox.ButtonRole.RejectRole)
        box.addButton(self.tr("仍然关闭（丢失修改）"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(stay)
        box.exec()
        return box.clickedButton() is not stay

    def retranslate(self, lang: str) -> None:
        self.lang = lang
        self.ui.retranslateUi(self)
        self.start_page.retranslate()
        self.demo_banner.retranslate()
        if self.session is not None and self.ui.stack.currentWidget() is self.ui.reviewPage:
            current, self.current_id = self.current_id, None
            self.bind(self.session)
            if current:
                self.show_proposal(current)
        else:
            self.show_start()
