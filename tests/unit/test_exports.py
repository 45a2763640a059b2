"""results.csv, scores.csv and results.xlsx: columns, BOM, order, exact decimals, every final score
recomputed by hand from scores.csv alone, the workbook's sheets and print setup read back."""

from __future__ import annotations

import csv
import io
import stat
import sys
from collections import defaultdict
from dataclasses import replace
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from report_factory import build

from tests.hand_check import recompute
from tic_desktop.reports import exports
from tic_desktop.reports.exports import sheet_title, write_all


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    built = build(5, 7)
    folder = tmp_path_factory.mktemp("exports")
    calls: list[tuple[int, int]] = []
    paths = write_all(folder, built.report, lambda d, n: calls.append((d, n)))
    return {"folder": folder, "paths": paths, "report": built.report, "calls": calls}


def _read_csv(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM missing: Excel on Windows would garble the Chinese"
    return list(csv.DictReader(io.StringIO(raw[3:].decode("utf-8"))))


def test_write_all_writes_the_five_files_and_reports_progress(out: dict[str, Any]) -> None:
    names = [p.name for p in out["paths"]]
    assert names == ["consolidated.pdf", "results.xlsx", "results.csv", "scores.csv", "panel_opinions.docx"]
    assert all(p.stat().st_size > 0 for p in out["paths"])
    assert not list(out["folder"].glob(".tic-tmp-*")), "temporary files left behind"
    # one step per proposal of the PDF, then one per other file: each reported once, in order
    assert out["calls"] == [(d, 9) for d in range(1, 10)]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_written_files_are_readable_by_others(out: dict[str, Any], tmp_path: Path) -> None:
    # the temp file atomic_write starts from is 0600; files meant to be handed on must not stay so
    for p in out["paths"]:
        assert stat.S_IMODE(p.stat().st_mode) == 0o644, p.name
    # also when an older, private copy is replaced
    old = tmp_path / "results.csv"
    old.write_bytes(b"old")
    old.chmod(0o600)
    write_all(tmp_path, build(2, 5, extras=False, tie=False).report)
    assert stat.S_IMODE(old.stat().st_mode) == 0o644


def test_progress_of_an_empty_report_still_ends_at_its_total(tmp_path: Path) -> None:
    report = build(2, 5, extras=False, tie=False).report
    empty = replace(report, consolidation=replace(report.consolidation, results=()), inputs=())
    calls: list[tuple[int, int]] = []
    write_all(tmp_path, empty, lambda d, n: calls.append((d, n)))
    assert calls == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]


def test_results_csv_columns_order_and_exact_decimals(out: dict[str, Any]) -> None:
    rows = _read_csv(out["folder"] / "results.csv")
    assert list(rows[0]) == ["proposal_id", "center_name", "form_id", "valid_sheets", "final_score", "rank", "tie",
                             "conclusion", "conclusion_label", "outcome", "award", "flags", "center_type", "policy",
                             "conclusion_reasons"]
    report = out["report"]
    assert len(rows) == len(report.consolidation.results) == 10
    # sorted by form (batch order) then rank
    forms = [r["form_id"] for r in rows]
    assert forms == ["feasibility_review"] * 5 + ["rd_capacity_project"] * 5
    for form in ("feasibility_review", "rd_capacity_project"):
        ranks = [int(r["rank"]) for r in rows if r["form_id"] == form]
        assert ranks == sorted(ranks)
    for r in rows:
        res = report.consolidation.result(r["proposal_id"], r["form_id"])
        assert r["final_score"] == format(res.final_score, "f")
        assert len(r["final_score"].split(".")[1]) == 2  # 91.20, never 91.2 or a float repr
        assert r["center_name"] == res.center_name
    tied = [r for r in rows if r["tie"] == "true"]
    assert {r["proposal_id"] for r in tied} == {"TJ-004", "TJ-005"}
    assert all("rank.tie" in r["flags"] for r in tied)
    pending = next(r for r in rows if r["proposal_id"] == "TJ-003" and r["form_id"] == "feasibility_review")
    assert pending["conclusion"] == "" and "veto.pending:" in pending["flags"]


