"""The 承诺书 (confidentiality and impartiality pledge) every expert accepts, and its hash.

In `core` because both sides need it: the expert app records and signs `pledge_sha256(text)`, and
`formats.sheet` refuses a sheet whose pledge hash is not the hash of the batch's text. The agency may
set its own text per batch (signed in the manifest); this one is the default.
"""

from __future__ import annotations

import hashlib

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
