"""Replay of a draw record: every flipped byte of the record or its signature, and every change to
the pool file that changes a cell, is refused; the untouched files replay."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tic_desktop.agency.draw import DrawRules
from tic_desktop.agency.draw_job import run_draw
from tic_desktop.agency.draw_record import replay
from tic_desktop.agency.pool_sample import write_sample
from tic_desktop.core.errors import Rejected
from tic_desktop.formats.keys import create_agency_keys


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path | bytes]:
    root = tmp_path_factory.mktemp("replay")
    pool, props = write_sample(root, 120, 8)
    keys = create_agency_keys(root / "agency")
    run_draw(pool, props, DrawRules(2, {"technical": 3, "finance": 1}, reserves=1), keys, root / "out",
             seed="77", letters=False)
    return {"root": root, "pool": pool, "props": props, "record": (root / "out" / "draw.json").read_bytes(),
            "sig": (root / "out" / "draw.json.sig").read_bytes(), "pool_bytes": pool.read_bytes()}


def test_the_untouched_files_replay(drawn: dict) -> None:  # type: ignore[type-arg]
    assert replay(drawn["root"] / "out" / "draw.json", drawn["pool"], drawn["props"]).ok


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_flipped_byte_of_the_record_or_signature_is_refused(drawn: dict, tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def, type-arg]
    which = data.draw(st.sampled_from(("record", "sig")))
    blob = bytearray(drawn[which])
    i = data.draw(st.integers(0, len(blob) - 1))
    blob[i] ^= data.draw(st.integers(1, 255))
    folder = tmp_path_factory.mktemp("t")
    (folder / "draw.json").write_bytes(bytes(blob) if which == "record" else drawn["record"])
    (folder / "draw.json.sig").write_bytes(bytes(blob) if which == "sig" else drawn["sig"])
    try:
        result = replay(folder / "draw.json", drawn["pool"], drawn["props"])
    except Rejected:
        return
    assert not result.ok  # (a flip inside the armor's base64 that still decodes differently never verifies)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_a_changed_pool_file_is_refused(drawn: dict, tmp_path_factory, data) -> None:  # type: ignore[no-untyped-def, type-arg]
    lines = drawn["pool_bytes"].decode("utf-8-sig").split("\r\n")
    row = data.draw(st.integers(1, len([ln for ln in lines if ln]) - 1))
    cells = lines[row].split(",")
    col = data.draw(st.sampled_from((1, 2, 3)))  # name, unit, title
    cells[col] = cells[col] + data.draw(st.sampled_from(("甲", "X", "有限公司")))
    lines[row] = ",".join(cells)
    pool = tmp_path_factory.mktemp("p") / "pool.csv"
    pool.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8"))
    result = replay(drawn["root"] / "out" / "draw.json", pool, drawn["props"])
    assert not result.ok and any("pool" in en for _zh, en in result.differences)
