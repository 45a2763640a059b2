"""What the review page shows before signing: every assigned proposal with its totals, bands,
conclusions and what is still missing (`review(session)`), and the codes that block signing.

Qt-free; the review dialog shows it, expert.signing refuses to sign what it names.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tic_desktop.core.errors import register
from tic_desktop.core.scoring import Problem
from tic_desktop.core.types import Text

INCOMPLETE = register(
    "sheet.incomplete",
    "评分尚未完成，不能签名。请先补全以下内容：",
    "The scoring is not complete, so it cannot be signed. Complete the following first:",
)
NOT_PLEDGED = register(
    "sheet.not_pledged", "尚未接受评审专家承诺书，不能签名。", "The pledge has not been accepted, so the sheet cannot be signed.",
)
CONFLICTS_UNDECLARED = register(
    "sheet.conflicts_undeclared", "尚未完成回避声明，不能签名。", "The conflict declaration is not done, so the sheet cannot be signed.",
)


@dataclass(frozen=True)
class FormReview:
    form_id: str
    title: Text
    total: Decimal | None
    """None until every applicable criterion is scored."""
    band: Text | None
    """The conclusion band the total falls in (or the worst when a veto is triggered)."""
    conclusion: Text | None
    """The conclusion the expert chose."""
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class ProposalReview:
    proposal_id: str
    center_name: str
    conflict: bool
    forms: tuple[FormReview, ...]

    @property
    def complete(self) -> bool:
        return self.conflict or all(not f.problems for f in self.forms)

    def missing(self, lang: str = "zh") -> list[str]:
        """One sentence per problem, prefixed with the form title when the proposal has several forms."""
        out = []
        for f in self.forms:
            prefix = f"{f.title.get(lang)}：" if len(self.forms) > 1 and lang.startswith("zh") else (
                f"{f.title.get(lang)}: " if len(self.forms) > 1 else "")
            out += [prefix + p.text(lang) for p in f.problems]
        return out


@dataclass(frozen=True)
class Review:
    proposals: tuple[ProposalReview, ...]
    blockers: tuple[str, ...]
    """Codes that block signing before any score: pledge, conflicts."""

    @property
    def ready(self) -> bool:
        return not self.blockers and all(p.complete for p in self.proposals)

    def message(self, lang: str = "zh", limit: int = 12) -> str:
        """The precise reason signing is refused (empty when ready)."""
        if self.ready:
            return ""
        from tic_desktop.core.errors import message  # noqa: PLC0415

        lines = [message(code, lang) for code in self.blockers]
        if any(not p.complete for p in self.proposals):
            lines.append(message(INCOMPLETE, lang))
            for p in self.proposals:
                for text in p.missing(lang):
                    lines.append(f"  {p.proposal_id} {p.center_name}：{text}" if lang.startswith("zh")
                                 else f"  {p.proposal_id} {p.center_name}: {text}")
        if len(lines) > limit:
            more = len(lines) - limit
            lines = lines[:limit] + [f"  ……另有 {more} 处" if lang.startswith("zh") else f"  … {more} more"]
        return "\n".join(lines)


def review(session: Any) -> Review:
    """Every assigned proposal with its totals, bands, conclusions and problems."""
    blockers = []
    if not session.pledged():
        blockers.append(NOT_PLEDGED)
    if not session.conflicts_declared():
        blockers.append(CONFLICTS_UNDECLARED)
    conflicts = session.conflicts()
    rows = []
    for p in session.assigned():
        if conflicts.get(p.id) is not None and conflicts[p.id].declared:
            rows.append(ProposalReview(p.id, p.center_name, True, ()))
            continue
        forms = []
        for form in session.forms_for(p.id):
            ev = session.evaluation(p.id, form.id)
            answers = session.answers(p.id, form.id)
            scored_all = ev.scored == len(ev.applicable)
            band = form.conclusion(ev.suggested_conclusion).label if ev.suggested_conclusion else None
            chosen = None
            if answers.conclusion:
                try:
                    chosen = form.conclusion(answers.conclusion).label
                except KeyError:
                    chosen = None
            forms.append(FormReview(form.id, form.title, ev.total if scored_all else None, band, chosen, ev.problems))
        rows.append(ProposalReview(p.id, p.center_name, False, tuple(forms)))
    return Review(tuple(rows), tuple(blockers))
