"""The README's benchmark table lists every benchmark `python -m bench` reports (collected from the
`@produces` declarations, without running any), and the quick run's regression warning."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _readme_names() -> set[str]:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Benchmarks", 1)[1].split("\n## ", 1)[0]
    names: set[str] = set()
    for line in section.splitlines():
        if line.startswith("| `"):
            first = line.split("|")[1]
            names.update(re.findall(r"`([a-z0-9_]+)`", first))
    return names


def test_the_readme_table_lists_every_benchmark_and_no_other() -> None:
    from bench.__main__ import declared_names, discover

    assert all(getattr(fn, "result_names", ()) for _, fn in discover()), "a bench_* function without @produces"
    declared = declared_names()
    listed = _readme_names()
    assert declared - listed == set(), f"benchmarks missing from the README table: {sorted(declared - listed)}"
    assert listed - declared == set(), f"README rows for benchmarks that do not exist: {sorted(listed - declared)}"


def test_a_ratio_that_more_than_doubled_is_a_warning_not_a_failure(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import bench.__main__ as cli
    from bench import produces, result

    @produces("fake_ratio", "fake_steady")
    def bench_fake(quick: bool) -> list[dict[str, Any]]:
        return [result("fake_ratio", 3.0, "s", baseline=1.0, samples=[2.5, 3.0, 4.0]),
                result("fake_steady", 1.5, "s", baseline=1.0)]

    monkeypatch.setattr(cli, "discover", lambda: [("bench_fake", bench_fake)])
    base = tmp_path / "baseline.json"
    base.write_text(json.dumps({"quick": True, "results": [{"name": "fake_ratio", "ratio": 1.2},
                                                          {"name": "fake_steady", "ratio": 1.0}]}))
    out = tmp_path / "run.json"
    assert cli.main(["--quick", "--baseline", str(base), "--json", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "REGRESSION fake_ratio: ratio 1.2 → 3" in printed
    assert "fake_steady: ratio" not in printed  # 1.5× is within 2×
    doc = json.loads(out.read_text())
    assert {"cpu", "cores", "python", "pyside6", "reportlab"} <= set(doc["machine"])
    row = doc["results"][0]
    assert (row["min"], row["median"], row["max"], row["runs"]) == (2.5, 3.0, 4.0, 3)
    assert doc["results"][1]["runs"] == 1  # a single figure is one sample

    # a full run is not compared with a quick baseline
    assert cli.main(["--baseline", str(base)]) == 0
    assert "REGRESSION" not in capsys.readouterr().out


def test_the_committed_baseline_is_a_quick_run_of_declared_benchmarks() -> None:
    from bench.__main__ import base_name, declared_names
    from bench.regress import DEFAULT, load

    doc = load(DEFAULT)
    assert doc is not None and doc["quick"] is True
    assert {base_name(r["name"]) for r in doc["results"]} <= declared_names()
