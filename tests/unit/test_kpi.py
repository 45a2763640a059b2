"""Planned vs achieved KPI rows for the term-end evaluation."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tic_desktop.core.kpi import completion_rate, kpi_rows, kpi_summary
from tic_desktop.core.proposal import Kpi, Proposal

D = Decimal


def proposal(*kpis: Kpi) -> Proposal:
    return Proposal(
        id="P002",
        center_name="天津市合成生物技术创新中心",
        center_type="comprehensive",
        lead_unit="某研究院",
        field="合成生物学",
        forms=("term_end_evaluation",),
        kpis=kpis,
    )


def kpi(kid: str, target: str, achieved: str | None, higher: bool = True, name: str = "发明专利授权") -> Kpi:
    return Kpi(
        id=kid,
        name=name,
        unit="件",
        target=D(target),
        achieved=None if achieved is None else D(achieved),
        higher_is_better=higher,
    )


def test_rows_for_a_typical_term_end_table() -> None:
    rows = kpi_rows(
        proposal(
            kpi("patents", "30", "36"),
            kpi("income", "5000", "4000", name="技术合同成交额"),
            kpi("defects", "2", "1", higher=False, name="重大质量事故"),
            kpi("spinoffs", "5", None, name="孵化企业"),
        )
    )
    assert [(r.kpi_id, r.completion_rate, r.status) for r in rows] == [
        ("patents", D("1.2000"), "met"),
        ("income", D("0.8000"), "not_met"),
        ("defects", D("2.0000"), "met"),
        ("spinoffs", None, "not_reported"),
    ]
    assert [r.completion_percent for r in rows] == ["120.00%", "80.00%", "200.00%", "—"]
    assert [r.status_text() for r in rows] == ["达成", "未达成", "达成", "未填报"]
    assert rows[1].status_text("en") == "Not met"
    summary = kpi_summary(rows)
    assert (summary.total, summary.met, summary.not_met, summary.not_reported) == (4, 2, 1, 1)
    assert summary.met_share == D("0.5000")
    # 平均完成率: (min(1.2, 1) + 0.8 + min(2, 1) + 0 not reported) / 4 = 0.7
    assert summary.mean_completion == D("0.7000")
    assert summary.text() == "共 4 项指标，达成 2 项，未达成 1 项，未填报 1 项；达标率 50.00%，平均完成率 70.00%"


def test_rate_is_rounded_half_up_to_four_places() -> None:
    assert completion_rate(D("3"), D("2")) == D("0.6667")
    assert completion_rate(D("8"), D("1")) == D("0.1250")
    assert completion_rate(D("16"), D("1")) == D("0.0625")
    assert completion_rate(D("3"), D("1")) == D("0.3333")


def test_exactly_on_target_is_met() -> None:
    (row,) = kpi_rows(proposal(kpi("k", "12.5", "12.5")))
    assert row.status == "met" and row.completion_rate == D("1.0000")


@pytest.mark.parametrize(
    ("target", "achieved", "higher", "rate", "status"),
    [
        ("0", "3", True, None, "met"),  # target 0: any value meets it, the rate is undefined
        ("0", "0", True, None, "met"),
        ("2", "0", False, None, "met"),  # lower is better, none achieved: perfect, rate undefined
        ("0", "1", False, D("0.0000"), "not_met"),
        ("10", "0", True, D("0.0000"), "not_met"),
        ("10", "-1", True, None, "not_met"),
    ],
)
def test_division_by_zero_and_edge_values(
    target: str, achieved: str, higher: bool, rate: Decimal | None, status: str
) -> None:
    (row,) = kpi_rows(proposal(kpi("k", target, achieved, higher)))
    assert row.completion_rate == rate
    assert row.status == status


def test_no_kpis() -> None:
    rows = kpi_rows(proposal())
    assert rows == ()
    summary = kpi_summary(rows)
    assert summary.met_share is None and summary.total == 0
    assert "达标率 —，平均完成率 —" in summary.text()


def test_summary_share_one_third() -> None:
    rows = kpi_rows(proposal(kpi("a", "1", "1"), kpi("b", "1", "0"), kpi("c", "1", "0")))
    summary = kpi_summary(rows)
    assert summary.met_share == D("0.3333")
    assert summary.text("en") == (
        "3 targets: 1 met, 2 not met, 0 not reported; targets met 33.33%, mean completion 33.33%"
    )


def test_none_met_can_still_be_mostly_completed() -> None:
    """Issue 12 §6: 0 of 7 targets met is 达标率 0%, yet the mean completion is about 72%; a target
    far over its goal counts at most 100%, and where lower is better the rate is target ÷ achieved."""
    rows = kpi_rows(proposal(
        kpi("a", "10", "7"), kpi("b", "10", "8"), kpi("c", "100", "70"), kpi("d", "4", "3"),
        kpi("e", "20", "12"), kpi("f", "50", "40"), kpi("g", "2", "2.5", higher=False),
    ))
    summary = kpi_summary(rows)
    assert summary.met == 0 and summary.met_share == D("0")
    # (0.7 + 0.8 + 0.7 + 0.75 + 0.6 + 0.8 + 0.8) / 7 = 5.15 / 7 = 0.735714… → 73.57%
    assert summary.mean_completion == D("0.7357")
    assert "达标率 0.00%，平均完成率 73.57%" in summary.text()
    over = kpi_summary(kpi_rows(proposal(kpi("x", "10", "30"), kpi("y", "10", "5"))))
    assert over.mean_completion == D("0.7500")  # (min(3, 1) + 0.5) / 2, not (3 + 0.5) / 2
