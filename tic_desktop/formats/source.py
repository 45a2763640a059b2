"""The batch source folder (what the agency prepares) → `BatchSpec` for `formats.batch.write_batch`.

Layout and column names: docs/contracts.md ("Batch source folder"). Tables are CSV (UTF-8, with
or without BOM, as Excel's "CSV UTF-8" writes) or XLSX; headers in Chinese or English. Every
mistake raises `SourceError` whose detail names the file, the row (as the spreadsheet numbers
it, header = row 1) and the column (as written in the file), in Chinese (`detail`) and English
(`detail_en`, used by `text("en")`).
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from pydantic import ValidationError

from tic_desktop.core.errors import SourceError, message, register
from tic_desktop.core.form_library import builtin_forms, load_form
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.labels import CENTER_TYPE_LABELS, KIND_LABELS, ROLE_LABELS
from tic_desktop.core.proposal import BudgetLine, Document, IntegrityCheck, Kpi, NotApplicable, Proposal
from tic_desktop.core.types import ID_RE, Text
from tic_desktop.formats.batch import BatchSpec
from tic_desktop.formats.manifest import Expert

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
UNKNOWN_REF = register("source.unknown_reference", "表格引用了不存在的申报项目或评分表。请检查编号。",
                       "A spreadsheet refers to a proposal or form that does not exist. Check the id.")
INCONSISTENT = register("source.inconsistent", "各表之间的信息不一致。请按提示修改。",
                        "The spreadsheets contradict each other. Correct them as described.")
BAD_DOCUMENT = register("source.bad_document", "申报材料文件夹中有不符合要求的文件。只能放 PDF 文件。",
                        "A proposal folder holds a file that is not allowed. Only PDF files may be placed there.")

MAX_PDF_BYTES = 200 * 1024 * 1024
MAX_TABLE_BYTES = 50 * 1024 * 1024
_ID = re.compile(ID_RE)
_SAFE_STEM = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")


def _aliases(labels: dict[str, Text], extra: dict[str, str]) -> dict[str, str]:
    """Code, Chinese label and English label (lower case) of each entry, plus the short forms."""
    out = {alias: code for code, text in labels.items() for alias in (code, text.zh, text.en.lower())}
    return out | extra


_ROLES = _aliases(ROLE_LABELS, {"技术": "technical", "财务": "finance", "管理": "management"})
_CENTER_TYPES = _aliases(CENTER_TYPE_LABELS, {"综合性": "comprehensive", "专业性": "professional",
                                              "工程技术中心": "engineering", "工程中心": "engineering"})
_KINDS = _aliases(KIND_LABELS, {"方案论证": "feasibility_review", "总结评估": "term_end_evaluation",
                                "建设期满总结评估": "term_end_evaluation"})
_CENTER_TYPES_BY_KIND = {"feasibility_review": {"comprehensive"}, "term_end_evaluation": {"comprehensive"},
                         "periodic_assessment": {"professional", "engineering"}}
_YES = {"是", "yes", "y", "true", "1"}
_NO = {"否", "no", "n", "false", "0"}
_IGNORED_COLUMNS = {"备注", "说明", "note", "notes", "remark", "remarks"}
_IGNORED_FILES = {"thumbs.db", "desktop.ini"}
DOCUMENT_NAMES = {"建设方案": "plan", "研发创新能力建设项目": "rd-project", "研发能力建设项目": "rd-project",
                  "相关证明材料": "evidence", "证明材料": "evidence", "财务审计报告": "audit", "审计报告": "audit",
                  "总结报告": "summary", "建设期满总结报告": "summary", "建设总结报告": "summary",
                  "专项审计报告": "audit", "自评报告": "self-assessment",
                  "建设任务书": "task-book", "任务书": "task-book", "年度报告": "annual-report"}
"""Safe member names for the usual Chinese document titles (the title itself is kept)."""


@dataclass
class SourceProblem(SourceError):
    """A `SourceError` that also carries its detail in English."""

    detail_en: str = ""

    def text(self, lang: str = "zh") -> str:
        if lang.startswith("zh") or not self.detail_en:
            return super().text(lang)
        return f"{message(self.code, lang)} ({self.detail_en})"


def _fail(code: str, zh: str, en: str) -> SourceProblem:
    return SourceProblem(code, zh, en)


# ── tables ──────────────────────────────────────────────────────────────────────────────────

@dataclass
class _Table:
    label_zh: str
    label_en: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]
    columns: dict[str, int] = field(default_factory=dict)
    """key -> index, filled by `_bind`."""
    scale: dict[str, Decimal] = field(default_factory=dict)
    """key -> multiplier for money columns headed …（万元）."""

    def cell(self, row: list[str], key: str) -> str:
        i = self.columns.get(key)
        return row[i] if i is not None and i < len(row) else ""

    def error(self, code: str, row: int, key: str | None, zh: str, en: str) -> SourceProblem:
        if key is None:
            return _fail(code, f"{self.label_zh} 第 {row} 行：{zh}", f"{self.label_en}, row {row}: {en}")
        col = self.headers[self.columns[key]] if key in self.columns else key
        return _fail(code, f"{self.label_zh} 第 {row} 行「{col}」列：{zh}",
                     f"{self.label_en}, row {row}, column “{col}”: {en}")


@dataclass(frozen=True)
class _Col:
    key: str
    names: tuple[str, ...]
    required: bool = True
    money: bool = False


def _clean(value: str) -> str:
    return unicodedata.normalize("NFC", value).replace("\u3000", " ").strip()


def _read_csv(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    data = path.read_bytes()
    if len(data) > MAX_TABLE_BYTES:
        raise _fail(UNREADABLE, f"{path.name}：文件超过 50 MB", f"{path.name}: file larger than 50 MB")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data[: e.start].count(b"\n") + 1
        raise _fail(UNREADABLE, f"{path.name} 第 {line} 行：不是 UTF-8 编码（可能是 GBK）。请在 Excel 中另存为“CSV UTF-8（逗号分隔）”",
                    f"{path.name}, row {line}: not UTF-8 (perhaps GBK). Save it from Excel as \"CSV UTF-8\"") from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for record in reader:
            rows.append((reader.line_num, [_clean(c) for c in record]))
    except csv.Error as e:
        raise _fail(UNREADABLE, f"{path.name} 第 {reader.line_num} 行：CSV 格式错误（{e}）",
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
    return _clean(str(v))


def _xlsx_float(v: float) -> str:
    """A number cell as the user sees it: Excel keeps 15 significant digits, so 0.1+0.2 (stored as
    0.30000000000000004) is 0.3. Whether it has too many decimals is for `_decimal` to say."""
    if not math.isfinite(v):
        return repr(v)
    if v.is_integer() and abs(v) < 1e15:
        return str(int(v))
    return format(Decimal(format(v, ".15g")), "f")


def _open_xlsx(path: Path):  # type: ignore[no-untyped-def]
    import openpyxl

    if path.stat().st_size > MAX_TABLE_BYTES:
        raise _fail(UNREADABLE, f"{path.name}：文件超过 50 MB", f"{path.name}: file larger than 50 MB")
    try:
        return openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as e:
        raise _fail(UNREADABLE, f"{path.name}：不是有效的 .xlsx 文件（{type(e).__name__}）",
                    f"{path.name}: not a valid .xlsx file ({type(e).__name__})") from None
    except Exception as e:  # openpyxl raises its own InvalidFileException and friends
        raise _fail(UNREADABLE, f"{path.name}：不是有效的 .xlsx 文件（{type(e).__name__}）",
                    f"{path.name}: not a valid .xlsx file ({type(e).__name__})") from None


def _read_sheet(ws) -> tuple[list[str], list[tuple[int, list[str]]]]:  # type: ignore[no-untyped-def]
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


def _norm_header(name: str) -> str:
    return re.sub(r"[\s_]+", "", name).lower()


def _bind(table: _Table, cols: Iterable[_Col], header_row: int = 1) -> None:
    """Map the file's header cells to column keys; unknown, duplicate or missing columns fail."""
    cols = list(cols)
    names = {_norm_header(n): c for c in cols for n in (c.key, *c.names)}
    table.columns = {}
    scale: dict[str, Decimal] = {}
    for i, raw in enumerate(table.headers):
        h = _norm_header(raw)
        unit = Decimal(1)
        m = re.fullmatch(r"(.+?)[(（](万?元)[)）]", h)
        if m and m.group(1) in names and names[m.group(1)].money:
            h, unit = m.group(1), Decimal(10000) if m.group(2) == "万元" else Decimal(1)
        if not raw:
            raise _fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行第 {i + 1} 列：列名为空",
                        f"{table.label_en}, row {header_row}, column {i + 1}: empty column name")
        if h in _IGNORED_COLUMNS:
            continue
        col = names.get(h)
        if col is None:
            expected = "、".join(c.names[0] for c in cols)
            raise _fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行「{raw}」列：未知列名，应为 {expected} 之一",
                        f"{table.label_en}, row {header_row}, column “{raw}”: unknown column; expected one of "
                        + ", ".join(c.key for c in cols))
        if col.key in table.columns:
            raise _fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行「{raw}」列：与「{table.headers[table.columns[col.key]]}」列重复",
                        f"{table.label_en}, row {header_row}, column “{raw}”: repeats column "
                        f"“{table.headers[table.columns[col.key]]}”")
        table.columns[col.key] = i
        scale[col.key] = unit
    for c in cols:
        if c.required and c.key not in table.columns:
            raise _fail(BAD_HEADER, f"{table.label_zh} 第 {header_row} 行：缺少「{c.names[0]}」列（或 {c.key}）",
                        f"{table.label_en}, row {header_row}: column “{c.key}” ({c.names[0]}) is missing")
    table.scale = scale


