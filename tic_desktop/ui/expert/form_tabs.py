"""FormTabs: the review page's scoring forms, one tab per form of the proposal on screen.

The ScoringForm widgets are made once and reused from proposal to proposal (a form's widgets are
built again only for another template); each tab's title is the form's short title and its total.
The same proposal shown again (after signing) keeps its form tab; another one starts on its first
form. Edits go to the window's `on_answer(index, kind, item_id, value)`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QTabWidget, QWidget

from tic_desktop.expert.session import ExpertSession
from tic_desktop.ui.common.short_titles import short_titles
from tic_desktop.ui.expert.scoring_form import ScoringForm


class FormTabs:
    def __init__(self, tabs: QTabWidget, parent: QWidget, on_answer: Callable[[int, str, str, Any], None]) -> None:
        self.tabs = tabs
        self._parent = parent
        self._on_answer = on_answer
        self.forms: list[ScoringForm] = []
        self.shown: list[Any] = []  # the FormTemplates on the tabs
        self._forms_of: str | None = None  # the proposal whose forms the tabs show
        self._short_titles: dict[str, str] = {}
        self.lang = "zh"

    def show(self, session: ExpertSession, proposal_id: str, lang: str) -> None:
        self.lang = lang
        forms = session.forms_for(proposal_id)
        tabs = self.tabs
        while len(self.forms) < len(forms):
            widget = ScoringForm(self._parent)
            index = len(self.forms)
            widget.answerChanged.connect(lambda kind, item, value, i=index: self._on_answer(i, kind, item, value))
            widget.evaluationChanged.connect(lambda _e, i=index: self.update_title(i))
            self.forms.append(widget)
        # the same proposal shown again (after signing) keeps its form tab; another one starts on its
        # first form (the R&D form stayed selected across proposals)
        keep = tabs.currentIndex() if proposal_id == self._forms_of else 0
        self._forms_of = proposal_id
        tabs.blockSignals(True)
        while tabs.count():
            tabs.removeTab(0)
        expert = session.expert
        self.shown = list(forms)
        self._short_titles = short_titles({f.id: f.title.get(lang) for f in forms})
        proposal = session.opened.proposals[proposal_id]
        for index, form in enumerate(forms):
            widget = self.forms[index]
            widget.setProperty("form_id", form.id)
            # into its tab first, then filled: rows built inside their final parent are polished
            # once (filled first and added after, every row was polished again)
            tabs.addTab(widget, form.title.get(lang))
            # a signed sheet opens read-only until the expert chooses "修订" (a new revision)
            fixed = session.fixed_na(proposal_id, form.id)
            reasons = {n.criterion_id: n.reason for n in proposal.not_applicable if n.form_id == form.id}
            widget.set_form(form, session.answers(proposal_id, form.id), expert.role if expert else None,
                            read_only=session.sheet_locked(),
                            fixed_na=None if fixed is None else {cid: reasons.get(cid, "") for cid in fixed},
                            center_type=proposal.center_type)
            self.update_title(index)
        tabs.setTabBarAutoHide(len(forms) <= 1)
        tabs.setCurrentIndex(keep if 0 <= keep < len(forms) else 0)
        tabs.blockSignals(False)

    def update_title(self, index: int) -> None:
        if index >= self.tabs.count() or index >= len(self.shown):
            return
        form = self.shown[index]
        total = self.forms[index].evaluation().total
        title = form.title.get(self.lang)
        short = self._short_titles.get(form.id, title)
        # “&” doubled: a single one is a mnemonic (the English “R&D …” tab read “RD”, the D underlined)
        self.tabs.setTabText(index, f"{short.replace('&', '&&')} · {total}")
        self.tabs.setTabToolTip(index, title)

    def current(self) -> ScoringForm | None:
        widget = self.tabs.currentWidget()
        return widget if isinstance(widget, ScoringForm) else None

    def next(self) -> None:
        """Ctrl+Shift+PgDown: the next form, round to the first."""
        if self.tabs.count() > 1:
            self.tabs.setCurrentIndex((self.tabs.currentIndex() + 1) % self.tabs.count())
