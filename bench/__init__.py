"""Benchmarks: `python -m bench [--quick] [--only NAME] [--json FILE]`.

Each module `bench/bench_*.py` holds functions `bench_*(quick: bool) -> list[dict]`; every dict
is one measurement made by `result()` below. A benchmark compares itself with a baseline measured
in the same run where it can (so the ratio means something on any machine) and says whether it
met its target; missing a target is reported, never an error.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

KEYS = ("name", "value", "unit", "baseline", "ratio", "target", "ok")

BenchFn = Callable[[bool], list[dict[str, Any]]]


def result(
    name: str,
    value: float | None,
    unit: str,
    *,
    baseline: float | None = None,
    target: float | None = None,
    target_on: str = "ratio",
    note: str | None = None,
) -> dict[str, Any]:
    """One measurement. `target` is an upper bound on the ratio (value / baseline), or on the
    value itself with target_on="value"; `ok` is None when there is no target to judge by."""
    ratio = value / baseline if value is not None and baseline else None
    judged = ratio if target_on == "ratio" else value
    ok = None if target is None or judged is None else judged <= target
    row: dict[str, Any] = {
        "name": name,
        "value": value,
        "unit": unit,
        "baseline": baseline,
        "ratio": ratio,
        "target": None
        if target is None
        else (f"ratio <= {target:g}" if target_on == "ratio" else f"<= {target:g}"),
        "ok": ok,
    }
    if note:
        row["note"] = note
    return row


def produces(*names: str) -> Callable[[BenchFn], BenchFn]:
    """Declare the result names a benchmark function reports, so `--only` can select by them
    without running every benchmark."""

    def mark(fn: BenchFn) -> BenchFn:
        fn.result_names = names  # type: ignore[attr-defined]
        return fn

    return mark


@contextmanager
def stopwatch() -> Iterator[list[float]]:
    """`with stopwatch() as t: ...` then `t[0]` is the elapsed wall time in seconds."""
    box: list[float] = []
    start = time.perf_counter()
    try:
        yield box
    finally:
        box.append(time.perf_counter() - start)
