"""Every main screen and dialog of both modes fits a small laptop and a large monitor (issue 17).

Each size runs tests/ui/fit_driver.py in its own process: Qt reads the screen geometry (the offscreen
plugin's JSON config file) and the scale (QT_SCALE_FACTOR) once per process. The screens are the
available areas of real displays, i.e. without a 48-pixel taskbar (72 at 150%):

- 1366×768 at 125% → 1366×720 physical, 1093×576 logical;
- 1920×1080 at 150% → 1920×1008 physical, 1280×672 logical.

The driver walks the expert flow on the demo batch (agency key, identity, key, pledge, conflicts,
review page with the documents zoomed, budget, KPIs, sign-and-export, guide, pledge, settings,
conflicts) and the agency window (every page, batch wizard steps 2–4) and reports, per screen: a
window larger than the screen (with room for its title bar) or outside it, a minimum size larger
than the screen, a label, button or input smaller than its minimumSizeHint (clipped), content cut
off without a horizontal scroll bar, the scoring form without room for its rows, and panel widths
that move while scoring or switching proposals.

    TIC_SCREENSHOT_DIR=docs/screenshots pytest tests/ui/test_screen_fit.py

also writes the screenshots shown in the README (fit-<size>-<screen>.png).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SIZES = {
    "1366x768@125": (1366, 720, "1.25", "zh"),
    "1920x1080@150": (1920, 1008, "1.5", "zh"),
    "1366x768@125-en": (1366, 720, "1.25", "en"),
}
SCREENSHOTS = ("expert-review", "expert-budget", "expert-sign", "agency-3", "agency-wizard-3")


@pytest.mark.parametrize("size", SIZES)
def test_every_screen_fits(size: str, tmp_path: Path) -> None:
    width, height, scale, lang = SIZES[size]
    config = tmp_path / "screen.json"
    config.write_text(json.dumps({
        "synchronousWindowSystemEvents": False, "windowFrameMargins": True,
        "screens": [{"name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
                     "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}],
    }), "utf-8")
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}", QT_SCALE_FACTOR=scale,
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]), TIC_LANG=lang)
    env.pop("QT_SCREEN_SCALE_FACTORS", None)
    out = tmp_path / "out"
    prefix = f"fit-{size.split('@')[0].split('x')[0]}" + ("" if lang == "zh" else f"-{lang}")
    done = subprocess.run([sys.executable, "-m", "tests.ui.fit_driver", str(out), prefix], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600, check=False)
    assert (out / "report.json").exists(), done.stderr[-3000:]
    report = json.loads((out / "report.json").read_text("utf-8"))
    assert done.returncode == 0, done.stderr[-3000:]
    expected = [round(width / float(scale)), round(height / float(scale))]
    assert [abs(a - b) <= 1 for a, b in zip(report["screen"][2:], expected, strict=True)] == [True, True]
    walked = set(report["problems"])
    assert {"expert-start", "expert-review", "expert-sign", "expert-guide", "expert-pledge", "agency-0",
            "agency-wizard-3", "expert-splitter", "expert-scoring-narrow"} <= walked
    bad = {name: problems for name, problems in report["problems"].items() if problems}
    assert bad == {}, json.dumps(bad, ensure_ascii=False, indent=1)
    target = os.environ.get("TIC_SCREENSHOT_DIR")
    if target and lang == "zh":
        from PIL import Image

        Path(target).mkdir(parents=True, exist_ok=True)
        for name in SCREENSHOTS:
            Image.open(out / f"{prefix}-{name}.png").convert("RGB").quantize(256).save(
                Path(target) / f"{prefix}-{name}.png", optimize=True)
