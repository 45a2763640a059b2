"""Decrypt age files sealed to X25519 recipients (what every sheet and batch is) at twice pyrage's speed.

pyrage holds the GIL and decrypts at about half the speed of `cryptography`'s ChaCha20-Poly1305 here;
an import decrypts every sheet file once, so this is a visible part of it. This module implements
age v1 (https://age-encryption.org/v1, C2SP) for exactly the files the app writes: a binary header
with `X25519` stanzas (one per recipient; other stanzas, such as rage's random "grease" one, read
strictly and skipped), the header MAC, the STREAM payload in 64 KiB
chunks (`age_passphrase.decrypt_payload`, shared with the passphrase reader).

It only ever says yes with proof: the file key unwrapped by our identity, the header MAC over the
exact header bytes, every chunk authenticated with the right counter and final flag. For anything
else — another stanza type, a header shape it does not read, a key that does not open it, a damaged
payload — it raises `NotOpened` and `agecrypt.decrypt` hands the file to pyrage, which accepts or
names the fault as before. So this module can make a good file faster, never a bad file accepted.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Sequence

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from tic_desktop.formats.age_passphrase import MAGIC, Unsupported, b64, decrypt_payload, hkdf

X25519_LABEL = b"age-encryption.org/v1/X25519"
MAX_STANZAS = 64
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"
_ARG = re.compile(rb"[A-Za-z0-9+/]{43}")
"""A 32-byte value in age's base64 (no padding): the ephemeral share and the MAC."""
_VCHAR = re.compile(rb"[\x21-\x7e]+")
_B64 = re.compile(rb"[A-Za-z0-9+/]*")


class NotOpened(Exception):
    """This module does not open the file (see the module docstring); pyrage decides."""


def identity_scalar(identity: str) -> bytes:
    """The 32-byte X25519 scalar of an `AGE-SECRET-KEY-1…` line (bech32; `agecrypt` has checked
    the line, checksum included, with pyrage before this runs)."""
    text = identity.strip().lower()
    if not text.startswith("age-secret-key-1"):
        raise NotOpened("not an X25519 identity")
    acc, bits, out = 0, 0, bytearray()
    for ch in text[len("age-secret-key-1"):-6]:
        v = _BECH32.find(ch)
        if v < 0:
            raise NotOpened("not bech32")
        acc = ((acc << 5) | v) & 0xFFF
        bits += 5
        if bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    if len(out) != 32:
        raise NotOpened("not 32 bytes")
    return bytes(out)


def _stanzas(data: bytes) -> tuple[list[tuple[bytes, bytes]], bytes, bytes, int]:
    """([(ephemeral share, wrapped file key)] of the X25519 stanzas, header bytes up to '---', MAC,
    payload offset). Other stanzas (rage writes a random "grease" one) are read strictly and skipped."""
    if not data.startswith(MAGIC):
        raise NotOpened("not a binary age file")
    pos, count = len(MAGIC), 0
    stanzas: list[tuple[bytes, bytes]] = []
    try:
        while data.startswith(b"-> ", pos):
            end = data.find(b"\n", pos)
            args = data[pos + 3:end].split(b" ") if end >= 0 else []
            if not args or not all(_VCHAR.fullmatch(a) for a in args):
                raise NotOpened("bad stanza line")
            pos, body = end + 1, b""
            while True:  # base64 lines of 64 columns, the last one shorter (possibly empty)
                end = data.find(b"\n", pos)
                line = data[pos:end]
                if end < 0 or len(line) > 64 or not _B64.fullmatch(line):
                    raise NotOpened("bad stanza body")
                pos, body = end + 1, body + line
                if len(line) < 64:
                    break
            raw = b64(body)
            count += 1
            if count > MAX_STANZAS:
                raise NotOpened("too many stanzas")
            if args[0] == b"X25519":
                if len(args) != 2 or not _ARG.fullmatch(args[1]) or len(raw) != 32:
                    raise NotOpened("malformed X25519 stanza")
                stanzas.append((b64(args[1]), raw))
        end = data.find(b"\n", pos)
        if not stanzas or end < 0 or not data.startswith(b"--- ", pos) or not _ARG.fullmatch(data[pos + 4:end]):
            raise NotOpened("unexpected header")
        return stanzas, data[:pos + 3], b64(data[pos + 4:end]), end + 1
    except Unsupported as exc:  # non-canonical base64
        raise NotOpened(str(exc)) from None


def _file_key(stanzas: list[tuple[bytes, bytes]], keys: list[X25519PrivateKey]) -> bytes:
    for key in keys:
        mine = key.public_key().public_bytes_raw()
        for share, wrapped in stanzas:
            try:
                shared = key.exchange(X25519PublicKey.from_public_bytes(share))
            except ValueError:  # a low-order point: age refuses the file
                raise NotOpened("low-order share") from None
            if shared == bytes(32):
                raise NotOpened("all-zero shared secret")
            try:
                return ChaCha20Poly1305(hkdf(shared, share + mine, X25519_LABEL)).decrypt(bytes(12), wrapped, None)
            except InvalidTag:
                continue
    raise NotOpened("no stanza for these identities")


def decrypt(data: bytes, identities: Sequence[str]) -> bytes:
    """The plaintext of an age file sealed to one of `identities`, or `NotOpened`."""
    stanzas, header, mac, offset = _stanzas(data)
    keys = [X25519PrivateKey.from_private_bytes(identity_scalar(i)) for i in identities]
    file_key = _file_key(stanzas, keys)
    if len(file_key) != 16:
        raise NotOpened("file key of the wrong size")
    if not hmac.compare_digest(hmac.new(hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest(), mac):
        raise NotOpened("header MAC")
    try:
        return decrypt_payload(data, offset, file_key)
    except (Unsupported, InvalidTag) as exc:
        raise NotOpened(f"payload: {exc}") from None
