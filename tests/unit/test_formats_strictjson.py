"""Strict canonical JSON: every deviation from the bytes we sign is a typed rejection."""

from __future__ import annotations

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import strictjson
from tic_desktop.formats.strictjson import JsonLimits

SMALL = JsonLimits(max_bytes=200_000, max_depth=32, max_string_bytes=100, max_array=50)


@pytest.mark.parametrize(
    ("data", "code"),
    [
        pytest.param(b"\xef\xbb\xbf{}", "json.bom", id="utf8-bom"),
        pytest.param("{}".encode("utf-16"), "json.bom", id="utf16"),
        pytest.param(b'{"a":"\xff"}', "json.not_utf8", id="invalid-utf8"),
        pytest.param(b'{"a":"\xed\xa0\x80"}', "json.not_utf8", id="utf8-encoded-surrogate"),
        pytest.param(b'"\\ud800"', "json.invalid_string", id="lone-surrogate-escape"),
        pytest.param(b'{"score":1,"score":5}', "json.duplicate_key", id="duplicate-key"),
        pytest.param(b'{"a":{"b":1,"b":1}}', "json.duplicate_key", id="nested-duplicate-key"),
        pytest.param(b"[NaN]", "json.non_finite", id="nan"),
        pytest.param(b"[Infinity]", "json.non_finite", id="infinity"),
        pytest.param(b"[-Infinity]", "json.non_finite", id="minus-infinity"),
        pytest.param(b"[1e400]", "json.number_out_of_range", id="1e400"),
        pytest.param(b"[" + b"9" * 5000 + b"]", "json.number_out_of_range", id="5000-digit-int"),
        pytest.param(b"[9007199254740993]", "json.number_out_of_range", id="2pow53-plus-1"),
        pytest.param(b"[-0]", "json.not_canonical", id="minus-zero"),
        pytest.param(b"[1.50]", "json.not_canonical", id="trailing-zero"),
        pytest.param(b"[1.0000000000000002]", None, id="shortest-double-ok"),
        pytest.param(b'{"b":1,"a":2}', "json.not_canonical", id="unsorted-keys"),
        pytest.param(b'{\n  "a": 1\n}', "json.not_canonical", id="pretty-printed"),
        pytest.param(b'{"a":1} ', "json.not_canonical", id="trailing-space"),
        pytest.param(b'"\\u0041"', "json.not_canonical", id="needless-escape"),
        pytest.param(b"[" * 100_000, "json.too_deep", id="depth-100000"),
        pytest.param(b"[" * 33 + b"]" * 33, "json.too_deep", id="depth-33"),
        pytest.param(b'["' + b"[" * 90 + b'"]', None, id="brackets-in-string-ok"),
        pytest.param(b'"' + b"x" * 101 + b'"', "json.string_too_long", id="long-string"),
        pytest.param(b'{"' + b"k" * 101 + b'":1}', "json.string_too_long", id="long-key"),
        pytest.param(b"[" + b",".join([b"1"] * 51) + b"]", "json.array_too_long", id="long-array"),
        pytest.param(b"x" * 200_001, "json.too_large", id="too-large"),
        pytest.param(b'{"a":}', "json.syntax", id="syntax"),
        pytest.param(b"", "json.syntax", id="empty"),
        pytest.param(b'{"a":1}{"b":2}', "json.syntax", id="two-documents"),
    ],
)
def test_parse(data: bytes, code: str | None) -> None:
    if code is None:
        strictjson.parse(data, SMALL)
        return
    with pytest.raises(Rejected) as err:
        strictjson.parse(data, SMALL)
    assert err.value.code == code


def test_nul_in_string_is_canonical_escape() -> None:
    assert strictjson.parse(b'"a\\u0000b"') == "a\x00b"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=8), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_canonical_round_trip(value: object) -> None:
    data = strictjson.dumps(value)
    assert data == rfc8785.dumps(value)
    assert strictjson.parse(data) == value
    assert strictjson.dumps(strictjson.parse(data)) == data


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200))
def test_random_bytes_only_reject(data: bytes) -> None:
    try:
        strictjson.parse(data, SMALL)
    except Rejected as exc:
        assert exc.code.startswith("json.")


# ── the C-encoder fast path must be byte-identical to rfc8785 ────────────────────────────────

_json_leaf = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**53) + 1, max_value=2**53 - 1),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=20),
)
_json_value = st.recursive(
    _json_leaf,
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.text(alphabet=st.characters(max_codepoint=127), max_size=8), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None)
@given(value=_json_value)
def test_fast_canonical_dumps_equals_rfc8785(value: object) -> None:
    assert strictjson._plain(value)
    assert strictjson.dumps(value) == rfc8785.dumps(value)
    assert strictjson.parse(strictjson.dumps(value)) == value


@pytest.mark.parametrize("value", [{"é": 1}, {"a": 1.5}, [{"😀": None}], {"\ue000": 1, "😀": 2}])
def test_values_where_the_encoders_could_differ_take_the_rfc8785_path(value: object) -> None:
    assert not strictjson._plain(value)
    assert strictjson.dumps(value) == rfc8785.dumps(value)


def test_the_fast_path_accepts_exactly_what_the_strict_path_accepts() -> None:
    """`parse` reads a canonical document once at C speed and falls back to the hooked parser to
    name a fault: every deviation must miss the fast path and still get its own code."""
    doc = {"a": [1, 2, {"b": "天津", "c": None, "d": True}], "n": 9007199254740991, "s": "x" * 50}
    data = strictjson.dumps(doc)
    assert strictjson._accept_fast(data.decode(), data, strictjson.DEFAULT_LIMITS) == doc
    assert strictjson.parse(data) == doc
    for bad, code in [(b'{"a":1,"a":1}', "json.duplicate_key"), (b"[9007199254740993]", "json.number_out_of_range"),
                      (b'["\\ud800"]', None), (b"[1.5]", None), (b"[NaN]", "json.non_finite"),
                      (b"[" * 33 + b"]" * 33, "json.too_deep")]:
        assert strictjson._accept_fast(bad.decode(), bad, SMALL) is strictjson._MISS, bad
        if code is not None:
            with pytest.raises(Rejected) as err:
                strictjson.parse(bad, SMALL)
            assert err.value.code == code, bad
