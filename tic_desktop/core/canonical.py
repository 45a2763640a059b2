"""RFC 8785 canonical JSON bytes, fast: what signed documents, form hashes and the audit chain hash.

`rfc8785.dumps` is pure Python; for the values we write — no float, every int a safe integer
(below 2^53), every key ASCII — the C encoder of `json` gives the same bytes (see `plain_dumps`), so
it is used for those and `rfc8785` for anything else. tests/unit/test_formats_strictjson.py compares
both on random values.
"""

from __future__ import annotations

import json
from typing import Any

import rfc8785

MAX_SAFE_INT = 2**53 - 1


def dumps(obj: Any) -> bytes:
    """The RFC 8785 canonical bytes of `obj`."""
    if is_plain(obj):
        return plain_dumps(obj)
    return rfc8785.dumps(obj)


def plain_dumps(obj: Any) -> bytes:
    """RFC 8785 through the C encoder, for values where the two agree byte for byte.

    They agree when there is no float (RFC 8785 prints numbers as ECMAScript doubles), every int
    is a safe integer (below 2^53, where both print plain digits) and every key is ASCII (RFC 8785
    sorts keys by UTF-16 code units, Python by code points: they differ only beyond the BMP).
    String escaping is the same: `"`, `\\`, \\b \\f \\n \\r \\t, other controls as lower-case
    \\u00xx, everything else as UTF-8.
    """
    return json.dumps(obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False).encode("utf-8")


def is_plain(value: Any) -> bool:
    """True when `plain_dumps(value)` equals `rfc8785.dumps(value)` (see there)."""
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        kind = type(item)
        if kind is str or kind is bool or item is None:
            continue
        if kind is int:
            if abs(item) > MAX_SAFE_INT:
                return False
        elif kind is list or kind is tuple:
            stack.extend(item)
        elif kind is dict:
            for key in item:
                if type(key) is not str or not key.isascii():
                    return False
            stack.extend(item.values())
        else:
            return False
    return True
