"""Budget policy checks of the 实施方案: ≤ 30% of total investment, ≤ 5 M CNY a year, ≤ 3 years."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tic_desktop.core.policy import PolicyCheck, check_budget, format_cny, format_percent
from tic_desktop.core.proposal import BudgetLine, Proposal

D = Decimal


def proposal(*lines: tuple[int, str, str, str]) -> Proposal:
    return Proposal(
        id="P001",
        center_name="天津市人工智能技术创新中心",
        center_type="comprehensive",
        lead_unit="某龙头企业",
        field="人工智能",
        forms=("feasibility_review", "rd_capacity_project"),
        budget=tuple(BudgetLine(year=y, category=c, total=D(t), city_subsidy=D(s)) for y, c, t, s in lines),
    )


def by_code(checks: tuple[PolicyCheck, ...]) -> dict[str, PolicyCheck]:
    return {c.code: c for c in checks}


# 3 years, 15,000,000 total, 4,500,000 subsidy (exactly 30%), at most 2,000,000 a year
GOOD = (
    (1, "设备购置", "6000000", "2000000"),
    (1, "研发投入", "1000000", "0"),
    (2, "研发投入", "5000000", "1500000"),
    (3, "人才引进", "3000000", "1000000"),
)


def test_a_compliant_budget_passes_every_check() -> None:
    checks = check_budget(proposal(*GOOD))
    assert [c.code for c in checks] == [
        "subsidy.ratio",
        "subsidy.annual_cap",
        "subsidy.years",
        "budget.lines",
    ]
    assert all(c.passed for c in checks)
    ratio = by_code(checks)["subsidy.ratio"]
    assert ratio.figures["total_investment"] == D("15000000")
    assert ratio.figures["city_subsidy"] == D("4500000")
    assert ratio.figures["ratio"] == D("0.3")
    assert ratio.text("zh") == (
        "市财政补助 4,500,000.00 元，占研发能力建设项目总投资 15,000,000.00 元的 30.00%（上限 30.00%）：符合"
    )
    assert "30.00%" in ratio.text("en") and "CNY 15,000,000.00" in ratio.text("en")


def test_subsidy_above_30_percent_fails() -> None:
    checks = by_code(check_budget(proposal((1, "设备购置", "10000000", "3100000"))))
    ratio = checks["subsidy.ratio"]
    assert not ratio.passed
    assert ratio.figures["ratio"] == D("0.31")
    assert "31.00%" in ratio.text() and ratio.text().endswith("不符合")


def test_a_hair_above_30_percent_is_not_shown_as_30_00() -> None:
    ratio = by_code(check_budget(proposal((1, "设备购置", "10000000", "3000001"))))["subsidy.ratio"]
    assert not ratio.passed
    assert "30.01%" in ratio.text()


def test_more_than_5_million_in_one_year_fails() -> None:
    checks = by_code(
        check_budget(
            proposal(
                (1, "设备购置", "20000000", "5000000"),
                (2, "设备购置", "10000000", "2500000"),
                (2, "中试平台", "4000000", "2600000"),
            )
        )
    )
    annual = checks["subsidy.annual_cap"]
    assert not annual.passed
    assert annual.figures["year_1_subsidy"] == D("5000000")  # exactly the cap is allowed
    assert annual.figures["year_2_subsidy"] == D("5100000")
    assert annual.figures["max_year_subsidy"] == D("5100000") and annual.figures["max_year"] == 2
    assert "最高为第 2 年 5,100,000.00 元（每年上限 5,000,000.00 元）：不符合" in annual.text()
    assert annual.text().endswith("（超限年度：第 2 年）")
    assert checks["subsidy.ratio"].passed  # 10.1 M of 34 M = 29.71%


def test_subsidy_in_four_years_fails() -> None:
    checks = by_code(check_budget(proposal(*[(y, "研发投入", "4000000", "1000000") for y in (1, 2, 3, 4)])))
    years = checks["subsidy.years"]
    assert not years.passed
    assert years.figures["years"] == 4 and years.figures["span"] == 4
    assert years.text() == "市财政补助安排在第 1、2、3、4 年，共 4 年，跨度 4 年（最多连续 3 年）：不符合"


def test_three_years_that_are_not_consecutive_fail() -> None:
    checks = by_code(check_budget(proposal(*[(y, "研发投入", "4000000", "1000000") for y in (1, 2, 4)])))
    years = checks["subsidy.years"]
    assert not years.passed and years.figures["years"] == 3 and years.figures["span"] == 4


def test_own_funds_in_year_4_do_not_count_as_a_subsidy_year() -> None:
    lines = [(y, "研发投入", "4000000", "1000000") for y in (1, 2, 3)] + [(4, "研发投入", "2000000", "0")]
    years = by_code(check_budget(proposal(*lines)))["subsidy.years"]
    assert years.passed and years.figures["years"] == 3 and years.figures["last_year"] == 3


def test_empty_budget_is_reported_missing() -> None:
    checks = check_budget(proposal())
    assert len(checks) == 1
    (missing,) = checks
    assert missing.code == "budget.missing" and not missing.passed
    assert "未提供" in missing.text("zh") and "no R&D capacity project budget" in missing.text("en")


def test_zero_total_investment_cannot_pass() -> None:
    ratio = by_code(check_budget(proposal((1, "设备购置", "0", "0"))))["subsidy.ratio"]
    assert not ratio.passed and "ratio" not in ratio.figures


def test_a_line_with_more_subsidy_than_total_is_flagged() -> None:
    lines = by_code(
        check_budget(proposal((1, "设备购置", "1000000", "200000"), (2, "研发投入", "100000", "300000")))
    )
    bad = lines["budget.lines"]
    assert not bad.passed
    assert bad.figures["first_bad_line"] == 2 and bad.figures["bad_lines"] == 1
    assert "预算表第 2 行（第 2 年 研发投入）市财政补助 300,000.00 元" in bad.text()


def test_no_subsidy_at_all_passes_the_year_check() -> None:
    years = by_code(check_budget(proposal((1, "设备购置", "1000000", "0"))))["subsidy.years"]
    assert years.passed and years.figures["years"] == 0


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("1234567", "1,234,567.00 元"),
        ("0.005", "0.01 元"),
        ("1234567.125", "1,234,567.13 元"),
        ("0", "0.00 元"),
    ],
)
def test_money_format(value: str, text: str) -> None:
    assert format_cny(D(value)) == text


@pytest.mark.parametrize(
    ("ratio", "text"), [("0.3", "30.00%"), ("0.12345", "12.35%"), ("0.29995", "30.00%"), ("1", "100.00%")]
)
def test_percent_format(ratio: str, text: str) -> None:
    assert format_percent(D(ratio)) == text


def test_figures_are_decimals() -> None:
    for check in check_budget(proposal(*GOOD)):
        assert all(isinstance(v, Decimal) for v in check.figures.values())
