"""The fair random draw (随机抽取): centers into panels, then per panel the experts by role and field.

    result = draw(experts, centers, DrawRules(panels=3, per_panel={"technical": 5, "finance": 1,
                  "management": 1}, reserves=2, max_per_unit=1), seed="9f2c…", aliases={...})
    result = replace(result, experts, "E0123", reason="时间冲突")   # from the reserves, in order

1. Avoidance (agency.avoidance) lists every exclusion with its reason.
2. Centers are sorted by (field, proposal id) and cut into `panels` consecutive runs whose sizes
   differ by at most one: each panel gets few fields and the same load.
3. Per panel, per role in the order given: the candidates are the pool's experts of that role not yet
   drawn, not excluded for any center of the panel (nor unavailable), and for technical seats with
   a field among the panel's centers' fields; at most `max_per_unit` experts of one unit (by
   `avoidance.UnitNames.key`) per panel. Technical seats first take one expert for each of the
   panel's fields (in field order, while seats remain), then any candidate. Then the reserves (候补)
   of that role, in order.
4. Each pick is uniform over the candidates sorted by expert id: the k-th pick of role R on panel P
   takes index `x mod n`, x the first 8 bytes (big-endian) of
   SHA-256("tic-draw-v1\\0" seed "\\0" P "/" R "/" k "\\0" c) for the first c = 0, 1, … with
   x < 2^64 − (2^64 mod n). Anyone can replay it from the recorded seed and the same pool file.
5. A draw that cannot be filled raises `DrawError("draw.cannot_fill")` naming the panel, the role
   and how many candidates each constraint left.
The first technical expert drawn for a panel is its chair (组长).
"""

from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from tic_desktop.agency.avoidance import Exclusion, UnitNames, barred, exclusions
from tic_desktop.agency.pool import ROLES, Center, PoolExpert
from tic_desktop.core.errors import Rejected, message, register
from tic_desktop.core.labels import ROLE_LABELS

CANNOT_FILL = register(
    "draw.cannot_fill", "无法完成抽取：某个专家组的某类专家人数不足。请按提示补充专家库、减少人数或放宽限制。",
    "The draw cannot be filled: a panel lacks experts of one kind. Add experts to the pool, ask for fewer or "
    "relax a limit, as described.")
BAD_RULES = register(
    "draw.bad_rules", "抽取规则有误。请按提示修改。", "The draw rules are wrong. Correct them as described.")
NO_RESERVE = register(
    "draw.no_reserve", "没有可用的候补专家来替换。请重新抽取该专家组，或补充专家库后重新抽取。",
    "No reserve is left to replace this expert. Draw the panel again, or add experts to the pool and draw again.")
NOT_DRAWN = register("draw.not_drawn", "该专家不在本次抽取的专家组中。", "This expert is not on a panel of this draw.")


@dataclass
class DrawError(Rejected):
    """A draw that cannot be made or bad rules; `detail` (Chinese) and `detail_en` name the panel, role
    and constraint."""

    detail_en: str = ""

    def text(self, lang: str = "zh") -> str:
        if lang.startswith("zh") or not self.detail_en:
            return super().text(lang)
        return f"{message(self.code, lang)} ({self.detail_en})"


def draw_error(code: str, both: str) -> DrawError:
    """A DrawError from "中文 / English"."""
    zh, _, en = both.partition(" / ")
    return DrawError(code, zh, en)


@dataclass(frozen=True)
class DrawRules:
    panels: int
    per_panel: Mapping[str, int]
    """Role → seats per panel, in draw order."""
    reserves: int = 0
    """Reserves (候补) per panel for each role."""
    max_per_unit: int | None = None
    rotation: bool = True
    date: str | None = None
    """The meeting date (YYYY-MM-DD): experts unavailable on it are out."""

    def as_dict(self) -> dict[str, object]:
        # a list of pairs: canonical JSON sorts object keys, and the role order is the draw order
        return {"panels": self.panels, "per_panel": [[k, v] for k, v in self.per_panel.items()],
                "reserves": self.reserves,
                "max_per_unit": self.max_per_unit, "rotation": self.rotation, "date": self.date}

    @classmethod
    def from_dict(cls, d: Mapping[str, object]) -> DrawRules:
        return cls(panels=int(d["panels"]), per_panel={str(k): int(v) for k, v in d["per_panel"]},  # type: ignore[attr-defined]
                   reserves=int(d["reserves"]), max_per_unit=None if d["max_per_unit"] is None  # type: ignore[call-overload]
                   else int(d["max_per_unit"]), rotation=bool(d["rotation"]),  # type: ignore[call-overload]
                   date=None if d.get("date") is None else str(d["date"]))


@dataclass(frozen=True)
class Seat:
    expert_id: str
    role: str
    chair: bool = False


@dataclass(frozen=True)
class Panel:
    panel: str
    """"P1", "P2", …"""
    proposals: tuple[str, ...]
    fields: tuple[str, ...]
    members: tuple[Seat, ...]
    reserves: tuple[Seat, ...]
    """Per role in draw order; a reserve used for a replacement stays listed (see `Replacement`)."""


