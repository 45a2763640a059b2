"""The checks `core.scoring.evaluate` makes on one item at a time — a score, an overall field — and
what they say (`Problem`s, collected in order), apart from the totalling itself."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from tic_desktop.core.forms import Criterion, FormTemplate, OverallField
from tic_desktop.core.types import Text


@dataclass(frozen=True)
class Problem:
    """Something missing or wrong on the sheet; `code` is stable, `target` is the id it is about."""

    code: str
    target: str | None
    zh: str
    en: str

    def text(self, lang: str = "zh") -> str:
        return self.zh if lang.startswith("zh") else self.en


def criterion_name(c: Criterion) -> tuple[str, str]:
    return f"{c.id} {c.label.zh}", f"{c.id} {c.label.en}"


def fmt(value: Decimal) -> str:
    return format(value.normalize(), "f")


class Collector:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, code: str, target: str | None, zh: str, en: str) -> None:
        self.items.append(Problem(code, target, zh, en))


def check_score(form: FormTemplate, c: Criterion, value: object, out: Collector) -> Decimal | None:
    """The score if valid, else None (and a problem). Names are only formatted for a problem."""
    if not isinstance(value, Decimal) or not value.is_finite():
        zh, en = criterion_name(c)
        out.add("score.invalid", c.id, f"{zh} 的得分不是有效数字", f"{en}: the score is not a valid number")
        return None
    if value < 0 or value > c.max:
        zh, en = criterion_name(c)
        out.add(
            "score.out_of_range",
            c.id,
            f"{zh} 得分 {fmt(value)} 超出范围 0–{fmt(c.max)}",
            f"{en}: score {fmt(value)} is outside 0–{fmt(c.max)}",
        )
        return None
    try:
        steps = value / form.step
        on_step = steps == steps.to_integral_value()
    except InvalidOperation:
        on_step = False
    if not on_step:
        zh, en = criterion_name(c)
        out.add(
            "score.off_step",
            c.id,
            f"{zh} 得分 {fmt(value)} 不是 {fmt(form.step)} 分的整数倍",
            f"{en}: score {fmt(value)} is not a multiple of {fmt(form.step)}",
        )
        return None
    return value


def band_code(form: FormTemplate, ratio: Decimal) -> str:
    """The first band whose `min_ratio` ≤ score / max (`ratio`)."""
    for band in form.bands:
        if ratio >= band.min_ratio:
            return band.code
    return form.bands[-1].code


def comment_required(form: FormTemplate, ratio: Decimal | None, na: bool) -> Text | None:
    """The rule that asks for a comment at this score / max (`ratio`; None: not scored), if any."""
    for rule in form.comment_rules:
        if na:
            if rule.on_not_applicable:
                return rule.label
            continue
        if ratio is None:
            continue
        if (rule.at_most is not None and ratio <= rule.at_most) or (
            rule.at_least is not None and ratio >= rule.at_least
        ):
            return rule.label
    return None


def check_overall(f: OverallField, value: str | None, out: Collector) -> None:
    text = (value or "").strip()
    if not text:
        if f.required:
            out.add("field.missing", f.id, f"{f.label.zh} 未填写", f"{f.label.en} is not filled in")
        return
    if len(text) > f.max_length:
        out.add(
            "field.too_long",
            f.id,
            f"{f.label.zh} 超过 {f.max_length} 字（现 {len(text)} 字）",
            f"{f.label.en} is longer than {f.max_length} characters ({len(text)})",
        )
    if f.type == "choice" and f.option(text) is None:
        out.add(
            "field.invalid_choice",
            f.id,
            f"{f.label.zh} 应从选项中选择：{'、'.join(o.label.zh for o in f.options)}（现为“{text}”）",
            f"{f.label.en} must be one of: {', '.join(o.label.en for o in f.options)} (now “{text}”)",
        )
    if f.type == "amount":
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = Decimal("NaN")
        if not amount.is_finite() or amount < 0:
            out.add(
                "field.invalid_amount",
                f.id,
                f"{f.label.zh} 应填写不小于 0 的数字（现为“{text}”）",
                f"{f.label.en} must be a number of at least 0 (now “{text}”)",
            )


def form_field(form: FormTemplate, field_id: str) -> OverallField:
    return next(f for f in form.overall_fields if f.id == field_id)
