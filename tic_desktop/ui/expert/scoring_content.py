"""FormContent: the widgets of one form template inside the ScoringForm's scroll area.

The veto questions, the sections of criterion rows with their subtotals, the conclusion with its
reason field and the overall opinion fields, and how answers, access and an evaluation show on
them. Built again for another template or language; the ScoringForm keeps the answers, connects
the widgets' signals and works out the evaluation (`core.scoring.evaluate`).
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.scoring import CONCLUSION_REASON, Evaluation, Problem, band_disagreement
from tic_desktop.ui.expert.form_fields import ChoiceField, FormRadio, TextField
from tic_desktop.ui.expert.scoring_rows import CriterionRow, format_points

FORM_STYLE = """
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
"""The ScoringForm's style sheet (set on the form, so it reaches the content and the to-do list)."""

OverallEdit = QLineEdit | TextField | ChoiceField


def restyle(widget: QWidget, name: str, value: object) -> None:
    """Set a property the style sheet selects on; re-polish (slow) only when it changed."""
    if widget.property(name) == value:
        return
    widget.setProperty(name, value)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def role_name(role: str) -> str:
    names = {
        "technical": QCoreApplication.translate("ScoringForm", "技术专家"),
        "finance": QCoreApplication.translate("ScoringForm", "财务专家"),
        "management": QCoreApplication.translate("ScoringForm", "管理专家"),
    }
    return names.get(role, role)


def set_group(group: QButtonGroup, checked_id: int | None) -> None:
    """Check the button `checked_id` of an exclusive group (None: none), without signals."""
    group.blockSignals(True)
    group.setExclusive(False)
    for button in group.buttons():
        button.setChecked(checked_id is not None and group.id(button) == checked_id)
    group.setExclusive(True)
    group.blockSignals(False)


