"""The batch source folder's batch table and its per-proposal tables: proposals, budget, KPIs and
the items not applicable (formats.source reads the folder; the layout is in docs/contracts.md).

Each reader binds its table's columns (formats.table) and raises `SourceError` naming the file, the
row and the column; the proposals table is read first, the others add to its `ProposalRow`s.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from tic_desktop.core.errors import register
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.labels import KIND_LABELS
from tic_desktop.core.proposal import BudgetLine, Document, IntegrityCheck, Kpi, NotApplicable
from tic_desktop.core.types import Text
from tic_desktop.formats import table as tb
from tic_desktop.formats.table import BAD_HEADER, BAD_VALUE, DUPLICATE

UNKNOWN_REF = register("source.unknown_reference", "表格引用了不存在的申报项目或评分表。请检查编号。",
                       "A spreadsheet refers to a proposal or form that does not exist. Check the id.")
INCONSISTENT = register("source.inconsistent", "各表之间的信息不一致。请按提示修改。",
                        "The spreadsheets contradict each other. Correct them as described.")

_CENTER_TYPES_BY_KIND = {"feasibility_review": {"comprehensive"}, "term_end_evaluation": {"comprehensive"},
                         "periodic_assessment": {"professional", "engineering"}}

BATCH_KEYS = {"batch_id": ("批次编号",), "title_zh": ("批次名称", "标题"), "title_en": ("英文名称", "英文标题"),
              "kind": ("评审类型",), "agency_name": ("组织机构", "评审机构"), "deadline": ("截止日期",)}
PROPOSAL_COLS = (
    tb.Col("proposal_id", ("编号", "项目编号")), tb.Col("center_name", ("中心名称",)), tb.Col("center_type", ("类型",)),
    tb.Col("lead_unit", ("依托单位", "牵头单位")), tb.Col("member_units", ("共建单位",), required=False),
    tb.Col("field", ("技术领域",)), tb.Col("contact", ("联系人",), required=False),
    tb.Col("period_start", ("开始日期",), required=False), tb.Col("period_end", ("结束日期",), required=False),
    tb.Col("forms", ("评分表",), required=False),
    tb.Col("integrity_record", ("科研失信记录",), required=False), tb.Col("integrity_note", ("诚信核查说明",), required=False),
)
NA_COLS = (tb.Col("proposal_id", ("编号", "项目编号")), tb.Col("form_id", ("评分表",), required=False),
           tb.Col("criterion_id", ("评分项", "指标")), tb.Col("reason", ("理由", "不适用理由"), required=False))
BUDGET_COLS = (tb.Col("proposal_id", ("编号", "项目编号")), tb.Col("year", ("年度",)), tb.Col("category", ("类别",)),
               tb.Col("total", ("总投资",), money=True), tb.Col("city_subsidy", ("市财政补助",), money=True))
KPI_COLS = (tb.Col("proposal_id", ("编号", "项目编号")), tb.Col("kpi_id", ("指标编号",)), tb.Col("name", ("指标名称",)),
            tb.Col("unit", ("单位",), required=False), tb.Col("target", ("目标值",)),
            tb.Col("achieved", ("完成值",), required=False), tb.Col("higher_is_better", ("越大越好",), required=False))


@dataclass
class BatchInfo:
    batch_id: str
    title: Text
    kind: str
    agency_name: str
    deadline: str | None


def read_batch_info(t: tb.Table) -> BatchInfo:
    tb.bind(t, (tb.Col("key", ("字段", "项目", "参数")), tb.Col("value", ("值", "内容"))))
    aliases = {tb.norm_header(n): k for k, names in BATCH_KEYS.items() for n in (k, *names)}
    values: dict[str, tuple[int, str]] = {}
    for n, row in t.rows:
        raw = t.cell(row, "key")
        key = aliases.get(tb.norm_header(raw))
        if key is None:
            raise t.error(BAD_VALUE, n, "key", f"未知字段“{raw}”，应为 " + "、".join(BATCH_KEYS),
                          f"unknown key “{raw}”; expected one of " + ", ".join(BATCH_KEYS))
        if key in values:
            raise t.error(DUPLICATE, n, "key", f"字段“{raw}”与第 {values[key][0]} 行重复",
                          f"key “{raw}” repeats row {values[key][0]}")
        values[key] = (n, t.cell(row, "value"))
    for key in ("batch_id", "title_zh", "kind", "agency_name"):
        if key not in values:
            raise tb.fail(BAD_VALUE, f"{t.label_zh}：缺少“{key}”（{BATCH_KEYS[key][0]}）一行",
                        f"{t.label_en}: the row “{key}” is missing")

    def get(key: str) -> tuple[int, str]:
        return values.get(key, (0, ""))

    n, v = get("batch_id")
    batch_id = tb.ident(t, n, "value", v)
    n, title_zh = get("title_zh")
    tb.text(t, n, "value", title_zh)
    n_en, title_en = get("title_en")
    tb.text(t, n_en, "value", title_en, required=False)
    n, v = get("kind")
    kind = tb.KINDS.get(v) or tb.KINDS.get(v.lower())
    if kind is None:
        raise t.error(BAD_VALUE, n, "value", f"未知评审类型“{v}”，应为 " + "/".join(x.zh for x in KIND_LABELS.values()),
                      f"unknown kind “{v}”; expected feasibility_review/term_end_evaluation/periodic_assessment")
    n, agency = get("agency_name")
    tb.text(t, n, "value", agency)
    n, v = get("deadline")
    deadline = tb.date(t, n, "value", v)
    return BatchInfo(batch_id, Text(zh=title_zh, en=title_en or title_zh), kind, agency, deadline)


@dataclass
class ProposalRow:
    row: int
    values: dict[str, object]
    budget: list[BudgetLine] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)


def read_proposals(t: tb.Table, info: BatchInfo, forms: dict[str, FormTemplate]) -> dict[str, ProposalRow]:
    tb.bind(t, PROPOSAL_COLS)
    out: dict[str, ProposalRow] = {}
    for n, row in t.rows:
        pid = tb.ident(t, n, "proposal_id", t.cell(row, "proposal_id"))
        if pid in out:
            raise t.error(DUPLICATE, n, "proposal_id", f"编号“{pid}”与第 {out[pid].row} 行重复",
                          f"id “{pid}” repeats row {out[pid].row}")
        ctype = tb.choice(t, n, "center_type", t.cell(row, "center_type"), tb.CENTER_TYPES,
                        "综合性/专业性/工程技术中心", "comprehensive/professional/engineering")
        if ctype not in _CENTER_TYPES_BY_KIND[info.kind]:
            raise t.error(INCONSISTENT, n, "center_type", f"本批次评审类型为“{info.kind}”，不适用于“{t.cell(row, 'center_type')}”中心",
                          f"this batch's kind “{info.kind}” does not apply to {ctype} centers")
        form_ids = tb.ids(t, n, "forms", t.cell(row, "forms")) or [info.kind]
        for fid in form_ids:
            form = forms.get(fid)
            if form is None:
                raise t.error(UNKNOWN_REF, n, "forms", f"未知评分表“{fid}”，可用：{'、'.join(sorted(forms))}",
                              f"unknown form “{fid}”; available: {', '.join(sorted(forms))}")
            if form.kind != info.kind:
                raise t.error(INCONSISTENT, n, "forms", f"评分表“{fid}”用于“{form.kind}”，与本批次评审类型“{info.kind}”不符",
                              f"form “{fid}” is for “{form.kind}”, not this batch's kind “{info.kind}”")
        members = tb.split_list(t.cell(row, "member_units"))
        for m in members:
            tb.text(t, n, "member_units", m)
        start = tb.date(t, n, "period_start", t.cell(row, "period_start"))
        end = tb.date(t, n, "period_end", t.cell(row, "period_end"))
        if start and end and end < start:
            raise t.error(BAD_VALUE, n, "period_end", f"结束日期 {end} 早于开始日期 {start}",
                          f"end date {end} is before start date {start}")
        integrity = None
        if "integrity_record" in t.columns and t.cell(row, "integrity_record"):
            integrity = IntegrityCheck(
                record=tb.boolean(t, n, "integrity_record", t.cell(row, "integrity_record"), False),
                note=tb.text(t, n, "integrity_note", t.cell(row, "integrity_note"), required=False, limit=1000))
        elif t.cell(row, "integrity_note"):
            raise t.error(BAD_VALUE, n, "integrity_record", "填写了诚信核查说明时，须填写是否有科研失信记录（是/否）",
                          "with an integrity note, say whether a record was found (yes/no)")
        out[pid] = ProposalRow(n, {
            "integrity": integrity,
            "id": pid, "center_type": ctype, "forms": tuple(form_ids), "member_units": tuple(members),
            "center_name": tb.text(t, n, "center_name", t.cell(row, "center_name")),
            "lead_unit": tb.text(t, n, "lead_unit", t.cell(row, "lead_unit")),
            "field": tb.text(t, n, "field", t.cell(row, "field")),
            "contact": tb.text(t, n, "contact", t.cell(row, "contact"), required=False),
            "period_start": start, "period_end": end,
        })
    if not out:
        raise tb.fail(BAD_VALUE, f"{t.label_zh}：没有任何申报项目", f"{t.label_en}: no proposals")
    return out


def _proposal_ref(t: tb.Table, n: int, row: list[str], proposals: dict[str, ProposalRow]) -> ProposalRow:
    pid = t.cell(row, "proposal_id")
    if pid not in proposals:
        raise t.error(UNKNOWN_REF, n, "proposal_id", f"编号“{pid}”不在申报项目表中", f"“{pid}” is not in the proposals table")
    return proposals[pid]


def read_budget(t: tb.Table, proposals: dict[str, ProposalRow]) -> None:
    tb.bind(t, BUDGET_COLS)
    seen: dict[tuple[str, int, str], int] = {}
    for n, row in t.rows:
        p = _proposal_ref(t, n, row, proposals)
        year_text = t.cell(row, "year")
        if not re.fullmatch(r"(第)?([1-9]|10)(年)?", year_text):
            raise t.error(BAD_VALUE, n, "year", f"“{year_text}”应为建设期第几年（1 到 10 的整数）",
                          f"“{year_text}” must be the year of the construction period (an integer from 1 to 10)")
        year = int(re.sub(r"\D", "", year_text))
        category = tb.text(t, n, "category", t.cell(row, "category"))
        key = (p.values["id"], year, category)  # type: ignore[assignment]
        if key in seen:
            raise t.error(DUPLICATE, n, "category", f"第 {year} 年“{category}”与第 {seen[key]} 行重复",
                          f"year {year} “{category}” repeats row {seen[key]}")
        seen[key] = n  # type: ignore[index]
        total = tb.decimal(t, n, "total", t.cell(row, "total"))
        subsidy = tb.decimal(t, n, "city_subsidy", t.cell(row, "city_subsidy"))
        assert total is not None and subsidy is not None
        if total <= 0:
            raise t.error(BAD_VALUE, n, "total", "总投资必须大于 0", "total investment must be above 0")
        if subsidy > total:
            raise t.error(BAD_VALUE, n, "city_subsidy", f"市财政补助 {subsidy} 大于该行总投资 {total}（总投资应含补助）",
                          f"city subsidy {subsidy} exceeds the row's total {total} (the total includes the subsidy)")
        p.budget.append(BudgetLine(year=year, category=category, total=total, city_subsidy=subsidy))


def read_kpis(t: tb.Table, proposals: dict[str, ProposalRow], kind: str) -> None:
    tb.bind(t, KPI_COLS)
    if kind == "term_end_evaluation" and "achieved" not in t.columns:
        raise tb.fail(BAD_HEADER, f"{t.label_zh} 第 1 行：缺少「完成值」列（或 achieved），总结评估需要填写完成值",
                    f"{t.label_en}, row 1: column “achieved” (完成值) is missing; a term-end evaluation needs "
                    "the achieved values")
    seen: dict[tuple[str, str], int] = {}
    for n, row in t.rows:
        p = _proposal_ref(t, n, row, proposals)
        kid = tb.ident(t, n, "kpi_id", t.cell(row, "kpi_id"))
        key = (str(p.values["id"]), kid)
        if key in seen:
            raise t.error(DUPLICATE, n, "kpi_id", f"指标编号“{kid}”与第 {seen[key]} 行重复", f"KPI id “{kid}” repeats row {seen[key]}")
        seen[key] = n
        achieved = tb.decimal(t, n, "achieved", t.cell(row, "achieved"), required=False, places=6)
        if achieved is None and kind == "term_end_evaluation":
            raise t.error(BAD_VALUE, n, "achieved", "总结评估需要填写完成值", "a term-end evaluation needs the achieved value")
        p.kpis.append(Kpi(id=kid, name=tb.text(t, n, "name", t.cell(row, "name")),
                          unit=tb.text(t, n, "unit", t.cell(row, "unit"), required=False, limit=40),
                          target=tb.decimal(t, n, "target", t.cell(row, "target"), places=6), achieved=achieved,
                          higher_is_better=tb.boolean(t, n, "higher_is_better", t.cell(row, "higher_is_better"), True)))


def read_not_applicable(t: tb.Table, proposals: dict[str, ProposalRow],
                        forms: dict[str, FormTemplate]) -> None:
    """The items the agency sets not applicable per center: the same for every expert."""
    tb.bind(t, NA_COLS)
    seen: dict[tuple[str, str, str], int] = {}
    for n, row in t.rows:
        p = _proposal_ref(t, n, row, proposals)
        pid = str(p.values["id"])
        cid = tb.ident(t, n, "criterion_id", t.cell(row, "criterion_id"))
        fid = t.cell(row, "form_id")
        own = [forms[f] for f in p.values["forms"]]  # type: ignore[attr-defined]
        if fid:
            form = next((f for f in own if f.id == fid), None)
            if form is None:
                raise t.error(UNKNOWN_REF, n, "form_id", f"项目“{pid}”不使用评分表“{fid}”（可选：{'、'.join(f.id for f in own)}）",
                              f"proposal “{pid}” is not scored on form “{fid}” (its forms: {', '.join(f.id for f in own)})")
        else:
            having = [f for f in own if any(c.id == cid for c in f.criteria)]
            if len(having) > 1:
                raise t.error(BAD_VALUE, n, "criterion_id",
                              f"评分项“{cid}”同时出现在评分表 {'、'.join(f.id for f in having)} 中，请在「评分表」列注明",
                              f"item “{cid}” is in forms {', '.join(f.id for f in having)}; name one in column form_id")
            form = having[0] if having else own[0]
        crit = next((c for c in form.criteria if c.id == cid), None)
        if crit is None:
            raise t.error(UNKNOWN_REF, n, "criterion_id", f"评分表“{form.id}”没有评分项“{cid}”",
                          f"form “{form.id}” has no item “{cid}”")
        if not crit.na_allowed:
            raise t.error(BAD_VALUE, n, "criterion_id", f"评分表“{form.id}”的评分项“{cid} {crit.label.zh}”不允许设为不适用",
                          f"item “{cid}” of form “{form.id}” cannot be set not applicable")
        key = (pid, form.id, cid)
        if key in seen:
            raise t.error(DUPLICATE, n, "criterion_id", f"与第 {seen[key]} 行重复", f"repeats row {seen[key]}")
        seen[key] = n
        p.not_applicable.append(NotApplicable(form_id=form.id, criterion_id=cid,
                                              reason=tb.text(t, n, "reason", t.cell(row, "reason"), required=False,
                                                           limit=500)))
