"""The evaluation round (评审轮次) as values: what `core.round_cohort` computes and what the round's
outputs (round.csv, round.xlsx, round.pdf, the 公示 list, the app's round page) are made from.

THE CONTRACT (docs/contracts.md, "The evaluation round"). Plain frozen dataclasses, Qt-free, every
number a `Decimal`, every text that a person reads in both languages (`Text` or `Flag.zh/.en`).

- `RoundInfo`: the round itself — `round_id` (an `Ident`), `title` ("2027 年度专业性技术创新中心评估"),
  `year`, the `batch_ids` of its panels in the order they were added.
- `RoundRow`: ONE PER PROPOSAL × FORM across every panel, in the order of round.csv (by form, center
  type, official round rank; unranked last). `final_score` is the panel's raw final score (the
  batch's own consolidation rule); `panel_rank` the rank within its own panel (form × center type);
  `raw_rank` the rank over the round's cohort (every panel, same form and center type);
  `raw_conclusion` the conclusion after the 优秀 share applied over the cohort. `normalised_score`
  / `normalised_rank` / `normalised_conclusion` are the same under normalisation (see
  `Normalisation`). The OFFICIAL values are `round_rank`, `conclusion`, `conclusion_label`,
  `outcome` and `award`: the raw ones unless the agency chose the normalised ranking
  (`OfficialChoice.basis == "normalised"`, with a recorded reason). `flags` are `core.results.Flag`s
  with stable codes (see FLAG_* below and `core.cohort`: `rank.tie`, `rank.capped`,
  `excellent.cohort_small`, …). `previous` is the center's last result (None when none was
  imported); `targets_item` names the form item that refers to the last targets (5.1 of the
  periodic form, 1.1 of the term-end form) when the form has one, and `previous.targets` holds them.
  `decision` is the 市科技局's final decision (None until recorded), `objections` the 异议/复议.
- `PanelEffect` per panel (batch) and form: the count, mean and spread (population standard
  deviation) of the panel's valid totals, min and max, and per expert (`ExpertEffect`) the
  expert's mean total against the panel's mean over the same proposals.
- `Normalisation`: method `expert_z` — per expert and form, z = (total − the expert's mean) ÷ the
  expert's standard deviation over the expert's totals in the round, rescaled to the round's mean
  and standard deviation of all valid totals of the form: total′ = M + S × z (an expert with one
  total or no spread keeps the offset only: total′ = total − the expert's mean + M). A proposal's
  normalised score is the panel's method applied to total′ over the experts whose raw totals count
  (the same trimmed totals dropped; median for `median`), rounded half up to the rule's decimals.
  `forms` holds M and S per form, `experts` each expert's n, mean and standard deviation.
- `OfficialChoice`: `basis` "raw" (the default) or "normalised", `reason` (required for
  "normalised"), who and when.
- `FinalDecision`: the 市科技局's decision per center (`decided_on` YYYY-MM-DD, `decision` text,
  `document_number` 文号). `Objection`: an 异议 (during the 公示) or 复议 (after the decision): when
  received, from whom, what it says, the outcome and its date (empty while open).
- `RoundResults`: all of the above for one round, with `rows_for(form_id, center_type)`.
- `RoundReport`: what the round's writers take (round.pdf, round.xlsx, the 公示 list): the
  `RoundResults`, each panel's report data (`reports.report_data.ReportData`, in the order of the round's
  batches: the per-panel reports as `consolidate` writes them), the 公示 notice text the agency edited,
  and when it was generated.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Literal

from tic_desktop.core.results import Flag
from tic_desktop.core.types import Text

Basis = Literal["raw", "normalised"]
ObjectionKind = Literal["objection", "review"]
"""objection = 异议 (raised during the 公示), review = 复议 (against the final decision)."""

NORMALISATION_METHOD = "expert_z"
FLAG_NORMALISED_DIFFERS = "normalised.conclusion_differs"
"""The conclusion (优秀/良好…, hence the award) under normalisation differs from the raw one."""
FLAG_RECTIFY = "previous.rectify"
"""The center was told to rectify (整改) last round: it is to be re-assessed."""
FLAG_OFFICIAL_NORMALISED = "round.official_normalised"
"""The official rank and conclusion are the normalised ones (the agency's recorded choice)."""
TARGETS_ITEMS: Mapping[str, str] = {"periodic_assessment": "5.1", "term_end_evaluation": "1.1"}
"""Per form: the item that refers to the last targets (上期考核目标 / 建设计划任务书的量化目标)."""
OBJECTION_LABELS = {"objection": Text(zh="异议", en="Objection"), "review": Text(zh="复议", en="Review")}


@dataclass(frozen=True)
class RoundInfo:
    round_id: str
    title: str
    year: int
    batch_ids: tuple[str, ...] = ()
    created_at: str = ""


@dataclass(frozen=True)
class PreviousTarget:
    """A quantified target of the center's last round (its KPI), shown beside the targets item."""

    kpi_id: str
    name: str
    unit: str
    target: Decimal
    achieved: Decimal | None = None


@dataclass(frozen=True)
class PreviousResult:
    """The center's result in the previous round (from a results.csv / round.csv or an old workspace)."""

    center_name: str
    proposal_id: str
    form_id: str
    center_type: str
    final_score: Decimal | None
    conclusion: str | None
    conclusion_label: str = ""
    outcome: str = ""
    award: Decimal | None = None
    source: str = ""
    """Where it came from: the file name, or `workspace:<batch_id>`."""
    rectify: bool = False
    """The outcome was 整改 (rectify): the center is flagged for re-assessment."""
    targets: tuple[PreviousTarget, ...] = ()


@dataclass(frozen=True)
class FinalDecision:
    """The 市科技局's final decision on one center (from the agency's records)."""

    batch_id: str
    proposal_id: str
    decided_on: str
    decision: str
    document_number: str = ""
    recorded_at: str = ""


@dataclass(frozen=True)
class Objection:
    """An 异议 or 复议 on one center: received, and (once settled) its outcome."""

    objection_id: int
    batch_id: str
    proposal_id: str
    kind: ObjectionKind
    received_on: str
    submitted_by: str
    summary: str
    outcome: str = ""
    outcome_on: str = ""
    recorded_at: str = ""

    @property
    def open(self) -> bool:
        return not self.outcome


@dataclass(frozen=True)
class OfficialChoice:
    basis: Basis = "raw"
    reason: str = ""
    chosen_at: str = ""


@dataclass(frozen=True)
class ExpertScale:
    """One expert's totals on one form over the round (the normalisation's parameters)."""

    expert_id: str
    form_id: str
    n: int
    mean: Decimal
    sd: Decimal
    """Population standard deviation; 0 when n < 2 or all totals are equal (offset only)."""


@dataclass(frozen=True)
class FormScale:
    form_id: str
    n: int
    mean: Decimal
    """M: the mean of every valid total of the form in the round."""
    sd: Decimal
    """S: their population standard deviation."""


@dataclass(frozen=True)
class Normalisation:
    method: str = NORMALISATION_METHOD
    forms: tuple[FormScale, ...] = ()
    experts: tuple[ExpertScale, ...] = ()

    def describe(self, lang: str = "zh") -> str:
        if lang.startswith("zh"):
            return ("按专家标准化：每位专家在本轮同一评分表上的总分换算为 z 分数（减去该专家的平均分，除以其标准差），"
                    "再按本轮全部有效总分的平均分 M 和标准差 S 还原（M + S × z）；只评一份或各份总分相同的专家只平移"
                    "（总分 − 该专家平均分 + M）。项目的标准化得分按本组的汇总方法（去掉同样的最高分和最低分）计算。")
        return ("Per-expert standardisation: each expert's totals on a form in this round become z-scores (minus "
                "the expert's mean, divided by the expert's standard deviation), rescaled to the round's mean M and "
                "standard deviation S of all valid totals (M + S × z); an expert with one total or no spread is "
                "only shifted (total − the expert's mean + M). A proposal's normalised score uses its panel's "
                "method (the same highest and lowest totals dropped).")


@dataclass(frozen=True)
class ExpertEffect:
    expert_id: str
    expert_name: str
    n: int
    mean: Decimal
    """The expert's mean total on the panel's proposals of this form."""
    panel_mean: Decimal
    """The mean of the panel's final scores on the same proposals."""
    difference: Decimal
    """mean − panel_mean: below zero, a harsher expert than the panel."""


@dataclass(frozen=True)
class PanelEffect:
    batch_id: str
    form_id: str
    n: int
    """Valid totals (expert × proposal) of the panel on this form."""
    mean: Decimal
    sd: Decimal
    minimum: Decimal
    maximum: Decimal
    round_mean: Decimal
    """The round's mean of all valid totals of the form (for comparison)."""
    experts: tuple[ExpertEffect, ...] = ()

    @property
    def difference(self) -> Decimal:
        return self.mean - self.round_mean


@dataclass(frozen=True)
class RoundRow:
    batch_id: str
    proposal_id: str
    center_name: str
    lead_unit: str
    center_type: str
    form_id: str
    final_score: Decimal | None
    panel_rank: int | None
    round_rank: int | None
    """Official rank over the round's cohort (raw unless the normalised ranking is official)."""
    conclusion: str | None
    """Official conclusion code, after the 优秀 share applied over the cohort."""
    conclusion_label: Text | None
    outcome: Text | None
    award: Decimal | None
    normalised_score: Decimal | None
    normalised_rank: int | None
    flags: tuple[Flag, ...] = ()
    raw_rank: int | None = None
    raw_conclusion: str | None = None
    normalised_conclusion: str | None = None
    tie: bool = False
    capped: bool = False
    previous: PreviousResult | None = None
    targets_item: str | None = None
    decision: FinalDecision | None = None
    objections: tuple[Objection, ...] = ()

    @property
    def flag_codes(self) -> tuple[str, ...]:
        return tuple(f.code for f in self.flags)


@dataclass(frozen=True)
class RoundResults:
    info: RoundInfo
    rows: tuple[RoundRow, ...]
    panels: tuple[PanelEffect, ...] = ()
    normalisation: Normalisation = field(default_factory=Normalisation)
    official: OfficialChoice = field(default_factory=OfficialChoice)
    decisions: tuple[FinalDecision, ...] = ()
    objections: tuple[Objection, ...] = ()
    previous: tuple[PreviousResult, ...] = ()

    def rows_for(self, form_id: str, center_type: str | None = None) -> tuple[RoundRow, ...]:
        return tuple(r for r in self.rows if r.form_id == form_id
                     and (center_type is None or r.center_type == center_type))

    def cohorts(self) -> list[tuple[str, str]]:
        """(form_id, center_type) in the order of the rows."""
        return list(dict.fromkeys((r.form_id, r.center_type) for r in self.rows))

    def row(self, batch_id: str, proposal_id: str, form_id: str) -> RoundRow:
        for r in self.rows:
            if (r.batch_id, r.proposal_id, r.form_id) == (batch_id, proposal_id, form_id):
                return r
        raise KeyError((batch_id, proposal_id, form_id))


@dataclass(frozen=True)
class RoundReport:
    results: RoundResults
    panels: tuple[Any, ...] = ()
    """Each batch's report data (`reports.report_data.ReportData`), in the round's batch order."""
    notice: str = ""
    """The 公示 notice template as the agency edited it (empty: the writers' default text)."""
    generated_at: str = ""

    def panel(self, batch_id: str) -> Any:
        return next(p for p in self.panels if p.batch_id == batch_id)
