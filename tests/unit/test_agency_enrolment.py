"""Pinning from the paper enrolment sheet: typed (grouped, as printed) or scanned from its QR code."""

from __future__ import annotations

import pytest

from tic_desktop.agency.enrolment import OTHER_EXPERT, UNREADABLE, parse_enrolment
from tic_desktop.core.errors import Rejected
from tic_desktop.reports.enrolment_pdf import EnrolmentInput, enrolment_qr

FP = "SHA256:gT5MT8dPgtMzJ389yc1Em0P0Zr9V5AVm08h3CHiCZDY"


def test_typed_as_printed_in_groups_of_four() -> None:
    body = FP.removeprefix("SHA256:")
    printed = "SHA256: " + " ".join(body[i:i + 4] for i in range(0, len(body), 4))
    assert parse_enrolment(printed).fingerprint == FP
    assert parse_enrolment("  sha256:" + body + "\n").fingerprint == FP
    assert parse_enrolment(printed).expert_id is None


def test_scanned_qr_text_gives_expert_and_fingerprint() -> None:
    qr = enrolment_qr(EnrolmentInput(expert_id="E03", name="陈德明", unit="", title="", fingerprint=FP,
                                     openssh="ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIA E03",
                                     age_recipient="age1" + "q" * 58, date="2026-03-01"))
    got = parse_enrolment(qr, "E03")
    assert (got.expert_id, got.fingerprint) == ("E03", FP)
    with pytest.raises(Rejected) as info:
        parse_enrolment(qr, "E04")
    assert info.value.code == OTHER_EXPERT


@pytest.mark.parametrize("text", ["", "SHA256:short", FP[:-1] + "!", "MD5:" + FP[7:], FP + "x"])
def test_anything_else_is_refused_with_a_sentence_that_says_what_to_type(text: str) -> None:
    with pytest.raises(Rejected) as info:
        parse_enrolment(text)
    assert info.value.code == UNREADABLE and "SHA256" in info.value.text("zh")


def _sheet_pdf(fingerprint: str | None = None) -> tuple[bytes, str]:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from tic_desktop.formats.sshsig import fingerprint as fp_of
    from tic_desktop.formats.sshsig import public_key_line
    from tic_desktop.reports.enrolment_pdf import render_enrolment

    public = Ed25519PrivateKey.generate().public_key()
    real = fp_of(public)
    data = EnrolmentInput(expert_id="E01", name="张三", unit="天津大学", title="教授", fingerprint=fingerprint or real,
                          openssh=public_key_line(public, "E01"), age_recipient="age1" + "q" * 58,
                          date="2026-12-03")
    return render_enrolment(data), real


def test_the_enrolment_pdf_file_gives_its_expert_and_key() -> None:
    from tic_desktop.agency.enrolment import enrolment_from_pdf

    pdf, real = _sheet_pdf()
    found = enrolment_from_pdf(pdf, "E01")
    assert (found.expert_id, found.fingerprint) == ("E01", real)
    with pytest.raises(Rejected) as other:
        enrolment_from_pdf(pdf, "E02")
    assert other.value.code == OTHER_EXPERT


def test_an_enrolment_pdf_with_a_fingerprint_not_of_its_key_or_any_other_pdf_is_refused() -> None:
    from tic_desktop.agency.enrolment import NOT_ENROLMENT_FILE, enrolment_from_pdf

    forged, _ = _sheet_pdf(fingerprint="SHA256:" + "B" * 43)
    for data in (forged, b"%PDF-1.7\n%%EOF\n", b"not a pdf"):
        with pytest.raises(Rejected) as refused:
            enrolment_from_pdf(data, "E01")
        assert refused.value.code == NOT_ENROLMENT_FILE
