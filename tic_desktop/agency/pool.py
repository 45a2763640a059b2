"""The expert pool (专家库): its model, and reading and writing it as CSV or XLSX.

    experts = read_pool(Path("pool.csv"))          # raises SourceError naming file, row and column
    write_pool(Path("pool.xlsx"), experts)         # Chinese headers; read_pool reads it back
    centers = read_centers(Path("proposals.csv"))  # the batch source's proposals table

Columns (English or Chinese headers; `;` or `；` separates list items):

    expert_id 专家编号 · name 姓名 · unit 单位 · title 职称 · role 角色 · fields 专业领域
    optional: collaborators 合作单位 · unavailable 不可参加日期 · key_fingerprint 密钥指纹 ·
              contact 联系方式 · past_panels 近期评审中心 · past_conflicts 历史回避中心

`unavailable` holds dates and date ranges (`2027-03-01~2027-03-05`); `past_panels` the proposal ids
of the centers whose last panel the expert sat on (rotation); `past_conflicts` the proposal ids the
expert has had a conflict with. The tables are read with the batch source's own reader
(formats.source), so the files, encodings and mistakes are handled the same way.
"""

from __future__ import annotations

import csv
import datetime as _dt
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import register
from tic_desktop.core.labels import ROLE_LABELS
from tic_desktop.formats import table as tb
from tic_desktop.formats.source import PROPOSAL_COLS

ROLES = tuple(ROLE_LABELS)
POOL_FINGERPRINT_CONFLICT = register(
    "pool.key_reused", "专家库中两位专家登记了同一把密钥（一把密钥只能属于一位专家）。请核对密钥指纹。",
    "Two experts in the pool have the same key (one key belongs to one expert). Check the key fingerprints.")

POOL_COLS = (
    tb.Col("expert_id", ("专家编号", "编号")), tb.Col("name", ("姓名",)), tb.Col("unit", ("单位", "工作单位")),
    tb.Col("title", ("职称",)), tb.Col("role", ("角色", "专家类别")),
    tb.Col("fields", ("专业领域", "领域", "技术领域")),
    tb.Col("collaborators", ("合作单位",), required=False),
    tb.Col("unavailable", ("不可参加日期", "不可参加时间"), required=False),
    tb.Col("key_fingerprint", ("密钥指纹",), required=False),
    tb.Col("contact", ("联系方式",), required=False),
    tb.Col("past_panels", ("近期评审中心",), required=False),
    tb.Col("past_conflicts", ("历史回避中心",), required=False),
)
POOL_HEADERS_ZH = tuple(c.names[0] for c in POOL_COLS)
POOL_HEADERS_EN = tuple(c.key for c in POOL_COLS)
_FINGERPRINT = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")


@dataclass(frozen=True)
class DateRange:
    start: str
    end: str
    """Inclusive, YYYY-MM-DD."""

    def covers(self, day: str) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.start if self.start == self.end else f"{self.start}~{self.end}"


@dataclass(frozen=True)
class PoolExpert:
    expert_id: str
    name: str
    unit: str
    title: str
    role: str
    """technical / finance / management."""
    fields: tuple[str, ...]
    collaborators: tuple[str, ...] = ()
    unavailable: tuple[DateRange, ...] = ()
    key_fingerprint: str = ""
    contact: str = ""
    past_panels: tuple[str, ...] = ()
    past_conflicts: tuple[str, ...] = ()

    def unavailable_on(self, day: str) -> bool:
        return any(r.covers(day) for r in self.unavailable)

    def row(self) -> list[str]:
        """The cells in `POOL_COLS` order."""
        return [self.expert_id, self.name, self.unit, self.title, self.role, ";".join(self.fields),
                ";".join(self.collaborators), ";".join(str(r) for r in self.unavailable), self.key_fingerprint,
                self.contact, ";".join(self.past_panels), ";".join(self.past_conflicts)]

    def as_dict(self) -> dict[str, object]:
        return {"expert_id": self.expert_id, "name": self.name, "unit": self.unit, "title": self.title,
                "role": self.role, "fields": list(self.fields), "collaborators": list(self.collaborators),
                "unavailable": [str(r) for r in self.unavailable], "key_fingerprint": self.key_fingerprint,
                "contact": self.contact, "past_panels": list(self.past_panels),
                "past_conflicts": list(self.past_conflicts)}

    @classmethod
    def from_dict(cls, d: dict[str, object]) -> PoolExpert:
        return cls(expert_id=str(d["expert_id"]), name=str(d["name"]), unit=str(d["unit"]), title=str(d["title"]),
                   role=str(d["role"]), fields=tuple(d["fields"]),  # type: ignore[arg-type]
                   collaborators=tuple(d.get("collaborators", ())),  # type: ignore[arg-type]
                   unavailable=tuple(_range_of(str(r)) for r in d.get("unavailable", ())),  # type: ignore[attr-defined]
                   key_fingerprint=str(d.get("key_fingerprint") or ""), contact=str(d.get("contact") or ""),
                   past_panels=tuple(d.get("past_panels", ())),  # type: ignore[arg-type]
                   past_conflicts=tuple(d.get("past_conflicts", ())))  # type: ignore[arg-type]


