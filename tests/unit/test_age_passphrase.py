"""formats.age_passphrase: reads what pyrage.passphrase.encrypt writes, refuses wrong passphrases and
tampering, and leaves the GIL free while scrypt works (the key unlock runs in a worker thread)."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import threading
import time
from pathlib import Path

import pyrage
import pytest

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import age_passphrase


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


def _main_thread_turns(worker: threading.Thread) -> int:
    """Start `worker`; count how often the main thread woke from a 10 ms sleep until it finished
    (a worker holding the GIL for its whole run leaves it one turn)."""
    turns = 0
    worker.start()
    while worker.is_alive():
        time.sleep(0.01)
        turns += 1
    return turns


def test_scrypt_does_not_hold_the_gil(sealed: dict[int, tuple[bytes, bytes]]) -> None:
    _, data = sealed[0]
    worker = threading.Thread(target=age_passphrase.decrypt, args=(data, "口令 Haihe 2026"))
    turns = _main_thread_turns(worker)
    # the main thread kept running while scrypt worked (pyrage.passphrase.decrypt holds the GIL ~1 s,
    # and the loop would not come round at all); the longest gap is a bench figure, not asserted here
    assert turns > 5


# ── encrypt: a standard age file that independent implementations read ─────────────────────

PASS = "口令 Haihe 2026"
SIZES = (0, 1, 64 * 1024, 64 * 1024 + 1, 200 * 1024)


def _stanza(data: bytes) -> list[bytes]:
    return data.split(b"\n")[1].split(b" ")


def test_the_default_work_factor_is_fixed_and_in_ages_range() -> None:
    # rage calibrates its factor to about a second on the machine it runs on (20 on ours), so it is
    # compared by range, not equality: a faster or slower CI machine must not fail this test
    args = _stanza(pyrage.passphrase.encrypt(b"x", PASS))
    assert args[:2] == [b"->", b"scrypt"] and 16 <= int(args[3]) <= 22
    assert age_passphrase.LOG_N == 20
    ours = age_passphrase.encrypt(b"x", PASS)
    assert _stanza(ours)[3] == b"20" and pyrage.passphrase.decrypt(ours, PASS) == b"x"


@pytest.mark.parametrize("size", SIZES)
def test_pyrage_decrypts_what_encrypt_writes(size: int) -> None:
    plain = os.urandom(size)
    data = age_passphrase.encrypt(plain, PASS, log_n=14)
    assert pyrage.passphrase.decrypt(data, PASS) == plain
    assert age_passphrase.decrypt(data, PASS) == plain
    # the layout of the spec: one stanza, body on one line (43 columns), MAC line, 16-byte nonce,
    # ceil(size / 64 KiB) chunks (one empty chunk for an empty file), each with a 16-byte tag
    lines = data.split(b"\n", 4)
    assert lines[0] == b"age-encryption.org/v1"
    assert lines[1].startswith(b"-> scrypt ") and len(_stanza(data)[2]) == 22 and _stanza(data)[3] == b"14"
    assert len(lines[2]) == 43 and lines[3].startswith(b"--- ") and len(lines[3]) == 4 + 43
    header_len = sum(len(x) + 1 for x in lines[:4])
    chunks = max(1, -(-size // (64 * 1024)))
    assert len(data) == header_len + 16 + size + 16 * chunks
    with pytest.raises(pyrage.DecryptError):
        pyrage.passphrase.decrypt(data, "口令 Haihe 2025")


def test_each_file_has_its_own_salt_key_and_nonce() -> None:
    a, b = (age_passphrase.encrypt(b"same", PASS, log_n=10) for _ in range(2))
    assert _stanza(a)[2] != _stanza(b)[2] and a[-36:] != b[-36:]


def test_bad_work_factors_and_empty_passphrase_are_refused() -> None:
    for log_n in (0, 23, True, "18"):
        with pytest.raises(ValueError):
            age_passphrase.encrypt(b"x", PASS, log_n=log_n)  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        age_passphrase.encrypt(b"x", "")


@pytest.mark.skipif(not shutil.which("age") or not shutil.which("script"), reason="needs the age CLI and script(1)")
@pytest.mark.parametrize("size", (0, 64 * 1024, 200 * 1024))
def test_the_age_cli_decrypts_what_encrypt_writes(tmp_path: Path, size: int) -> None:
    # age reads the passphrase from /dev/tty only: script(1) gives it a terminal fed from our stdin
    plain = os.urandom(size)
    sealed, out = tmp_path / "in.age", tmp_path / "out.bin"
    sealed.write_bytes(age_passphrase.encrypt(plain, PASS, log_n=14))

    def age_d(passphrase: str) -> subprocess.CompletedProcess[bytes]:
        out.unlink(missing_ok=True)
        return subprocess.run(["script", "-qec", f"age -d -o {shlex.quote(str(out))} {shlex.quote(str(sealed))}",
                               "/dev/null"], input=f"{passphrase}\n".encode(), capture_output=True, timeout=60)

    r = age_d(PASS)
    assert r.returncode == 0, r.stdout + r.stderr
    # age opens -o lazily, on the first byte written: an empty plaintext leaves no file
    assert (out.read_bytes() if out.exists() else b"") == plain and (out.exists() or size == 0)
    r = age_d("口令 Haihe 2025")
    assert r.returncode != 0 and b"incorrect passphrase" in r.stdout + r.stderr


def test_encrypt_does_not_hold_the_gil() -> None:
    worker = threading.Thread(target=age_passphrase.encrypt, args=(b"{}", PASS))  # the default work factor
    turns = _main_thread_turns(worker)
    assert turns > 5  # pyrage.passphrase.encrypt would hold the GIL ~1 s: one gap, not many


def test_creating_a_key_does_not_hold_the_gil(tmp_path: Path) -> None:
    from tic_desktop.expert import keys

    made: list[keys.ExpertKey] = []
    worker = threading.Thread(target=lambda: made.append(keys.create_key(tmp_path, "E01", "Haihe river 2026")))
    turns = _main_thread_turns(worker)
    assert turns > 5
    sealed = (tmp_path / "keys" / "E01.key").read_bytes()
    assert _stanza(sealed)[3] == str(age_passphrase.LOG_N).encode()
    assert b'"expert_id": "E01"' in pyrage.passphrase.decrypt(sealed, "Haihe river 2026")
    assert keys.unlock_key(tmp_path, "E01", "Haihe river 2026").fingerprint == made[0].fingerprint


def test_a_work_factor_rage_calls_excessive_on_a_busy_machine_still_opens(monkeypatch: pytest.MonkeyPatch) -> None:
    """rage refuses a scrypt work factor it times as too slow *now* (CI under load refused a batch
    sealed a minute earlier: "Excessive work parameter for passphrase"); the batch's own cap decides."""
    import pyrage

    from tic_desktop.formats import agecrypt

    def busy(_data: bytes, _passphrase: str) -> bytes:
        raise pyrage.DecryptError("Excessive work parameter for passphrase. Decryption would take around 32 seconds.")

    monkeypatch.setattr(pyrage.passphrase, "decrypt", busy)
    sealed = age_passphrase.encrypt(b"the batch", "Batch pass 2026", log_n=14)
    assert agecrypt.decrypt(sealed, passphrase=b"Batch pass 2026", max_output=100) == b"the batch"
    with pytest.raises(Rejected) as err:
        agecrypt.decrypt(sealed, passphrase=b"wrong pass 2026", max_output=100)
    assert err.value.code == "age.wrong_passphrase"
