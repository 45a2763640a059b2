"""The agency's document-signing key and certificate: what signs its PDFs (PAdES) so readers show it.

PDF readers (Acrobat, Foxit, Okular, pdfsig) check X.509 signatures with RSA or ECDSA keys, not the
agency's Ed25519 SSH key. So beside the agency keys (`formats.keys`) the agency keeps:

    agency_docsign.key   ECDSA P-256 private key (PKCS#8 PEM), age-encrypted under the agency
                         passphrase exactly like agency.agekey (`age -d agency_docsign.key` opens it);
                         plain PEM for keys made without a passphrase (demo, --no-passphrase)
    agency_docsign.crt   its self-issued X.509 certificate (PEM, public): subject CN/O = the agency's
                         name, OU = "TIC Desktop 文件签名" and the agency key's "SHA256:…" fingerprint, valid
                         20 years, key usage digitalSignature + nonRepudiation
                                                       — `openssl x509 -noout -fingerprint -sha256 -in …`

Readers do not know the agency as a certificate authority, so they show the signature as intact but
the signer as not trusted until the user trusts this certificate; its SHA-256 fingerprint is printed
on the invitation letter and on the agency key sheet beside the SSH fingerprint, to compare with the
reader's certificate details.

Made with the agency keys (`create_agency_keys` calls `create_document_key`) and lazily, with the
passphrase, for folders made before (`ensure_document_key`).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import age_passphrase

KEY_FILE = "agency_docsign.key"
CERT_FILE = "agency_docsign.crt"
VALID_YEARS = 20
UNIT = "TIC Desktop 文件签名"
DEFAULT_NAME = "评审组织机构"

INVALID = register(
    "docsign.invalid",
    "机构的文件签名密钥或证书已损坏或不匹配。请从机构密钥备份中恢复，或删除 agency_docsign.key 和 agency_docsign.crt 后重新生成。",
    "The agency's document-signing key or certificate is damaged or does not match. Restore it from the agency "
    "key backup, or delete agency_docsign.key and agency_docsign.crt to make new ones.",
)
PASSPHRASE_REQUIRED = register(
    "docsign.passphrase_required",
    "机构的文件签名密钥受口令保护：请输入机构密钥口令（命令行：--key-passphrase-file）。",
    "The agency's document-signing key is protected by the passphrase: enter the agency key passphrase "
    "(command line: --key-passphrase-file).",
)
WRONG_PASSPHRASE = register(
    "docsign.wrong_passphrase", "机构密钥口令不正确，无法打开文件签名密钥。请重新输入。",
    "The agency key passphrase is wrong; the document-signing key cannot be opened. Enter it again.",
)


@dataclass(frozen=True)
class DocumentSigner:
    """The private key and its certificate, ready to sign a PDF (`reports.pdf_signature.sign_pdf`)."""

    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def fingerprint(self) -> str:
        return cert_fingerprint(self.certificate)

    @property
    def subject_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
        return str(names[0].value) if names else ""


def cert_fingerprint(cert: x509.Certificate) -> str:
    """"AB:CD:…" (32 bytes): the certificate's SHA-256 fingerprint as `openssl x509 -fingerprint -sha256`
    and the readers' certificate viewers show it."""
    digest = hashlib.sha256(cert.public_bytes(serialization.Encoding.DER)).hexdigest().upper()
    return ":".join(digest[i : i + 2] for i in range(0, len(digest), 2))


def grouped_fingerprint(fp: str) -> str:
    """The fingerprint in groups of four hex digits (8 groups per half), for reading aloud."""
    body = fp.replace(":", "")
    return " ".join(body[i : i + 4] for i in range(0, len(body), 4))


def has_document_key(directory: Path) -> bool:
    return (Path(directory) / KEY_FILE).is_file() and (Path(directory) / CERT_FILE).is_file()


def certificate(directory: Path) -> x509.Certificate | None:
    """The certificate in `directory` (no passphrase needed), None when there is none."""
    path = Path(directory) / CERT_FILE
    if not path.is_file():
        return None
    try:
        return x509.load_pem_x509_certificate(path.read_bytes())
    except ValueError as exc:
        raise Rejected(INVALID, f"{path}: {exc}") from None


def certificate_fingerprint(directory: Path) -> str:
    """The SHA-256 fingerprint of the certificate in `directory`, "" when there is none."""
    cert = certificate(directory)
    return cert_fingerprint(cert) if cert is not None else ""


