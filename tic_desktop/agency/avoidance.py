"""Avoidance (回避) before the draw: which pool experts may not sit on which center's panel, and why.

Rules, each exclusion listed with its code and the unit, center or date behind it:

    unit           the expert works at the center's 依托单位 (lead unit) or a 共建单位 (member unit)
    collaborator   a unit the expert declared as a collaborator is one of the center's units
    past_conflict  the expert had a conflict with this center before (the pool's past_conflicts)
    rotation       the expert sat on this center's last panel (past_panels; `rotation=False` turns it off)
    unavailable    the expert is unavailable on the meeting date (for every center: proposal id `*`)

Unit names are compared after `unit_key`: Unicode NFKC (full-width brackets and letters become
half-width), spaces and brackets removed, 有限责任公司 / 股份有限公司 read as 有限公司 and a final
有限公司 / 公司 dropped, then the agency's alias table (short name → full name, both normalised the
same way). A unit also matches its own departments: "天津大学化工学院" is 天津大学 (the shorter name has
at least 4 characters, or is an alias).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from tic_desktop.agency.pool import Center, PoolExpert

REASONS: dict[str, tuple[str, str]] = {
    "unit": ("本人单位为该中心的依托单位或共建单位", "works at the center's lead or member unit"),
    "collaborator": ("申报的合作单位为该中心的依托单位或共建单位", "a declared collaborator is one of the center's units"),
    "past_conflict": ("曾与该中心存在利益冲突", "had a conflict with this center before"),
    "rotation": ("参加过该中心上一次评审（轮换）", "sat on this center's last panel (rotation)"),
    "unavailable": ("评审日期不能参加", "unavailable on the meeting date"),
}
ALL_CENTERS = "*"
MIN_PREFIX = 4
_DROP = re.compile(r"[\s()\[\]{}<>\u3010\u3011\u300a\u300b\u3008\u3009\"'·・.,、]+")
_SUFFIXES = (("有限责任公司", "有限公司"), ("股份有限公司", "有限公司"))


@dataclass(frozen=True, order=True)
class Exclusion:
    expert_id: str
    proposal_id: str
    """A proposal id, or `*` (every center)."""
    reason: str
    """A code of `REASONS`."""
    detail: str = ""
    """The unit, collaborator or date that caused it."""

    def text(self, lang: str = "zh") -> str:
        zh, en = REASONS[self.reason]
        base = zh if lang.startswith("zh") else en
        return f"{base}（{self.detail}）" if self.detail and lang.startswith("zh") else (
            f"{base} ({self.detail})" if self.detail else base)

    def as_dict(self) -> dict[str, str]:
        return {"expert_id": self.expert_id, "proposal_id": self.proposal_id, "reason": self.reason,
                "detail": self.detail}


def _plain(name: str) -> str:
    s = unicodedata.normalize("NFKC", name).lower()
    s = _DROP.sub("", s)
    for old, new in _SUFFIXES:
        s = s.replace(old, new)
    for tail in ("有限公司", "公司"):
        if s.endswith(tail) and len(s) > len(tail) + 1:
            s = s[: -len(tail)]
            break
    return s


class UnitNames:
    """Unit name normalisation with the agency's alias table."""

    def __init__(self, aliases: Mapping[str, str] | None = None) -> None:
        self.aliases = {_plain(a): _plain(c) for a, c in (aliases or {}).items() if _plain(a) and _plain(c)}

    def key(self, name: str) -> str:
        k = _plain(name)
        return self.aliases.get(k, k)

    def parents(self, name: str) -> set[str]:
        """The keys of the unit and of every unit it is part of (its prefixes, and their aliases)."""
        k = _plain(name)
        out = {self.aliases.get(k, k)}
        for i in range(2, len(k)):
            prefix = k[:i]
            if prefix in self.aliases:
                out.add(self.aliases[prefix])
            elif i >= MIN_PREFIX:
                out.add(prefix)
        return out

    def same(self, a: str, b: str) -> bool:
        return self.key(a) == self.key(b)


class _CenterUnits:
    """Index of the centers' units: key → [(proposal id, unit as written, lead?)], and by prefix."""

    def __init__(self, centers: Sequence[Center], names: UnitNames) -> None:
        self.names = names
        self.exact: dict[str, list[tuple[str, str, bool]]] = {}
        self.within: dict[str, list[tuple[str, str, bool]]] = {}
        for c in centers:
            for i, unit in enumerate(c.units):
                entry = (c.proposal_id, unit, i == 0)
                key = names.key(unit)
                self.exact.setdefault(key, []).append(entry)
                for parent in names.parents(unit) - {key}:
                    self.within.setdefault(parent, []).append(entry)

    def matches(self, unit: str) -> list[tuple[str, str, bool]]:
        """Centers with a unit that is `unit`, a part of it, or that it is a part of."""
        found: list[tuple[str, str, bool]] = []
        for key in self.names.parents(unit):
            found.extend(self.exact.get(key, ()))
        found.extend(self.within.get(self.names.key(unit), ()))
        return found


def exclusions(experts: Iterable[PoolExpert], centers: Sequence[Center], *, aliases: Mapping[str, str] | None = None,
               rotation: bool = True, date: str | None = None) -> list[Exclusion]:
    """Every (expert, center, reason) that keeps an expert off a center's panel, sorted."""
    names = UnitNames(aliases)
    index = _CenterUnits(centers, names)
    ids = {c.proposal_id for c in centers}
    out: set[Exclusion] = set()
    for e in experts:
        if date and e.unavailable_on(date):
            out.add(Exclusion(e.expert_id, ALL_CENTERS, "unavailable", date))
        for pid, unit, _lead in index.matches(e.unit):
            out.add(Exclusion(e.expert_id, pid, "unit", unit))
        for collaborator in e.collaborators:
            for pid, unit, _lead in index.matches(collaborator):
                out.add(Exclusion(e.expert_id, pid, "collaborator", unit))
        for pid in e.past_conflicts:
            if pid in ids:
                out.add(Exclusion(e.expert_id, pid, "past_conflict"))
        if rotation:
            for pid in e.past_panels:
                if pid in ids:
                    out.add(Exclusion(e.expert_id, pid, "rotation"))
    return sorted(out)


def barred(found: Iterable[Exclusion]) -> tuple[dict[str, set[str]], set[str]]:
    """expert id → the proposal ids they must avoid, and the experts out of the draw altogether."""
    per: dict[str, set[str]] = {}
    everywhere: set[str] = set()
    for x in found:
        if x.proposal_id == ALL_CENTERS:
            everywhere.add(x.expert_id)
        else:
            per.setdefault(x.expert_id, set()).add(x.proposal_id)
    return per, everywhere
