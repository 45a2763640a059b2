"""tic_desktop.demo: the demo source folder and batch, parsed once."""

from __future__ import annotations

from pathlib import Path

import pytest

from tic_desktop import demo
from tic_desktop.formats.source import read_source


@pytest.mark.parametrize("kind", ["feasibility_review", "term_end_evaluation"])
def test_the_spec_is_what_read_source_makes_of_the_folder(tmp_path: Path, kind: str) -> None:
    src, spec = demo._build_demo(tmp_path / "src", kind)
    again = read_source(src)
    assert spec == again
    per = 1 if kind == "feasibility_review" else 3  # term end: 建设方案, 建设总结报告, 专项审计报告
    assert len(spec.documents) == 6 * per and all(len(p.documents) == per for p in spec.proposals)


def test_write_demo_batch_parses_the_tables_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def counting(src: Path):  # type: ignore[no-untyped-def]
        calls.append(src)
        return read_source(src)

    monkeypatch.setattr(demo, "read_source", counting)
    out = demo.write_demo_batch(tmp_path / "out")
    assert out.is_file() and len(calls) == 1


def test_one_demo_batch_serves_both_demos(tmp_path: Path) -> None:
    """Issue 17 item 10: every build of the demo batch has one manifest hash, and a demo folder left by
    an older version (another `created_at`) is rebuilt, for the expert demo and the agency demo alike."""
    from tic_desktop.agency.workspace import AgencyWorkspace
    from tic_desktop.demo_agency import prepare_agency_demo
    from tic_desktop.formats.batch import read_batch, write_batch
    from tic_desktop.formats.keys import load_agency_keys

    first, second = demo.write_demo_batch(tmp_path / "a"), demo.write_demo_batch(tmp_path / "b")
    with read_batch(first) as a, read_batch(second) as b:
        assert a.manifest_sha256 == b.manifest_sha256 and a.manifest.created_at == demo.DEMO_CREATED_AT
        current = a.manifest_sha256

    # an older version's demo batch (built at its own time) in both demo folders
    data = tmp_path / "data"
    spec = demo._build_demo(tmp_path / "src", "feasibility_review")[1]
    keys = load_agency_keys(demo.demo_agency_dir())
    (data / "demo").mkdir(parents=True)
    write_batch(data / "demo" / demo.DEMO_BATCH_NAME, spec, keys, created_at="2026-02-01T08:00:00+00:00")
    old_agency = data / "demo" / "agency-demo"
    (old_agency / "batch").mkdir(parents=True)
    write_batch(old_agency / "batch" / demo.DEMO_BATCH_NAME, spec, keys, created_at="2026-02-01T08:00:00+00:00")
    assert not demo.is_current_demo_batch(data / "demo" / demo.DEMO_BATCH_NAME)

    shared = demo.shared_demo_batch(data)
    assert demo.is_current_demo_batch(shared)
    folder = prepare_agency_demo(old_agency)
    ws = AgencyWorkspace.open(folder / "agency.db", check_location=False)
    try:
        assert [info.manifest_sha256 for info in ws.batches()] == [current]
    finally:
        ws.close()
    with read_batch(shared) as opened:
        assert opened.manifest_sha256 == current
