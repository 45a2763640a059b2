"""ScoringForm: one expert's score sheet for one proposal, rendered from a FormTemplate.

Nothing form-specific is written here: sections, criteria, levels, vetoes, conclusions and
overall fields all come from the template, and totals, bands, required comments, the suggested
conclusion and the list of problems all come from `core.scoring.evaluate`. The widget keeps the
answers as they were committed (a field commits on editingFinished, a radio on toggle) and emits
`answerChanged` once per committed change.

A form set while it is off screen in a shown window (the form tab behind the one on screen) keeps
its answers and evaluation at once and puts them on its widgets (building them for a new template)
when it is first shown or one of its widgets is asked for: the start builds only the form on screen.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QRadioButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.scoring import (
    CONCLUSION_REASON,
    Evaluation,
    FormAnswers,
    Problem,
    evaluate,
)
from tic_desktop.ui.common.lines_label import LinesLabel
from tic_desktop.ui.common.off_screen import off_screen
from tic_desktop.ui.common.table_model import ui_language
from tic_desktop.ui.expert.form_fields import ChoiceField, TextField
from tic_desktop.ui.expert.scoring_content import FORM_STYLE, FormContent, OverallEdit
from tic_desktop.ui.expert.scoring_problems import ProblemList
from tic_desktop.ui.expert.scoring_rows import CriterionRow, format_points


class ScoringForm(QWidget):
    answerChanged = Signal(str, str, object)  # noqa: N815 - item_kind, item_id, value
    evaluationChanged = Signal(object)  # noqa: N815 - the new core.scoring.Evaluation

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._form: FormTemplate | None = None
        self._role: str | None = None
        self._read_only = False
        self._fixed_na: dict[str, str] | None = None
        self._lang = ui_language()
        self._reset_state(FormAnswers())
        self._evaluation: Evaluation | None = None
        self._rows: dict[str, CriterionRow] = {}
        self._section_totals: dict[str, QLabel] = {}
        self._veto_groups: dict[str, QButtonGroup] = {}
        self._veto_flags: dict[str, QLabel] = {}
        self._conclusion_group: QButtonGroup | None = None
        self._conclusion_buttons: dict[str, QRadioButton] = {}
        self._overall: dict[str, OverallEdit] = {}
        self._reason_label: QLabel | None = None
        self._content: FormContent | None = None
        self._built: tuple[FormTemplate, str] | None = None  # the template and language of the widgets
        self._center_type: str | None = None
        self._stale = False  # set_form's answers are not on the widgets yet (set off screen)
        self.setStyleSheet(FORM_STYLE)
        self._build_frame()
        self._connect()

    # -- construction --------------------------------------------------------------------------
    def _build_frame(self) -> None:
        # two lines at most (the English title took five in a narrow panel, the rows below got 217 px)
        self._title = LinesLabel(self, max_lines=2)
        self._title.setObjectName("formTitle")
        self._version = QLabel(self)
        self._version.setObjectName("formVersion")
        self._total = QLabel(self)
        self._total.setObjectName("formTotal")
        self._total.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._total.setAccessibleName(self.tr("总分"))
        self._suggestion = QLabel(self)
        self._suggestion.setObjectName("formSuggestion")
        self._suggestion.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self._suggestion.setAccessibleName(self.tr("建议结论"))
        self._levels_toggle = QCheckBox(self.tr("显示各等级说明"), self)
        self._levels_toggle.setAccessibleName(self.tr("显示各等级说明"))

        header = QGridLayout()
        header.setContentsMargins(10, 8, 10, 4)
        header.setHorizontalSpacing(12)
        header.addWidget(self._title, 0, 0)
        header.addWidget(self._total, 0, 1)
        header.addWidget(self._version, 1, 0)
        header.addWidget(self._suggestion, 1, 1)
        header.addWidget(self._levels_toggle, 2, 0)
        header.setColumnStretch(0, 1)
        # a signed sheet says so where the expert looks (issue 17: no 已签名·只读 banner)
        self._signed_banner = QLabel(self.tr("已签名 · 只读　如需修改，请在“审核并签名”中点击“修订”（生成新版本）。"), self)
        self._signed_banner.setObjectName("signedBanner")
        self._signed_banner.setWordWrap(True)
        self._signed_banner.setVisible(False)
        header.addWidget(self._signed_banner, 3, 0, 1, 2)

        self._scroll = QScrollArea(self)
        self._scroll.setAccessibleName(self.tr("评分项"))
        self._scroll.setWidgetResizable(True)
        self._scroll.setFrameShape(QFrame.Shape.NoFrame)
        # a narrow panel scrolls sideways rather than cutting off the 否 radio or the 不适用 box
        self._scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)

        self._problem_list = ProblemList(self)
        self._problem_heading, self._problems = self._problem_list.heading, self._problem_list.list

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addWidget(self._scroll, 1)
        layout.addWidget(self._problem_list)

    def _connect(self) -> None:
        self._levels_toggle.toggled.connect(self._on_levels_toggled)
        self._problems.itemActivated.connect(self._on_problem_activated)
        self._problems.itemClicked.connect(self._on_problem_activated)

    def _build_content(self, form: FormTemplate) -> None:
        if self._content is not None:
            self._content.deleteLater()
        content = FormContent(form, self._lang, self._levels_toggle)
        for row in content.rows.values():
            row.scoreEdited.connect(self._on_score_edited)
            row.naToggled.connect(self._on_na_toggled)
            row.commentEdited.connect(self._on_comment_edited)
        for group in content.veto_groups.values():
            group.buttonToggled.connect(self._on_veto_toggled)
        content.conclusion_group.buttonToggled.connect(self._on_conclusion_toggled)
        for edit in content.overall.values():
            edit.editingFinished.connect(self._on_overall_finished)
        self._scroll.setWidget(content)
        for first, second in zip(content.focus_chain, content.focus_chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        content.setUpdatesEnabled(True)
        self._content = content
        self._rows, self._section_totals = content.rows, content.section_totals
        self._veto_groups, self._veto_flags = content.veto_groups, content.veto_flags
        self._conclusion_group, self._conclusion_buttons = content.conclusion_group, content.conclusion_buttons
        self._overall, self._reason_label = content.overall, content.reason_label
        self._levels_toggle.setChecked(False)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt API
        """At least as wide as the rows need (label, score, band, 不适用, the 否 radio) beside the
        vertical scroll bar: the splitter then never squeezes the form into a sideways scroll."""
        hint = super().minimumSizeHint()
        if self._content is None or self._content.layout() is None:
            return hint
        bar = self._scroll.verticalScrollBar().sizeHint().width()
        need = self._content.layout().minimumSize().width() + bar + 2 * self._scroll.frameWidth()
        return QSize(max(hint.width(), need), hint.height())

    # -- API ---------------------------------------------------------------------------------
    def set_form(self, form: FormTemplate, answers: FormAnswers, role: str | None,
                 read_only: bool = False, fixed_na: Mapping[str, str] | None = None,
                 center_type: str | None = None) -> None:
        """Show `form` filled with `answers`; the widgets are re-used when the form is the same.

        `fixed_na` (criterion id → the agency's reason) are the items the agency set not applicable
        for this center (a batch of format 1.1): shown 不适用, disabled, the same for every expert;
        the expert marks nothing N/A. None: a 1.0 batch, where the expert may mark N/A.
        `center_type`: an overall field asked only of other center types (the 撤并转 recommendation
        of an engineering research center) is hidden; None shows every field."""
        self._fixed_na = None if fixed_na is None else dict(fixed_na)
        self._form = form
        self._role = role
        self._read_only = read_only
        self._center_type = center_type
        self._reset_state(answers)
        self._stale = True
        if off_screen(self):
            self._refresh()  # the evaluation (the tab's total) now, the widgets when shown
        else:
            self._apply()

    def _apply(self) -> None:
        """Put the form, answers and access of the last set_form on the widgets."""
        form = self._form
        assert form is not None
        self._stale = False
        lang = ui_language()
        built = self._built
        if built is None or form is not built[0] and form != built[0] or lang != built[1]:
            self._lang = lang
            self._build_content(form)
            self._built = (form, lang)
            self._title.setText(form.title.get(lang))
            self._version.setText(self.tr("版本 {version}").format(version=form.version))
            self._title.setToolTip(form.description.get(lang) if form.description else "")
        self._signed_banner.setVisible(self._read_only)
        content = self._content
        assert content is not None
        content.set_values(self._scores, self._na, self._comments, self._vetoes, self._conclusion,
                           self._overall_values)
        content.set_access(self._role, self._read_only, self._fixed_na, self._na, self._center_type)
        self._scroll.verticalScrollBar().setValue(0)
        self._refresh()

    def _ensure_shown(self) -> None:
        """The widgets of a form set off screen, built and filled now (they are asked for)."""
        if self._stale and self._form is not None:
            self._apply()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        self._ensure_shown()
        super().showEvent(event)

    def answers(self) -> FormAnswers:
        return FormAnswers(
            scores=dict(self._scores),
            not_applicable=frozenset(self._na),
            comments=dict(self._comments),
            vetoes=dict(self._vetoes),
            conclusion=self._conclusion,
            overall=dict(self._overall_values),
        )

    def evaluation(self) -> Evaluation:
        if self._evaluation is None:
            self._refresh()
        assert self._evaluation is not None
        return self._evaluation

    def focus_start(self) -> None:
        """Ctrl+3: the first thing still to do, or the top of the form."""
        self._ensure_shown()
        if not self.focus_first_problem():
            self._levels_toggle.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def focus_first_problem(self) -> bool:
        evaluation = self.evaluation()
        if not evaluation.problems:
            return False
        self._focus_problem(evaluation.problems[0])
        return True

    def widget_for(self, problem: Problem) -> QWidget | None:
        """The field a problem is about (what a click on it in the problem list focuses)."""
        self._ensure_shown()
        return None if self._content is None else self._content.widget_for(problem)

    def criterion_row(self, criterion_id: str) -> CriterionRow:
        self._ensure_shown()
        return self._rows[criterion_id]

    def veto_buttons(self, veto_id: str) -> tuple[QRadioButton, QRadioButton]:
        self._ensure_shown()
        group = self._veto_groups[veto_id]
        return group.button(1), group.button(0)  # type: ignore[return-value]

    def conclusion_button(self, code: str) -> QRadioButton:
        self._ensure_shown()
        return self._conclusion_buttons[code]

    def overall_field(self, field_id: str) -> QWidget:
        self._ensure_shown()
        return self._overall[field_id]

    def total_text(self) -> str:
        self._ensure_shown()
        return self._total.text()

    def suggestion_text(self) -> str:
        self._ensure_shown()
        return self._suggestion.text()

    def problem_texts(self) -> list[str]:
        self._ensure_shown()
        return self._problem_list.texts()

    # -- handlers ----------------------------------------------------------------------------
    def _on_score_edited(self, criterion_id: str, value: Decimal | None) -> None:
        if value is None:
            self._scores.pop(criterion_id, None)
        else:
            self._scores[criterion_id] = value
        self._changed("score", criterion_id, value)

    def _on_na_toggled(self, criterion_id: str, checked: bool) -> None:
        if checked:
            self._na.add(criterion_id)
        else:
            self._na.discard(criterion_id)
        self._changed("na", criterion_id, checked)

    def _on_comment_edited(self, criterion_id: str, value: str | None) -> None:
        if value is None:
            self._comments.pop(criterion_id, None)
        else:
            self._comments[criterion_id] = value
        self._changed("comment", criterion_id, value)

    def _on_veto_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if not checked:
            return
        veto_id = button.group().property("veto_id")
        value = button.group().id(button) == 1
        if self._vetoes.get(veto_id) != value:
            self._vetoes[veto_id] = value
            self._changed("veto", veto_id, value)

    def _on_conclusion_toggled(self, button: QAbstractButton, checked: bool) -> None:
        if not checked:
            return
        code = button.property("code")
        if code != self._conclusion:
            self._conclusion = code
            self._changed("conclusion", "", code)

    def _on_overall_finished(self) -> None:
        edit = self.sender()
        if not isinstance(edit, QLineEdit | TextField | ChoiceField) or self._read_only:
            return
        field_id = edit.property("field_id")
        text = edit.toPlainText() if isinstance(edit, TextField) else edit.text()
        value = text.strip() or None
        if value != self._overall_values.get(field_id):
            if value is None:
                self._overall_values.pop(field_id, None)
            else:
                self._overall_values[field_id] = value
            self._changed("overall", field_id, value)

    def _on_levels_toggled(self, checked: bool) -> None:
        for row in self._rows.values():
            row.set_levels_visible(checked)

    def _on_problem_activated(self, item: QListWidgetItem) -> None:
        problem = item.data(Qt.ItemDataRole.UserRole)
        if isinstance(problem, Problem):
            self._focus_problem(problem)

    # -- helpers -----------------------------------------------------------------------------
    def _reset_state(self, answers: FormAnswers) -> None:
        self._scores: dict[str, Decimal] = dict(answers.scores)
        self._na: set[str] = set(answers.not_applicable if self._fixed_na is None else self._fixed_na)
        self._comments: dict[str, str] = dict(answers.comments)
        self._vetoes: dict[str, bool] = dict(answers.vetoes)
        self._conclusion: str | None = answers.conclusion
        self._overall_values: dict[str, str] = dict(answers.overall)

    def _changed(self, kind: str, item_id: str, value: object) -> None:
        self._refresh()
        self.answerChanged.emit(kind, item_id, value)


    def _refresh(self) -> None:
        form = self._form
        if form is None:
            return
        answers = self.answers()
        fixed = None if self._fixed_na is None else frozenset(self._fixed_na)
        evaluation = evaluate(form, answers, self._role, fixed_na=fixed)
        self._evaluation = evaluation
        if not self._stale:
            self._show_evaluation(form, answers, evaluation)
        self.evaluationChanged.emit(evaluation)

    def _show_evaluation(self, form: FormTemplate, answers: FormAnswers, evaluation: Evaluation) -> None:
        lang = self._lang
        fixed = None if self._fixed_na is None else frozenset(self._fixed_na)
        # a comment stays marked as required once written: ask the rules as if it were empty
        needs_comment = {p.target: p for p in evaluate(form, dataclasses.replace(answers, comments={}),
                                                       self._role, fixed_na=fixed).problems
                         if p.code == "comment.required"}
        if self._content is not None:
            self._content.show_evaluation(evaluation, needs_comment, self._conclusion,
                                          bool(self._overall_values.get(CONCLUSION_REASON)))
        self._total.setText(self.tr("总分 {total} / 100").format(total=format_points(evaluation.total)))
        scored = self.tr("已评 {scored}/{count} 项").format(scored=evaluation.scored, count=len(evaluation.applicable))
        if evaluation.applicable_max != Decimal(100) and evaluation.applicable_max > 0:
            self._total.setToolTip(self.tr("按适用项折算：原始得分 {raw} / {max}").format(
                raw=format_points(evaluation.raw_total), max=format_points(evaluation.applicable_max)))
        else:
            self._total.setToolTip("")
        if evaluation.suggested_conclusion is not None:
            suggested = form.conclusion(evaluation.suggested_conclusion).label.get(lang)
            self._suggestion.setText(self.tr("{scored} · 建议结论：{conclusion}").format(
                scored=scored, conclusion=suggested))
        else:
            self._suggestion.setText(scored)
        self._problem_list.show_problems(evaluation.problems, lang)

    def _focus_problem(self, problem: Problem) -> None:
        widget = self.widget_for(problem)
        if widget is None:
            return
        self._scroll.ensureWidgetVisible(widget, 40, 60)
        # a keyboard reason: the style draws the focus ring where the jump landed
        widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
