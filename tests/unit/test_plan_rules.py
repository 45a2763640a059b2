"""Issue 12: the implementation plan's rules reach the consolidated results.

The plan (天津市技术创新中心建设实施方案 六(二)): "研发创新能力建设项目安排不高于项目总投资30%的财政补助资金，
每年不超过500万元，连续支持3年。专业性技术创新中心……评估优秀的给予一次性30万元市财政资金奖励"; engineering
research centers are assessed for 撤并转.
"""

from __future__ import annotations

from decimal import Decimal

from tic_desktop.core.consolidation import ExpertEntry, ProposalInput, consolidate
from tic_desktop.core.form_library import builtin_forms
from tic_desktop.core.policy import check_budget
from tic_desktop.core.proposal import BudgetLine, Proposal
from tic_desktop.core.subsidy import compliant_subsidy

FORMS = builtin_forms()
FEAS, RD, PERIODIC = FORMS["feasibility_review"], FORMS["rd_capacity_project"], FORMS["periodic_assessment"]
D = Decimal
LIMIT_RATIO, LIMIT_YEAR, AWARD = D("0.30"), D("5000000"), D("300000")


def budget(*rows: tuple[int, str, str]) -> tuple[BudgetLine, ...]:
    return tuple(BudgetLine(year=y, category="设备购置", total=D(t), city_subsidy=D(s)) for y, t, s in rows)


def plan(center_type: str = "comprehensive", lines: tuple[BudgetLine, ...] = ()) -> Proposal:
    return Proposal(id="P1", center_name="天津市示例技术创新中心", center_type=center_type, lead_unit="示例依托单位",
                    field="人工智能", forms=("feasibility_review",), budget=lines)


def entries(totals: list[str], overall: list[dict[str, str]] | None = None) -> tuple[ExpertEntry, ...]:
    out = []
    for i, t in enumerate(totals):
        out.append(ExpertEntry(
            expert_id=f"E{i + 1:02d}", expert_name=f"专家{i + 1}", role="technical", total=D(t), raw_total=D(t),
            scores={}, overall=(overall[i] if overall else {}),
        ))
    return tuple(out)


def item(pid: str, totals: list[str], form=FEAS, center_type: str = "comprehensive", proposal: Proposal | None = None,
         overall: list[dict[str, str]] | None = None, rule=None) -> ProposalInput:
    return ProposalInput(proposal_id=pid, center_name=f"中心{pid}", form=form, rule=rule or form.consolidation,
                         entries=entries(totals, overall), center_type=center_type, proposal=proposal)


# ── 1. policy limits in the consolidated result ─────────────────────────────────────────────


def test_years_one_and_three_are_not_three_consecutive_years() -> None:
    checks = {c.code: c for c in check_budget(plan(lines=budget((1, "10000000", "1000000"), (3, "10000000", "1000000"))))}
    assert not checks["subsidy.years"].passed
    assert "中间有间断" in checks["subsidy.years"].zh and "最多连续 3 年" in checks["subsidy.years"].zh
    ok = {c.code: c for c in check_budget(plan(lines=budget((2, "10000000", "1000000"), (3, "10000000", "1000000"))))}
    assert ok["subsidy.years"].passed


def test_a_breach_consolidates_with_the_policy_flag_and_the_compliant_subsidy() -> None:
    # 37.94% of the investment, 5.2 M CNY in year 1, and a 4th year: every limit broken
    lines = budget((1, "13000000", "5200000"), (2, "10000000", "3800000"), (3, "10000000", "3000000"),
                   (4, "5000000", "2420000"))
    p = plan(lines=lines)
    total, requested = D("38000000"), D("14420000")
    assert requested / total > LIMIT_RATIO  # 37.94%
    r = consolidate([item("P1", ["75"] * 5, proposal=p)]).results[0]
    assert r.conclusion == "revise"  # a breach is 核减, not a rejection
    assert set(r.policy.failed) == {"subsidy.ratio", "subsidy.annual_cap", "subsidy.years"}
    assert r.policy.code == "subsidy.ratio;subsidy.annual_cap;subsidy.years"
    flag = next(f for f in r.flags if f.code == "policy.failed")
    assert "37.95%" in flag.zh or "37.94%" in flag.zh
    # compliant: years 1–3 (the best 3 consecutive), year 1 capped at 5 M: 5.0 + 3.8 + 3.0 = 11.8 M,
    # then at most 30% of 38 M = 11.4 M
    c = compliant_subsidy(p)
    capped_years = min(D("5200000"), LIMIT_YEAR) + D("3800000") + D("3000000")
    assert c.years == (1, 2, 3) and c.amount == min(capped_years, total * LIMIT_RATIO) == D("11400000")
    assert r.policy.requested == requested and r.policy.compliant is not None
    assert "11,400,000.00 元" in r.policy.summary() and "建议核减 3,020,000.00 元" in r.policy.summary()