class _Folder:
    """Finds each table as NAME.csv, NAME.xlsx or a sheet of proposals.xlsx."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._books: dict[Path, object] = {}

    def _file(self, stem: str) -> Path | None:
        csv_path, xlsx_path = self.root / f"{stem}.csv", self.root / f"{stem}.xlsx"
        if csv_path.is_file() and xlsx_path.is_file():
            raise _fail(AMBIGUOUS_FILE, f"{stem}.csv 和 {stem}.xlsx 同时存在", f"both {stem}.csv and {stem}.xlsx exist")
        return csv_path if csv_path.is_file() else xlsx_path if xlsx_path.is_file() else None

    def _book(self, path: Path):  # type: ignore[no-untyped-def]
        if path not in self._books:
            self._books[path] = _open_xlsx(path)
        return self._books[path]

    def table(self, stem: str, sheet_names: tuple[str, ...], *, required: bool) -> _Table | None:
        path = self._file(stem)
        if path is not None and path.suffix == ".csv":
            headers, rows = _read_csv(path)
            return _Table(path.name, path.name, headers, rows)
        if path is not None:
            book = self._book(path)
            ws = next((book[n] for n in book.sheetnames if n.strip().lower() in sheet_names), book.worksheets[0])
            headers, rows = _read_sheet(ws)
            return _Table(f"{path.name} 工作表「{ws.title}」", f"{path.name}, sheet “{ws.title}”", headers, rows)
        if stem in ("budget", "kpis", "not_applicable"):
            book_path = self.root / "proposals.xlsx"
            if book_path.is_file():
                book = self._book(book_path)
                name = next((n for n in book.sheetnames if n.strip().lower() in sheet_names), None)
                if name is not None:
                    headers, rows = _read_sheet(book[name])
                    return _Table(f"proposals.xlsx 工作表「{name}」", f"proposals.xlsx, sheet “{name}”", headers, rows)
        if required:
            raise _fail(MISSING_FILE, f"缺少 {stem}.csv 或 {stem}.xlsx", f"{stem}.csv or {stem}.xlsx is missing")
        return None

    def close(self) -> None:
        for book in self._books.values():
            book.close()  # type: ignore[attr-defined]


# ── cell values ─────────────────────────────────────────────────────────────────────────────

def _ident(t: _Table, n: int, key: str, v: str) -> str:
    if not _ID.match(v):
        raise t.error(BAD_VALUE, n, key, f"“{v}”不是有效编号（只能用字母、数字、点、下划线和连字符，以字母或数字开头，最长 64 个字符）",
                      f"“{v}” is not a valid id (letters, digits, dot, underscore and hyphen; starts with a letter "
                      "or digit; at most 64 characters)")
    return v


def _text(t: _Table, n: int, key: str, v: str, *, required: bool = True, limit: int = 200) -> str:
    if required and not v:
        raise t.error(BAD_VALUE, n, key, "不能为空", "must not be empty")
    if len(v) > limit:
        raise t.error(BAD_VALUE, n, key, f"超过 {limit} 个字符", f"longer than {limit} characters")
    return v


def _decimal(t: _Table, n: int, key: str, v: str, *, required: bool = True, places: int = 2) -> Decimal | None:
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


def _choice(t: _Table, n: int, key: str, v: str, table: dict[str, str], expected_zh: str, expected_en: str) -> str:
    got = table.get(v) or table.get(v.lower())
    if got is None:
        raise t.error(BAD_VALUE, n, key, f"未知{_WHAT[key][0]}“{v}”，应为 {expected_zh}",
                      f"unknown {_WHAT[key][1]} “{v}”; expected {expected_en}")
    return got


_WHAT = {"role": ("角色", "role"), "center_type": ("类型", "center type"), "kind": ("评审类型", "kind")}


def _bool(t: _Table, n: int, key: str, v: str, default: bool) -> bool:
    if not v:
        return default
    if v.lower() in _YES:
        return True
    if v.lower() in _NO:
        return False
    raise t.error(BAD_VALUE, n, key, f"“{v}”应为 是 或 否", f"“{v}” must be yes or no (是/否)")


def _date(t: _Table, n: int, key: str, v: str, *, required: bool = False) -> str | None:
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


def _list(v: str) -> list[str]:
    return [p.strip() for p in re.split(r"[;；]", v) if p.strip()]


def _ids(t: _Table, n: int, key: str, v: str) -> list[str]:
    out = [_ident(t, n, key, p) for p in _list(v)]
    if len(set(out)) != len(out):
        raise t.error(DUPLICATE, n, key, f"“{v}”中有重复的编号", f"“{v}” repeats an id")
    return out


# ── the tables ──────────────────────────────────────────────────────────────────────────────

BATCH_KEYS = {"batch_id": ("批次编号",), "title_zh": ("批次名称", "标题"), "title_en": ("英文名称", "英文标题"),
              "kind": ("评审类型",), "agency_name": ("组织机构", "评审机构"), "deadline": ("截止日期",)}
PROPOSAL_COLS = (
    _Col("proposal_id", ("编号", "项目编号")), _Col("center_name", ("中心名称",)), _Col("center_type", ("类型",)),
    _Col("lead_unit", ("依托单位", "牵头单位")), _Col("member_units", ("共建单位",), required=False),
    _Col("field", ("技术领域",)), _Col("contact", ("联系人",), required=False),
    _Col("period_start", ("开始日期",), required=False), _Col("period_end", ("结束日期",), required=False),
    _Col("forms", ("评分表",), required=False),
    _Col("integrity_record", ("科研失信记录",), required=False), _Col("integrity_note", ("诚信核查说明",), required=False),
)
NA_COLS = (_Col("proposal_id", ("编号", "项目编号")), _Col("form_id", ("评分表",), required=False),
           _Col("criterion_id", ("评分项", "指标")), _Col("reason", ("理由", "不适用理由"), required=False))
PLEDGE_FILES = ("pledge_zh.txt", "pledge_en.txt")
"""The agency's own 承诺书 for the batch (UTF-8 text; the English one optional)."""
BUDGET_COLS = (_Col("proposal_id", ("编号", "项目编号")), _Col("year", ("年度",)), _Col("category", ("类别",)),
               _Col("total", ("总投资",), money=True), _Col("city_subsidy", ("市财政补助",), money=True))
