"""The expert's keys: an Ed25519 signing key and an age X25519 identity, kept under a passphrase.

Both secrets live in one small JSON encrypted with age's passphrase (scrypt) recipient, written
atomically to ``<data_dir>/keys/<expert_id>.key``; the public half (OpenSSH line, age recipient,
fingerprint) sits beside it in ``<expert_id>.pub`` so the fingerprint can be shown without the
passphrase. A lost passphrase cannot be recovered: the agency pins the fingerprint, so a new key
means a new enrolment on paper.
"""

from __future__ import annotations

import base64
import contextlib
import json
from dataclasses import dataclass
from pathlib import Path

import pyrage
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.passphrase import WEAK_TOO_SHORT, check_passphrase
from tic_desktop.formats import age_passphrase, sshsig

KEY_FORMAT = "tic-expert-key"
KEY_FORMAT_VERSION = "1.0"

WRONG_PASSPHRASE = register(
    "key.wrong_passphrase",
    "口令不正确，无法解锁您的密钥。请检查大小写和输入法后重试。",
    "Wrong passphrase: your key could not be unlocked. Check Caps Lock and the input method, then try again.",
)
KEY_MISSING = register(
    "key.missing",
    "在本机上找不到您的密钥。",
    "Your key was not found on this computer.",
)
KEY_EXISTS = register(
    "key.exists",
    "本机已有您的密钥，不能覆盖。",
    "A key for you already exists on this computer and will not be overwritten.",
)
KEY_DAMAGED = register(
    "key.damaged",
    "密钥文件已损坏。",
    "The key file is damaged.",
)
def fingerprint_of(public_raw: bytes) -> str:
    """``SHA256:…`` exactly as ``ssh-keygen -l`` prints it for an Ed25519 key."""
    return sshsig.fingerprint(Ed25519PublicKey.from_public_bytes(public_raw))


@dataclass(frozen=True)
class PublicKeyInfo:
    expert_id: str
    fingerprint: str
    openssh: str
    age_recipient: str


@dataclass(frozen=True)
class ExpertKey:
    expert_id: str
    signing_key: Ed25519PrivateKey
    age_identity: pyrage.x25519.Identity

    @property
    def public_raw(self) -> bytes:
        return self.signing_key.public_key().public_bytes(
            serialization.Encoding.Raw, serialization.PublicFormat.Raw
        )

    @property
    def fingerprint(self) -> str:
        return fingerprint_of(self.public_raw)

    @property
    def openssh(self) -> str:
        return sshsig.public_key_line(self.signing_key.public_key(), self.expert_id)

    @property
    def age_recipient(self) -> str:
        return str(self.age_identity.to_public())

    def public_info(self) -> PublicKeyInfo:
        return PublicKeyInfo(self.expert_id, self.fingerprint, self.openssh, self.age_recipient)


def keys_dir(data_dir: Path) -> Path:
    return data_dir / "keys"


def _paths(data_dir: Path, expert_id: str) -> tuple[Path, Path]:
    base = keys_dir(data_dir)
    return base / f"{expert_id}.key", base / f"{expert_id}.pub"


def has_key(data_dir: Path, expert_id: str) -> bool:
    return _paths(data_dir, expert_id)[0].exists()


def public_info(data_dir: Path, expert_id: str) -> PublicKeyInfo | None:
    pub = _paths(data_dir, expert_id)[1]
    if not pub.exists():
        return None
    data = json.loads(pub.read_text(encoding="utf-8"))
    return PublicKeyInfo(expert_id, data["fingerprint"], data["openssh"], data["age_recipient"])


def list_keys(data_dir: Path) -> list[PublicKeyInfo]:
    """The keys on this computer that can be unlocked (a ``.key`` with its ``.pub``), newest first.

    A ``.key`` whose ``.pub`` was lost (a crash while creating it) is left out until the next
    unlock writes the ``.pub`` again; ``has_key`` still sees it."""
    found: list[tuple[int, str, PublicKeyInfo]] = []
    directory = keys_dir(data_dir)
    for key_path in directory.glob("*.key") if directory.is_dir() else ():
        expert_id = key_path.stem
        try:
            info = public_info(data_dir, expert_id)
            made = key_path.stat().st_mtime_ns
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if info is not None:
            found.append((made, expert_id, info))
    return [info for _, _, info in sorted(found, key=lambda t: (t[0], t[1]), reverse=True)]


