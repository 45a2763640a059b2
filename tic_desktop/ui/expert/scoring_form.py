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

from PySide6.QtCore import QCoreApplication, QSize, Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QButtonGroup,
    QCheckBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
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
    band_disagreement,
    evaluate,
)
from tic_desktop.ui.common.lines_label import LinesLabel
from tic_desktop.ui.common.off_screen import off_screen
from tic_desktop.ui.common.table_model import ui_language
from tic_desktop.ui.expert.form_fields import ChoiceField, FormRadio, TextField
from tic_desktop.ui.expert.scoring_rows import CriterionRow, format_points

_STYLE = """
QLabel#formTitle { font-size: 12pt; font-weight: bold; }
QLabel#formVersion, QLabel#criterionMax, QLabel#sectionMax, QLabel#vetoNote { color: #6b7280; }
QLabel#formTotal { font-size: 15pt; font-weight: bold; }
QLabel#formSuggestion { color: #374151; }
QLabel#sectionTotal { font-weight: bold; }
QLabel#criterionBand { border-radius: 3px; font-weight: bold; padding: 1px 2px; }
QLabel#criterionBand[band="A"] { background: #dcfce7; color: #166534; }
QLabel#criterionBand[band="B"] { background: #e0f2fe; color: #075985; }
QLabel#criterionBand[band="C"] { background: #fef9c3; color: #854d0e; }
QLabel#criterionBand[band="D"] { background: #fee2e2; color: #991b1b; }
QLabel#criterionLevels { color: #374151; background: #f8fafc; border: 1px solid #e5e7eb;
                         border-radius: 3px; padding: 4px 6px; }
QLabel#criterionNote[kind="error"] { color: #b91c1c; }
QLabel#criterionNote[kind="restricted"] { color: #6b7280; }
QLineEdit#criterionComment[required="true"], QPlainTextEdit[required="true"] {
    border: 1px solid #d97706; background: #fffbeb; }
QLabel#vetoTriggered { color: #b91c1c; font-weight: bold; }
QLabel#signedBanner { background: #e0f2fe; color: #075985; border: 1px solid #7dd3fc; border-radius: 3px;
                      padding: 4px 8px; font-weight: bold; }
QLabel#reasonLabel[kind="error"] { color: #b45309; font-weight: bold; }
QListWidget#problemList { border: 1px solid #e5e7eb; }
QLabel#problemHeading[complete="true"] { color: #166534; font-weight: bold; }
QLabel#problemHeading[complete="false"] { color: #b45309; font-weight: bold; }
QGroupBox { font-weight: bold; margin-top: 10px; }
QGroupBox::title { subcontrol-origin: margin; left: 8px; padding: 0 4px; }
"""


