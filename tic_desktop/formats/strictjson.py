"""Strict, canonical JSON: the only way signed JSON is read or written.

`parse()` accepts exactly the bytes `dumps()` produces for some value: UTF-8 without a BOM,
no duplicate keys, no NaN/Infinity, bounded depth, value count, string, array and number sizes, and the
bytes must equal their RFC 8785 canonical form (so whitespace, key order and number spelling
cannot differ between what was signed and what is read). Failures raise
`core.errors.Rejected` with a `json.*` code; document readers re-raise them as their own type.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from typing import Any

import rfc8785

from tic_desktop.core import canonical as canon
from tic_desktop.core.errors import Rejected, register

TOO_LARGE = register(
    "json.too_large", "文件中的数据部分过大，无法读取。请向发送方索取正确的文件。",
    "A JSON document is too large to read. Ask the sender for a correct file.",
)
NOT_UTF8 = register(
    "json.not_utf8", "数据不是有效的 UTF-8 文本，文件可能已损坏。请向发送方重新索取文件。",
    "The data is not valid UTF-8 text; the file may be damaged. Ask the sender for the file again.",
)
BOM = register(
    "json.bom", "数据以字节顺序标记（BOM）开头，不是本软件生成的格式。请使用本软件导出的原始文件。",
    "The data starts with a byte order mark (BOM), which this app never writes. Use the original file exported by the app.",
)
SYNTAX = register(
    "json.syntax", "数据格式错误（不是合法的 JSON），文件可能已损坏或被改动。请向发送方重新索取文件。",
    "The data is not valid JSON; the file may be damaged or altered. Ask the sender for the file again.",
)
DUPLICATE_KEY = register(
    "json.duplicate_key", "数据中同一字段出现了两次，文件可能被篡改。请勿使用此文件，并联系发送方。",
    "A field appears twice in the data; the file may have been tampered with. Do not use it and contact the sender.",
)
NON_FINITE = register(
    "json.non_finite", "数据中含有非法数值（NaN 或无穷大）。请向发送方索取正确的文件。",
    "The data contains an invalid number (NaN or infinity). Ask the sender for a correct file.",
)
NUMBER_RANGE = register(
    "json.number_out_of_range", "数据中的数字超出允许范围。请向发送方索取正确的文件。",
    "A number in the data is out of the allowed range. Ask the sender for a correct file.",
)
TOO_DEEP = register(
    "json.too_deep", "数据嵌套层数过多，文件可能是恶意构造的。请勿使用此文件，并联系发送方。",
    "The data is nested too deeply; the file may be malicious. Do not use it and contact the sender.",
)
STRING_TOO_LONG = register(
    "json.string_too_long", "数据中的某段文字过长。请向发送方索取正确的文件。",
    "A text value in the data is too long. Ask the sender for a correct file.",
)
ARRAY_TOO_LONG = register(
    "json.array_too_long", "数据中的某个列表条目过多。请向发送方索取正确的文件。",
    "A list in the data has too many entries. Ask the sender for a correct file.",
)
BAD_STRING = register(
    "json.invalid_string", "数据中含有无效字符。请向发送方索取正确的文件。",
    "The data contains an invalid character. Ask the sender for a correct file.",
)
TOO_MANY_VALUES = register(
    "json.too_many_values", "数据中的条目总数过多，文件可能是恶意构造的。请勿使用此文件，并联系发送方。",
    "The data holds too many values in total; the file may be malicious. Do not use it and contact the sender.",
)
NOT_CANONICAL = register(
    "json.not_canonical", "数据不是规范格式（可能被编辑器改动过），与签名时的内容不一致。请使用未经改动的原始文件。",
    "The data is not in canonical form (it may have been edited), so it is not what was signed. Use the unmodified original file.",
)

MAX_SAFE_INT = canon.MAX_SAFE_INT
# possessive repeats: the regex engine keeps no backtracking state per character (a plain
# `(?:[^"\\]|\\.)*` allocated ~140 bytes per character: 1.4 GB for a 10 MB string)
_STRING_RE = re.compile(rb'"(?:[^"\\]++|\\.)*+"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


@dataclass(frozen=True)
class JsonLimits:
    """Bounds for one document; the defaults suit manifests and sheets."""

    max_bytes: int = 16 * 1024 * 1024
    max_depth: int = 32
    max_string_bytes: int = 64 * 1024
    max_array: int = 10_000
    max_values: int | None = None
    """Values allowed before parsing, counted as strings (keys too) plus `,` `[` `{` outside
    strings; None: `max(max_bytes // 64, 4 * max_array)` (262,144 for 16 MiB). Each parsed value
    costs Python 50–170 bytes, so without this bound a 16 MiB `["","",…]` took ~1 GB before the
    per-array limit was ever checked. The app's documents stay far below it: a sheet spends one
    value per ~6 bytes, and a 300-proposal sheet has ~100,000."""

    @property
    def value_budget(self) -> int:
        return self.max_values if self.max_values is not None else max(self.max_bytes // 64, 4 * self.max_array)


DEFAULT_LIMITS = JsonLimits()


def dumps(obj: Any) -> bytes:
    """The RFC 8785 canonical bytes of `obj` (what we sign and what `parse` accepts)."""
    return canon.dumps(obj)


_plain_dumps = canon.plain_dumps
_plain = canon.is_plain


def parse(data: bytes, limits: JsonLimits = DEFAULT_LIMITS) -> Any:
    """Parse canonical JSON strictly; raise `Rejected` with a `json.*` code on any deviation."""
    if len(data) > limits.max_bytes:
        raise Rejected(TOO_LARGE, f"{len(data)} bytes > {limits.max_bytes}")
    if data.startswith(b"\xef\xbb\xbf") or data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Rejected(BOM)
    try:
        text = data.decode("utf-8", errors="strict")
    except UnicodeDecodeError as exc:
        raise Rejected(NOT_UTF8, f"at byte {exc.start}") from None
    _check_structure(data, limits.max_depth, limits.value_budget, depth=False)
    value = _accept_fast(text, data, limits)
    if value is not _MISS:
        return value
    _check_structure(data, limits.max_depth, limits.value_budget)
    try:
        value = json.loads(
            text,
            object_pairs_hook=_no_duplicates,
            parse_constant=_no_constant,
            parse_int=_bounded_int,
            parse_float=_finite_float,
        )
    except Rejected:
        raise
    except RecursionError:
        raise Rejected(TOO_DEEP) from None
    except ValueError as exc:
        raise Rejected(SYNTAX, str(exc)[:200]) from None
    plain = _check_sizes(value, limits)
    try:
        canonical = _plain_dumps(value) if plain else rfc8785.dumps(value)
    except rfc8785.IntegerDomainError:
        raise Rejected(NUMBER_RANGE) from None
    except rfc8785.FloatDomainError:
        raise Rejected(NON_FINITE) from None
    except rfc8785.CanonicalizationError as exc:
        raise Rejected(BAD_STRING, str(exc)[:200]) from None
    except UnicodeEncodeError:
        raise Rejected(BAD_STRING, "lone surrogate") from None
    if canonical != data:
        raise Rejected(NOT_CANONICAL, _first_difference(canonical, data))
    return value


_MISS = object()


def _accept_fast(text: str, data: bytes, limits: JsonLimits) -> Any:
    """The usual case, a valid canonical document, parsed once at C speed (no Python hook per
    object and number: they took two thirds of a sheet's parse); `_MISS` for anything else, which
    `parse` then reads again the strict way to name the exact fault.

    Accepting here is exactly as strict: the value is `_plain` (no float, NaN or unsafe integer,
    ASCII keys) and within the size limits, and its canonical bytes equal `data` byte for byte — a
    duplicate key (the parser keeps one of them), a lone surrogate or any other deviation changes
    those bytes or fails to encode; an integer beyond 2^53 is not `_plain`."""
    try:
        value = json.loads(text)
        if not _check_sizes(value, limits, limits.max_depth):
            return _MISS
        canonical = _plain_dumps(value)
    except (Rejected, ValueError, RecursionError, UnicodeEncodeError):
        return _MISS
    return value if canonical == data else _MISS


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        for key, _value in pairs:
            if key in seen:
                raise Rejected(DUPLICATE_KEY, repr(key)[:80])
            seen.add(key)
    return result


def _no_constant(name: str) -> Any:
    raise Rejected(NON_FINITE, name)


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > 16:
        raise Rejected(NUMBER_RANGE, f"{text[:20]}… ({len(text)} digits)")
    value = int(text)
    if abs(value) > MAX_SAFE_INT:
        raise Rejected(NUMBER_RANGE, text)
    return value


def _finite_float(text: str) -> float:
    if len(text) > 40:
        raise Rejected(NUMBER_RANGE, text[:20] + "…")
    value = float(text)
    if not math.isfinite(value):
        raise Rejected(NUMBER_RANGE, text)
    return value


def _check_structure(data: bytes, max_depth: int, max_values: int, *, depth: bool = True) -> None:
    """Bound the number of values, then the nesting, before the parser builds anything.

    Counting is done on the raw bytes first (C speed, no copies): quotes / 2 + `,` `[` `{` is an
    upper bound of the values. Only above the budget are strings walked one by one (stopping as
    soon as they alone exceed it) to take out what sits inside them. The depth walk strips
    strings so they cannot hide brackets (the possessive regex keeps no state per character);
    by then there are at most `max_values` strings, which bounds the pieces the substitution
    builds (~45 MB at the default budget, against ~1 GB for 16 MiB of `"" ` before). `depth=False`
    leaves the nesting to the caller (`_accept_fast` bounds it while walking the parsed value),
    unless the budget is exceeded too (then too deep is still the reason given)."""
    opens = data.count(b"[") + data.count(b"{")
    structural = data.count(b",") + opens
    too_many = False
    if data.count(b'"') // 2 + structural > max_values:
        strings = inside = 0
        for match in _STRING_RE.finditer(data):
            strings += 1
            if strings > max_values:
                raise Rejected(TOO_MANY_VALUES, f"more than {max_values} strings")
            start, end = match.span()
            inside += data.count(b",", start, end) + data.count(b"[", start, end) + data.count(b"{", start, end)
        too_many = strings + structural - inside > max_values
    if opens > max_depth and (depth or too_many):  # too deep is the more telling reason when both hold
        depth = 0
        for b in _STRING_RE.sub(b"", data).translate(None, _NOT_BRACKETS):
            if b in (0x5B, 0x7B):
                depth += 1
                if depth > max_depth:
                    raise Rejected(TOO_DEEP, f"more than {max_depth} levels")
            else:
                depth -= 1
    if too_many:
        raise Rejected(TOO_MANY_VALUES, f"more than {max_values} values")


def _check_sizes(value: Any, limits: JsonLimits, max_depth: int | None = None) -> bool:
    """Bound string and container sizes; also tell whether the value is `_plain` (one walk, not two).

    Walked level by level: only containers are queued; their scalars are checked in place (most
    values are scalars).
    `max_depth`: also refuse (`json.too_deep`) containers nested deeper."""
    max_chars = limits.max_string_bytes // 4
    max_bytes = limits.max_string_bytes
    max_array = limits.max_array
    plain = True

    def too_long(text: str) -> bool:
        return len(text.encode("utf-8", "surrogatepass")) > max_bytes

    level: list[Any] = [[value]]  # one nesting level at a time: its depth is the loop count
    depth = 0
    while level:
        depth += 1
        if max_depth is not None and depth > max_depth + 1:  # the wrapper is depth 1
            raise Rejected(TOO_DEEP, f"more than {max_depth} levels")
        inner: list[Any] = []
        for item in level:
            if type(item) is dict:
                if len(item) > max_array:
                    raise Rejected(ARRAY_TOO_LONG, f"{len(item)} keys")
                for key in item:
                    if len(key) > max_chars and too_long(key):
                        raise Rejected(STRING_TOO_LONG, f"{len(key)} characters")
                    if plain and not key.isascii():
                        plain = False
                values: Any = item.values()
            else:
                if len(item) > max_array:  # the outer [value] wrapper has one entry
                    raise Rejected(ARRAY_TOO_LONG, f"{len(item)} entries")
                values = item
            for v in values:
                kind = type(v)
                if kind is str:
                    if len(v) > max_chars and too_long(v):
                        raise Rejected(STRING_TOO_LONG, f"{len(v)} characters")
                elif kind is dict or kind is list:
                    inner.append(v)
                elif kind is float:
                    plain = False
                elif kind is int and plain and not -MAX_SAFE_INT <= v <= MAX_SAFE_INT:
                    plain = False  # only reached unparsed by `_accept_fast` (the strict parser refuses it)
                # bool and None need nothing
        level = inner
    return plain


def _first_difference(a: bytes, b: bytes) -> str:
    n = next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    return f"first difference at byte {n}"