def test_compliant_subsidy_keeps_consecutive_years_only() -> None:
    # years {1, 3}: no three consecutive years; keep the larger single year
    c = compliant_subsidy(plan(lines=budget((1, "20000000", "2000000"), (3, "20000000", "3000000"))))
    assert c.years == (3,) and c.amount == D("3000000")


def test_policy_passes_and_does_not_apply_to_other_center_types() -> None:
    lines = budget((1, "10000000", "3000000"), (2, "10000000", "3000000"), (3, "10000000", "3000000"))
    ok = consolidate([item("P1", ["85"] * 5, proposal=plan(lines=lines))]).results[0]
    assert ok.policy.code == "pass" and not any(f.code == "policy.failed" for f in ok.flags)
    assert ok.policy.compliant is not None and ok.policy.compliant.amount == D("9000000")
    prof = plan("professional", lines)
    r = consolidate([item("P1", ["85"] * 5, form=PERIODIC, center_type="professional", proposal=prof)]).results[0]
    assert r.policy.code == "n/a"


def test_the_experts_suggested_subsidy_is_checked_and_consolidated() -> None:
    lines = budget((1, "10000000", "3000000"), (2, "10000000", "3000000"), (3, "10000000", "3000000"))
    # 30% of 30 M over 3 years = 3 M (300 万元) a year; 5 M a year is the other limit
    overall = [{"suggested_subsidy": v} for v in ("250", "300", "320", "600", "")]
    r = consolidate([item("P1", ["85"] * 5, proposal=plan(lines=lines), overall=overall)]).results[0]
    s = r.suggested_subsidy
    assert s is not None and [x.amount for x in s.suggestions] == [D(250), D(300), D(320), D(600)]
    assert s.median == D(310) and (s.low, s.high) == (D(250), D(600))
    assert s.compliant_annual == D("300.00")
    assert {x.expert_name: x.failed for x in s.suggestions if x.failed} == {
        "专家3": ("subsidy.ratio",), "专家4": ("subsidy.ratio", "subsidy.annual_cap")}
    assert s.median_failed == ("subsidy.ratio",)
    assert any(f.code == "subsidy.suggested_over" for f in r.flags)
    assert "中位数 310.00，范围 250.00–600.00" in s.text()


# ── 2. awards and outcomes per center type ──────────────────────────────────────────────────


def test_an_excellent_engineering_center_takes_neither_the_award_nor_the_professional_place() -> None:
    restructure = [{"restructure": "convert"}, {"restructure": "convert"}, {"restructure": "merge",
                   "restructure_target": "天津市示例专业技术创新中心"}, {"restructure": "keep"}, {}]
    items = [
        item("ENG", ["96"] * 5, form=PERIODIC, center_type="engineering", overall=restructure),
        item("PRO1", ["90"] * 5, form=PERIODIC, center_type="professional"),
        item("PRO2", ["80"] * 5, form=PERIODIC, center_type="professional"),
        item("PRO3", ["78"] * 5, form=PERIODIC, center_type="professional"),
        item("PRO4", ["70"] * 5, form=PERIODIC, center_type="professional"),
    ]
    results = {r.proposal_id: r for r in consolidate(items).results}
    pro = results["PRO1"]
    # 20% of 4 professional centers = 0.8, rounded half up: 1 place, and it is PRO1's
    assert pro.conclusion == "excellent" and pro.award == AWARD == D("300000") and pro.rank == 1
    assert pro.outcome is not None and "30 万元" in pro.outcome.zh
    eng = results["ENG"]
    assert eng.award is None and eng.rank == 1 and eng.center_type == "engineering"
    assert eng.outcome is not None and "撤并转" in eng.outcome.zh
    rec = eng.restructure
    assert rec is not None
    assert [(o.code, o.count) for o in rec.options] == [("keep", 1), ("convert", 2), ("merge", 1), ("revoke", 0)]
    assert rec.options[2].targets == ("天津市示例专业技术创新中心",) and rec.leading == "convert"
    assert rec.unanswered == ("专家5",)
    assert "转入专业性技术创新中心 2 人" in rec.text() and "多数意见：转入专业性技术创新中心" in rec.text()
    assert all(r.restructure is None for pid, r in results.items() if pid != "ENG")


# ── 3. the 优秀 share over the cohort, rounded as the rule says ────────────────────────────────


def _with_rounding(rounding: str):
    tr = PERIODIC.consolidation.center_types["professional"].model_copy(update={"excellent_cap_rounding": rounding})
    types = {**PERIODIC.consolidation.center_types, "professional": tr}
    return PERIODIC.consolidation.model_copy(update={"center_types": types})