def _restyle(widget: QWidget, name: str, value: object) -> None:
    """Set a property the style sheet selects on; re-polish (slow) only when it changed."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def _role_name(role: str) -> str:
    names = {
        "technical": QCoreApplication.translate("ScoringForm", "技术专家"),
        "finance": QCoreApplication.translate("ScoringForm", "财务专家"),
        "management": QCoreApplication.translate("ScoringForm", "管理专家"),
    }
    return names.get(role, role)


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
        self._overall: dict[str, QLineEdit | TextField | ChoiceField] = {}
        self._overall_labels: dict[str, QLabel] = {}
        self._content: QWidget | None = None
        self._built: tuple[FormTemplate, str] | None = None  # the template and language of the widgets
        self._center_type: str | None = None
        self._stale = False  # set_form's answers are not on the widgets yet (set off screen)
        self.setStyleSheet(_STYLE)
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

        self._problem_heading = QLabel(self)
        self._problem_heading.setObjectName("problemHeading")
        self._problems = QListWidget(self)
        self._problems.setObjectName("problemList")
        self._problems.setAccessibleName(self.tr("待完成事项"))
        # four lines: the form itself keeps the room on a small screen; the list scrolls
        self._problems.setMaximumHeight(self.fontMetrics().lineSpacing() * 4 + 10)
        self._problems.setWordWrap(True)
        problem_box = QVBoxLayout()
        problem_box.setContentsMargins(10, 4, 10, 8)
        problem_box.setSpacing(4)
        problem_box.addWidget(self._problem_heading)
        problem_box.addWidget(self._problems)

        line = QFrame(self)
        line.setFrameShape(QFrame.Shape.HLine)
        line.setFrameShadow(QFrame.Shadow.Sunken)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(header)
        layout.addWidget(line)
        layout.addWidget(self._scroll, 1)
        layout.addLayout(problem_box)

    def _connect(self) -> None:
        self._levels_toggle.toggled.connect(self._on_levels_toggled)
        self._problems.itemActivated.connect(self._on_problem_activated)
        self._problems.itemClicked.connect(self._on_problem_activated)

    def _build_content(self, form: FormTemplate) -> None:
        lang = self._lang
        if self._content is not None:
            self._content.deleteLater()
        self._rows.clear()
        self._section_totals.clear()
        self._veto_groups.clear()
        self._veto_flags.clear()
        self._conclusion_buttons.clear()
        self._overall.clear()
        self._overall_labels.clear()
        content = QWidget()
        content.setUpdatesEnabled(False)
        body = QVBoxLayout(content)
        body.setContentsMargins(10, 4, 10, 10)
        body.setSpacing(8)
        focus_chain: list[QWidget] = [self._levels_toggle]

        if form.vetoes:
            box = QGroupBox(self.tr("否决项（任一项为“是”，结论为“{worst}”）").format(
                worst=form.worst_conclusion.label.get(lang)), content)
            grid = QGridLayout(box)
            grid.setHorizontalSpacing(10)
            grid.setVerticalSpacing(6)
            for row, veto in enumerate(form.vetoes):
                label = QLabel(veto.label.get(lang), box)
                label.setWordWrap(True)
                label.setMinimumWidth(label.fontMetrics().horizontalAdvance("申报材料不完整，或证明"))
                yes = FormRadio(self.tr("是"), box)
                no = FormRadio(self.tr("否"), box)
                yes.setAccessibleName(self.tr("{question}：是").format(question=veto.label.get(lang)))
                no.setAccessibleName(self.tr("{question}：否").format(question=veto.label.get(lang)))
                group = QButtonGroup(box)
                group.addButton(yes, 1)
                group.addButton(no, 0)
                group.setProperty("veto_id", veto.id)
                group.buttonToggled.connect(self._on_veto_toggled)
                self._veto_groups[veto.id] = group
                flag = QLabel(box)
                flag.setObjectName("vetoTriggered")
                self._veto_flags[veto.id] = flag
                grid.addWidget(label, 2 * row, 0)
                grid.addWidget(yes, 2 * row, 1)
                grid.addWidget(no, 2 * row, 2)
                notes = [n for n in (veto.note.get(lang) if veto.note else None,) if n]
                note = QLabel("  ".join(notes), box)
                note.setObjectName("vetoNote")
                note.setWordWrap(True)
                note.setVisible(bool(notes))
                grid.addWidget(note, 2 * row + 1, 0)
                grid.addWidget(flag, 2 * row + 1, 1, 1, 2)
                focus_chain += [yes, no]
            grid.setColumnStretch(0, 1)
            body.addWidget(box)

        for section in form.sections:
            box = QGroupBox(self.tr("{id}  {label}").format(id=section.id, label=section.label.get(lang)), content)
            box_layout = QVBoxLayout(box)
            box_layout.setContentsMargins(10, 6, 10, 6)
            box_layout.setSpacing(0)
            head = QHBoxLayout()
            head_max = QLabel(self.tr("本部分满分 {max} 分").format(max=format_points(section.max)), box)
            head_max.setObjectName("sectionMax")
            subtotal = QLabel(box)
            subtotal.setObjectName("sectionTotal")
            subtotal.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            head.addWidget(head_max)
            head.addStretch(1)
            head.addWidget(subtotal)
            box_layout.addLayout(head)
            self._section_totals[section.id] = subtotal
            for criterion in section.criteria:
                row = CriterionRow(criterion, form.bands, form.step, lang, box)
                row.scoreEdited.connect(self._on_score_edited)
                row.naToggled.connect(self._on_na_toggled)
                row.commentEdited.connect(self._on_comment_edited)
                self._rows[criterion.id] = row
                box_layout.addWidget(row)
                focus_chain += row.focusables()
            body.addWidget(box)

        box = QGroupBox(self.tr("评审结论"), content)
        conclusions = QVBoxLayout(box)
        conclusions.setSpacing(4)
        self._conclusion_group = QButtonGroup(box)
        for conclusion in form.conclusions:
            text = conclusion.label.get(lang)
            if conclusion.min_total > 0:
                text = self.tr("{label}（总分 {min} 分及以上）").format(label=text, min=format_points(conclusion.min_total))
            button = FormRadio(text, box)
            button.setAccessibleName(self.tr("结论：{label}").format(label=conclusion.label.get(lang)))
            if conclusion.outcome is not None:
                button.setToolTip(conclusion.outcome.get(lang))
            button.setProperty("code", conclusion.code)
            self._conclusion_group.addButton(button)
            self._conclusion_buttons[conclusion.code] = button
            conclusions.addWidget(button)
            focus_chain.append(button)
        self._conclusion_group.buttonToggled.connect(self._on_conclusion_toggled)
        # a conclusion other than the band of the total needs a reason (signed, shown to the agency)
        self._reason_label = QLabel(box)
        self._reason_label.setObjectName("reasonLabel")
        self._reason_label.setWordWrap(True)
        reason = TextField(box)
        reason.setObjectName("conclusionReason")
        reason.setAccessibleName(self.tr("结论与总分分档不一致的理由"))
        reason.setProperty("field_id", CONCLUSION_REASON)
        reason.editingFinished.connect(self._on_overall_finished)
        self._reason_label.setBuddy(reason)
        conclusions.addWidget(self._reason_label)
        conclusions.addWidget(reason)
        self._overall[CONCLUSION_REASON] = reason
        focus_chain.append(reason)
        body.addWidget(box)

        if form.overall_fields:
            box = QGroupBox(self.tr("评审意见"), content)
            grid = QGridLayout(box)
            grid.setVerticalSpacing(6)
            for row_index, field in enumerate(form.overall_fields):
                label_text = field.label.get(lang)
                if field.required:
                    label_text = self.tr("{label}（必填）").format(label=label_text)
                label = QLabel(label_text, box)
                label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
                if field.type == "choice":
                    edit: QLineEdit | TextField | ChoiceField = ChoiceField(field.options, lang, box)
                elif field.type == "amount":
                    edit = QLineEdit(box)
                    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                    edit.setMaximumWidth(180)
                    edit.setPlaceholderText("0.00")
                else:
                    edit = TextField(box)
                edit.setAccessibleName(field.label.get(lang))
                edit.setProperty("field_id", field.id)
                edit.editingFinished.connect(self._on_overall_finished)
                label.setBuddy(edit)
                grid.addWidget(label, row_index, 0)
                grid.addWidget(edit, row_index, 1, Qt.AlignmentFlag.AlignLeft if field.type in ("amount", "choice")
                               else Qt.AlignmentFlag(0))
                self._overall[field.id] = edit
                self._overall_labels[field.id] = label
                focus_chain.append(edit)
            grid.setColumnStretch(1, 1)
            body.addWidget(box)
        body.addStretch(1)

        self._scroll.setWidget(content)
        for first, second in zip(focus_chain, focus_chain[1:], strict=False):
            QWidget.setTabOrder(first, second)
        content.setUpdatesEnabled(True)
        self._content = content
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
        center_type = self._center_type
        for field in form.overall_fields:
            shown = center_type is None or not field.center_types or center_type in field.center_types
            if field.id in self._overall:
                self._overall[field.id].setVisible(shown)
                self._overall_labels[field.id].setVisible(shown)
        self._signed_banner.setVisible(self._read_only)
        self._apply_values()
        self._apply_access()
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
        target = problem.target
        if target in self._rows:
            row = self._rows[target]
            if problem.code.startswith("comment."):
                return row.comment_edit
            if problem.code.startswith("na.") and row.na_box is not None:
                return row.na_box
            return row.score_edit
        if target in self._veto_groups:
            return self._veto_groups[target].buttons()[0]
        if target in self._overall:
            return self._overall[target]
        if problem.code.startswith("conclusion.") and self._conclusion_group is not None:
            return self._conclusion_group.checkedButton() or self._conclusion_group.buttons()[0]
        return None

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
        return [self._problems.item(i).text() for i in range(self._problems.count())]

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

    def _apply_values(self) -> None:
        for cid, row in self._rows.items():
            row.set_values(self._scores.get(cid), cid in self._na, self._comments.get(cid))
        for veto_id, group in self._veto_groups.items():
            self._set_group(group, {True: 1, False: 0}.get(self._vetoes.get(veto_id)))
        if self._conclusion_group is not None:
            button = self._conclusion_buttons.get(self._conclusion or "")
            self._set_group(self._conclusion_group, None if button is None else self._conclusion_group.id(button))
        for field_id, edit in self._overall.items():
            value = self._overall_values.get(field_id, "")
            if isinstance(edit, TextField):
                edit.setPlainText(value)
            else:
                edit.setText(value)

    @staticmethod
    def _set_group(group: QButtonGroup, checked_id: int | None) -> None:
        group.blockSignals(True)
        group.setExclusive(False)
        for button in group.buttons():
            button.setChecked(checked_id is not None and group.id(button) == checked_id)
        group.setExclusive(True)
        group.blockSignals(False)

    def _apply_access(self) -> None:
        assert self._form is not None
        for cid, row in self._rows.items():
            roles = row.criterion.roles
            if self._role is not None and roles and self._role not in roles:
                who = "、".join(_role_name(r) for r in roles)
                row.set_restricted(self.tr("本项由{roles}评分，您无需填写。").format(roles=who))
            else:
                row.set_restricted(None)
            row.set_read_only(self._read_only)
            if self._fixed_na is not None:
                row.set_agency_na(self._fixed_na.get(cid) if cid in self._fixed_na else None, cid in self._fixed_na)
            row.score_edit.setEnabled(cid not in self._na and row.isEnabled())
        buttons = [b for g in self._veto_groups.values() for b in g.buttons()]
        if self._conclusion_group is not None:
            buttons += self._conclusion_group.buttons()
        for button in buttons:
            button.setEnabled(not self._read_only)
        for edit in self._overall.values():
            edit.setReadOnly(self._read_only)

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
        for cid, row in self._rows.items():
            row.set_band(evaluation.band_of.get(cid), lang)
            problem = needs_comment.get(cid)
            row.set_comment_required(problem is not None, problem.text(lang) if problem else None)
        for section in form.sections:
            label = self._section_totals[section.id]
            label.setText(self.tr("小计 {total} / {max}").format(
                total=format_points(evaluation.section_totals.get(section.id, Decimal(0))),
                max=format_points(evaluation.section_max.get(section.id, section.max))))
        for veto_id, flag in self._veto_flags.items():
            if veto_id in evaluation.floor_vetoes:
                flag.setText(self.tr("已由得分自动触发"))
            elif veto_id in evaluation.vetoes_triggered:
                flag.setText(self.tr("已触发"))
            else:
                flag.setText("")
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
        self._show_reason(evaluation)
        self._fill_problems(evaluation)

    def _show_reason(self, evaluation: Evaluation) -> None:
        """The reason field shows while the conclusion differs from the band of the total (or a reason
        was written); its label names both conclusions."""
        form = self._form
        reason = self._overall.get(CONCLUSION_REASON)
        if form is None or reason is None:
            return
        band = band_disagreement(evaluation, self._conclusion)
        if band is not None:
            self._reason_label.setText(self.tr(
                "总分 {total} 对应“{band}”，您选择了“{chosen}”。请说明理由（必填，随评分表签名提交，组织机构可见）：").format(
                total=format_points(evaluation.total), band=form.conclusion(band).label.get(self._lang),
                chosen=form.conclusion(self._conclusion or "").label.get(self._lang)))
        else:
            self._reason_label.setText(self.tr("结论理由："))
        _restyle(self._reason_label, "kind", "error" if band is not None else "")
        visible = band is not None or bool(self._overall_values.get(CONCLUSION_REASON))
        self._reason_label.setVisible(visible)
        reason.setVisible(visible)
        _restyle(reason, "required", "true" if band is not None else "false")

    def _fill_problems(self, evaluation: Evaluation) -> None:
        self._problems.clear()
        for problem in evaluation.problems:
            item = QListWidgetItem(problem.text(self._lang))
            item.setData(Qt.ItemDataRole.UserRole, problem)
            self._problems.addItem(item)
        complete = not evaluation.problems
        if complete:
            self._problem_heading.setText(self.tr("✔ 评分表已填写完整"))
        else:
            self._problem_heading.setText(self.tr("尚有 {count} 项待完成（点击定位）").format(count=len(evaluation.problems)))
        _restyle(self._problem_heading, "complete", complete)
        self._problems.setVisible(not complete)

    def _focus_problem(self, problem: Problem) -> None:
        widget = self.widget_for(problem)
        if widget is None:
            return
        self._scroll.ensureWidgetVisible(widget, 40, 60)
        # a keyboard reason: the style draws the focus ring where the jump landed
        widget.window().setAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange, True)
        widget.setFocus(Qt.FocusReason.ShortcutFocusReason)