KPI_COLS = (_Col("proposal_id", ("编号", "项目编号")), _Col("kpi_id", ("指标编号",)), _Col("name", ("指标名称",)),
            _Col("unit", ("单位",), required=False), _Col("target", ("目标值",)),
            _Col("achieved", ("完成值",), required=False), _Col("higher_is_better", ("越大越好",), required=False))
EXPERT_COLS = (_Col("expert_id", ("专家编号", "编号")), _Col("name", ("姓名",)), _Col("unit", ("单位",), required=False),
               _Col("title", ("职称",), required=False), _Col("role", ("角色",)), _Col("chair", ("组长",), required=False),
               _Col("assigned", ("评审项目",)), _Col("known_conflicts", ("回避项目",), required=False),
               _Col("panel", ("专家组",), required=False), _Col("key_fingerprint", ("密钥指纹",), required=False))


@dataclass
class _BatchInfo:
    batch_id: str
    title: Text
    kind: str
    agency_name: str
    deadline: str | None


def _batch_info(t: _Table) -> _BatchInfo:
    _bind(t, (_Col("key", ("字段", "项目", "参数")), _Col("value", ("值", "内容"))))
    aliases = {_norm_header(n): k for k, names in BATCH_KEYS.items() for n in (k, *names)}
    values: dict[str, tuple[int, str]] = {}
    for n, row in t.rows:
        raw = t.cell(row, "key")
        key = aliases.get(_norm_header(raw))
        if key is None:
            raise t.error(BAD_VALUE, n, "key", f"未知字段“{raw}”，应为 " + "、".join(BATCH_KEYS),
                          f"unknown key “{raw}”; expected one of " + ", ".join(BATCH_KEYS))
        if key in values:
            raise t.error(DUPLICATE, n, "key", f"字段“{raw}”与第 {values[key][0]} 行重复",
                          f"key “{raw}” repeats row {values[key][0]}")
        values[key] = (n, t.cell(row, "value"))
    for key in ("batch_id", "title_zh", "kind", "agency_name"):
        if key not in values:
            raise _fail(BAD_VALUE, f"{t.label_zh}：缺少“{key}”（{BATCH_KEYS[key][0]}）一行",
                        f"{t.label_en}: the row “{key}” is missing")

    def get(key: str) -> tuple[int, str]:
        return values.get(key, (0, ""))

    n, v = get("batch_id")
    batch_id = _ident(t, n, "value", v)
    n, title_zh = get("title_zh")
    _text(t, n, "value", title_zh)
    n_en, title_en = get("title_en")
    _text(t, n_en, "value", title_en, required=False)
    n, v = get("kind")
    kind = _KINDS.get(v) or _KINDS.get(v.lower())
    if kind is None:
        raise t.error(BAD_VALUE, n, "value", f"未知评审类型“{v}”，应为 " + "/".join(x.zh for x in KIND_LABELS.values()),
                      f"unknown kind “{v}”; expected feasibility_review/term_end_evaluation/periodic_assessment")
    n, agency = get("agency_name")
    _text(t, n, "value", agency)
    n, v = get("deadline")
    deadline = _date(t, n, "value", v)
    return _BatchInfo(batch_id, Text(zh=title_zh, en=title_en or title_zh), kind, agency, deadline)


