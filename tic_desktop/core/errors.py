"""Typed rejections with stable codes and a sentence in Chinese and English.

Every module that can reject input registers its codes here through `register()`; the UI
and the command line turn a code into text with `message()`. Codes are stable: tests,
logs and quarantine records refer to them.
"""

from __future__ import annotations

from dataclasses import dataclass

_MESSAGES: dict[str, tuple[str, str]] = {}


def register(code: str, zh: str, en: str) -> str:
    """Register a code's user-facing sentences; returns the code for use as a constant."""
    existing = _MESSAGES.get(code)
    if existing is not None and existing != (zh, en):
        raise ValueError(f"code {code!r} registered twice with different text")
    _MESSAGES[code] = (zh, en)
    return code


def message(code: str, lang: str = "zh") -> str:
    zh, en = _MESSAGES.get(code, ("未知错误（{code}）。", "Unknown error ({code})."))
    text = zh if lang.startswith("zh") else en
    return text.replace("{code}", code)


def known_codes() -> dict[str, tuple[str, str]]:
    return dict(_MESSAGES)


@dataclass
class Rejected(Exception):
    """An input we refuse. `code` is stable; `detail` is for logs and the expert's eyes."""

    code: str
    detail: str = ""

    def __post_init__(self) -> None:
        super().__init__(self.code, self.detail)

    def text(self, lang: str = "zh") -> str:
        base = message(self.code, lang)
        return f"{base}（{self.detail}）" if self.detail and lang.startswith("zh") else (
            f"{base} ({self.detail})" if self.detail else base
        )

    def __str__(self) -> str:
        return f"{self.code}: {self.detail}" if self.detail else self.code


class BatchRejected(Rejected):
    """A .ticbatch file we refuse."""


class SheetRejected(Rejected):
    """A .ticsheet file we refuse."""


class SourceError(Rejected):
    """A batch source folder (spreadsheets, PDFs) with mistakes; detail names row and column."""


class FormInvalid(Rejected):
    """A form template that breaks the schema or its own arithmetic."""
