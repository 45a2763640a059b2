"""OpenSSH SSHSIG signatures (PROTOCOL.sshsig), Ed25519 only.

`sign()` makes the armored signature `ssh-keygen -Y sign` makes; `verify()` checks one over the
exact message bytes and a fixed namespace and returns the signer's public key, so the caller
decides whether that key is trusted (pinned). Failures raise `core.errors.Rejected` (`sig.*`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import struct

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from tic_desktop.core.errors import Rejected, register

MALFORMED = register(
    "sig.malformed", "签名文件格式错误或已损坏。请向发送方重新索取文件。",
    "The signature file is malformed or damaged. Ask the sender for the file again.",
)
UNSUPPORTED_VERSION = register(
    "sig.unsupported_version", "签名格式版本不受支持。请升级本软件，或向发送方索取由本软件生成的文件。",
    "The signature format version is not supported. Update the app or ask the sender for a file made by this app.",
)
UNSUPPORTED_KEY = register(
    "sig.unsupported_key", "签名使用了不受支持的密钥类型（只接受 Ed25519）。请向发送方索取由本软件生成的文件。",
    "The signature uses an unsupported key type (only Ed25519 is accepted). Ask the sender for a file made by this app.",
)
UNSUPPORTED_HASH = register(
    "sig.unsupported_hash", "签名使用了不受支持的摘要算法。请向发送方索取由本软件生成的文件。",
    "The signature uses an unsupported hash algorithm. Ask the sender for a file made by this app.",
)
WRONG_NAMESPACE = register(
    "sig.wrong_namespace", "签名用途不符（这不是为此类文件所作的签名）。请勿使用此文件，并联系发送方。",
    "The signature was made for another purpose (wrong namespace). Do not use this file and contact the sender.",
)
BAD_SIGNATURE = register(
    "sig.bad_signature", "签名验证失败：文件内容在签名后被改动过。请勿使用此文件，并向发送方重新索取。",
    "The signature does not match: the content was changed after signing. Do not use this file; ask the sender for it again.",
)

MAGIC = b"SSHSIG"
VERSION = 1
KEY_TYPE = b"ssh-ed25519"
HASHES = {b"sha512": hashlib.sha512, b"sha256": hashlib.sha256}
BEGIN = "-----BEGIN SSH SIGNATURE-----"
END = "-----END SSH SIGNATURE-----"
MAX_ARMOR = 16 * 1024
_B64_LINE = re.compile(r"^[A-Za-z0-9+/=]{1,76}$")


def _string(value: bytes) -> bytes:
    return struct.pack(">I", len(value)) + value


def public_key_blob(key: Ed25519PublicKey) -> bytes:
    """The SSH wire encoding of the key (string "ssh-ed25519", string key)."""
    return _string(KEY_TYPE) + _string(key.public_bytes(Encoding.Raw, PublicFormat.Raw))


def fingerprint(key: Ed25519PublicKey) -> str:
    """"SHA256:<base64 without padding>", exactly as `ssh-keygen -l` prints it."""
    digest = hashlib.sha256(public_key_blob(key)).digest()
    return "SHA256:" + base64.b64encode(digest).decode("ascii").rstrip("=")


def public_key_line(key: Ed25519PublicKey, comment: str = "") -> str:
    """An OpenSSH public key line (authorized_keys / .pub / allowed_signers form), no newline."""
    line = "ssh-ed25519 " + base64.b64encode(public_key_blob(key)).decode("ascii")
    return f"{line} {comment}" if comment else line


def _signed_data(namespace: bytes, hash_alg: bytes, message: bytes) -> bytes:
    digest = HASHES[hash_alg](message).digest()
    return MAGIC + _string(namespace) + _string(b"") + _string(hash_alg) + _string(digest)


def sign(message: bytes, key: Ed25519PrivateKey, namespace: str) -> bytes:
    """The armored SSHSIG signature of `message` (sha512), as `ssh-keygen -Y sign` writes it."""
    if not namespace:
        raise ValueError("namespace must not be empty")
    ns = namespace.encode("utf-8")
    raw = key.sign(_signed_data(ns, b"sha512", message))
    blob = (
        MAGIC + struct.pack(">I", VERSION) + _string(public_key_blob(key.public_key())) + _string(ns)
        + _string(b"") + _string(b"sha512") + _string(_string(KEY_TYPE) + _string(raw))
    )
    b64 = base64.b64encode(blob).decode("ascii")
    lines = [b64[i:i + 70] for i in range(0, len(b64), 70)]
    return ("\n".join([BEGIN, *lines, END]) + "\n").encode("ascii")


class _Reader:
    def __init__(self, data: bytes) -> None:
        self._data = data
        self._pos = 0

    def raw(self, n: int) -> bytes:
        if self._pos + n > len(self._data):
            raise Rejected(MALFORMED, "truncated signature blob")
        out = self._data[self._pos:self._pos + n]
        self._pos += n
        return out

    def uint32(self) -> int:
        return int(struct.unpack(">I", self.raw(4))[0])

    def string(self) -> bytes:
        return self.raw(self.uint32())

    def end(self) -> None:
        if self._pos != len(self._data):
            raise Rejected(MALFORMED, "trailing bytes in signature blob")


def _dearmor(armored: bytes) -> bytes:
    if len(armored) > MAX_ARMOR:
        raise Rejected(MALFORMED, "signature file too large")
    try:
        text = armored.decode("ascii")
    except UnicodeDecodeError:
        raise Rejected(MALFORMED, "non-ASCII bytes in armor") from None
    if "\r" in text:
        raise Rejected(MALFORMED, "carriage return in armor")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) < 3 or lines[0] != BEGIN or lines[-1] != END:
        raise Rejected(MALFORMED, "missing or extra armor lines")
    body = lines[1:-1]
    if not all(_B64_LINE.match(line) for line in body):
        raise Rejected(MALFORMED, "junk inside armor")
    b64 = "".join(body)
    try:
        blob = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError):
        raise Rejected(MALFORMED, "bad base64") from None
    if base64.b64encode(blob).decode("ascii") != b64:
        raise Rejected(MALFORMED, "non-canonical base64")
    return blob


def verify(message: bytes, armored: bytes, namespace: str) -> Ed25519PublicKey:
    """Check an armored SSHSIG over the exact `message` bytes; return the signer's key."""
    r = _Reader(_dearmor(armored))
    if r.raw(6) != MAGIC:
        raise Rejected(MALFORMED, "bad magic")
    version = r.uint32()
    if version != VERSION:
        raise Rejected(UNSUPPORTED_VERSION, f"version {version}")
    pub_blob = r.string()
    ns = r.string()
    reserved = r.string()
    hash_alg = r.string()
    sig_blob = r.string()
    r.end()
    kr = _Reader(pub_blob)
    key_type = kr.string()
    if key_type != KEY_TYPE:
        raise Rejected(UNSUPPORTED_KEY, key_type.decode("ascii", "replace")[:40])
    raw_key = kr.string()
    kr.end()
    if len(raw_key) != 32:
        raise Rejected(MALFORMED, "bad Ed25519 key length")
    if ns != namespace.encode("utf-8"):
        raise Rejected(WRONG_NAMESPACE, f"{ns.decode('utf-8', 'replace')[:60]!r} instead of {namespace!r}")
    if reserved:
        raise Rejected(MALFORMED, "reserved field not empty")
    if hash_alg not in HASHES:
        raise Rejected(UNSUPPORTED_HASH, hash_alg.decode("ascii", "replace")[:40])
    sr = _Reader(sig_blob)
    sig_type = sr.string()
    if sig_type != KEY_TYPE:
        raise Rejected(UNSUPPORTED_KEY, f"signature type {sig_type.decode('ascii', 'replace')[:40]}")
    raw_sig = sr.string()
    sr.end()
    if len(raw_sig) != 64:
        raise Rejected(MALFORMED, "bad Ed25519 signature length")
    key = Ed25519PublicKey.from_public_bytes(raw_key)
    try:
        key.verify(raw_sig, _signed_data(ns, hash_alg, message))
    except InvalidSignature:
        raise Rejected(BAD_SIGNATURE) from None
    return key
