"""Crash safety of the real expert code: SIGKILL at random moments and at every named fault point.

The child (bench/kill_harness.py) scores through ExpertSession, takes snapshots and signs and
exports sheets through expert.signing, printing an ACK after each commit and each export. After
every kill the workspace is reopened the way the app reopens it and checked: integrity_check ok,
audit chain intact, every ACKed edit and export there, every .ticsheet on disk absent or whole,
no temp file left. The 500-kill run with its figures is `python -m bench --only kill`.
"""

from __future__ import annotations

import random
import sys

import pytest

from bench.kill_harness import FAULTS_AT, KillHarness
from tic_desktop.core.faults import FAULT_POINTS

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

RANDOM_KILLS = 50
RUN_POINTS = sorted(FAULT_POINTS - set(FAULTS_AT) - {"mid_restore"})  # mid_restore: test_storage_kill.py


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> KillHarness:
    return KillHarness(tmp_path_factory.mktemp("kill"), seed=20260509)  # its first setup dies at mid_import


def _report(h: KillHarness) -> str:
    return "\n".join(h.stats.problems[:20])


def test_every_named_fault_point_leaves_a_whole_workspace(harness: KillHarness) -> None:
    for point in RUN_POINTS:
        harness.kill_at_fault(point)
    stats = harness.stats
    assert set(stats.fault_kills) == set(RUN_POINTS) | set(FAULTS_AT)
    assert stats.clean, _report(harness)
    assert not stats.problems, _report(harness)
    # mid_backup left a half-made snapshot and after_tmp_write a half-written sheet: both were found
    # and dealt with (the snapshot's on reopen, the sheet's by the next export), and none was taken
    # for a real file
    assert stats.stray_temps_seen >= 2
    assert stats.acked_exports >= 1  # the export before mid_backup completed, was recorded and verifies


def test_random_sigkills_lose_no_acknowledged_work(harness: KillHarness) -> None:
    rng = random.Random(7)
    before = harness.stats.kills
    for n in range(RANDOM_KILLS):
        # one kill in five lands while the app reopens (WAL recovery, temp cleanup); the rest while it works
        harness.kill_at_random(rng.uniform(0.0, 1.0), during_reopen=n % 5 == 4)
    stats = harness.stats
    assert stats.kills - before == RANDOM_KILLS
    assert stats.lost_edits == 0, _report(harness)
    assert stats.integrity_failures == 0 and stats.audit_failures == 0, _report(harness)
    assert stats.partial_exports == 0, _report(harness)
    assert stats.stray_temps_left == 0, _report(harness)
    assert stats.acked_edits > RANDOM_KILLS  # the children were scoring when killed, not idle
    assert stats.sheets_verified >= 2
