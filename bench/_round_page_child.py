"""The child process of bench_round's page benchmark: `python -m bench._round_page_child WORLD_DIR`.

Opens the round page (`ui.agency.round_page.RoundPage`) on a fresh agency workspace holding the
world's batches in round R2027 (built by bench_round), imports every sheet file through the page
(routed, verified, stored off the GUI thread, then the round consolidated, also off it) and, while
that runs, ticks a 5 ms timer on the GUI thread; prints `BENCH {json}` with the longest gap between
two ticks (how long the page stood still) and the whole time.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from types import SimpleNamespace

MARK = "BENCH "


def main(world_dir: str) -> int:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from tic_desktop.agency import round_store
    from tic_desktop.agency import service as svc

    world = json.loads((Path(world_dir) / "world.json").read_text("utf-8"))
    app = QApplication(["bench"])
    ws_path = Path(world_dir) / "page-ws" / "agency.db"
    ws = svc.open_workspace(ws_path, check_location=False)
    round_store.create_round(ws, "R2027", "2027 年度评估（基准测试）", 2027)
    for path in world["batches"]:
        info = svc.add_batch(ws, Path(path), world["identity"], own_fingerprint=world["fingerprint"])
        svc.pin_allowed_signers(ws, info.batch_id, world["allowed_signers"])
        round_store.add_batch(ws, "R2027", info.batch_id)
    from tic_desktop.ui.agency.round_page import RoundPage

    window = SimpleNamespace(workspace=ws, ws_path=ws_path, lang="zh", identity=lambda: world["identity"])
    ws.own_fingerprint = lambda: world["fingerprint"]  # type: ignore[method-assign] - keys are not in the folder
    page = RoundPage(window)
    page.show_message = lambda *_: None
    page.resize(1000, 600)
    page.show()
    while page.busy:  # the round has batches: it consolidates (empty) when shown
        app.processEvents()
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    timer.start()
    start = time.perf_counter()
    ticks.append(start)
    page.import_sheets([Path(p) for p in world["sheets"]])
    while page.busy or page.report is None or not page.report.results.rows:
        app.processEvents()
        time.sleep(0.001)
    ticks.append(time.perf_counter())
    timer.stop()
    gaps = [b - a for a, b in zip(ticks, ticks[1:], strict=False)]
    print(MARK + json.dumps({"max_gap": max(gaps), "total": ticks[-1] - start, "ticks": len(ticks),
                             "rows": len(page.report.results.rows)}), flush=True)
    ws.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1]))