@dataclass(frozen=True)
class Replacement:
    panel: str
    expert_id: str
    replaced_by: str
    reason: str
    revision: int


@dataclass(frozen=True)
class Draw:
    rules: DrawRules
    seed: str
    panels: tuple[Panel, ...]
    exclusions: tuple[Exclusion, ...]
    replacements: tuple[Replacement, ...] = field(default=())

    def panel_of(self, expert_id: str) -> Panel | None:
        return next((p for p in self.panels if any(s.expert_id == expert_id for s in p.members)), None)


def parse_per_panel(text: str) -> dict[str, int]:
    """"technical=5,finance=1,management=1" (roles also 技术/财务/管理) → an ordered dict."""
    from tic_desktop.formats.table import ROLES  # noqa: PLC0415

    out: dict[str, int] = {}
    for part in (p.strip() for p in text.replace("，", ",").split(",")):
        if not part:
            continue
        name, sep, count = part.partition("=")
        role = ROLES.get(name.strip()) or ROLES.get(name.strip().lower())
        if not sep or role is None or not count.strip().isdigit() or role in out:
            raise draw_error(BAD_RULES, f"“{part}”：应写成 角色=人数，如 technical=5,finance=1,management=1 / "
                                      f"“{part}”: write role=count, e.g. technical=5,finance=1,management=1")
        out[role] = int(count)
    if not out or sum(out.values()) == 0:
        raise draw_error(BAD_RULES, "每个专家组至少抽取一人 / at least one expert per panel")
    return out


def pick_index(seed: str, label: str, n: int) -> int:
    """Uniform in range(n) from the seed and the pick's label (module docstring, step 4)."""
    span = 1 << 64
    limit = span - span % n
    counter = 0
    while True:
        digest = hashlib.sha256(f"tic-draw-v1\0{seed}\0{label}\0{counter}".encode()).digest()
        x = int.from_bytes(digest[:8], "big")
        if x < limit:
            return x % n
        counter += 1


def assign_centers(centers: Sequence[Center], panels: int) -> list[tuple[Center, ...]]:
    ordered = sorted(centers, key=lambda c: (c.field, c.proposal_id))
    base, extra = divmod(len(ordered), panels)
    out, start = [], 0
    for i in range(panels):
        size = base + (1 if i < extra else 0)
        out.append(tuple(ordered[start:start + size]))
        start += size
    return out


def _fail(panel: str, role: str, wanted: int, funnel: list[tuple[str, str, int]]) -> DrawError:
    label = ROLE_LABELS[role]
    zh = "，".join(f"{z} {n} 人" for z, _e, n in funnel)
    en = ", ".join(f"{e}: {n}" for _z, e, n in funnel)
    return draw_error(CANNOT_FILL, f"专家组 {panel} 需要{label.zh} {wanted} 人，但{zh} / panel {panel} needs {wanted} "
                                  f"{label.en} experts, but {en}")


def check_rules(rules: DrawRules, centers: Sequence[Center]) -> None:
    if rules.panels < 1:
        raise draw_error(BAD_RULES, "专家组数至少为 1 / at least one panel")
    if rules.panels > len(centers):
        raise draw_error(BAD_RULES, f"专家组数 {rules.panels} 多于中心数 {len(centers)} / {rules.panels} panels for "
                                  f"{len(centers)} centers")
    if rules.reserves < 0 or (rules.max_per_unit is not None and rules.max_per_unit < 1):
        raise draw_error(BAD_RULES, "候补人数不能为负，同单位上限至少为 1 / reserves ≥ 0 and max per unit ≥ 1")
    unknown = [r for r in rules.per_panel if r not in ROLES]
    if unknown:
        raise draw_error(BAD_RULES, f"未知角色 {unknown} / unknown roles {unknown}")


