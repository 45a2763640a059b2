"""ScoringForm on every bundled form, driven with the keyboard as an expert would."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.scoring import FormAnswers
from tic_desktop.ui.expert.scoring_form import ScoringForm
from tic_desktop.ui.expert.scoring_rows import format_points

FORM_IDS = ("feasibility_review", "rd_capacity_project", "term_end_evaluation", "periodic_assessment")

# feasibility_review: 17 criteria, 100 points; these add up to 72.5 and stay clear of the comment rules
FEASIBILITY_SCORES = {
    "1.1": "5.5", "1.2": "7", "2.1": "4.5", "2.2": "3", "3.1": "3", "3.2": "2.5", "3.3": "2", "4.1": "6.5",
    "4.2": "5", "4.3": "5", "5.1": "3.5", "5.2": "3.5", "5.3": "4", "6.1": "3.5", "7.1": "3",
    "7.2": "4.5", "7.3": "3", "8.1": "3.5",
}


@pytest.fixture()
def form_widget(qtbot) -> ScoringForm:
    widget = ScoringForm()
    qtbot.addWidget(widget)
    widget.resize(600, 900)
    widget.show()
    qtbot.waitExposed(widget)
    widget.activateWindow()
    qtbot.waitUntil(widget.isActiveWindow)
    return widget


def _mid_scores(form: FormTemplate) -> dict[str, str]:
    """About 70% of each max, on the form's step (clear of the 60%/100% comment rules)."""
    out = {}
    for c in form.criteria:
        value = (c.max * Decimal("0.7") / form.step).to_integral_value() * form.step
        if value / c.max <= Decimal("0.6"):
            value += form.step
        out[c.id] = format_points(value.normalize())
    return out


def _type_scores(qtbot, widget: ScoringForm, form: FormTemplate, scores: dict[str, str]) -> None:
    """Focus the first score, then for each criterion type its score and Tab through its row."""
    first = widget.criterion_row(form.criteria[0].id).score_edit
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    for c in form.criteria:
        row = widget.criterion_row(c.id)
        assert QApplication.focusWidget() is row.score_edit, c.id
        qtbot.keyClicks(row.score_edit, scores[c.id])
        for _ in row.focusables():
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_keyboard_scoring_updates_total_and_bands(qtbot, form_widget: ScoringForm,
                                                  forms: dict[str, FormTemplate], form_id: str) -> None:
    form = forms[form_id]
    form_widget.set_form(form, FormAnswers(), None)
    changes: list[tuple[str, str, object]] = []
    form_widget.answerChanged.connect(lambda kind, item, value: changes.append((kind, item, value)))
    scores = FEASIBILITY_SCORES if form_id == "feasibility_review" else _mid_scores(form)
    _type_scores(qtbot, form_widget, form, scores)

    expected = sum((Decimal(v) for v in scores.values()), Decimal(0))
    assert changes == [("score", cid, Decimal(scores[cid])) for cid in (c.id for c in form.criteria)]
    assert all(isinstance(value, Decimal) for _, _, value in changes)
    assert form_widget.answers().scores == {k: Decimal(v) for k, v in scores.items()}
    evaluation = form_widget.evaluation()
    assert evaluation.total == expected
    assert form_widget.total_text() == f"总分 {format_points(expected)} / 100"
    for c in form.criteria:
        band = evaluation.band_of[c.id]
        label = next(b.label.zh for b in form.bands if b.code == band)
        assert form_widget.criterion_row(c.id).band_label.text() == f"{band} {label}"
    suggested = form.conclusion(evaluation.suggested_conclusion).label.zh
    assert suggested in form_widget.suggestion_text()