def _forms(root: Path) -> dict[str, FormTemplate]:
    """Built-in forms, overridden or extended by SRC/forms/*.json (a custom or changed form)."""
    forms = dict(builtin_forms())
    custom = root / "forms"
    if custom.is_dir():
        for path in sorted(custom.glob("*.json")):
            form = load_form(path)  # raises FormInvalid with the JSON path
            forms[form.id] = form
    return forms


@dataclass
class _ProposalRow:
    row: int
    values: dict[str, object]
    budget: list[BudgetLine] = field(default_factory=list)
    kpis: list[Kpi] = field(default_factory=list)
    documents: list[Document] = field(default_factory=list)
    not_applicable: list[NotApplicable] = field(default_factory=list)


def _proposals(t: _Table, info: _BatchInfo, forms: dict[str, FormTemplate]) -> dict[str, _ProposalRow]:
    _bind(t, PROPOSAL_COLS)
    out: dict[str, _ProposalRow] = {}
    for n, row in t.rows:
        pid = _ident(t, n, "proposal_id", t.cell(row, "proposal_id"))
        if pid in out:
            raise t.error(DUPLICATE, n, "proposal_id", f"编号“{pid}”与第 {out[pid].row} 行重复",
                          f"id “{pid}” repeats row {out[pid].row}")
        ctype = _choice(t, n, "center_type", t.cell(row, "center_type"), _CENTER_TYPES,
                        "综合性/专业性/工程技术中心", "comprehensive/professional/engineering")
        if ctype not in _CENTER_TYPES_BY_KIND[info.kind]:
            raise t.error(INCONSISTENT, n, "center_type", f"本批次评审类型为“{info.kind}”，不适用于“{t.cell(row, 'center_type')}”中心",
                          f"this batch's kind “{info.kind}” does not apply to {ctype} centers")
        form_ids = _ids(t, n, "forms", t.cell(row, "forms")) or [info.kind]
        for fid in form_ids:
            form = forms.get(fid)
            if form is None:
                raise t.error(UNKNOWN_REF, n, "forms", f"未知评分表“{fid}”，可用：{'、'.join(sorted(forms))}",
                              f"unknown form “{fid}”; available: {', '.join(sorted(forms))}")
            if form.kind != info.kind:
                raise t.error(INCONSISTENT, n, "forms", f"评分表“{fid}”用于“{form.kind}”，与本批次评审类型“{info.kind}”不符",
                              f"form “{fid}” is for “{form.kind}”, not this batch's kind “{info.kind}”")
        members = _list(t.cell(row, "member_units"))
        for m in members:
            _text(t, n, "member_units", m)
        start = _date(t, n, "period_start", t.cell(row, "period_start"))
        end = _date(t, n, "period_end", t.cell(row, "period_end"))
        if start and end and end < start:
            raise t.error(BAD_VALUE, n, "period_end", f"结束日期 {end} 早于开始日期 {start}",
                          f"end date {end} is before start date {start}")
        integrity = None
        if "integrity_record" in t.columns and t.cell(row, "integrity_record"):
            integrity = IntegrityCheck(
                record=_bool(t, n, "integrity_record", t.cell(row, "integrity_record"), False),
                note=_text(t, n, "integrity_note", t.cell(row, "integrity_note"), required=False, limit=1000))
        elif t.cell(row, "integrity_note"):
            raise t.error(BAD_VALUE, n, "integrity_record", "填写了诚信核查说明时，须填写是否有科研失信记录（是/否）",
                          "with an integrity note, say whether a record was found (yes/no)")
        out[pid] = _ProposalRow(n, {
            "integrity": integrity,
            "id": pid, "center_type": ctype, "forms": tuple(form_ids), "member_units": tuple(members),
            "center_name": _text(t, n, "center_name", t.cell(row, "center_name")),
            "lead_unit": _text(t, n, "lead_unit", t.cell(row, "lead_unit")),
            "field": _text(t, n, "field", t.cell(row, "field")),
            "contact": _text(t, n, "contact", t.cell(row, "contact"), required=False),
            "period_start": start, "period_end": end,
        })
    if not out:
        raise _fail(BAD_VALUE, f"{t.label_zh}：没有任何申报项目", f"{t.label_en}: no proposals")
    return out


