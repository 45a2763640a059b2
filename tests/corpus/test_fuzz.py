"""Fuzzing the readers (issue 6 part 2): random and structurally mutated batches and sheets.

The only outcomes allowed are "accepted" or a typed rejection (`BatchRejected` / `SheetRejected`,
subclasses of `core.errors.Rejected`); any other exception is a bug. Mutations: flip any byte, cut
anywhere, duplicate or drop ZIP members, drop, duplicate or change JSON fields — also re-signed
with the right key, so that the fuzz reaches the JSON, schema and semantic layers instead of
stopping at the signature.

Example counts are modest so CI stays fast; for longer runs set `TIC_FUZZ_EXAMPLES` (e.g. 20000)
or `HYPOTHESIS_PROFILE=long`; coverage-guided runs: fuzz/atheris_sheet.py, fuzz/atheris_batch.py.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any

from batch_factory import MANIFEST, MANIFEST_SIG, raw_zip
from conftest import Ctx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sheet_factory import SHEET_FILES, SheetWorld, body_of, sign_members

from tic_desktop.core.errors import BatchRejected, SheetRejected
from tic_desktop.formats import sheet as sf
from tic_desktop.formats import sshsig, strictjson
from tic_desktop.formats.batch import read_batch

settings.register_profile("ci", max_examples=int(os.environ.get("TIC_FUZZ_EXAMPLES", "60")), deadline=None,
                          derandomize=True, print_blob=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
settings.register_profile("long", max_examples=int(os.environ.get("TIC_FUZZ_EXAMPLES", "20000")), deadline=None,
                          derandomize=False, print_blob=True,
                          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
PROFILE = settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

# ── mutation strategies ─────────────────────────────────────────────────────────────────────

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**53) + 1, 2**53 - 1) | st.text(max_size=20)
    | st.sampled_from(["0", "-1", "40", "40.5", "1e3", "NaN", "", "E01", "P001", "a" * 70, "\u202e"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=6,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path to a value inside a JSON document."""
    out = [prefix] if prefix else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def mutate_json(draw: st.DrawFn, doc: Any) -> Any:
    """Drop, duplicate-in-place, replace or add one field anywhere in a (copied) JSON document."""
    doc = json.loads(json.dumps(doc))
    path = draw(st.sampled_from(_paths(doc)), label="path")
    parent: Any = doc
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    action = draw(st.sampled_from(["drop", "replace", "duplicate", "add"]), label="action")
    if action == "drop":
        del parent[last]
    elif action == "replace":
        parent[last] = draw(JSON_VALUES, label="value")
    elif action == "duplicate":
        if isinstance(parent, list):
            parent.insert(last, parent[last])
        else:
            parent[f"{last}"] = parent[last]  # same key: a no-op for dicts; key duplicates come from text
    elif isinstance(parent, dict):
        parent[draw(st.text(min_size=1, max_size=8), label="key")] = draw(JSON_VALUES, label="value")
    else:
        parent.append(draw(JSON_VALUES, label="value"))
    return doc


def duplicate_key_text(draw: st.DrawFn, body: bytes) -> bytes:
    """A key repeated in the raw text (`{"a":1,"a":2}`), which a dict cannot express."""
    text = body.decode()
    starts = [i for i, ch in enumerate(text) if ch == "{" and text[i + 1:i + 2] == '"']
    at = draw(st.sampled_from(starts), label="object")
    end = text.index('":', at)
    key = text[at + 1:end + 1]
    return (text[:at + 1] + key + ":" + json.dumps(draw(JSON_VALUES, label="value")) + "," + text[at + 1:]).encode()


