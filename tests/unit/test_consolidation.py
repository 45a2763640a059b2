"""Consolidation: the numbers a panel signs off, checked by hand-worked examples and properties."""

from __future__ import annotations

import random
from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tic_desktop.core.consolidation import (
    ExpertEntry,
    ProposalInput,
    VetoDecision,
    consolidate,
)
from tic_desktop.core.form_library import builtin_forms

FORMS = builtin_forms()
FEAS = FORMS["feasibility_review"]
PERIODIC = FORMS["periodic_assessment"]
D = Decimal


def entry(eid: str, total: str, *, vetoes: tuple[str, ...] = (), raw: str | None = None,
          scores: dict[str, Decimal] | None = None) -> ExpertEntry:
    return ExpertEntry(
        expert_id=eid, expert_name=f"专家{eid}", role="technical", total=D(total),
        raw_total=D(raw if raw is not None else total), scores=scores or {}, vetoes_triggered=vetoes,
    )


def proposal(pid: str, totals: list[str], form=FEAS, **kw) -> ProposalInput:
    entries = tuple(entry(f"E{i + 1:02d}", t) for i, t in enumerate(totals))
    return ProposalInput(proposal_id=pid, center_name=f"中心{pid}", form=form, rule=form.consolidation,
                         entries=entries, **kw)


def test_seven_sheets_drop_one_highest_and_one_lowest() -> None:
    r = consolidate([proposal("P1", ["80", "91", "62.5", "75", "78", "83", "70"])]).results[0]
    assert r.method == "trimmed_mean"
    assert {e.expert_id: e.dropped for e in r.experts if e.dropped} == {"E02": "highest", "E03": "lowest"}
    # (80 + 75 + 78 + 83 + 70) / 5 = 77.2
    assert r.final_score == D("77.20")
    assert r.conclusion == "revise" and r.conclusion_label is not None and r.conclusion_label.zh == "修改后通过"
    assert "去掉一个最高分 91（专家E02）" in r.calculation.zh
    assert "386 ÷ 5 = 77.2" in r.calculation.zh


def test_fewer_than_five_sheets_take_the_plain_mean_and_are_flagged() -> None:
    r = consolidate([proposal("P1", ["80", "90", "70"])]).results[0]
    assert r.method == "mean"
    assert all(e.dropped is None for e in r.experts)
    assert r.final_score == D("80.00")
    assert r.flags[0].code == "sheets.insufficient"
    assert "少于 5 份，不去最高最低分" in r.calculation.zh


def test_final_score_rounds_half_up_once_at_the_end() -> None:
    # 80.01 + 80.02 + 80.02 = 240.05 → 80.01666… → 80.02 (a float mean of rounded parts could differ)
    r = consolidate([proposal("P1", ["80.01", "80.02", "80.02"])]).results[0]
    assert r.final_score == D("80.02")
    # exactly half: (80.00 + 80.01) / 2 = 80.005 → 80.01 (half up), where banker's rounding gives 80.00
    r2 = consolidate([proposal("P1", ["80.00", "80.01"])]).results[0]
    assert r2.final_score == D("80.01")


def test_median_method() -> None:
    form = FEAS.model_copy(update={"consolidation": FEAS.consolidation.model_copy(update={"method": "median"})})
    item = proposal("P1", ["60", "90", "70", "80"], form=form)
    r = consolidate([item]).results[0]
    assert r.method == "median" and r.final_score == D("75.00")


def test_conflicted_experts_are_left_out_and_missing_ones_listed() -> None:
    item = proposal("P1", ["80", "90", "70", "75", "85", "20"], conflicted=("E06",), missing=("E07",))
    r = consolidate([item]).results[0]
    assert r.valid_sheets == 5 and "E06" not in {e.expert_id for e in r.experts}
    assert r.conflicted == ("E06",) and r.missing == ("E07",)
    codes = {f.code for f in r.flags}
    assert {"sheets.missing", "experts.conflicted"} <= codes


def test_outliers_by_total_and_by_criterion_spread() -> None:
    c = FEAS.criteria[0]
    entries = tuple(
        entry(f"E{i}", t, scores={c.id: s}) for i, (t, s) in enumerate(
            [("80", c.max), ("82", c.max), ("79", c.max), ("81", c.max), ("50", D(0))], start=1
        )
    )
    r = consolidate([ProposalInput("P1", "中心", FEAS, FEAS.consolidation, entries)]).results[0]
    assert [e.expert_id for e in r.experts if e.outlier] == ["E5"]  # 50 is 24.4 from the mean 74.4
    crit = r.criteria[0]
    assert crit.outlier and crit.spread == c.max
    # the per-criterion mean counts the experts whose totals count (E5 lowest and E2 highest dropped)
    assert crit.mean == c.max
    assert {f.code for f in r.flags} >= {"outlier.total", "outlier.criterion"}


def test_a_veto_waits_for_the_chair_then_decides_the_conclusion() -> None:
    totals = ["90", "91", "92", "93", "94"]
    entries = tuple(entry(f"E{i}", t, vetoes=("material_untrue",) if i == 1 else ()) for i, t in enumerate(totals, 1))
    item = ProposalInput("P1", "中心", FEAS, FEAS.consolidation, entries)
    pending = consolidate([item]).results[0]
    assert pending.conclusion is None and pending.vetoes[0].raised_by == ("E1",)
    assert "veto.pending" in {f.code for f in pending.flags}
    key = ("P1", FEAS.id, "material_untrue")
    upheld = consolidate([item], {key: VetoDecision(True, "证明材料与原件不符")}).results[0]
    assert upheld.conclusion == "reject"
    assert any("证明材料与原件不符" in f.zh for f in upheld.flags)
    overruled = consolidate([item], {key: VetoDecision(False, "经核查材料属实")}).results[0]
    assert overruled.conclusion == "pass" and overruled.final_score == D("92.00")


