"""PAdES signatures on the agency's PDFs (consolidated.pdf, the 公示 list), by pyHanko.

    sign_pdf(path_or_bytes, signer, *, reason=…, location=…) -> bytes

`signer` is the agency's `formats.docsign.DocumentSigner` (ECDSA P-256 and its self-issued
certificate). The signature is PAdES baseline B-B: an invisible signature field, SubFilter
ETSI.CAdES.detached, SHA-256, the signing certificate in the CMS (signing-certificate-v2), the time
in the signature dictionary (/M). No timestamp (B-T needs a timestamp server; the app works
offline). It is appended as an incremental update, so the report's pages and text are unchanged
(pdftotext reads the signed file as before) and any change to a signed byte invalidates it.

What readers show: Acrobat and Foxit, "signed, the document has not been modified since this
signature was applied", and the signer (the certificate names the agency) as not yet trusted, since
they do not know the agency's certificate — its SHA-256 fingerprint is printed on the invitation
letter and the agency key sheet. `pdfsig file.pdf` (poppler): "Signature Validation: Signature is
Valid." and "Certificate Validation: Certificate issuer isn't Trusted.".
"""

from __future__ import annotations

import io
from pathlib import Path

from asn1crypto import keys as asn1_keys
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from tic_desktop.formats.docsign import DocumentSigner

FIELD_NAME = "AgencySignature"
DEFAULT_REASON = "评审组织机构确认本文件内容"


def _pyhanko_signer(signer: DocumentSigner) -> signers.SimpleSigner:
    cert = asn1_x509.Certificate.load(signer.certificate.public_bytes(serialization.Encoding.DER))
    key = asn1_keys.PrivateKeyInfo.load(signer.key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    return signers.SimpleSigner(signing_cert=cert, signing_key=key,
                                cert_registry=SimpleCertificateStore.from_certs([cert]))


def sign_pdf_bytes(data: bytes, signer: DocumentSigner, *, reason: str = DEFAULT_REASON, location: str = "",
                   field_name: str = FIELD_NAME) -> bytes:
    """`data` with a PAdES B-B signature of `signer` appended (incremental update)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(data), strict=False)
    taken = {name for name, _value, _ref in fields.enumerate_sig_fields(writer)}
    base, n = field_name, 1
    while field_name in taken:  # a PDF signed before (e.g. by another office) keeps its signature; ours is added
        n += 1
        field_name = f"{base}{n}"
    meta = signers.PdfSignatureMetadata(
        field_name=field_name, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256",
        reason=reason or None, location=location or None, name=signer.subject_name or None,
    )
    out = signers.sign_pdf(writer, meta, signer=_pyhanko_signer(signer),
                           new_field_spec=fields.SigFieldSpec(field_name))
    return out.getvalue()


def sign_pdf(path_or_bytes: Path | str | bytes, signer: DocumentSigner, *, reason: str = DEFAULT_REASON,
             location: str = "", mode: int | None = 0o644) -> bytes:
    """Sign a PDF given as bytes (returns the signed bytes) or as a file path (signed in place,
    atomically — the old file stays until the signed one is written and checked — and returned)."""
    if isinstance(path_or_bytes, bytes | bytearray):
        return sign_pdf_bytes(bytes(path_or_bytes), signer, reason=reason, location=location)
    from tic_desktop.core.atomic import atomic_write  # noqa: PLC0415
    from tic_desktop.reports.consolidated_pdf import check_pdf  # noqa: PLC0415

    path = Path(path_or_bytes)
    signed = sign_pdf_bytes(path.read_bytes(), signer, reason=reason, location=location)
    atomic_write(path, signed, verify=check_pdf, mode=mode)
    return signed
