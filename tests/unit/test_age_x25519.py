"""formats.age_x25519: our X25519 age reader opens what rage (pyrage) and the stock `age` write, and
says "not opened" — so pyrage decides — for every tampered, truncated, extended or foreign file: it
can make a good file faster, never a bad one accepted."""

from __future__ import annotations

import hashlib
import hmac
import os
import shutil
import subprocess
from pathlib import Path

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import age_x25519, agecrypt
from tic_desktop.formats.age_passphrase import hkdf

ME = pyrage.x25519.Identity.generate()
OTHER = pyrage.x25519.Identity.generate()
CHUNK = 64 * 1024


def _seal(plain: bytes) -> bytes:
    return pyrage.encrypt(plain, [OTHER.to_public(), ME.to_public()])


@pytest.mark.parametrize("size", [0, 1, CHUNK - 1, CHUNK, CHUNK + 1, 2 * CHUNK, 300_000])
def test_opens_what_rage_writes_with_its_grease_stanza(size: int) -> None:
    plain = os.urandom(size)
    data = _seal(plain)
    assert b"-grease" in data[:1024]  # rage adds a random stanza of another type: read and skipped
    assert age_x25519.decrypt(data, [str(ME)]) == plain
    assert age_x25519.decrypt(data, [str(pyrage.x25519.Identity.generate()), str(ME)]) == plain


@pytest.mark.skipif(shutil.which("age") is None, reason="the stock age tool is not installed")
def test_opens_what_the_stock_age_tool_writes(tmp_path: Path) -> None:
    plain = os.urandom(200_000)
    (tmp_path / "plain").write_bytes(plain)
    subprocess.run(["age", "-r", str(OTHER.to_public()), "-r", str(ME.to_public()), "-o", str(tmp_path / "x.age"),
                    str(tmp_path / "plain")], check=True)
    assert age_x25519.decrypt((tmp_path / "x.age").read_bytes(), [str(ME)]) == plain


def _header_end(data: bytes) -> int:
    return data.index(b"\n", data.index(b"\n--- ")) + 1


def _mutations(data: bytes) -> dict[str, bytes]:
    end = _header_end(data)
    share = data.index(b"-> X25519 ") + 12
    def flip(at: int) -> bytes:
        b = bytearray(data)
        b[at] ^= 0x01
        return bytes(b)
    return {
        "share": flip(share), "wrapped key": flip(data.index(b"\n", share) + 3),
        "grease": flip(data.index(b"-grease") + 2), "mac": flip(end - 5), "nonce": flip(end + 3),
        "first chunk": flip(end + 20), "last chunk": flip(len(data) - 3),
        "truncated by a byte": data[:-1], "last chunk dropped": data[:end + 16 + CHUNK + 16],
        "a byte appended": data + b"\0", "a chunk appended": data + os.urandom(CHUNK + 16),
        "CRLF header": data[:end].replace(b"\n", b"\r\n") + data[end:],
        "header only": data[:end],
    }


def test_every_tampering_is_left_to_pyrage_which_refuses_it() -> None:
    plain = os.urandom(3 * CHUNK + 100)
    data = _seal(plain)
    for name, bad in _mutations(data).items():
        with pytest.raises(age_x25519.NotOpened):
            age_x25519.decrypt(bad, [str(ME)])
        try:
            out = agecrypt.decrypt(bad, identities=[str(ME)], max_output=1 << 30)
        except Rejected as exc:
            assert exc.code.startswith("age."), name
        else:  # only a change pyrage itself reads as the same file may pass, and then it is the same plaintext
            pytest.fail(f"{name}: opened ({len(out)} bytes)")
    with pytest.raises(age_x25519.NotOpened):
        age_x25519.decrypt(data, [str(pyrage.x25519.Identity.generate())])  # not ours


def _craft(plain_chunks: list[tuple[bytes, bool]], me: pyrage.x25519.Identity) -> bytes:
    """A file sealed to `me` by hand, with the chunks and final flags given (to make shapes rage never writes)."""
    file_key, nonce = os.urandom(16), os.urandom(16)
    eph = X25519PrivateKey.generate()
    share = eph.public_key().public_bytes_raw()
    mine = X25519PrivateKey.from_private_bytes(age_x25519.identity_scalar(str(me))).public_key().public_bytes_raw()
    wrap = hkdf(eph.exchange(X25519PrivateKey.from_private_bytes(
        age_x25519.identity_scalar(str(me))).public_key()), share + mine, age_x25519.X25519_LABEL)
    import base64
    def b64(raw: bytes) -> bytes:
        return base64.b64encode(raw).rstrip(b"=")
    header = (b"age-encryption.org/v1\n-> X25519 " + b64(share) + b"\n"
              + b64(ChaCha20Poly1305(wrap).encrypt(bytes(12), file_key, None)) + b"\n---")
    mac = hmac.new(hkdf(file_key, b"", b"header"), header, hashlib.sha256).digest()
    aead = ChaCha20Poly1305(hkdf(file_key, nonce, b"payload"))
    body = b"".join(aead.encrypt(i.to_bytes(11, "big") + (b"\x01" if last else b"\x00"), chunk, None)
                    for i, (chunk, last) in enumerate(plain_chunks))
    return header + b" " + b64(mac) + b"\n" + nonce + body


def test_a_hand_made_file_opens_like_pyrage_and_bad_final_chunks_do_not() -> None:
    full = os.urandom(CHUNK)
    good = _craft([(full, False), (b"tail", True)], ME)
    assert pyrage.decrypt(good, [ME]) == full + b"tail"  # the crafting is right
    assert age_x25519.decrypt(good, [str(ME)]) == full + b"tail"
    for chunks in ([(full, False), (b"", True)],  # an empty final chunk after a full one
                   [(full, False), (b"tail", False)],  # no final flag
                   [(full, True), (b"tail", True)]):  # a final flag before the end
        bad = _craft(chunks, ME)
        with pytest.raises(age_x25519.NotOpened):
            age_x25519.decrypt(bad, [str(ME)])
        with pytest.raises(pyrage.DecryptError):
            pyrage.decrypt(bad, [ME])


def test_agecrypt_uses_it_for_good_files(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = os.urandom(100_000)
    data = _seal(plain)
    def no_pyrage(*_a: object, **_k: object) -> bytes:
        raise AssertionError("pyrage was asked")
    monkeypatch.setattr(pyrage, "decrypt", no_pyrage)
    assert agecrypt.decrypt(data, identities=[str(ME)], max_output=1 << 20) == plain


def test_every_header_byte_flipped_is_not_opened() -> None:
    data = _seal(os.urandom(1000))
    for at in range(_header_end(data) + 16):
        bad = bytearray(data)
        bad[at] ^= 0x01
        with pytest.raises(age_x25519.NotOpened):
            age_x25519.decrypt(bytes(bad), [str(ME)])
