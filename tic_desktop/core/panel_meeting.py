"""The panel meeting record (评审会议记录): when, where and how the panel met, who chaired, and who
presides over a center the chair stands aside from (domain/forms.md (c): 会议时间/地点, 评审方式
会议/现场/通讯; 专家组组长签字).

One record per batch (the agency workspace keeps it); the dissent notes (保留意见) are per proposal
and form, in `core.panel_opinion.PanelOpinion.dissent`.

Rules:
- `mode` is one of MODES (会议评审 / 现场考察 / 通讯评审); `date` is YYYY-MM-DD or empty.
- The chair is `chair_id` (default: the batch's chair). For a proposal whose conflicted experts
  (回避, known in advance or declared on the sheet) include the chair, the chair stands aside and the
  deputy (`deputy_id`, 副组长) presides over that proposal and signs the panel opinion in the chair's
  place; a deputy who is conflicted there too, or no deputy at all, is a problem to settle before
  the report is signed (`presiding` returns `None` for the person).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, fields

from tic_desktop.core.types import Text

MODES: dict[str, Text] = {
    "meeting": Text(zh="会议评审", en="panel meeting"),
    "site_visit": Text(zh="现场考察", en="site visit"),
    "correspondence": Text(zh="通讯评审", en="review by correspondence"),
}
MAX_TEXT = 200
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class PanelMeeting:
    date: str = ""
    """YYYY-MM-DD, or empty while not known."""
    place: str = ""
    mode: str = "meeting"
    chair_id: str = ""
    """Expert id of the chair (组长); empty: the batch's chair."""
    deputy_id: str = ""
    """Expert id of the deputy (副组长) who presides where the chair stands aside; empty: none named."""

    def problems(self) -> list[Text]:
        """What is wrong with the record as entered (empty when it can be saved)."""
        out = []
        if self.date and not _DATE.match(self.date):
            out.append(Text(zh=f"评审日期“{self.date}”应为 YYYY-MM-DD", en=f"date “{self.date}” must be YYYY-MM-DD"))
        if self.mode not in MODES:
            out.append(Text(zh=f"未知评审方式“{self.mode}”", en=f"unknown review mode “{self.mode}”"))
        if len(self.place) > MAX_TEXT:
            out.append(Text(zh=f"地点超过 {MAX_TEXT} 字", en=f"place longer than {MAX_TEXT} characters"))
        if self.deputy_id and self.deputy_id == self.chair_id:
            out.append(Text(zh="副组长不能是组长本人", en="the deputy cannot be the chair"))
        return out

    @property
    def mode_label(self) -> Text:
        return MODES.get(self.mode, MODES["meeting"])

    def as_dict(self) -> dict[str, str]:
        return {f.name: str(getattr(self, f.name)) for f in fields(self)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> PanelMeeting:
        known = {f.name for f in fields(cls)}
        return cls(**{k: str(v) for k, v in data.items() if k in known})


@dataclass(frozen=True)
class Presiding:
    """Who presides over one proposal: the chair, or the deputy when the chair stands aside."""

    expert_id: str | None
    """None: the chair stands aside and no usable deputy is named."""
    deputy: bool
    """True when the chair stands aside for this proposal."""


def chair_of(meeting: PanelMeeting | None, batch_chair: str | None) -> str:
    return (meeting.chair_id if meeting is not None and meeting.chair_id else batch_chair) or ""


def presiding(meeting: PanelMeeting | None, batch_chair: str | None, conflicted: Iterable[str]) -> Presiding:
    """Who presides over a proposal whose conflicted experts (回避) are `conflicted`."""
    aside = set(conflicted)
    chair = chair_of(meeting, batch_chair)
    if not chair or chair not in aside:
        return Presiding(chair or None, deputy=False)
    deputy = meeting.deputy_id if meeting is not None else ""
    return Presiding(deputy if deputy and deputy not in aside else None, deputy=True)
