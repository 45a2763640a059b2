"""PAdES signatures of the agency's PDFs: signed → pdfsig and pyHanko say valid and intact (the
certificate as trust root) → one byte changed in the signed range → both say invalid. The key and
certificate: made with the agency keys, sealed under the passphrase, in the backup, made lazily."""

from __future__ import annotations

import re
import shutil
import subprocess
from io import BytesIO
from pathlib import Path

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from report_factory import build

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import docsign
from tic_desktop.formats.keys import create_agency_keys, load_agency_keys
from tic_desktop.reports.consolidated_pdf import render_consolidated_pdf
from tic_desktop.reports.pdf_signature import sign_pdf

PASS = "correct horse battery 7"
NAME = "天津市科学技术发展战略研究院"
needs_pdfsig = pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("agency") / "keys"
    create_agency_keys(folder, passphrase=PASS.encode(), agency_name=NAME)
    return folder


@pytest.fixture(scope="module")
def signed(agency: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    signer = docsign.load_document_key(agency, PASS)
    plain = render_consolidated_pdf(build(3, 5).report)
    path = tmp_path_factory.mktemp("signed") / "consolidated.pdf"
    path.write_bytes(plain)
    data = sign_pdf(path, signer)
    assert path.read_bytes() == data
    return {"path": path, "data": data, "plain": plain, "signer": signer}


def _pyhanko_status(data: bytes, signer: docsign.DocumentSigner):  # noqa: ANN202
    root = asn1_x509.Certificate.load(signer.certificate.public_bytes(serialization.Encoding.DER))
    reader = PdfFileReader(BytesIO(data), strict=False)
    assert len(reader.embedded_signatures) == 1
    return validate_pdf_signature(reader.embedded_signatures[0], ValidationContext(trust_roots=[root]))


def _pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


def _tampered(data: bytes, tmp_path: Path) -> Path:
    """One byte changed inside the first signed range (a digit of the report's page content)."""
    ranges = [int(x) for x in re.search(rb"/ByteRange\s*\[\s*(\d+)\s+(\d+)\s+(\d+)\s+(\d+)", data).groups()]
    assert ranges[0] == 0 and ranges[2] + ranges[3] == len(data)  # the whole file but the signature is signed
    at = data.index(b"/Title") + 8
    assert at < ranges[1]
    bad = bytearray(data)
    bad[at] = ord("X") if bad[at] != ord("X") else ord("Y")
    path = tmp_path / "tampered.pdf"
    path.write_bytes(bytes(bad))
    return path


def test_key_and_certificate_made_with_the_agency_keys(agency: Path) -> None:
    keys = load_agency_keys(agency, passphrase=PASS.encode())
    key_bytes = (agency / docsign.KEY_FILE).read_bytes()
    assert key_bytes.startswith(b"age-encryption.org/v1")  # sealed like agency.agekey
    assert b"PRIVATE KEY" not in key_bytes
    with pytest.raises(Rejected) as exc:
        docsign.load_document_key(agency)
    assert exc.value.code == docsign.PASSPHRASE_REQUIRED
    with pytest.raises(Rejected) as exc:
        docsign.load_document_key(agency, "wrong passphrase 1")
    assert exc.value.code == docsign.WRONG_PASSPHRASE
    signer = docsign.load_document_key(agency, PASS)
    assert signer.key.curve.name == "secp256r1"
    from cryptography.x509.oid import NameOID

    subject = signer.certificate.subject
    units = [a.value for a in subject.get_attributes_for_oid(NameOID.ORGANIZATIONAL_UNIT_NAME)]
    assert signer.subject_name == NAME and keys.fingerprint in units  # names the agency and its SSH key
    # the fingerprint is the SHA-256 of the DER, as openssl prints it; readable without the passphrase
    assert docsign.certificate_fingerprint(agency) == signer.fingerprint
    assert re.fullmatch(r"([0-9A-F]{2}:){31}[0-9A-F]{2}", signer.fingerprint)
    if shutil.which("openssl"):
        out = subprocess.run(["openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in",
                              str(agency / docsign.CERT_FILE)], capture_output=True, text=True, check=True).stdout
        assert out.strip().split("=", 1)[1] == signer.fingerprint


@needs_pdfsig
def test_pdfsig_says_valid_and_unchanged(signed: dict[str, object]) -> None:
    out = _pdfsig(signed["path"])
    assert "Signature Validation: Signature is Valid." in out
    assert "Total document signed" in out
    assert "Signature Type: ETSI.CAdES.detached" in out  # PAdES
    assert f"Signer Certificate Common Name: {NAME}" in out
    # the certificate is the agency's own: pdfsig does not know its issuer (expected)
    assert re.search(r"Certificate Validation: Certificate (issuer is unknown|issuer isn't Trusted)", out)


def test_pyhanko_validates_it_with_the_certificate_as_trust_root(signed: dict[str, object]) -> None:
    status = _pyhanko_status(signed["data"], signed["signer"])
    assert status.intact and status.valid and status.trusted
    assert status.coverage.name == "ENTIRE_FILE"
    assert status.bottom_line


def test_the_signed_file_is_sound_and_its_text_unchanged(signed: dict[str, object], tmp_path: Path) -> None:
    if shutil.which("qpdf"):
        check = subprocess.run(["qpdf", "--check", str(signed["path"])], capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
    assert signed["data"].startswith(signed["plain"])  # an incremental update: the report's bytes come first
    if shutil.which("pdftotext"):
        plain = tmp_path / "plain.pdf"
        plain.write_bytes(signed["plain"])
        texts = [subprocess.run(["pdftotext", str(p), "-"], capture_output=True, text=True, check=True).stdout
                 for p in (plain, signed["path"])]
        assert texts[0] == texts[1] and "专家评审汇总报告" in texts[1]


@needs_pdfsig
def test_one_byte_changed_breaks_it_for_pdfsig_and_pyhanko(signed: dict[str, object], tmp_path: Path) -> None:
    bad = _tampered(signed["data"], tmp_path)
    out = _pdfsig(bad)
    assert "Signature Validation: Signature is Valid." not in out
    assert "Signature Validation:" in out and "Digest Mismatch" in out or "Invalid" in out
    status = _pyhanko_status(bad.read_bytes(), signed["signer"])
    assert not status.intact and not status.bottom_line


def test_a_byte_changed_in_the_appended_part_breaks_it_too(signed: dict[str, object]) -> None:
    data = signed["data"]
    at = re.search(rb"/M \(D(:|\\072)", data).end() + 2  # a digit of the signing time in the signature dictionary
    bad = bytearray(data)
    bad[at] = ord("0") if bad[at] != ord("0") else ord("1")
    assert not _pyhanko_status(bytes(bad), signed["signer"]).intact


def test_lazily_made_for_an_older_agency_folder_and_in_the_backup(tmp_path: Path) -> None:
    from tic_desktop.agency.keys import read_backup, restore_backup, write_backup

    folder = tmp_path / "keys"
    create_agency_keys(folder, passphrase=PASS.encode())
    for name in (docsign.KEY_FILE, docsign.CERT_FILE):  # as a folder made before document signing
        (folder / name).unlink()
    assert docsign.certificate_fingerprint(folder) == ""
    with pytest.raises(Rejected) as exc:
        docsign.ensure_document_key(folder, NAME)
    assert exc.value.code == docsign.PASSPHRASE_REQUIRED
    with pytest.raises(Rejected) as exc:  # a wrong passphrase never seals the new key
        docsign.ensure_document_key(folder, NAME, passphrase="not the passphrase 9")
    assert exc.value.code == "keys.wrong_passphrase"
    assert not (folder / docsign.KEY_FILE).exists()
    signer, made = docsign.ensure_document_key(folder, NAME, passphrase=PASS)
    assert made and (folder / docsign.KEY_FILE).read_bytes().startswith(b"age-encryption.org/v1")
    again, made = docsign.ensure_document_key(folder, NAME, passphrase=PASS)
    assert not made and again.fingerprint == signer.fingerprint
    backup = tmp_path / "agency.tickeys"
    write_backup(folder, backup, "backup passphrase 12", log_n=10)
    files, _public = read_backup(backup.read_bytes(), "backup passphrase 12")
    assert docsign.KEY_FILE in files and docsign.CERT_FILE in files
    fresh = tmp_path / "restored"
    restore_backup(backup, fresh, "backup passphrase 12")
    assert docsign.load_document_key(fresh, PASS).fingerprint == signer.fingerprint


def test_a_certificate_of_another_key_is_refused(tmp_path: Path, agency: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    other = tmp_path / "other"
    docsign.create_document_key(other, "别的机构")
    shutil.copy(other / docsign.KEY_FILE, folder / docsign.KEY_FILE)
    shutil.copy(agency / docsign.CERT_FILE, folder / docsign.CERT_FILE)
    with pytest.raises(Rejected) as exc:
        docsign.load_document_key(folder)
    assert exc.value.code == docsign.INVALID


def test_a_signed_pdf_signed_again_keeps_both_signatures(signed: dict[str, object], tmp_path: Path) -> None:
    twice = sign_pdf(signed["data"], signed["signer"])
    reader = PdfFileReader(BytesIO(twice), strict=False)
    assert [s.field_name for s in reader.embedded_signatures] == ["AgencySignature", "AgencySignature2"]
    root = asn1_x509.Certificate.load(signed["signer"].certificate.public_bytes(serialization.Encoding.DER))
    last = validate_pdf_signature(reader.embedded_signatures[1], ValidationContext(trust_roots=[root]))
    assert last.intact and last.valid