def _proposal_ref(t: _Table, n: int, row: list[str], proposals: dict[str, _ProposalRow]) -> _ProposalRow:
    pid = t.cell(row, "proposal_id")
    if pid not in proposals:
        raise t.error(UNKNOWN_REF, n, "proposal_id", f"编号“{pid}”不在申报项目表中", f"“{pid}” is not in the proposals table")
    return proposals[pid]


def _budget(t: _Table, proposals: dict[str, _ProposalRow]) -> None:
    _bind(t, BUDGET_COLS)
    seen: dict[tuple[str, int, str], int] = {}
    for n, row in t.rows:
        p = _proposal_ref(t, n, row, proposals)
        year_text = t.cell(row, "year")
        if not re.fullmatch(r"(第)?([1-9]|10)(年)?", year_text):
            raise t.error(BAD_VALUE, n, "year", f"“{year_text}”应为建设期第几年（1 到 10 的整数）",
                          f"“{year_text}” must be the year of the construction period (an integer from 1 to 10)")
        year = int(re.sub(r"\D", "", year_text))
        category = _text(t, n, "category", t.cell(row, "category"))
        key = (p.values["id"], year, category)  # type: ignore[assignment]
        if key in seen:
            raise t.error(DUPLICATE, n, "category", f"第 {year} 年“{category}”与第 {seen[key]} 行重复",
                          f"year {year} “{category}” repeats row {seen[key]}")
        seen[key] = n  # type: ignore[index]
        total = _decimal(t, n, "total", t.cell(row, "total"))
        subsidy = _decimal(t, n, "city_subsidy", t.cell(row, "city_subsidy"))
        assert total is not None and subsidy is not None
        if total <= 0:
            raise t.error(BAD_VALUE, n, "total", "总投资必须大于 0", "total investment must be above 0")
        if subsidy > total:
            raise t.error(BAD_VALUE, n, "city_subsidy", f"市财政补助 {subsidy} 大于该行总投资 {total}（总投资应含补助）",
                          f"city subsidy {subsidy} exceeds the row's total {total} (the total includes the subsidy)")
        p.budget.append(BudgetLine(year=year, category=category, total=total, city_subsidy=subsidy))


def _kpis(t: _Table, proposals: dict[str, _ProposalRow], kind: str) -> None:
    _bind(t, KPI_COLS)
    if kind == "term_end_evaluation" and "achieved" not in t.columns:
        raise _fail(BAD_HEADER, f"{t.label_zh} 第 1 行：缺少「完成值」列（或 achieved），总结评估需要填写完成值",
                    f"{t.label_en}, row 1: column “achieved” (完成值) is missing; a term-end evaluation needs "
                    "the achieved values")
    seen: dict[tuple[str, str], int] = {}
    for n, row in t.rows:
        p = _proposal_ref(t, n, row, proposals)
        kid = _ident(t, n, "kpi_id", t.cell(row, "kpi_id"))
        key = (str(p.values["id"]), kid)
        if key in seen:
            raise t.error(DUPLICATE, n, "kpi_id", f"指标编号“{kid}”与第 {seen[key]} 行重复", f"KPI id “{kid}” repeats row {seen[key]}")
        seen[key] = n
        achieved = _decimal(t, n, "achieved", t.cell(row, "achieved"), required=False, places=6)
        if achieved is None and kind == "term_end_evaluation":
            raise t.error(BAD_VALUE, n, "achieved", "总结评估需要填写完成值", "a term-end evaluation needs the achieved value")
        p.kpis.append(Kpi(id=kid, name=_text(t, n, "name", t.cell(row, "name")),
                          unit=_text(t, n, "unit", t.cell(row, "unit"), required=False, limit=40),
                          target=_decimal(t, n, "target", t.cell(row, "target"), places=6), achieved=achieved,
                          higher_is_better=_bool(t, n, "higher_is_better", t.cell(row, "higher_is_better"), True)))