def draw(experts: Sequence[PoolExpert], centers: Sequence[Center], rules: DrawRules, seed: str, *,
         aliases: Mapping[str, str] | None = None) -> Draw:
    """The draw; raises `DrawError` when it cannot be filled, `Rejected("draw.bad_rules")` for bad rules."""
    check_rules(rules, centers)
    names = UnitNames(aliases)
    found = exclusions(experts, centers, aliases=aliases, rotation=rules.rotation, date=rules.date)
    avoid, out_everywhere = barred(found)
    by_role = {role: sorted((e for e in experts if e.role == role), key=lambda e: e.expert_id) for role in ROLES}
    unit_of = {e.expert_id: names.key(e.unit) for e in experts}
    used: set[str] = set()
    panels: list[Panel] = []
    for i, group in enumerate(assign_centers(centers, rules.panels), start=1):
        name = f"P{i}"
        pids = {c.proposal_id for c in group}
        fields = tuple(sorted({c.field for c in group}))
        per_unit: dict[str, int] = {}
        members: list[Seat] = []
        reserves: list[Seat] = []
        for role, seats in rules.per_panel.items():
            pool_role = by_role[role]
            available = [e for e in pool_role if e.expert_id not in out_everywhere]
            clear = [e for e in available if pids.isdisjoint(avoid.get(e.expert_id, ()))]
            in_field = clear if role != "technical" else [e for e in clear if not set(fields).isdisjoint(e.fields)]
            free = [e for e in in_field if e.expert_id not in used]
            picks = 0

            def take(cands: list[PoolExpert], role: str = role, name: str = name,
                     per_unit: dict[str, int] = per_unit) -> PoolExpert | None:
                nonlocal picks
                ok = [e for e in cands if e.expert_id not in used and (
                    rules.max_per_unit is None or per_unit.get(unit_of[e.expert_id], 0) < rules.max_per_unit)]
                if not ok:
                    return None
                chosen = ok[pick_index(seed, f"{name}/{role}/{picks}", len(ok))]
                picks += 1
                used.add(chosen.expert_id)
                return chosen

            seated: list[PoolExpert] = []
            if role == "technical":
                for f in fields:
                    if len(seated) == seats:
                        break
                    got = take([e for e in free if f in e.fields])
                    if got is not None:
                        seated.append(got)
                        per_unit[unit_of[got.expert_id]] = per_unit.get(unit_of[got.expert_id], 0) + 1
            while len(seated) < seats:
                got = take(free)
                if got is None:
                    left = [e for e in free if e.expert_id not in used]
                    capped = sum(1 for e in left if rules.max_per_unit is not None
                                 and per_unit.get(unit_of[e.expert_id], 0) >= rules.max_per_unit)
                    funnel = [("专家库中共有", "the pool has", len(pool_role)), ("评审日期可参加", "available on the date",
                              len(available)), ("回避后剩余", "after avoidance", len(clear))]
                    if role == "technical":
                        funnel.append(("领域相符", "in the panel's fields", len(in_field)))
                    funnel += [("未被其他专家组抽中", "not drawn for another panel", len(free)),
                               ("同单位人数限制后", "within the per-unit limit", len(left) - capped),
                               ("已抽中", "already drawn", len(seated))]
                    raise _fail(name, role, seats, funnel)
                seated.append(got)
                per_unit[unit_of[got.expert_id]] = per_unit.get(unit_of[got.expert_id], 0) + 1
            members += [Seat(e.expert_id, role) for e in seated]
            for _ in range(rules.reserves):
                got = take(free)
                if got is None:
                    raise draw_error(CANNOT_FILL, f"专家组 {name} 的{ROLE_LABELS[role].zh}候补不足 {rules.reserves} 人 / "
                                                 f"panel {name} has fewer than {rules.reserves} {role} reserves")
                reserves.append(Seat(got.expert_id, role))
        chair = next((k for k, s in enumerate(members) if s.role == "technical"), 0 if members else None)
        if chair is not None:
            members[chair] = dataclasses.replace(members[chair], chair=True)
        panels.append(Panel(name, tuple(sorted(pids)), fields, tuple(members), tuple(reserves)))
    return Draw(rules, seed, tuple(panels), tuple(found))


def replace(result: Draw, experts: Sequence[PoolExpert], expert_id: str, reason: str, *,
            aliases: Mapping[str, str] | None = None) -> Draw:
    """The draw with `expert_id` replaced by the first unused reserve of the same role on the same panel
    that keeps the per-unit limit (taking over the chair when the chair declines)."""
    panel = result.panel_of(expert_id)
    if panel is None:
        raise Rejected(NOT_DRAWN, expert_id)
    names = UnitNames(aliases)
    unit_of = {e.expert_id: names.key(e.unit) for e in experts}
    seat = next(s for s in panel.members if s.expert_id == expert_id)
    gone = {r.expert_id for r in result.replacements} | {r.replaced_by for r in result.replacements}
    staying = [s for s in panel.members if s.expert_id != expert_id]
    per_unit: dict[str, int] = {}
    for s in staying:
        per_unit[unit_of.get(s.expert_id, "")] = per_unit.get(unit_of.get(s.expert_id, ""), 0) + 1
    limit = result.rules.max_per_unit
    sub = next((r for r in panel.reserves if r.role == seat.role and r.expert_id not in gone
                and (limit is None or per_unit.get(unit_of.get(r.expert_id, ""), 0) < limit)), None)
    if sub is None:
        raise Rejected(NO_RESERVE, f"{panel.panel} {seat.role}")
    members = [dataclasses.replace(sub, chair=seat.chair) if s.expert_id == expert_id else s for s in panel.members]
    new_panel = dataclasses.replace(panel, members=tuple(members))
    revision = 2 + len(result.replacements)
    return dataclasses.replace(
        result, panels=tuple(new_panel if p.panel == panel.panel else p for p in result.panels),
        replacements=(*result.replacements, Replacement(panel.panel, expert_id, sub.expert_id, reason, revision)))
