"""The expert's main window: the start page, then the review page of DESIGN.md §1.

Review page: a header (expert · key fingerprint · 已保存 HH:MM:SS), the proposal list on the left,
the documents / budget checks / KPI table in the centre and the scoring form (one tab per form)
on the right, in a splitter that remembers its sizes. Edits go through `Autosave` to the
session; the window never writes to the workspace itself except through the session.

Its parts: the form tabs (`form_tabs.FormTabs`), the remembered panel widths and side bar
(`review_layout`), the review menu's keyboard actions (`review_actions`), the integrity note
(`integrity_note`) and the close-with-unsaved-edits question (`close_unsaved`).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QCloseEvent, QDragEnterEvent, QDropEvent, QIcon, QKeySequence, QShortcut
from PySide6.QtWidgets import QLabel, QMainWindow, QWidget

from tic_desktop.core.errors import Rejected
from tic_desktop.expert.session import ExpertSession, Status
from tic_desktop.paths import resources_dir
from tic_desktop.ui.common.autosave import Autosave
from tic_desktop.ui.common.people import person_text
from tic_desktop.ui.common.screen_fit import fit_on_show
from tic_desktop.ui.expert.center_panels import CenterPanels
from tic_desktop.ui.expert.demo_banner import DemoBanner
from tic_desktop.ui.expert.document_viewer import DocumentViewer
from tic_desktop.ui.expert.form_tabs import FormTabs
from tic_desktop.ui.expert.integrity_note import IntegrityNote
from tic_desktop.ui.expert.proposal_list import ProposalList, ProposalRow
from tic_desktop.ui.expert.review_actions import add_review_actions
from tic_desktop.ui.expert.review_layout import SIDE_KEY, restore_sizes, side_visible, splitter_key
from tic_desktop.ui.expert.scoring_form import ScoringForm
from tic_desktop.ui.expert.start_page import StartPage
from tic_desktop.ui.forms.ui_main_window import Ui_MainWindow

if TYPE_CHECKING:
    from tic_desktop.ui.expert.budget_panel import BudgetPanel
    from tic_desktop.ui.expert.enrolment_export import EnrolmentExport
    from tic_desktop.ui.expert.kpi_panel import KpiPanel
    from tic_desktop.ui.expert.review_dialog import ReviewDialog


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
        self.integrity_note = IntegrityNote(self)
        self.ui.documentsLayout.addWidget(self.integrity_note)
        self.ui.documentsLayout.addWidget(self.viewer)
        self._panels = CenterPanels(self.ui, self)  # the budget and KPI tabs, made when first shown
        self._form_tabs = FormTabs(self.ui.formTabs, self, self._on_answer)
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
        actions = add_review_actions(self, self.ui.reviewMenu, self.ui.searchAction)
        for name, action in actions.items():
            setattr(self, name, action)
        self._review_actions = list(actions.values())

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
            self.integrity_note.show_check(proposal.integrity)
            applies = session.opened.manifest.subsidy_policy_applies(proposal)
            self._panels.set_proposal(proposal, applies)
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
        self._form_tabs.show(self._session(), proposal_id, self.lang)

    @property
    def forms(self) -> list[ScoringForm]:
        """The scoring form widgets (reused across proposals; the first len(_shown_forms) are on tabs)."""
        return self._form_tabs.forms

    @property
    def _shown_forms(self) -> list[Any]:
        """The FormTemplates of the proposal on screen, in tab order."""
        return self._form_tabs.shown

    def current_form(self) -> ScoringForm | None:
        return self._form_tabs.current()

    @property
    def budget(self) -> BudgetPanel:
        return self._panels.budget

    @property
    def kpis(self) -> KpiPanel:
        return self._panels.kpis

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
        self._panels.tab_shown(self.ui.centerTabs.currentWidget())
        on_documents = self.ui.centerTabs.currentWidget() is self.ui.documentsTab
        self._find_shortcut.setEnabled(not on_documents and self.ui.stack.currentWidget() is self.ui.reviewPage)
        if self.session is not None and not self._loading and self.current_id:
            self.session.set_place(tab=self.ui.centerTabs.currentIndex(), form_tab=self.ui.formTabs.currentIndex())

    def splitter_key(self) -> str:
        """Splitter sizes are remembered per screen size: a laptop and an office monitor differ."""
        return splitter_key(self)

    def restore_layout(self) -> None:
        """The panel widths and the document side bar as the expert left them on this screen, or the
        defaults for its size (document side bar hidden on a small screen)."""
        if self.session is None:
            return
        restore_sizes(self, self.ui.splitter, self.session)
        self.viewer.set_side_visible(side_visible(self, self.session))

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
        self._form_tabs.next()

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
        from tic_desktop.ui.expert.close_unsaved import confirm_close_unsaved  # noqa: PLC0415 - rarely asked

        return confirm_close_unsaved(self)

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