def _not_applicable(t: _Table, proposals: dict[str, _ProposalRow], forms: dict[str, FormTemplate]) -> None:
    """The items the agency sets not applicable per center: the same for every expert."""
    _bind(t, NA_COLS)
    seen: dict[tuple[str, str, str], int] = {}
    for n, row in t.rows:
        p = _proposal_ref(t, n, row, proposals)
        pid = str(p.values["id"])
        cid = _ident(t, n, "criterion_id", t.cell(row, "criterion_id"))
        fid = t.cell(row, "form_id")
        own = [forms[f] for f in p.values["forms"]]  # type: ignore[attr-defined]
        if fid:
            form = next((f for f in own if f.id == fid), None)
            if form is None:
                raise t.error(UNKNOWN_REF, n, "form_id", f"项目“{pid}”不使用评分表“{fid}”（可选：{'、'.join(f.id for f in own)}）",
                              f"proposal “{pid}” is not scored on form “{fid}” (its forms: {', '.join(f.id for f in own)})")
        else:
            having = [f for f in own if any(c.id == cid for c in f.criteria)]
            if len(having) > 1:
                raise t.error(BAD_VALUE, n, "criterion_id",
                              f"评分项“{cid}”同时出现在评分表 {'、'.join(f.id for f in having)} 中，请在「评分表」列注明",
                              f"item “{cid}” is in forms {', '.join(f.id for f in having)}; name one in column form_id")
            form = having[0] if having else own[0]
        crit = next((c for c in form.criteria if c.id == cid), None)
        if crit is None:
            raise t.error(UNKNOWN_REF, n, "criterion_id", f"评分表“{form.id}”没有评分项“{cid}”",
                          f"form “{form.id}” has no item “{cid}”")
        if not crit.na_allowed:
            raise t.error(BAD_VALUE, n, "criterion_id", f"评分表“{form.id}”的评分项“{cid} {crit.label.zh}”不允许设为不适用",
                          f"item “{cid}” of form “{form.id}” cannot be set not applicable")
        key = (pid, form.id, cid)
        if key in seen:
            raise t.error(DUPLICATE, n, "criterion_id", f"与第 {seen[key]} 行重复", f"repeats row {seen[key]}")
        seen[key] = n
        p.not_applicable.append(NotApplicable(form_id=form.id, criterion_id=cid,
                                              reason=_text(t, n, "reason", t.cell(row, "reason"), required=False,
                                                           limit=500)))


def _pledge(root: Path) -> Text | None:
    """The agency's pledge text from pledge_zh.txt (and pledge_en.txt), or None for the default."""
    texts: dict[str, str] = {}
    for name in PLEDGE_FILES:
        path = root / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = unicodedata.normalize("NFC", data.decode("utf-8")).replace("\r\n", "\n").strip()
        except UnicodeDecodeError:
            raise _fail(UNREADABLE, f"{name}：不是 UTF-8 编码的文本", f"{name}: not UTF-8 text") from None
        if not text or len(text) > 20000:
            raise _fail(BAD_VALUE, f"{name}：承诺书文本为空或超过 20000 字", f"{name}: the pledge is empty or longer "
                        "than 20000 characters")
        texts[name] = text
    if not texts:
        return None
    if PLEDGE_FILES[0] not in texts:
        raise _fail(MISSING_FILE, f"有 {PLEDGE_FILES[1]} 时也须有 {PLEDGE_FILES[0]}（中文承诺书）",
                    f"{PLEDGE_FILES[1]} needs {PLEDGE_FILES[0]} (the Chinese pledge) too")
    zh = texts[PLEDGE_FILES[0]]
    return Text.model_construct(zh=zh, en=texts.get(PLEDGE_FILES[1], zh))


