"""The expert's keys: passphrase rules, create, unlock, wrong passphrase, fingerprint format."""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess

import pytest

from tic_desktop.core import passphrase as rule
from tic_desktop.core.errors import Rejected
from tic_desktop.expert import keys


@pytest.mark.parametrize(
    ("passphrase", "code"),
    [
        ("short1!", rule.WEAK_TOO_SHORT),
        ("abcdefghijkl", rule.WEAK_COMMON),
        ("aaaaaaaaaaaa", rule.WEAK_COMMON),
        ("password123!", rule.WEAK_COMMON),
        ("qwmzxplkrutbe", rule.WEAK_ONE_CLASS),
        ("9473629184", rule.WEAK_ONE_CLASS),
        ("海河之滨创新评审用口令", rule.WEAK_ONE_CLASS),
        ("Haihe river 2026", None),
        ("海河评审2026年春", None),
    ],
)
def test_passphrase_rules_say_why(passphrase: str, code: str | None) -> None:
    strength = rule.check_passphrase(passphrase)
    assert strength.code == code
    assert strength.ok is (code is None)
    assert 0 <= strength.score <= 4


@pytest.fixture(scope="module")
def made_key(tmp_path_factory: pytest.TempPathFactory) -> tuple:
    data = tmp_path_factory.mktemp("keys")
    key = keys.create_key(data, "E01", "Haihe river 2026")
    return data, key


def test_create_then_unlock_gives_the_same_keys(made_key: tuple) -> None:
    data, key = made_key
    assert keys.has_key(data, "E01")
    info = keys.public_info(data, "E01")
    assert info is not None and info.fingerprint == key.fingerprint
    assert key.fingerprint.startswith("SHA256:") and len(key.fingerprint) == 7 + 43
    assert info.age_recipient.startswith("age1")
    raw = (data / "keys" / "E01.key").read_bytes()
    assert raw.startswith(b"age-encryption.org/v1") and b"ed25519" not in raw
    again = keys.unlock_key(data, "E01", "Haihe river 2026")
    assert again.fingerprint == key.fingerprint and again.age_recipient == key.age_recipient


def test_wrong_passphrase_is_a_clear_error(made_key: tuple) -> None:
    data, _ = made_key
    with pytest.raises(Rejected) as err:
        keys.unlock_key(data, "E01", "Haihe river 2025")
    assert err.value.code == keys.WRONG_PASSPHRASE
    assert "口令不正确" in err.value.text("zh")


def test_refuses_weak_passphrase_and_overwrite(made_key: tuple) -> None:
    data, _ = made_key
    with pytest.raises(Rejected) as err:
        keys.create_key(data, "E02", "123")
    assert err.value.code == rule.WEAK_TOO_SHORT
    with pytest.raises(Rejected) as err:
        keys.create_key(data, "E01", "Another good one 42")
    assert err.value.code == keys.KEY_EXISTS
    with pytest.raises(Rejected) as err:
        keys.unlock_key(data, "E09", "Haihe river 2026")
    assert err.value.code == keys.KEY_MISSING


def test_fingerprint_matches_ssh_keygen(made_key: tuple, tmp_path) -> None:
    _, key = made_key
    blob = base64.b64decode(key.openssh.split()[1])
    expected = "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode().rstrip("=")
    assert key.fingerprint == expected
    if shutil.which("ssh-keygen"):
        pub = tmp_path / "e.pub"
        pub.write_text(key.openssh + "\n")
        out = subprocess.run(["ssh-keygen", "-l", "-f", str(pub)], capture_output=True, text=True, check=True)
        assert out.stdout.split()[1] == key.fingerprint


def test_a_crash_while_creating_never_leaves_a_public_key_without_its_private_key(tmp_path, monkeypatch) -> None:
    real = keys.atomic_write
    written: list[str] = []

    def crash_on_second(path, data, **kw):  # type: ignore[no-untyped-def]
        if written:
            raise OSError("power cut")
        written.append(path.name)
        real(path, data, **kw)

    monkeypatch.setattr(keys, "atomic_write", crash_on_second)
    with pytest.raises(OSError):
        keys.create_key(tmp_path, "E01", "Haihe river 2026")
    monkeypatch.setattr(keys, "atomic_write", real)
    assert written == ["E01.key"]
    assert not (tmp_path / "keys" / "E01.pub").exists()
    assert keys.has_key(tmp_path, "E01")  # so the app asks to unlock, not to create
    # unlocking restores the public half, so the fingerprint shows again without the passphrase
    key = keys.unlock_key(tmp_path, "E01", "Haihe river 2026")
    info = keys.public_info(tmp_path, "E01")
    assert info is not None and info.fingerprint == key.fingerprint


@pytest.mark.skipif(not hasattr(__import__("os"), "geteuid"), reason="POSIX permissions")
def test_the_private_key_file_is_private(made_key: tuple) -> None:
    import stat

    data, _ = made_key
    assert stat.S_IMODE((data / "keys" / "E01.key").stat().st_mode) == 0o600


def test_list_keys_newest_first_and_only_usable_ones(tmp_path) -> None:
    import os

    assert keys.list_keys(tmp_path) == []
    a = keys.create_key(tmp_path, "E01", "Haihe river 2026")
    b = keys.create_key(tmp_path, "E02", "Haihe river 2027")
    d = tmp_path / "keys"
    os.utime(d / "E01.key", ns=(1_000_000_000_000_000_000, 1_000_000_000_000_000_000))
    os.utime(d / "E02.key", ns=(2_000_000_000_000_000_000, 2_000_000_000_000_000_000))
    (d / "E03.pub").write_bytes((d / "E01.pub").read_bytes())  # a public half without its key
    (d / "E04.key").write_bytes(b"age-encryption.org/v1\n")  # a key whose public half is lost
    got = keys.list_keys(tmp_path)
    assert [k.expert_id for k in got] == ["E02", "E01"]
    assert got[0] == b.public_info() and got[1] == a.public_info()
    os.utime(d / "E01.key", ns=(3_000_000_000_000_000_000, 3_000_000_000_000_000_000))
    assert [k.expert_id for k in keys.list_keys(tmp_path)] == ["E01", "E02"]
