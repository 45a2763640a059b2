"""Where bundled resources live: the source tree, an editable install, or a PyInstaller bundle."""

from __future__ import annotations

import sys
from pathlib import Path


def resources_dir() -> Path:
    frozen_root = getattr(sys, "_MEIPASS", None)
    if frozen_root:
        return Path(frozen_root) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def forms_dir() -> Path:
    return resources_dir() / "forms"


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def demo_source_dir() -> Path:
    return resources_dir() / "demo"