def _experts(t: _Table, proposals: dict[str, _ProposalRow]) -> tuple[list[Expert], dict[str, str]]:
    """The experts, and expert id → panel (专家组) when the column is filled (all rows or none)."""
    _bind(t, EXPERT_COLS)
    experts: list[Expert] = []
    rows: dict[str, int] = {}
    chairs: list[int] = []
    panels: dict[str, str] = {}
    panel_rows: dict[str, int] = {}
    keys: dict[str, int] = {}
    for n, row in t.rows:
        eid = _ident(t, n, "expert_id", t.cell(row, "expert_id"))
        if eid in rows:
            raise t.error(DUPLICATE, n, "expert_id", f"专家编号“{eid}”与第 {rows[eid]} 行重复", f"expert id “{eid}” repeats row {rows[eid]}")
        rows[eid] = n
        role = _choice(t, n, "role", t.cell(row, "role"), _ROLES, "技术/财务/管理", "technical/finance/management")
        chair = _bool(t, n, "chair", t.cell(row, "chair"), False)
        if chair:
            chairs.append(n)
        panel = _text(t, n, "panel", t.cell(row, "panel"), required=False, limit=40)
        if panel:
            panels[eid] = panel
            panel_rows[eid] = n
        assigned_text = t.cell(row, "assigned")
        assigned = list(proposals) if assigned_text == "*" else _ids(t, n, "assigned", assigned_text)
        if not assigned:
            raise t.error(BAD_VALUE, n, "assigned", "不能为空；填 * 表示评审全部项目", "must not be empty; use * for every proposal")
        conflicts = _ids(t, n, "known_conflicts", t.cell(row, "known_conflicts"))
        for key, ids in (("assigned", assigned), ("known_conflicts", conflicts)):
            for pid in ids:
                if pid not in proposals:
                    raise t.error(UNKNOWN_REF, n, key, f"编号“{pid}”不在申报项目表中", f"“{pid}” is not in the proposals table")
        fingerprint = _key_fingerprint(t, n, t.cell(row, "key_fingerprint"), keys)
        experts.append(Expert(id=eid, name=_text(t, n, "name", t.cell(row, "name"), limit=100),
                              unit=_text(t, n, "unit", t.cell(row, "unit"), required=False),
                              title=_text(t, n, "title", t.cell(row, "title"), required=False, limit=100),
                              role=role, chair=chair, assigned=tuple(assigned), known_conflicts=tuple(conflicts),  # type: ignore[arg-type]
                              key_fingerprint=fingerprint))
    if not experts:
        raise _fail(BAD_VALUE, f"{t.label_zh}：没有任何专家", f"{t.label_en}: no experts")
    if panels:
        _check_panels(t, experts, panels, rows, proposals)
        return experts, panels
    if len(chairs) != 1:
        where = "、".join(str(c) for c in chairs) or "无"
        raise _fail(INCONSISTENT, f"{t.label_zh}「组长」列：应恰好有一位组长（现为第 {where} 行）",
                    f"{t.label_en}, column “chair”: exactly one expert must be the chair (rows: {where})")
    _check_coverage(t, experts, proposals)
    return experts, panels


def _key_fingerprint(t: _Table, n: int, v: str, seen: dict[str, int]) -> str | None:
    """The optional 密钥指纹 column: the expert's enrolled key as `ssh-keygen -l` prints it (spaces
    allowed, as on the enrolment sheet); one key belongs to one expert."""
    compact = re.sub(r"\s+", "", v or "")
    if not compact:
        return None
    if compact[:7].upper() == "SHA256:":
        compact = "SHA256:" + compact[7:]
    if not re.fullmatch(r"SHA256:[A-Za-z0-9+/]{43}", compact):
        raise t.error(BAD_VALUE, n, "key_fingerprint", "应为 SHA256: 加 43 个字符（照密钥登记表填写）",
                      "must be SHA256: and 43 characters (as on the enrolment sheet)")
    if compact in seen:
        raise t.error(DUPLICATE, n, "key_fingerprint", f"与第 {seen[compact]} 行是同一把密钥：一把密钥只属于一位专家",
                      f"the same key as row {seen[compact]}: a key belongs to one expert")
    seen[compact] = n
    return compact


def _check_coverage(t: _Table, experts: list[Expert], proposals: dict[str, _ProposalRow]) -> None:
    for pid, p in proposals.items():
        if not any(pid in e.assigned and pid not in e.known_conflicts for e in experts):
            raise _fail(INCONSISTENT, f"{t.label_zh}：申报项目“{pid}”（proposals 第 {p.row} 行）没有分配任何可评审的专家",
                        f"{t.label_en}: proposal “{pid}” (proposals row {p.row}) has no expert who can score it")


def _check_panels(t: _Table, experts: list[Expert], panels: dict[str, str], rows: dict[str, int],
                  proposals: dict[str, _ProposalRow]) -> None:
    """With a 专家组 column: every expert in a panel, one chair per panel, each proposal in one panel."""
    for e in experts:
        if e.id not in panels:
            raise t.error(BAD_VALUE, rows[e.id], "panel", "填写了专家组时，每位专家都要填写所属专家组",
                          "when panels are given, every expert needs one")
    for panel in dict.fromkeys(panels.values()):
        members = [e for e in experts if panels[e.id] == panel]
        chairs = [rows[e.id] for e in members if e.chair]
        if len(chairs) != 1:
            where = "、".join(str(c) for c in chairs) or "无"
            raise _fail(INCONSISTENT, f"{t.label_zh}：专家组“{panel}”应恰好有一位组长（现为第 {where} 行）",
                        f"{t.label_en}: panel “{panel}” needs exactly one chair (rows: {where})")
    for pid, p in proposals.items():
        owners = sorted({panels[e.id] for e in experts if pid in e.assigned})
        if len(owners) > 1:
            raise _fail(INCONSISTENT, f"{t.label_zh}：申报项目“{pid}”（proposals 第 {p.row} 行）分给了多个专家组（{'、'.join(owners)}）",
                        f"{t.label_en}: proposal “{pid}” (proposals row {p.row}) is assigned to several panels "
                        f"({', '.join(owners)})")
    _check_coverage(t, experts, proposals)


# ── documents ───────────────────────────────────────────────────────────────────────────────

