"""Crash safety under SIGKILL (issue 6): 500 kills of the real expert code (bench/kill_harness.py).

A child process scores through ExpertSession, takes snapshots and signs and exports sheets; it is
killed once at every named fault point (TIC_FAULT) and then at random moments (one in five while
it reopens), and after each kill the workspace and every exported file are checked. Reported:
acknowledged edits lost, integrity failures (integrity_check, snapshots, audit chain), partial
exports (a .ticsheet that exists but does not verify completely): each target 0; and the median
time to reopen after a kill (ExpertSession.open + reading the batch + accept, in the child).
`--quick` (CI) runs 30 kills.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

from bench import produces, result

KILLS = 500
QUICK_KILLS = 30


@produces("kill_acked_edits_lost", "kill_integrity_failures", "kill_partial_exports", "kill_reopen_median")
def bench_kill(quick: bool) -> list[dict[str, Any]]:
    from bench.kill_harness import FAULTS_AT, KillHarness
    from tic_desktop.core.faults import FAULT_POINTS

    if sys.platform == "win32":
        return [result("kill_acked_edits_lost", None, "edits", note="SIGKILL is POSIX: not run on Windows")]
    kills = QUICK_KILLS if quick else KILLS
    rng = random.Random(20260509)
    with tempfile.TemporaryDirectory(prefix="tic-bench-kill-") as tmp:
        harness = KillHarness(Path(tmp), seed=20260509)
        for point in sorted(FAULT_POINTS - set(FAULTS_AT) - {"mid_restore"}):
            harness.kill_at_fault(point)
        random_kills = kills - harness.stats.kills - sum(harness.stats.fault_kills.values())
        for n in range(max(random_kills, 0)):
            harness.kill_at_random(rng.uniform(0.0, 1.0), during_reopen=n % 5 == 4)
    st = harness.stats
    total = st.kills + sum(st.fault_kills.values())
    params = {
        "kills": total,
        "fault_points": len(st.fault_kills),
        "acked_edits": st.acked_edits,
        "acked_exports": st.acked_exports,
        "sheets_verified": st.sheets_verified,
        "temp_files_left_by_kills": st.stray_temps_seen,
    }
    note = (
        f"{total} kills ({len(st.fault_kills)} at named fault points), {st.acked_edits} ACKed edits, "
        f"{st.acked_exports} ACKed exports, {st.sheets_verified} sheet files verified, "
        f"{st.stray_temps_seen} temp files left by kills and cleaned"
    )
    if st.problems:
        note += "; first problem: " + st.problems[0]
    reopen = statistics.median(st.reopen_ms) if st.reopen_ms else None
    return [
        {
            **result(
                "kill_acked_edits_lost", float(st.lost_edits), "edits", target=0, target_on="value", note=note
            ),
            "params": params,
        },
        {
            **result(
                "kill_integrity_failures",
                float(st.integrity_failures + st.audit_failures),
                "failures",
                target=0,
                target_on="value",
            ),
            "params": params,
        },
        {
            **result("kill_partial_exports", float(st.partial_exports), "files", target=0, target_on="value"),
            "params": params,
        },
        {
            **result(
                "kill_reopen_median",
                reopen,
                "ms",
                samples=st.reopen_ms,
                note="ExpertSession.open (WAL recovery, quick_check, temp cleanup) + read batch + accept",
            ),
            "params": {
                **params,
                "reopen_p95_ms": statistics.quantiles(st.reopen_ms, n=20)[-1]
                if len(st.reopen_ms) >= 20
                else None,
            },
        },
    ]
