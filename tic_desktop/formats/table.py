"""Tables as the agency writes them (CSV or XLSX) → header and rows, and the checks of each cell.

Shared by the batch source folder (`formats.source`) and the expert pool file (`agency.pool`).
CSV is UTF-8 with or without BOM (as Excel's "CSV UTF-8" writes); XLSX is read with openpyxl, number
cells as the user sees them. Headers may be Chinese or English: `bind` maps them to column keys
(`Col`), and money columns headed …（万元） are scaled to 元. Every mistake raises `SourceProblem`
naming the file, the row (as the spreadsheet numbers it, header = row 1) and the column (as written
in the file), in Chinese and English.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from tic_desktop.core.errors import SourceError, message, register
from tic_desktop.core.labels import CENTER_TYPE_LABELS, KIND_LABELS, ROLE_LABELS
from tic_desktop.core.types import ID_RE, Text

MISSING_FILE = register("source.missing_file", "批次源文件夹中缺少必需的文件。请按说明补齐后重试。",
                        "A required file is missing from the batch source folder. Add it and try again.")
AMBIGUOUS_FILE = register("source.ambiguous_file", "同一张表同时有 CSV 和 XLSX 两个版本。请只保留一个。",
                          "The same table exists both as CSV and as XLSX. Keep only one.")
UNREADABLE = register("source.unreadable", "表格文件无法读取。请用 Excel 另存为“CSV UTF-8（逗号分隔）”或 .xlsx 后重试。",
                      "A spreadsheet cannot be read. Save it from Excel as \"CSV UTF-8\" or .xlsx and try again.")
BAD_HEADER = register("source.bad_header", "表头有误。请按说明使用规定的列名。",
                      "A header is wrong. Use the documented column names.")
BAD_VALUE = register("source.bad_value", "表格中有一个值不符合要求。请按提示修改该单元格。",
                     "A cell holds a value that is not allowed. Correct the cell as described.")
DUPLICATE = register("source.duplicate", "表格中有重复的编号或行。请删除或改正重复项。",
                     "A spreadsheet repeats an id or a row. Remove or correct the duplicate.")

MAX_TABLE_BYTES = 50 * 1024 * 1024
ID = re.compile(ID_RE)


def aliases(labels: dict[str, Text], extra: dict[str, str]) -> dict[str, str]:
    """Code, Chinese label and English label (lower case) of each entry, plus the short forms."""
    out = {alias: code for code, text in labels.items() for alias in (code, text.zh, text.en.lower())}
    return out | extra


ROLES = aliases(ROLE_LABELS, {"技术": "technical", "财务": "finance", "管理": "management"})
CENTER_TYPES = aliases(CENTER_TYPE_LABELS, {"综合性": "comprehensive", "专业性": "professional",
                                              "工程技术中心": "engineering", "工程中心": "engineering"})
KINDS = aliases(KIND_LABELS, {"方案论证": "feasibility_review", "总结评估": "term_end_evaluation",
                                "建设期满总结评估": "term_end_evaluation"})
_YES = {"是", "yes", "y", "true", "1"}
_NO = {"否", "no", "n", "false", "0"}
_IGNORED_COLUMNS = {"备注", "说明", "note", "notes", "remark", "remarks"}
@dataclass
class SourceProblem(SourceError):
    """A `SourceError` that also carries its detail in English."""

    detail_en: str = ""

    def text(self, lang: str = "zh") -> str:
        if lang.startswith("zh") or not self.detail_en:
            return super().text(lang)
        return f"{message(self.code, lang)} ({self.detail_en})"


def fail(code: str, zh: str, en: str) -> SourceProblem:
    return SourceProblem(code, zh, en)


# ── tables ──────────────────────────────────────────────────────────────────────────────────

@dataclass
class Table:
    label_zh: str
    label_en: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    columns: dict[str, int] = field(default_factory=dict)
    """key -> index, filled by `bind`."""
    scale: dict[str, Decimal] = field(default_factory=dict)
    """key -> multiplier for money columns headed …（万元）."""

    def cell(self, row: list[str], key: str) -> str:
        i = self.columns.get(key)
        return row[i] if i is not None and i < len(row) else ""

    def error(self, code: str, row: int, key: str | None, zh: str, en: str) -> SourceProblem:
        if key is None:
            return fail(code, f"{self.label_zh} 第 {row} 行：{zh}", f"{self.label_en}, row {row}: {en}")
        col = self.headers[self.columns[key]] if key in self.columns else key
        return fail(code, f"{self.label_zh} 第 {row} 行「{col}」列：{zh}",
                     f"{self.label_en}, row {row}, column “{col}”: {en}")


@dataclass(frozen=True)
class Col:
    key: str
    names: tuple[str, ...]
    required: bool = True
    money: bool = False


def clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).replace("\u3000", " ").strip()


def read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    data = path.read_bytes()
    if len(data) > MAX_TABLE_BYTES:
        raise fail(UNREADABLE, f"{path.name}：文件超过 50 MB", f"{path.name}: file larger than 50 MB")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise fail(UNREADABLE, f"{path.name} 第 {line} 行：不是 UTF-8 编码（可能是 GBK）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                    f"{path.name}, row {line}: not UTF-8 (perhaps GBK). Save it from Excel as \"CSV UTF-8\"") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            rows.append((reader.line_num, [clean(c) for c in record]))
    except csv.Error as e:
        raise fail(UNREADABLE, f"{path.name} 第 {reader.line_num} 行：CSV 格式错误（{e}）",
                    f"{path.name}, row {reader.line_num}: malformed CSV ({e})") from None
    return _split_header(rows)


def _xlsx_value(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, _dt.datetime):
        return v.date().isoformat() if v.time() == _dt.time() else v.isoformat(sep=" ")
    if isinstance(v, _dt.date):
        return v.isoformat()
    if isinstance(v, float):
        return _xlsx_float(v)
    return clean(str(v))


def _xlsx_float(v: float) -> str:
    """A number cell as the user sees it: Excel keeps 15 significant digits, so 0.1+0.2 (stored as
    0.30000000000000004) is 0.3. Whether it has too many decimals is for `decimal` to say."""
    if not math.isfinite(v):
        return repr(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return format(Decimal(format(v, ".15g")), "f")


def open_xlsx(path: Path):  # type: ignore[no-untyped-def]
    import openpyxl

    if path.stat().st_size > MAX_TABLE_BYTES:
        raise fail(UNREADABLE, f"{path.name}：文件超过 50 MB", f"{path.name}: file larger than 50 MB")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise fail(UNREADABLE, f"{path.name}：不是有效的 .xlsx 文件（{type(e).__name__}）",
                    f"{path.name}: not a valid .xlsx file ({type(e).__name__})") from None
    except Exception as e:  # openpyxl raises its own InvalidFileException and friends
        raise fail(UNREADABLE, f"{path.name}：不是有效的 .xlsx 文件（{type(e).__name__}）",
                    f"{path.name}: not a valid .xlsx file ({type(e).__name__})") from None


def read_sheet(ws) -> tuple[list[str], list[tuple[int, list[str]]]]:  # type: ignore[no-untyped-def]
    rows = [(i, [_xlsx_value(v) for v in values]) for i, values in enumerate(ws.iter_rows(values_only=True), start=1)]
    return _split_header(rows)


def _split_header(rows: list[tuple[int, list[str]]]) -> tuple[list[str], list[tuple[int, list[str]]]]:
    rows = [(n, r) for n, r in rows if any(r)]
    if not rows:
        return [], []
    header = list(rows[0][1])
    while header and not header[-1]:
        header.pop()
    return header, rows[1:]


def norm_header(name: str) -> str:
    return re.sub(r"[\s_]+", "", name).lower()


def bind(table: Table, cols: Iterable[Col], header_row: int = 1) -> None:
    """Map the file's header cells to column keys; unknown, duplicate or missing columns fail."""
    cols = list(cols)
    names = {norm_header(n): c for c in cols for n in (c.key, *c.names)}
    table.columns = {}
    scale: dict[str, Decimal] = {}
    for i, raw in enumerate(table.headers):
        h = norm_header(raw)
        unit = Decimal(1)
        m = re.fullmatch(r"(.+?)[(（](万?元)[)）]", h)
        if m and m.group(1) in names and names[m.group(1)].money:
            h, unit = m.group(1), Decimal(10000) if m.group(2) == "万元" else Decimal(1)
        if not raw:
            raise fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行第 {i + 1} 列：列名为空",
                        f"{table.label_en}, row {header_row}, column {i + 1}: empty column name")
        if h in _IGNORED_COLUMNS:
            continue
        col = names.get(h)
        if col is None:
            expected = "、".join(c.names[0] for c in cols)
            raise fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行「{raw}」列：未知列名，应为 {expected} 之一",
                        f"{table.label_en}, row {header_row}, column “{raw}”: unknown column; expected one of "
                        + ", ".join(c.key for c in cols))
        if col.key in table.columns:
            raise fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行「{raw}」列：与「{table.headers[table.columns[col.key]]}」列重复",
                        f"{table.label_en}, row {header_row}, column “{raw}”: repeats column "
                        f"“{table.headers[table.columns[col.key]]}”")
        table.columns[col.key] = i
        scale[col.key] = unit
    for c in cols:
        if c.required and c.key not in table.columns:
            raise fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行：缺少「{c.names[0]}」列（或 {c.key}）",
                        f"{table.label_en}, row {header_row}: column “{c.key}” ({c.names[0]}) is missing")
    table.scale = scale