def document_member_name(stem: str, taken: set[str]) -> str:
    """A safe lowercase member name for a PDF (建设方案 → plan); unique within `taken`."""
    stem = unicodedata.normalize("NFC", stem).strip()
    base = DOCUMENT_NAMES.get(stem)
    if base is None:
        slug = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")
        base = slug[:50] if slug and _SAFE_STEM.match(slug[:50]) else "document"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}-{i}", i + 1
    taken.add(name)
    return f"{name}.pdf"


def _documents(root: Path, proposals: dict[str, _ProposalRow]) -> dict[str, bytes]:
    folder = root / "proposals"
    documents: dict[str, bytes] = {}
    if not folder.exists():
        return documents
    for sub in sorted(folder.iterdir()):
        rel = f"proposals/{sub.name}"
        if sub.name.startswith(".") or sub.name.lower() in _IGNORED_FILES:
            continue
        if sub.is_symlink() or not sub.is_dir():
            raise _fail(BAD_DOCUMENT, f"{rel}：proposals 下只能放以申报项目编号命名的文件夹",
                        f"{rel}: only folders named after proposal ids may be in proposals/")
        if sub.name not in proposals:
            raise _fail(UNKNOWN_REF, f"{rel}：文件夹名“{sub.name}”不是申报项目编号", f"{rel}: “{sub.name}” is not a proposal id")
        taken: set[str] = set()
        files = sorted(sub.iterdir(), key=lambda p: (unicodedata.normalize("NFC", p.stem) != "建设方案", p.name))
        for f in files:
            frel = f"{rel}/{f.name}"
            if f.name.startswith(".") or f.name.lower() in _IGNORED_FILES:
                continue
            if f.is_symlink() or not f.is_file() or f.suffix.lower() != ".pdf":
                raise _fail(BAD_DOCUMENT, f"{frel}：只能放 PDF 文件", f"{frel}: only PDF files are allowed")
            size = f.stat().st_size
            if size == 0 or size > MAX_PDF_BYTES:
                raise _fail(BAD_DOCUMENT, f"{frel}：文件为空或超过 200 MB", f"{frel}: empty or larger than 200 MB")
            data = f.read_bytes()
            if b"%PDF-" not in data[:1024]:
                raise _fail(BAD_DOCUMENT, f"{frel}：不是 PDF 文件（缺少 %PDF- 文件头）", f"{frel}: not a PDF (no %PDF- header)")
            member = f"{rel}/{document_member_name(f.stem, taken)}"
            documents[member] = data
            title = unicodedata.normalize("NFC", f.stem).strip()[:200] or f.name
            proposals[sub.name].documents.append(Document(path=member, title=title))
    return documents


# ── the folder ──────────────────────────────────────────────────────────────────────────────

def _model(t_label: tuple[str, str], row: int, build: Callable[[], object]) -> object:
    try:
        return build()
    except ValidationError as e:
        first = e.errors()[0]
        where = ".".join(str(x) for x in first["loc"])
        raise _fail(BAD_VALUE, f"{t_label[0]} 第 {row} 行：{where} 不符合要求（{first['msg']}）",
                    f"{t_label[1]}, row {row}: {where} is invalid ({first['msg']})") from None


def read_source(src_dir: Path) -> BatchSpec:
    """Read and check a batch source folder; raises `SourceError` naming file, row and column."""
    root = Path(src_dir)
    if not root.is_dir():
        raise _fail(MISSING_FILE, f"{root}：文件夹不存在", f"{root}: no such folder")
    folder = _Folder(root)
    try:
        batch_t = folder.table("batch", ("batch", "批次"), required=True)
        proposals_t = folder.table("proposals", ("proposals", "申报项目"), required=True)
        budget_t = folder.table("budget", ("budget", "预算"), required=False)
        kpis_t = folder.table("kpis", ("kpis", "绩效指标", "考核指标"), required=False)
        na_t = folder.table("not_applicable", ("not_applicable", "不适用项"), required=False)
        experts_t = folder.table("experts", ("experts", "专家"), required=True)
        assert batch_t and proposals_t and experts_t
        info = _batch_info(batch_t)
        forms = _forms(root)
        proposals = _proposals(proposals_t, info, forms)
        if budget_t is not None:
            _budget(budget_t, proposals)
        if kpis_t is not None:
            _kpis(kpis_t, proposals, info.kind)
        if na_t is not None:
            _not_applicable(na_t, proposals, forms)
        experts, panels = _experts(experts_t, proposals)
    finally:
        folder.close()
    documents = _documents(root, proposals)
    pledge = _pledge(root)
    label = (proposals_t.label_zh, proposals_t.label_en)
    built = [_model(label, p.row, lambda p=p: Proposal(**p.values, budget=tuple(p.budget), kpis=tuple(p.kpis),  # type: ignore[misc]
                                                         documents=tuple(p.documents),
                                                         not_applicable=tuple(p.not_applicable)))
             for p in proposals.values()]
    used = sorted({fid for p in proposals.values() for fid in p.values["forms"]})  # type: ignore[attr-defined]
    return BatchSpec(batch_id=info.batch_id, title=info.title, kind=info.kind, agency_name=info.agency_name,
                     deadline=info.deadline, forms=[forms[f] for f in used], proposals=built,  # type: ignore[arg-type]
                     documents=documents, experts=experts, consolidation=None, panels=panels, pledge=pledge)
