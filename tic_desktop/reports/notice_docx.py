"""The 公示 notice as a Word document: the notice text, then the list (附件) of centers and results.

    render_notice_docx(rows, notice, title=…, agency=…, date=…) -> bytes

`rows` are `NoticeRow`s (中心名称, 依托单位, 中心类型, 评估结果 / 处理意见, 奖励); `notice_rows_from_round`
makes them from a round's report (official rank, conclusion and award), `notice_rows_from_batch`
from one batch's consolidation (its own ranking) — the same document for either. `notice` is the
text the agency edited, one paragraph per line (a line “附件：…” is added when the text names none).
Layout as an official document (reports.docx_official): the title in 小标宋, the text in 仿宋 with
two-character indents, the agency and date at the right, then on a new page “附件” (黑体), the list's
title and the table (its header row repeated on every page).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from tic_desktop.core.cohort import TYPE_ZH
from tic_desktop.reports import docx_official as dx

FILE_NAME = "publication.docx"
LIST_TITLE = "评估结果公示名单"
DEFAULT_NOTICE = (
    "根据天津市技术创新中心评估工作安排，经专家评审，现将评估结果予以公示（见附件）。\n"
    "公示期为自发布之日起 5 个工作日。公示期间，如对公示结果有异议，请以书面形式向我单位提出，并提供必要的证明材料。"
    "单位提出异议的须加盖公章，个人提出异议的须署真实姓名并提供联系方式。\n"
    "联系人：__________　　联系电话：__________"
)


@dataclass(frozen=True)
class NoticeRow:
    center_name: str
    lead_unit: str
    """依托单位."""
    center_type: str
    """The type's code (comprehensive/professional/engineering) or its Chinese name."""
    result: str
    """评估结果 (优秀/良好/… and the 处理意见 where there is one)."""
    award: Decimal | None = None
    """奖励 in 元 (None: none / not applicable)."""
    rank: int | None = None
    group: str = ""
    """The list's section (e.g. "定期评估 · 专业性技术创新中心"): rows of one group are numbered and tabled
    together under that heading ("" for one plain list)."""


def award_text(award: Decimal | None) -> str:
    if award is None:
        return "—"
    return f"{int(award):,}" if award == award.to_integral_value() else f"{award:,.2f}"


def _result(label: Any, outcome: Any) -> str:
    grade = label.zh if label is not None else "待定"
    extra = outcome.zh if outcome is not None else ""
    return grade if not extra or extra == grade else f"{grade}（{extra}）"


def notice_rows_from_round(report: Any) -> list[NoticeRow]:
    """One row per proposal × form of a `core.round_results.RoundReport`, in round.csv order (official)."""
    return [NoticeRow(r.center_name, r.lead_unit, r.center_type, _result(r.conclusion_label, r.outcome), r.award,
                      r.round_rank) for r in report.results.rows]


def notice_rows_from_batch(report: Any) -> list[NoticeRow]:
    """One row per proposal × form of one batch's `reports.report_data.ReportData`, by its ranking."""
    units = {}
    for item in report.inputs:
        if item.proposal is not None:
            units[item.proposal_id] = item.proposal.lead_unit
    forms = list(dict.fromkeys(r.form_id for r in report.consolidation.results))
    types = list(dict.fromkeys(r.center_type for r in report.consolidation.results))
    results = sorted(report.consolidation.results,
                     key=lambda r: (forms.index(r.form_id), types.index(r.center_type), r.rank is None, r.rank or 0,
                                    r.proposal_id))
    return [NoticeRow(r.center_name, units.get(r.proposal_id, ""), r.center_type,
                      _result(r.conclusion_label, r.outcome), r.award, r.rank) for r in results]


def render_notice_docx(rows: Sequence[NoticeRow], notice: str = "", *, title: str = "评估结果公示", agency: str = "",
                       date: str = "", list_title: str = LIST_TITLE, signature: Sequence[str] = ()) -> bytes:
    """The 公示 notice .docx: `notice` (default `DEFAULT_NOTICE`), the agency and date (or the
    `signature` lines the notice text ended with) at the right, then the list, per group."""
    doc = dx.new_document(title=title, author=agency)
    dx.title(doc, title)
    text = (notice or DEFAULT_NOTICE).strip()
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    for line in lines:
        dx.paragraph(doc, line, indent=True)
    if not any(ln.startswith("附件") for ln in lines):
        dx.paragraph(doc, f"附件：{list_title}", indent=True, before=16)
    for k, line in enumerate(signature or (agency or "（单位名称）", date or "______年____月____日")):
        dx.paragraph(doc, line, align="right", before=32 if k == 0 else 0)
    dx.page_break(doc)
    dx.paragraph(doc, "附件", font=dx.HEITI, align="left", after=8)
    dx.title(doc, list_title)
    groups: dict[str, list[NoticeRow]] = {}
    for r in rows:
        groups.setdefault(r.group, []).append(r)
    for name, members in groups.items():
        if name:
            dx.paragraph(doc, f"{name}（{len(members)} 项）", font=dx.HEITI, size=dx.TABLE_PT + 2, align="left",
                         before=8, after=4, keep_next=True)
        has_award = any(r.award is not None for r in members)
        head = ["序号", "中心名称", "依托单位", "中心类型", "评估结果"] + (["奖励（元）"] if has_award else [])
        widths = (12, 42, 42, 26, 34) if not has_award else (12, 38, 36, 24, 24, 22)
        body = [[str(i), r.center_name, r.lead_unit, TYPE_ZH.get(r.center_type, r.center_type), r.result]
                + ([award_text(r.award)] if has_award else []) for i, r in enumerate(members, 1)]
        dx.table(doc, [head, *body], widths, center_cols=(0, 3, 4, 5))
    return dx.to_bytes(doc)


def render_publication_docx(pub: Any) -> bytes:
    """The round's 公示 notice as .docx from `reports.publication.Publication`: its title, its body
    (the agency's notice, filled; the closing agency and date lines set at the right) and its groups."""
    body = [ln.strip() for ln in pub.body if ln.strip()]
    signature: list[str] = []
    if pub.agency and pub.agency in body[-2:]:  # the template ends with {agency} and {date}
        at = len(body) - 1 - body[::-1].index(pub.agency)
        body, signature = body[:at], body[at:]
    rows = [NoticeRow(r.center_name, r.lead_unit, r.center_type,
                      r.conclusion if not r.outcome or r.outcome == r.conclusion else f"{r.conclusion}（{r.outcome}）",
                      r.award, r.number, g.heading) for g in pub.groups for r in g.rows]
    return render_notice_docx(rows, "\n".join(body), title=pub.title, agency=pub.agency, signature=signature)


def write_publication_docx(out_dir: Path, report: Any) -> Path:
    """OUT_DIR/publication.docx of a `core.round_results.RoundReport` (via `reports.publication`)."""
    from tic_desktop.core.atomic import atomic_write  # noqa: PLC0415
    from tic_desktop.reports.publication import publication  # noqa: PLC0415

    path = Path(out_dir) / FILE_NAME
    atomic_write(path, render_publication_docx(publication(report)), verify=dx.check_docx, mode=0o644)
    return path


def write_notice_docx(path: object, rows: Sequence[NoticeRow], notice: str = "", **kw: Any) -> None:
    from tic_desktop.core.atomic import atomic_write

    atomic_write(path, render_notice_docx(rows, notice, **kw), verify=dx.check_docx, mode=0o644)
