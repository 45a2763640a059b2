"""Scan matching (issue 15): decode and match a copier's scan of 300 printed score-sheet pages.

- `scan_decode_300`: `agency.scan_decode.decode_files` + `agency.scan_match.match` on one PDF of 300
  pages (30 with `--quick`) as an office copier writes it: an expert's printed score sheets rendered at
  200 dpi, grey, with noise, ±2° rotation and JPEG compression, repeated to the page count. Target:
  <= 60 s for 300 pages. Baseline: rasterising the same PDF's pages alone (pypdfium2, 200 dpi).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from bench import produces, result

TARGET_S = 60.0


def _scan(folder: Path, pages: int) -> tuple[Path, Any]:
    """A degraded copier PDF of `pages` pages of E04's printed sheets, and E04's sheet."""
    from tests.scan_paper import degrade, rasterise, save_pdf
    from tic_desktop.demo import write_demo_batch
    from tic_desktop.formats import sheet as sf
    from tic_desktop.formats.batch import read_batch
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    batch = write_demo_batch(folder / "demo")
    raw = batch.read_bytes()
    opened = read_batch(raw)
    done = simulate_expert(opened, raw, opened.manifest.expert("E04"), folder / "sheets", folder / "work", seed=5,
                           plan=ScoresPlan())
    got = sf.read_sheet(done.result.path, opened, identity=(folder / "demo" / "agency" / "agency.agekey").read_text())
    images = [img for name, data in sorted(got.members.items()) if name.startswith("pdf/") for img in rasterise(data)]
    degraded = [degrade(img, angle=2 if i % 2 else -2, seed=i) for i, img in enumerate(images)]
    return save_pdf([degraded[i % len(degraded)] for i in range(pages)], folder / "copier.pdf"), got


@produces("scan_decode_300")
def bench_scan_decode(quick: bool) -> list[dict[str, Any]]:
    from tic_desktop.agency import scan_decode
    from tic_desktop.agency.scan_match import ScannedPage, match, revisions_of

    pages = 30 if quick else 300
    with tempfile.TemporaryDirectory(prefix="tic-bench-scans-") as tmp:
        folder = Path(tmp)
        (folder / "sheets").mkdir()
        pdf, got = _scan(folder, pages)
        start = time.perf_counter()
        decoded = scan_decode.decode_files([pdf])
        result_ = match(got.sheet.batch_id, [ScannedPage(pdf.name, d.index, d.code, d.reason) for d in decoded],
                        revisions_of([(got.sheet, True)]))
        elapsed = time.perf_counter() - start
        start = time.perf_counter()
        for page in scan_decode.pages_of(pdf):
            page.load()
        base = time.perf_counter() - start
    matched = sum(1 for r in result_.rows if r.status == "matched")
    return [result("scan_decode_300", elapsed, "s", baseline=base, target=TARGET_S, target_on="value",
                   note="decode + match one copier PDF; baseline: rasterising its pages alone",
                   params={"pages": pages, "dpi": scan_decode.DPI, "matched": matched})]
