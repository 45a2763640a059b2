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
    assert len(spec.documents) == 6 and all(len(p.documents) == 1 for p in spec.proposals)


def test_write_demo_batch_parses_the_tables_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Path] = []

    def counting(src: Path):  # type: ignore[no-untyped-def]
        calls.append(src)
        return read_source(src)

    monkeypatch.setattr(demo, "read_source", counting)
    out = demo.write_demo_batch(tmp_path / "out")
    assert out.is_file() and len(calls) == 1
