"""Benchmarks: `python -m bench [--quick] [--only NAME] [--json FILE]`.

Each module `bench/bench_*.py` holds functions `bench_*(quick: bool) -> list[dict]`, each
declaring with `@produces(...)` the result names it reports (the README's table lists them all: a
test checks it without running anything); every dict is one measurement made by `result()` below.
A benchmark compares itself with a baseline measured in the same run where it can (so the ratio
means something on any machine) and says whether it met its target; missing a target is reported,
never an error. Every row carries the min / median / max of its samples (`runs` of them; a single
figure such as a size is one sample) and its inputs in `params`.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

KEYS = ("name", "value", "unit", "baseline", "ratio", "target", "ok")
SPREAD = ("min", "median", "max", "runs")
"""Filled in by `result` (or by `python -m bench` for a row that gives only its value)."""

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
    samples: Sequence[float] | None = None,
    params: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One measurement. `target` is an upper bound on the ratio (value / baseline), or on the
    value itself with target_on="value"; `ok` is None when there is no target to judge by.
    `samples`: every run's figure (min / median / max are reported; default: `value` alone);
    `params`: the inputs (proposals, experts, pages, runs…)."""
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
    row.update(spread(samples if samples is not None else ([] if value is None else [value])))
    if note:
        row["note"] = note
    if params is not None:
        row["params"] = params
    return row


def spread(samples: Sequence[float]) -> dict[str, Any]:
    """min / median / max / runs of `samples` (None when there are none)."""
    values = [float(x) for x in samples]
    if not values:
        return {"min": None, "median": None, "max": None, "runs": 0}
    return {"min": min(values), "median": statistics.median(values), "max": max(values), "runs": len(values)}


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
