"""The batch source folder (what the agency prepares) → `BatchSpec` for `formats.batch.write_batch`.

Layout and column names: docs/contracts.md ("Batch source folder"). Tables are CSV (UTF-8, with
or without BOM, as Excel's "CSV UTF-8" writes) or XLSX; headers in Chinese or English. Every
mistake raises `SourceError` whose detail names the file, the row (as the spreadsheet numbers
it, header = row 1) and the column (as written in the file), in Chinese (`detail`) and English
(`detail_en`, used by `text("en")`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from tic_desktop.core.errors import register
from tic_desktop.core.form_library import builtin_forms, load_form
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.labels import KIND_LABELS
from tic_desktop.core.proposal import BudgetLine, Document, IntegrityCheck, Kpi, NotApplicable, Proposal
from tic_desktop.core.types import Text
from tic_desktop.formats import table as tb
from tic_desktop.formats.batch import BatchSpec
from tic_desktop.formats.manifest import Expert
from tic_desktop.formats.table import (
    BAD_HEADER,
    BAD_VALUE,
    DUPLICATE,
    MISSING_FILE,
    UNREADABLE,
)

UNKNOWN_REF = register("source.unknown_reference", "表格引用了不存在的申报项目或评分表。请检查编号。",
                       "A spreadsheet refers to a proposal or form that does not exist. Check the id.")
INCONSISTENT = register("source.inconsistent", "各表之间的信息不一致。请按提示修改。",
                        "The spreadsheets contradict each other. Correct them as described.")
BAD_DOCUMENT = register("source.bad_document", "申报材料文件夹中有不符合要求的文件。只能放 PDF 文件。",
                        "A proposal folder holds a file that is not allowed. Only PDF files may be placed there.")

MAX_PDF_BYTES = 200 * 1024 * 1024
_SAFE_STEM = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")


_CENTER_TYPES_BY_KIND = {"feasibility_review": {"comprehensive"}, "term_end_evaluation": {"comprehensive"},
                         "periodic_assessment": {"professional", "engineering"}}
_IGNORED_FILES = {"thumbs.db", "desktop.ini"}


DOCUMENT_NAMES = {"建设方案": "plan", "研发创新能力建设项目": "rd-project", "研发能力建设项目": "rd-project",
                  "相关证明材料": "evidence", "证明材料": "evidence", "财务审计报告": "audit", "审计报告": "audit",
                  "总结报告": "summary", "建设期满总结报告": "summary", "建设总结报告": "summary",
                  "专项审计报告": "audit", "自评报告": "self-assessment",
                  "建设任务书": "task-book", "任务书": "task-book", "年度报告": "annual-report"}
"""Safe member names for the usual Chinese document titles (the title itself is kept)."""


# ── the tables ──────────────────────────────────────────────────────────────────────────────

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
PLEDGE_FILES = ("pledge_zh.txt", "pledge_en.txt")
"""The agency's own 承诺书 for the batch (UTF-8 text; the English one optional)."""
BUDGET_COLS = (tb.Col("proposal_id", ("编号", "项目编号")), tb.Col("year", ("年度",)), tb.Col("category", ("类别",)),
               tb.Col("total", ("总投资",), money=True), tb.Col("city_subsidy", ("市财政补助",), money=True))
KPI_COLS = (tb.Col("proposal_id", ("编号", "项目编号")), tb.Col("kpi_id", ("指标编号",)), tb.Col("name", ("指标名称",)),
            tb.Col("unit", ("单位",), required=False), tb.Col("target", ("目标值",)),
            tb.Col("achieved", ("完成值",), required=False), tb.Col("higher_is_better", ("越大越好",), required=False))
EXPERT_COLS = (tb.Col("expert_id", ("专家编号", "编号")), tb.Col("name", ("姓名",)), tb.Col("unit", ("单位",), required=False),
               tb.Col("title", ("职称",), required=False), tb.Col("role", ("角色",)), tb.Col("chair", ("组长",), required=False),
               tb.Col("assigned", ("评审项目",)), tb.Col("known_conflicts", ("回避项目",), required=False),
               tb.Col("panel", ("专家组",), required=False), tb.Col("key_fingerprint", ("密钥指纹",), required=False))


@dataclass
class _BatchInfo:
    batch_id: str
    title: Text
    kind: str
    agency_name: str
    deadline: str | None


def _batch_info(t: tb.Table) -> _BatchInfo:
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
    return _BatchInfo(batch_id, Text(zh=title_zh, en=title_en or title_zh), kind, agency, deadline)


def _forms(root: Path) -> dict[str, FormTemplate]:
    """Built-in forms, overridden or extended by SRC/forms/*.json (a custom or changed form)."""
    forms = dict(builtin_forms())
    custom = root / "forms"
    if custom.is_dir():
        for path in sorted(custom.glob("*.json")):
            form = load_form(path)  # raises FormInvalid with the JSON path
            forms[form.id] = form
    return forms


