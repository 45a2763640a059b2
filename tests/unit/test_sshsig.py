"""SSHSIG: our signatures against stock `ssh-keygen -Y`, and the malformed ones we refuse."""

from __future__ import annotations

import base64
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import sshsig

NS = "tic-batch-v1"
MSG = b'{"batch_id":"2026-01","format":"tic-batch"}'

needs_ssh_keygen = pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")


@pytest.fixture(scope="module")
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def _s(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def _armor(blob: bytes) -> bytes:
    b64 = base64.b64encode(blob).decode()
    lines = [b64[i : i + 70] for i in range(0, len(b64), 70)]
    return ("\n".join([sshsig.BEGIN, *lines, sshsig.END]) + "\n").encode()


def _blob(
    key: Ed25519PrivateKey,
    *,
    version: int = 1,
    namespace: bytes = NS.encode(),
    hash_alg: bytes = b"sha512",
    key_type: bytes = b"ssh-ed25519",
    reserved: bytes = b"",
    message: bytes = MSG,
    extra: bytes = b"",
) -> bytes:
    raw_pub = key.public_key().public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    hashed = sshsig.HASHES.get(hash_alg, sshsig.HASHES[b"sha512"])(message).digest()
    signed = b"SSHSIG" + _s(namespace) + _s(reserved) + _s(hash_alg) + _s(hashed)
    sig = key.sign(signed)
    return (
        b"SSHSIG" + struct.pack(">I", version) + _s(_s(key_type) + _s(raw_pub)) + _s(namespace) + _s(reserved)
        + _s(hash_alg) + _s(_s(key_type) + _s(sig)) + extra
    )


def _write_private(path: Path, key: Ed25519PrivateKey) -> None:
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.OpenSSH, serialization.NoEncryption()
        )
    )
    path.chmod(0o600)


def test_round_trip_returns_signer(key: Ed25519PrivateKey) -> None:
    armored = sshsig.sign(MSG, key, NS)
    assert armored.startswith(b"-----BEGIN SSH SIGNATURE-----\n")
    signer = sshsig.verify(MSG, armored, NS)
    assert sshsig.fingerprint(signer) == sshsig.fingerprint(key.public_key())


def test_handmade_blob_matches_ours(key: Ed25519PrivateKey) -> None:
    # Ed25519 is deterministic, so our encoder and the spec-following test encoder must agree byte for byte.
    assert sshsig.sign(MSG, key, NS) == _armor(_blob(key))


def test_sha256_signatures_are_accepted(key: Ed25519PrivateKey) -> None:
    assert sshsig.verify(MSG, _armor(_blob(key, hash_alg=b"sha256")), NS)


@pytest.mark.parametrize(
    ("armored_from", "code"),
    [
        pytest.param(lambda k: _armor(_blob(k, version=2)), "sig.unsupported_version", id="version-2"),
        pytest.param(lambda k: _armor(_blob(k, namespace=b"file")), "sig.wrong_namespace", id="namespace-file"),
        pytest.param(lambda k: _armor(_blob(k, namespace=b"git")), "sig.wrong_namespace", id="namespace-git"),
        pytest.param(lambda k: _armor(_blob(k, namespace=b"tic-sheet-v1")), "sig.wrong_namespace", id="sheet-namespace-on-batch"),
        pytest.param(lambda k: _armor(_blob(k, hash_alg=b"md5")), "sig.unsupported_hash", id="hash-md5"),
        pytest.param(lambda k: _armor(_blob(k, key_type=b"ssh-rsa")), "sig.unsupported_key", id="key-ssh-rsa"),
        pytest.param(lambda k: _armor(_blob(k, reserved=b"x")), "sig.malformed", id="reserved-not-empty"),
        pytest.param(lambda k: _armor(_blob(k, extra=b"\0")), "sig.malformed", id="trailing-byte-in-blob"),
        pytest.param(lambda k: _armor(_blob(k)[:-10]), "sig.malformed", id="truncated-blob"),
        pytest.param(lambda k: _armor(b"NOTSIG" + _blob(k)[6:]), "sig.malformed", id="bad-magic"),
        pytest.param(lambda k: _armor(_blob(k, message=MSG + b" ")), "sig.bad_signature", id="other-message"),
        pytest.param(lambda k: sshsig.sign(MSG, k, NS).replace(b"\n", b"\r\n"), "sig.malformed", id="crlf-armor"),
        pytest.param(lambda k: b"junk\n" + sshsig.sign(MSG, k, NS), "sig.malformed", id="junk-before-armor"),
        pytest.param(lambda k: sshsig.sign(MSG, k, NS) * 2, "sig.malformed", id="two-armor-blocks"),
        pytest.param(
            lambda k: sshsig.sign(MSG, k, NS).replace(b"\n", b"\n!!\n", 1), "sig.malformed", id="junk-inside-armor"
        ),
        pytest.param(lambda k: b"", "sig.malformed", id="empty"),
        pytest.param(lambda k: "签名".encode(), "sig.malformed", id="non-ascii"),
        pytest.param(lambda k: b"x" * 100_000, "sig.malformed", id="huge"),
    ],
)
def test_rejections(key: Ed25519PrivateKey, armored_from, code: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Rejected) as err:
        sshsig.verify(MSG, armored_from(key), NS)
    assert err.value.code == code