class FormContent(QWidget):
    def __init__(self, form: FormTemplate, lang: str, first: QWidget) -> None:
        """The widgets of `form` in `lang`; `first` comes before them in the focus chain."""
        super().__init__()
        self.form = form
        self.lang = lang
        self.rows: dict[str, CriterionRow] = {}
        self.section_totals: dict[str, QLabel] = {}
        self.veto_groups: dict[str, QButtonGroup] = {}
        self.veto_flags: dict[str, QLabel] = {}
        self.conclusion_buttons: dict[str, QRadioButton] = {}
        self.overall: dict[str, OverallEdit] = {}
        self.overall_labels: dict[str, QLabel] = {}
        self.setUpdatesEnabled(False)  # on again once the ScoringForm has placed it
        body = QVBoxLayout(self)
        body.setContentsMargins(10, 4, 10, 10)
        body.setSpacing(8)
        focus_chain: list[QWidget] = [first]

        if form.vetoes:
            box = QGroupBox(self.tr("否决项（任一项为“是”，结论为“{worst}”）").format(
                worst=form.worst_conclusion.label.get(lang)), self)
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
                self.veto_groups[veto.id] = group
                flag = QLabel(box)
                flag.setObjectName("vetoTriggered")
                self.veto_flags[veto.id] = flag
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
            box = QGroupBox(self.tr("{id}  {label}").format(id=section.id, label=section.label.get(lang)), self)
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
            self.section_totals[section.id] = subtotal
            for criterion in section.criteria:
                row = CriterionRow(criterion, form.bands, form.step, lang, box)
                self.rows[criterion.id] = row
                box_layout.addWidget(row)
                focus_chain += row.focusables()
            body.addWidget(box)

        box = QGroupBox(self.tr("评审结论"), self)
        conclusions = QVBoxLayout(box)
        conclusions.setSpacing(4)
        self.conclusion_group = QButtonGroup(box)
        for conclusion in form.conclusions:
            text = conclusion.label.get(lang)
            if conclusion.min_total > 0:
                text = self.tr("{label}（总分 {min} 分及以上）").format(label=text, min=format_points(conclusion.min_total))
            button = FormRadio(text, box)
            button.setAccessibleName(self.tr("结论：{label}").format(label=conclusion.label.get(lang)))
            if conclusion.outcome is not None:
                button.setToolTip(conclusion.outcome.get(lang))
            button.setProperty("code", conclusion.code)
            self.conclusion_group.addButton(button)
            self.conclusion_buttons[conclusion.code] = button
            conclusions.addWidget(button)
            focus_chain.append(button)
        # a conclusion other than the band of the total needs a reason (signed, shown to the agency)
        self.reason_label = QLabel(box)
        self.reason_label.setObjectName("reasonLabel")
        self.reason_label.setWordWrap(True)
        reason = TextField(box)
        reason.setObjectName("conclusionReason")
        reason.setAccessibleName(self.tr("结论与总分分档不一致的理由"))
        reason.setProperty("field_id", CONCLUSION_REASON)
        self.reason_label.setBuddy(reason)
        conclusions.addWidget(self.reason_label)
        conclusions.addWidget(reason)
        self.overall[CONCLUSION_REASON] = reason
        focus_chain.append(reason)
        body.addWidget(box)

        if form.overall_fields:
            box = QGroupBox(self.tr("评审意见"), self)
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
                label.setBuddy(edit)
                grid.addWidget(label, row_index, 0)
                grid.addWidget(edit, row_index, 1, Qt.AlignmentFlag.AlignLeft if field.type in ("amount", "choice")
                               else Qt.AlignmentFlag(0))
                self.overall[field.id] = edit
                self.overall_labels[field.id] = label
                focus_chain.append(edit)
            grid.setColumnStretch(1, 1)
            body.addWidget(box)
        body.addStretch(1)

        self.focus_chain = focus_chain
        """The content's fields in the order Tab visits them, after `first`."""

    def widget_for(self, problem: Problem) -> QWidget | None:
        """The field a problem is about."""
        target = problem.target
        if target in self.rows:
            row = self.rows[target]
            if problem.code.startswith("comment."):
                return row.comment_edit
            if problem.code.startswith("na.") and row.na_box is not None:
                return row.na_box
            return row.score_edit
        if target in self.veto_groups:
            return self.veto_groups[target].buttons()[0]
        if target in self.overall:
            return self.overall[target]
        if problem.code.startswith("conclusion."):
            return self.conclusion_group.checkedButton() or self.conclusion_group.buttons()[0]
        return None

    def set_values(self, scores: Mapping[str, Decimal], na: set[str], comments: Mapping[str, str],
                   vetoes: Mapping[str, bool], conclusion: str | None, overall: Mapping[str, str]) -> None:
        for cid, row in self.rows.items():
            row.set_values(scores.get(cid), cid in na, comments.get(cid))
        for veto_id, group in self.veto_groups.items():
            set_group(group, {True: 1, False: 0}.get(vetoes.get(veto_id)))
        button = self.conclusion_buttons.get(conclusion or "")
        set_group(self.conclusion_group, None if button is None else self.conclusion_group.id(button))
        for field_id, edit in self.overall.items():
            value = overall.get(field_id, "")
            if isinstance(edit, TextField):
                edit.setPlainText(value)
            else:
                edit.setText(value)

    def set_access(self, role: str | None, read_only: bool, fixed_na: Mapping[str, str] | None,
                   na: set[str], center_type: str | None) -> None:
        """Who scores what, a signed (read-only) sheet, the agency's 不适用, the fields of this center type."""
        for cid, row in self.rows.items():
            roles = row.criterion.roles
            if role is not None and roles and role not in roles:
                who = "、".join(role_name(r) for r in roles)
                row.set_restricted(self.tr("本项由{roles}评分，您无需填写。").format(roles=who))
            else:
                row.set_restricted(None)
            row.set_read_only(read_only)
            if fixed_na is not None:
                row.set_agency_na(fixed_na.get(cid) if cid in fixed_na else None, cid in fixed_na)
            row.score_edit.setEnabled(cid not in na and row.isEnabled())
        buttons = [b for g in self.veto_groups.values() for b in g.buttons()]
        buttons += self.conclusion_group.buttons()
        for button in buttons:
            button.setEnabled(not read_only)
        for edit in self.overall.values():
            edit.setReadOnly(read_only)
        for field in self.form.overall_fields:
            shown = center_type is None or not field.center_types or center_type in field.center_types
            if field.id in self.overall:
                self.overall[field.id].setVisible(shown)
                self.overall_labels[field.id].setVisible(shown)

    def show_evaluation(self, evaluation: Evaluation, needs_comment: Mapping[str, Problem],
                        conclusion: str | None, reason_written: bool) -> None:
        """Bands, required comments, subtotals, triggered vetoes and the conclusion's reason field."""
        form, lang = self.form, self.lang
        for cid, row in self.rows.items():
            row.set_band(evaluation.band_of.get(cid), lang)
            problem = needs_comment.get(cid)
            row.set_comment_required(problem is not None, problem.text(lang) if problem else None)
        for section in form.sections:
            label = self.section_totals[section.id]
            label.setText(self.tr("小计 {total} / {max}").format(
                total=format_points(evaluation.section_totals.get(section.id, Decimal(0))),
                max=format_points(evaluation.section_max.get(section.id, section.max))))
        for veto_id, flag in self.veto_flags.items():
            if veto_id in evaluation.floor_vetoes:
                flag.setText(self.tr("已由得分自动触发"))
            elif veto_id in evaluation.vetoes_triggered:
                flag.setText(self.tr("已触发"))
            else:
                flag.setText("")
        self._show_reason(evaluation, conclusion, reason_written)

    def _show_reason(self, evaluation: Evaluation, conclusion: str | None, reason_written: bool) -> None:
        """The reason field shows while the conclusion differs from the band of the total (or a reason
        was written); its label names both conclusions."""
        form, reason = self.form, self.overall[CONCLUSION_REASON]
        band = band_disagreement(evaluation, conclusion)
        if band is not None:
            self.reason_label.setText(self.tr(
                "总分 {total} 对应“{band}”，您选择了“{chosen}”。请说明理由（必填，随评分表签名提交，组织机构可见）：").format(
                total=format_points(evaluation.total), band=form.conclusion(band).label.get(self.lang),
                chosen=form.conclusion(conclusion or "").label.get(self.lang)))
        else:
            self.reason_label.setText(self.tr("结论理由："))
        restyle(self.reason_label, "kind", "error" if band is not None else "")
        visible = band is not None or reason_written
        self.reason_label.setVisible(visible)
        reason.setVisible(visible)
        restyle(reason, "required", "true" if band is not None else "false")
