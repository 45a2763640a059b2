"""The fair random draw at scale: a pool of 2,000 experts, 150 centers, 15 panels of 5 technical,
1 finance and 1 management expert with 2 reserves each, at most 1 expert per unit on a panel.

`pool_draw` is the draw itself with every avoidance check (agency.draw.draw: unit names normalised,
exclusions listed, centers assigned, every pick) — target ≤ 2 s. Baseline: reading the pool and
proposals files (agency.pool.read_pool + read_centers). `pool_draw_record` is the whole command
without the invitation letters: read, draw, sign, write the files and the 抽取记录 PDF.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench import produces, result

TARGET_S = 2.0


@produces("pool_draw", "pool_draw_record")
def bench_pool_draw(quick: bool) -> list[dict[str, Any]]:
    from tic_desktop.agency.draw import DrawRules, draw
    from tic_desktop.agency.draw_job import run_draw
    from tic_desktop.agency.pool import read_centers, read_pool
    from tic_desktop.agency.pool_sample import write_sample
    from tic_desktop.formats.keys import create_agency_keys

    experts_n, centers_n, panels = (600, 30, 3) if quick else (2000, 150, 15)
    rules = DrawRules(panels, {"technical": 5, "finance": 1, "management": 1}, reserves=2, max_per_unit=1)
    params = {"experts": experts_n, "centers": centers_n, "panels": panels}
    with tempfile.TemporaryDirectory(prefix="tic-bench-pool-") as tmp:
        folder = Path(tmp)
        pool, props = write_sample(folder, experts_n, centers_n)
        start = time.perf_counter()
        experts, centers = read_pool(pool), read_centers(props)
        baseline = time.perf_counter() - start
        times = []
        for i in range(1 if quick else 3):
            start = time.perf_counter()
            done = draw(experts, centers, rules, f"bench-{i}")
            times.append(time.perf_counter() - start)
        keys = create_agency_keys(folder / "agency")
        start = time.perf_counter()
        run_draw(pool, props, rules, keys, folder / "out", seed="bench", letters=False)
        whole = time.perf_counter() - start
    note = f"{len(done.exclusions)} exclusions; baseline: reading the pool and proposals files"
    return [
        result("pool_draw", min(times), "s", baseline=baseline, target=TARGET_S, target_on="value", note=note,
               samples=times, params=params),
        result("pool_draw_record", whole, "s", note="read, draw, sign, write the files and draw.pdf (no letters)",
               params=params),
    ]
