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
        "agency.agekey", "agency.agekey.pub", "agency_docsign.crt", "agency_docsign.key", "agency_ed25519",
        "agency_ed25519.pub",
    ]
    assert (tmp_path / "agency" / "agency.agekey.pub").read_text() == made.age_recipient + "\n"


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


# ── agency.agekey at rest (issue 11, finding 7) ─────────────────────────────────────────────

PASS = "Agency pass 2026"


def _age_with_tty(args: list[str], passphrase: str) -> tuple[int, bytes]:
    """Run the stock `age` on a pseudo-terminal (it reads passphrases only from a tty) and type `passphrase`."""
    import os
    import pty

    pid, fd = pty.fork()
    if pid == 0:  # the child: exec age
        os.execvp(args[0], args)
    out = b""
    typed = False
    while True:
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        if not typed and b"passphrase" in out.lower():
            os.write(fd, passphrase.encode() + b"\n")
            typed = True
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out


def test_a_protected_agekey_is_an_age_passphrase_file(tmp_path: Path) -> None:
    made = create_agency_keys(tmp_path, passphrase=PASS.encode())
    sealed = (tmp_path / "agency.agekey").read_bytes()
    assert sealed.startswith(b"age-encryption.org/v1\n-> scrypt ")
    assert b"AGE-SECRET-KEY" not in sealed
    # an independent age implementation opens it with the passphrase
    text = pyrage.passphrase.decrypt(sealed, PASS).decode()
    assert f"# public key: {made.age_recipient}" in text
    assert str(keys_mod.parse_age_identity(text)) == made.age_identity_text()
    # the public face needs no passphrase
    assert (tmp_path / "agency.agekey.pub").read_text().strip() == made.age_recipient
    loaded = load_agency_keys(tmp_path, passphrase=PASS.encode())
    assert loaded.age_recipient == made.age_recipient and not loaded.plain_identity


def test_a_protected_agekey_refuses_a_missing_or_wrong_passphrase(tmp_path: Path) -> None:
    create_agency_keys(tmp_path, passphrase=PASS.encode())
    before = (tmp_path / "agency.agekey").read_bytes()
    with pytest.raises(Rejected) as err:
        keys_mod.read_identity(tmp_path / "agency.agekey")
    assert err.value.code == "keys.passphrase_required"
    with pytest.raises(Rejected) as err:
        keys_mod.read_identity(tmp_path / "agency.agekey", b"Agency pass 2025")
    assert err.value.code == "keys.wrong_passphrase"
    with pytest.raises(Rejected) as err:
        load_agency_keys(tmp_path, passphrase=b"Agency pass 2025")
    assert err.value.code == "keys.wrong_passphrase"
    assert (tmp_path / "agency.agekey").read_bytes() == before  # nothing rewritten


def test_an_old_plain_agekey_still_loads_and_says_so(tmp_path: Path) -> None:
    made = create_agency_keys(tmp_path / "old")  # as folders made before the rule: plain text
    (tmp_path / "old" / "agency.agekey.pub").unlink()
    assert (tmp_path / "old" / "agency.agekey").read_text().startswith("# created:")
    loaded = load_agency_keys(tmp_path / "old")
    assert loaded.plain_identity and loaded.age_recipient == made.age_recipient
    text, plain = keys_mod.read_identity(tmp_path / "old" / "agency.agekey", b"any passphrase")
    assert plain and "AGE-SECRET-KEY-1" in text


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_a_new_key_folder_is_the_owners_only(tmp_path: Path) -> None:
    create_agency_keys(tmp_path / "agency", passphrase=PASS.encode())
    assert stat.S_IMODE((tmp_path / "agency").stat().st_mode) == 0o700
    for name in ("agency_ed25519", "agency.agekey"):
        assert stat.S_IMODE((tmp_path / "agency" / name).stat().st_mode) == 0o600


@pytest.mark.skipif(shutil.which("age") is None or sys.platform == "win32", reason="age and a pty needed")
def test_stock_age_opens_the_protected_agekey_with_the_passphrase(tmp_path: Path) -> None:
    made = create_agency_keys(tmp_path, passphrase=PASS.encode())
    # `age -d agency.agekey` asks for the passphrase and prints the identity file
    code, _out = _age_with_tty(["age", "-d", "-o", str(tmp_path / "plain.txt"), str(tmp_path / "agency.agekey")], PASS)
    assert code == 0
    assert f"# public key: {made.age_recipient}" in (tmp_path / "plain.txt").read_text()
    # and `age -d -i agency.agekey SHEET` decrypts what was encrypted to the agency (it asks the passphrase)
    (tmp_path / "x.age").write_bytes(pyrage.encrypt(b"score sheet", [pyrage.x25519.Recipient.from_str(made.age_recipient)]))
    code, _out = _age_with_tty(["age", "-d", "-i", str(tmp_path / "agency.agekey"), "-o", str(tmp_path / "x.txt"),
                                str(tmp_path / "x.age")], PASS)
    assert code == 0 and (tmp_path / "x.txt").read_bytes() == b"score sheet"
    code, _out = _age_with_tty(["age", "-d", "-o", str(tmp_path / "no.txt"), str(tmp_path / "agency.agekey")],
                               "wrong passphrase")
    assert code != 0
