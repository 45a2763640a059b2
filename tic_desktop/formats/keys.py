"""The agency's keys: an Ed25519 signing key (OpenSSH format) and an age X25519 identity.

Directory layout (stock tools read every file):
    agency_ed25519       OpenSSH private key, encrypted under the agency passphrase (bcrypt-pbkdf)
                                                                                  — `ssh-keygen -y -f`
    agency_ed25519.pub   OpenSSH public key line                                  — `ssh-keygen -l -f`
    agency.agekey        age identity file with "# created:" and "# public key:", itself
                         age-encrypted under the same passphrase (scrypt)         — `age -d agency.agekey`
    agency.agekey.pub    the age recipient ("age1…"), so the public face needs no passphrase
                                                                                  — `age -R`
    agency_docsign.key   ECDSA P-256 key that signs the agency's PDFs (PAdES), sealed like agency.agekey
    agency_docsign.crt   its self-issued X.509 certificate (`formats.docsign`)
`agency.agekey` decrypts every score sheet, so it is sealed like the signing key. Keys made without
a passphrase (the DEMO-ONLY keys, `keys create --no-passphrase`, folders made before this rule)
keep a plain identity file, which still loads; `AgencyKeys.plain_identity` tells callers to warn.
Private files are written atomically with mode 0600 where the OS has POSIX modes.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import age_passphrase, sshsig

SIGNING_KEY_FILE = "agency_ed25519"
PUBLIC_KEY_FILE = "agency_ed25519.pub"
AGE_IDENTITY_FILE = "agency.agekey"
AGE_RECIPIENT_FILE = "agency.agekey.pub"
KEY_LOG_N = 18
"""scrypt work factor of the sealed agency.agekey (what `age -p` writes: 256 MiB, a fraction of a second):
it is opened by every command that reads sheets."""
KEY_COMMENT = "tic-desktop-agency"

EXISTS = register(
    "keys.exists", "该文件夹中已有机构密钥，为防止覆盖未重新生成。请选择一个空文件夹。",
    "Agency keys already exist in this folder; they were not overwritten. Choose an empty folder.",
)
MISSING = register(
    "keys.missing", "密钥文件夹中缺少密钥文件。请选择包含 agency_ed25519 和 agency.agekey 的文件夹。",
    "A key file is missing. Choose the folder that holds agency_ed25519 and agency.agekey.",
)
INVALID = register(
    "keys.invalid", "密钥文件已损坏或格式不正确。请从备份中恢复机构密钥文件夹。",
    "A key file is damaged or in the wrong format. Restore the agency key folder from its backup.",
)
PASSPHRASE_REQUIRED = register(
    "keys.passphrase_required", "签名密钥受口令保护。请输入密钥口令。",
    "The signing key is protected by a passphrase. Enter the passphrase.",
)
WRONG_PASSPHRASE = register(
    "keys.wrong_passphrase", "密钥口令不正确。请重新输入。",
    "The key passphrase is wrong. Enter it again.",
)
PASSPHRASE_MISSING = register(
    "keys.passphrase_missing",
    "机构密钥必须用口令保护：请用 --passphrase-file F 给出口令（至少 10 个字符，混合两类以上字符）；确实不要口令时用 --no-passphrase。",
    "Agency keys must be protected by a passphrase: give it with --passphrase-file F (at least 10 characters, two "
    "kinds of characters or more); use --no-passphrase to make unprotected keys anyway.",
)
MISMATCH = register(
    "keys.mismatch", "公钥文件与私钥不匹配，文件夹中的密钥可能被替换过。请从备份中恢复机构密钥文件夹。",
    "The public key file does not match the private key; the folder may have been tampered with. Restore it from its backup.",
)


@dataclass(frozen=True)
class AgencyKeys:
    signing_key: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity
    plain_identity: bool = False
    """agency.agekey was read as plain text (demo keys, --no-passphrase, older folders)."""

    @property
    def public_key(self) -> Ed25519PublicKey:
        return self.signing_key.public_key()

    @property
    def fingerprint(self) -> str:
        """"SHA256:…" as `ssh-keygen -l` prints it."""
        return sshsig.fingerprint(self.public_key)

    @property
    def age_recipient(self) -> str:
        """"age1…": sheets are encrypted to this."""
        return str(self.age_identity.to_public())

    @property
    def public_key_line(self) -> str:
        return sshsig.public_key_line(self.public_key, KEY_COMMENT)

    def age_identity_text(self) -> str:
        return str(self.age_identity)


def age_identity_file_text(identity: pyrage.x25519.Identity, created: _dt.datetime | None = None) -> str:
    """The standard age identity file, as `age-keygen` writes it."""
    when = (created or _dt.datetime.now(_dt.UTC)).astimezone(_dt.UTC).replace(microsecond=0)
    return (
        f"# created: {when.strftime('%Y-%m-%dT%H:%M:%SZ')}\n"
        f"# public key: {identity.to_public()}\n"
        f"{identity}\n"
    )


def parse_age_identity(text: str) -> pyrage.x25519.Identity:
    """The single X25519 identity in an age identity file (comments and blank lines allowed)."""
    lines = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if len(lines) != 1 or not lines[0].startswith("AGE-SECRET-KEY-1"):
        raise Rejected(INVALID, "expected exactly one AGE-SECRET-KEY-1… line")
    try:
        return pyrage.x25519.Identity.from_str(lines[0])
    except pyrage.IdentityError as exc:
        raise Rejected(INVALID, f"age identity: {exc}") from None


def create_agency_keys(directory: Path, *, passphrase: bytes | None = None, agency_name: str = "") -> AgencyKeys:
    """Make new agency keys in `directory` (created if needed); never overwrites existing keys.

    With a passphrase the private files are sealed under it (the signing key by OpenSSH's
    bcrypt-pbkdf, agency.agekey and agency_docsign.key as age scrypt files); without, they are plain
    (demo, or `--no-passphrase`: the callers decide and warn). The document-signing certificate's
    subject is `agency_name` (`formats.docsign`)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)  # a new folder is the owner's only
    for name in (SIGNING_KEY_FILE, PUBLIC_KEY_FILE, AGE_IDENTITY_FILE):
        if (directory / name).exists():
            raise Rejected(EXISTS, str(directory / name))
    keys = AgencyKeys(Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate(), plain_identity=not passphrase)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    private_pem = keys.signing_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption
    )
    identity = age_identity_file_text(keys.age_identity).encode("ascii")
    if passphrase:
        identity = seal_identity(identity, passphrase)
    atomic_write(directory / SIGNING_KEY_FILE, private_pem, mode=0o600)
    atomic_write(directory / PUBLIC_KEY_FILE, (keys.public_key_line + "\n").encode("ascii"), mode=0o644)
    atomic_write(directory / AGE_IDENTITY_FILE, identity, mode=0o600)
    atomic_write(directory / AGE_RECIPIENT_FILE, (keys.age_recipient + "\n").encode("ascii"), mode=0o644)
    from tic_desktop.formats import docsign  # noqa: PLC0415 - docsign imports this module

    if not docsign.has_document_key(directory):
        docsign.create_document_key(directory, agency_name, passphrase=passphrase, agency_fingerprint=keys.fingerprint)
    return keys