@dataclass(frozen=True)
class Center:
    """A proposal of the batch source, as far as the draw needs it."""

    proposal_id: str
    center_name: str
    lead_unit: str
    member_units: tuple[str, ...]
    field: str

    @property
    def units(self) -> tuple[str, ...]:
        return (self.lead_unit, *self.member_units)


@dataclass
class _Read:
    label: tuple[str, str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)


def _range_of(text: str) -> DateRange:
    start, _, end = text.partition("~")
    return DateRange(start.strip(), (end or start).strip())


def _dates(t: tb.Table, n: int, v: str) -> tuple[DateRange, ...]:
    out = []
    for part in tb.split_list(v):
        a, sep, b = part.partition("~") if "~" in part else part.partition("～")
        start = tb.date(t, n, "unavailable", a.strip(), required=True)
        end = tb.date(t, n, "unavailable", b.strip(), required=True) if sep else start
        assert start and end
        if end < start:
            raise t.error(tb.BAD_VALUE, n, "unavailable", f"“{part}”的结束日期早于开始日期",
                          f"“{part}” ends before it starts")
        out.append(DateRange(start, end))
    return tuple(out)


def _texts(t: tb.Table, n: int, key: str, v: str) -> tuple[str, ...]:
    items = tb.split_list(v)
    for item in items:
        tb.text(t, n, key, item, limit=100)
    if len(set(items)) != len(items):
        raise t.error(tb.DUPLICATE, n, key, f"“{v}”中有重复项", f"“{v}” repeats an item")
    return tuple(items)


def read_pool(path: Path, *, field_list: Sequence[str] = ()) -> list[PoolExpert]:
    """Read and check a pool file; `field_list` (when not empty) is the agency's list of fields."""
    t = tb.open_table(path, ("pool", "专家库", "experts", "专家"))
    out = _pool_rows(t, field_list)
    if not out:
        raise tb.fail(tb.BAD_VALUE, f"{t.label_zh}：专家库中没有任何专家", f"{t.label_en}: the pool holds no experts")
    return out


def expert_from_form(cells: Sequence[str], *, field_list: Sequence[str] = ()) -> PoolExpert:
    """One expert from the cells of a form, in `POOL_COLS` order; mistakes name the field (as a column)."""
    t = tb.Table("专家信息", "expert", list(POOL_HEADERS_ZH), [(1, [tb.clean(c) for c in cells])])
    [expert] = _pool_rows(t, field_list)
    return expert


