"""Pool files: CSV and XLSX, English and Chinese headers; every mistake named by file, row and column."""

from __future__ import annotations

from pathlib import Path

import pytest

from tic_desktop.agency.pool import POOL_HEADERS_ZH, read_centers, read_pool, write_pool
from tic_desktop.agency.pool_sample import sample_pool
from tic_desktop.core.errors import SourceError

HEAD_EN = "expert_id,name,unit,title,role,fields,collaborators,unavailable,key_fingerprint\n"
FP = "SHA256:" + "A" * 43


def _csv(tmp_path: Path, text: str, name: str = "pool.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, "utf-8")
    return path


def test_english_and_chinese_headers(tmp_path: Path) -> None:
    en = _csv(tmp_path, HEAD_EN + f"E1,张三,天津大学,教授,technical,人工智能;新材料,南开大学,2027-03-01~2027-03-03,{FP}\n")
    zh = _csv(tmp_path, "专家编号,姓名,单位,职称,角色,专业领域\nE1,张三,天津大学,教授,技术,人工智能；新材料\n", "zh.csv")
    [a], [b] = read_pool(en), read_pool(zh)
    assert (a.role, a.fields, a.collaborators, a.key_fingerprint) == ("technical", ("人工智能", "新材料"), ("南开大学",), FP)
    assert a.unavailable_on("2027-03-02") and not a.unavailable_on("2027-03-04")
    assert (b.role, b.fields) == ("technical", ("人工智能", "新材料"))


def test_xlsx_round_trip_with_chinese_headers(tmp_path: Path) -> None:
    experts = sample_pool(30, 3, centers=10)
    write_pool(tmp_path / "pool.xlsx", experts)
    write_pool(tmp_path / "pool.csv", experts)
    assert read_pool(tmp_path / "pool.xlsx") == experts == read_pool(tmp_path / "pool.csv")
    assert (tmp_path / "pool.csv").read_text("utf-8-sig").splitlines()[0] == ",".join(POOL_HEADERS_ZH)


@pytest.mark.parametrize(("row", "where_zh", "where_en"), [
    ("E1,张三,天津大学,教授,厨师,人工智能,,,", "第 2 行「role」列", "row 2, column “role”"),
    ("E1,张三,,教授,技术,人工智能,,,", "第 2 行「unit」列", "row 2, column “unit”"),
    ("E1,张三,天津大学,教授,技术,,,,", "第 2 行「fields」列", "row 2, column “fields”"),
    ("E 1,张三,天津大学,教授,技术,人工智能,,,", "第 2 行「expert_id」列", "row 2, column “expert_id”"),
    ("E1,张三,天津大学,教授,技术,人工智能,,2027-02-30,", "第 2 行「unavailable」列", "row 2, column “unavailable”"),
    ("E1,张三,天津大学,教授,技术,人工智能,,,SHA256:xyz", "第 2 行「key_fingerprint」列",
     "row 2, column “key_fingerprint”"),
])
def test_a_mistake_is_named_by_file_row_and_column(tmp_path: Path, row: str, where_zh: str, where_en: str) -> None:
    path = _csv(tmp_path, HEAD_EN + row + "\n")
    with pytest.raises(SourceError) as err:
        read_pool(path)
    assert err.value.text("zh").count("pool.csv") == 1 and where_zh in err.value.text("zh")
    assert where_en in err.value.text("en")


def test_duplicates_missing_columns_and_shared_keys(tmp_path: Path) -> None:
    dup = _csv(tmp_path, HEAD_EN + "E1,甲,天津大学,,技术,人工智能,,,\nE1,乙,南开大学,,技术,人工智能,,,\n")
    with pytest.raises(SourceError) as err:
        read_pool(dup)
    assert err.value.code == "source.duplicate" and "第 3 行" in err.value.text("zh")
    missing = _csv(tmp_path, "expert_id,name,unit,title,fields\nE1,甲,天津大学,,人工智能\n", "m.csv")
    with pytest.raises(SourceError) as err:
        read_pool(missing)
    assert err.value.code == "source.bad_header" and "role" in err.value.text("en")
    shared = _csv(tmp_path, HEAD_EN + f"E1,甲,天津大学,,技术,人工智能,,,{FP}\nE2,乙,南开大学,,技术,人工智能,,,{FP}\n", "k.csv")
    with pytest.raises(SourceError) as err:
        read_pool(shared)
    assert err.value.code == "pool.key_reused" and "row 3" in err.value.text("en")


def test_a_field_not_on_the_agencys_list_is_refused(tmp_path: Path) -> None:
    path = _csv(tmp_path, HEAD_EN + "E1,甲,天津大学,,技术,人工智能;炼金术,,,\n")
    with pytest.raises(SourceError) as err:
        read_pool(path, field_list=["人工智能", "新材料"])
    assert "炼金术" in err.value.text("zh") and "column “fields”" in err.value.text("en")


def test_centers_come_from_the_batch_source_proposals_table() -> None:
    demo = Path(__file__).resolve().parents[2] / "resources" / "demo" / "proposals.csv"
    centers = read_centers(demo)
    assert len(centers) == 6 and centers[0].member_units and centers[0].field