def make_certificate(key: ec.EllipticCurvePrivateKey, agency_name: str, agency_fingerprint: str = "",
                     now: _dt.datetime | None = None) -> x509.Certificate:
    """The self-issued certificate of `key`, naming the agency (and its SSH key's fingerprint)."""
    now = (now or _dt.datetime.now(_dt.UTC)).replace(microsecond=0)
    name = (agency_name or DEFAULT_NAME).strip()[:64]
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"), x509.NameAttribute(NameOID.ORGANIZATION_NAME, name),
                  x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, UNIT)]
    if agency_fingerprint:  # binds the certificate to the agency's SSH key (printed on the same paper)
        attributes.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, agency_fingerprint[:64]))
    subject = x509.Name([*attributes, x509.NameAttribute(NameOID.COMMON_NAME, name)])
    public = key.public_key()
    ski = x509.SubjectKeyIdentifier.from_public_key(public)
    return (
        x509.CertificateBuilder()
        .subject_name(subject).issuer_name(subject).public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - _dt.timedelta(days=1))
        .not_valid_after(now.replace(year=now.year + VALID_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(ski, critical=False)
        .add_extension(x509.AuthorityKeyIdentifier.from_issuer_subject_key_identifier(ski), critical=False)
        .sign(key, hashes.SHA256())
    )


def create_document_key(directory: Path, agency_name: str = "", *, passphrase: bytes | str | None = None,
                        agency_fingerprint: str = "", log_n: int | None = None) -> DocumentSigner:
    """Make the key and certificate in `directory`; never overwrites them (`Rejected` docsign.invalid).

    With a passphrase the key file is sealed as an age scrypt file (like agency.agekey)."""
    from tic_desktop.formats.keys import KEY_LOG_N  # noqa: PLC0415 - keys imports this module

    directory = Path(directory)
    if (directory / KEY_FILE).exists() or (directory / CERT_FILE).exists():
        raise Rejected(INVALID, f"{directory / KEY_FILE}: already present")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = make_certificate(key, agency_name, agency_fingerprint)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                            serialization.NoEncryption())
    if passphrase:
        secret = passphrase.decode("utf-8", "surrogateescape") if isinstance(passphrase, bytes) else passphrase
        pem = age_passphrase.encrypt(pem, secret, log_n=log_n or min(age_passphrase.LOG_N, KEY_LOG_N))
    directory.mkdir(parents=True, exist_ok=True)
    atomic_write(directory / KEY_FILE, pem, mode=0o600)
    atomic_write(directory / CERT_FILE, cert.public_bytes(serialization.Encoding.PEM), mode=0o644)
    return DocumentSigner(key, cert)


def load_document_key(directory: Path, passphrase: bytes | str | None = None) -> DocumentSigner:
    """The key and certificate in `directory`; raises `Rejected` (docsign.*, or keys.missing)."""
    from tic_desktop.formats.keys import MISSING  # noqa: PLC0415

    directory = Path(directory)
    try:
        data = (directory / KEY_FILE).read_bytes()
    except FileNotFoundError as exc:
        raise Rejected(MISSING, str(exc.filename)) from None
    cert = certificate(directory)
    if cert is None:
        raise Rejected(MISSING, str(directory / CERT_FILE))
    if data.startswith(age_passphrase.MAGIC):
        if not passphrase:
            raise Rejected(PASSPHRASE_REQUIRED, KEY_FILE)
        secret = passphrase.decode("utf-8", "surrogateescape") if isinstance(passphrase, bytes) else passphrase
        try:
            data = age_passphrase.decrypt(data, secret)
        except age_passphrase.WrongPassphrase as exc:
            if str(exc).startswith("chunk"):
                raise Rejected(INVALID, f"{KEY_FILE}: damaged") from None
            raise Rejected(WRONG_PASSPHRASE, KEY_FILE) from None
        except (age_passphrase.Unsupported, ValueError) as exc:
            raise Rejected(INVALID, f"{KEY_FILE}: {exc}") from None
    try:
        key = serialization.load_pem_private_key(data, None)
    except (ValueError, TypeError) as exc:
        raise Rejected(INVALID, f"{KEY_FILE}: {exc}") from None
    if not isinstance(key, ec.EllipticCurvePrivateKey) or not isinstance(key.curve, ec.SECP256R1):
        raise Rejected(INVALID, f"{KEY_FILE}: not an ECDSA P-256 key")
    if key.public_key().public_numbers() != cert.public_key().public_numbers():  # type: ignore[union-attr]
        raise Rejected(INVALID, f"{CERT_FILE} does not belong to {KEY_FILE}")
    return DocumentSigner(key, cert)


def ensure_document_key(directory: Path, agency_name: str = "", *, passphrase: bytes | str | None = None,
                        agency_fingerprint: str = "") -> tuple[DocumentSigner, bool]:
    """(the signer, made now?): load the key in `directory`, or make it when the folder has none yet
    (agency folders made before document signing). A folder whose agency.agekey is sealed gets a
    sealed key, so its passphrase is required then."""
    directory = Path(directory)
    if has_document_key(directory):
        return load_document_key(directory, passphrase), False
    from tic_desktop.formats.keys import AGE_IDENTITY_FILE, is_sealed, read_identity  # noqa: PLC0415

    identity = directory / AGE_IDENTITY_FILE
    sealed = identity.is_file() and is_sealed(identity.read_bytes())
    if sealed and not passphrase:
        raise Rejected(PASSPHRASE_REQUIRED, KEY_FILE)
    if sealed:
        read_identity(identity, passphrase)  # the agency's passphrase (keys.wrong_passphrase otherwise)
    return create_document_key(directory, agency_name, passphrase=passphrase if sealed else None,
                               agency_fingerprint=agency_fingerprint), True
