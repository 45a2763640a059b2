"""formats.age_tail: the last chunks of an age file decrypted alone (routing a sheet to its batch
without decrypting all of it), checked against pyrage / the full reader."""

from __future__ import annotations

import io
import os
import zipfile

import pyrage
import pytest

from tic_desktop.formats import age_tail
from tic_desktop.formats.container import write_zip


@pytest.mark.parametrize("size", [0, 1, 65535, 65536, 65537, 4 * 65536, 300_000])
def test_the_tail_is_the_end_of_what_pyrage_decrypts(size: int) -> None:
    me, other = pyrage.x25519.Identity.generate(), pyrage.x25519.Identity.generate()
    plain = os.urandom(size)
    data = pyrage.encrypt(plain, [other.to_public(), me.to_public()])
    got = age_tail.decrypt_tail(data, [str(me)], chunks=2)
    assert got is not None
    tail, offset = got
    assert plain[offset:] == tail and offset == max(0, (max(1, -(-size // 65536)) - 2)) * 65536
    assert age_tail.decrypt_tail(data, [str(pyrage.x25519.Identity.generate())]) is None  # not ours: None
    assert age_tail.decrypt_tail(data[:-1], [str(me)]) is None  # truncated: the last chunk fails its tag


def test_a_member_near_the_end_of_an_encrypted_zip_is_read_without_the_rest() -> None:
    me = pyrage.x25519.Identity.generate()
    members = {"pdf/a.pdf": os.urandom(400_000), "sheet.json": b'{"batch_id":"B-P2","x":1}', "zz.sig": b"s"}
    data = pyrage.encrypt(write_zip(members, stored_suffixes=(".pdf",)), [me.to_public()])
    assert age_tail.json_member_from_tail(data, [str(me)], "sheet.json") == {"batch_id": "B-P2", "x": 1}
    assert age_tail.json_member_from_tail(data, [str(me)], "pdf/a.pdf") is None  # starts before the tail
    with zipfile.ZipFile(io.BytesIO(pyrage.decrypt(data, [me]))) as z:
        assert z.read("sheet.json") == members["sheet.json"]
    assert age_tail.json_member_from_tail(b"not age", [str(me)], "sheet.json") is None