def _write_public(data_dir: Path, key: ExpertKey) -> None:
    info = key.public_info()
    public = {"expert_id": key.expert_id, "fingerprint": info.fingerprint, "openssh": info.openssh,
              "age_recipient": info.age_recipient}
    atomic_write(_paths(data_dir, key.expert_id)[1], json.dumps(public, ensure_ascii=False, indent=1).encode("utf-8"))


def create_key(data_dir: Path, expert_id: str, passphrase: str) -> ExpertKey:
    """Make the expert's keys and store them encrypted.

    Slow (scrypt) but releases the GIL while it works: call it off the GUI thread."""
    strength = check_passphrase(passphrase)
    if not strength.ok:
        raise Rejected(strength.code or WEAK_TOO_SHORT)
    key_path, _ = _paths(data_dir, expert_id)
    if key_path.exists():
        raise Rejected(KEY_EXISTS, expert_id)
    key = ExpertKey(expert_id, Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())
    secret = {
        "format": KEY_FORMAT,
        "format_version": KEY_FORMAT_VERSION,
        "expert_id": expert_id,
        "ed25519_private": base64.b64encode(
            key.signing_key.private_bytes(
                serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
            )
        ).decode("ascii"),
        "age_identity": str(key.age_identity),
    }
    # a standard age scrypt file, as pyrage.passphrase.encrypt wrote it, but scrypt leaves the GIL
    # free, so the worker thread that calls this does not freeze the GUI
    sealed = age_passphrase.encrypt(json.dumps(secret, sort_keys=True).encode("utf-8"), passphrase,
                                    log_n=age_passphrase.LOG_N)
    key_path.parent.mkdir(parents=True, exist_ok=True)
    # the private key first: a crash in between leaves a key that unlocks (and writes its .pub
    # again), never a .pub that promises a key that is not there
    atomic_write(key_path, sealed, mode=0o600)
    _write_public(data_dir, key)
    return key


def unlock_key(data_dir: Path, expert_id: str, passphrase: str) -> ExpertKey:
    """Decrypt the stored keys; a wrong passphrase raises Rejected("key.wrong_passphrase").

    Slow (scrypt) but releases the GIL while it works: call it off the GUI thread."""
    key_path, _ = _paths(data_dir, expert_id)
    if not key_path.exists():
        raise Rejected(KEY_MISSING, expert_id)
    sealed = key_path.read_bytes()
    try:  # scrypt without the GIL, so a worker thread does not freeze the GUI
        plain = age_passphrase.decrypt(sealed, passphrase)
    except age_passphrase.WrongPassphrase as exc:
        raise Rejected(WRONG_PASSPHRASE) from exc
    except age_passphrase.Unsupported:
        try:
            plain = pyrage.passphrase.decrypt(sealed, passphrase)
        except pyrage.DecryptError as exc:
            raise Rejected(WRONG_PASSPHRASE) from exc
    try:
        secret = json.loads(plain)
        if secret.get("format") != KEY_FORMAT or secret.get("expert_id") != expert_id:
            raise ValueError("not an expert key for this id")
        signing = Ed25519PrivateKey.from_private_bytes(base64.b64decode(secret["ed25519_private"]))
        identity = pyrage.x25519.Identity.from_str(secret["age_identity"])
    except (ValueError, KeyError, TypeError) as exc:
        raise Rejected(KEY_DAMAGED, str(exc)) from exc
    key = ExpertKey(expert_id, signing, identity)
    if not _paths(data_dir, expert_id)[1].exists():  # lost in a crash while the key was made
        with contextlib.suppress(Rejected, OSError):  # best effort: the key itself is fine
            _write_public(data_dir, key)
    return key