def _round(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_every_final_score_recomputed_by_hand_from_scores_csv(out: dict[str, Any]) -> None:
    """Only scores.csv and results.csv are read: what a reviewer with a spreadsheet would do."""
    scores = _read_csv(out["folder"] / "scores.csv")
    assert list(scores[0]) == ["expert_id", "expert_name", "proposal_id", "form_id", "criterion_id", "score", "max",
                               "raw_total", "total", "dropped", "method"]
    items: dict[tuple[str, str, str], list[dict[str, str]]] = defaultdict(list)
    totals: dict[tuple[str, str], list[dict[str, str]]] = defaultdict(list)
    for row in scores:
        key = (row["proposal_id"], row["form_id"])
        if row["criterion_id"] == "total":
            totals[key].append(row)
        else:
            items[(*key, row["expert_id"])].append(row)
    recomputed: dict[tuple[str, str], Decimal] = {}
    rescaled = itemwise = 0
    for key, rows in totals.items():
        for t in rows:
            mine = [i for i in items[(*key, t["expert_id"])] if i["score"] != "NA"]
            raw = sum((Decimal(i["score"]) for i in mine), Decimal(0))
            applicable = sum((Decimal(i["max"]) for i in mine), Decimal(0))
            assert Decimal(t["raw_total"]) == raw
            assert Decimal(t["max"]) == applicable
            assert Decimal(t["total"]) == _round(raw / applicable * 100)
            rescaled += applicable != 100
        kept = [Decimal(t["total"]) for t in rows if t["dropped"] == ""]
        method = rows[0]["method"]
        assert {t["dropped"] for t in rows} <= {"", "highest", "lowest"}
        if method.startswith("itemwise_"):
            # role-split form: per criterion, the mean of the scores not dropped on that item, summed
            assert {t["dropped"] for t in rows} == {""}
            by_item: dict[str, list[dict[str, str]]] = defaultdict(list)
            for t in rows:
                for i in items[(*key, t["expert_id"])]:
                    if i["score"] != "NA":
                        by_item[i["criterion_id"]].append(i)
            means = [sum((Decimal(i["score"]) for i in its if not i["dropped"]), Decimal(0))
                     / sum(1 for i in its if not i["dropped"]) for its in by_item.values()]
            top = sum((Decimal(its[0]["max"]) for its in by_item.values()), Decimal(0))
            recomputed[key] = _round(sum(means, Decimal(0)) / top * 100)
            itemwise += 1
            continue
        if method == "trimmed_mean":
            assert sorted(t["dropped"] for t in rows if t["dropped"]) == ["highest", "lowest"]
        if method == "median":
            kept.sort()
            mid = len(kept) // 2
            value = kept[mid] if len(kept) % 2 else (kept[mid - 1] + kept[mid]) / 2
        else:
            value = sum(kept, Decimal(0)) / len(kept)
        recomputed[key] = _round(value)
    assert rescaled > 0, "the fixture should include totals rescaled over role-restricted criteria"
    assert itemwise > 0, "the fixture should include a role-split form (consolidated item by item)"
    results = _read_csv(out["folder"] / "results.csv")
    assert len(results) == len(recomputed)
    for r in results:
        assert recomputed[(r["proposal_id"], r["form_id"])] == Decimal(r["final_score"]), r["proposal_id"]


def test_conflicted_and_missing_experts_have_no_scores(out: dict[str, Any]) -> None:
    report = out["report"]
    r = report.consolidation.result("TJ-002", "feasibility_review")
    rows = [x for x in _read_csv(out["folder"] / "scores.csv")
            if x["proposal_id"] == "TJ-002" and x["form_id"] == "feasibility_review"]
    experts = {x["expert_id"] for x in rows}
    assert experts == {e.expert_id for e in r.experts}
    assert not experts & set(r.conflicted + r.missing)


def test_xlsx_sheets_headers_numbers_and_print_setup(out: dict[str, Any]) -> None:
    report = out["report"]
    wb = load_workbook(out["folder"] / "results.xlsx")
    names = wb.sheetnames
    assert names[0] == "汇总"
    assert len(names) == 1 + len(report.consolidation.results)
    assert len(set(n.lower() for n in names)) == len(names)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in names)
    summary = wb["汇总"]
    assert [c.value for c in summary[3]] == list(exports.SUMMARY_HEADER)
    first = report.consolidation.for_form("feasibility_review")[0]
    assert summary["C4"].value == first.proposal_id
    assert summary["F4"].value == pytest.approx(float(first.final_score)) and summary["F4"].number_format == "0.00"
    assert summary.freeze_panes == "A4"
    assert summary.page_setup.orientation == "landscape" and int(summary.page_setup.paperSize) == 9  # 9 = A4
    assert summary.sheet_properties.pageSetUpPr.fitToPage and summary.page_setup.fitToWidth == 1
    assert summary.print_title_rows == "$1:$3"

    r = report.consolidation.result("TJ-003", "feasibility_review")
    ws = wb[names[1 + exports.ordered_results(report).index(r)]]
    assert ws["A1"].value.startswith("TJ-003")
    header = [c.value for c in ws[5]]
    assert header[:3] == ["序号", "指标", "分值"] and header[-1] == "平均"
    lowest = next(i for i, e in enumerate(r.experts) if e.dropped == "lowest")
    assert "〔去低〕" in header[3 + lowest] and "离群" in header[3 + lowest]
    assert ws.cell(row=6, column=4 + lowest).fill.fgColor.rgb.endswith("D9D9D9")  # dropped column grey
    total_row = 6 + len(report.forms["feasibility_review"].criteria)
    assert ws.cell(row=total_row, column=1).value == "合计"
    assert ws.cell(row=total_row, column=len(header)).value == pytest.approx(float(r.final_score))
    assert ws.cell(row=total_row, column=len(header)).number_format == "0.00"
    assert ws.print_title_rows == "$5:$5" and ws.freeze_panes == "C6"
    assert ws.page_setup.fitToWidth == 1


