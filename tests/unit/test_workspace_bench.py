"""The workspace benchmark keeps the signature the `python -m bench` harness calls."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def test_bench_edit_commit_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.syspath_prepend(str(ROOT))
    module = importlib.import_module("bench.bench_workspace")
    rows = module.bench_edit_commit(True)
    assert [r["name"] for r in rows] == ["workspace_edit_commit_median", "workspace_edit_commit_p95"]
    for row in rows:
        assert {"name", "value", "unit", "baseline", "ratio", "target", "ok"} <= row.keys()
        assert row["unit"] == "ms" and row["value"] > 0
    assert rows[0]["target"] == "<= 5"
    sys.modules.pop("bench.bench_workspace", None)
