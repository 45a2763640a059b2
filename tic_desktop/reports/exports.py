"""The agency's result files: results.csv, scores.csv, results.xlsx (and, through reports, the PDF,
signed by the agency (PAdES) when a document signer is given, and panel_opinions.docx).

- results.csv: one row per proposal × form, sorted by form (batch order), center type, then rank:
  proposal_id, center_name, form_id, valid_sheets, final_score, rank, tie, conclusion,
  conclusion_label, outcome, award, flags, center_type, policy, conclusion_reasons. `rank` is within the
  cohort (form and center type); `policy` is `pass`, `n/a` (the subsidy limits do not apply to the center
  type) or the failed check codes separated by `;`; `conclusion_reasons`: per expert whose conclusion
  differs from the band of their total (flag `conclusion.differs_from_band:<expert_id>`) the sentence
  naming both and the expert's reason, joined by `；` (empty when none differs).
- scores.csv: every score, so that each final score can be recomputed by hand from this file
  alone. Per expert, proposal and form one row per criterion (score, or NA when the criterion did
  not apply to the expert; `max` = the criterion's maximum) and then one row with
  criterion_id=`total`: `raw_total` = the sum of the scores, `max` = the sum of the maxima of the
  scored criteria, `total` = raw_total ÷ max × 100 rounded half up (= raw_total when nothing was
  NA), `dropped` = highest / lowest / empty, `method` = how the final score was taken from the
  totals whose `dropped` is empty (trimmed_mean and mean: their mean; median: their median),
  rounded half up to 2 decimals. For a role-split form (`method` = itemwise_<method>) the
  criterion rows carry `dropped` per item instead: final = Σ over criteria of the mean (median) of
  the scores whose `dropped` is empty, ÷ the sum of the maxima of the criteria anyone scored × 100
  (= the sum when that is 100), rounded half up to 2 decimals once.
- results.xlsx: a summary sheet and one sheet per proposal × form, set up for printing on A4.

Numbers are written as fixed decimal strings from Decimal (never through float). Both CSV files are
UTF-8 with a byte-order mark: without it Excel on Chinese Windows reads UTF-8 as GBK and garbles
the Chinese names. Every file goes through core.atomic.atomic_write with a check of the file
written (re-read and compared) before it replaces the old one, and lands readable by others
(0644 on POSIX: these files are handed on; atomic_write's temp files are 0600).

Every cell is inert (reports.inert): text beginning with =, +, -, @, tab or CR gets a leading `'`
(OWASP), fixed decimal numbers excepted, and every xlsx string is a string cell, never a formula.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.consolidation import ProposalResult
from tic_desktop.core.forms import FormTemplate
from tic_desktop.reports.inert import inert_row, set_cell
from tic_desktop.reports.report_data import ReportData

Progress = Callable[[int, int], None]

RESULTS_COLUMNS = ("proposal_id", "center_name", "form_id", "valid_sheets", "final_score", "rank", "tie",
                   "conclusion", "conclusion_label", "outcome", "award", "flags", "center_type", "policy",
                   "conclusion_reasons")
SCORES_COLUMNS = ("expert_id", "expert_name", "proposal_id", "form_id", "criterion_id", "score", "max",
                  "raw_total", "total", "dropped", "method")
TOTAL = "total"
NOT_APPLICABLE = "NA"
FILE_NAMES = ("consolidated.pdf", "results.xlsx", "results.csv", "scores.csv", "panel_opinions.docx")
FORM_SHORT = {"feasibility_review": "方案论证", "rd_capacity_project": "研发能力", "term_end_evaluation": "总结评估",
              "periodic_assessment": "评估考核"}
DROPPED_ZH = {"highest": "去掉最高分", "lowest": "去掉最低分"}
SHARED_MODE = 0o644
"""POSIX mode of the files written here: they are meant to be handed on (mail, a shared folder)."""


def dec(value: Decimal | None) -> str:
    """A Decimal as fixed-point text ('91.20'); '' for None."""
    return "" if value is None else format(value, "f")


def ordered_results(report: ReportData) -> list[ProposalResult]:
    """Results by form (in the order forms appear) then rank; unranked last."""
    forms = list(dict.fromkeys(r.form_id for r in report.consolidation.results))
    types = list(dict.fromkeys(r.center_type for r in report.consolidation.results))
    return sorted(report.consolidation.results,
                  key=lambda r: (forms.index(r.form_id), types.index(r.center_type), r.rank is None, r.rank or 0,
                                 r.proposal_id))


def _csv_bytes(header: Sequence[str], rows: Sequence[Sequence[str]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(inert_row(list(row)) for row in rows)  # no cell a spreadsheet would run as a formula
    return buf.getvalue().encode("utf-8-sig")  # BOM: Excel on Windows then reads UTF-8, not GBK


def _csv_check(expected: bytes) -> Callable[[Path], None]:
    def verify(path: Path) -> None:
        data = Path(path).read_bytes()
        if data != expected:
            raise ValueError("the CSV file read back differs from what was written")
        text = data.decode("utf-8-sig")
        list(csv.reader(io.StringIO(text)))

    return verify


def band_reasons(r: ProposalResult, lang: str = "zh") -> str:
    """The experts whose conclusion differs from the band of their own total, each with their reason."""
    return "；".join(f.zh if lang.startswith("zh") else f.en for f in r.flags
                     if f.code == "conclusion.differs_from_band")


def results_rows(report: ReportData) -> list[list[str]]:
    rows = []
    for r in ordered_results(report):
        rows.append([
            r.proposal_id, r.center_name, r.form_id, str(r.valid_sheets), dec(r.final_score),
            "" if r.rank is None else str(r.rank), "true" if r.tie else "false", r.conclusion or "",
            r.conclusion_label.zh if r.conclusion_label else "", r.outcome.zh if r.outcome else "", dec(r.award),
            ";".join(f.code if f.subject is None else f"{f.code}:{f.subject}" for f in r.flags),
            r.center_type, r.policy.code, band_reasons(r, "zh"),
        ])
    return rows


def scores_rows(report: ReportData) -> list[list[str]]:
    rows = []
    for r in ordered_results(report):
        form = report.forms[r.form_id]
        by_id = {c.criterion_id: c for c in r.criteria}
        method = f"itemwise_{r.method}" if r.itemwise else r.method
        for e in r.experts:
            applicable_max = Decimal(0)
            for c in form.criteria:
                cr = by_id.get(c.id)
                score = cr.scores.get(e.expert_id) if cr is not None else None
                if score is not None:
                    applicable_max += c.max
                item_dropped = cr.dropped.get(e.expert_id, "") if cr is not None and score is not None else ""
                rows.append([e.expert_id, e.expert_name, r.proposal_id, r.form_id, c.id,
                             NOT_APPLICABLE if score is None else dec(score), dec(c.max), "", "", item_dropped, ""])
            rows.append([e.expert_id, e.expert_name, r.proposal_id, r.form_id, TOTAL, "", dec(applicable_max),
                         dec(e.raw_total), dec(e.total), e.dropped or "", method])
    return rows


def write_results_csv(path: Path, report: ReportData) -> None:
    data = _csv_bytes(RESULTS_COLUMNS, results_rows(report))
    atomic_write(Path(path), data, verify=_csv_check(data), mode=SHARED_MODE)


def write_scores_csv(path: Path, report: ReportData) -> None:
    data = _csv_bytes(SCORES_COLUMNS, scores_rows(report))
    atomic_write(Path(path), data, verify=_csv_check(data), mode=SHARED_MODE)


# ── xlsx ───────────────────────────────────────────────────────────────────────────────────

_THIN = Side(style="thin", color="666666")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_HEAD_FILL = PatternFill("solid", fgColor="EDEDED")
_DROP_FILL = PatternFill("solid", fgColor="D9D9D9")
_TITLE = Font(name="SimSun", size=14, bold=True)
_BOLD = Font(name="SimSun", size=10, bold=True)
_BODY = Font(name="SimSun", size=10)
_GREY = Font(name="SimSun", size=10, color="777777")
_CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
_LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
_TWO = "0.00"
_BAD_SHEET_CHARS = re.compile(r"[\[\]:*?/\\]")


def sheet_title(name: str, taken: set[str]) -> str:
    """An Excel sheet name: at most 31 characters, none of []:*?/\\, unique (case-insensitive)."""
    base = _BAD_SHEET_CHARS.sub("_", name).strip("'")[:31] or "Sheet"
    title, n = base, 1
    while title.lower() in taken:
        n += 1
        suffix = f"~{n}"
        title = base[: 31 - len(suffix)] + suffix
    taken.add(title.lower())
    return title


def _print_setup(ws: Worksheet, header_rows: str, landscape: bool) -> None:
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = header_rows
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    ws.oddFooter.center.text = "第 &P 页 共 &N 页"
    ws.oddHeader.center.text = "&A"


def _cell(ws: Worksheet, row: int, col: int, value: object, *, font: Font = _BODY, align: Alignment = _CENTER,
          fill: PatternFill | None = None, number: bool = False) -> None:
    c = set_cell(ws, row, col, value)
    c.font, c.alignment, c.border = font, align, _BOX
    if fill is not None:
        c.fill = fill
    if number:
        c.number_format = _TWO


SUMMARY_HEADER = ("评分表", "排名", "项目编号", "中心名称", "有效评分表", "最终得分", "结论", "处理意见", "奖励（元）", "备注",
                  "中心类型", "财政补助政策核查")
TYPE_ZH = {"comprehensive": "综合性技术创新中心", "professional": "专业性技术创新中心", "engineering": "工程技术研究中心"}


def _summary(ws: Worksheet, report: ReportData) -> None:
    ws.title = "汇总"
    set_cell(ws, 1, 1, f"{report.title.zh}　专家评审结果汇总").font = _TITLE
    set_cell(ws, 2, 1, f"{report.agency_name}　批次 {report.batch_id}　生成于 "
                       f"{report.generated_at.replace('T', ' ')}").font = _BODY
    for i, h in enumerate(SUMMARY_HEADER, 1):
        _cell(ws, 3, i, h, font=_BOLD, fill=_HEAD_FILL)
    row = 4
    for r in ordered_results(report):
        form = report.forms[r.form_id]
        notes = "；".join(f.zh for f in r.flags)
        values: list[object] = [form.title.zh, "" if r.rank is None else (f"{r.rank}（并列）" if r.tie else r.rank),
                                r.proposal_id, r.center_name, r.valid_sheets, r.final_score,
                                r.conclusion_label.zh if r.conclusion_label else "待定",
                                r.outcome.zh if r.outcome else "", r.award, notes,
                                TYPE_ZH.get(r.center_type, r.center_type), r.policy.summary("zh")]
        for i, v in enumerate(values, 1):
            _cell(ws, row, i, v, align=_LEFT if i in (1, 4, 8, 10, 12) else _CENTER, number=i == 6)
        if r.award is not None:
            ws.cell(row=row, column=9).number_format = "#,##0"
        row += 1
    for i, w in enumerate((26, 9, 12, 30, 10, 10, 10, 30, 11, 40, 18, 40), 1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A4"
    ws.auto_filter.ref = f"A3:{get_column_letter(len(SUMMARY_HEADER))}{max(3, row - 1)}"
    _print_setup(ws, "1:3", landscape=True)


def _proposal_sheet(ws: Worksheet, report: ReportData, r: ProposalResult, form: FormTemplate) -> None:
    experts = r.experts
    ncol = 3 + len(experts) + 1
    set_cell(ws, 1, 1, f"{r.proposal_id}　{r.center_name}").font = _TITLE
    set_cell(ws, 2, 1, f"{form.title.zh}　评分汇总表").font = _BOLD
    concl = r.conclusion_label.zh if r.conclusion_label else "待定"
    set_cell(ws, 3, 1, f"最终得分 {dec(r.final_score)}　排名 {r.rank if r.rank is not None else '—'}"
                       f"{'（并列）' if r.tie else ''}　结论 {concl}　有效评分表 {r.valid_sheets} 份").font = _BODY
    head = 5
    header = ["序号", "指标", "分值"] + [
        e.expert_name + ("\n〔去高〕" if e.dropped == "highest" else "\n〔去低〕" if e.dropped == "lowest" else "")
        + ("\n离群" if e.outlier else "") for e in experts] + ["平均"]
    for i, h in enumerate(header, 1):
        _cell(ws, head, i, h, font=_BOLD, fill=_HEAD_FILL)
    by_id = {c.criterion_id: c for c in r.criteria}
    row = head + 1
    for c in form.criteria:
        cr = by_id.get(c.id)
        _cell(ws, row, 1, c.id)
        _cell(ws, row, 2, c.label.zh, align=_LEFT)
        _cell(ws, row, 3, c.max, number=False)
        for j, e in enumerate(experts):
            score = cr.scores.get(e.expert_id) if cr is not None else None
            _cell(ws, row, 4 + j, score if score is not None else "—", number=score is not None,
                  font=_GREY if e.dropped else _BODY, fill=_DROP_FILL if e.dropped else None)
        _cell(ws, row, ncol, cr.mean if cr is not None else None, number=True)
        row += 1
    _cell(ws, row, 1, "合计", font=_BOLD, fill=_HEAD_FILL)
    ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=2)
    _cell(ws, row, 3, 100, fill=_HEAD_FILL)
    for j, e in enumerate(experts):
        _cell(ws, row, 4 + j, e.total, number=True, font=_GREY if e.dropped else _BOLD,
              fill=_DROP_FILL if e.dropped else _HEAD_FILL)
    _cell(ws, row, ncol, r.final_score, number=True, font=_BOLD, fill=_HEAD_FILL)
    last_table_row = row
    row += 2
    lines = [("计算过程", r.calculation.zh)] + [("提示", f.zh) for f in r.flags]
    if r.policy.applies:
        lines.append(("政策核查", r.policy.summary("zh")))
    if r.suggested_subsidy is not None:
        lines.append(("建议补助", r.suggested_subsidy.text("zh")))
    if r.restructure is not None:
        lines.append(("撤并转", r.restructure.text("zh")))
    if r.conflicted:
        lines.append(("回避", "、".join(_expert_name(report, x) for x in r.conflicted)))
    if r.missing:
        lines.append(("未提交", "、".join(_expert_name(report, x) for x in r.missing)))
    for v in r.vetoes:
        d = v.decision
        state = "待组长确认" if d is None else ("确认成立" if d.confirmed else "不予采纳") + f"：{d.reason}"
        lines.append(("否决项", f"{v.label.zh}（{state}）"))
    for key, text in lines:
        set_cell(ws, row, 1, key).font = _BOLD
        c = set_cell(ws, row, 2, text)
        c.font, c.alignment = _BODY, _LEFT
        ws.merge_cells(start_row=row, start_column=2, end_row=row, end_column=ncol)
        ws.row_dimensions[row].height = 15 * max(1, len(text) // 60 + 1)
        row += 1
    ws.column_dimensions["A"].width = 6
    ws.column_dimensions["B"].width = 30
    ws.column_dimensions["C"].width = 6
    for j in range(len(experts)):
        ws.column_dimensions[get_column_letter(4 + j)].width = 9
    ws.column_dimensions[get_column_letter(ncol)].width = 9
    ws.row_dimensions[head].height = 42
    ws.freeze_panes = ws.cell(row=head + 1, column=3)
    ws.print_area = f"A1:{get_column_letter(ncol)}{max(last_table_row, row - 1)}"
    _print_setup(ws, f"{head}:{head}", landscape=ncol > 11)


def _expert_name(report: ReportData, expert_id: str) -> str:
    try:
        return report.expert(expert_id).name
    except KeyError:
        return expert_id


def proposal_sheet_names(report: ReportData) -> list[str]:
    """The per proposal × form sheet names, in ordered_results order (after the summary sheet)."""
    taken = {"汇总"}
    return [sheet_title(f"{r.proposal_id} {FORM_SHORT.get(r.form_id, r.form_id)}", taken)
            for r in ordered_results(report)]


def results_workbook(report: ReportData) -> bytes:
    wb = Workbook()
    _summary(wb.active, report)
    for name, r in zip(proposal_sheet_names(report), ordered_results(report), strict=True):
        _proposal_sheet(wb.create_sheet(name), report, r, report.forms[r.form_id])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_check(sheets: int) -> Callable[[Path], None]:
    def verify(path: Path) -> None:
        with open(path, "rb") as fh:  # a file object: openpyxl refuses the temp file's .part name
            wb = load_workbook(fh, read_only=True)
            try:
                if len(wb.sheetnames) != sheets:
                    raise ValueError(f"expected {sheets} sheets, found {len(wb.sheetnames)}")
            finally:
                wb.close()

    return verify


def write_results_xlsx(path: Path, report: ReportData) -> None:
    atomic_write(Path(path), results_workbook(report),
                 verify=_xlsx_check(1 + len(report.consolidation.results)), mode=SHARED_MODE)


def write_all(out_dir: Path, report: ReportData, progress: Progress | None = None, *,
              signer: Any = None) -> list[Path]:
    """Write consolidated.pdf, results.xlsx, results.csv, scores.csv and panel_opinions.docx into
    `out_dir` (created if absent); returns their paths. `signer`: the agency's
    `formats.docsign.DocumentSigner` — consolidated.pdf is then signed (PAdES B-B) before it is
    written; None writes it unsigned. `progress(done, total)`: one step per proposal of the PDF,
    then one per other file; `done` only ever grows (each value reported once) and ends at `total`."""
    from tic_desktop.reports.consolidated_pdf import write_consolidated_pdf
    from tic_desktop.reports.panel_opinions_docx import write_panel_opinions_docx

    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    n = len({r.proposal_id for r in report.consolidation.results})
    total = n + len(FILE_NAMES) - 1
    reported = -1

    def step(done: int) -> None:
        nonlocal reported
        if progress is not None and done > reported:
            reported = done
            progress(done, total)

    paths = [out / name for name in FILE_NAMES]
    write_consolidated_pdf(paths[0], report, (lambda d, _t: step(d)) if progress is not None else None,
                           mode=SHARED_MODE, signer=signer)
    step(n)  # a no-op when the PDF reported its last proposal already
    write_results_xlsx(paths[1], report)
    step(n + 1)
    write_results_csv(paths[2], report)
    step(n + 2)
    write_scores_csv(paths[3], report)
    step(n + 3)
    write_panel_opinions_docx(paths[4], report, mode=SHARED_MODE)
    step(n + 4)
    return paths
