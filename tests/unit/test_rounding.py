"""Displayed money and percentages are rounded half up, by the one helper set in core.policy."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from tic_desktop.cli import batch as cli
from tic_desktop.core.kpi import KpiRow, KpiSummary
from tic_desktop.core.policy import check_budget, format_percent, format_subsidy_ratio, format_wan
from tic_desktop.core.proposal import BudgetLine, Proposal
from tic_desktop.core.types import Text

D = Decimal


def proposal(*lines: tuple[int, str, str]) -> Proposal:
    return Proposal(id="P1", center_name="中心", center_type="comprehensive", lead_unit="单位", field="人工智能",
                    forms=("feasibility_review",),
                    budget=tuple(BudgetLine(year=y, category=f"类别{i}", total=D(t), city_subsidy=D(s))
                                 for i, (y, t, s) in enumerate(lines)))


@pytest.mark.parametrize(("value", "text"), [("12250", "1.23"), ("12350", "1.24"), ("123456789", "12,345.68"),
                                             ("0", "0.00"), ("12249.99", "1.22")])
def test_format_wan_is_half_up(value: str, text: str) -> None:
    assert format_wan(D(value)) == text


def test_percent_places_and_the_subsidy_ratio() -> None:
    assert format_percent(D("0.1225"), places=1) == "12.3%"
    assert format_subsidy_ratio(D("0.30004")) == "30.01%"  # failing: never shown on the limit
    assert format_subsidy_ratio(D("0.3")) == "30.00%"
    assert format_subsidy_ratio(D("0.379149")) == "37.91%"  # failing but clear of the limit: half up
    assert format_subsidy_ratio(D("0.3004"), places=1) == "30.1%"


def test_kpi_texts_use_format_percent() -> None:
    row = KpiRow("K1", "x", "", D(1), D("12.5"), True, D("12.5"), "met")
    assert row.completion_percent == format_percent(D("12.5")) == "1,250.00%"
    assert "达标率 1,000.00%" in KpiSummary(1, 1, 0, 0, D(10)).text()


def test_plan_budget_table_rounds_half_up() -> None:
    from tic_desktop.reports.plan_pdf import _budget_table, _styles

    table = _budget_table(proposal((1, "12250", "1500.625")), _styles("Helvetica"), "Helvetica")
    cells = table._cellvalues  # type: ignore[attr-defined]
    line = cells[1]
    assert line[2:] == ["1.23", "0.15", "12.3%"]  # 12250 元 = 1.225 万元; 1500.625/12250 = 12.25%
    assert cells[-1][2:] == ["1.23", "0.15", "12.3%"]


def _opened(p: Proposal) -> SimpleNamespace:
    manifest = SimpleNamespace(
        proposals=[SimpleNamespace(id=p.id)], kind="feasibility_review", batch_id="B1",
        title=Text(zh="批次", en="Batch"), deadline=None, created_at="2026-01-01T00:00:00Z",
        agency=SimpleNamespace(name="机构", age_recipient="age1x"), experts=[],
        subsidy_policy_applies=lambda _p: True)  # a comprehensive center's R&D project at feasibility review
    return SimpleNamespace(manifest=manifest, forms={}, proposals={p.id: p}, documents={},
                           manifest_sha256="0" * 64, agency_fingerprint="SHA256:x")


def test_inspect_budget_line_agrees_with_the_policy_line() -> None:
    p = proposal((1, "10000000", "3000400"))  # 30.004%: fails the 30% rule
    data = cli.inspect_json(_opened(p))
    figures = next(c for c in check_budget(p) if c.code == "subsidy.ratio").figures
    assert data["proposals"][0]["budget"] == {"total": format(figures["total_investment"], "f"),
                                              "city_subsidy": format(figures["city_subsidy"], "f"),
                                              "subsidy_ratio": "0.3000"}
    text = cli._summary(data, "zh")
    assert "总投资 1,000.00 万元，市财政补助 300.04 万元（30.01%）" in text
    assert "✘ 市财政补助 3,000,400.00 元，占研发能力建设项目总投资 10,000,000.00 元的 30.01%" in text
    assert "(30.01%)" in cli._summary(data, "en")


def test_inspect_json_ratio_is_half_up() -> None:
    data = cli.inspect_json(_opened(proposal((1, "10000000", "2000500"))))  # 0.20005
    assert data["proposals"][0]["budget"]["subsidy_ratio"] == "0.2001"
    assert "总投资 1,000.00 万元，市财政补助 200.05 万元（20.01%）" in cli._summary(data, "zh")