def test_sheet_titles_are_legal_and_unique() -> None:
    taken: set[str] = set()
    a = sheet_title("A/B:C*D?[E]\\" + "x" * 40, taken)
    b = sheet_title("A/B:C*D?[E]\\" + "x" * 40, taken)
    assert len(a) <= 31 and len(b) <= 31 and a != b
    assert not set(a + b) & set("[]:*?/\\")
    assert sheet_title("汇总", {"汇总"}) == "汇总~2"


def test_a_failed_check_keeps_the_previous_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = build(2, 5, extras=False, tie=False).report
    path = tmp_path / "results.csv"
    exports.write_results_csv(path, report)
    before = path.read_bytes()
    other = replace(report, consolidation=replace(report.consolidation, results=report.consolidation.results[:1]))

    def broken(expected: bytes) -> Any:
        def verify(p: Path) -> None:
            raise ValueError("simulated bad read-back")

        return verify

    monkeypatch.setattr(exports, "_csv_check", broken)
    with pytest.raises(Exception, match="simulated bad read-back"):
        exports.write_results_csv(path, other)
    assert path.read_bytes() == before


# ── formula injection: every cell inert (issue 11, finding 6) ────────────────────────────────

HOSTILE_NAMES = ("=1+2", "@SUM(A1)", "+1", "-cmd", "\t=3+4", "\r=5+6", "#N/A")
HOSTILE_CENTER = '=HYPERLINK("http://x","y")'


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A report whose expert names and first center name are formulas (as an attacker would type
    them into the batch source or the enrolment), written by the real exports."""
    import report_factory

    mp = pytest.MonkeyPatch()
    real_center = report_factory.center_name
    mp.setattr(report_factory, "NAMES", HOSTILE_NAMES)
    mp.setattr(report_factory, "center_name", lambda i: HOSTILE_CENTER if i == 0 else real_center(i))
    try:
        built = report_factory.build(3, 7)
    finally:
        mp.undo()
    folder = tmp_path_factory.mktemp("hostile")
    write_all(folder, built.report)
    return {"folder": folder, "report": built.report}


def test_inert_prefixes_active_cells_but_keeps_numbers() -> None:
    from tic_desktop.reports.inert import inert

    for text in ("=1+2", "@SUM(A1)", "+1", "-cmd", "\t=1", "\r=1", "-1+2", "+1.50", "=", "-", "-1.5e3"):
        assert inert(text) == "'" + text, repr(text)
    for text in ("-1.50", "-3", "91.20", "0", "张伟", "", "NA", "a=1", " =1", "'=1"):
        assert inert(text) == text, repr(text)


def test_results_xlsx_has_no_formula_and_shows_the_names_as_text(hostile: dict[str, Any]) -> None:
    wb = load_workbook(hostile["folder"] / "results.xlsx")  # not data_only: formulas would show as "=..."
    seen: set[str] = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                assert c.data_type != "f", f"{ws.title}!{c.coordinate} is a formula: {c.value!r}"
                assert c.data_type != "e", f"{ws.title}!{c.coordinate} is an error value: {c.value!r}"
                if isinstance(c.value, str):
                    assert c.data_type == "s"
                    assert not c.value.startswith(("=", "+", "-", "@", "\t", "\r")), (ws.title, c.value)
                    seen.add(c.value)
    summary = wb["汇总"]
    centers = [summary.cell(row=r, column=4).value for r in range(4, summary.max_row + 1)]
    assert "'" + HOSTILE_CENTER in centers
    for name in HOSTILE_NAMES[:6]:
        # the column header of each expert (openpyxl without lxml reads a stored CR back as LF; with lxml,
        # which python-docx brings, as CR)
        assert any(v.startswith(("'" + name, "'" + name.replace("\r", "\n"))) for v in seen), repr(name)
    assert any(v.startswith("#N/A") for v in seen)  # text, not Excel's error value
    # the numbers are still numbers
    assert isinstance(summary["F4"].value, (int, float)) and summary["F4"].number_format == "0.00"


def test_results_and_scores_csv_are_inert_and_still_add_up(hostile: dict[str, Any]) -> None:
    results = _read_csv(hostile["folder"] / "results.csv")
    scores = _read_csv(hostile["folder"] / "scores.csv")
    for row in results + scores:
        for column, value in row.items():
            assert not value.startswith(("=", "+", "@", "\t", "\r")), (column, value)
            if value.startswith("-"):
                Decimal(value)  # only a negative number may begin with '-'
    assert {r["center_name"] for r in results if r["proposal_id"] == "TJ-001"} == {"'" + HOSTILE_CENTER}
    assert {r["expert_name"] for r in scores} == {"'" + n for n in HOSTILE_NAMES[:6]} | {"#N/A"}
    # the hand check of the README still works (total-based, or item by item on the R&D form)
    report = hostile["report"]
    hand = recompute(scores)
    for r in results:
        if (r["proposal_id"], r["form_id"]) in hand:
            assert hand[(r["proposal_id"], r["form_id"])] == Decimal(r["final_score"])
    assert len(results) == len(report.consolidation.results)


def test_negative_decimals_stay_numbers_in_csv() -> None:
    data = exports._csv_bytes(("a", "b", "c"), [["-1.50", "-cmd", "-2"]]).decode("utf-8-sig")
    assert data.splitlines()[1] == "-1.50,'-cmd,-2"
