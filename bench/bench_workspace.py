"""Workspace edit -> commit latency: how long the expert waits for "已保存" after changing a score.

Each edit is one `Workspace.set_answer` (its own BEGIN IMMEDIATE transaction with the audit
event, WAL + synchronous=FULL). Target from the issue: median <= 5 ms on this machine.
Baseline, in the same folder and run: a bare sqlite3 upsert + commit with the same pragmas,
i.e. what the disk's fsync costs.
"""

from __future__ import annotations

import hashlib
import sqlite3
import statistics
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from bench import produces, result

TARGET_MEDIAN_MS = 5.0


def _raw_sqlite_ms(folder: Path, n: int) -> list[float]:
    conn = sqlite3.connect(folder / "raw.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=FULL")
    conn.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v TEXT)")
    times = []
    for i in range(n):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO t VALUES ('1.1', ?) ON CONFLICT DO UPDATE SET v = excluded.v", (str(i % 20),)
        )
        conn.execute("COMMIT")
        times.append((time.perf_counter() - start) * 1000)
    conn.close()
    return times


@produces("workspace_edit_commit_median", "workspace_edit_commit_p95")
def bench_edit_commit(quick: bool) -> list[dict[str, Any]]:
    """Rows {name, value, unit, baseline, ratio, target, ok} for the median and p95 latency."""
    from tic_desktop.storage.workspace import Workspace

    n = 50 if quick else 1000
    with tempfile.TemporaryDirectory(prefix="tic-bench-ws-") as tmp:
        folder = Path(tmp)
        raw = b"bench"
        with Workspace.open(folder / "workspace.db", check_location=False) as ws:
            ws.add_batch(
                batch_id="bench",
                manifest_sha256=hashlib.sha256(raw).hexdigest(),
                title_zh="基准测试",
                title_en="Benchmark",
                kind="feasibility_review",
                agency_name="基准测试机构",
                agency_fingerprint="SHA256:" + "A" * 43,
                raw=raw,
            )
            times = []
            for i in range(n):
                value = Decimal(i % 20) / 2  # always a change from the previous edit
                start = time.perf_counter()
                ws.set_answer("bench", "E01", "P001", "feasibility_review", "score", "1.1", value)
                times.append((time.perf_counter() - start) * 1000)
        baseline = _raw_sqlite_ms(folder, n)

    median, base_median = statistics.median(times), statistics.median(baseline)
    p95 = statistics.quantiles(times, n=20)[-1]
    base_p95 = statistics.quantiles(baseline, n=20)[-1]
    params = {"edits": n}
    return [
        {
            **result(
                "workspace_edit_commit_median",
                median,
                "ms",
                baseline=base_median,
                target=TARGET_MEDIAN_MS,
                target_on="value",
                samples=times,
                note="baseline: bare sqlite3 upsert + commit, WAL + synchronous=FULL",
            ),
            "params": params,
        },
        {**result("workspace_edit_commit_p95", p95, "ms", baseline=base_p95, samples=times,
                  note="95th percentile of the same edits (min / max over all of them)"), "params": params},
    ]
