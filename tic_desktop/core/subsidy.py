"""The plan's subsidy limits in a proposal's consolidated result (天津市技术创新中心建设实施方案, 六(二)).

"对综合性技术创新中心的研发创新能力建设项目安排不高于项目总投资30%的财政补助资金，每年不超过500万元，
连续支持3年。" `core.policy.check_budget` checks the requested budget; here:

- `policy_result`: the checks where the form's rule for the center type says they apply
  (`CenterTypeRule.subsidy_policy`), else "n/a"; with the requested subsidy and the compliant one.
- `compliant_subsidy`: the largest subsidy within all three limits without raising any year's
  request — each year capped at 5,000,000 CNY, the best run of at most 3 consecutive years with a
  subsidy (ties: the earliest), then at most 30% of the project's total investment (the
  investment itself is unchanged: the unit funds the difference). Rounded down to the cent.
  A breach of the limits is cut back (核减) to this amount, not a rejection.
- `suggested_subsidy`: the experts' suggested city subsidy (10,000 CNY a year), its median and
  range, each checked against the same limits: per year ≤ 500 万元, and × the compliant plan's
  number of years ≤ 30% of the total investment.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal, InvalidOperation

from tic_desktop.core.policy import (
    ANNUAL_SUBSIDY_LIMIT,
    MAX_SUBSIDY_YEARS,
    SUBSIDY_RATIO_LIMIT,
    WAN,
    PolicyCheck,
    check_budget,
    format_cny,
    format_cny_en,
    format_wan,
)
from tic_desktop.core.proposal import Proposal

CENT = Decimal("0.01")
NOT_APPLICABLE = "n/a"
PASS = "pass"


@dataclass(frozen=True)
class Compliant:
    amount: Decimal
    """CNY, rounded down to the cent."""
    years: tuple[int, ...]
    """The consecutive years kept."""
    per_year: Mapping[int, Decimal]
    """Year → the subsidy kept that year, before the 30% limit (each ≤ 5 M)."""


def compliant_subsidy(proposal: Proposal) -> Compliant:
    per_year: dict[int, Decimal] = {}
    for line in proposal.budget:
        if line.city_subsidy > 0:
            per_year[line.year] = per_year.get(line.year, Decimal(0)) + line.city_subsidy
    capped = {y: min(v, ANNUAL_SUBSIDY_LIMIT) for y, v in per_year.items()}
    best: tuple[int, ...] = ()
    best_sum = Decimal(0)
    for start in sorted(capped):
        run = [start]
        while len(run) < MAX_SUBSIDY_YEARS and run[-1] + 1 in capped:
            run.append(run[-1] + 1)
        total = sum((capped[y] for y in run), Decimal(0))
        if total > best_sum:
            best, best_sum = tuple(run), total
    investment = sum((line.total for line in proposal.budget), Decimal(0))
    ratio_cap = max(investment, Decimal(0)) * SUBSIDY_RATIO_LIMIT
    amount = min(best_sum, ratio_cap).quantize(CENT, rounding=ROUND_FLOOR)
    return Compliant(amount=amount, years=best, per_year={y: capped[y] for y in best})


@dataclass(frozen=True)
class PolicyResult:
    applies: bool
    checks: tuple[PolicyCheck, ...] = ()
    requested: Decimal | None = None
    """The requested city subsidy (CNY), all years."""
    compliant: Compliant | None = None

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(c.code for c in self.checks if not c.passed)

    @property
    def code(self) -> str:
        """results.csv's `policy`: pass, n/a, or the failed check codes joined by ';'."""
        if not self.applies:
            return NOT_APPLICABLE
        return ";".join(self.failed) or PASS

    def summary(self, lang: str = "zh") -> str:
        """One line: requested vs compliant (empty when the rule does not apply)."""
        zh = lang.startswith("zh")
        if not self.applies:
            return "不适用（本类中心不适用财政补助比例、年度上限和支持年限规定）" if zh else (
                "Not applicable (the subsidy limits do not apply to this center type)")
        if self.requested is None or self.compliant is None or "budget.missing" in self.failed:
            return "未提供研发能力建设项目预算表，无法核查" if zh else "No R&D capacity budget: cannot be checked"
        c = self.compliant
        years = "、".join(str(y) for y in c.years)
        if not self.failed:
            return (f"申请市财政补助 {format_cny(self.requested)}，符合政策规定" if zh else
                    f"Requested city subsidy {format_cny_en(self.requested)}: within the policy limits")
        cut = self.requested - c.amount
        if zh:
            return (f"申请市财政补助 {format_cny(self.requested)}，不符合政策规定；符合规定的最高补助为 "
                    f"{format_cny(c.amount)}（第 {years or '—'} 年），建议核减 {format_cny(cut)}")
        return (f"Requested city subsidy {format_cny_en(self.requested)} breaks the policy limits; the largest "
                f"compliant subsidy is {format_cny_en(c.amount)} (year(s) {years or '—'}): cut by {format_cny_en(cut)}")


