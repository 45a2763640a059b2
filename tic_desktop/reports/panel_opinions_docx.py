"""panel_opinions.docx: the 专家组意见 of a batch as a Word document the agency edits and files.

One opinion per proposal × form, each starting on a new page, in the consolidated report's order:
the title, the proposal and form, the meeting (date, place, mode), the sentence naming the deputy
where the chair stands aside (组长回避), the five sections (一、总体评价 … 五、结论; an empty section
as blank lines to type into), 保留意见 (“无” when the opinion is written and unanimous), then the
signature table: 组长 (or 副组长 presiding), every member who scored the proposal, each with 工作单位,
职称 and an empty 签字 cell, and the date line. Styled by `reports.docx_official` (仿宋/黑体/小标宋, A4,
GB/T 9704 margins, page numbers).
"""

from __future__ import annotations

from collections.abc import Sequence

from tic_desktop.core.cohort import TYPE_ZH
from tic_desktop.core.consolidation import ProposalResult
from tic_desktop.core.panel_opinion import DISSENT, SECTIONS, PanelOpinion
from tic_desktop.reports import docx_official as dx
from tic_desktop.reports.report_data import ReportData

NUMERALS = "一二三四五六七八九十"
FILE_NAME = "panel_opinions.docx"


def aside_sentence(report: ReportData, r: ProposalResult) -> str:
    """The chair-stands-aside sentence of a proposal ("" when the chair presides), as the PDF prints it."""
    who = report.presiding(r.conflicted)
    if not who.deputy:
        return ""
    deputy = next((e.name for e in report.experts if e.id == who.expert_id), None)
    return (f"专家组组长回避本项目，由副组长{deputy}主持评议并签署专家组意见。" if deputy
            else "专家组组长回避本项目，尚未指定主持评议的副组长。")


def signature_rows(report: ReportData, r: ProposalResult) -> list[list[str]]:
    """[角色, 姓名, 工作单位, 职称, 签字]: the presiding chair (or deputy) first, then every member who
    scored the proposal on this form; the 签字 column is left for the pen."""
    who = report.presiding(r.conflicted)
    person = next((e for e in report.experts if e.id == who.expert_id), None)
    rows = [["专家组职务", "姓名", "工作单位", "职称", "签字"]]
    opinion = report.opinions.get((r.proposal_id, r.form_id))
    chair_name = person.name if person else (opinion.chair_name if opinion is not None else "")
    rows.append(["副组长（主持）" if who.deputy else "组长", chair_name,
                 person.unit if person else "", person.title if person else "", ""])
    for e in r.experts:
        if person is not None and e.expert_id == person.id:
            continue
        try:
            info = report.expert(e.expert_id)
            unit, title = info.unit, info.title
        except KeyError:
            unit = title = ""
        rows.append(["成员", e.expert_name, unit, title, ""])
    return rows


def _meeting_line(report: ReportData) -> str:
    m = report.meeting
    if m is None:
        return "评审日期：______年____月____日　　评审地点：____________"
    return (f"评审日期：{m.date or '______年____月____日'}　　评审地点：{m.place or '____________'}"
            f"　　评审方式：{m.mode_label.zh}")


def _opinion(doc: dx.OfficialDocument, report: ReportData, r: ProposalResult, opinion: PanelOpinion | None) -> None:
    form = report.forms[r.form_id]
    dx.title(doc, "专家组意见", after=6)
    kind = TYPE_ZH.get(r.center_type, "")
    dx.paragraph(doc, f"{r.proposal_id}　{r.center_name}", font=dx.KAITI, align="center")
    dx.paragraph(doc, form.title.zh + (f"　·　{kind}" if kind else ""), font=dx.KAITI, size=14, align="center",
                 after=6)
    dx.paragraph(doc, _meeting_line(report), size=14, align="left", after=6)
    aside = aside_sentence(report, r)
    if aside:
        dx.paragraph(doc, aside, indent=True)
    for i, (name, heading) in enumerate(SECTIONS):
        dx.heading(doc, f"{NUMERALS[i]}、{heading.zh}")
        text = opinion.section(name).strip() if opinion is not None else ""
        if text:
            for line in text.splitlines():
                if line.strip():
                    dx.paragraph(doc, line.strip(), indent=True)
        else:
            for _ in range(2 if name == "conclusion" else 3):
                dx.paragraph(doc, "", indent=True)
    dissent = opinion.dissent.strip() if opinion is not None else ""
    written = dissent or (opinion is not None and not opinion.is_empty)
    dx.heading(doc, f"{NUMERALS[len(SECTIONS)]}、{DISSENT.zh}" + ("" if written else "（署名）"))
    if written:
        for line in (dissent or "无").splitlines():
            if line.strip():
                dx.paragraph(doc, line.strip(), indent=True)
    else:
        dx.paragraph(doc, "", indent=True)
    dx.paragraph(doc, "专家组签字", font=dx.HEITI, align="left", before=10, after=4)
    dx.table(doc, signature_rows(report, r), (34, 24, 46, 26, 26), center_cols=(0, 1, 3))
    dx.paragraph(doc, "______年____月____日", align="right", before=14)


def ordered(report: ReportData) -> list[ProposalResult]:
    """Proposal by proposal in the order of the first form's ranking (as the consolidated PDF), each
    proposal's forms together."""
    results = report.consolidation.results
    order = list(dict.fromkeys(r.proposal_id for r in results))
    return sorted(results, key=lambda r: order.index(r.proposal_id))


def render_panel_opinions_docx(report: ReportData, results: Sequence[ProposalResult] | None = None) -> bytes:
    """The .docx bytes: one opinion per proposal × form (`results`: a subset, default all)."""
    doc = dx.new_document(title=f"专家组意见 {report.batch_id}", author=report.agency_name)
    chosen = list(results) if results is not None else ordered(report)
    if not chosen:
        dx.title(doc, "专家组意见")
        dx.paragraph(doc, f"批次 {report.batch_id} 尚无汇总结果。", indent=True)
    for n, r in enumerate(chosen):
        if n:
            dx.page_break(doc)
        _opinion(doc, report, r, report.opinions.get((r.proposal_id, r.form_id)))
    return dx.to_bytes(doc)


def write_panel_opinions_docx(path: object, report: ReportData, *, mode: int | None = 0o644) -> None:
    from tic_desktop.core.atomic import atomic_write

    atomic_write(path, render_panel_opinions_docx(report), verify=dx.check_docx, mode=mode)