def test_whitespace_variant_of_same_json_fails(key: Ed25519PrivateKey) -> None:
    armored = sshsig.sign(MSG, key, NS)
    with pytest.raises(Rejected) as err:
        sshsig.verify(MSG.replace(b",", b", "), armored, NS)
    assert err.value.code == "sig.bad_signature"


@pytest.mark.parametrize("offset", [0, 7, len(MSG) // 2, len(MSG) - 1])
def test_any_flipped_message_byte_fails(key: Ed25519PrivateKey, offset: int) -> None:
    armored = sshsig.sign(MSG, key, NS)
    flipped = bytearray(MSG)
    flipped[offset] ^= 0x01
    with pytest.raises(Rejected, match="sig.bad_signature"):
        sshsig.verify(bytes(flipped), armored, NS)


def test_fingerprint_and_public_line_format(key: Ed25519PrivateKey) -> None:
    fp = sshsig.fingerprint(key.public_key())
    assert fp.startswith("SHA256:") and len(fp) == 7 + 43 and "=" not in fp
    line = sshsig.public_key_line(key.public_key(), "agency")
    assert line.startswith("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5") and line.endswith(" agency")
    openssh = key.public_key().public_bytes(serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH)
    assert line.split()[:2] == openssh.decode().split()


@needs_ssh_keygen
def test_ssh_keygen_fingerprint_matches(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    pub = tmp_path / "k.pub"
    pub.write_text(sshsig.public_key_line(key.public_key(), "x") + "\n")
    out = subprocess.run(["ssh-keygen", "-l", "-f", str(pub)], capture_output=True, text=True, check=True).stdout
    assert out.split()[1] == sshsig.fingerprint(key.public_key())


@needs_ssh_keygen
def test_ssh_keygen_verifies_our_signature(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    (tmp_path / "msg").write_bytes(MSG)
    (tmp_path / "msg.sig").write_bytes(sshsig.sign(MSG, key, NS))
    (tmp_path / "allowed").write_text(
        f'agency namespaces="{NS}" {sshsig.public_key_line(key.public_key())}\n'
    )

    def verify(namespace: str, principal: str = "agency") -> subprocess.CompletedProcess[bytes]:
        with open(tmp_path / "msg", "rb") as stdin:
            return subprocess.run(
                ["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed"), "-I", principal,
                 "-n", namespace, "-s", str(tmp_path / "msg.sig")],
                stdin=stdin, capture_output=True, cwd=tmp_path,
            )

    assert verify(NS).returncode == 0
    assert verify("tic-sheet-v1").returncode != 0
    assert verify(NS, principal="someone-else").returncode != 0
    found = subprocess.run(
        ["ssh-keygen", "-Y", "find-principals", "-f", str(tmp_path / "allowed"), "-s", str(tmp_path / "msg.sig")],
        capture_output=True, text=True, cwd=tmp_path,
    )
    assert found.stdout.strip() == "agency"


@needs_ssh_keygen
def test_we_verify_ssh_keygen_signature(tmp_path: Path, key: Ed25519PrivateKey) -> None:
    _write_private(tmp_path / "id", key)
    (tmp_path / "msg").write_bytes(MSG)
    subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-f", str(tmp_path / "id"), "-n", NS, str(tmp_path / "msg")],
        check=True, capture_output=True, cwd=tmp_path,
    )
    armored = (tmp_path / "msg.sig").read_bytes()
    signer = sshsig.verify(MSG, armored, NS)
    assert sshsig.fingerprint(signer) == sshsig.fingerprint(key.public_key())
    with pytest.raises(Rejected, match="sig.wrong_namespace"):
        sshsig.verify(MSG, armored, "tic-sheet-v1")


@needs_ssh_keygen
def test_ssh_keygen_ecdsa_signature_is_refused(tmp_path: Path) -> None:
    subprocess.run(
        ["ssh-keygen", "-q", "-t", "ecdsa", "-N", "", "-f", str(tmp_path / "ec")], check=True, capture_output=True
    )
    (tmp_path / "msg").write_bytes(MSG)
    subprocess.run(
        ["ssh-keygen", "-Y", "sign", "-f", str(tmp_path / "ec"), "-n", NS, str(tmp_path / "msg")],
        check=True, capture_output=True, cwd=tmp_path,
    )
    with pytest.raises(Rejected) as err:
        sshsig.verify(MSG, (tmp_path / "msg.sig").read_bytes(), NS)
    assert err.value.code == "sig.unsupported_key"