def _pool_rows(t: tb.Table, field_list: Sequence[str]) -> list[PoolExpert]:
    tb.bind(t, POOL_COLS)
    allowed = set(field_list)
    out: list[PoolExpert] = []
    seen: dict[str, int] = {}
    keys: dict[str, int] = {}
    for n, row in t.rows:
        eid = tb.ident(t, n, "expert_id", t.cell(row, "expert_id"))
        if eid in seen:
            raise t.error(tb.DUPLICATE, n, "expert_id", f"专家编号“{eid}”与第 {seen[eid]} 行重复",
                          f"expert id “{eid}” repeats row {seen[eid]}")
        seen[eid] = n
        role = tb.choice(t, n, "role", t.cell(row, "role"), tb.ROLES, "技术/财务/管理",
                            "technical/finance/management")
        fields = _texts(t, n, "fields", t.cell(row, "fields"))
        if not fields:
            raise t.error(tb.BAD_VALUE, n, "fields", "至少填写一个专业领域", "give at least one field")
        for f in fields:
            if allowed and f not in allowed:
                raise t.error(tb.BAD_VALUE, n, "fields", f"“{f}”不在机构的专业领域列表中（{'、'.join(sorted(allowed))}）",
                              f"“{f}” is not in the agency's list of fields ({', '.join(sorted(allowed))})")
        fp = t.cell(row, "key_fingerprint").replace(" ", "")
        if fp and not _FINGERPRINT.fullmatch(fp):
            raise t.error(tb.BAD_VALUE, n, "key_fingerprint", f"“{fp}”不是密钥指纹（应为 SHA256: 开头的 50 个字符）",
                          f"“{fp}” is not a key fingerprint (SHA256: followed by 43 characters)")
        if fp and fp in keys:
            raise t.error(POOL_FINGERPRINT_CONFLICT, n, "key_fingerprint", f"与第 {keys[fp]} 行的专家密钥相同",
                          f"the same key as the expert in row {keys[fp]}")
        if fp:
            keys[fp] = n
        out.append(PoolExpert(
            expert_id=eid, name=tb.text(t, n, "name", t.cell(row, "name"), limit=100),
            unit=tb.text(t, n, "unit", t.cell(row, "unit")),
            title=tb.text(t, n, "title", t.cell(row, "title"), required=False, limit=100),
            role=role, fields=fields, collaborators=_texts(t, n, "collaborators", t.cell(row, "collaborators")),
            unavailable=_dates(t, n, t.cell(row, "unavailable")), key_fingerprint=fp,
            contact=tb.text(t, n, "contact", t.cell(row, "contact"), required=False),
            past_panels=tuple(tb.ids(t, n, "past_panels", t.cell(row, "past_panels"))),
            past_conflicts=tuple(tb.ids(t, n, "past_conflicts", t.cell(row, "past_conflicts")))))
    return out


def read_centers(path: Path) -> list[Center]:
    """The batch source's proposals table (CSV or XLSX): the ids, units and fields the draw uses."""
    t = tb.open_table(path, ("proposals", "申报项目"))
    tb.bind(t, PROPOSAL_COLS)
    out: list[Center] = []
    seen: dict[str, int] = {}
    for n, row in t.rows:
        pid = tb.ident(t, n, "proposal_id", t.cell(row, "proposal_id"))
        if pid in seen:
            raise t.error(tb.DUPLICATE, n, "proposal_id", f"编号“{pid}”与第 {seen[pid]} 行重复",
                          f"id “{pid}” repeats row {seen[pid]}")
        seen[pid] = n
        out.append(Center(pid, tb.text(t, n, "center_name", t.cell(row, "center_name")),
                          tb.text(t, n, "lead_unit", t.cell(row, "lead_unit")),
                          _texts(t, n, "member_units", t.cell(row, "member_units")),
                          tb.text(t, n, "field", t.cell(row, "field"))))
    if not out:
        raise tb.fail(tb.BAD_VALUE, f"{t.label_zh}：没有任何申报项目", f"{t.label_en}: no proposals")
    return out


def pool_csv_bytes(experts: Iterable[PoolExpert], *, chinese: bool = True) -> bytes:
    """UTF-8 with a byte order mark (Excel opens the Chinese correctly)."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(POOL_HEADERS_ZH if chinese else POOL_HEADERS_EN)
    for e in experts:
        w.writerow(e.row())
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def pool_xlsx_bytes(experts: Iterable[PoolExpert]) -> bytes:
    import openpyxl  # noqa: PLC0415

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "专家库"
    ws.append(list(POOL_HEADERS_ZH))
    for e in experts:
        ws.append(e.row())
    for col, width in zip("ABCDEFGHIJKL", (10, 10, 28, 12, 8, 24, 28, 22, 52, 18, 18, 18), strict=True):
        ws.column_dimensions[col].width = width
    ws.freeze_panes = "A2"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_pool(path: Path, experts: Iterable[PoolExpert]) -> None:
    """The pool as .xlsx or .csv (by the suffix), Chinese headers, written atomically."""
    path = Path(path)
    data = pool_xlsx_bytes(experts) if path.suffix.lower() == ".xlsx" else pool_csv_bytes(experts)
    atomic_write(path, data)


def today() -> str:
    return _dt.date.today().isoformat()
