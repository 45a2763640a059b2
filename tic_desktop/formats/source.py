"""The batch source folder (what the agency prepares) → `BatchSpec` for `formats.batch.write_batch`.

Layout and column names: docs/contracts.md ("Batch source folder"). Tables are CSV (UTF-8, with
or without BOM, as Excel's "CSV UTF-8" writes) or XLSX; headers in Chinese or English. Every
mistake raises `SourceError` whose detail names the file, the row (as the spreadsheet numbers
it, header = row 1) and the column (as written in the file), in Chinese (`detail`) and English
(`detail_en`, used by `text("en")`).

The tables are read by formats.source_proposals (batch, proposals, budget, KPIs, not applicable)
and formats.source_experts, the PDFs and the pledge text by formats.source_files; the spreadsheet
reader itself is formats.table. Their public names are importable from here as before.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import ValidationError

from tic_desktop.core.form_library import builtin_forms, load_form
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.proposal import Proposal
from tic_desktop.formats import table as tb
from tic_desktop.formats.batch import BatchSpec
from tic_desktop.formats.source_experts import EXPERT_COLS, read_experts
from tic_desktop.formats.source_files import (
    BAD_DOCUMENT,
    DOCUMENT_NAMES,
    MAX_PDF_BYTES,
    PLEDGE_FILES,
    document_member_name,
    read_documents,
    read_pledge,
)
from tic_desktop.formats.source_proposals import (
    BATCH_KEYS,
    BUDGET_COLS,
    INCONSISTENT,
    KPI_COLS,
    NA_COLS,
    PROPOSAL_COLS,
    UNKNOWN_REF,
    read_batch_info,
    read_budget,
    read_kpis,
    read_not_applicable,
    read_proposals,
)
from tic_desktop.formats.table import BAD_VALUE, MISSING_FILE

__all__ = [
    "BAD_DOCUMENT", "BATCH_KEYS", "BUDGET_COLS", "DOCUMENT_NAMES", "EXPERT_COLS", "INCONSISTENT", "KPI_COLS",
    "MAX_PDF_BYTES", "NA_COLS", "PLEDGE_FILES", "PROPOSAL_COLS", "UNKNOWN_REF", "document_member_name", "read_source",
]


def _forms(root: Path) -> dict[str, FormTemplate]:
    """Built-in forms, overridden or extended by SRC/forms/*.json (a custom or changed form)."""
    forms = dict(builtin_forms())
    custom = root / "forms"
    if custom.is_dir():
        for path in sorted(custom.glob("*.json")):
            form = load_form(path)  # raises FormInvalid with the JSON path
            forms[form.id] = form
    return forms


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
        info = read_batch_info(batch_t)
        forms = _forms(root)
        proposals = read_proposals(proposals_t, info, forms)
        if budget_t is not None:
            read_budget(budget_t, proposals)
        if kpis_t is not None:
            read_kpis(kpis_t, proposals, info.kind)
        if na_t is not None:
            read_not_applicable(na_t, proposals, forms)
        experts, panels = read_experts(experts_t, proposals)
    finally:
        folder.close()
    documents = read_documents(root, proposals)
    pledge = read_pledge(root)
    label = (proposals_t.label_zh, proposals_t.label_en)
    built = [_model(label, p.row, lambda p=p: Proposal(**p.values, budget=tuple(p.budget), kpis=tuple(p.kpis),  # type: ignore[misc]
                                                         documents=tuple(p.documents),
                                                         not_applicable=tuple(p.not_applicable)))
             for p in proposals.values()]
    used = sorted({fid for p in proposals.values() for fid in p.values["forms"]})  # type: ignore[attr-defined]
    return BatchSpec(batch_id=info.batch_id, title=info.title, kind=info.kind, agency_name=info.agency_name,
                     deadline=info.deadline, forms=[forms[f] for f in used], proposals=built,  # type: ignore[arg-type]
                     documents=documents, experts=experts, consolidation=None, panels=panels, pledge=pledge)
