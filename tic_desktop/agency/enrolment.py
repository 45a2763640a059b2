"""Reading an expert's key off the paper enrolment sheet (评审专家密钥登记表) to pin it in advance.

The agency types the fingerprint as printed ("SHA256: AbCd EfGh …", spaces allowed) or scans the
sheet's QR code with a desk scanner, which types its text ("tic-enrol-v1;expert=E01;fp=SHA256:…;…").
Either way the result is an expert id (from the QR; None when typed) and a fingerprint in the form
`ssh-keygen -l` prints, ready for `AgencyWorkspace.pin(…, source="enrolment")`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from tic_desktop.core.errors import Rejected, register
from tic_desktop.reports.enrolment_pdf import ENROL_PREFIX

UNREADABLE = register(
    "enrol.unreadable",
    "无法识别密钥指纹。请照登记表逐字输入“SHA256:”及其后的 43 个字符（空格可省略），或扫描登记表上的二维码。",
    "The key fingerprint cannot be read. Type \"SHA256:\" and the 43 characters after it exactly as printed on the "
    "enrolment sheet (spaces may be left out), or scan the sheet's QR code.",
)
OTHER_EXPERT = register(
    "enrol.other_expert",
    "扫描的登记表属于另一位专家（二维码中的专家编号与所选专家不同）。请核对后重新选择专家或扫描正确的登记表。",
    "The scanned enrolment sheet belongs to another expert (the QR code names a different expert id). Check, then "
    "choose the right expert or scan the right sheet.",
)

_FP = re.compile(r"^SHA256:[A-Za-z0-9+/]{43}$")


@dataclass(frozen=True)
class Enrolment:
    expert_id: str | None
    """From the QR code; None when the fingerprint was typed."""
    fingerprint: str


def parse_enrolment(text: str, expert_id: str | None = None) -> Enrolment:
    """The fingerprint (and expert) in `text`; `expert_id`, when given, must match a scanned QR."""
    text = text.strip()
    if text.startswith(ENROL_PREFIX + ";"):
        fields = dict(part.split("=", 1) for part in text.split(";")[1:] if "=" in part)
        found = Enrolment(fields.get("expert") or None, _fingerprint(fields.get("fp", "")))
        if expert_id is not None and found.expert_id not in (None, expert_id):
            raise Rejected(OTHER_EXPERT, f"{found.expert_id} ≠ {expert_id}")
        return found
    return Enrolment(None, _fingerprint(text))


def _fingerprint(text: str) -> str:
    compact = re.sub(r"\s+", "", text)
    if compact[:7].upper() == "SHA256:":
        compact = "SHA256:" + compact[7:]
    if not _FP.match(compact):
        raise Rejected(UNREADABLE, text[:80])
    return compact
