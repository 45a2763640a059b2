"""Ratios against a committed baseline (`bench/baseline.json`): a warning to read, never a gate.

Only ratios are compared (each is measured against a baseline in the same run, so it means the
same on any machine); absolute times are too noisy across machines. A ratio that grew by more than
`FACTOR` prints `REGRESSION name: ratio x → y`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

FACTOR = 2.0
DEFAULT = Path(__file__).with_name("baseline.json")


def load(path: Path) -> dict[str, Any] | None:
    """The baseline file (`python -m bench --json` output), or None when there is none."""
    if not path.is_file():
        return None
    data = json.loads(path.read_text("utf-8"))
    return data if isinstance(data, dict) and isinstance(data.get("results"), list) else None


def regressions(rows: list[dict[str, Any]], baseline_rows: list[dict[str, Any]], factor: float = FACTOR) -> list[str]:
    """One line per row whose ratio grew by more than `factor` since the baseline."""
    before = {r["name"]: r.get("ratio") for r in baseline_rows}
    lines = []
    for row in rows:
        old, new = before.get(row["name"]), row.get("ratio")
        if old and new is not None and old > 0 and new > factor * old:
            lines.append(f"REGRESSION {row['name']}: ratio {old:.3g} → {new:.3g}")
    return lines
