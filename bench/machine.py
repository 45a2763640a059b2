"""What the figures were measured on: written into `python -m bench --json` and printed above the table."""

from __future__ import annotations

import datetime as _dt
import os
import platform
import sys
from importlib import metadata
from typing import Any


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8", errors="replace") as info:
            for line in info:
                if line.lower().startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine() or "unknown"


def _version(dist: str) -> str | None:
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return None


def machine() -> dict[str, Any]:
    """CPU model, cores (all, and those this process may use), OS, Python, PySide6 and reportlab."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Windows or macOS
        usable = os.cpu_count()
    return {
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "cores_usable": usable,
        "os": platform.platform(),
        "python": platform.python_version(),
        "python_implementation": sys.implementation.name,
        "pyside6": _version("PySide6") or _version("PySide6-Essentials"),
        "reportlab": _version("reportlab"),
        "date": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
    }


def describe(m: dict[str, Any]) -> str:
    """One line for the top of the table."""
    return (f"{m['date']} · {m['cpu']} · {m['cores']} cores ({m['cores_usable']} usable) · {m['os']} · "
            f"Python {m['python']} · PySide6 {m['pyside6']} · reportlab {m['reportlab']}")
