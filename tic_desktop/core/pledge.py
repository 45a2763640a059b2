"""The 承诺书 (confidentiality and impartiality pledge) every expert accepts, its hash, and the 回避
reasons (domain/forms.md (b), (c)).

In `core` because both sides need it: the expert app records and signs `pledge_sha256(text)`, and
`formats.sheet` refuses a sheet whose pledge hash is not the hash of the batch's text. The agency may
set its own text per batch (signed in the manifest); this one is the default.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from tic_desktop.core.types import Text

PLEDGE = Text(
    zh=(
        "评审专家承诺书\n\n"
        "本人受邀参加本批次天津市技术创新中心评审工作，郑重承诺：\n\n"
        "一、坚持客观、公正、独立的原则，依据评审标准和申报材料独立评分，对评审意见负责。\n"
        "二、严格遵守回避制度。与被评对象存在利害关系（近三年在其依托或共建单位任职、亲属关系、"
        "近三年合作发表论文或共同承担项目、参与编写建设方案、存在股权或咨询等经济往来等）的，主动申请回避。\n"
        "三、严守保密纪律。不泄露申报材料、评审意见、评分结果及其他未公开信息；不复制、不外传评审材料；"
        "评审结束后按要求删除或交还材料。\n"
        "四、不私下接触被评单位及其相关人员，不接受请托、馈赠或其他利益，遇有请托行为及时报告。\n"
        "五、如违反上述承诺，愿意承担相应责任，接受有关部门处理。\n"
    ),
    en=(
        "Expert reviewer's pledge\n\n"
        "Invited to review this batch of Tianjin technology innovation centers, I solemnly pledge:\n\n"
        "1. To be objective, fair and independent: I score on the review criteria and the submitted "
        "materials alone, and I answer for my opinions.\n"
        "2. To declare every conflict of interest and withdraw (回避) where I have one: employment at the "
        "lead or member units within three years, family ties, co-authored papers or joint projects within "
        "three years, helping to write the plan, equity, consulting or other financial ties.\n"
        "3. To keep everything confidential: the materials, opinions and scores and any unpublished "
        "information; not to copy or pass on the materials, and to delete or return them when asked.\n"
        "4. Not to contact the applicants or people acting for them in private, to refuse requests, gifts "
        "or any benefit, and to report any such request.\n"
        "5. To accept responsibility and the authorities' decision if I break this pledge.\n"
    ),
)


def pledge_sha256(text: Text | None = None) -> str:
    """SHA-256 (hex) of the UTF-8 bytes of `text.zh + "\n\n" + text.en` (default: `PLEDGE`): recorded
    in the workspace, signed in the sheet, checked by `formats.sheet` against the batch's pledge
    (`Manifest.pledge_text`: the agency's text for that batch, or this default). Changing the text
    changes it, and sheets made on the old text stop verifying."""
    text = text or PLEDGE
    return hashlib.sha256((text.zh + "\n\n" + text.en).encode("utf-8")).hexdigest()


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
