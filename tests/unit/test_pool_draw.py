"""The draw: avoidance is never violated, the same seed and pool give the same draw, picks are uniform
over the eligible experts, every exclusion has a reason, and an unfillable draw names its constraint."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tic_desktop.agency.avoidance import REASONS, UnitNames, exclusions
from tic_desktop.agency.draw import DrawError, DrawRules, draw, parse_per_panel, pick_index, replace
from tic_desktop.agency.pool import Center, PoolExpert
from tic_desktop.core.errors import Rejected

UNITS = ("天津大学", "南开大学", "河北工业大学", "天津津智科技有限公司", "中国民航大学", "清华大学", "北京理工大学")
FIELDS = ("人工智能", "生物医药", "新材料")


@st.composite
def worlds(draw_: st.DrawFn) -> tuple[list[PoolExpert], list[Center], DrawRules, str]:
    n_centers = draw_(st.integers(1, 5))
    centers = []
    for i in range(n_centers):
        units = draw_(st.lists(st.sampled_from(UNITS), min_size=1, max_size=3, unique=True))
        centers.append(Center(f"C{i}", f"中心{i}", units[0], tuple(units[1:]), draw_(st.sampled_from(FIELDS))))
    pids = [c.proposal_id for c in centers]
    experts = []
    for i in range(draw_(st.integers(3, 40))):
        experts.append(PoolExpert(
            expert_id=f"E{i:03d}", name=f"专家{i}", unit=draw_(st.sampled_from(UNITS)), title="教授",
            role=draw_(st.sampled_from(("technical", "technical", "finance", "management"))),
            fields=tuple(draw_(st.lists(st.sampled_from(FIELDS), min_size=1, max_size=2, unique=True))),
            collaborators=tuple(draw_(st.lists(st.sampled_from(UNITS), max_size=1))),
            past_conflicts=tuple(draw_(st.lists(st.sampled_from(pids), max_size=1))),
            past_panels=tuple(draw_(st.lists(st.sampled_from(pids), max_size=1)))))
    rules = DrawRules(panels=draw_(st.integers(1, n_centers)),
                      per_panel={"technical": draw_(st.integers(1, 3)), "finance": draw_(st.integers(0, 1))},
                      reserves=draw_(st.integers(0, 1)), max_per_unit=draw_(st.sampled_from((None, 1, 2))),
                      rotation=draw_(st.booleans()))
    return experts, centers, rules, draw_(st.text("0123456789abcdef", min_size=1, max_size=16))


def _must_avoid(e: PoolExpert, c: Center, rotation: bool) -> bool:
    """Written apart from agency.avoidance: the rules of the issue on these plain unit names."""
    return (e.unit in c.units or any(u in c.units for u in e.collaborators) or c.proposal_id in e.past_conflicts
            or (rotation and c.proposal_id in e.past_panels))


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_no_drawn_expert_violates_avoidance_and_the_draw_is_reproducible(world) -> None:  # type: ignore[no-untyped-def]
    experts, centers, rules, seed = world
    try:
        result = draw(experts, centers, rules, seed)
    except DrawError as exc:
        assert exc.code == "draw.cannot_fill" and "P" in exc.detail and exc.detail_en
        return
    by_id = {e.expert_id: e for e in experts}
    by_pid = {c.proposal_id: c for c in centers}
    seen: set[str] = set()
    assert sorted(p for panel in result.panels for p in panel.proposals) == sorted(by_pid)
    sizes = [len(p.proposals) for p in result.panels]
    assert max(sizes) - min(sizes) <= 1
    for panel in result.panels:
        seats = [*panel.members, *panel.reserves]
        for s in seats:
            e = by_id[s.expert_id]
            assert e.role == s.role and s.expert_id not in seen
            seen.add(s.expert_id)
            for pid in panel.proposals:
                assert not _must_avoid(e, by_pid[pid], rules.rotation), (s.expert_id, pid)
            if s.role == "technical":
                assert set(e.fields) & set(panel.fields)
        for role, count in rules.per_panel.items():
            assert sum(1 for s in panel.members if s.role == role) == count
        if rules.max_per_unit is not None:
            for unit in UNITS:
                assert sum(1 for s in panel.members if by_id[s.expert_id].unit == unit) <= rules.max_per_unit
        assert sum(1 for s in panel.members if s.chair) == 1
    # the same seed and pool (in any order) give the same draw
    shuffled = experts[:]
    random.Random(seed).shuffle(shuffled)
    assert draw(shuffled, centers, rules, seed) == result


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(worlds())
def test_every_exclusion_has_a_reason_and_every_conflict_is_excluded(world) -> None:  # type: ignore[no-untyped-def]
    experts, centers, rules, _seed = world
    found = exclusions(experts, centers, rotation=rules.rotation)
    pairs = {(x.expert_id, x.proposal_id) for x in found}
    for x in found:
        assert x.reason in REASONS and x.text("zh") and x.text("en")
        if x.reason in ("unit", "collaborator"):
            assert x.detail in UNITS
    for e in experts:
        for c in centers:
            assert ((e.expert_id, c.proposal_id) in pairs) == _must_avoid(e, c, rules.rotation)


def test_a_pick_is_uniform_over_the_eligible_experts() -> None:
    """Chi-square over 3000 seeds: one technical seat, 12 eligible experts, 4 excluded by unit."""
    experts = [PoolExpert(f"E{i:02d}", f"专家{i}", "南开大学" if i < 4 else f"单位{i}", "", "technical", ("人工智能",))
               for i in range(16)]
    center = Center("C1", "中心", "南开大学", (), "人工智能")
    counts: dict[str, int] = {}
    n = 3000
    for s in range(n):
        [seat] = draw(experts, [center], DrawRules(1, {"technical": 1}), f"seed-{s}").panels[0].members
        counts[seat.expert_id] = counts.get(seat.expert_id, 0) + 1
    assert set(counts) == {f"E{i:02d}" for i in range(4, 16)}  # never an excluded one
    expected = n / 12
    chi2 = sum((c - expected) ** 2 / expected for c in counts.values())
    assert chi2 < 40, counts  # 11 degrees of freedom: p ≈ 1e-4


def test_pick_index_is_in_range_and_spread() -> None:
    got = [pick_index("s", f"P1/technical/{k}", 7) for k in range(700)]
    assert set(got) == set(range(7))


def test_unit_names_are_normalised_with_aliases_and_departments() -> None:
    names = UnitNames({"天大": "天津大学"})
    assert names.same("天津津智科技有限责任公司", "天津津智科技有限公司")
    assert names.same("中汽数据（天津）有限公司", "中汽数据(天津)有限公司")
    assert names.same("天大", "天津大学")
    experts = [PoolExpert("E1", "甲", "天津大学化工学院", "", "technical", ("新材料",)),
               PoolExpert("E2", "乙", "天大", "", "technical", ("新材料",)),
               PoolExpert("E3", "丙", "天津津智科技有限责任公司", "", "technical", ("新材料",)),
               PoolExpert("E4", "丁", "天津工业大学", "", "technical", ("新材料",))]
    center = Center("C1", "中心", "天津津智科技有限公司", ("天津大学",), "新材料")
    found = exclusions(experts, [center], aliases={"天大": "天津大学"})
    assert {(x.expert_id, x.reason) for x in found} == {("E1", "unit"), ("E2", "unit"), ("E3", "unit")}


def test_an_unfillable_draw_names_the_constraint() -> None:
    experts = [PoolExpert(f"E{i}", f"专家{i}", f"单位{i % 2}", "", "technical", ("人工智能",)) for i in range(6)]
    center = Center("C1", "中心", "单位0", (), "人工智能")
    with pytest.raises(DrawError) as err:
        draw(experts, [center], DrawRules(1, {"technical": 4}), "1")
    assert err.value.code == "draw.cannot_fill"
    assert "回避后剩余 3 人" in err.value.text("zh") and "after avoidance: 3" in err.value.text("en")
    with pytest.raises(DrawError) as err:
        draw(experts, [center], DrawRules(1, {"technical": 2}, max_per_unit=1), "1")
    assert "within the per-unit limit" in err.value.text("en")
    with pytest.raises(Rejected) as bad:
        parse_per_panel("technical=5,cook=1")
    assert bad.value.code == "draw.bad_rules"
    assert parse_per_panel("技术=5，财务=1") == {"technical": 5, "finance": 1}


def test_a_replacement_comes_from_the_reserves_in_order() -> None:
    experts = [PoolExpert(f"E{i}", f"专家{i}", f"单位{i}", "", "technical", ("人工智能",)) for i in range(8)]
    center = Center("C1", "中心", "别的单位", (), "人工智能")
    result = draw(experts, [center], DrawRules(1, {"technical": 2}, reserves=2), "7")
    panel = result.panels[0]
    first, second = panel.reserves
    chair = next(s for s in panel.members if s.chair)
    again = replace(result, experts, chair.expert_id, "出差")
    assert first.expert_id in [s.expert_id for s in again.panels[0].members]
    assert next(s for s in again.panels[0].members if s.chair).expert_id == first.expert_id
    other = next(s for s in again.panels[0].members if not s.chair)
    third = replace(again, experts, other.expert_id, "生病")
    assert second.expert_id in [s.expert_id for s in third.panels[0].members]
    assert [r.revision for r in third.replacements] == [2, 3]
    with pytest.raises(Rejected) as err:
        replace(third, experts, second.expert_id, "又不来")
    assert err.value.code == "draw.no_reserve"
