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
DISSENT = Text(zh="保留意见", en="Dissent")
"""Heading of the dissent note, printed after the conclusion (“无” when empty)."""

MAX_SECTION_CHARS = 20000


@dataclass(frozen=True)
class PanelOpinion:
    overall: str = ""
    achievements: str = ""
    problems: str = ""
    suggestions: str = ""
    conclusion: str = ""
    chair_name: str = ""
    """Who signs as 组长 for this proposal: the chair, or the deputy presiding where the chair stands aside."""
    dissent: str = ""
    """Dissent recorded by name (保留意见 / 不同意见), e.g. 张三：认为预算偏高，建议核减。Empty: unanimous."""
    written_at: str = ""
    """ISO date-time of the last save (informative)."""

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name).strip() for name, _ in SECTIONS) and not self.dissent.strip()

    def section(self, name: str) -> str:
        if name not in {n for n, _ in SECTIONS}:
            raise KeyError(name)
        return str(getattr(self, name))

    def as_dict(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}
