"""The expert's display settings (language, larger font), stored in ui_state and applied live.

Kept apart from `settings_dialog` so that the start, which applies them, does not import the
dialog and its generated form.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    lang: str = "zh"
    large_font: bool = False