def zip_mutation(draw: st.DrawFn, members: dict[str, bytes]) -> bytes:
    """Members duplicated, dropped, renamed, emptied or given another's bytes, in a ZIP written as
    is (names untouched). One drawn seed drives the edits (stable under Hypothesis' replay)."""
    import random

    rnd = random.Random(draw(st.integers(0, 2**32 - 1), label="seed"))
    entries: list[tuple[str, bytes, dict[str, Any]]] = [(n, b, {}) for n, b in sorted(members.items())]
    for _ in range(rnd.randint(1, 3)):
        action = rnd.choice(["drop", "duplicate", "rename", "empty", "swap"])
        i = rnd.randrange(len(entries))
        name, data, opts = entries[i]
        if action == "drop" and len(entries) > 1:
            entries.pop(i)
        elif action == "duplicate":
            entries.insert(i, (name, rnd.choice([data, b"", b"{}"]), opts))
        elif action == "rename":
            entries[i] = (rnd.choice([name.upper(), name + ".", "../" + name, name.replace("/", "\\"), "x/" + name,
                                      name + "\u0301"]), data, opts)
        elif action == "empty":
            entries[i] = (name, b"", opts)
        elif action == "swap":
            entries[i] = (name, entries[rnd.randrange(len(entries))][1], opts)
    return raw_zip(entries)


def _same_members(z: bytes, members: dict[str, bytes]) -> bool:
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(z)) as zf:
        infos = zf.infolist()
        return len(infos) == len(members) and {i.filename: zf.read(i) for i in infos} == members


def byte_mutation(draw: st.DrawFn, data: bytes) -> bytes:
    action = draw(st.sampled_from(["flip", "cut", "insert", "delete"]), label="byte action")
    at = draw(st.integers(0, len(data) - 1), label="at")
    if action == "flip":
        b = bytearray(data)
        b[at] ^= draw(st.integers(1, 255), label="mask")
        return bytes(b)
    if action == "cut":
        return data[:at]
    if action == "insert":
        return data[:at] + draw(st.binary(min_size=1, max_size=8), label="bytes") + data[at:]
    return data[:at] + data[at + draw(st.integers(1, 64), label="n"):]


# ── sheets ──────────────────────────────────────────────────────────────────────────────────

def _sheet_outcome(w: SheetWorld, data: bytes) -> str:
    try:
        sf.read_sheet(data, w.batch, **w.read_kwargs())
    except SheetRejected as exc:
        return exc.code
    return "accepted"


def _fuzz(fn: Callable[..., None]) -> Callable[..., None]:
    return PROFILE(fn)


@_fuzz
@given(data=st.data())
def test_sheet_bytes_flipped_cut_or_spliced(sheets: SheetWorld, data: st.DataObject) -> None:
    target = data.draw(st.sampled_from(["ciphertext", "plaintext"]), label="layer")
    if target == "ciphertext":
        assert _sheet_outcome(sheets, byte_mutation(data.draw, sheets.valid)) != "accepted"
    else:
        _sheet_outcome(sheets, sheets.encrypt(byte_mutation(data.draw, sheets.zip), sheets.agency_recipient))


@_fuzz
@given(data=st.data())
def test_sheet_members_duplicated_dropped_renamed(sheets: SheetWorld, data: st.DataObject) -> None:
    z = zip_mutation(data.draw, dict(sheets.members))
    # accepted only when the edits cancelled out (e.g. a member swapped with itself)
    assert _sheet_outcome(sheets, sheets.encrypt(z, sheets.agency_recipient)) != "accepted" or _same_members(
        z, sheets.members)


@_fuzz
@given(data=st.data())
def test_sheet_json_fields_mutated_and_resigned(sheets: SheetWorld, data: st.DataObject) -> None:
    """The fuzz reaches schema and semantics: every mutant is validly signed by E01's key."""
    body = mutate_json(data.draw, body_of(sheets.members))
    relist = data.draw(st.booleans(), label="relist")
    m = {k: v for k, v in sheets.members.items() if k not in SHEET_FILES}
    if relist and isinstance(body, dict):
        body["members"] = [e.model_dump(mode="json") for e in sf.member_entries(m)]
    raw = strictjson.dumps(body) if data.draw(st.booleans(), label="canonical") else json.dumps(body).encode()
    outcome = _sheet_outcome(sheets, sheets.resealed(m, raw))
    if outcome == "accepted":
        # only a change the rules allow is accepted (e.g. another comment or created_at)
        assert sf.read_sheet(sheets.resealed(m, raw), sheets.batch, **sheets.read_kwargs()).sheet_bytes == raw


