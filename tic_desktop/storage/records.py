"""Plain rows the workspace returns, and how answer values are stored.

Answers are stored as TEXT: scores as decimal strings ("7.5"; never float), `na` and `veto` as
"1"/"0", comments, conclusion codes and overall fields as given. `FormAnswersDict` has exactly
the fields of `core.scoring.FormAnswers`, so `FormAnswers(**ws.answers_for(...))` builds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Literal, NamedTuple, TypedDict, get_args

from tic_desktop.core.types import DECIMAL_RE
from tic_desktop.storage.errors import ANSWER_INVALID, StorageError

ItemKind = Literal["score", "na", "comment", "veto", "conclusion", "overall"]
ITEM_KINDS: tuple[str, ...] = get_args(ItemKind)
"""The kinds of answer a form has; the schema's CHECK constraint is made from the same tuple."""
AnswerValue = Decimal | str | bool
MAX_TEXT = 20_000


class FormAnswersDict(TypedDict):
    scores: dict[str, Decimal]
    not_applicable: frozenset[str]
    comments: dict[str, str]
    vetoes: dict[str, bool]
    conclusion: str | None
    overall: dict[str, str]


class AnswerEdit(NamedTuple):
    """One field edit; `value=None` clears it."""

    proposal_id: str
    form_id: str
    item_kind: ItemKind
    item_id: str
    value: AnswerValue | None


class AnswerRow(NamedTuple):
    proposal_id: str
    form_id: str
    item_kind: ItemKind
    item_id: str
    value: str
    updated_at: str


@dataclass(frozen=True)
class BatchRecord:
    batch_id: str
    manifest_sha256: str
    title_zh: str
    title_en: str
    kind: str
    agency_name: str
    agency_fingerprint: str
    raw_sha256: str
    raw_size: int
    imported_at: str
    manifest_created_at: str = ""
    """The manifest's `created_at` ('' for batches imported before schema v2)."""


@dataclass(frozen=True)
class ExpertIdentity:
    batch_id: str
    expert_id: str
    key_fingerprint: str
    chosen_at: str


@dataclass(frozen=True)
class Pledge:
    batch_id: str
    expert_id: str
    accepted_at: str
    text_sha256: str


@dataclass(frozen=True)
class ConflictDeclaration:
    proposal_id: str
    declared: bool
    reason_code: str | None
    note: str
    declared_at: str


@dataclass(frozen=True)
class DocumentOpened:
    proposal_id: str
    path: str
    sha256: str
    first_opened_at: str


@dataclass(frozen=True)
class SheetExport:
    batch_id: str
    expert_id: str
    sheet_seq: int
    sheet_sha256: str
    supersedes: str | None
    audit_seq: int
    exported_at: str


def _bad(kind: str, item_id: str, value: object) -> StorageError:
    return StorageError(ANSWER_INVALID, f"{kind} {item_id}: {value!r}")


def encode_value(kind: str, item_id: str, value: AnswerValue) -> str | None:
    """The stored text for `value`, or None when the value means "clear" (na=False)."""
    if kind == "score":
        if isinstance(value, bool):
            raise _bad(kind, item_id, value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise _bad(kind, item_id, value)
            text = format(value, "f")
        elif isinstance(value, str):
            text = value.strip()
        else:
            raise _bad(kind, item_id, value)
        if not DECIMAL_RE.match(text):
            raise _bad(kind, item_id, value)
        return text
    if kind in ("na", "veto"):
        if not isinstance(value, bool):
            raise _bad(kind, item_id, value)
        if kind == "na":
            return "1" if value else None
        return "1" if value else "0"
    if kind in ("comment", "overall", "conclusion"):
        if not isinstance(value, str) or len(value) > MAX_TEXT or (kind == "conclusion" and not value):
            raise _bad(kind, item_id, value)
        return value
    raise _bad(kind, item_id, value)


def check_item(kind: str, item_id: str) -> None:
    if kind not in ITEM_KINDS:
        raise StorageError(ANSWER_INVALID, f"unknown item kind {kind!r}")
    if (kind == "conclusion") != (item_id == ""):
        raise StorageError(ANSWER_INVALID, f"{kind}: item_id {item_id!r} (a conclusion has item_id '')")


def empty_answers() -> FormAnswersDict:
    return {
        "scores": {},
        "not_applicable": frozenset(),
        "comments": {},
        "vetoes": {},
        "conclusion": None,
        "overall": {},
    }


def build_answers(rows: list[tuple[str, str, str]]) -> FormAnswersDict:
    """(item_kind, item_id, value) rows → the FormAnswers fields."""
    out = empty_answers()
    na: set[str] = set()
    for kind, item_id, value in rows:
        if kind == "score":
            try:
                out["scores"][item_id] = Decimal(value)
            except InvalidOperation:
                continue
        elif kind == "na":
            na.add(item_id)
        elif kind == "comment":
            out["comments"][item_id] = value
        elif kind == "veto":
            out["vetoes"][item_id] = value == "1"
        elif kind == "conclusion":
            out["conclusion"] = value
        elif kind == "overall":
            out["overall"][item_id] = value
    out["not_applicable"] = frozenset(na)
    return out
