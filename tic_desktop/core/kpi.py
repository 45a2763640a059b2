"""Planned vs achieved targets (绩效目标完成情况) for the term-end evaluation.

Completion rate = achieved / target, or target / achieved when lower is better, as a Decimal
ratio (1 = 100%) rounded half up to 4 places. It is None when the value was not reported or the
ratio is undefined (denominator ≤ 0, or a negative numerator). Status compares the raw values:
达成 when achieved ≥ target (≤ when lower is better), 未达成 otherwise, 未填报 without a value;
so a target of 0 is met by any achieved ≥ 0 even though the rate is undefined.

Two summary rates, both shown (the form's item 1.1 defines them in its help):
- 达标率 (`met_share`, targets met): targets met ÷ all targets.
- 平均完成率 (`mean_completion`): the mean over all targets of each target's completion rate
  capped at 100% (so one target far over its goal cannot hide another missed); a target not
  reported counts 0, and a target whose rate is undefined counts 100% when met and 0 otherwise.
  Computed exactly, then rounded half up to 4 places.
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
    """达标率: met / total, 4 places half up; None without KPIs."""
    mean_completion: Decimal | None = None
    """平均完成率: the mean of the capped completion rates, 4 places half up; None without KPIs."""

    def text(self, lang: str = "zh") -> str:
        share = "—" if self.met_share is None else format_percent(self.met_share)
        mean = "—" if self.mean_completion is None else format_percent(self.mean_completion)
        if lang.startswith("zh"):
            return (f"共 {self.total} 项指标，达成 {self.met} 项，未达成 {self.not_met} 项，未填报 {self.not_reported} 项；"
                    f"达标率 {share}，平均完成率 {mean}")
        return (
            f"{self.total} targets: {self.met} met, {self.not_met} not met, "
            f"{self.not_reported} not reported; targets met {share}, mean completion {mean}"
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


def capped_rate(row: KpiRow) -> Decimal:
    """The row's share in 平均完成率: its completion rate capped at 1 (see the module docstring)."""
    if row.status == "not_reported":
        return Decimal(0)
    if row.completion_rate is None:
        return Decimal(1) if row.status == "met" else Decimal(0)
    numerator, denominator = (
        (row.achieved, row.target) if row.higher_is_better else (row.target, row.achieved)
    )
    assert numerator is not None and denominator is not None
    return min(numerator / denominator, Decimal(1))


def kpi_summary(rows: tuple[KpiRow, ...]) -> KpiSummary:
    met = sum(1 for r in rows if r.status == "met")
    not_met = sum(1 for r in rows if r.status == "not_met")
    not_reported = sum(1 for r in rows if r.status == "not_reported")
    share = (
        (Decimal(met) / Decimal(len(rows))).quantize(RATE_PLACES, rounding=ROUND_HALF_UP) if rows else None
    )
    mean = (
        (sum((capped_rate(r) for r in rows), Decimal(0)) / Decimal(len(rows))).quantize(
            RATE_PLACES, rounding=ROUND_HALF_UP
        )
        if rows
        else None
    )
    return KpiSummary(len(rows), met, not_met, not_reported, share, mean)
