"""The agency's keys: an Ed25519 signing key (OpenSSH format) and an age X25519 identity.

Directory layout (stock tools read every file):
    agency_ed25519       OpenSSH private key, optionally encrypted (bcrypt-pbkdf) — `ssh-keygen -y -f`
    agency_ed25519.pub   OpenSSH public key line                                  — `ssh-keygen -l -f`
    agency.agekey        age identity file with "# created:" and "# public key:"  — `age -d -i`
Private files are written atomically with mode 0600 where the OS has POSIX modes.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import sshsig
from tic_desktop.storage.atomic import atomic_write

SIGNING_KEY_FILE = "agency_ed25519"
PUBLIC_KEY_FILE = "agency_ed25519.pub"
AGE_IDENTITY_FILE = "agency.agekey"
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
MISMATCH = register(
    "keys.mismatch", "公钥文件与私钥不匹配，文件夹中的密钥可能被替换过。请从备份中恢复机构密钥文件夹。",
    "The public key file does not match the private key; the folder may have been tampered with. Restore it from its backup.",
)


@dataclass(frozen=True)
class AgencyKeys:
    signing_key: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity

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


def create_agency_keys(directory: Path, *, passphrase: bytes | None = None) -> AgencyKeys:
    """Make new agency keys in `directory` (created if needed); never overwrites existing keys."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    for name in (SIGNING_KEY_FILE, PUBLIC_KEY_FILE, AGE_IDENTITY_FILE):
        if (directory / name).exists():
            raise Rejected(EXISTS, str(directory / name))
    keys = AgencyKeys(Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(passphrase) if passphrase else serialization.NoEncryption()
    )
    private_pem = keys.signing_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, encryption
    )
    atomic_write(directory / SIGNING_KEY_FILE, private_pem, mode=0o600)
    atomic_write(directory / PUBLIC_KEY_FILE, (keys.public_key_line + "\n").encode("ascii"), mode=0o644)
    atomic_write(
        directory / AGE_IDENTITY_FILE, age_identity_file_text(keys.age_identity).encode("ascii"), mode=0o600
    )
    return keys


def load_agency_keys(directory: Path, *, passphrase: bytes | None = None) -> AgencyKeys:
    """Load the keys `create_agency_keys` wrote; raises `Rejected` with a `keys.*` code."""
    directory = Path(directory)
    try:
        private_pem = (directory / SIGNING_KEY_FILE).read_bytes()
        age_text = (directory / AGE_IDENTITY_FILE).read_text("ascii")
    except FileNotFoundError as exc:
        raise Rejected(MISSING, str(exc.filename)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise Rejected(INVALID, str(exc)) from None
    signing_key = _load_signing_key(private_pem, passphrase)
    keys = AgencyKeys(signing_key, parse_age_identity(age_text))
    pub_path = directory / PUBLIC_KEY_FILE
    if pub_path.exists():
        fields = pub_path.read_text("ascii", errors="replace").split()
        if fields[:2] != keys.public_key_line.split()[:2]:
            raise Rejected(MISMATCH, str(pub_path))
    for line in age_text.splitlines():
        if line.startswith("# public key:") and line.split(":", 1)[1].strip() != keys.age_recipient:
            raise Rejected(MISMATCH, str(directory / AGE_IDENTITY_FILE))
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
