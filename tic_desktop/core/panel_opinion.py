"""The panel opinion (专家组意见): what the chair writes per proposal and form after consolidation."""

from __future__ import annotations

from dataclasses import dataclass, fields

from tic_desktop.core.types import Text

SECTIONS: tuple[tuple[str, Text], ...] = (
    ("overall", Text(zh="总体评价", en="Overall assessment")),
    ("achievements", Text(zh="主要成效", en="Main achievements")),
    ("problems", Text(zh="存在问题", en="Problems")),
    ("suggestions", Text(zh="意见建议", en="Recommendations")),
    ("conclusion", Text(zh="结论", en="Conclusion")),
)
"""The usual structure of a 专家组意见, in print order: field name → heading."""

MAX_SECTION_CHARS = 20000


@dataclass(frozen=True)
class PanelOpinion:
    overall: str = ""
    achievements: str = ""
    problems: str = ""
    suggestions: str = ""
    conclusion: str = ""
    chair_name: str = ""
    written_at: str = ""
    """ISO date-time of the last save (informative)."""

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name, _ in SECTIONS)

    def section(self, name: str) -> str:
        if name not in {n for n, _ in SECTIONS}:
            raise KeyError(name)
        return str(getattr(self, name))

    def as_dict(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}
