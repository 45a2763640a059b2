"""The round's cohort rules: one ranking over every panel, the 优秀 share over the cohort, ties across
panels, refused rule mismatches, and the per-expert normalisation checked against a computation
written out here."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tic_desktop.core.consolidation import ExpertEntry, ProposalInput, VetoDecision
from tic_desktop.core.errors import Rejected
from tic_desktop.core.form_library import builtin_forms
from tic_desktop.core.proposal import Proposal
from tic_desktop.core.round_cohort import PanelInput, compute_round, is_rectify
from tic_desktop.core.round_results import (
    FLAG_NORMALISED_DIFFERS,
    FLAG_RECTIFY,
    OfficialChoice,
    PreviousResult,
    RoundInfo,
)

FORMS = builtin_forms()
PERIODIC = FORMS["periodic_assessment"]
D = Decimal
INFO = RoundInfo(round_id="R2027", title="2027 年度专业性技术创新中心评估", year=2027)


def item(pid: str, totals: dict[str, str], *, center_type: str = "professional", raw: dict[str, str] | None = None,
         form=PERIODIC, rule=None) -> ProposalInput:
    entries = tuple(ExpertEntry(expert_id=e, expert_name=f"专家{e}", role="technical", total=D(t),
                                raw_total=D((raw or {}).get(e, t)), scores={}) for e, t in totals.items())
    proposal = Proposal(id=pid, center_name=f"中心{pid}", center_type=center_type, lead_unit=f"单位{pid}",
                        field="制造", forms=(form.id,))
    return ProposalInput(proposal_id=pid, center_name=f"中心{pid}", form=form, rule=rule or form.consolidation,
                         entries=entries, center_type=center_type, proposal=proposal)


def panel(batch_id: str, experts: list[str], scores: dict[str, list[str]], **kw) -> PanelInput:
    return PanelInput(batch_id, tuple(item(pid, dict(zip(experts, t, strict=True)), **kw) for pid, t in scores.items()))


def test_the_excellent_share_is_applied_over_the_whole_round_not_per_panel() -> None:
    # two panels of 5 professional centers: per panel 20% of 5 = 1 优秀; over the round 20% of 10 = 2,
    # and the harsh panel's best center (86) does not get a place the lenient panel's second (90) has
    experts = ["E1", "E2", "E3"]
    lenient = panel("B-P1", experts, {f"L{i}": [str(95 - i * 5)] * 3 for i in range(5)})  # 95 90 85 80 75
    harsh = panel("B-P2", [e + "h" for e in experts], {f"H{i}": [str(86 - i * 5)] * 3 for i in range(5)})  # 86 81…
    res = compute_round(INFO, [lenient, harsh])
    best = [(r.proposal_id, r.award) for r in res.rows if r.conclusion == "excellent"]
    assert best == [("L0", D("300000")), ("L1", D("300000"))]
    by_id = {r.proposal_id: r for r in res.rows}
    assert by_id["H0"].panel_rank == 1 and by_id["H0"].round_rank == 3
    assert by_id["H0"].conclusion == "good" and "rank.capped" in by_id["H0"].flag_codes and by_id["H0"].award is None
    assert by_id["L2"].conclusion == "good" and by_id["L2"].capped  # 85 is 优秀 by band, fourth in the cohort
    assert [r.round_rank for r in res.rows] == list(range(1, 11))
    assert res.info.batch_ids == ("B-P1", "B-P2")


def test_professional_and_engineering_centers_are_ranked_apart_over_the_round() -> None:
    p1 = panel("P1", ["A", "B"], {"X1": ["90", "90"], "Y1": ["88", "88"]}, center_type="engineering")
    p2 = panel("P2", ["C", "D"], {"X2": ["92", "92"], "Y2": ["70", "70"]})
    res = compute_round(INFO, [p1, p2])
    ranks = {(r.proposal_id, r.center_type): r.round_rank for r in res.rows}
    assert ranks == {("X1", "engineering"): 1, ("Y1", "engineering"): 2, ("X2", "professional"): 1,
                     ("Y2", "professional"): 2}
    # 2 engineering centers × 20% = 0.4 → 0: flagged, never silently zeroed, even over the round
    eng = [r for r in res.rows if r.center_type == "engineering"]
    assert all("excellent.cohort_small" in r.flag_codes for r in eng)
    assert all(r.award is None for r in eng)


def test_ties_across_panels_are_broken_by_the_mean_raw_total_then_shared() -> None:
    # same final score 80 in two panels; the 5-expert panel has the larger SUM of raw totals but the
    # 3-expert panel the larger MEAN raw total: the mean decides, the panel's size does not
    big = panel("P1", ["A", "B", "C", "D", "E"], {"BIG": ["80"] * 5})
    small = PanelInput("P2", (item("SMALL", {"F": "80", "G": "80", "H": "80"}, raw={"F": "81", "G": "81", "H": "81"}),))
    same = panel("P3", ["I", "J", "K"], {"SAME": ["80"] * 3})
    res = compute_round(INFO, [big, small, same])
    by_id = {r.proposal_id: r for r in res.rows}
    assert by_id["SMALL"].round_rank == 1 and not by_id["SMALL"].tie
    assert by_id["BIG"].round_rank == by_id["SAME"].round_rank == 2
    assert by_id["BIG"].tie and by_id["SAME"].tie
    assert any(f.code == "rank.tie" and "SAME" in f.zh and "平均原始总分" in f.zh for f in by_id["BIG"].flags)
    assert by_id["BIG"].panel_rank == 1  # alone in its panel


def test_a_round_whose_batches_carry_different_rules_is_refused() -> None:
    other = PERIODIC.consolidation.model_copy(update={"excellent_cap_ratio": D("0.3")})
    p1 = panel("P1", ["A"], {"X1": ["90"]})
    p2 = PanelInput("P2", (item("X2", {"B": "91"}, rule=other),))
    with pytest.raises(Rejected) as info:
        compute_round(INFO, [p1, p2])
    assert info.value.code == "round.rules_differ"
    assert "periodic_assessment" in info.value.detail and "P2" in info.value.detail
    assert "规则不一致" in info.value.text("zh") and "different" in info.value.text("en")


def test_a_proposal_in_two_panels_and_an_empty_round_are_refused() -> None:
    with pytest.raises(Rejected) as dup:
        compute_round(INFO, [panel("P1", ["A"], {"X": ["90"]}), panel("P2", ["B"], {"X": ["80"]})])
    assert dup.value.code == "round.duplicate_proposal"
    with pytest.raises(Rejected) as empty:
        compute_round(INFO, [])
    assert empty.value.code == "round.empty"


def _hand_normalised(panels: dict[str, dict[str, dict[str, float]]]) -> dict[str, float]:
    """The method written out with floats: z per expert, rescaled to the round's mean and spread, then
    the trimmed mean (≥ 5 experts) or the mean of the normalised totals."""
    totals = [t for p in panels.values() for pid in p.values() for t in pid.values()]
    m_round = sum(totals) / len(totals)
    s_round = math.sqrt(sum((t - m_round) ** 2 for t in totals) / len(totals))
    by_expert: dict[str, list[float]] = {}
    for p in panels.values():
        for pid in p.values():
            for e, t in pid.items():
                by_expert.setdefault(e, []).append(t)
    scale = {}
    for e, ts in by_expert.items():
        m = sum(ts) / len(ts)
        s = math.sqrt(sum((t - m) ** 2 for t in ts) / len(ts))
        scale[e] = (m, s)
    out = {}
    for p in panels.values():
        for pid, experts in p.items():
            norm = sorted(m_round + s_round * (t - scale[e][0]) / scale[e][1] if scale[e][1] else t - scale[e][0] + m_round
                          for e, t in experts.items())
            raw_sorted = sorted(experts.items(), key=lambda kv: kv[1])
            kept = norm if len(norm) < 5 else None
            if kept is None:  # drop the experts whose RAW totals are the extremes (ties: ids as consolidation)
                low = min(raw_sorted, key=lambda kv: (kv[1], kv[0]))[0]
                high = max(raw_sorted, key=lambda kv: (kv[1], kv[0]))[0]
                kept = [m_round + s_round * (t - scale[e][0]) / scale[e][1] for e, t in experts.items()
                        if e not in (low, high)]
            out[pid] = sum(kept) / len(kept)
    return out


def _two_decimals(x: float) -> Decimal:
    return Decimal(repr(x)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def test_normalisation_matches_a_computation_written_in_the_test() -> None:
    harsh = {"H1": {"E1": 70.0, "E2": 72.0, "E3": 68.0}, "H2": {"E1": 80.0, "E2": 81.0, "E3": 77.0},
             "H3": {"E1": 75.0, "E2": 70.0, "E3": 73.0}}
    kind = {"K1": {"F1": 90.0, "F2": 93.0, "F3": 88.0, "F4": 91.0, "F5": 95.0},
            "K2": {"F1": 86.0, "F2": 84.0, "F3": 89.0, "F4": 85.0, "F5": 90.0},
            "K3": {"F1": 92.0, "F2": 88.0, "F3": 86.0, "F4": 94.0, "F5": 91.0}}
    panels = [PanelInput("PH", tuple(item(p, {e: str(t) for e, t in x.items()}) for p, x in harsh.items())),
              PanelInput("PK", tuple(item(p, {e: str(t) for e, t in x.items()}) for p, x in kind.items()))]
    res = compute_round(INFO, panels)
    expected = _hand_normalised({"PH": harsh, "PK": kind})
    got = {r.proposal_id: r.normalised_score for r in res.rows}
    assert got == {pid: _two_decimals(v) for pid, v in expected.items()}
    form = res.normalisation.forms[0]
    totals = [t for x in (harsh, kind) for e in x.values() for t in e.values()]
    assert form.n == len(totals) and abs(float(form.mean) - sum(totals) / len(totals)) < 1e-6
    assert res.normalisation.method == "expert_z" and len(res.normalisation.experts) == 8
    # the harsh panel's best center (H2, raw 79.33) ranks above the kind panel's K2 once normalised
    by_id = {r.proposal_id: r for r in res.rows}
    assert by_id["H2"].normalised_rank < by_id["K2"].normalised_rank
    assert by_id["H2"].round_rank > by_id["K2"].round_rank
    effect = next(p for p in res.panels if p.batch_id == "PH")
    assert effect.n == 9 and effect.mean < effect.round_mean
    assert {e.expert_id for e in effect.experts} == {"E1", "E2", "E3"}


def test_a_changed_grade_under_normalisation_is_flagged_and_the_official_choice_switches() -> None:
    harsh = {f"H{i}": {"E1": str(84 - i * 4), "E2": str(83 - i * 4), "E3": str(85 - i * 4)} for i in range(5)}
    kind = {f"K{i}": {"F1": str(95 - i), "F2": str(94 - i), "F3": str(96 - i)} for i in range(5)}
    panels = [PanelInput("PH", tuple(item(p, x) for p, x in harsh.items())),
              PanelInput("PK", tuple(item(p, x) for p, x in kind.items()))]
    raw = compute_round(INFO, panels)
    by_id = {r.proposal_id: r for r in raw.rows}
    assert by_id["H0"].conclusion == "good" and by_id["H0"].normalised_conclusion == "excellent"
    assert FLAG_NORMALISED_DIFFERS in by_id["H0"].flag_codes
    assert FLAG_NORMALISED_DIFFERS in by_id["K1"].flag_codes  # loses 优秀 under normalisation
    assert by_id["K1"].conclusion == "excellent"
    chosen = compute_round(INFO, panels, official=OfficialChoice("normalised", "各组宽严差异明显"))
    by_id = {r.proposal_id: r for r in chosen.rows}
    assert by_id["H0"].conclusion == "excellent" and by_id["H0"].award == D("300000")
    assert by_id["H0"].round_rank == by_id["H0"].normalised_rank <= 2
    assert "round.official_normalised" in by_id["H0"].flag_codes


def test_a_confirmed_veto_keeps_the_worst_conclusion_under_normalisation() -> None:
    vetoed = item("V", {"A": "90", "B": "90", "C": "90"})
    vetoed = ProposalInput(**{**vetoed.__dict__, "entries": tuple(
        ExpertEntry(**{**e.__dict__, "vetoes_triggered": (PERIODIC.vetoes[0].id,)}) for e in vetoed.entries)})
    decisions = {("V", PERIODIC.id, PERIODIC.vetoes[0].id): VetoDecision(True, "查实")}
    res = compute_round(INFO, [PanelInput("P1", (vetoed, item("W", {"A": "70", "B": "70", "C": "70"})), decisions)])
    v = next(r for r in res.rows if r.proposal_id == "V")
    assert v.conclusion == v.normalised_conclusion == PERIODIC.conclusions[-1].code


def test_a_center_told_to_rectify_last_round_is_flagged_with_its_last_result() -> None:
    prev = PreviousResult(center_name="中心X1", proposal_id="OLD7", form_id="periodic_assessment",
                          center_type="professional", final_score=D("58.00"), conclusion="fail",
                          conclusion_label="不合格", rectify=True)
    res = compute_round(INFO, [panel("P1", ["A"], {"X1": ["80"], "X2": ["70"]})], previous=[prev])
    x1 = next(r for r in res.rows if r.proposal_id == "X1")
    assert FLAG_RECTIFY in x1.flag_codes and x1.previous == prev and x1.targets_item == "5.1"
    assert next(r for r in res.rows if r.proposal_id == "X2").previous is None
    assert is_rectify(PERIODIC, "professional", "fail") and not is_rectify(PERIODIC, "professional", "good")
    assert is_rectify(FORMS["term_end_evaluation"], "comprehensive", "basic")
