"""formats.source.read_source: the agency's batch source folder (CSV or XLSX) → BatchSpec."""

from __future__ import annotations

import csv
import shutil
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from tic_desktop.core.errors import SourceError
from tic_desktop.formats.source import document_member_name, read_source
from tic_desktop.paths import demo_source_dir

TABLES = ("batch", "proposals", "budget", "kpis", "experts")


@pytest.fixture
def src(tmp_path: Path) -> Path:
    out = tmp_path / "src"
    out.mkdir()
    for name in TABLES:
        shutil.copy(demo_source_dir() / f"{name}.csv", out / f"{name}.csv")
    return out


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def write_rows(path: Path, rows: list[list[str]], encoding: str = "utf-8-sig") -> None:
    with path.open("w", encoding=encoding, newline="") as f:
        csv.writer(f).writerows(rows)


def edit(path: Path, fn: Callable[[list[list[str]]], None]) -> None:
    rows = read_rows(path)
    fn(rows)
    write_rows(path, rows)


def rejected(src: Path) -> SourceError:
    with pytest.raises(SourceError) as info:
        read_source(src)
    return info.value


# ── good folders ────────────────────────────────────────────────────────────────────────────

def test_demo_csv_folder_reads(src: Path) -> None:
    spec = read_source(src)
    assert spec.batch_id == "TJTIC-2026-01"
    assert spec.kind == "feasibility_review"
    assert spec.title.zh.startswith("2026年第1批")
    assert [f.id for f in spec.forms] == ["feasibility_review", "rd_capacity_project"]
    assert len(spec.proposals) == 6
    assert {p.field for p in spec.proposals} == {"人工智能", "合成生物", "智能制造", "生物医药", "新能源", "新材料"}
    ai = spec.proposals[0]
    assert ai.center_type == "comprehensive" and "津海大学" in ai.member_units
    assert {b.year for b in ai.budget} == {1, 2, 3}
    assert ai.budget[0].total == Decimal("6800000")
    assert len(ai.kpis) == 7 and ai.kpis[0].achieved is None
    assert len(spec.experts) == 7
    roles = [e.role for e in spec.experts]
    assert roles.count("technical") == 5 and roles.count("finance") == 1 and roles.count("management") == 1
    assert [e.id for e in spec.experts if e.chair] == ["E01"]
    e04 = next(e for e in spec.experts if e.id == "E04")
    assert e04.known_conflicts == ("TJ-BM-04",) and len(e04.assigned) == 6
    assert spec.documents == {}


def test_exactly_one_demo_proposal_breaks_the_30_percent_rule(src: Path) -> None:
    spec = read_source(src)
    breaking = [p.id for p in spec.proposals
                if sum(b.city_subsidy for b in p.budget) * 10 > sum(b.total for b in p.budget) * 3]
    assert breaking == ["TJ-NM-06"]


def test_csv_without_bom_and_english_headers(src: Path) -> None:
    english = {"编号": "proposal_id", "年度": "year", "类别": "category", "总投资": "total", "市财政补助": "city_subsidy"}
    rows = read_rows(src / "budget.csv")
    rows[0] = [english[h] for h in rows[0]]
    write_rows(src / "budget.csv", rows, encoding="utf-8")
    assert (src / "budget.csv").read_bytes()[:3] != b"\xef\xbb\xbf"
    assert len(read_source(src).proposals[0].budget) == 12


def test_money_in_wan_yuan_header_is_scaled(src: Path) -> None:
    def to_wan(rows: list[list[str]]) -> None:
        rows[0][3:5] = ["总投资（万元）", "市财政补助（万元）"]
        for r in rows[1:]:
            r[3], r[4] = str(Decimal(r[3]) / 10000), str(Decimal(r[4]) / 10000)
    edit(src / "budget.csv", to_wan)
    assert read_source(src).proposals[0].budget[0].total == Decimal("6800000")