def test_rounding_of_the_excellent_places_is_in_the_rule() -> None:
    def excellent(rounding: str, n: int) -> list[str]:
        rule = _with_rounding(rounding)
        items = [item(f"P{i}", [str(95 - i)] * 5, form=PERIODIC, center_type="professional", rule=rule)
                 for i in range(n)]
        return [r.proposal_id for r in consolidate(items).results if r.conclusion == "excellent"]

    assert PERIODIC.consolidation.center_types["professional"].excellent_cap_rounding == "round_half_up"
    assert excellent("round_half_up", 4) == ["P0"]       # 0.8 → 1
    assert excellent("floor", 4) == []                   # 0.8 → 0 (the old rule)
    assert excellent("ceil", 6) == ["P0", "P1"]          # 1.2 → 2
    assert excellent("round_half_up", 6) == ["P0"]       # 1.2 → 1


def test_a_cohort_too_small_to_judge_alone_is_flagged_not_silently_zeroed() -> None:
    items = [item("P1", ["95"] * 5, form=PERIODIC, center_type="professional"),
             item("P2", ["92"] * 5, form=PERIODIC, center_type="professional")]
    results = consolidate(items).results
    # 20% × 2 = 0.4 → 0 places: both are flagged, and the capped one says why
    assert all(any(f.code == "excellent.cohort_small" for f in r.flags) for r in results)
    assert "共 2 个" in next(f for f in results[0].flags if f.code == "excellent.cohort_small").zh
    assert results[0].capped and results[0].conclusion == "good"
    # 4 professional centers: 0.8 rounds half up to 1 place, so no flag
    four = consolidate([item(f"Q{i}", [str(95 - i)] * 5, form=PERIODIC, center_type="professional")
                        for i in range(4)]).results
    assert not any(f.code == "excellent.cohort_small" for r in four for f in r.flags)


# ── 5. role-split forms consolidate item by item ────────────────────────────────────────────


def _rd_entry(eid: str, role: str, scores: dict[str, str]) -> ExpertEntry:
    pts = {k: D(v) for k, v in scores.items()}
    raw = sum(pts.values(), D(0))
    top = sum((RD.criterion(k).max for k in pts), D(0))
    return ExpertEntry(expert_id=eid, expert_name=eid, role=role, total=(raw / top * 100).quantize(D("0.01")),
                       raw_total=raw, scores=pts)


def test_the_finance_experts_budget_scores_count_item_by_item() -> None:
    full = {c.id: format(c.max * D("0.9"), "f") for c in RD.criteria}
    techs = [_rd_entry(f"T{i}", "technical", full) for i in range(1, 5)]
    # the finance expert scores only section 3 (budget), low: 5 + 4 + 3 of 10 + 8 + 7
    fin = _rd_entry("F1", "finance", {"3.1": "5", "3.2": "4", "3.3": "3"})
    r = consolidate([ProposalInput(proposal_id="P1", center_name="中心", form=RD, rule=RD.consolidation,
                                   entries=(*techs, fin), center_type="comprehensive")]).results[0]
    assert r.itemwise
    # items 3.x: 5 scorers → trim per item: drop F1 (lowest) and one technical (highest) → 0.9 × max
    # other items: 4 technical scorers (< 5) → plain mean 0.9 × max; total = 90
    assert r.final_score == D("90.00")
    crit = {c.criterion_id: c for c in r.criteria}
    assert crit["3.1"].dropped == {"F1": "lowest", "T4": "highest"} and crit["1.1"].dropped == {}
    assert "逐项汇总" in r.calculation.zh
    # with the total-based method F1's 40.00 would have been dropped as the lowest total
    assert all(e.dropped is None for e in r.experts)


def test_itemwise_mean_uses_the_finance_view_where_too_few_to_trim() -> None:
    full = {c.id: format(c.max, "f") for c in RD.criteria}
    techs = [_rd_entry(f"T{i}", "technical", full) for i in range(1, 3)]
    fin = _rd_entry("F1", "finance", {"3.1": "4", "3.2": "4", "3.3": "4"})
    r = consolidate([ProposalInput(proposal_id="P1", center_name="中心", form=RD, rule=RD.consolidation,
                                   entries=(*techs, fin))]).results[0]
    # 3.1: (10 + 10 + 4) / 3 = 8; 3.2: (8 + 8 + 4) / 3 = 6.666…; 3.3: (7 + 7 + 4) / 3 = 6; others at max (75)
    expected = D(75) + D(8) + D(20) / 3 + D(6)
    assert r.final_score == expected.quantize(D("0.01")) == D("95.67")
