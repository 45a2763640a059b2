"""expert.age_passphrase: reads what pyrage.passphrase.encrypt writes, refuses wrong passphrases and
tampering, and leaves the GIL free while scrypt works (the key unlock runs in a worker thread)."""

from __future__ import annotations

import os
import threading
import time

import pyrage
import pytest

from tic_desktop.expert import age_passphrase


@pytest.fixture(scope="module")
def sealed() -> dict[int, tuple[bytes, bytes]]:
    out = {}
    for n in (0, 140000):  # empty; three chunks, the last one short
        plain = os.urandom(n)
        out[n] = (plain, pyrage.passphrase.encrypt(plain, "口令 Haihe 2026"))
    return out


def test_round_trip(sealed: dict[int, tuple[bytes, bytes]]) -> None:
    for plain, data in sealed.values():
        assert age_passphrase.decrypt(data, "口令 Haihe 2026") == plain


def test_wrong_passphrase_tampering_and_truncation_are_refused(sealed: dict[int, tuple[bytes, bytes]]) -> None:
    _, data = sealed[140000]
    with pytest.raises(age_passphrase.WrongPassphrase):
        age_passphrase.decrypt(data, "口令 Haihe 2025")
    tampered = bytearray(data)
    tampered[-1] ^= 1
    with pytest.raises(age_passphrase.WrongPassphrase):
        age_passphrase.decrypt(bytes(tampered), "口令 Haihe 2026")
    with pytest.raises(age_passphrase.WrongPassphrase):  # a chunk cut off: the new last one fails
        age_passphrase.decrypt(data[:-1000], "口令 Haihe 2026")
    with pytest.raises(age_passphrase.Unsupported):
        age_passphrase.decrypt(b"not an age file", "口令 Haihe 2026")


def test_other_recipients_are_left_to_pyrage() -> None:
    identity = pyrage.x25519.Identity.generate()
    data = pyrage.encrypt(b"x", [identity.to_public()])
    with pytest.raises(age_passphrase.Unsupported):
        age_passphrase.decrypt(data, "whatever")


def test_scrypt_does_not_hold_the_gil(sealed: dict[int, tuple[bytes, bytes]]) -> None:
    _, data = sealed[0]
    worker = threading.Thread(target=age_passphrase.decrypt, args=(data, "口令 Haihe 2026"))
    gaps, last = [], time.perf_counter()
    worker.start()
    while worker.is_alive():
        time.sleep(0.01)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    assert len(gaps) > 5 and max(gaps) < 0.2  # pyrage.passphrase.decrypt blocks ~1 s here
