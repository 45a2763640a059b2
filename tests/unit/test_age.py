"""age layer: detection, recipients, passphrases, the work-factor cap and typed failures."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pyrage
import pytest

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import agecrypt

CAP = 1 << 20
PLAIN = b"PK\x03\x04" + b"zip-ish payload " * 5000


@pytest.fixture(scope="module")
def ident() -> pyrage.x25519.Identity:
    return pyrage.x25519.Identity.generate()


@pytest.fixture(scope="module")
def sealed(ident: pyrage.x25519.Identity) -> bytes:
    return agecrypt.encrypt_to_recipients(PLAIN, [str(ident.to_public())])


@pytest.fixture(scope="module")
def by_passphrase() -> bytes:
    return agecrypt.encrypt_with_passphrase(b"secret batch", b"open sesame")


def _decrypt(data: bytes, ident: pyrage.x25519.Identity | None = None, passphrase: bytes | None = None) -> bytes:
    return agecrypt.decrypt(
        data, identities=[str(ident)] if ident else (), passphrase=passphrase, max_output=CAP
    )


def _code(fn) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(Rejected) as err:
        fn()
    return err.value.code


def test_detect() -> None:
    assert agecrypt.detect(b"age-encryption.org/v1\n-> X25519 a\n") == "age"
    assert agecrypt.detect(b"-----BEGIN AGE ENCRYPTED FILE-----\n") == "age_armored"
    assert agecrypt.detect(b"PK\x03\x04rest") == "zip"
    assert agecrypt.detect(b"%PDF-1.7") == "unknown"


def test_recipient_round_trip(sealed: bytes, ident: pyrage.x25519.Identity) -> None:
    assert _decrypt(sealed, ident) == PLAIN


def test_multiple_recipients(ident: pyrage.x25519.Identity) -> None:
    other = pyrage.x25519.Identity.generate()
    data = agecrypt.encrypt_to_recipients(b"x", [str(ident.to_public()), str(other.to_public())])
    assert _decrypt(data, ident) == b"x" and _decrypt(data, other) == b"x"


def test_passphrase_round_trip(by_passphrase: bytes) -> None:
    # Wrong passphrases are covered in the batch corpus with a cheap work factor (scrypt is slow on purpose).
    assert _decrypt(by_passphrase, passphrase=b"open sesame") == b"secret batch"


def test_passphrase_missing(by_passphrase: bytes) -> None:
    assert _code(lambda: _decrypt(by_passphrase)) == "age.passphrase_required"


def test_identity_missing(sealed: bytes) -> None:
    assert _code(lambda: _decrypt(sealed)) == "age.identity_required"


def test_wrong_identity(sealed: bytes) -> None:
    assert _code(lambda: _decrypt(sealed, pyrage.x25519.Identity.generate())) == "age.wrong_identity"


def test_invalid_identity_string(sealed: bytes) -> None:
    assert _code(
        lambda: agecrypt.decrypt(sealed, identities=["AGE-SECRET-KEY-1NOPE"], max_output=CAP)
    ) == "age.identity_invalid"


def _scrypt_header(log_n: str, by_passphrase: bytes) -> bytes:
    return re.sub(rb"(-> scrypt \S+) \d+", rb"\1 " + log_n.encode(), by_passphrase, count=1)


@pytest.mark.parametrize("log_n", ["23", "30", "99"])
def test_work_factor_cap_fires_before_scrypt(by_passphrase: bytes, log_n: str) -> None:
    assert _code(lambda: _decrypt(_scrypt_header(log_n, by_passphrase), passphrase=b"x")) == "age.work_factor_too_high"


@pytest.mark.parametrize("log_n", ["0", "019", "1x", "-1"])
def test_bad_work_factor_spelling(by_passphrase: bytes, log_n: str) -> None:
    assert _code(lambda: _decrypt(_scrypt_header(log_n, by_passphrase), passphrase=b"x")) == "age.malformed"


def test_scrypt_must_be_alone(by_passphrase: bytes, sealed: bytes) -> None:
    x_stanza = sealed.split(b"\n")[1:3]
    mixed = by_passphrase.replace(b"\n-> scrypt", b"\n" + b"\n".join(x_stanza) + b"\n-> scrypt", 1)
    assert _code(lambda: _decrypt(mixed, passphrase=b"open sesame")) == "age.malformed"


def test_armored_refused() -> None:
    assert _code(lambda: _decrypt(b"-----BEGIN AGE ENCRYPTED FILE-----\nYWdl\n")) == "age.armored_unsupported"


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        pytest.param(lambda d: d[:30], "age.malformed", id="cut-in-header"),
        pytest.param(lambda d: d[: d.index(b"\n---") + 60], "age.decrypt_failed", id="cut-after-header"),
        pytest.param(lambda d: d[:-1], "age.decrypt_failed", id="cut-last-chunk"),
        pytest.param(lambda d: d[: len(d) - (len(d) - d.index(b"\n---")) // 2], "age.decrypt_failed", id="cut-mid-payload"),
        pytest.param(lambda d: d + d, "age.decrypt_failed", id="two-files-concatenated"),
        pytest.param(lambda d: _flip(d, -5), "age.decrypt_failed", id="payload-bit-flip"),
        pytest.param(lambda d: _flip(d, d.index(b"\n--- ") + 8), "age.decrypt_failed", id="header-mac-flip"),
        pytest.param(lambda d: d.replace(b"-> X25519 ", b"-> X25519 \xff", 1), "age.malformed", id="non-ascii-header"),
        pytest.param(lambda d: d.replace(b"\n--- ", b"\n-- ", 1), "age.malformed", id="no-mac-line"),
    ],
)
def test_damaged_files(sealed: bytes, ident: pyrage.x25519.Identity, mutate, code: str) -> None:  # type: ignore[no-untyped-def]
    assert _code(lambda: _decrypt(mutate(sealed), ident)) == code


def test_non_canonical_base64_in_stanza_body(sealed: bytes, ident: pyrage.x25519.Identity) -> None:
    lines = sealed.split(b"\n")
    body = lines[2]
    # Flip the last base64 character's unused low bits: same decoded bytes, non-canonical spelling.
    lines[2] = body[:-1] + bytes([body[-1] ^ 0x01])
    assert _code(lambda: _decrypt(b"\n".join(lines), ident)) in {"age.wrong_identity", "age.decrypt_failed"}


def _flip(data: bytes, offset: int) -> bytes:
    b = bytearray(data)
    b[offset] ^= 0x01
    return bytes(b)


def test_output_cap(sealed: bytes, ident: pyrage.x25519.Identity) -> None:
    assert _code(
        lambda: agecrypt.decrypt(sealed, identities=[str(ident)], max_output=1000)
    ) == "age.output_too_large"


def test_unknown_extra_stanza_is_ignored_as_the_spec_says(sealed: bytes, ident: pyrage.x25519.Identity) -> None:
    # Unknown ("grease") stanzas are legal; the header MAC still covers them, so this must fail the MAC.
    extra = sealed.replace(b"\n-> X25519", b"\n-> unknown-type abc\nAAAA\n-> X25519", 1)
    assert _code(lambda: _decrypt(extra, ident)) in {"age.decrypt_failed", "age.wrong_identity"}


@pytest.mark.skipif(shutil.which("age") is None, reason="age not installed")
def test_interop_with_stock_age(tmp_path: Path, ident: pyrage.x25519.Identity) -> None:
    (tmp_path / "id.txt").write_text(str(ident) + "\n")
    (tmp_path / "plain").write_bytes(PLAIN)
    subprocess.run(
        ["age", "-r", str(ident.to_public()), "-o", str(tmp_path / "c.age"), str(tmp_path / "plain")],
        check=True, capture_output=True,
    )
    assert _decrypt((tmp_path / "c.age").read_bytes(), ident) == PLAIN
    (tmp_path / "ours.age").write_bytes(agecrypt.encrypt_to_recipients(b"ours", [str(ident.to_public())]))
    out = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "id.txt"), str(tmp_path / "ours.age")], check=True, capture_output=True
    ).stdout
    assert out == b"ours"


def test_identities_from_text() -> None:
    ident = pyrage.x25519.Identity.generate()
    text = f"# created: 2026-01-01T00:00:00Z\n# public key: {ident.to_public()}\n{ident}\n"
    assert agecrypt.identities_from_text(text) == [str(ident)]
    with pytest.raises(Rejected, match="age.identity_invalid"):
        agecrypt.identities_from_text("# nothing here\n")