def test_feasibility_total_band_and_conclusion(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["feasibility_review"]
    form_widget.set_form(form, FormAnswers(), "technical")
    _type_scores(qtbot, form_widget, form, FEASIBILITY_SCORES)
    assert form_widget.total_text() == "总分 72.5 / 100"
    assert form_widget.evaluation().total == Decimal("72.5")
    assert form_widget.criterion_row("1.1").band_label.text() == "A 优"  # 5.5 / 6
    assert form_widget.criterion_row("1.2").band_label.text() == "B 良"  # 7 / 9
    assert form_widget.criterion_row("2.2").band_label.text() == "B 良"  # 3 / 4
    assert "建议结论：修改后通过" in form_widget.suggestion_text()
    assert form_widget._section_totals["1"].text() == "小计 12.5 / 15"
    assert not any("评语" in t for t in form_widget.problem_texts())


def test_out_of_step_and_out_of_range_are_refused(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["feasibility_review"]
    form_widget.set_form(form, FormAnswers(scores={"1.1": Decimal("5")}), None)
    changes: list[tuple] = []
    form_widget.answerChanged.connect(lambda *args: changes.append(args))
    row = form_widget.criterion_row("1.1")
    row.score_edit.setFocus()
    qtbot.waitUntil(row.score_edit.hasFocus)
    row.score_edit.selectAll()
    qtbot.keyClicks(row.score_edit, "5.3")
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Tab)
    assert changes == []
    assert row.score_edit.text() == "5.0"
    assert row.note.isVisibleTo(form_widget) and "0.5" in row.note.text()
    row.score_edit.setFocus()
    row.score_edit.selectAll()
    qtbot.keyClicks(row.score_edit, "7")  # max is 6
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Return)
    assert changes == []
    assert form_widget.answers().scores == {"1.1": Decimal("5")}
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Up)
    assert changes == [("score", "1.1", Decimal("5.5"))]
    assert not row.note.isVisibleTo(form_widget)
    row.score_edit.selectAll()
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Delete)
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Tab)
    assert changes[-1] == ("score", "1.1", None)
    assert "1.1" not in form_widget.answers().scores