@_fuzz
@given(data=st.data())
def test_sheet_json_duplicate_keys_resigned(sheets: SheetWorld, data: st.DataObject) -> None:
    raw = duplicate_key_text(data.draw, sheets.members[sf.SHEET])
    m = sign_members({k: v for k, v in sheets.members.items() if k not in SHEET_FILES}, raw, sheets.e1.signing_key)
    assert _sheet_outcome(sheets, sheets.encrypt(raw_zip([(n, b, {}) for n, b in sorted(m.items())]))) \
        == "json.duplicate_key"


@_fuzz
@given(data=st.data())
def test_sheet_signature_files_mutated(sheets: SheetWorld, data: st.DataObject) -> None:
    name = data.draw(st.sampled_from([sf.SHEET_SIG, sf.SHEET_RAW_SIG, sf.EXPERT_PUB, sf.EXPERT_PEM]), label="member")
    mutated = byte_mutation(data.draw, sheets.members[name])
    outcome = _sheet_outcome(sheets, sheets.resealed({**sheets.members, name: mutated}))
    assert outcome != "accepted" or name == sf.EXPERT_PUB  # expert.pub's comment field is not signed data


# ── batches ─────────────────────────────────────────────────────────────────────────────────

def _batch_outcome(data: bytes, ctx: Ctx) -> str:
    try:
        with read_batch(data, pinned_fingerprint=ctx.keys.fingerprint):
            pass
    except BatchRejected as exc:
        return exc.code
    return "accepted"


@_fuzz
@given(data=st.data())
def test_batch_bytes_flipped_cut_or_spliced(ctx: Ctx, data: st.DataObject) -> None:
    _batch_outcome(byte_mutation(data.draw, ctx.valid), ctx)


@_fuzz
@given(data=st.data())
def test_batch_members_duplicated_dropped_renamed(ctx: Ctx, data: st.DataObject) -> None:
    z = zip_mutation(data.draw, dict(ctx.members))
    _batch_outcome(z, ctx)


@_fuzz
@given(data=st.data())
def test_batch_manifest_fields_mutated_and_resigned(ctx: Ctx, data: st.DataObject) -> None:
    body = mutate_json(data.draw, strictjson.parse(ctx.members[MANIFEST]))
    raw = strictjson.dumps(body) if data.draw(st.booleans(), label="canonical") else json.dumps(body).encode()
    m = {**ctx.members, MANIFEST: raw, MANIFEST_SIG: sshsig.sign(raw, ctx.keys.signing_key, "tic-batch-v1")}
    _batch_outcome(raw_zip([(n, b, {}) for n, b in sorted(m.items())]), ctx)


@_fuzz
@given(data=st.data())
def test_batch_parts_mutated_and_resigned(ctx: Ctx, data: st.DataObject) -> None:
    """A form or proposal.json mutated, the manifest relisted and signed again: reaches the parts' checks."""
    from batch_factory import resign

    part = data.draw(st.sampled_from(sorted(n for n in ctx.members if n.endswith(".json") and n != MANIFEST)),
                     label="part")
    doc = mutate_json(data.draw, strictjson.parse(ctx.members[part]))
    _batch_outcome(resign({**ctx.members, part: strictjson.dumps(doc)}, ctx.keys), ctx)


def test_the_unmutated_inputs_are_accepted(sheets: SheetWorld, ctx: Ctx) -> None:
    """So the fuzz above is not vacuous: the seeds it mutates verify."""
    assert _sheet_outcome(sheets, sheets.valid) == "accepted"
    assert _sheet_outcome(sheets, sheets.resealed(sheets.members)) == "accepted"
    assert _batch_outcome(ctx.valid, ctx) == "accepted"
