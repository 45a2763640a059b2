"""Agency keys: files stock tools read, permissions, passphrase handling, refusal to overwrite."""

from __future__ import annotations

import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pyrage
import pytest

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import keys as keys_mod
from tic_desktop.formats.keys import create_agency_keys, load_agency_keys


def test_create_then_load(tmp_path: Path) -> None:
    made = create_agency_keys(tmp_path / "agency")
    loaded = load_agency_keys(tmp_path / "agency")
    assert loaded.fingerprint == made.fingerprint
    assert loaded.age_recipient == made.age_recipient
    assert made.age_recipient.startswith("age1")
    assert sorted(p.name for p in (tmp_path / "agency").iterdir()) == [
        "agency.agekey", "agency_ed25519", "agency_ed25519.pub",
    ]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_private_files_are_0600(tmp_path: Path) -> None:
    create_agency_keys(tmp_path)
    assert stat.S_IMODE((tmp_path / "agency_ed25519").stat().st_mode) == 0o600
    assert stat.S_IMODE((tmp_path / "agency.agekey").stat().st_mode) == 0o600


def test_identity_file_format(tmp_path: Path) -> None:
    k = create_agency_keys(tmp_path)
    lines = (tmp_path / "agency.agekey").read_text().splitlines()
    assert lines[0].startswith("# created: ") and lines[0].endswith("Z")
    assert lines[1] == f"# public key: {k.age_recipient}"
    assert lines[2].startswith("AGE-SECRET-KEY-1") and len(lines) == 3


def test_never_overwrites(tmp_path: Path) -> None:
    create_agency_keys(tmp_path)
    before = (tmp_path / "agency_ed25519").read_bytes()
    with pytest.raises(Rejected, match="keys.exists"):
        create_agency_keys(tmp_path)
    assert (tmp_path / "agency_ed25519").read_bytes() == before


def test_passphrase(tmp_path: Path) -> None:
    made = create_agency_keys(tmp_path, passphrase=b"correct horse")
    assert b"aes256-ctr" in subprocess_free_header(tmp_path / "agency_ed25519")
    with pytest.raises(Rejected, match="keys.passphrase_required"):
        load_agency_keys(tmp_path)
    with pytest.raises(Rejected, match="keys.wrong_passphrase"):
        load_agency_keys(tmp_path, passphrase=b"wrong")
    assert load_agency_keys(tmp_path, passphrase=b"correct horse").fingerprint == made.fingerprint


def subprocess_free_header(path: Path) -> bytes:
    import base64

    body = b"".join(path.read_bytes().splitlines()[1:-1])
    return base64.b64decode(body)[:64]


@pytest.mark.parametrize(
    ("damage", "code"),
    [
        pytest.param(lambda d: (d / "agency_ed25519").unlink(), "keys.missing", id="no-private-key"),
        pytest.param(lambda d: (d / "agency.agekey").unlink(), "keys.missing", id="no-age-identity"),
        pytest.param(lambda d: (d / "agency_ed25519").write_bytes(b"junk"), "keys.invalid", id="junk-private-key"),
        pytest.param(lambda d: (d / "agency.agekey").write_text("AGE-SECRET-KEY-1XYZ\n"), "keys.invalid", id="junk-age"),
        pytest.param(
            lambda d: (d / "agency_ed25519.pub").write_text(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl x\n"
            ),
            "keys.mismatch", id="swapped-public-key",
        ),
        pytest.param(
            lambda d: (d / "agency.agekey").write_text(
                "# public key: age1zvkyg2lqzraa2lnjvqej32nkuu0ues2s82hzrye869xeexvn73equnujwj\n"
                + (d / "agency.agekey").read_text().splitlines()[2] + "\n"
            ),
            "keys.mismatch", id="wrong-age-comment",
        ),
    ],
)
def test_damaged_folder(tmp_path: Path, damage, code: str) -> None:  # type: ignore[no-untyped-def]
    create_agency_keys(tmp_path)
    damage(tmp_path)
    with pytest.raises(Rejected) as err:
        load_agency_keys(tmp_path)
    assert err.value.code == code


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
def test_ssh_keygen_reads_our_files(tmp_path: Path) -> None:
    k = create_agency_keys(tmp_path)
    out = subprocess.run(
        ["ssh-keygen", "-l", "-f", str(tmp_path / "agency_ed25519.pub")], capture_output=True, text=True, check=True
    ).stdout
    assert out.split()[1] == k.fingerprint
    derived = subprocess.run(
        ["ssh-keygen", "-y", "-f", str(tmp_path / "agency_ed25519")], capture_output=True, text=True, check=True
    ).stdout
    assert derived.split()[:2] == k.public_key_line.split()[:2]


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
def test_ssh_keygen_reads_encrypted_key(tmp_path: Path) -> None:
    k = create_agency_keys(tmp_path, passphrase=b"pw")
    derived = subprocess.run(
        ["ssh-keygen", "-y", "-P", "pw", "-f", str(tmp_path / "agency_ed25519")],
        capture_output=True, text=True, check=True,
    ).stdout
    assert derived.split()[:2] == k.public_key_line.split()[:2]


@pytest.mark.skipif(shutil.which("age") is None, reason="age not installed")
def test_stock_age_decrypts_with_identity_file(tmp_path: Path) -> None:
    k = create_agency_keys(tmp_path)
    ciphertext = pyrage.encrypt(b"score sheet", [pyrage.x25519.Recipient.from_str(k.age_recipient)])
    (tmp_path / "x.age").write_bytes(ciphertext)
    out = subprocess.run(
        ["age", "-d", "-i", str(tmp_path / "agency.agekey"), str(tmp_path / "x.age")],
        capture_output=True, check=True,
    ).stdout
    assert out == b"score sheet"


@pytest.mark.skipif(shutil.which("age-keygen") is None, reason="age-keygen not installed")
def test_we_read_age_keygen_identity(tmp_path: Path) -> None:
    subprocess.run(["age-keygen", "-o", str(tmp_path / "k.txt")], check=True, capture_output=True)
    text = (tmp_path / "k.txt").read_text()
    ident = keys_mod.parse_age_identity(text)
    assert f"# public key: {ident.to_public()}" in text