def seal_identity(identity_file: bytes, passphrase: bytes | str) -> bytes:
    """An age identity file encrypted to `passphrase` (age's scrypt recipient; `age -d` opens it)."""
    return age_passphrase.encrypt(identity_file, passphrase, log_n=min(age_passphrase.LOG_N, KEY_LOG_N))


def is_sealed(data: bytes) -> bool:
    """Whether an identity file's bytes are age-encrypted (rather than the plain AGE-SECRET-KEY-1 text)."""
    return data.startswith(age_passphrase.MAGIC)


def open_identity(data: bytes, passphrase: bytes | str | None, name: str = AGE_IDENTITY_FILE) -> tuple[str, bool]:
    """(identity file text, was it plain) of agency.agekey's bytes; a sealed file needs `passphrase`.

    Raises `Rejected`: PASSPHRASE_REQUIRED, WRONG_PASSPHRASE or INVALID."""
    if not is_sealed(data):
        try:
            text = data.decode("ascii")
        except UnicodeDecodeError as exc:
            raise Rejected(INVALID, f"{name}: {exc}") from None
        parse_age_identity(text)
        return text, True
    if not passphrase:
        raise Rejected(PASSPHRASE_REQUIRED, name)
    secret = passphrase.decode("utf-8", "surrogateescape") if isinstance(passphrase, bytes) else passphrase
    try:
        plain = age_passphrase.decrypt(data, secret)
    except age_passphrase.WrongPassphrase as exc:
        if str(exc).startswith("chunk"):
            raise Rejected(INVALID, f"{name}: damaged") from None
        raise Rejected(WRONG_PASSPHRASE, name) from None
    except age_passphrase.Unsupported:  # an unusual but valid age file (e.g. re-sealed with another tool)
        try:
            plain = pyrage.passphrase.decrypt(data, secret)
        except pyrage.DecryptError as exc:
            raise Rejected(WRONG_PASSPHRASE, f"{name}: {exc}") from None
        except Exception as exc:  # noqa: BLE001 - pyrage raises several types for malformed input
            raise Rejected(INVALID, f"{name}: {exc}") from None
    try:
        text = plain.decode("ascii")
    except UnicodeDecodeError as exc:
        raise Rejected(INVALID, f"{name}: {exc}") from None
    parse_age_identity(text)
    return text, False


