"""round.csv (one row per proposal × form over the whole round) and reading a previous round's results
back from a round.csv or a panel's results.csv.

round.csv columns (README "The evaluation round"), by form, center type and official round rank:
  batch_id, proposal_id, center_name, center_type, form_id, final_score, panel_rank, round_rank,
  conclusion, award, normalised_score, normalised_rank, flags,
  lead_unit, conclusion_label, outcome, raw_rank, raw_conclusion, normalised_conclusion,
  previous_score, previous_conclusion, decision, decided_on, document_number
`conclusion`, `award`, `round_rank` are the official ones (after the 优秀 share over the cohort; the
normalised ones when the agency chose the normalised ranking). `flags`: codes separated by `;`.
UTF-8 with a byte order mark, CRLF, every text cell inert (reports.inert), numbers as fixed decimals.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.form_library import builtin_forms
from tic_desktop.core.round_cohort import is_rectify
from tic_desktop.core.round_results import PreviousResult, RoundResults
from tic_desktop.reports.inert import inert_row

ROUND_COLUMNS = ("batch_id", "proposal_id", "center_name", "center_type", "form_id", "final_score", "panel_rank",
                 "round_rank", "conclusion", "award", "normalised_score", "normalised_rank", "flags",
                 "lead_unit", "conclusion_label", "outcome", "raw_rank", "raw_conclusion", "normalised_conclusion",
                 "previous_score", "previous_conclusion", "decision", "decided_on", "document_number")
SHARED_MODE = 0o644

PREVIOUS_UNREADABLE = register(
    "round.previous_unreadable",
    "无法读取上一轮结果文件：应为 tic-desktop 导出的 results.csv 或 round.csv（UTF-8，含 center_name、form_id、"
    "final_score、conclusion 列）。",
    "The previous results file cannot be read: it should be a results.csv or round.csv written by tic-desktop "
    "(UTF-8, with the columns center_name, form_id, final_score, conclusion).")


def _dec(value: Decimal | None) -> str:
    return "" if value is None else format(value, "f")


def _int(value: int | None) -> str:
    return "" if value is None else str(value)


def round_rows(results: RoundResults) -> list[list[str]]:
    out = []
    for r in results.rows:
        p, d = r.previous, r.decision
        out.append([
            r.batch_id, r.proposal_id, r.center_name, r.center_type, r.form_id, _dec(r.final_score),
            _int(r.panel_rank), _int(r.round_rank), r.conclusion or "", _dec(r.award), _dec(r.normalised_score),
            _int(r.normalised_rank), ";".join(f.code if f.subject is None else f"{f.code}:{f.subject}" for f in r.flags),
            r.lead_unit, r.conclusion_label.zh if r.conclusion_label else "", r.outcome.zh if r.outcome else "",
            _int(r.raw_rank), r.raw_conclusion or "", r.normalised_conclusion or "",
            _dec(p.final_score) if p else "", (p.conclusion or "") if p else "",
            d.decision if d else "", d.decided_on if d else "", d.document_number if d else "",
        ])
    return out


def round_csv_bytes(results: RoundResults) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(ROUND_COLUMNS)
    w.writerows(inert_row(row) for row in round_rows(results))
    return buf.getvalue().encode("utf-8-sig")


def write_round_csv(path: Path, results: RoundResults) -> Path:
    data = round_csv_bytes(results)

    def verify(written: Path) -> None:
        if Path(written).read_bytes() != data:
            raise ValueError("round.csv read back differs from what was written")

    atomic_write(Path(path), data, verify=verify, mode=SHARED_MODE)
    return Path(path)


def _uninert(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r") else text


def read_previous_csv(path: Path) -> list[PreviousResult]:
    """The results of a previous round from its round.csv or a panel's results.csv (`round.previous_unreadable`)."""
    try:
        text = Path(path).read_bytes().decode("utf-8-sig")
        rows = list(csv.DictReader(io.StringIO(text)))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise Rejected(PREVIOUS_UNREADABLE, f"{path}: {exc}") from None
    needed = {"center_name", "form_id", "final_score", "conclusion"}
    if not rows or not needed <= set(rows[0]):
        raise Rejected(PREVIOUS_UNREADABLE, f"{path}: columns {sorted(needed - set(rows[0] if rows else ()))}")
    forms = builtin_forms()
    out: list[PreviousResult] = []
    for n, row in enumerate(rows, start=2):
        try:
            score = Decimal(row["final_score"]) if row["final_score"] else None
            award = Decimal(row["award"]) if row.get("award") else None
        except InvalidOperation:
            raise Rejected(PREVIOUS_UNREADABLE, f"{path}, row {n}: {row['final_score']!r}") from None
        center_type = row.get("center_type", "")
        conclusion = row["conclusion"] or None
        outcome = _uninert(row.get("outcome", ""))
        out.append(PreviousResult(
            center_name=_uninert(row["center_name"]), proposal_id=row.get("proposal_id", ""), form_id=row["form_id"],
            center_type=center_type, final_score=score, conclusion=conclusion,
            conclusion_label=_uninert(row.get("conclusion_label", "")), outcome=outcome, award=award,
            source=Path(path).name, rectify=is_rectify(forms.get(row["form_id"]), center_type, conclusion, outcome)))
    return out

