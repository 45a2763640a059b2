"""Property tests of the scoring arithmetic over the bundled forms."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from tic_desktop.core.form_library import builtin_forms
from tic_desktop.core.forms import FormTemplate
from tic_desktop.core.scoring import FormAnswers, evaluate, round_half_up

FORMS = builtin_forms()
FORM_IDS = sorted(FORMS)
ROLES = [None, "technical", "finance", "management"]


@st.composite
def sheets(draw: st.DrawFn, allow_na: bool = True) -> tuple[FormTemplate, FormAnswers, str | None]:
    """A form, answers with valid scores (some unscored, some N/A where allowed) and a role."""
    form = FORMS[draw(st.sampled_from(FORM_IDS))]
    scores: dict[str, Decimal] = {}
    na: set[str] = set()
    for c in form.criteria:
        options = ["score", "blank"] + (["na"] if allow_na and c.na_allowed else [])
        choice = draw(st.sampled_from(options))
        if choice == "score":
            steps = int(c.max / form.step)
            scores[c.id] = draw(st.integers(0, steps)) * form.step
        elif choice == "na":
            na.add(c.id)
    role = draw(st.sampled_from(ROLES))
    return form, FormAnswers(scores=scores, not_applicable=frozenset(na)), role


@settings(max_examples=300, deadline=None)
@given(sheets())
def test_total_is_the_sum_of_applicable_scores(sheet: tuple[FormTemplate, FormAnswers, str | None]) -> None:
    form, answers, role = sheet
    e = evaluate(form, answers, role)
    expected = sum((answers.scores[c] for c in e.applicable if c in answers.scores), Decimal(0))
    assert e.raw_total == expected
    assert e.raw_total == sum(e.section_totals.values(), Decimal(0))
    assert e.applicable_max == sum((form.criterion(c).max for c in e.applicable), Decimal(0))
    assert not set(e.applicable) & answers.not_applicable


@settings(max_examples=300, deadline=None)
@given(sheets())
def test_rescaled_total_within_0_and_100(sheet: tuple[FormTemplate, FormAnswers, str | None]) -> None:
    form, answers, role = sheet
    e = evaluate(form, answers, role)
    assert Decimal(0) <= e.total <= Decimal(100)
    assert e.total == e.total.quantize(Decimal("0.01"))
    if e.applicable_max > 0:
        assert e.total == round_half_up(e.raw_total * 100 / e.applicable_max, 2)


@settings(max_examples=300, deadline=None)
@given(sheets(allow_na=False))
def test_without_na_the_total_equals_the_raw_sum(sheet: tuple[FormTemplate, FormAnswers, str | None]) -> None:
    form, answers, _ = sheet
    e = evaluate(form, answers, role=None)
    assert e.applicable_max == Decimal(100)
    assert e.total == e.raw_total


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_scores_off_step_or_out_of_range_are_always_problems(data: st.DataObject) -> None:
    form = FORMS[data.draw(st.sampled_from(FORM_IDS))]
    criterion = data.draw(st.sampled_from(form.criteria))
    off_step = data.draw(st.integers(1, 99)) * Decimal("0.01")  # never a multiple of 0.5 below 1 ...
    base = data.draw(st.integers(0, int(criterion.max) - 1))
    kind = data.draw(st.sampled_from(["off_step", "above", "below"]))
    if kind == "off_step":
        value = Decimal(base) + off_step
        if value % form.step == 0:  # ... except 0.50 itself
            value += Decimal("0.01")
        expected = {"score.off_step"}
    elif kind == "above":
        value = criterion.max + data.draw(st.integers(1, 1000)) * Decimal("0.5")
        expected = {"score.out_of_range"}
    else:
        value = -data.draw(st.integers(1, 1000)) * Decimal("0.25")
        expected = {"score.out_of_range"}
    e = evaluate(form, FormAnswers(scores={criterion.id: value}))
    got = {p.code for p in e.problems if p.target == criterion.id}
    assert expected <= got
    assert criterion.id not in e.band_of
    assert e.raw_total == 0


@settings(max_examples=500, deadline=None)
@given(st.integers(-(10**9), 10**9), st.integers(0, 4))
def test_quantization_is_half_up(units: int, decimals: int) -> None:
    # a value with one more digit than kept: the last digit decides the rounding
    value = Decimal(units).scaleb(-(decimals + 1))
    got = round_half_up(value, decimals)
    last = abs(units) % 10
    truncated = Decimal(abs(units) // 10).scaleb(-decimals)
    magnitude = truncated + (Decimal(1).scaleb(-decimals) if last >= 5 else 0)
    expected = magnitude if units >= 0 else -magnitude
    assert got == expected
    assert got.as_tuple().exponent == -decimals
    assert abs(got - value) <= Decimal(5).scaleb(-(decimals + 1))


@settings(max_examples=200, deadline=None)
@given(sheets())
def test_band_matches_the_ratio(sheet: tuple[FormTemplate, FormAnswers, str | None]) -> None:
    form, answers, role = sheet
    e = evaluate(form, answers, role)
    for cid, code in e.band_of.items():
        ratio = answers.scores[cid] / form.criterion(cid).max
        band = next(b for b in form.bands if b.code == code)
        assert ratio >= band.min_ratio
        better = form.bands[: form.bands.index(band)]
        assert all(ratio < b.min_ratio for b in better)