def read_identity(path: Path, passphrase: bytes | str | None = None) -> tuple[str, bool]:
    """(text, plain) of an agency.agekey file: `open_identity` of its bytes."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError as exc:
        raise Rejected(MISSING, str(exc.filename)) from None
    except OSError as exc:
        raise Rejected(INVALID, str(exc)) from None
    return open_identity(data, passphrase, Path(path).name)


def load_agency_keys(directory: Path, *, passphrase: bytes | None = None) -> AgencyKeys:
    """Load the keys `create_agency_keys` wrote; raises `Rejected` with a `keys.*` code."""
    directory = Path(directory)
    try:
        private_pem = (directory / SIGNING_KEY_FILE).read_bytes()
    except FileNotFoundError as exc:
        raise Rejected(MISSING, str(exc.filename)) from None
    except OSError as exc:
        raise Rejected(INVALID, str(exc)) from None
    signing_key = _load_signing_key(private_pem, passphrase)
    age_text, plain = read_identity(directory / AGE_IDENTITY_FILE, passphrase)
    keys = AgencyKeys(signing_key, parse_age_identity(age_text), plain_identity=plain)
    pub_path = directory / PUBLIC_KEY_FILE
    if pub_path.exists():
        fields = pub_path.read_text("ascii", errors="replace").split()
        if fields[:2] != keys.public_key_line.split()[:2]:
            raise Rejected(MISMATCH, str(pub_path))
    for line in age_text.splitlines():
        if line.startswith("# public key:") and line.split(":", 1)[1].strip() != keys.age_recipient:
            raise Rejected(MISMATCH, str(directory / AGE_IDENTITY_FILE))
    recipient_path = directory / AGE_RECIPIENT_FILE
    if recipient_path.exists() and recipient_path.read_text("ascii", errors="replace").strip() != keys.age_recipient:
        raise Rejected(MISMATCH, str(recipient_path))
    return keys


def _load_signing_key(private_pem: bytes, passphrase: bytes | None) -> Ed25519PrivateKey:
    try:
        try:
            key = serialization.load_ssh_private_key(private_pem, passphrase)
        except TypeError:
            if passphrase is None:
                raise Rejected(PASSPHRASE_REQUIRED) from None
            key = serialization.load_ssh_private_key(private_pem, None)
    except Rejected:
        raise
    except ValueError as exc:
        if passphrase is not None and "checksum" in str(exc):
            raise Rejected(WRONG_PASSPHRASE) from None
        raise Rejected(INVALID, str(exc)) from None
    if not isinstance(key, Ed25519PrivateKey):
        raise Rejected(INVALID, "the signing key is not Ed25519")
    return key