@dataclass
class _ProposalRow:
    row: int
    values: dict[str, object]
    budget: list[BudgetLine] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)


def _proposals(t: tb.Table, info: _BatchInfo, forms: dict[str, FormTemplate]) -> dict[str, _ProposalRow]:
    tb.bind(t, PROPOSAL_COLS)
    out: dict[str, _ProposalRow] = {}
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
        out[pid] = _ProposalRow(n, {
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


def _proposal_ref(t: tb.Table, n: int, row: list[str], proposals: dict[str, _ProposalRow]) -> _ProposalRow:
    pid = t.cell(row, "proposal_id")
    if pid not in proposals:
        raise t.error(UNKNOWN_REF, n, "proposal_id", f"编号“{pid}”不在申报项目表中", f"“{pid}” is not in the proposals table")
    return proposals[pid]


def _budget(t: tb.Table, proposals: dict[str, _ProposalRow]) -> None:
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


def _kpis(t: tb.Table, proposals: dict[str, _ProposalRow], kind: str) -> None:
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


def _not_applicable(t: tb.Table, proposals: dict[str, _ProposalRow], forms: dict[str, FormTemplate]) -> None:
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


def _pledge(root: Path) -> Text | None:
    """The agency's pledge text from pledge_zh.txt (and pledge_en.txt), or None for the default."""
    texts: dict[str, str] = {}
    for name in PLEDGE_FILES:
        path = root / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = unicodedata.normalize("NFC", data.decode("utf-8")).replace("\r\n", "\n").strip()
        except UnicodeDecodeError:
            raise tb.fail(UNREADABLE, f"{name}：不是 UTF-8 编码的文本", f"{name}: not UTF-8 text") from None
        if not text or len(text) > 20000:
            raise tb.fail(BAD_VALUE, f"{name}：承诺书文本为空或超过 20000 字", f"{name}: the pledge is empty or longer "
                        "than 20000 characters")
        texts[name] = text
    if not texts:
        return None
    if PLEDGE_FILES[0] not in texts:
        raise tb.fail(MISSING_FILE, f"有 {PLEDGE_FILES[1]} 时也须有 {PLEDGE_FILES[0]}（中文承诺书）",
                    f"{PLEDGE_FILES[1]} needs {PLEDGE_FILES[0]} (the Chinese pledge) too")
    zh = texts[PLEDGE_FILES[0]]
    return Text.model_construct(zh=zh, en=texts.get(PLEDGE_FILES[1], zh))


def _experts(t: tb.Table, proposals: dict[str, _ProposalRow]) -> tuple[list[Expert], dict[str, str]]:
    """The experts, and expert id → panel (专家组) when the column is filled (all rows or none)."""
    tb.bind(t, EXPERT_COLS)
    experts: list[Expert] = []
    rows: dict[str, int] = {}
    chairs: list[int] = []
    panels: dict[str, str] = {}
    panel_rows: dict[str, int] = {}
    keys: dict[str, int] = {}
    for n, row in t.rows:
        eid = tb.ident(t, n, "expert_id", t.cell(row, "expert_id"))
        if eid in rows:
            raise t.error(DUPLICATE, n, "expert_id", f"专家编号“{eid}”与第 {rows[eid]} 行重复", f"expert id “{eid}” repeats row {rows[eid]}")
        rows[eid] = n
        role = tb.choice(t, n, "role", t.cell(row, "role"), tb.ROLES, "技术/财务/管理", "technical/finance/management")
        chair = tb.boolean(t, n, "chair", t.cell(row, "chair"), False)
        if chair:
            chairs.append(n)
        panel = tb.text(t, n, "panel", t.cell(row, "panel"), required=False, limit=40)
        if panel:
            panels[eid] = panel
            panel_rows[eid] = n
        assigned_text = t.cell(row, "assigned")
        assigned = list(proposals) if assigned_text == "*" else tb.ids(t, n, "assigned", assigned_text)
        if not assigned:
            raise t.error(BAD_VALUE, n, "assigned", "不能为空；填 * 表示评审全部项目", "must not be empty; use * for every proposal")
        conflicts = tb.ids(t, n, "known_conflicts", t.cell(row, "known_conflicts"))
        for key, ids in (("assigned", assigned), ("known_conflicts", conflicts)):
            for pid in ids:
                if pid not in proposals:
                    raise t.error(UNKNOWN_REF, n, key, f"编号“{pid}”不在申报项目表中", f"“{pid}” is not in the proposals table")
        fingerprint = _key_fingerprint(t, n, t.cell(row, "key_fingerprint"), keys)
        experts.append(Expert(id=eid, name=tb.text(t, n, "name", t.cell(row, "name"), limit=100),
                              unit=tb.text(t, n, "unit", t.cell(row, "unit"), required=False),
                              title=tb.text(t, n, "title", t.cell(row, "title"), required=False, limit=100),
                              role=role, chair=chair, assigned=tuple(assigned), known_conflicts=tuple(conflicts),  # type: ignore[arg-type]
                              key_fingerprint=fingerprint))
    if not experts:
        raise tb.fail(BAD_VALUE, f"{t.label_zh}：没有任何专家", f"{t.label_en}: no experts")
    if panels:
        _check_panels(t, experts, panels, rows, proposals)
        return experts, panels
    if len(chairs) != 1:
        where = "、".join(str(c) for c in chairs) or "无"
        raise tb.fail(INCONSISTENT, f"{t.label_zh}「组长」列：应恰好有一位组长（现为第 {where} 行）",
                    f"{t.label_en}, column “chair”: exactly one expert must be the chair (rows: {where})")
    _check_coverage(t, experts, proposals)
    return experts, panels


def _key_fingerprint(t: tb.Table, n: int, v: str, seen: dict[str, int]) -> str | None:
    """The optional 密钥指纹 column: the expert's enrolled key as `ssh-keygen -l` prints it (spaces
    allowed, as on the enrolment sheet); one key belongs to one expert."""
    compact = re.sub(r"\s+", "", v or "")
    if not compact:
        return None
    if compact[:7].upper() == "SHA256:":
        compact = "SHA256:" + compact[7:]
    if not re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", compact):
        raise t.error(BAD_VALUE, n, "key_fingerprint", "应为 SHA256: 加 43 个字符（照密钥登记表填写）",
                      "must be SHA256: and 43 characters (as on the enrolment sheet)")
    if compact in seen:
        raise t.error(DUPLICATE, n, "key_fingerprint", f"与第 {seen[compact]} 行是同一把密钥：一把密钥只属于一位专家",
                      f"the same key as row {seen[compact]}: a key belongs to one expert")
    seen[compact] = n
    return compact


def _check_coverage(t: tb.Table, experts: list[Expert], proposals: dict[str, _ProposalRow]) -> None:
    for pid, p in proposals.items():
        if not any(pid in e.assigned and pid not in e.known_conflicts for e in experts):
            raise tb.fail(INCONSISTENT, f"{t.label_zh}：申报项目“{pid}”（proposals 第 {p.row} 行）没有分配任何可评审的专家",
                        f"{t.label_en}: proposal “{pid}” (proposals row {p.row}) has no expert who can score it")


def _check_panels(t: tb.Table, experts: list[Expert], panels: dict[str, str], rows: dict[str, int],
                  proposals: dict[str, _ProposalRow]) -> None:
    """With a 专家组 column: every expert in a panel, one chair per panel, each proposal in one panel."""
    for e in experts:
        if e.id not in panels:
            raise t.error(BAD_VALUE, rows[e.id], "panel", "填写了专家组时，每位专家都要填写所属专家组",
                          "when panels are given, every expert needs one")
    for panel in dict.fromkeys(panels.values()):
        members = [e for e in experts if panels[e.id] == panel]
        chairs = [rows[e.id] for e in members if e.chair]
        if len(chairs) != 1:
            where = "、".join(str(c) for c in chairs) or "无"
            raise tb.fail(INCONSISTENT, f"{t.label_zh}：专家组“{panel}”应恰好有一位组长（现为第 {where} 行）",
                        f"{t.label_en}: panel “{panel}” needs exactly one chair (rows: {where})")
    for pid, p in proposals.items():
        owners = sorted({panels[e.id] for e in experts if pid in e.assigned})
        if len(owners) > 1:
            raise tb.fail(INCONSISTENT, f"{t.label_zh}：申报项目“{pid}”（proposals 第 {p.row} 行）分给了多个专家组（{'、'.join(owners)}）",
                        f"{t.label_en}: proposal “{pid}” (proposals row {p.row}) is assigned to several panels "
                        f"({', '.join(owners)})")
    _check_coverage(t, experts, proposals)


# ── documents ───────────────────────────────────────────────────────────────────────────────

def document_member_name(stem: str, taken: set[str]) -> str:
    """A safe lowercase member name for a PDF (建设方案 → plan); unique within `taken`."""
    stem = unicodedata.normalize("NFC", stem).strip()
    base = DOCUMENT_NAMES.get(stem)
    if base is None:
        slug = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")
        base = slug[:50] if slug and _SAFE_STEM.match(slug[:50]) else "document"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}-{i}", i + 1
    taken.add(name)
    return f"{name}.pdf"


def _documents(root: Path, proposals: dict[str, _ProposalRow]) -> dict[str, bytes]:
    folder = root / "proposals"
    documents: dict[str, bytes] = {}
    if not folder.exists():
        return documents
    for sub in sorted(folder.iterdir()):
        rel = f"proposals/{sub.name}"
        if sub.name.startswith(".") or sub.name.lower() in _IGNORED_FILES:
            continue
        if sub.is_symlink() or not sub.is_dir():
            raise tb.fail(BAD_DOCUMENT, f"{rel}：proposals 下只能放以申报项目编号命名的文件夹",
                        f"{rel}: only folders named after proposal ids may be in proposals/")
        if sub.name not in proposals:
            raise tb.fail(UNKNOWN_REF, f"{rel}：文件夹名“{sub.name}”不是申报项目编号", f"{rel}: “{sub.name}” is not a proposal id")
        taken: set[str] = set()
        files = sorted(sub.iterdir(), key=lambda p: (unicodedata.normalize("NFC", p.stem) != "建设方案", p.name))
        for f in files:
            frel = f"{rel}/{f.name}"
            if f.name.startswith(".") or f.name.lower() in _IGNORED_FILES:
                continue
            if f.is_symlink() or not f.is_file() or f.suffix.lower() != ".pdf":
                raise tb.fail(BAD_DOCUMENT, f"{frel}：只能放 PDF 文件", f"{frel}: only PDF files are allowed")
            size = f.stat().st_size
            if size == 0 or size > MAX_PDF_BYTES:
                raise tb.fail(BAD_DOCUMENT, f"{frel}：文件为空或超过 200 MB", f"{frel}: empty or larger than 200 MB")
            data = f.read_bytes()
            if b"%PDF-" not in data[:1024]:
                raise tb.fail(BAD_DOCUMENT, f"{frel}：不是 PDF 文件（缺少 %PDF- 文件头）", f"{frel}: not a PDF (no %PDF- header)")
            member = f"{rel}/{document_member_name(f.stem, taken)}"
            documents[member] = data
            title = unicodedata.normalize("NFC", f.stem).strip()[:200] or f.name
            proposals[sub.name].documents.append(Document(path=member, title=title))
    return documents


# ── the folder ──────────────────────────────────────────────────────────────────────────────

def _model(t_label: tuple[str, str], row: int, build: Callable[[], object]) -> object:
    try:
        return build()
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise tb.fail(BAD_VALUE, f"{t_label[0]} 第 {row} 行：{where} 不符合要求（{first['msg']}）",
                    f"{t_label[1]}, row {row}: {where} is invalid ({first['msg']})") from None


def read_source(src_dir: Path) -> BatchSpec:
    """Read and check a batch source folder; raises `SourceError` naming file, row and column."""
    root = Path(src_dir)
    if not root.is_dir():
        raise tb.fail(MISSING_FILE, f"{root}：文件夹不存在", f"{root}: no such folder")
    folder = tb.Folder(root)
    try:
        batch_t = folder.table("batch", ("batch", "批次"), required=True)
        proposals_t = folder.table("proposals", ("proposals", "申报项目"), required=True)
        budget_t = folder.table("budget", ("budget", "预算"), required=False)
        kpis_t = folder.table("kpis", ("kpis", "绩效指标", "考核指标"), required=False)
        na_t = folder.table("not_applicable", ("not_applicable", "不适用项"), required=False)
        experts_t = folder.table("experts", ("experts", "专家"), required=True)
        assert batch_t and proposals_t and experts_t
        info = _batch_info(batch_t)
        forms = _forms(root)
        proposals = _proposals(proposals_t, info, forms)
        if budget_t is not None:
            _budget(budget_t, proposals)
        if kpis_t is not None:
            _kpis(kpis_t, proposals, info.kind)
        if na_t is not None:
            _not_applicable(na_t, proposals, forms)
        experts, panels = _experts(experts_t, proposals)
    finally:
        folder.close()
    documents = _documents(root, proposals)
    pledge = _pledge(root)
    label = (proposals_t.label_zh, proposals_t.label_en)
    built = [_model(label, p.row, lambda p=p: Proposal(**p.values, budget=tuple(p.budget), kpis=tuple(p.kpis),  # type: ignore[misc]
                                                         documents=tuple(p.documents),
                                                         not_applicable=tuple(p.not_applicable)))
             for p in proposals.values()]
    used = sorted({fid for p in proposals.values() for fid in p.values["forms"]})  # type: ignore[attr-defined]
    return BatchSpec(batch_id=info.batch_id, title=info.title, kind=info.kind, agency_name=info.agency_name,
                     deadline=info.deadline, forms=[forms[f] for f in used], proposals=built,  # type: ignore[arg-type]
                     documents=documents, experts=experts, consolidation=None, panels=panels, pledge=pledge)
