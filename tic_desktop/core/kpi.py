"""Planned vs achieved targets (绩效目标完成情况) for the term-end evaluation.

Completion rate = achieved / target, or target / achieved when lower is better, as a Decimal
ratio (1 = 100%) rounded half up to 4 places. It is None when the value was not reported or the
ratio is undefined (denominator ≤ 0, or a negative numerator). Status compares the raw values:
达成 when achieved ≥ target (≤ when lower is better), 未达成 otherwise, 未填报 without a value;
so a target of 0 is met by any achieved ≥ 0 even though the rate is undefined.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Literal

from tic_desktop.core.policy import format_percent
from tic_desktop.core.proposal import Kpi, Proposal

Status = Literal["met", "not_met", "not_reported"]
RATE_PLACES = Decimal("0.0001")
STATUS_TEXT: dict[str, tuple[str, str]] = {
    "met": ("达成", "Met"),
    "not_met": ("未达成", "Not met"),
    "not_reported": ("未填报", "Not reported"),
}


@dataclass(frozen=True)
class KpiRow:
    kpi_id: str
    name: str
    unit: str
    target: Decimal
    achieved: Decimal | None
    higher_is_better: bool
    completion_rate: Decimal | None
    status: Status

    def status_text(self, lang: str = "zh") -> str:
        zh, en = STATUS_TEXT[self.status]
        return zh if lang.startswith("zh") else en

    @property
    def completion_percent(self) -> str:
        """'120.00%' or '—'."""
        return "—" if self.completion_rate is None else format_percent(self.completion_rate)


@dataclass(frozen=True)
class KpiSummary:
    total: int
    met: int
    not_met: int
    not_reported: int
    met_share: Decimal | None
    """met / total, 4 places half up; None without KPIs."""

    def text(self, lang: str = "zh") -> str:
        share = "—" if self.met_share is None else format_percent(self.met_share)
        if lang.startswith("zh"):
            return f"共 {self.total} 项指标，达成 {self.met} 项，未达成 {self.not_met} 项，未填报 {self.not_reported} 项，达成率 {share}"
        return (
            f"{self.total} targets: {self.met} met, {self.not_met} not met, "
            f"{self.not_reported} not reported; {share} met"
        )


def completion_rate(
    target: Decimal, achieved: Decimal | None, higher_is_better: bool = True
) -> Decimal | None:
    if achieved is None:
        return None
    numerator, denominator = (achieved, target) if higher_is_better else (target, achieved)
    if denominator <= 0 or numerator < 0:
        return None
    return (numerator / denominator).quantize(RATE_PLACES, rounding=ROUND_HALF_UP)


def kpi_row(kpi: Kpi) -> KpiRow:
    if kpi.achieved is None:
        status: Status = "not_reported"
    elif kpi.achieved >= kpi.target if kpi.higher_is_better else kpi.achieved <= kpi.target:
        status = "met"
    else:
        status = "not_met"
    return KpiRow(
        kpi_id=kpi.id,
        name=kpi.name,
        unit=kpi.unit,
        target=kpi.target,
        achieved=kpi.achieved,
        higher_is_better=kpi.higher_is_better,
        completion_rate=completion_rate(kpi.target, kpi.achieved, kpi.higher_is_better),
        status=status,
    )


def kpi_rows(proposal: Proposal) -> tuple[KpiRow, ...]:
    """One row per KPI of the proposal, in its order."""
    return tuple(kpi_row(k) for k in proposal.kpis)


def kpi_summary(rows: tuple[KpiRow, ...]) -> KpiSummary:
    met = sum(1 for r in rows if r.status == "met")
    not_met = sum(1 for r in rows if r.status == "not_met")
    not_reported = sum(1 for r in rows if r.status == "not_reported")
    share = (
        (Decimal(met) / Decimal(len(rows))).quantize(RATE_PLACES, rounding=ROUND_HALF_UP) if rows else None
    )
    return KpiSummary(len(rows), met, not_met, not_reported, share)
