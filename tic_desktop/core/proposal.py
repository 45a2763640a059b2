"""A proposal (申报/被评对象): the center, its units, its budget table and its KPI targets, and
what the agency decided for it alone: the items that do not apply to it (不适用) and the result of
its research-integrity check (科研诚信核查).

This is `proposals/<id>/proposal.json` inside a batch.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from tic_desktop.core.types import Dec, Ident, Strict

CenterType = Literal["comprehensive", "professional", "engineering"]
Short = Annotated[str, Field(min_length=1, max_length=200)]


class BudgetLine(Strict):
    """One row of the R&D capacity project budget (研发能力建设项目), in CNY."""

    year: Annotated[int, Field(ge=1, le=10)]
    category: Short
    """e.g. 设备购置, 研发投入, 人才引进, 中试平台."""
    total: Dec
    """Total investment of this row (all sources)."""
    city_subsidy: Dec
    """市财政补助 within `total`."""


class Kpi(Strict):
    """A quantified target from the construction plan; `achieved` is reported at term end."""

    id: Ident
    name: Short
    unit: Annotated[str, Field(max_length=40)]
    target: Dec
    achieved: Dec | None = None
    higher_is_better: bool = True


class Document(Strict):
    """A PDF of the proposal; `path` is the ZIP member path."""

    path: Annotated[str, Field(pattern=r"^proposals/[A-Za-z0-9][A-Za-z0-9._-]{0,63}/[a-z0-9][a-z0-9._-]{0,63}\.pdf$")]
    title: Short


class NotApplicable(Strict):
    """An item of a form that the agency decided does not apply to this center (the same for every
    expert; experts cannot mark items N/A themselves)."""

    form_id: Ident
    criterion_id: Ident
    reason: Annotated[str, Field(max_length=500)] = ""


class IntegrityCheck(Strict):
    """The agency's research-integrity check (科研诚信核查) of the 依托单位 and the center's head:
    whether an unresolved serious research-misconduct record (尚未了结的严重科研失信记录) was found.
    Shown to the panel; it is the agency's finding, not an expert's veto."""

    record: bool
    """True: a record was found."""
    note: Annotated[str, Field(max_length=1000)] = ""
    """What was checked and where (e.g. 科研诚信信息系统查询，2026-11-20)."""


class Proposal(Strict):
    id: Ident
    center_name: Short
    center_type: CenterType
    lead_unit: Short
    """依托单位 (the host unit; older sources call it 牵头单位)."""
    member_units: tuple[Short, ...] = ()
    field: Short
    """技术领域, e.g. 人工智能."""
    contact: Annotated[str, Field(max_length=200)] = ""
    period_start: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    period_end: Annotated[str, Field(pattern=r"^\d{4}-\d{2}-\d{2}$")] | None = None
    forms: Annotated[tuple[Ident, ...], Field(min_length=1)]
    """Form template ids this proposal is scored on (feasibility: the plan and the R&D add-on)."""
    budget: tuple[BudgetLine, ...] = ()
    kpis: tuple[Kpi, ...] = ()
    documents: tuple[Document, ...] = ()
    not_applicable: tuple[NotApplicable, ...] = ()
    """Items the agency set not applicable for this center (batch format 1.1)."""
    integrity: IntegrityCheck | None = None
    """The agency's integrity check; None: not recorded in the batch source."""

    def not_applicable_for(self, form_id: str) -> frozenset[str]:
        """The criterion ids of `form_id` the agency set not applicable for this center."""
        return frozenset(n.criterion_id for n in self.not_applicable if n.form_id == form_id)
