"""round.xlsx: the round's tables for the agency's own work (`reports.round_outputs`).

Sheets (Chinese names, as the app and the printed report):
- 排名: one row per proposal × form in the order of round.csv — official round rank, panel (batch),
  proposal, center, 依托单位, center type, form, panel rank, final score, normalised score and rank,
  official conclusion, outcome, award, the raw and normalised rank and conclusion, the previous
  round's score and conclusion, the 市科技局's decision and the flags; a row whose conclusion
  differs under normalisation is shaded.
- 专家组: per panel and form the count, mean, spread, lowest and highest of the valid totals, the
  round's mean and the difference.
- 专家: per expert, panel and form the expert's mean total against the panel's, and the expert's
  normalisation parameters (n, mean m, standard deviation s over the round).
- 决定与异议: the 市科技局's decisions, then every 异议/复议 with its outcome.
Every string is an inert string cell (`reports.inert`), numbers are numbers.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from tic_desktop.core.cohort import TYPE_ZH
from tic_desktop.core.round_results import FLAG_NORMALISED_DIFFERS, OBJECTION_LABELS, RoundReport
from tic_desktop.reports.round_pdf import round_forms
from tic_desktop.reports.round_sections import conclusion_label
from tic_desktop.reports.xlsx_table import table, write_workbook

SHEETS = ("排名", "专家组", "专家", "决定与异议")
RANKING_HEADER = ("全轮排名", "专家组（批次）", "项目编号", "中心名称", "依托单位", "中心类型", "评分表", "组内排名",
                  "最终得分", "标准化得分", "标准化排名", "结论", "处理意见", "奖励（元）", "原始排名", "原始结论",
                  "标准化结论", "上轮得分", "上轮结论", "市科技局决定", "决定日期", "文号", "提示")


def round_workbook(report: RoundReport) -> Workbook:
    res = report.results
    forms = round_forms(report)
    wb = Workbook()
    ws = wb.active
    ws.title = SHEETS[0]
    rows, marked = [], []
    for r in res.rows:
        form = forms.get(r.form_id)
        if FLAG_NORMALISED_DIFFERS in r.flag_codes:
            marked.append(len(rows))
        d, p = r.decision, r.previous
        rows.append([r.round_rank, r.batch_id, r.proposal_id, r.center_name, r.lead_unit,
                     TYPE_ZH.get(r.center_type, r.center_type), form.title.zh if form else r.form_id, r.panel_rank,
                     r.final_score, r.normalised_score, r.normalised_rank,
                     r.conclusion_label.zh if r.conclusion_label else "待定", r.outcome.zh if r.outcome else "",
                     r.award, r.raw_rank, conclusion_label(form, r.raw_conclusion),
                     conclusion_label(form, r.normalised_conclusion), p.final_score if p else None,
                     (p.conclusion_label or p.conclusion or "") if p else "", d.decision if d else "",
                     d.decided_on if d else "", d.document_number if d else "", "；".join(f.zh for f in r.flags)])
    table(ws, RANKING_HEADER, rows, marked=marked,
          widths=(8, 18, 10, 28, 24, 14, 20, 8, 9, 10, 9, 8, 20, 10, 8, 8, 9, 9, 9, 18, 11, 16, 40))

    ws = wb.create_sheet(SHEETS[1])
    title = {k: f.title.zh for k, f in forms.items()}
    table(ws, ("专家组（批次）", "评分表", "有效总分数", "平均分", "标准差", "最低", "最高", "全轮平均分", "与全轮平均之差"),
          [[e.batch_id, title.get(e.form_id, e.form_id), e.n, e.mean, e.sd, e.minimum, e.maximum, e.round_mean,
            e.difference] for e in res.panels], widths=(20, 30, 10, 10, 10, 8, 8, 11, 13))

    ws = wb.create_sheet(SHEETS[2])
    scale = {(s.expert_id, s.form_id): s for s in res.normalisation.experts}
    rows = []
    for e in res.panels:
        for x in e.experts:
            s = scale.get((x.expert_id, e.form_id))
            rows.append([e.batch_id, title.get(e.form_id, e.form_id), x.expert_id, x.expert_name, x.n, x.mean,
                         x.panel_mean, x.difference, s.n if s else None, s.mean if s else None, s.sd if s else None])
    table(ws, ("专家组（批次）", "评分表", "专家编号", "专家", "评分数", "专家平均分", "本组最终得分平均", "差值",
               "标准化：全轮评分数", "标准化：专家平均分 m", "标准化：专家标准差 s"), rows,
          widths=(20, 30, 10, 12, 8, 11, 15, 9, 15, 18, 18))

    ws = wb.create_sheet(SHEETS[3])
    names = {(r.batch_id, r.proposal_id): r.center_name for r in res.rows}
    rows = [["决定", "", d.batch_id, d.proposal_id, names.get((d.batch_id, d.proposal_id), ""), d.decided_on,
             d.decision, d.document_number, "", "", ""] for d in res.decisions]
    rows += [[OBJECTION_LABELS[o.kind].zh, o.objection_id, o.batch_id, o.proposal_id,
              names.get((o.batch_id, o.proposal_id), ""), o.received_on, o.summary, "", o.submitted_by,
              o.outcome or "处理中", o.outcome_on] for o in res.objections]
    table(ws, ("记录", "编号", "专家组（批次）", "项目编号", "中心名称", "日期", "决定 / 内容", "文号", "提出人",
               "处理结果", "办结日期"), rows, widths=(8, 6, 18, 10, 28, 11, 40, 18, 14, 30, 11))
    return wb


def write_round_xlsx(path: Path, report: RoundReport) -> Path:
    return write_workbook(path, round_workbook(report))
