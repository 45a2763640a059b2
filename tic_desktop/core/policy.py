"""Automatic policy checks of a proposal's budget (天津市技术创新中心建设实施方案, 六(二)).

"对综合性技术创新中心的研发创新能力建设项目安排不高于项目总投资30%的财政补助资金，每年不超过500万元，
连续支持3年。" Hence, over the R&D capacity project's budget table (`Proposal.budget`, CNY):

- `subsidy.ratio`: total city subsidy ≤ 30% of the project's total investment;
- `subsidy.annual_cap`: the city subsidy of every year ≤ 5,000,000 CNY;
- `subsidy.years`: subsidy in at most 3 years, and those years consecutive ("连续支持3年": years
  {1, 2, 3} or {2, 3} pass, {1, 3} fails — a gap breaks the consecutive support);
- `budget.lines`: every line has total ≥ 0 and 0 ≤ city_subsidy ≤ total (a sanity check);
- `budget.missing`: the only check when the budget table is empty (not passed).

Comparisons are exact in Decimal; only the displayed figures are rounded (half up). The display
helpers here (`format_cny`, `format_wan`, `format_percent`, `format_subsidy_ratio`) are the
ones the CLI, the reports and `core.kpi` use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal

from tic_desktop.core.proposal import Proposal

SUBSIDY_RATIO_LIMIT = Decimal("0.30")
ANNUAL_SUBSIDY_LIMIT = Decimal("5000000")
MAX_SUBSIDY_YEARS = 3

CENT = Decimal("0.01")
WAN = Decimal(10000)
RATIO_PLACES = Decimal("0.0001")
"""Places of a ratio given as a number (0.3001 = 30.01%), e.g. in `batch inspect --json`."""


def format_cny(value: Decimal) -> str:
    """1234567 -> '1,234,567.00 元' (half up)."""
    return f"{value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f} 元"


def format_cny_en(value: Decimal) -> str:
    return f"CNY {value.quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def format_wan(value: Decimal) -> str:
    """CNY in 万元 with two decimals, half up: 12345 -> '1.23', 12250 -> '1.23', 123456789 -> '12,345.68'."""
    return f"{(value / WAN).quantize(CENT, rounding=ROUND_HALF_UP):,.2f}"


def format_percent(ratio: Decimal, rounding: str = ROUND_HALF_UP, places: int = 2) -> str:
    """0.3 -> '30.00%' (half up; `places` decimals of the percentage)."""
    step = Decimal(1).scaleb(-places)
    return f"{(ratio * 100).quantize(step, rounding=rounding):,.{places}f}%"


def format_subsidy_ratio(ratio: Decimal, places: int = 2) -> str:
    """The subsidy share as the ratio check shows it: half up, except that a share above the limit
    that half up would show on (or below) the limit is rounded up instead, so a failing 30.004%
    prints as 30.01%, never as the passing-looking 30.00%."""
    step = Decimal(1).scaleb(-places)
    on_limit = (ratio * 100).quantize(step, rounding=ROUND_HALF_UP) <= SUBSIDY_RATIO_LIMIT * 100
    return format_percent(ratio, ROUND_CEILING if ratio > SUBSIDY_RATIO_LIMIT and on_limit else ROUND_HALF_UP, places)


@dataclass(frozen=True)
class PolicyCheck:
    code: str
    passed: bool
    figures: dict[str, Decimal] = field(default_factory=dict)
    zh: str = ""
    en: str = ""

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


def _verdict(passed: bool) -> tuple[str, str]:
    return ("符合", "within the limit") if passed else ("不符合", "exceeds the limit")


def _ratio_check(total: Decimal, subsidy: Decimal) -> PolicyCheck:
    limit = format_percent(SUBSIDY_RATIO_LIMIT)
    if total <= 0:
        return PolicyCheck(
            "subsidy.ratio",
            False,
            {"total_investment": total, "city_subsidy": subsidy, "limit_ratio": SUBSIDY_RATIO_LIMIT},
            f"项目总投资为 {format_cny(total)}，无法计算市财政补助占比（上限 {limit}）：不符合",
            f"The project's total investment is {format_cny_en(total)}; the subsidy share "
            f"(limit {limit}) cannot be computed: fails",
        )
    ratio = subsidy / total
    passed = ratio <= SUBSIDY_RATIO_LIMIT
    shown = format_subsidy_ratio(ratio)
    zh_v, en_v = _verdict(passed)
    return PolicyCheck(
        "subsidy.ratio",
        passed,
        {
            "total_investment": total,
            "city_subsidy": subsidy,
            "ratio": ratio,
            "limit_ratio": SUBSIDY_RATIO_LIMIT,
        },
        f"市财政补助 {format_cny(subsidy)}，占研发能力建设项目总投资 {format_cny(total)}的 {shown}"
        f"（上限 {limit}）：{zh_v}",
        f"City subsidy {format_cny_en(subsidy)} is {shown} of the R&D capacity project's total investment "
        f"{format_cny_en(total)} (limit {limit}): {en_v}",
    )


def _annual_check(per_year: dict[int, Decimal]) -> PolicyCheck:
    over = [y for y, v in sorted(per_year.items()) if v > ANNUAL_SUBSIDY_LIMIT]
    peak_year = max(per_year, key=lambda y: (per_year[y], -y))
    peak = per_year[peak_year]
    figures = {f"year_{y}_subsidy": v for y, v in sorted(per_year.items())}
    figures |= {
        "max_year_subsidy": peak,
        "max_year": Decimal(peak_year),
        "limit_per_year": ANNUAL_SUBSIDY_LIMIT,
    }
    passed = not over
    zh_v, en_v = _verdict(passed)
    years_zh = "、".join(f"第 {y} 年 {format_cny(per_year[y])}" for y in sorted(per_year))
    years_en = "; ".join(f"year {y} {format_cny_en(per_year[y])}" for y in sorted(per_year))
    zh = f"各年度市财政补助：{years_zh}；最高为第 {peak_year} 年 {format_cny(peak)}（每年上限 {format_cny(ANNUAL_SUBSIDY_LIMIT)}）：{zh_v}"
    en = (
        f"City subsidy per year: {years_en}; the highest is year {peak_year} with {format_cny_en(peak)} "
        f"(limit {format_cny_en(ANNUAL_SUBSIDY_LIMIT)} a year): {en_v}"
    )
    if over:
        zh += "（超限年度：" + "、".join(f"第 {y} 年" for y in over) + "）"
        en += " (over the limit: " + ", ".join(f"year {y}" for y in over) + ")"
    return PolicyCheck("subsidy.annual_cap", passed, figures, zh, en)


def _years_check(per_year: dict[int, Decimal]) -> PolicyCheck:
    years = sorted(y for y, v in per_year.items() if v > 0)
    if not years:
        return PolicyCheck(
            "subsidy.years",
            True,
            {"years": Decimal(0), "span": Decimal(0), "limit_years": Decimal(MAX_SUBSIDY_YEARS)},
            f"预算未安排市财政补助（上限 {MAX_SUBSIDY_YEARS} 年）：符合",
            f"The budget requests no city subsidy (limit {MAX_SUBSIDY_YEARS} years): within the limit",
        )
    span = years[-1] - years[0] + 1
    passed = len(years) <= MAX_SUBSIDY_YEARS and span == len(years)
    zh_v, en_v = _verdict(passed)
    listed = "、".join(str(y) for y in years)
    return PolicyCheck(
        "subsidy.years",
        passed,
        {
            "years": Decimal(len(years)),
            "first_year": Decimal(years[0]),
            "last_year": Decimal(years[-1]),
            "span": Decimal(span),
            "limit_years": Decimal(MAX_SUBSIDY_YEARS),
        },
        f"市财政补助安排在第 {listed} 年，共 {len(years)} 年，跨度 {span} 年"
        f"{'' if span == len(years) else '，中间有间断'}（最多连续 {MAX_SUBSIDY_YEARS} 年）：{zh_v}",
        f"City subsidy in year(s) {', '.join(str(y) for y in years)}: {len(years)} year(s) over a span of "
        f"{span}{'' if span == len(years) else ', not consecutive'} (at most {MAX_SUBSIDY_YEARS} consecutive years): "
        f"{en_v}",
    )


def _lines_check(proposal: Proposal) -> PolicyCheck:
    bad = [
        (i, line)
        for i, line in enumerate(proposal.budget, start=1)
        if line.total < 0 or line.city_subsidy < 0 or line.city_subsidy > line.total
    ]
    if not bad:
        return PolicyCheck(
            "budget.lines",
            True,
            {"lines": Decimal(len(proposal.budget))},
            f"预算表共 {len(proposal.budget)} 行，各行市财政补助均不超过该行总投资：符合",
            f"All {len(proposal.budget)} budget lines have a city subsidy between 0 and the line's total: consistent",
        )
    i, line = bad[0]
    return PolicyCheck(
        "budget.lines",
        False,
        {
            "lines": Decimal(len(proposal.budget)),
            "bad_lines": Decimal(len(bad)),
            "first_bad_line": Decimal(i),
        },
        f"预算表第 {i} 行（第 {line.year} 年 {line.category}）市财政补助 {format_cny(line.city_subsidy)} "
        f"与该行总投资 {format_cny(line.total)} 不一致（共 {len(bad)} 行有误）：不符合",
        f"Budget line {i} (year {line.year}, {line.category}): city subsidy {format_cny_en(line.city_subsidy)} "
        f"does not fit the line's total {format_cny_en(line.total)} ({len(bad)} bad line(s)): inconsistent",
    )


def check_budget(proposal: Proposal) -> tuple[PolicyCheck, ...]:
    """The policy checks of the proposal's R&D capacity project budget (see the module docstring)."""
    if not proposal.budget:
        return (
            PolicyCheck(
                "budget.missing",
                False,
                {},
                "申报材料未提供研发能力建设项目预算表，无法核查财政补助比例、年度上限和支持年限",
                "The proposal has no R&D capacity project budget, so the subsidy share, yearly cap "
                "and number of years cannot be checked",
            ),
        )
    total = sum((line.total for line in proposal.budget), Decimal(0))
    subsidy = sum((line.city_subsidy for line in proposal.budget), Decimal(0))
    per_year: dict[int, Decimal] = {}
    for line in proposal.budget:
        per_year[line.year] = per_year.get(line.year, Decimal(0)) + line.city_subsidy
    return (
        _ratio_check(total, subsidy),
        _annual_check(per_year),
        _years_check(per_year),
        _lines_check(proposal),
    )