class Folder:
    """Finds each table as NAME.csv, NAME.xlsx or a sheet of proposals.xlsx."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._books: dict[Path, object] = {}

    def _file(self, stem: str) -> Path | None:
        csv_path, xlsx_path = self.root / f"{stem}.csv", self.root / f"{stem}.xlsx"
        if csv_path.is_file() and xlsx_path.is_file():
            raise fail(AMBIGUOUS_FILE, f"{stem}.csv 和 {stem}.xlsx 同时存在", f"both {stem}.csv and {stem}.xlsx exist")
        return csv_path if csv_path.is_file() else xlsx_path if xlsx_path.is_file() else None

    def _book(self, path: Path):  # type: ignore[no-untyped-def]
        if path not in self._books:
            self._books[path] = open_xlsx(path)
        return self._books[path]

    def table(self, stem: str, sheet_names: tuple[str, ...], *, required: bool) -> Table | None:
        path = self._file(stem)
        if path is not None and path.suffix == ".csv":
            headers, rows = read_csv(path)
            return Table(path.name, path.name, headers, rows)
        if path is not None:
            book = self._book(path)
            ws = next((book[n] for n in book.sheetnames if n.strip().lower() in sheet_names), book.worksheets[0])
            headers, rows = read_sheet(ws)
            return Table(f"{path.name} 工作表「{ws.title}」", f"{path.name}, sheet “{ws.title}”", headers, rows)
        if stem in ("budget", "kpis", "not_applicable"):
            book_path = self.root / "proposals.xlsx"
            if book_path.is_file():
                book = self._book(book_path)
                name = next((n for n in book.sheetnames if n.strip().lower() in sheet_names), None)
                if name is not None:
                    headers, rows = read_sheet(book[name])
                    return Table(f"proposals.xlsx 工作表「{name}」", f"proposals.xlsx, sheet “{name}”", headers, rows)
        if required:
            raise fail(MISSING_FILE, f"缺少 {stem}.csv 或 {stem}.xlsx", f"{stem}.csv or {stem}.xlsx is missing")
        return None

    def close(self) -> None:
        for book in self._books.values():
            book.close()  # type: ignore[attr-defined]


# ── cell values ─────────────────────────────────────────────────────────────────────────────

def ident(t: Table, n: int, key: str, v: str) -> str:
    if not ID.match(v):
        raise t.error(BAD_VALUE, n, key, f"“{v}”不是有效编号（只能用字母、数字、点、下划线和连字符，以字母或数字开头，最长 64 个字符）",
                      f"“{v}” is not a valid id (letters, digits, dot, underscore and hyphen; starts with a letter "
                      "or digit; at most 64 characters)")
    return v


def text(t: Table, n: int, key: str, v: str, *, required: bool = True, limit: int = 200) -> str:
    if required and not v:
        raise t.error(BAD_VALUE, n, key, "不能为空", "must not be empty")
    if len(v) > limit:
        raise t.error(BAD_VALUE, n, key, f"超过 {limit} 个字符", f"longer than {limit} characters")
    return v


def decimal(t: Table, n: int, key: str, v: str, *, required: bool = True, places: int = 2) -> Decimal | None:
    if not v:
        if required:
            raise t.error(BAD_VALUE, n, key, "不能为空", "must not be empty")
        return None
    plain = v.replace(",", "") if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", v) else v
    try:
        d = Decimal(plain) if re.fullmatch(r"\d+(\.\d+)?", plain) else None
    except InvalidOperation:
        d = None
    if d is None:
        raise t.error(BAD_VALUE, n, key, f"“{v}”不是非负数（不要带单位或文字）",
                      f"“{v}” is not a non-negative number (no units or words)")
    scale = t.scale.get(key, Decimal(1))
    typed_places = places + scale.adjusted()  # 元: `places`; 万元: four more (12.345 万元 = 123450 元)
    if d != d.to_integral_value() and -d.normalize().as_tuple().exponent > typed_places:  # type: ignore[operator]
        raise t.error(BAD_VALUE, n, key, f"“{v}”的小数位超过 {typed_places} 位", f"“{v}” has more than {typed_places} decimals")
    d *= scale
    if d >= Decimal(10) ** 15:
        raise t.error(BAD_VALUE, n, key, f"“{v}”过大", f"“{v}” is too large")
    return d.quantize(Decimal(1)) if d == d.to_integral_value() else d.normalize()


def choice(t: Table, n: int, key: str, v: str, table: dict[str, str], expected_zh: str, expected_en: str) -> str:
    got = table.get(v) or table.get(v.lower())
    if got is None:
        raise t.error(BAD_VALUE, n, key, f"未知{_WHAT[key][0]}“{v}”，应为 {expected_zh}",
                      f"unknown {_WHAT[key][1]} “{v}”; expected {expected_en}")
    return got


_WHAT = {"role": ("角色", "role"), "center_type": ("类型", "center type"), "kind": ("评审类型", "kind")}


def boolean(t: Table, n: int, key: str, v: str, default: bool) -> bool:
    if not v:
        return default
    if v.lower() in _YES:
        return True
    if v.lower() in _NO:
        return False
    raise t.error(BAD_VALUE, n, key, f"“{v}”应为 是 或 否", f"“{v}” must be yes or no (是/否)")


def date(t: Table, n: int, key: str, v: str, *, required: bool = False) -> str | None:
    if not v:
        if required:
            raise t.error(BAD_VALUE, n, key, "不能为空", "must not be empty")
        return None
    m = re.fullmatch(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})", v)
    try:
        if m is None:
            raise ValueError(v)
        return _dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        raise t.error(BAD_VALUE, n, key, f"“{v}”不是有效日期，应为 YYYY-MM-DD（如 2027-01-01）",
                      f"“{v}” is not a valid date; use YYYY-MM-DD (e.g. 2027-01-01)") from None


def split_list(v: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;；]", v) if p.strip()]


def ids(t: Table, n: int, key: str, v: str) -> list[str]:
    out = [ident(t, n, key, p) for p in split_list(v)]
    if len(set(out)) != len(out):
        raise t.error(DUPLICATE, n, key, f"“{v}”中有重复的编号", f"“{v}” repeats an id")
    return out


def open_table(path: Path, sheet_names: tuple[str, ...]) -> Table:
    """One table file on its own (not a source folder): NAME.csv, or the sheet of NAME.xlsx whose name is one of
    `sheet_names` (case and spaces ignored), else its first sheet."""
    path = Path(path)
    if not path.is_file():
        raise fail(MISSING_FILE, f"{path}：文件不存在", f"{path}: no such file")
    if path.suffix.lower() == ".csv":
        headers, rows = read_csv(path)
        return Table(path.name, path.name, headers, rows)
    if path.suffix.lower() == ".xlsx":
        book = open_xlsx(path)
        try:
            ws = next((book[n] for n in book.sheetnames if n.strip().lower() in sheet_names), book.worksheets[0])
            headers, rows = read_sheet(ws)
            return Table(f"{path.name} 工作表「{ws.title}」", f"{path.name}, sheet “{ws.title}”", headers, rows)
        finally:
            book.close()
    raise fail(UNREADABLE, f"{path.name}：只能读取 .csv 或 .xlsx 文件", f"{path.name}: only .csv or .xlsx files are read")
