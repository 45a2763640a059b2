"""agency.keys: the public face of the agency keys, and the passphrase-protected backup file."""

from __future__ import annotations

from pathlib import Path

import pyrage
import pytest

from tic_desktop.agency import keys as ak
from tic_desktop.core.errors import Rejected
from tic_desktop.formats.keys import create_agency_keys, load_agency_keys

FAST = 10  # a low scrypt work factor keeps the tests quick; the format is the same
PASS = "机构备份口令-2026!"


@pytest.fixture()
def key_dir(tmp_path: Path) -> Path:
    create_agency_keys(tmp_path / "keys", passphrase=b"signing pass 42!")
    return tmp_path / "keys"


def test_public_info_needs_no_passphrase_and_matches_the_keys(key_dir: Path) -> None:
    info = ak.public_info(key_dir)
    keys = load_agency_keys(key_dir, passphrase=b"signing pass 42!")
    assert (info.fingerprint, info.age_recipient) == (keys.fingerprint, keys.age_recipient)
    assert ak.is_protected(key_dir) and ak.has_keys(key_dir)
    assert not ak.has_keys(key_dir.parent / "nothing")


def test_backup_then_restore_into_an_empty_folder_gives_the_same_keys(key_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "agency.tickeys"
    written = ak.write_backup(key_dir, out, PASS, log_n=FAST)
    assert written.fingerprint == ak.public_info(key_dir).fingerprint
    assert b"AGE-SECRET-KEY" not in out.read_bytes()
    restored = ak.restore_backup(out, tmp_path / "new" / "keys", PASS)
    assert restored == written
    keys = load_agency_keys(tmp_path / "new" / "keys", passphrase=b"signing pass 42!")
    assert keys.fingerprint == written.fingerprint


def test_the_backup_is_a_standard_age_passphrase_file(key_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "agency.tickeys"
    ak.write_backup(key_dir, out, PASS, log_n=FAST)
    plain = pyrage.passphrase.decrypt(out.read_bytes(), PASS)
    assert plain.startswith(b"PK")


def test_wrong_passphrase_is_a_clear_typed_error(key_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "agency.tickeys"
    ak.write_backup(key_dir, out, PASS, log_n=FAST)
    with pytest.raises(Rejected) as caught:
        ak.restore_backup(out, tmp_path / "new", "not the passphrase")
    assert caught.value.code == ak.WRONG_PASSPHRASE
    assert "口令不正确" in caught.value.text("zh")
    assert not (tmp_path / "new").exists()


@pytest.mark.parametrize("damage", ["flip_tail", "truncate", "garbage"])
def test_a_corrupted_backup_is_a_typed_error(key_dir: Path, tmp_path: Path, damage: str) -> None:
    out = tmp_path / "agency.tickeys"
    ak.write_backup(key_dir, out, PASS, log_n=FAST)
    data = bytearray(out.read_bytes())
    if damage == "flip_tail":
        data[-5] ^= 0x40
    elif damage == "truncate":
        data = data[: len(data) // 2]
    else:
        data = bytearray(b"PK\x03\x04 this is not a backup")
    out.write_bytes(bytes(data))
    with pytest.raises(Rejected) as caught:
        ak.restore_backup(out, tmp_path / "new", PASS)
    assert caught.value.code == ak.CORRUPT
    assert "损坏" in caught.value.text("zh")


def test_restore_refuses_other_keys_unless_confirmed_and_keeps_them(key_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "agency.tickeys"
    backed_up = ak.write_backup(key_dir, out, PASS, log_n=FAST)
    other = tmp_path / "data" / "keys"
    create_agency_keys(other)
    before = ak.public_info(other).fingerprint
    with pytest.raises(Rejected) as caught:
        ak.restore_backup(out, other, PASS)
    assert caught.value.code == ak.WOULD_REPLACE
    assert ak.public_info(other).fingerprint == before
    assert ak.restore_backup(out, other, PASS, replace=True) == backed_up
    assert ak.public_info(other).fingerprint == backed_up.fingerprint
    kept = [p for p in other.parent.iterdir() if p.name.startswith("keys-replaced-")]
    assert len(kept) == 1 and ak.public_info(kept[0]).fingerprint == before


def test_restoring_the_same_keys_again_changes_nothing(key_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "agency.tickeys"
    ak.write_backup(key_dir, out, PASS, log_n=FAST)
    assert ak.restore_backup(out, key_dir, PASS).fingerprint == ak.public_info(key_dir).fingerprint
    assert not [p for p in key_dir.parent.iterdir() if "replaced" in p.name]
