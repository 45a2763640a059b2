"""The 承诺书 (confidentiality and impartiality pledge) and the 回避 reasons (domain/forms.md (b), (c)).

The pledge text and its hash live in `core.pledge`; they are re-exported here for the expert side."""

from __future__ import annotations

from dataclasses import dataclass

from tic_desktop.core.pledge import PLEDGE, pledge_sha256
from tic_desktop.core.types import Text


@dataclass(frozen=True)
class ConflictReason:
    code: str
    label: Text
    needs_note: bool = False


CONFLICT_REASONS: tuple[ConflictReason, ...] = (
    ConflictReason("employment_3y", Text(zh="近三年在依托单位或共建单位任职、兼职或咨询",
                                         en="Worked or consulted for the host (依托) or a member unit within 3 years")),
    ConflictReason("family", Text(zh="与申报单位负责人或主要成员有近亲属关系",
                                  en="Family ties with the applicant's leaders or key members")),
    ConflictReason("coauthor_3y", Text(zh="近三年与主要成员合作发表论文或共同承担项目（含师生关系）",
                                       en="Co-author, co-PI or supervisor/student of key members within 3 years")),
    ConflictReason("helped_write", Text(zh="参与编写或咨询过该建设方案",
                                        en="Helped write or advised on this plan")),
    ConflictReason("financial", Text(zh="持有股权或存在其他经济利益往来",
                                     en="Equity or other financial ties")),
    ConflictReason("other", Text(zh="其他可能影响公正评审的情形（请说明）",
                                 en="Other circumstances that could affect impartiality (explain)"), needs_note=True),
)
KNOWN_IN_ADVANCE = "known_in_advance"
"""Reason code of a conflict the agency put in the manifest; shown and locked."""


def pledge_title_body(text: str) -> tuple[str, str]:
    """The title (the first paragraph when it is one short line) and the body of a pledge text."""
    first, sep, rest = text.strip().partition("\n\n")
    if sep and "\n" not in first and len(first) <= 40:
        return first.strip(), rest.strip()
    return "评审专家承诺书" if any("\u4e00" <= ch <= "\u9fff" for ch in text) else "Expert reviewer's pledge", text.strip()


def reason(code: str) -> ConflictReason | None:
    return next((r for r in CONFLICT_REASONS if r.code == code), None)


__all__ = ["CONFLICT_REASONS", "KNOWN_IN_ADVANCE", "PLEDGE", "ConflictReason", "pledge_sha256", "pledge_title_body",
           "reason"]
