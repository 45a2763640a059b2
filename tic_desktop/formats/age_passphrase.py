"""Encrypt and decrypt age files sealed to a passphrase (the scrypt recipient) without holding the GIL.

`pyrage.passphrase.encrypt` and `decrypt` keep Python's GIL for the whole scrypt work (~1 s here),
so the GUI thread freezes even when the key is created or unlocked in a worker. `hashlib.scrypt`
(OpenSSL) releases the GIL, the rest is cheap. This module implements age v1
(https://age-encryption.org/v1, C2SP) for exactly this case: one `scrypt` stanza, header MAC,
STREAM payload in 64 KiB ChaCha20-Poly1305 chunks. `encrypt` writes a standard file that `age -d`,
rage and pyrage read; `decrypt` reads what they (and `encrypt`) write.

`decrypt` raises `WrongPassphrase` when the passphrase does not open the stanza (or the header MAC
or a chunk does not authenticate) and `Unsupported` for anything else it does not understand;
callers fall back to pyrage then, so an unusual file is never refused by this module alone.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"age-encryption.org/v1\n"
SCRYPT_LABEL = b"age-encryption.org/v1/scrypt"
CHUNK = 64 * 1024
TAG = 16
MAX_LOG_N = 22
"""age implementations refuse work factors above this (about 15 s); so do we."""
LOG_N = 20
"""The scrypt work factor `encrypt` uses: what `pyrage.passphrase.encrypt` writes on this machine (rage
picks the factor that takes about one second; its header here says `-> scrypt <salt> 20`). 2**20 × 8
× 128 bytes = 1 GiB of scrypt memory, as with pyrage. (The Go `age` uses 18.)"""


class WrongPassphrase(Exception):
    """The passphrase does not open the file."""


class Unsupported(Exception):
    """Not an age passphrase file this module reads (the caller falls back to pyrage)."""


def b64(text: bytes) -> bytes:
    """age's base64: standard alphabet, no padding, canonical."""
    if text.endswith(b"=") or b"\r" in text:
        raise Unsupported("padded or non-canonical base64")
    try:
        raw = base64.b64decode(text + b"=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as exc:
        raise Unsupported(f"bad base64: {exc}") from exc
    if base64.b64encode(raw).rstrip(b"=") != text:
        raise Unsupported("non-canonical base64")
    return raw


def hkdf(key: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(key)


def _header(data: bytes) -> tuple[list[bytes], bytes, bytes, bytes, int]:
    """(stanza argument line, stanza body, header bytes up to '---', MAC, payload offset)."""
    if not data.startswith(MAGIC):
        raise Unsupported("not an age file")
    pos = len(MAGIC)
    end = data.find(b"\n", pos)
    line = data[pos:end]
    if end < 0 or not line.startswith(b"-> "):
        raise Unsupported("no stanza")
    args = line[3:].split(b" ")
    pos = end + 1
    body = b""
    while True:  # body lines of 64 columns, the last one shorter (possibly empty)
        end = data.find(b"\n", pos)
        if end < 0:
            raise Unsupported("truncated header")
        chunk = data[pos:end]
        pos = end + 1
        body += chunk
        if len(chunk) < 64:
            break
    end = data.find(b"\n", pos)
    line = data[pos:end]
    if end < 0 or not line.startswith(b"--- "):
        raise Unsupported("one scrypt stanza expected")
    return args, b64(body), data[:pos + 3], b64(line[4:]), end + 1


def decrypt(data: bytes, passphrase: str) -> bytes:
    """The plaintext of an age file sealed to `passphrase`; scrypt runs without the GIL."""
    args, body, header, mac, offset = _header(data)
    if len(args) != 3 or args[0] != b"scrypt" or not args[2].isdigit() or args[2].startswith(b"0"):
        raise Unsupported("not a scrypt stanza")
    salt, log_n = b64(args[1]), int(args[2])
    if len(salt) != 16 or len(body) != 32 or not 1 <= log_n <= MAX_LOG_N:
        raise Unsupported("unexpected scrypt parameters")
    wrap = hashlib.scrypt(passphrase.encode("utf-8"), salt=SCRYPT_LABEL + salt, n=1 << log_n, r=8, p=1,
                          maxmem=2**31 - 1, dklen=32)
    try:
        file_key = ChaCha20Poly1305(wrap).decrypt(bytes(12), body, None)
    except InvalidTag as exc:
        raise WrongPassphrase from exc
    if not hmac.compare_digest(hmac.new(hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest(), mac):
        raise WrongPassphrase("header MAC")
    try:
        return decrypt_payload(data, offset, file_key)
    except InvalidTag as exc:
        raise WrongPassphrase("chunk") from exc


def decrypt_payload(data: bytes, offset: int, file_key: bytes) -> bytes:
    """The STREAM payload from `offset` (its 16-byte nonce, then 64 KiB ChaCha20-Poly1305 chunks, the
    last one flagged); `InvalidTag` when a chunk does not authenticate, `Unsupported` for a bad shape."""
    nonce, payload = data[offset:offset + 16], memoryview(data)[offset + 16:]
    if len(nonce) != 16 or not payload:
        raise Unsupported("truncated payload")
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    out = []
    count = (len(payload) + CHUNK + TAG - 1) // (CHUNK + TAG)
    for i in range(count):
        chunk = payload[i * (CHUNK + TAG):(i + 1) * (CHUNK + TAG)]
        last = i == count - 1
        if len(chunk) < TAG or (last and i > 0 and len(chunk) == TAG):
            raise Unsupported("bad final chunk")
        out.append(aead.decrypt(i.to_bytes(11, "big") + (b"\x01" if last else b"\x00"), chunk, None))
    return b"".join(out)


def _b64_encode(raw: bytes) -> bytes:
    """age's base64: standard alphabet, no padding."""
    return base64.b64encode(raw).rstrip(b"=")


def encrypt(plaintext: bytes, passphrase: str | bytes, *, log_n: int = LOG_N) -> bytes:
    """An age v1 file sealed to `passphrase` (one scrypt stanza); scrypt runs without the GIL.

    Readable by `age -d`, rage/pyrage and `decrypt`. Slow by design (about a second at the default
    work factor), but a worker thread running it leaves the GUI thread free."""
    if not isinstance(log_n, int) or isinstance(log_n, bool) or not 1 <= log_n <= MAX_LOG_N:
        raise ValueError(f"scrypt work factor must be 1…{MAX_LOG_N}, not {log_n!r}")
    secret = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    if not secret:
        raise ValueError("empty passphrase")
    file_key, salt = os.urandom(16), os.urandom(16)
    wrap = hashlib.scrypt(secret, salt=SCRYPT_LABEL + salt, n=1 << log_n, r=8, p=1, maxmem=2**31 - 1, dklen=32)
    body = _b64_encode(ChaCha20Poly1305(wrap).encrypt(bytes(12), file_key, None))
    # stanza body wrapped at 64 columns; the last line is always shorter (empty if the body fills it)
    lines = [body[i:i + 64] for i in range(0, len(body), 64)]
    if not lines or len(lines[-1]) == 64:
        lines.append(b"")
    header = MAGIC + b"-> scrypt " + _b64_encode(salt) + b" " + str(log_n).encode("ascii") + b"\n"
    header += b"".join(line + b"\n" for line in lines) + b"---"
    mac = hmac.new(hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()
    nonce = os.urandom(16)
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    count = max(1, (len(plaintext) + CHUNK - 1) // CHUNK)  # an empty payload is one empty final chunk
    out = [header, b" ", _b64_encode(mac), b"\n", nonce]
    view = memoryview(plaintext)
    for i in range(count):
        last = i == count - 1
        out.append(aead.encrypt(i.to_bytes(11, "big") + (b"\x01" if last else b"\x00"),
                                bytes(view[i * CHUNK:(i + 1) * CHUNK]), None))
    return b"".join(out)
