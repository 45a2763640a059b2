"""Reading an expert's key off the paper enrolment sheet (评审专家密钥登记表) to pin it in advance.

The sheet's PDF file, as the expert saved it from the app, carries the same QR text in its Subject:
`enrolment_from_pdf` reads it and checks that its OpenSSH key has the fingerprint it states.

The agency types the fingerprint as printed ("SHA256: AbCd EfGh …", spaces allowed) or scans the
sheet's QR code with a desk scanner, which types its text ("tic-enrol-v1;expert=E01;fp=SHA256:…;…").
Either way the result is an expert id (from the QR; None when typed) and a fingerprint in the form
`ssh-keygen -l` prints, ready for `AgencyWorkspace.pin(…, source="enrolment")`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import load_ssh_public_key

from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats.sshsig import fingerprint as key_fingerprint
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

NOT_ENROLMENT_FILE = register(
    "enrol.not_enrolment_file",
    "该文件不是本软件导出的密钥登记表 PDF（或已被改动：其中的公钥与指纹不一致）。请让专家在软件中重新导出登记表"
    "（工具 → 打印密钥登记表），或照纸质登记表输入指纹。",
    "This file is not a key enrolment sheet PDF saved by this software (or it was altered: its public key does not "
    "match its fingerprint). Ask the expert to save the enrolment sheet again (Tools → Print key enrolment sheet), "
    "or type the fingerprint from the paper sheet.",
)
_SUBJECT = re.compile(rb"/Subject \((" + re.escape(ENROL_PREFIX.encode()) + rb";[ -~]{1,2000}?)\)")
_MAX_PDF = 20 * 1024 * 1024

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


def enrolment_from_pdf(data: bytes, expert_id: str | None = None) -> Enrolment:
    """The expert and key of an enrolment sheet PDF saved by the app (its Subject holds the QR text).

    The OpenSSH key in it must have the fingerprint it states, so a hand-edited fingerprint is refused.
    As with the paper sheet, the file proves nothing by itself: the agency compares the fingerprint with
    the signed paper sheet or the expert before it relies on it."""
    found = _SUBJECT.search(data[:_MAX_PDF]) if data.startswith(b"%PDF-") else None
    if found is None:
        raise Rejected(NOT_ENROLMENT_FILE, "no tic-enrol-v1 subject")
    text = found.group(1).decode("ascii")
    enrolment = parse_enrolment(text, expert_id)
    fields = dict(part.split("=", 1) for part in text.split(";")[1:] if "=" in part)
    try:
        key = load_ssh_public_key(fields.get("ssh", "").encode("ascii"))
    except (ValueError, TypeError) as exc:
        raise Rejected(NOT_ENROLMENT_FILE, f"ssh key: {exc}") from exc
    if not isinstance(key, Ed25519PublicKey) or key_fingerprint(key) != enrolment.fingerprint:
        raise Rejected(NOT_ENROLMENT_FILE, "the key does not have the stated fingerprint")
    if enrolment.expert_id is None:
        raise Rejected(NOT_ENROLMENT_FILE, "no expert id")
    return enrolment
