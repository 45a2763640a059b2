"""Scoring rules on the bundled forms, with the numbers an expert would type."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest

from tic_desktop.core.form_library import builtin_forms
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.scoring import (
    CONCLUSION_REASON,
    Evaluation,
    FormAnswers,
    band_disagreement,
    evaluate,
    round_half_up,
)

D = Decimal

# A plausible feasibility-review sheet: 81 points, every item in band B or better, no comment needed.
FEASIBILITY_81 = {
    "1.1": "5", "1.2": "7.5", "2.1": "5", "2.2": "3.5", "3.1": "3", "3.2": "2.5", "3.3": "2.5", "4.1": "8.5",
    "4.2": "6.5", "4.3": "5.5", "5.1": "4", "5.2": "4", "5.3": "4", "6.1": "4", "7.1": "3",
    "7.2": "5.5", "7.3": "3", "8.1": "4",
}  # fmt: skip
OVERALL = {"main_problems": "预算测算依据不足。", "suggestions": "补充设备询价单。"}


def form(form_id: str) -> FormTemplate:
    return builtin_forms()[form_id]


def answers(
    f: FormTemplate,
    scores: dict[str, str],
    *,
    conclusion: str | None = None,
    vetoes: dict[str, bool] | None = None,
    na: frozenset[str] = frozenset(),
    comments: dict[str, str] | None = None,
    overall: dict[str, str] | None = None,
) -> FormAnswers:
    return FormAnswers(
        scores={k: D(v) for k, v in scores.items()},
        not_applicable=na,
        comments=comments or {},
        vetoes={v.id: False for v in f.vetoes} if vetoes is None else vetoes,
        conclusion=conclusion,
        overall=OVERALL if overall is None else overall,
    )


def codes(e: Evaluation) -> list[tuple[str, str | None]]:
    return [(p.code, p.target) for p in e.problems]


def spread(f: FormTemplate, total: Decimal) -> dict[str, str]:
    """Scores adding up to `total`: fill criteria to their max in order, the rest gets 0."""
    left, out = total, {}
    for c in f.criteria:
        take = min(c.max, left)
        out[c.id] = str(take)
        left -= take
    assert left == 0
    return out


def all_comments(f: FormTemplate) -> dict[str, str]:
    return {c.id: "理由见材料第 3 页。" for c in f.criteria}


# --- totals, bands, conclusions ----------------------------------------------------------------


def test_complete_feasibility_sheet_of_81_points_passes() -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="pass"))
    assert e.problems == ()
    assert e.complete
    assert e.raw_total == D("81") and e.applicable_max == D("100") and e.total == D("81.00")
    assert e.section_totals == {
        "1": D("12.5"), "2": D("8.5"), "3": D("8"), "4": D("20.5"),
        "5": D("12"), "6": D("4"), "7": D("11.5"), "8": D("4"),
    }  # fmt: skip
    assert e.band_of["1.2"] == "B"  # 7.5 / 9 = 83%
    assert e.band_of["7.1"] == "B"  # 3 / 4 = 75% exactly: B starts at 0.75
    assert set(e.band_of.values()) == {"B"}
    assert e.suggested_conclusion == "pass"
    assert e.scored == 18 and len(e.applicable) == 18


@pytest.mark.parametrize(
    ("score", "band"),
    [("9", "A"), ("8.5", "A"), ("8", "B"), ("7", "B"), ("6.5", "C"), ("5.5", "C"), ("5", "D"), ("0", "D")],
)
def test_band_of_item_1_2_max_9(score: str, band: str) -> None:
    f = form("feasibility_review")
    scores = dict(FEASIBILITY_81, **{"1.2": score})
    e = evaluate(f, answers(f, scores, conclusion="pass", comments=all_comments(f)))
    assert e.band_of["1.2"] == band  # A ≥ 8.1, B ≥ 6.75, C ≥ 5.4, D below


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("100", "pass"),
        ("80", "pass"),
        ("79.5", "revise"),
        ("60", "revise"),
        ("59.5", "reject"),
        ("0", "reject"),
    ],
)
def test_feasibility_conclusion_bands(total: str, expected: str) -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, spread(f, D(total)), conclusion=expected, comments=all_comments(f)))
    assert e.total == D(total)
    assert e.suggested_conclusion == expected
    assert e.complete


@pytest.mark.parametrize(
    ("total", "expected"),
    [
        ("85", "excellent"),
        ("84.5", "qualified"),
        ("70", "qualified"),
        ("69.5", "basic"),
        ("60", "basic"),
        ("59.5", "fail"),
    ],
)
def test_term_end_conclusion_bands(total: str, expected: str) -> None:
    f = form("term_end_evaluation")
    e = evaluate(f, answers(f, spread(f, D(total)), conclusion=expected, comments=all_comments(f)))
    assert e.total == D(total) and e.suggested_conclusion == expected


@pytest.mark.parametrize(
    ("total", "expected"), [("85", "excellent"), ("75", "good"), ("74.5", "qualified"), ("59.5", "fail")]
)
def test_periodic_grades(total: str, expected: str) -> None:
    f = form("periodic_assessment")
    e = evaluate(f, answers(f, spread(f, D(total)), conclusion=expected, comments=all_comments(f)))
    assert e.suggested_conclusion == expected
    award = f.consolidation.center_types["professional"].awards.get(expected)
    assert award == (D("300000") if expected == "excellent" else None)


def test_no_suggestion_until_every_item_is_scored() -> None:
    f = form("feasibility_review")
    partial = {k: v for k, v in FEASIBILITY_81.items() if k != "4.1"}
    e = evaluate(f, answers(f, partial, conclusion="pass"))
    assert e.suggested_conclusion is None
    assert e.raw_total == D("72.5") and e.applicable_max == D("100") and e.total == D("72.50")
    assert codes(e) == [("score.missing", "4.1")]
    assert e.problems[0].text("zh") == "4.1 关键核心和共性技术攻关任务 未评分"
    assert e.problems[0].text("en") == "4.1 Key and generic technology tasks is not scored"


def test_missing_score_message_names_the_item() -> None:
    f = form("feasibility_review")
    partial = {k: v for k, v in FEASIBILITY_81.items() if k != "1.2"}
    e = evaluate(f, answers(f, partial, conclusion="pass"))
    assert [p.text() for p in e.problems] == ["1.2 依托单位与共建单位基础 未评分"]
    assert not e.complete


# --- N/A and rescaling -------------------------------------------------------------------------


def test_na_item_is_removed_and_total_rescaled() -> None:
    f = form("feasibility_review")
    scores = {k: v for k, v in FEASIBILITY_81.items() if k != "8.1"}
    e = evaluate(
        f,
        answers(f, scores, conclusion="pass", na=frozenset({"8.1"}), comments={"8.1": "方案未写第八章。"}),
    )
    assert e.raw_total == D("77") and e.applicable_max == D("95")
    assert e.total == D("81.05")  # 77 / 95 × 100 = 81.0526…
    assert "8.1" not in e.applicable and e.section_max["8"] == 0
    assert e.complete and e.suggested_conclusion == "pass"


def test_na_needs_a_comment() -> None:
    """A 1.0 batch's form may still ask for a comment on an expert's own N/A (the built-in forms of
    1.1 have no such rule: the agency decides N/A)."""
    from tic_desktop.core.forms import CommentRule
    from tic_desktop.core.types import Text

    base = form("feasibility_review")
    rule = CommentRule(on_not_applicable=True, label=Text(zh="标为不适用，需填写评语说明理由", en="marked N/A"))
    f = base.model_copy(update={"comment_rules": (*base.comment_rules, rule)})
    scores = {k: v for k, v in FEASIBILITY_81.items() if k != "8.1"}
    e = evaluate(f, answers(f, scores, conclusion="pass", na=frozenset({"8.1"})))
    assert codes(e) == [("comment.required", "8.1")]
    assert e.problems[0].text() == "第 8.1 项标为不适用，需填写评语说明理由"


def test_two_na_items_on_the_periodic_form() -> None:
    f = form("periodic_assessment")
    scores = {c.id: str(c.max) for c in f.criteria if c.id not in {"3.3", "5.1"}}
    na = frozenset({"3.3", "5.1"})
    e = evaluate(f, answers(f, scores, conclusion="excellent", na=na, comments=all_comments(f)))
    assert e.raw_total == D("85") and e.applicable_max == D("85") and e.total == D("100.00")
    assert e.complete


def test_na_where_not_allowed_is_a_problem_and_still_counts() -> None:
    f = form("feasibility_review")
    scores = {k: v for k, v in FEASIBILITY_81.items() if k != "1.1"}
    e = evaluate(f, answers(f, scores, conclusion="pass", na=frozenset({"1.1"})))
    assert codes(e) == [("na.not_allowed", "1.1"), ("score.missing", "1.1")]
    assert e.applicable_max == D("100")


def test_scored_and_na_is_a_problem() -> None:
    f = form("feasibility_review")
    e = evaluate(
        f, answers(f, FEASIBILITY_81, conclusion="pass", na=frozenset({"8.1"}), comments={"8.1": "无"})
    )
    assert ("score.scored_and_na", "8.1") in codes(e)
    assert e.raw_total == D("77")  # the N/A mark wins for the total


# --- roles ---------------------------------------------------------------------------------------


def test_finance_expert_scores_only_the_budget_part() -> None:
    f = form("rd_capacity_project")
    e = evaluate(f, answers(f, {"3.1": "8", "3.2": "6", "3.3": "5.5"}, conclusion="revise"), role="finance")
    assert e.problems == ()
    assert e.applicable == ("3.1", "3.2", "3.3")
    assert e.raw_total == D("19.5") and e.applicable_max == D("25") and e.total == D("78.00")
    assert e.suggested_conclusion == "revise"


def test_finance_expert_missing_a_budget_item() -> None:
    f = form("rd_capacity_project")
    e = evaluate(f, answers(f, {"3.1": "8", "3.2": "6"}, conclusion="revise"), role="finance")
    assert codes(e) == [("score.missing", "3.3")]
    assert e.problems[0].text() == "3.3 财政补助申请合规与资金管理 未评分"


def test_a_score_outside_the_role_counts_when_given() -> None:
    f = form("rd_capacity_project")
    e = evaluate(
        f, answers(f, {"1.1": "8", "3.1": "8", "3.2": "6", "3.3": "5.5"}, conclusion="revise"), role="finance"
    )
    assert e.raw_total == D("27.5") and e.applicable_max == D("35") and e.total == D("78.57")


def test_management_expert_may_leave_the_budget_blank() -> None:
    f = form("rd_capacity_project")
    scores = {"1.1": "8", "1.2": "9.5", "1.3": "6.5", "2.1": "12", "2.2": "8", "4.1": "9.5", "4.2": "6.5"}
    e = evaluate(f, answers(f, scores, conclusion="pass"), role="management")
    assert e.problems == ()
    assert e.applicable_max == D("75") and e.total == D("80.00")


def test_without_a_role_every_item_is_required() -> None:
    f = form("rd_capacity_project")
    e = evaluate(f, answers(f, {"3.1": "8", "3.2": "6", "3.3": "5.5"}, conclusion="revise"))
    assert [t for c, t in codes(e) if c == "score.missing"] == [
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "4.1",
        "4.2",
    ]


# --- score validity --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "code", "zh"),
    [
        ("7.3", "score.off_step", "1.2 依托单位与共建单位基础 得分 7.3 不是 0.5 分的整数倍"),
        ("9.5", "score.out_of_range", "1.2 依托单位与共建单位基础 得分 9.5 超出范围 0–9"),
        ("-0.5", "score.out_of_range", "1.2 依托单位与共建单位基础 得分 -0.5 超出范围 0–9"),
        ("NaN", "score.invalid", "1.2 依托单位与共建单位基础 的得分不是有效数字"),
    ],
)
def test_bad_scores_are_problems_and_not_counted(value: str, code: str, zh: str) -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, dict(FEASIBILITY_81, **{"1.2": value}), conclusion="pass"))
    assert codes(e) == [(code, "1.2")]
    assert e.problems[0].text() == zh
    assert e.raw_total == D("73.5")  # 81 − 7.5: the bad score is left out
    assert "1.2" not in e.band_of
    assert e.suggested_conclusion is None


def test_unknown_criterion_id_is_a_problem() -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, dict(FEASIBILITY_81, **{"9.1": "3"}), conclusion="pass"))
    assert codes(e) == [("score.unknown_criterion", "9.1")]
    assert e.raw_total == D("81")


# --- comments -----------------------------------------------------------------------------------


def test_full_marks_need_a_comment() -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, dict(FEASIBILITY_81, **{"5.1": "5"}), conclusion="pass"))
    assert codes(e) == [("comment.required", "5.1")]
    assert e.problems[0].text().startswith("第 5.1 项得分为满分，需填写评语")
    assert e.problems[0].text("en").startswith("Item 5.1 scored full marks")
    ok = evaluate(
        f,
        answers(
            f, dict(FEASIBILITY_81, **{"5.1": "5"}), conclusion="pass", comments={"5.1": "治理结构完善。"}
        ),
    )
    assert ok.complete


@pytest.mark.parametrize(
    ("score", "needed"), [("3", True), ("3.5", False), ("0", True), ("2.5", True), ("4.5", False)]
)
def test_low_scores_at_or_below_60_percent_need_a_comment(score: str, needed: bool) -> None:
    f = form("feasibility_review")  # 5.1 has max 5: 60% is 3 points
    e = evaluate(f, answers(f, dict(FEASIBILITY_81, **{"5.1": score}), conclusion="pass"))
    assert (("comment.required", "5.1") in codes(e)) is needed


def test_blank_comment_does_not_count() -> None:
    f = form("feasibility_review")
    band = evaluate(f, answers(f, dict(FEASIBILITY_81, **{"3.1": "0"}))).suggested_conclusion
    e = evaluate(
        f, answers(f, dict(FEASIBILITY_81, **{"3.1": "0"}), conclusion=band, comments={"3.1": "  \n"})
    )
    assert codes(e) == [("comment.required", "3.1")]
    assert "60%" in e.problems[0].text()


# --- vetoes ---------------------------------------------------------------------------------------


def test_veto_answered_yes_fails_whatever_the_score() -> None:
    f = form("feasibility_review")
    vetoes = {"material_untrue": True}
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="reject", vetoes=vetoes))
    assert e.total == D("81.00")
    assert e.vetoes_triggered == ("material_untrue",)
    assert e.suggested_conclusion == "reject"
    assert e.complete


def test_conclusion_contradicting_a_veto_is_a_problem() -> None:
    f = form("feasibility_review")
    vetoes = {"material_untrue": True}
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="pass", vetoes=vetoes))
    assert codes(e) == [("conclusion.contradicts_veto", None)]
    assert "结论应为“不通过”，不能为“通过”" in e.problems[0].text()


def test_unanswered_veto_is_a_problem() -> None:
    f = form("feasibility_review")
    e = evaluate(
        f,
        answers(
            f, FEASIBILITY_81, conclusion="pass", vetoes={}
        ),
    )
    assert codes(e) == [("veto.unanswered", "material_untrue")]
    assert e.problems[0].text().startswith("否决项“申报材料不完整")


def test_term_end_part_one_below_80_percent_triggers_the_veto() -> None:
    f = form("term_end_evaluation")
    scores = {c.id: str(c.max) for c in f.criteria}
    scores |= {"1.1": "15", "1.2": "12.5"}  # part 1: 27.5 of 35 < 28
    e = evaluate(f, answers(f, scores, conclusion="excellent", comments=all_comments(f)))
    assert e.section_totals["1"] == D("27.5")
    assert e.total == D("92.50")
    assert e.vetoes_triggered == ("completion_below_80",)  # although the expert answered 否
    assert e.floor_vetoes == ("completion_below_80",)
    assert e.suggested_conclusion == "fail"
    assert codes(e) == [("conclusion.contradicts_veto", None)]


def test_term_end_part_one_at_exactly_80_percent_does_not_trigger() -> None:
    f = form("term_end_evaluation")
    scores = {c.id: str(c.max) for c in f.criteria} | {"1.1": "15", "1.2": "13"}  # 28 of 35
    e = evaluate(f, answers(f, scores, conclusion="excellent", comments=all_comments(f)))
    assert e.vetoes_triggered == () and e.suggested_conclusion == "excellent" and e.complete


def test_floor_waits_until_the_section_is_scored() -> None:
    f = form("term_end_evaluation")
    vetoes = {v.id: False for v in f.vetoes}
    del vetoes["completion_below_80"]
    e = evaluate(f, answers(f, {"1.1": "5"}, vetoes=vetoes, comments=all_comments(f)))
    assert e.vetoes_triggered == ()
    assert ("veto.unanswered", "completion_below_80") in codes(e)
    floor = evaluate(f, answers(f, {"1.1": "5", "1.2": "5"}, vetoes=vetoes, comments=all_comments(f)))
    assert floor.vetoes_triggered == ("completion_below_80",)
    assert ("veto.unanswered", "completion_below_80") not in codes(floor)


def test_unknown_veto_id() -> None:
    f = form("feasibility_review")
    vetoes = {v.id: False for v in f.vetoes} | {"made_up": True}
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="pass", vetoes=vetoes))
    assert codes(e) == [("veto.unknown", "made_up")]
    assert e.vetoes_triggered == ()


# --- conclusion and overall fields ------------------------------------------------------------------


def test_missing_and_unknown_conclusion() -> None:
    f = form("feasibility_review")
    assert codes(evaluate(f, answers(f, FEASIBILITY_81))) == [("conclusion.missing", None)]
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="excellent"))
    assert codes(e) == [("conclusion.unknown", None)]


def test_expert_may_choose_a_conclusion_other_than_the_suggestion_with_a_reason() -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="revise"))
    assert e.suggested_conclusion == "pass" and not e.complete
    assert codes(e) == [("conclusion.reason_required", CONCLUSION_REASON)]
    assert e.problems[0].text() == "总分 81.00 对应“通过”，所选结论为“修改后通过”：请填写理由"
    assert band_disagreement(e, "revise") == "pass" and band_disagreement(e, "pass") is None
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="revise", overall=dict(OVERALL, **{CONCLUSION_REASON: "  "})))
    assert codes(e) == [("conclusion.reason_required", CONCLUSION_REASON)]
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="revise",
                            overall=dict(OVERALL, **{CONCLUSION_REASON: "预算测算依据不足，需修改后再报。"})))
    assert e.complete


def test_pass_with_78_42_under_a_band_of_80_needs_a_reason() -> None:
    """Issue 17 finding 8: 通过 with a total of 78.42 under "总分 80 分及以上" was complete."""
    f = form("feasibility_review")
    scores = dict(FEASIBILITY_81)
    first = f.criteria[0]
    scores[first.id] = str(Decimal(scores[first.id]) - 3)  # 78 points: the band below 通过
    e = evaluate(f, answers(f, scores, conclusion="pass"))
    assert e.total < 80 and e.suggested_conclusion != "pass"
    assert ("conclusion.reason_required", CONCLUSION_REASON) in codes(e)
    # a veto decides the conclusion itself: no band reason asked on top of it
    e = evaluate(f, answers(f, scores, conclusion=f.worst_conclusion.code, vetoes={f.vetoes[0].id: True}))
    assert ("conclusion.reason_required", CONCLUSION_REASON) not in codes(e)


def test_required_overall_fields() -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, FEASIBILITY_81, conclusion="pass", overall={"main_problems": "  "}))
    assert codes(e) == [("field.missing", "main_problems"), ("field.missing", "suggestions")]
    assert [p.text() for p in e.problems] == ["主要问题 未填写", "修改建议 未填写"]


@pytest.mark.parametrize(
    ("amount", "ok"),
    [("500", True), ("350.5", True), ("0", True), ("五百", False), ("-1", False), ("NaN", False)],
)
def test_suggested_subsidy_amount(amount: str, ok: bool) -> None:
    f = form("feasibility_review")
    e = evaluate(
        f, answers(f, FEASIBILITY_81, conclusion="pass", overall=OVERALL | {"suggested_subsidy": amount})
    )
    assert e.complete is ok
    if not ok:
        assert codes(e) == [("field.invalid_amount", "suggested_subsidy")]


def test_too_long_and_unknown_fields() -> None:
    f = form("feasibility_review")
    e = evaluate(
        f,
        answers(
            f, FEASIBILITY_81, conclusion="pass", overall=OVERALL | {"suggestions": "改" * 5001, "x": "1"}
        ),
    )
    assert codes(e) == [("field.too_long", "suggestions"), ("field.unknown", "x")]


def test_problems_for_a_target() -> None:
    f = form("feasibility_review")
    e = evaluate(f, answers(f, dict(FEASIBILITY_81, **{"3.1": "4", "1.2": "7.3"}), conclusion="pass"))
    assert [p.code for p in e.problems_for("3.1")] == ["comment.required"]
    assert [p.code for p in e.problems_for("1.2")] == ["score.off_step"]


def test_answers_are_plain_values() -> None:
    a = FormAnswers()
    assert a.scores == {} and a.not_applicable == frozenset() and a.conclusion is None
    assert replace(a, conclusion="pass").conclusion == "pass"


# --- rounding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        ("2.345", 2, "2.35"),
        ("2.344", 2, "2.34"),
        ("0.125", 2, "0.13"),
        ("0.135", 2, "0.14"),
        ("81.0526315", 2, "81.05"),
        ("-2.345", 2, "-2.35"),
        ("2.5", 0, "3"),
        ("3.5", 0, "4"),
        ("72.5", 2, "72.50"),
    ],
)
def test_round_half_up(value: str, decimals: int, expected: str) -> None:
    got = round_half_up(D(value), decimals)
    assert str(got) == expected


def test_round_half_up_rejects_negative_places() -> None:
    with pytest.raises(ValueError):
        round_half_up(D("1.5"), -1)