def test_required_comment_for_an_extreme_score(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["feasibility_review"]
    form_widget.set_form(form, FormAnswers(), None)
    changes: list[tuple] = []
    form_widget.answerChanged.connect(lambda *args: changes.append(args))
    row = form_widget.criterion_row("1.1")
    assert row.comment_edit.property("required") is False
    row.score_edit.setFocus()
    qtbot.waitUntil(row.score_edit.hasFocus)
    qtbot.keyClicks(row.score_edit, "6")  # full marks
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is row.comment_edit
    assert row.comment_edit.property("required") is True
    assert "满分" in row.comment_edit.placeholderText()
    assert any(t.startswith("第 1.1 项得分为满分") for t in form_widget.problem_texts())
    qtbot.keyClicks(row.comment_edit, "Full marks: national platforms")
    qtbot.keyClick(row.comment_edit, Qt.Key.Key_Tab)
    assert changes[-1] == ("comment", "1.1", "Full marks: national platforms")
    assert not any(t.startswith("第 1.1 项") for t in form_widget.problem_texts())
    assert row.comment_edit.property("required") is True  # still marked, now satisfied


def test_veto_yes_suggests_the_failing_conclusion(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["feasibility_review"]
    scores = {k: Decimal(v) for k, v in FEASIBILITY_SCORES.items()}
    form_widget.set_form(form, FormAnswers(scores=scores), None)
    assert "修改后通过" in form_widget.suggestion_text()
    changes: list[tuple] = []
    form_widget.answerChanged.connect(lambda *args: changes.append(args))
    yes, no = form_widget.veto_buttons("material_untrue")
    yes.setFocus()
    qtbot.keyClick(yes, Qt.Key.Key_Space)
    assert changes == [("veto", "material_untrue", True)]
    assert form_widget.evaluation().suggested_conclusion == form.worst_conclusion.code
    assert "建议结论：不通过" in form_widget.suggestion_text()
    assert form_widget._veto_flags["material_untrue"].text() == "已触发"
    qtbot.mouseClick(no, Qt.MouseButton.LeftButton)
    assert changes[-1] == ("veto", "material_untrue", False)
    assert "建议结论：修改后通过" in form_widget.suggestion_text()


def _complete(qtbot, widget: ScoringForm, form: FormTemplate) -> None:
    scores = _mid_scores(form)
    _type_scores(qtbot, widget, form, scores)
    for veto in form.vetoes:
        qtbot.mouseClick(widget.veto_buttons(veto.id)[1], Qt.MouseButton.LeftButton)
    suggested = widget.evaluation().suggested_conclusion
    button = widget.conclusion_button(suggested)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    for field in form.overall_fields:
        edit = widget.overall_field(field.id)
        edit.setFocus()
        qtbot.waitUntil(edit.hasFocus)
        qtbot.keyClicks(edit, "120" if field.type == "amount" else "No major problems")
        qtbot.keyClick(edit, Qt.Key.Key_Tab)


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_validation_lists_missing_items_and_empties_when_complete(qtbot, form_widget: ScoringForm,
                                                                  forms, form_id: str) -> None:
    form = forms[form_id]
    form_widget.set_form(form, FormAnswers(), None)
    problems = form_widget.problem_texts()
    assert problems == [p.zh for p in form_widget.evaluation().problems]
    assert f"{form.criteria[0].id} {form.criteria[0].label.zh} 未评分" in problems
    assert "未选择结论" in problems
    assert form_widget._problems.isVisibleTo(form_widget)
    _complete(qtbot, form_widget, form)
    assert form_widget.problem_texts() == []
    assert form_widget.evaluation().complete
    assert form_widget._problem_heading.text() == "✔ 评分表已填写完整"
    assert not form_widget._problems.isVisibleTo(form_widget)


def test_clicking_a_problem_focuses_its_field(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["feasibility_review"]
    form_widget.set_form(form, FormAnswers(scores={"1.1": Decimal("6")}), None)
    item = form_widget._problems.item(0)
    assert item.text().startswith("第 1.1 项得分为满分")
    rect = form_widget._problems.visualItemRect(item)
    qtbot.mouseClick(form_widget._problems.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert QApplication.focusWidget() is form_widget.criterion_row("1.1").comment_edit
    assert form_widget.focus_first_problem()
    texts = form_widget.problem_texts()
    conclusion = form_widget._problems.item(texts.index("未选择结论"))
    form_widget._on_problem_activated(conclusion)
    assert QApplication.focusWidget() is form_widget.conclusion_button(form.conclusions[0].code)


def test_read_only_disables_input(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["feasibility_review"]
    answers = FormAnswers(scores={"1.1": Decimal("5")}, vetoes={"material_untrue": False}, conclusion="revise",
                          overall={"main_problems": "预算偏高"})
    form_widget.set_form(form, answers, None, read_only=True)
    changes: list[tuple] = []
    form_widget.answerChanged.connect(lambda *args: changes.append(args))
    row = form_widget.criterion_row("1.1")
    assert row.score_edit.isReadOnly() and row.comment_edit.isReadOnly()
    row.score_edit.setFocus()
    qtbot.keyClicks(row.score_edit, "9")
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Up)
    qtbot.keyClick(row.score_edit, Qt.Key.Key_Tab)
    assert row.score_edit.text() == "5.0"
    assert not form_widget.veto_buttons("material_untrue")[0].isEnabled()
    assert not form_widget.conclusion_button("pass").isEnabled()
    assert form_widget.overall_field("main_problems").isReadOnly()
    assert changes == []
    assert form_widget.answers() == answers
    form_widget.set_form(form, answers, None, read_only=False)  # same form: widgets re-used
    assert form_widget.criterion_row("1.1") is row
    assert not row.score_edit.isReadOnly()


def test_na_and_roles(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["rd_capacity_project"]
    form_widget.set_form(form, FormAnswers(), "finance")
    technical_only = next(c for c in form.criteria if c.roles and "finance" not in c.roles)
    row = form_widget.criterion_row(technical_only.id)
    assert not row.isEnabled()
    assert "技术专家" in row.note.text()
    shared = next(c for c in form.criteria if "finance" in c.roles)
    assert form_widget.criterion_row(shared.id).isEnabled()

    form = forms["feasibility_review"]
    form_widget.set_form(form, FormAnswers(scores={"8.1": Decimal("4")}), None)
    changes: list[tuple] = []
    form_widget.answerChanged.connect(lambda *args: changes.append(args))
    row = form_widget.criterion_row("8.1")
    assert row.na_box is not None
    row.na_box.setFocus()
    qtbot.keyClick(row.na_box, Qt.Key.Key_Space)
    assert changes == [("score", "8.1", None), ("na", "8.1", True)]
    assert form_widget.answers().not_applicable == frozenset({"8.1"})
    assert not row.score_edit.isEnabled()
    assert "按适用项折算" in form_widget._total.toolTip()


def test_agency_na_items_show_disabled_and_the_same_for_all(qtbot, form_widget: ScoringForm, forms) -> None:
    """Batch 1.1: the agency decides N/A per center; the expert sees it, cannot change it, and has no
    N/A box on the other items (a comment says what the expert thinks instead)."""
    form = forms["periodic_assessment"]
    form_widget.set_form(form, FormAnswers(not_applicable=frozenset({"3.3"})), "technical",
                         fixed_na={"5.1": "首次评估，没有上期考核目标"})
    row = form_widget.criterion_row("5.1")
    assert row.na_box is not None and row.na_box.isVisibleTo(form_widget)
    assert row.na_box.isChecked() and not row.na_box.isEnabled()
    assert not row.score_edit.isEnabled()
    assert "评审机构确定本项不适用：首次评估" in row.note.text()
    other = form_widget.criterion_row("3.3")  # the form allows N/A there, the agency did not set it
    assert other.na_box is not None and not other.na_box.isVisibleTo(form_widget)
    assert other.score_edit.isEnabled()
    assert form_widget.answers().not_applicable == frozenset({"5.1"})  # the expert's own 3.3 is gone
    assert form_widget.evaluation().applicable_max == Decimal(90)
    assert not any("5.1" in t and "不适用" in t for t in form_widget.problem_texts())


def test_tab_order_follows_the_form(qtbot, form_widget: ScoringForm, forms) -> None:
    form = forms["term_end_evaluation"]
    form_widget.set_form(form, FormAnswers(), None)
    expected: list[QWidget] = [form_widget._levels_toggle]
    for veto in form.vetoes:
        expected += list(form_widget.veto_buttons(veto.id))
    for c in form.criteria:
        expected += form_widget.criterion_row(c.id).focusables()
    chain = [form_widget._levels_toggle]
    for _ in range(len(expected) - 1):
        chain.append(chain[-1].nextInFocusChain())
        while chain[-1].focusPolicy() == Qt.FocusPolicy.NoFocus or not chain[-1].isVisibleTo(form_widget):
            chain[-1] = chain[-1].nextInFocusChain()
    assert chain == expected


def test_switching_forms_rebuilds_and_same_form_reuses_widgets(qtbot, form_widget: ScoringForm, forms) -> None:
    # speed lives in `python -m bench` (app_proposal_switch), never in a timed assertion here
    form = forms["feasibility_review"]
    other = forms["periodic_assessment"]
    form_widget.set_form(other, FormAnswers(), None)
    form_widget.set_form(form, FormAnswers(), None)
    QApplication.processEvents()
    assert form_widget.criterion_row("1.1") is not None
    row = form_widget.criterion_row("1.1")
    form_widget.set_form(form, FormAnswers(scores={"1.1": Decimal("4")}), None)
    assert form_widget.criterion_row("1.1") is row
    assert row.score_edit.text() == "4.0"


def test_a_conclusion_other_than_the_band_asks_for_a_reason(qtbot, form_widget: ScoringForm, forms) -> None:
    """Issue 17 finding 8: 通过 under a total in the 修改后通过 band was accepted silently."""
    from tic_desktop.core.scoring import CONCLUSION_REASON

    form = forms["feasibility_review"]
    form_widget.set_form(form, FormAnswers(), "technical")
    _complete(qtbot, form_widget, form)
    assert form_widget.evaluation().complete
    reason = form_widget.overall_field(CONCLUSION_REASON)
    assert not reason.isVisible()
    suggested = form_widget.evaluation().suggested_conclusion
    other = next(c.code for c in form.conclusions if c.code != suggested and c.code != form.worst_conclusion.code)
    button = form_widget.conclusion_button(other)
    button.setFocus()
    qtbot.keyClick(button, Qt.Key.Key_Space)
    assert not form_widget.evaluation().complete
    assert reason.isVisible() and "请说明理由" in form_widget._reason_label.text()
    problem = form_widget.evaluation().problems[0]
    assert problem.code == "conclusion.reason_required" and form_widget.widget_for(problem) is reason
    changes: list[tuple[str, str, object]] = []
    form_widget.answerChanged.connect(lambda *a: changes.append(a))
    reason.setFocus()
    qtbot.waitUntil(reason.hasFocus)
    qtbot.keyClicks(reason, "Strong team")
    qtbot.keyClick(reason, Qt.Key.Key_Tab)
    assert changes[-1] == ("overall", CONCLUSION_REASON, "Strong team")
    assert form_widget.evaluation().complete
    assert form_widget.answers().overall[CONCLUSION_REASON] == "Strong team"


def test_restructure_is_a_choice_and_merge_asks_for_the_center(qtbot, form_widget: ScoringForm, forms) -> None:
    """Issue 12 §2: the 撤并转 recommendation is structured (保留 / 转入专业性技术创新中心 / 合并 / 撤销),
    and 合并 needs the name of the center to merge into."""
    from PySide6.QtWidgets import QComboBox

    form = forms["periodic_assessment"]
    form_widget.set_form(form, FormAnswers(), None)
    combo = form_widget.overall_field("restructure")
    assert isinstance(combo, QComboBox)
    assert [combo.itemText(i) for i in range(combo.count())] == ["", "保留", "转入专业性技术创新中心", "合并", "撤销"]
    combo.setCurrentIndex(combo.findData("merge"))
    assert form_widget.answers().overall["restructure"] == "merge"
    assert "选择“合并”时需填写合并至（中心名称，选择“合并”时填写）" in form_widget.problem_texts()
    target = form_widget.overall_field("restructure_target")
    target.setFocus()
    qtbot.waitUntil(target.hasFocus)
    qtbot.keyClicks(target, "Demo Center")  # QTest types ASCII only
    qtbot.keyClick(target, Qt.Key.Key_Tab)
    assert form_widget.answers().overall["restructure_target"] == "Demo Center"
    assert not any("合并至" in p for p in form_widget.problem_texts())
    combo.setCurrentIndex(combo.findData("convert"))
    assert form_widget.answers().overall["restructure"] == "convert"


def test_the_restructure_fields_are_only_asked_of_an_engineering_center(form_widget: ScoringForm, forms) -> None:
    form = forms["periodic_assessment"]
    form_widget.set_form(form, FormAnswers(), None, center_type="professional")
    assert form_widget.overall_field("restructure").isHidden()
    assert form_widget.overall_field("restructure_target").isHidden()
    assert not form_widget.overall_field("main_problems").isHidden()
    form_widget.set_form(form, FormAnswers(), None, center_type="engineering")
    assert not form_widget.overall_field("restructure").isHidden()
