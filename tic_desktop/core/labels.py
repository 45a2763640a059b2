"""The one table of display names for the codes of kinds, center types and expert roles.

The CLI, the batch source reader (which also accepts these names as input) and the PDF reports
take their labels from here, so a kind is called the same everywhere. The form titles in
resources/forms/*.json use the same words (…建设方案论证专家评分表, …建设总结评估专家评分表, …评估考核专家评分表).
"""

from __future__ import annotations

from typing import get_args

from tic_desktop.core.forms import KINDS, ROLES
from tic_desktop.core.proposal import CenterType
from tic_desktop.core.types import Text

KIND_LABELS: dict[str, Text] = {
    "feasibility_review": Text(zh="建设方案论证", en="feasibility review"),
    "term_end_evaluation": Text(zh="建设总结评估", en="term-end evaluation"),
    "periodic_assessment": Text(zh="评估考核", en="periodic assessment"),
}
CENTER_TYPE_LABELS: dict[str, Text] = {
    "comprehensive": Text(zh="综合性技术创新中心", en="comprehensive technology innovation center"),
    "professional": Text(zh="专业性技术创新中心", en="professional technology innovation center"),
    "engineering": Text(zh="工程技术研究中心", en="engineering technology research center"),
}
ROLE_LABELS: dict[str, Text] = {
    "technical": Text(zh="技术专家", en="technical"),
    "finance": Text(zh="财务专家", en="finance"),
    "management": Text(zh="管理专家", en="management"),
}

assert tuple(KIND_LABELS) == KINDS and tuple(ROLE_LABELS) == ROLES
assert tuple(CENTER_TYPE_LABELS) == get_args(CenterType)


def label(table: dict[str, Text], code: str, lang: str = "zh") -> str:
    """The label of `code` in `lang`, or the code itself when the table does not know it."""
    text = table.get(code)
    return text.get(lang) if text is not None else code