def test_ranking_ties_broken_by_sum_of_raw_totals_then_shared() -> None:
    a = proposal("A", ["80", "80", "80"])
    b = ProposalInput("B", "中心B", FEAS, FEAS.consolidation,
                      tuple(entry(f"E{i}", "80", raw="81") for i in range(3)))
    c = proposal("C", ["80", "80", "80"])
    d = proposal("D", ["90", "90", "90"])
    results = consolidate([a, b, c, d]).results
    assert [(r.proposal_id, r.rank, r.tie) for r in results] == [
        ("D", 1, False), ("B", 2, False), ("A", 3, True), ("C", 3, True),
    ]
    assert any(f.code == "rank.tie" and "C" in f.zh for f in results[2].flags)


def test_the_share_of_excellent_is_capped_in_rank_order() -> None:
    # 20% of 10 ranked professional centers: 2 may stay 优秀; the third moves to 良好 and loses the 30万 award
    items = [proposal(f"P{i:02d}", [str(95 - i)] * 5, form=PERIODIC, center_type="professional") for i in range(10)]
    results = consolidate(items).results
    best = [r.proposal_id for r in results if r.conclusion == "excellent"]
    assert best == ["P00", "P01"]
    third = results[2]
    assert third.capped and third.conclusion == "good" and third.award is None
    assert results[0].award == D("300000")


def test_results_group_by_form_then_rank() -> None:
    items = [proposal("P1", ["70"] * 5), proposal("P2", ["90"] * 5),
             proposal("P1", ["60"] * 5, form=PERIODIC)]
    got = [(r.form_id, r.proposal_id, r.rank) for r in consolidate(items).results]
    assert got == [("feasibility_review", "P2", 1), ("feasibility_review", "P1", 2), ("periodic_assessment", "P1", 1)]


# ── properties ──────────────────────────────────────────────────────────────────────────────

totals_st = st.lists(
    st.integers(min_value=0, max_value=10000).map(lambda n: Decimal(n) / 100), min_size=1, max_size=12
)


@settings(max_examples=200, deadline=None)
@given(totals=totals_st)
def test_trimmed_mean_is_the_mean_after_removing_one_extreme_each_side(totals: list[Decimal]) -> None:
    r = consolidate([proposal("P", [str(t) for t in totals])]).results[0]
    ordered = sorted(totals)
    kept = ordered[1:-1] if len(totals) >= FEAS.consolidation.trim_min_sheets else ordered
    expected = (sum(kept, Decimal(0)) / len(kept)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert r.final_score == expected
    assert sum(1 for e in r.experts if e.dropped) == (2 if len(totals) >= 5 else 0)
    assert r.final_score is not None and min(totals) <= r.final_score <= max(totals)


@settings(max_examples=100, deadline=None)
@given(data=st.lists(totals_st, min_size=1, max_size=6), seed=st.integers(0, 2**32 - 1))
def test_results_do_not_depend_on_the_order_of_sheets_or_proposals(data: list[list[Decimal]], seed: int) -> None:
    items = [proposal(f"P{i}", [str(t) for t in totals]) for i, totals in enumerate(data)]
    rng = random.Random(seed)
    shuffled = [
        ProposalInput(i.proposal_id, i.center_name, i.form, i.rule, tuple(rng.sample(i.entries, len(i.entries))))
        for i in rng.sample(items, len(items))
    ]
    assert consolidate(items) == consolidate(shuffled)


@settings(max_examples=200, deadline=None)
@given(n=st.integers(0, 10**6), places=st.integers(0, 4))
def test_round_half_up_on_exact_halves(n: int, places: int) -> None:
    from tic_desktop.core.scoring import round_half_up

    value = (Decimal(n) + Decimal("0.5")).scaleb(-places)
    assert round_half_up(value, places) == (Decimal(n) + 1).scaleb(-places)


def test_duplicate_entries_of_one_expert_are_a_programming_error() -> None:
    item = ProposalInput("P1", "中心", FEAS, FEAS.consolidation, (entry("E1", "80"), entry("E1", "81")))
    with pytest.raises(ValueError, match="two entries"):
        consolidate([item])


def test_a_conclusion_differing_from_the_band_is_flagged_with_its_reason() -> None:
    """Issue 17 finding 8: the agency sees an expert's 通过 under a total of 78.42, and why."""
    from dataclasses import replace

    from tic_desktop.core.scoring import CONCLUSION_REASON

    differing = replace(entry("E01", "78.42"), conclusion="pass",
                        overall={CONCLUSION_REASON: "核心团队实力突出，建议通过。"})
    agreeing = replace(entry("E02", "85"), conclusion="pass")
    item = ProposalInput(proposal_id="P1", center_name="中心P1", form=FEAS, rule=FEAS.consolidation,
                         entries=(differing, agreeing))
    result = consolidate([item]).results[0]
    flags = [f for f in result.flags if f.code == "conclusion.differs_from_band"]
    assert [f.subject for f in flags] == ["E01"]
    assert flags[0].zh == ("专家 专家E01 的推荐结论“通过”与其总分 78.42 所在分档“修改后通过”不一致，"
                           "理由：核心团队实力突出，建议通过。")
