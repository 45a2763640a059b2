"""Loading form templates from JSON, the bundled forms, and the published JSON Schema.

A form file is read strictly: UTF-8, no duplicate keys, no NaN/Infinity, numbers that matter as
decimal strings, then `FormTemplate.model_validate_json(..., strict=True)` (the strict JSON mode
accepts arrays for tuples). Every failure is a `FormInvalid` whose detail names the file and the
JSON path (`$.sections[3].criteria[0].max`).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from tic_desktop import paths
from tic_desktop.core.errors import FormInvalid, register
from tic_desktop.core.forms import FORM_FORMAT, FORM_FORMAT_VERSION, FormTemplate

SCHEMA_FILE = "form.schema.json"
SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
SCHEMA_ID = "urn:tic-desktop:schema:tic-form:1.0"
MAX_FORM_BYTES = 2 * 1024 * 1024

READ_FAILED = register("form.read_failed", "无法读取评分表文件。", "The form file could not be read.")
TOO_LARGE = register("form.too_large", "评分表文件过大。", "The form file is too large.")
NOT_UTF8 = register("form.not_utf8", "评分表文件不是 UTF-8 编码。", "The form file is not UTF-8 text.")
BAD_JSON = register("form.bad_json", "评分表文件不是有效的 JSON。", "The form file is not valid JSON.")
DUPLICATE_KEY = register(
    "form.duplicate_key", "评分表 JSON 中有重复的键。", "The form JSON repeats a key in one object."
)
NON_FINITE = register(
    "form.non_finite_number", "评分表 JSON 中有 NaN 或 Infinity。", "The form JSON contains NaN or Infinity."
)
UNKNOWN_FORMAT = register(
    "form.unknown_format",
    "文件不是 TIC 评分表（format 应为 tic-form）。",
    "The file is not a TIC form (format must be tic-form).",
)
TOO_NEW = register(
    "form.version_too_new",
    "评分表格式版本高于本软件支持的版本，请更新软件。",
    "The form's format version is newer than this app supports; please update the app.",
)
SCHEMA_INVALID = register(
    "form.schema_invalid", "评分表的字段不符合规范。", "A field of the form does not match the form schema."
)
INCONSISTENT = register(
    "form.inconsistent",
    "评分表的分值或规则自相矛盾（如各项满分合计不为 100）。",
    "The form's points or rules contradict each other (e.g. criteria do not add up to 100).",
)
DUPLICATE_ID = register(
    "form.duplicate_id", "两个内置评分表使用了相同的编号。", "Two bundled forms share the same id."
)


class _DuplicateKey(ValueError):
    pass


def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _no_constants(name: str) -> Any:
    raise ValueError(name)


def parse_strict_json(text: str, source: str = "<form>") -> Any:
    """Parse JSON refusing duplicate keys and NaN/Infinity; errors are `FormInvalid`."""
    try:
        return json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except _DuplicateKey as exc:
        raise FormInvalid(DUPLICATE_KEY, f"{source}: key {exc.args[0]!r} appears twice") from None
    except json.JSONDecodeError as exc:
        raise FormInvalid(BAD_JSON, f"{source}: line {exc.lineno} column {exc.colno}: {exc.msg}") from None
    except ValueError as exc:
        raise FormInvalid(NON_FINITE, f"{source}: {exc.args[0]} is not allowed") from None


def json_path(loc: tuple[str | int, ...]) -> str:
    """`("sections", 3, "criteria", 0, "max")` -> `$.sections[3].criteria[0].max`."""
    out = "$"
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def form_from_text(text: str, source: str = "<form>") -> FormTemplate:
    """Validate a form given as JSON text (strict JSON, then the strict model)."""
    data = parse_strict_json(text, source)
    if not isinstance(data, dict):
        raise FormInvalid(SCHEMA_INVALID, f"{source}: $: a form is a JSON object")
    if data.get("format") != FORM_FORMAT:
        raise FormInvalid(UNKNOWN_FORMAT, f"{source}: $.format is {data.get('format')!r}")
    version = data.get("format_version")
    if isinstance(version, str) and version != FORM_FORMAT_VERSION:
        try:
            major, minor = (int(p) for p in version.split(".", 1))
        except ValueError:
            major, minor = -1, -1
        if (major, minor) > (1, 0):
            raise FormInvalid(TOO_NEW, f"{source}: $.format_version is {version}, this app reads 1.0")
    try:
        return FormTemplate.model_validate_json(text, strict=True)
    except ValidationError as exc:
        errors = exc.errors(include_url=False)
        first = errors[0]
        loc = tuple(first["loc"])
        code = INCONSISTENT if not loc and first["type"] == "value_error" else SCHEMA_INVALID
        message = str(first["msg"]).removeprefix("Value error, ")
        # a model-level message already starts with its JSON path
        where = "" if code == INCONSISTENT else f"{json_path(loc)}: "
        detail = f"{source}: {where}{message}"
        if len(errors) > 1:
            detail += f" (+{len(errors) - 1} more)"
        raise FormInvalid(code, detail) from None


def load_form(path: Path) -> FormTemplate:
    """Read and validate one form file. Raises `FormInvalid` with a registered code."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormInvalid(READ_FAILED, f"{path.name}: {exc.strerror or exc}") from None
    if len(raw) > MAX_FORM_BYTES:
        raise FormInvalid(TOO_LARGE, f"{path.name}: {len(raw)} bytes, at most {MAX_FORM_BYTES}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormInvalid(NOT_UTF8, f"{path.name}: byte {exc.start}") from None
    return form_from_text(text.removeprefix("\ufeff"), path.name)


def form_files(directory: Path | None = None) -> list[Path]:
    """The form files of a folder (every *.json except the schema), sorted by name."""
    directory = paths.forms_dir() if directory is None else directory
    return sorted(p for p in directory.glob("*.json") if p.name != SCHEMA_FILE)


@lru_cache(maxsize=4)
def _load_dir(directory: Path) -> tuple[FormTemplate, ...]:
    forms: dict[str, FormTemplate] = {}
    for path in form_files(directory):
        form = load_form(path)
        if form.id in forms:
            raise FormInvalid(DUPLICATE_ID, f"{path.name}: id {form.id}")
        forms[form.id] = form
    return tuple(forms.values())


def builtin_forms() -> dict[str, FormTemplate]:
    """The bundled forms by id (a fresh dict; the templates are frozen and cached)."""
    return {form.id: form for form in _load_dir(paths.forms_dir())}


def json_schema() -> dict[str, Any]:
    """The published JSON Schema (2020-12) of a form file."""
    schema = FormTemplate.model_json_schema(mode="validation")
    return {"$schema": SCHEMA_DIALECT, "$id": SCHEMA_ID, **schema}


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"


def write_json_schema(path: Path | None = None) -> Path:
    """Write the schema (default `resources/forms/form.schema.json`); returns the path."""
    path = paths.forms_dir() / SCHEMA_FILE if path is None else Path(path)
    path.write_text(schema_text(), encoding="utf-8", newline="\n")
    return path


if __name__ == "__main__":  # python -m tic_desktop.core.form_library  (regenerates the schema)
    print(write_json_schema())
