"""The bundled form templates, the strict loader and the published JSON Schema."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from tic_desktop import paths
from tic_desktop.core.errors import FormInvalid, known_codes
from tic_desktop.core.form_library import (
    SCHEMA_FILE,
    builtin_forms,
    form_files,
    json_schema,
    load_form,
    schema_text,
    write_json_schema,
)
from tic_desktop.core.forms import FormTemplate

FORMS_DIR = paths.forms_dir()
EXPECTED_IDS = {"feasibility_review", "rd_capacity_project", "term_end_evaluation", "periodic_assessment"}


def _raw(form_id: str) -> dict[str, Any]:
    return json.loads((FORMS_DIR / f"{form_id}.json").read_text(encoding="utf-8"))


def _validator() -> jsonschema.Draft202012Validator:
    schema = json.loads((FORMS_DIR / SCHEMA_FILE).read_text(encoding="utf-8"))
    return jsonschema.Draft202012Validator(schema)


def _write(tmp_path: Path, data: dict[str, Any], name: str = "form.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


# --- the bundled forms -------------------------------------------------------------------------


def test_builtin_forms_are_the_four_templates() -> None:
    forms = builtin_forms()
    assert set(forms) == EXPECTED_IDS
    assert [p.name for p in form_files()] == sorted(f"{i}.json" for i in EXPECTED_IDS)
    for form in forms.values():
        assert form.format == "tic-form" and form.format_version == "1.0" and form.version == "1.1"
        assert form.max_total == Decimal(100)
        assert form.step == Decimal("0.5")
        assert [(b.code, b.min_ratio) for b in form.bands] == [
            ("A", Decimal("0.90")),
            ("B", Decimal("0.75")),
            ("C", Decimal("0.60")),
            ("D", Decimal("0")),
        ]
        assert [f.id for f in form.overall_fields][:2] == ["main_problems", "suggestions"]
        assert all(f.required for f in form.overall_fields[:2])


def test_feasibility_review_follows_the_nine_chapter_outline() -> None:
    form = builtin_forms()["feasibility_review"]
    assert [(s.id, s.max) for s in form.sections] == [
        ("1", 15),
        ("2", 10),
        ("3", 10),
        ("4", 25),
        ("5", 15),
        ("6", 5),
        ("7", 15),
        ("8", 5),
    ]
    maxima = {c.id: c.max for c in form.criteria}
    assert maxima == {
        "1.1": 6, "1.2": 9, "2.1": 6, "2.2": 4, "3.1": 4, "3.2": 3, "3.3": 3, "4.1": 10, "4.2": 8, "4.3": 7,
        "5.1": 5, "5.2": 5, "5.3": 5, "6.1": 5, "7.1": 4, "7.2": 7, "7.3": 4, "8.1": 5,
    }  # fmt: skip
    assert form.criterion("1.2").label.zh == "依托单位与共建单位基础"
    assert [(c.code, c.label.zh, c.min_total) for c in form.conclusions] == [
        ("pass", "通过", 80),
        ("revise", "修改后通过", 60),
        ("reject", "不通过", 0),
    ]
    amount = {f.id: f for f in form.overall_fields}["suggested_subsidy"]
    assert amount.type == "amount" and not amount.required and "万元/年" in amount.label.zh
    assert form.criterion("8.1").na_allowed
    assert {v.id for v in form.vetoes} == {"material_untrue"}


def test_rd_capacity_project_split_and_finance_roles() -> None:
    form = builtin_forms()["rd_capacity_project"]
    assert [s.max for s in form.sections] == [30, 25, 25, 20]
    assert all(2 <= len(s.criteria) <= 3 for s in form.sections)
    budget = form.sections[2]
    assert all("finance" in c.roles for c in budget.criteria)
    others = [c for s in form.sections if s is not budget for c in s.criteria]
    assert all(c.roles and "finance" not in c.roles for c in others)


def test_term_end_floor_and_outcomes() -> None:
    form = builtin_forms()["term_end_evaluation"]
    part1 = form.sections[0]
    assert part1.max == 35
    assert part1.floor_ratio == Decimal("0.8") and part1.floor_veto == "completion_below_80"
    assert {v.id for v in form.vetoes} == {
        "completion_below_80", "material_untrue", "unapproved_change", "absent",
    }  # fmt: skip
    got = [(c.label.zh, c.min_total, c.outcome.zh if c.outcome else None) for c in form.conclusions]
    assert [g[:2] for g in got] == [("优秀", 85), ("合格", 70), ("基本合格", 60), ("不合格", 0)]
    assert got[0][2] == "后续支持（优先）" and got[1][2] == "后续支持"
    assert got[2][2].startswith("限期整改") and got[3][2] == "撤销"


def test_periodic_assessment_grades_award_and_cap() -> None:
    form = builtin_forms()["periodic_assessment"]
    assert [(c.label.zh, c.min_total, c.award) for c in form.conclusions] == [
        ("优秀", 85, None),
        ("良好", 75, None),
        ("合格", 60, None),
        ("不合格", 0, None),
    ]
    # the plan's 30万元 award is for 优秀 professional centers only; engineering centers get 撤并转
    types = form.consolidation.center_types
    assert types["professional"].awards == {"excellent": Decimal("300000")}
    assert types["engineering"].awards == {} and types["engineering"].restructure_field == "restructure"
    assert types["professional"].excellent_cap_ratio == Decimal("0.2")
    assert types["professional"].excellent_cap_rounding == "round_half_up"
    assert form.consolidation.excellent_cap_ratio == Decimal("0.2")
    assert form.consolidation.trim_min_sheets == 5 and form.consolidation.method == "trimmed_mean"


@pytest.mark.parametrize("form_id", sorted(EXPECTED_IDS))
def test_every_criterion_has_four_distinct_bilingual_descriptors(form_id: str) -> None:
    form = builtin_forms()[form_id]
    for c in form.criteria:
        assert set(c.levels) == {"A", "B", "C", "D"}, c.id
        zh = [c.levels[k].zh for k in "ABCD"]
        en = [c.levels[k].en for k in "ABCD"]
        assert len(set(zh)) == 4 and len(set(en)) == 4, c.id
        assert all(len(t) >= 4 for t in zh) and all(len(t) >= 10 for t in en), c.id
        assert c.guidance is not None


@pytest.mark.parametrize("form_id", sorted(EXPECTED_IDS))
def test_comment_rules_low_and_full_no_na_rule(form_id: str) -> None:
    rules = builtin_forms()[form_id].comment_rules
    assert [(r.at_most, r.at_least, r.on_not_applicable) for r in rules] == [
        (Decimal("0.6"), None, False),
        (None, Decimal("1"), False),
    ]


@pytest.mark.parametrize("form_id", sorted(EXPECTED_IDS))
def test_form_files_are_pretty_human_editable_json(form_id: str) -> None:
    text = (FORMS_DIR / f"{form_id}.json").read_text(encoding="utf-8")
    assert text.endswith("\n") and "\n  " in text
    assert "\\u" not in text  # Chinese written as Chinese


def test_content_hash_is_stable_over_reload() -> None:
    a = load_form(FORMS_DIR / "feasibility_review.json")
    b = load_form(FORMS_DIR / "feasibility_review.json")
    assert a.content_hash == b.content_hash and len(a.content_hash) == 64


# --- published schema ------------------------------------------------------------------------


def test_published_schema_has_not_drifted() -> None:
    committed = (FORMS_DIR / SCHEMA_FILE).read_text(encoding="utf-8")
    assert committed == schema_text(), "run: python -m tic_desktop.core.form_library"


def test_write_json_schema_writes_the_same_bytes(tmp_path: Path) -> None:
    out = write_json_schema(tmp_path / "s.json")
    assert out.read_text(encoding="utf-8") == (FORMS_DIR / SCHEMA_FILE).read_text(encoding="utf-8")


def test_schema_is_2020_12_with_id() -> None:
    schema = json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].startswith("urn:tic-desktop:")
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("form_id", sorted(EXPECTED_IDS))
def test_bundled_forms_pass_the_published_schema(form_id: str) -> None:
    errors = list(_validator().iter_errors(_raw(form_id)))
    assert errors == []


def _set_max(data: dict[str, Any], value: str) -> None:
    data["sections"][0]["criteria"][0]["max"] = value


def _structural_breaks() -> list[tuple[str, Any]]:
    def missing_criteria(d: dict[str, Any]) -> None:
        del d["sections"][0]["criteria"]

    def float_max(d: dict[str, Any]) -> None:
        d["sections"][0]["criteria"][0]["max"] = 6.0

    def extra_key(d: dict[str, Any]) -> None:
        d["sections"][0]["weight"] = "1"

    def lowercase_band_level(d: dict[str, Any]) -> None:
        d["sections"][0]["criteria"][0]["levels"]["a"] = {"zh": "优", "en": "Excellent"}

    def unknown_role(d: dict[str, Any]) -> None:
        d["sections"][0]["criteria"][0]["roles"] = ["auditor"]

    def missing_english(d: dict[str, Any]) -> None:
        del d["title"]["en"]

    def bad_id(d: dict[str, Any]) -> None:
        d["sections"][0]["criteria"][0]["id"] = "1/1"

    return [
        ("missing_criteria", missing_criteria),
        ("float_max", float_max),
        ("extra_key", extra_key),
        ("lowercase_band_level", lowercase_band_level),
        ("unknown_role", unknown_role),
        ("missing_english", missing_english),
        ("bad_id", bad_id),
    ]


@pytest.mark.parametrize(("name", "breaker"), _structural_breaks(), ids=[n for n, _ in _structural_breaks()])
def test_structural_breaks_fail_schema_and_model(tmp_path: Path, name: str, breaker: Any) -> None:
    data = copy.deepcopy(_raw("feasibility_review"))
    breaker(data)
    assert list(_validator().iter_errors(data)), f"{name} passed the schema"
    with pytest.raises(FormInvalid) as info:
        load_form(_write(tmp_path, data))
    assert info.value.code == "form.schema_invalid"
    assert "$.sections[0]" in info.value.detail or "$.title" in info.value.detail


def _arithmetic_breaks() -> list[tuple[str, Any, str]]:
    def not_100(d: dict[str, Any]) -> None:
        _set_max(d, "7")  # 1.1: 6 -> 7, total 101

    def off_step(d: dict[str, Any]) -> None:
        _set_max(d, "5.75")
        d["sections"][0]["criteria"][1]["max"] = "9.25"  # still 100 in total

    def unknown_band(d: dict[str, Any]) -> None:
        d["sections"][0]["criteria"][0]["levels"]["E"] = {"zh": "极差", "en": "Very poor"}

    def bands_out_of_order(d: dict[str, Any]) -> None:
        d["bands"][1], d["bands"][2] = d["bands"][2], d["bands"][1]

    def unknown_floor_veto(d: dict[str, Any]) -> None:
        d["sections"][0]["floor_ratio"] = "0.8"
        d["sections"][0]["floor_veto"] = "no_such_veto"

    def conclusions_out_of_order(d: dict[str, Any]) -> None:
        d["conclusions"].reverse()

    return [
        ("not_100", not_100, "$.sections: criteria must add up to 100, not 101"),
        ("off_step", off_step, "$.sections[0].criteria[0].max: 5.75 is not a positive multiple of step 0.5"),
        ("unknown_band", unknown_band, "$.sections[0].criteria[0].levels: level codes ['E'] are not bands"),
        ("bands_out_of_order", bands_out_of_order, "$.bands: bands must be ordered best first"),
        ("unknown_floor_veto", unknown_floor_veto, "$.sections[0].floor_veto: no_such_veto is not a veto"),
        ("conclusions_out_of_order", conclusions_out_of_order, "$.conclusions: conclusions must be ordered"),
    ]


@pytest.mark.parametrize(
    ("name", "breaker", "expected"), _arithmetic_breaks(), ids=[n for n, _, _ in _arithmetic_breaks()]
)
def test_arithmetic_breaks_fail_the_model_naming_the_path(
    tmp_path: Path, name: str, breaker: Any, expected: str
) -> None:
    data = copy.deepcopy(_raw("feasibility_review"))
    breaker(data)
    with pytest.raises(FormInvalid) as info:
        load_form(_write(tmp_path, data))
    assert info.value.code == "form.inconsistent"
    assert info.value.detail.startswith("form.json: ")
    assert expected in info.value.detail
    # JSON Schema cannot express sums or cross-references; the schema says so in its description
    assert "add up to 100" in json_schema()["description"]


def test_model_validate_in_python_rejects_the_same_break() -> None:
    data = copy.deepcopy(_raw("feasibility_review"))
    _set_max(data, "7")
    with pytest.raises(ValueError, match="add up to 100"):
        FormTemplate.model_validate_json(json.dumps(data), strict=True)


# --- strict JSON -------------------------------------------------------------------------------


def test_duplicate_key_is_refused(tmp_path: Path) -> None:
    text = (FORMS_DIR / "rd_capacity_project.json").read_text(encoding="utf-8")
    text = text.replace('"step": "0.5",', '"step": "0.5",\n  "step": "1",', 1)
    path = tmp_path / "dup.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(FormInvalid) as info:
        load_form(path)
    assert info.value.code == "form.duplicate_key"
    assert "'step'" in info.value.detail


def test_nan_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nan.json"
    path.write_text('{"format": "tic-form", "x": NaN}', encoding="utf-8")
    with pytest.raises(FormInvalid) as info:
        load_form(path)
    assert info.value.code == "form.non_finite_number"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"\xff\xfe{}", "form.not_utf8"),
        (b"{not json", "form.bad_json"),
        (b"[]", "form.schema_invalid"),
        (b'{"format": "tic-sheet"}', "form.unknown_format"),
        (b'{"format": "tic-form", "format_version": "2.0"}', "form.version_too_new"),
        (b'{"format": "tic-form", "format_version": "1.1"}', "form.version_too_new"),
    ],
)
def test_bad_files_have_registered_codes(tmp_path: Path, content: bytes, code: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(FormInvalid) as info:
        load_form(path)
    assert info.value.code == code
    assert code in known_codes()
    assert info.value.text("zh") and info.value.text("en")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FormInvalid) as info:
        load_form(tmp_path / "nope.json")
    assert info.value.code == "form.read_failed"


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    text = (FORMS_DIR / "periodic_assessment.json").read_text(encoding="utf-8")
    path = tmp_path / "bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert load_form(path).id == "periodic_assessment"