def policy_result(proposal: Proposal | None, applies: bool) -> PolicyResult:
    if proposal is None or not applies:
        return PolicyResult(applies=False)
    checks = check_budget(proposal)
    if not proposal.budget:
        return PolicyResult(applies=True, checks=checks)
    requested = sum((line.city_subsidy for line in proposal.budget), Decimal(0))
    return PolicyResult(applies=True, checks=checks, requested=requested, compliant=compliant_subsidy(proposal))


@dataclass(frozen=True)
class Suggestion:
    expert_id: str
    expert_name: str
    amount: Decimal
    """10,000 CNY a year, as the expert wrote it."""
    failed: tuple[str, ...]
    """subsidy.annual_cap / subsidy.ratio when the suggestion breaks them."""


@dataclass(frozen=True)
class SuggestedSubsidy:
    field_id: str
    suggestions: tuple[Suggestion, ...]
    """Experts who gave a figure, by expert id."""
    median: Decimal | None
    low: Decimal | None
    high: Decimal | None
    compliant_annual: Decimal | None
    """The largest compliant suggestion in 万元 a year (rounded down to 0.01), None without a budget."""
    years: int
    """The number of years the ratio check multiplies a yearly suggestion by."""
    median_failed: tuple[str, ...]

    def text(self, lang: str = "zh") -> str:
        zh = lang.startswith("zh")
        if not self.suggestions:
            return "专家未填写建议财政补助额度" if zh else "No expert suggested a subsidy"
        n = len(self.suggestions)
        limit = "—" if self.compliant_annual is None else format(self.compliant_annual, ",.2f")
        over = [s.expert_name for s in self.suggestions if s.failed]
        med = format(self.median, ",.2f")
        lo, hi = format(self.low, ",.2f"), format(self.high, ",.2f")
        if zh:
            out = (f"{n} 位专家建议市财政补助（万元/年）：中位数 {med}，范围 {lo}–{hi}；"
                   f"符合政策规定的最高额度 {limit} 万元/年（按 {self.years} 年计）")
            out += "；中位数超出政策上限" if self.median_failed else "；中位数符合政策规定"
            return out + (f"；超出上限的专家：{'、'.join(over)}" if over else "")
        out = (f"{n} expert(s) suggest a city subsidy (10,000 CNY a year): median {med}, range {lo}–{hi}; the "
               f"largest compliant amount is {limit} a year (over {self.years} years)")
        out += "; the median breaks the limits" if self.median_failed else "; the median is within the limits"
        return out + (f"; above the limits: {', '.join(over)}" if over else "")


def _amount(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except (InvalidOperation, AttributeError):
        return None
    return value if value.is_finite() and value >= 0 else None


def _limits(proposal: Proposal | None) -> tuple[Decimal | None, int, Decimal | None]:
    """(30% of the total investment or None, years, largest compliant 万元 a year or None)."""
    if proposal is None or not proposal.budget:
        return None, MAX_SUBSIDY_YEARS, (ANNUAL_SUBSIDY_LIMIT / WAN)
    investment = sum((line.total for line in proposal.budget), Decimal(0))
    years = len(compliant_subsidy(proposal).years) or MAX_SUBSIDY_YEARS
    ratio_cap = max(investment, Decimal(0)) * SUBSIDY_RATIO_LIMIT
    annual = min(ANNUAL_SUBSIDY_LIMIT, ratio_cap / years)
    return ratio_cap, years, (annual / WAN).quantize(CENT, rounding=ROUND_FLOOR)


def _breaks(amount_wan: Decimal, ratio_cap: Decimal | None, years: int) -> tuple[str, ...]:
    yuan = amount_wan * WAN
    failed = []
    if ratio_cap is not None and yuan * years > ratio_cap:
        failed.append("subsidy.ratio")
    if yuan > ANNUAL_SUBSIDY_LIMIT:
        failed.append("subsidy.annual_cap")
    return tuple(failed)


def suggested_subsidy(
    field_id: str, entries: Sequence[tuple[str, str, Mapping[str, str]]], proposal: Proposal | None
) -> SuggestedSubsidy:
    """`entries`: (expert id, name, overall fields) of the valid sheets."""
    ratio_cap, years, annual = _limits(proposal)
    found: list[Suggestion] = []
    for expert_id, name, overall in sorted(entries, key=lambda x: x[0]):
        amount = _amount(overall.get(field_id, "") or "")
        if amount is not None and (overall.get(field_id) or "").strip():
            found.append(Suggestion(expert_id, name, amount, _breaks(amount, ratio_cap, years)))
    values = sorted(s.amount for s in found)
    median = None
    if values:
        mid = len(values) // 2
        median = values[mid] if len(values) % 2 else (values[mid - 1] + values[mid]) / 2
    return SuggestedSubsidy(
        field_id=field_id, suggestions=tuple(found), median=median,
        low=values[0] if values else None, high=values[-1] if values else None,
        compliant_annual=annual if proposal is not None and proposal.budget else None, years=years,
        median_failed=_breaks(median, ratio_cap, years) if median is not None else (),
    )


def format_wan_yuan(value: Decimal) -> str:
    """CNY as 万元 text for the report: 4500000 → '450.00 万元'."""
    return f"{format_wan(value)} 万元"
