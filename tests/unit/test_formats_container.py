"""ZIP container: deterministic writes and the hostile-archive checks of the reader."""

from __future__ import annotations

import io
import random
import re
import stat
import struct
import warnings
import zipfile
import zlib
from collections.abc import Callable
from typing import Any

import pytest

from tic_desktop.core.errors import Rejected
from tic_desktop.formats import container
from tic_desktop.formats.container import MemberRule, ZipPolicy

ANY = ZipPolicy(rules=(MemberRule(re.compile(r".*", re.DOTALL), 1 << 20),), required=frozenset(), max_members=20,
                max_total=4 << 20)
STRICT = ZipPolicy(
    rules=(MemberRule(re.compile(r"a\.json"), 1000), MemberRule(re.compile(r"docs/[a-z]+\.pdf"), 1 << 20)),
    required=frozenset({"a.json"}),
)


def raw_zip(entries: list[tuple[str, bytes]] | list[tuple[str, bytes, dict[str, Any]]]) -> bytes:
    """A ZIP with exactly these entries (names untouched, duplicates allowed)."""
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        with zipfile.ZipFile(buf, "w") as zf:
            for entry in entries:
                name, data = entry[0], entry[1]
                opts: dict[str, Any] = entry[2] if len(entry) > 2 else {}  # type: ignore[misc]
                info = zipfile.ZipInfo("placeholder", date_time=container.FIXED_DATE)
                info.filename = name
                info.orig_filename = name
                info.compress_type = opts.get("compress_type", zipfile.ZIP_DEFLATED)
                info.external_attr = opts.get("external_attr", (stat.S_IFREG | 0o644) << 16)
                info.flag_bits |= opts.get("flag_bits", 0)
                zf.writestr(info, data)
    return buf.getvalue()


def patch_central(data: bytes, offset: int, fmt: str, value: int, index: int = 0) -> bytes:
    """Overwrite a field of the index-th central directory entry."""
    pos = -1
    for _ in range(index + 1):
        pos = data.index(b"PK\x01\x02", pos + 1)
    b = bytearray(data)
    struct.pack_into(fmt, b, pos + offset, value)
    return bytes(b)


