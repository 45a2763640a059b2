"""The panel's 撤并转 recommendation for an engineering research center (工程技术研究中心).

The plan: "专业性技术创新中心主要通过对现有天津市工程技术中心评估考核，以撤并转方式建立". Each expert
answers the form's `choice` field named by `CenterTypeRule.restructure_field` (保留 / 转入专业性技术创新
中心 / 合并 into a named center / 撤销); here the answers are counted per option (in the form's option
order), with the experts' names and, for 合并, the centers named. The leading option is the one most
experts chose; a tie for the most is no majority (`leading` is None) and the chair decides.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from tic_desktop.core.forms import OverallField
from tic_desktop.core.types import Text


@dataclass(frozen=True)
class OptionCount:
    code: str
    label: Text
    experts: tuple[str, ...]
    """Expert names, by expert id."""
    targets: tuple[str, ...] = ()
    """For 合并: the centers named, distinct, in expert order."""

    @property
    def count(self) -> int:
        return len(self.experts)


@dataclass(frozen=True)
class Restructure:
    options: tuple[OptionCount, ...]
    """Every option of the field, in form order (zero counts included)."""
    unanswered: tuple[str, ...]
    """Experts with a valid sheet who gave no recommendation."""
    leading: str | None
    """The option code most experts chose; None when nobody answered or the most are tied."""

    def text(self, lang: str = "zh") -> str:
        zh = lang.startswith("zh")
        parts = []
        for o in self.options:
            label = o.label.get(lang)
            if o.targets:
                label += ("（" if zh else " (") + ("、" if zh else ", ").join(o.targets) + ("）" if zh else ")")
            parts.append(f"{label} {o.count} 人" if zh else f"{label}: {o.count}")
        if self.unanswered:
            parts.append(f"未提出 {len(self.unanswered)} 人" if zh else f"none given: {len(self.unanswered)}")
        head = "；".join(parts) if zh else "; ".join(parts)
        lead = next((o for o in self.options if o.code == self.leading), None)
        if lead is None:
            return head + ("（无多数意见，由专家组组长确定）" if zh else " (no majority: the chair decides)")
        return head + (f"；多数意见：{lead.label.zh}" if zh else f"; majority: {lead.label.en}")


def restructure(
    field: OverallField, target_field: str | None, entries: Sequence[tuple[str, str, Mapping[str, str]]]
) -> Restructure:
    """`entries`: (expert id, name, overall fields) of the valid sheets."""
    chosen: dict[str, list[tuple[str, str]]] = {o.code: [] for o in field.options}
    unanswered: list[str] = []
    for _id, name, overall in sorted(entries, key=lambda x: x[0]):
        code = (overall.get(field.id) or "").strip()
        if code in chosen:
            target = (overall.get(target_field) or "").strip() if target_field else ""
            chosen[code].append((name, target))
        else:
            unanswered.append(name)
    options = []
    for o in field.options:
        picks = chosen[o.code]
        targets = tuple(dict.fromkeys(t for _, t in picks if t and o.requires))
        options.append(OptionCount(o.code, o.label, tuple(n for n, _ in picks), targets))
    top = max((o.count for o in options), default=0)
    leaders = [o.code for o in options if o.count == top]
    return Restructure(tuple(options), tuple(unanswered), leaders[0] if top and len(leaders) == 1 else None)
