"""The last chunks of an age file (X25519 recipients), decrypted without the rest: only to read
something near the end of a ZIP (its central directory, a small last member) cheaply.

age's payload is STREAM-encrypted in 64 KiB chunks, each with its own nonce (counter ‖ last flag), so
the last ones can be decrypted alone (age-encryption.org/v1: the file key from the X25519 stanza, the
payload key = HKDF-SHA256(file key, salt = the 16-byte nonce, info "payload")). Every chunk decrypted
is authenticated; the header MAC is NOT checked and the chunks before are not read, so nothing here
is a verification: callers use it to route a file (e.g. a score sheet to its batch), and the full
reader (`agecrypt.decrypt`, `formats.sheet.read_sheet`) checks everything afterwards. Any problem
returns None (the caller falls back to decrypting the whole file).
"""

from __future__ import annotations

import base64
import io
import json
import struct
import zlib
from collections.abc import Sequence
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"age-encryption.org/v1\n"
CHUNK = 64 * 1024
SEALED = CHUNK + 16
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def identity_scalar(identity: str) -> bytes | None:
    """The 32-byte X25519 scalar of an `AGE-SECRET-KEY-1…` line (bech32; the checksum is left to pyrage)."""
    text = identity.strip().lower()
    if not text.startswith("age-secret-key-1"):
        return None
    try:
        values = [_BECH32.index(c) for c in text[len("age-secret-key-1"):-6]]
    except ValueError:
        return None
    acc, bits, out = 0, 0, bytearray()
    for v in values:
        acc = (acc << 5) | v
        bits += 5
        while bits >= 8:
            bits -= 8
            out.append((acc >> bits) & 0xFF)
    return bytes(out) if len(out) == 32 else None


def _hkdf(ikm: bytes, salt: bytes, info: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=info).derive(ikm)


def _b64(text: str) -> bytes:
    return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)


def _file_key(header: str, scalars: Sequence[bytes]) -> bytes | None:
    lines = header.split("\n")
    for n, line in enumerate(lines):
        if not line.startswith("-> X25519 "):
            continue
        body = ""
        for more in lines[n + 1:]:
            body += more
            if len(more) < 64:
                break
        share = _b64(line.split(" ")[2])
        for scalar in scalars:
            key = X25519PrivateKey.from_private_bytes(scalar)
            mine = key.public_key().public_bytes_raw()
            shared = key.exchange(X25519PublicKey.from_public_bytes(share))
            wrap = _hkdf(shared, share + mine, b"age-encryption.org/v1/X25519")
            try:
                return ChaCha20Poly1305(wrap).decrypt(b"\x00" * 12, _b64(body), None)
            except InvalidTag:
                continue
    return None


def decrypt_tail(data: bytes, identities: Sequence[str], chunks: int = 4) -> tuple[bytes, int] | None:
    """(the plaintext of the last `chunks` chunks, its offset in the whole plaintext), or None."""
    try:
        if not data.startswith(MAGIC):
            return None
        mac = data.find(b"\n--- ", 0, 64 * 1024)
        end = data.find(b"\n", mac + 5)
        if mac < 0 or end < 0:
            return None
        scalars = [s for s in (identity_scalar(i) for i in identities) if s is not None]
        file_key = _file_key(data[len(MAGIC):mac].decode("ascii"), scalars)
        if file_key is None:
            return None
        nonce, payload = data[end + 1:end + 17], data[end + 17:]
        aead = ChaCha20Poly1305(_hkdf(file_key, nonce, b"payload"))
        count = max(1, -(-len(payload) // SEALED))
        first = max(0, count - chunks)
        out = bytearray()
        for i in range(first, count):
            last = b"\x01" if i == count - 1 else b"\x00"
            out += aead.decrypt(i.to_bytes(11, "big") + last, payload[i * SEALED:(i + 1) * SEALED], None)
        return bytes(out), first * CHUNK
    except (ValueError, InvalidTag, UnicodeDecodeError, IndexError):
        return None


def zip_member_from_tail(tail: bytes, offset: int, name: str, max_size: int = 16 * 1024 * 1024) -> bytes | None:
    """Member `name` of a ZIP whose plaintext from `offset` on is `tail` (None when it starts earlier,
    is too large or anything is unexpected)."""
    try:
        eocd = tail.rfind(b"PK\x05\x06")
        if eocd < 0:
            return None
        _sig, _d, _cd_disk, _n_disk, n, cd_size, cd_offset, _c = struct.unpack("<IHHHHIIH", tail[eocd:eocd + 22])
        pos = cd_offset - offset
        if pos < 0:
            return None
        for _ in range(n):
            fields = struct.unpack("<IHHHHHHIIIHHHHHII", tail[pos:pos + 46])
            method, csize, usize = fields[4], fields[8], fields[9]
            nlen, xlen, clen, local = fields[10], fields[11], fields[12], fields[16]
            member = tail[pos + 46:pos + 46 + nlen].decode("utf-8")
            pos += 46 + nlen + xlen + clen
            if member != name:
                continue
            at = local - offset
            if at < 0 or usize > max_size:
                return None
            lnlen, lxlen = struct.unpack("<HH", tail[at + 26:at + 30])
            raw = tail[at + 30 + lnlen + lxlen:at + 30 + lnlen + lxlen + csize]
            if len(raw) != csize:
                return None
            if method == 0:
                return raw
            if method == 8:
                d = zlib.decompressobj(-15)
                out = d.decompress(raw, max_size + 1)
                return out if len(out) == usize else None
            return None
        return None
    except (struct.error, UnicodeDecodeError, zlib.error):
        return None


def json_member_from_tail(data: bytes, identities: Sequence[str], name: str) -> Any:
    """The JSON value of ZIP member `name` read from the end of an age-encrypted ZIP, or None."""
    got = decrypt_tail(data, identities)
    if got is None:
        return None
    member = zip_member_from_tail(*got, name)
    if member is None:
        return None
    try:
        return json.load(io.BytesIO(member))
    except ValueError:
        return None