def patch_local(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    b = bytearray(data)
    struct.pack_into(fmt, b, offset, value)
    return bytes(b)


def code_of(fn: Callable[[], object]) -> str:
    with pytest.raises(Rejected) as err:
        fn()
    return err.value.code


def test_writer_is_deterministic_and_sorted() -> None:
    members = {"b.json": b"2", "a.json": b"1", "docs/x.pdf": b"%PDF" * 100}
    one = container.write_zip(members)
    two = container.write_zip(dict(reversed(list(members.items()))))
    assert one == two
    with zipfile.ZipFile(io.BytesIO(one)) as zf:
        assert zf.namelist() == ["a.json", "b.json", "docs/x.pdf"]
        assert {i.date_time for i in zf.infolist()} == {container.FIXED_DATE}
        assert {i.compress_type for i in zf.infolist()} == {zipfile.ZIP_DEFLATED}


def test_round_trip() -> None:
    members = {"a.json": b"{}", "docs/x.pdf": b"%PDF-1.4 " * 50}
    assert container.read_zip(container.write_zip(members), STRICT) == members


def test_writer_refuses_dangerous_names() -> None:
    with pytest.raises(Rejected, match="zip.path_traversal"):
        container.write_zip({"../x": b""})


NAME_CASES = [
    ("../x", "zip.path_traversal"),
    ("..\\x", "zip.path_traversal"),
    ("x/../../y", "zip.path_traversal"),
    ("a/..", "zip.path_traversal"),
    ("/etc/x", "zip.absolute_path"),
    ("\\x", "zip.absolute_path"),
    ("C:\\x", "zip.absolute_path"),
    ("C:x", "zip.absolute_path"),
    ("c:/x", "zip.absolute_path"),
    ("a/C:x", "zip.absolute_path"),
    ("\\\\server\\share\\x", "zip.absolute_path"),
    ("//server/share/x", "zip.absolute_path"),
    ("a\\b", "zip.backslash"),
    ("x/./y", "zip.bad_name"),
    ("x//y", "zip.bad_name"),
    ("a.json:stream", "zip.bad_name"),
    ("a\x00.json", "zip.control_char"),
    ("a\x1b.json", "zip.control_char"),
    ("a\n.json", "zip.control_char"),
    ("a\x7f.json", "zip.control_char"),
    ("evil\u202efdp.exe", "zip.invisible_char"),
    ("a\u200b.json", "zip.invisible_char"),
    ("a.json.", "zip.trailing_dot_space"),
    ("a.json ", "zip.trailing_dot_space"),
    ("docs./x.pdf", "zip.trailing_dot_space"),
    ("CON", "zip.reserved_name"),
    ("con.json", "zip.reserved_name"),
    ("nul.json", "zip.reserved_name"),
    ("COM1.pdf", "zip.reserved_name"),
    ("docs/lpt9.pdf", "zip.reserved_name"),
    ("AUX.tar.gz", "zip.reserved_name"),
    ("dir/", "zip.directory_entry"),
]


@pytest.mark.parametrize(("name", "code"), NAME_CASES, ids=[repr(n)[1:-1] for n, _ in NAME_CASES])
def test_dangerous_names(name: str, code: str) -> None:
    data = raw_zip([(name, b"x")])
    assert code_of(lambda: container.read_zip(data, ANY)) == code


def test_utf8_name_flag_non_ascii_allowed_only_by_allow_list() -> None:
    data = raw_zip([("a.json", b"{}"), ("docs/é.pdf", b"x")])
    assert code_of(lambda: container.read_zip(data, STRICT)) == "zip.unexpected_member"


@pytest.mark.parametrize(
    "names",
    [
        pytest.param(["a.json", "a.json"], id="exact"),
        pytest.param(["Sheet.json", "sheet.json"], id="case"),
        pytest.param(["caf\u00e9.json", "cafe\u0301.json"], id="nfc-nfd"),
        pytest.param(["\uff41.json", "a.json"], id="fullwidth"),
    ],
)
def test_duplicates(names: list[str]) -> None:
    data = raw_zip([(n, b"{}") for n in names])
    assert code_of(lambda: container.read_zip(data, ANY)) == "zip.duplicate_member"


@pytest.mark.parametrize(
    ("opts", "code"),
    [
        pytest.param({"external_attr": (stat.S_IFLNK | 0o777) << 16}, "zip.symlink", id="symlink"),
        pytest.param({"external_attr": (stat.S_IFDIR | 0o755) << 16}, "zip.directory_entry", id="dir-mode"),
        pytest.param({"external_attr": 0x10}, "zip.directory_entry", id="dos-dir-attr"),
        pytest.param({"external_attr": (stat.S_IFIFO | 0o644) << 16}, "zip.special_file", id="fifo"),
        pytest.param({"external_attr": (stat.S_IFCHR | 0o644) << 16}, "zip.special_file", id="char-device"),
        pytest.param({"compress_type": zipfile.ZIP_BZIP2}, "zip.unsupported_compression", id="bzip2"),
        pytest.param({"compress_type": zipfile.ZIP_LZMA}, "zip.unsupported_compression", id="lzma"),
    ],
)
def test_member_kinds(opts: dict[str, Any], code: str) -> None:
    data = raw_zip([("a.json", b"{}", opts)])
    assert code_of(lambda: container.read_zip(data, ANY)) == code


def test_encrypted_flag() -> None:
    data = raw_zip([("a.json", b"{}")])
    data = patch_local(patch_central(data, 8, "<H", 0x1), 6, "<H", 0x1)
    assert code_of(lambda: container.read_zip(data, ANY)) == "zip.encrypted_member"


def test_method_99() -> None:
    data = raw_zip([("a.json", b"{}", {"compress_type": zipfile.ZIP_STORED})])
    data = patch_local(patch_central(data, 10, "<H", 99), 8, "<H", 99)
    assert code_of(lambda: container.read_zip(data, ANY)) == "zip.unsupported_compression"


def test_allow_list_and_required() -> None:
    extra = container.write_zip({"a.json": b"{}", "evil.exe": b"MZ"})
    assert code_of(lambda: container.read_zip(extra, STRICT)) == "zip.unexpected_member"
    missing = container.write_zip({"docs/x.pdf": b"%PDF"})
    assert code_of(lambda: container.read_zip(missing, STRICT)) == "zip.missing_member"


def test_caps() -> None:
    too_many = container.write_zip({f"m{i}.json": b"" for i in range(21)})
    assert code_of(lambda: container.read_zip(too_many, ANY)) == "zip.too_many_members"
    big = container.write_zip({"a.json": b"x" * 1001})
    assert code_of(lambda: container.read_zip(big, STRICT)) == "zip.member_too_large"
    rnd = random.Random(0)
    total = container.write_zip({f"m{i}.json": rnd.randbytes(900 * 1024) for i in range(5)})
    assert code_of(lambda: container.read_zip(total, ANY)) == "zip.total_too_large"


def test_ratio_bomb() -> None:
    bomb = container.write_zip({"a.json": b"\0" * (900 * 1024)})
    assert len(bomb) < 5000
    assert code_of(lambda: container.read_zip(bomb, ANY)) == "zip.ratio_too_high"


def test_declared_sizes_are_not_trusted() -> None:
    data = container.write_zip({"a.json": b"A" * 5000})
    # uncompressed size, changed alike in the central entry and the local header (offsets 24 and 22)
    small_claim = patch_local(patch_central(data, 24, "<I", 10), 22, "<I", 10)
    assert code_of(lambda: container.read_zip(small_claim, ANY)) == "zip.size_mismatch"
    huge_claim = patch_local(patch_central(data, 24, "<I", 0xFFFFFF00), 22, "<I", 0xFFFFFF00)
    assert code_of(lambda: container.read_zip(huge_claim, ANY)) == "zip.size_mismatch"
    # in the central directory only: the two headers disagree
    assert code_of(lambda: container.read_zip(patch_central(data, 24, "<I", 10), ANY)) == "zip.header_mismatch"


def test_crc_mismatch() -> None:
    data = container.write_zip({"a.json": b"hello world"})
    bad = patch_local(patch_central(data, 16, "<I", zlib.crc32(b"other")), 14, "<I", zlib.crc32(b"other"))
    assert code_of(lambda: container.read_zip(bad, ANY)) == "zip.crc_mismatch"


def test_overlapping_entries() -> None:
    # Two central entries pointing at the same local header (the "overlap" bomb).
    data = raw_zip([("a.json", b"A" * 100), ("b.json", b"B" * 100)])
    overlapped = patch_central(data, 42, "<I", 0, index=1)
    assert code_of(lambda: container.read_zip(overlapped, ANY)) == "zip.overlap"


@pytest.mark.parametrize(
    ("mutate", "code"),
    [
        pytest.param(lambda d: d + b"junk", "zip.trailing_data", id="trailing-garbage"),
        pytest.param(lambda d: d + b"\0" * 22, "zip.trailing_data", id="trailing-zeros"),
        pytest.param(lambda d: b"%PDF-1.7\n" + d, "zip.prepended_data", id="pdf-polyglot"),
        pytest.param(lambda d: b"MZ" + b"\0" * 100 + d, "zip.prepended_data", id="exe-stub"),
        pytest.param(lambda d: d + d, "zip.prepended_data", id="two-zips"),
        pytest.param(lambda d: d[: d.index(b"PK\x01\x02")], "zip.not_zip", id="no-central-directory"),
        pytest.param(lambda d: d[:-1], "zip.not_zip", id="cut-eocd"),
        pytest.param(lambda d: b"", "zip.not_zip", id="empty"),
        pytest.param(lambda d: b"PK\x03\x04", "zip.not_zip", id="magic-only"),
        pytest.param(lambda d: d[:-2] + b"\x03\x00" + b"abc", "zip.trailing_data", id="archive-comment"),
    ],
)
def test_layout(mutate: Callable[[bytes], bytes], code: str) -> None:
    data = container.write_zip({"a.json": b"{}"})
    assert code_of(lambda: container.read_zip(mutate(data), ANY)) == code


def test_reads_without_extracting(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    data = raw_zip([("a.json", b"{}")])
    container.read_zip(data, ANY)
    assert list(tmp_path.iterdir()) == []