def test_xlsx_folder_with_typed_cells_and_sheets(src: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "proposals"
    for i, row in enumerate(read_rows(src / "proposals.csv")):
        if i:
            import datetime as dt
            row[7:9] = [dt.date(2027, 1, 1), dt.datetime(2029, 12, 31)]  # type: ignore[list-item]
        sheet.append(row)
    for name in ("budget", "kpis"):
        ws = book.create_sheet(name)
        for i, row in enumerate(read_rows(src / f"{name}.csv")):
            if i and name == "budget":
                row[1], row[3], row[4] = int(row[1]), int(row[3]), float(row[4])  # type: ignore[call-overload]
            ws.append(row)
        (src / f"{name}.csv").unlink()
    book.save(src / "proposals.xlsx")
    (src / "proposals.csv").unlink()
    experts = openpyxl.Workbook()
    for row in read_rows(src / "experts.csv"):
        experts.active.append(row)
    experts.save(src / "experts.xlsx")
    (src / "experts.csv").unlink()

    spec = read_source(src)
    assert spec.proposals[0].period_end == "2029-12-31"
    assert spec.proposals[0].budget[0].total == Decimal("6800000")
    assert spec.proposals[5].budget[0].city_subsidy == Decimal("2400000")
    assert len(spec.proposals[5].kpis) == 7
    assert len(spec.experts) == 7


def test_pdfs_get_safe_member_names_and_keep_their_titles(src: Path) -> None:
    folder = src / "proposals" / "TJ-AI-01"
    folder.mkdir(parents=True)
    pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
    for name in ("建设方案.pdf", "证明材料.PDF", "Audit Report 2025.pdf", "附件一.pdf", "附件二.pdf"):
        (folder / name).write_bytes(pdf)
    (folder / ".DS_Store").write_bytes(b"x")
    spec = read_source(src)
    docs = {d.path: d.title for d in spec.proposals[0].documents}
    assert docs == {
        "proposals/TJ-AI-01/plan.pdf": "建设方案",
        "proposals/TJ-AI-01/audit-report-2025.pdf": "Audit Report 2025",
        "proposals/TJ-AI-01/evidence.pdf": "证明材料",
        "proposals/TJ-AI-01/document.pdf": "附件一",
        "proposals/TJ-AI-01/document-2.pdf": "附件二",
    }
    assert list(docs)[0].endswith("plan.pdf")
    assert set(spec.documents) == set(docs) and spec.documents["proposals/TJ-AI-01/plan.pdf"] == pdf


def test_document_member_name_is_unique() -> None:
    taken: set[str] = set()
    assert [document_member_name(s, taken) for s in ("建设方案", "建设方案", "X", "x")] == [
        "plan.pdf", "plan-2.pdf", "x.pdf", "x-2.pdf"]


# ── bad folders: every mistake names file, row and column ───────────────────────────────────

def test_unknown_role_names_row_and_column(src: Path) -> None:
    edit(src / "experts.csv", lambda rows: rows[3].__setitem__(4, "专家"))
    err = rejected(src)
    assert err.code == "source.bad_value"
    assert err.detail == "experts.csv 第 4 行「角色」列：未知角色“专家”，应为 技术/财务/管理"
    assert "experts.csv, row 4, column “角色”" in err.text("en")


@pytest.mark.parametrize(("file", "mutate", "code", "where"), [
    ("budget.csv", lambda r: r[2].__setitem__(3, "720万"), "source.bad_value", "budget.csv 第 3 行「总投资」列：“720万”不是非负数"),
    ("budget.csv", lambda r: r[5].__setitem__(4, "99999999"), "source.bad_value", "budget.csv 第 6 行「市财政补助」列：市财政补助 99999999 大于"),
    ("budget.csv", lambda r: r[7].__setitem__(1, "0"), "source.bad_value", "budget.csv 第 8 行「年度」列"),
    ("budget.csv", lambda r: r[4].__setitem__(0, "TJ-XX-99"), "source.unknown_reference", "budget.csv 第 5 行「编号」列：编号“TJ-XX-99”不在申报项目表中"),
    ("budget.csv", lambda r: r[3].__setitem__(2, "仪器设备购置"), "source.duplicate", "budget.csv 第 4 行「类别」列：第 1 年“仪器设备购置”与第 2 行重复"),
    ("proposals.csv", lambda r: r[3].__setitem__(0, "TJ-AI-01"), "source.duplicate", "proposals.csv 第 4 行「编号」列：编号“TJ-AI-01”与第 2 行重复"),
    ("proposals.csv", lambda r: r[2].__setitem__(8, "2029-02-30"), "source.bad_value", "proposals.csv 第 3 行「结束日期」列：“2029-02-30”不是有效日期"),
    ("proposals.csv", lambda r: r[0].__setitem__(6, "电话"), "source.bad_header", "proposals.csv 第 1 行「电话」列：未知列名"),
    ("proposals.csv", lambda r: [row.pop(5) for row in r], "source.bad_header", "proposals.csv 第 1 行：缺少「技术领域」列"),
    ("proposals.csv", lambda r: r[6].__setitem__(9, "feasibility_review;nope"), "source.unknown_reference", "proposals.csv 第 7 行「评分表」列：未知评分表“nope”"),
    ("proposals.csv", lambda r: r[6].__setitem__(9, "term_end_evaluation"), "source.inconsistent", "proposals.csv 第 7 行「评分表」列"),
    ("proposals.csv", lambda r: r[2].__setitem__(2, "专业性"), "source.inconsistent", "proposals.csv 第 3 行「类型」列"),
    ("proposals.csv", lambda r: r[2].__setitem__(0, "TJ AI 02"), "source.bad_value", "proposals.csv 第 3 行「编号」列：“TJ AI 02”不是有效编号"),
    ("proposals.csv", lambda r: r[4].__setitem__(3, ""), "source.bad_value", "proposals.csv 第 5 行「依托单位」列：不能为空"),
    ("kpis.csv", lambda r: r[9].__setitem__(6, "大"), "source.bad_value", "kpis.csv 第 10 行「越大越好」列：“大”应为 是 或 否"),
    ("kpis.csv", lambda r: r[2].__setitem__(4, "-5"), "source.bad_value", "kpis.csv 第 3 行「目标值」列"),
    ("kpis.csv", lambda r: r[3].__setitem__(1, "K1"), "source.duplicate", "kpis.csv 第 4 行「指标编号」列：指标编号“K1”与第 2 行重复"),
    ("experts.csv", lambda r: r[5].__setitem__(5, "是"), "source.inconsistent", "experts.csv「组长」列：应恰好有一位组长（现为第 2、6 行）"),
    ("experts.csv", lambda r: r[2].__setitem__(6, "TJ-AI-01;TJ-ZZ-09"), "source.unknown_reference", "experts.csv 第 3 行「评审项目」列：编号“TJ-ZZ-09”不在申报项目表中"),
    ("experts.csv", lambda r: r[7].__setitem__(6, ""), "source.bad_value", "experts.csv 第 8 行「评审项目」列：不能为空"),
    ("experts.csv", lambda r: r[6].__setitem__(0, "E02"), "source.duplicate", "experts.csv 第 7 行「专家编号」列"),
    ("batch.csv", lambda r: r[4].__setitem__(1, "验收"), "source.bad_value", "batch.csv 第 5 行「value」列：未知评审类型“验收”"),
    ("batch.csv", lambda r: r.append(["round", "1"]), "source.bad_value", "batch.csv 第 8 行「key」列：未知字段“round”"),
    ("batch.csv", lambda r: r.__delitem__(1), "source.bad_value", "batch.csv：缺少“batch_id”"),
])
def test_bad_spreadsheet(src: Path, file: str, mutate: Callable[[list[list[str]]], None], code: str, where: str) -> None:
    edit(src / file, mutate)
    err = rejected(src)
    assert err.code == code, err.detail
    assert err.detail.startswith(where), err.detail
    assert "Traceback" not in err.text("en")


def test_every_proposal_needs_an_expert(src: Path) -> None:
    def only_ai(rows: list[list[str]]) -> None:
        for r in rows[1:]:
            r[6] = "TJ-AI-01"
    edit(src / "experts.csv", only_ai)
    err = rejected(src)
    assert err.code == "source.inconsistent" and "“TJ-SB-02”（proposals 第 3 行）没有分配" in err.detail


def test_gbk_csv_is_refused_with_advice(src: Path) -> None:
    write_rows(src / "experts.csv", read_rows(src / "experts.csv"), encoding="gbk")
    err = rejected(src)
    assert err.code == "source.unreadable"
    assert err.detail.startswith("experts.csv 第 1 行：不是 UTF-8 编码") and "CSV UTF-8" in err.detail


def test_broken_csv_quoting(src: Path) -> None:
    (src / "experts.csv").write_text('专家编号,姓名\nE01,"张\n', encoding="utf-8")
    assert rejected(src).code == "source.unreadable"


def test_garbage_xlsx(src: Path) -> None:
    (src / "experts.csv").unlink()
    (src / "experts.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    err = rejected(src)
    assert err.code == "source.unreadable" and err.detail.startswith("experts.xlsx")


def test_csv_and_xlsx_of_one_table(src: Path) -> None:
    openpyxl.Workbook().save(src / "experts.xlsx")
    assert rejected(src).code == "source.ambiguous_file"


def test_missing_table(src: Path) -> None:
    (src / "experts.csv").unlink()
    err = rejected(src)
    assert err.code == "source.missing_file" and "experts.csv" in err.detail


def test_xlsx_error_names_sheet_row_and_column(src: Path) -> None:
    book = openpyxl.Workbook()
    for i, row in enumerate(read_rows(src / "experts.csv")):
        if i == 2:
            row[5] = "maybe"
        book.active.append(row)
    book.active.title = "专家"
    book.save(src / "experts.xlsx")
    (src / "experts.csv").unlink()
    err = rejected(src)
    assert err.detail.startswith("experts.xlsx 工作表「专家」 第 3 行「组长」列：“maybe”应为 是 或 否")


@pytest.mark.parametrize(("name", "data", "where"), [
    ("建设方案.pdf", b"<html>not a pdf</html>", "proposals/TJ-AI-01/建设方案.pdf：不是 PDF 文件"),
    ("建设方案.docx", b"PK\x03\x04", "proposals/TJ-AI-01/建设方案.docx：只能放 PDF 文件"),
    ("empty.pdf", b"", "proposals/TJ-AI-01/empty.pdf：文件为空"),
])
def test_bad_documents(src: Path, name: str, data: bytes, where: str) -> None:
    (src / "proposals" / "TJ-AI-01").mkdir(parents=True)
    (src / "proposals" / "TJ-AI-01" / name).write_bytes(data)
    err = rejected(src)
    assert err.code == "source.bad_document" and err.detail.startswith(where)


def test_documents_of_an_unknown_proposal(src: Path) -> None:
    (src / "proposals" / "TJ-XX-01").mkdir(parents=True)
    err = rejected(src)
    assert err.code == "source.unknown_reference" and "TJ-XX-01" in err.detail


# ── review fixes ────────────────────────────────────────────────────────────────────────────

def test_bind_accepts_a_generator_of_columns() -> None:
    from tic_desktop.formats.source import PROPOSAL_COLS
    from tic_desktop.formats.table import BAD_HEADER, Table, bind

    table = Table("p.csv", "p.csv", ["编号", "中心名称"], [])
    with pytest.raises(SourceError) as info:
        bind(table, (c for c in PROPOSAL_COLS))  # a generator: the required-column check must still run
    assert info.value.code == BAD_HEADER and "缺少「类型」列" in info.value.detail


def test_wan_yuan_amounts_may_have_six_decimals_as_typed(src: Path) -> None:
    def to_wan(rows: list[list[str]]) -> None:
        rows[0][3:5] = ["总投资（万元）", "市财政补助（万元）"]
        rows[1][3], rows[1][4] = "12.345", "3.7035"  # exactly 123 450 元 and 37 035 元
    edit(src / "budget.csv", to_wan)
    line = read_source(src).proposals[0].budget[0]
    assert line.total == Decimal("123450") and str(line.total) == "123450"
    assert str(line.city_subsidy) == "37035"


@pytest.mark.parametrize(("header", "value", "where"), [
    ("总投资（万元）", "12.3456789", "budget.csv 第 2 行「总投资（万元）」列：“12.3456789”的小数位超过 6 位"),
    ("总投资", "123450.123", "budget.csv 第 2 行「总投资」列：“123450.123”的小数位超过 2 位"),
])
def test_too_many_decimals_as_typed(src: Path, header: str, value: str, where: str) -> None:
    def mutate(rows: list[list[str]]) -> None:
        rows[0][3] = header
        rows[1][3] = value
    edit(src / "budget.csv", mutate)
    err = rejected(src)
    assert err.code == "source.bad_value" and err.detail.startswith(where), err.detail


def _budget_xlsx(src: Path, cells: dict[tuple[int, int], object], header: list[str] | None = None) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    for i, row in enumerate(read_rows(src / "budget.csv")):
        if i == 0 and header:
            row = header
        out: list[object] = list(row)
        for (r, c), v in cells.items():
            if r == i:
                out[c] = v
        ws.append(out)
    book.save(src / "budget.xlsx")
    (src / "budget.csv").unlink()


def test_xlsx_float_noise_is_read_as_excel_shows_it(src: Path) -> None:
    header = ["编号", "年度", "类别", "总投资（万元）", "市财政补助"]
    _budget_xlsx(src, {(1, 3): 680.0, (1, 4): 0.1 + 0.2, (2, 3): 12.345, (2, 4): 1000.5}, header)
    budget = read_source(src).proposals[0].budget
    assert budget[0].total == Decimal("6800000") and budget[0].city_subsidy == Decimal("0.3")
    assert str(budget[0].city_subsidy) == "0.3"
    assert budget[1].total == Decimal("123450") and str(budget[1].city_subsidy) == "1000.5"


def test_xlsx_float_with_too_many_decimals_names_row_and_column(src: Path) -> None:
    _budget_xlsx(src, {(2, 4): 1234.567})
    err = rejected(src)
    assert err.code == "source.bad_value"
    assert "第 3 行「市财政补助」列：“1234.567”的小数位超过 2 位" in err.detail, err.detail


def _term_end(src: Path) -> None:
    edit(src / "batch.csv", lambda rows: [r.__setitem__(1, "term_end_evaluation") for r in rows if r[0] == "kind"])
    edit(src / "proposals.csv", lambda rows: [r.__setitem__(9, "term_end_evaluation") for r in rows[1:]])
    edit(src / "kpis.csv", lambda rows: [r.__setitem__(5, "1") for r in rows[1:]])


def test_term_end_kpis_read(src: Path) -> None:
    _term_end(src)
    assert all(k.achieved == 1 for p in read_source(src).proposals for k in p.kpis)


def test_term_end_kpis_without_an_achieved_column_are_refused(src: Path) -> None:
    _term_end(src)
    edit(src / "kpis.csv", lambda rows: [r.pop(5) for r in rows])
    err = rejected(src)
    assert err.code == "source.bad_header"
    assert err.detail.startswith("kpis.csv 第 1 行：缺少「完成值」列"), err.detail
    assert "kpis.csv, row 1: column “achieved”" in err.text("en")


def test_term_end_kpi_with_an_empty_achieved_cell_is_refused(src: Path) -> None:
    _term_end(src)
    edit(src / "kpis.csv", lambda rows: rows[3].__setitem__(5, ""))
    assert rejected(src).detail.startswith("kpis.csv 第 4 行「完成值」列：总结评估需要填写完成值")
