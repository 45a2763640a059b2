"""The byte layout of an untrusted ZIP, checked before `formats.container` reads any member.

One archive, one reading. A streaming reader walks the local headers from byte 0; we (and Python's
`zipfile`) index from the central directory at the end. So that both see the same members with the
same bytes, `check_entries` requires that the entries tile the file back to back — member 1's
local header at byte 0, each next header right where the previous member's data (and data
descriptor) ends, the central directory right after the last one (`zip.gap`, `zip.overlap`) — and
that every local header repeats its central entry: flags, method, CRC-32, both sizes (from the
ZIP64 extra field where the header says 0xFFFFFFFF), name length and name bytes
(`zip.header_mismatch`). Members are inflated by `container`, not by `zipfile`, and a deflate stream must
end exactly at its recorded compressed size (a streaming reader stops where the stream ends).

Data descriptors (flag bit 3: the local CRC and sizes are zero and follow the data) are accepted
as Python's `zipfile` (unseekable output), Info-ZIP `zip -` and Java/.NET streams write them: the
local CRC and sizes must be zero (or already the real ones), and the descriptor — 12 or 16 bytes
(with the optional `PK\x07\x08` signature), 20 or 24 with a ZIP64 local header — must fill exactly
the room up to the next header and repeat the central CRC and sizes. `container.write_zip` never
writes one (it writes to a seekable buffer), nor does any writer in this app; Windows Explorer, macOS and
Info-ZIP archives of allowed members pass the same checks.
"""

from __future__ import annotations

import io
import struct
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import BinaryIO

from tic_desktop.core.errors import Rejected
from tic_desktop.formats.zip_codes import (
    CORRUPT,
    GAP,
    HEADER_MISMATCH,
    NOT_ZIP,
    OVERLAP,
    PREPENDED,
    TOO_MANY,
    TRAILING,
)

_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_LOCAL = b"PK\x03\x04"


class Blob:
    """Random access to the plaintext ZIP, in memory or in a file, without reading it all."""

    _CHUNK = 1024 * 1024

    def __init__(self, fh: BinaryIO) -> None:
        self.fh = fh
        fh.seek(0, io.SEEK_END)
        self.size = fh.tell()

    def read_at(self, offset: int, n: int) -> bytes:
        self.fh.seek(offset)
        return self.fh.read(n)

    def startswith(self, prefix: bytes) -> bool:
        return self.read_at(0, len(prefix)) == prefix

    def find(self, needle: bytes) -> int:
        """The first offset of `needle`, or -1 (a chunked scan: only used on the error path)."""
        pos, keep = 0, b""
        while pos < self.size:
            chunk = keep + self.read_at(pos, self._CHUNK)
            found = chunk.find(needle)
            if found >= 0:
                return pos - len(keep) + found
            pos += self._CHUNK
            keep = chunk[-(len(needle) - 1):] if len(needle) > 1 else b""
        return -1

    def rfind(self, needle: bytes) -> int:
        """The last offset of `needle`, or -1 (a chunked scan from the end: error path only)."""
        end = self.size
        while end > 0:
            start = max(0, end - self._CHUNK)
            chunk = self.read_at(start, end + len(needle) - 1 - start)
            found = chunk.rfind(needle)
            if found >= 0:
                return start + found
            end = start
        return -1


def check_layout(blob: Blob, max_members: int) -> tuple[int, int]:
    """End of central directory at the very end, central directory right before it, data at 0.

    Returns the central directory's offset and its entry count."""
    size = blob.size
    if size < _EOCD_SIZE or not blob.startswith(_LOCAL):
        if size >= _EOCD_SIZE and blob.find(_LOCAL) > 0:
            raise Rejected(PREPENDED, "the archive does not start at byte 0")
        raise Rejected(NOT_ZIP)
    eocd_at = size - _EOCD_SIZE
    eocd = blob.read_at(eocd_at, _EOCD_SIZE)
    if eocd[:4] != _EOCD:
        found = blob.rfind(_EOCD)
        if found < 0 or found > eocd_at:
            raise Rejected(NOT_ZIP, "no complete end of central directory (truncated?)")
        raise Rejected(TRAILING, f"{eocd_at - found} bytes after the end of central directory")
    (_sig, disk, cd_disk, n_disk, n_total, cd_size, cd_offset, comment_len) = struct.unpack("<4sHHHHIIH", eocd)
    if disk != 0 or cd_disk != 0 or n_disk != n_total or comment_len != 0:
        raise Rejected(CORRUPT, "multi-disk archive or archive comment")
    if n_total > max_members:
        raise Rejected(TOO_MANY, f"{n_total} > {max_members}")
    if n_total == 0xFFFF or cd_size == 0xFFFFFFFF or cd_offset == 0xFFFFFFFF:
        raise Rejected(CORRUPT, "ZIP64 archives are not used by this app")
    if cd_offset + cd_size > eocd_at:
        raise Rejected(CORRUPT, "central directory runs past its end")
    if cd_offset + cd_size != eocd_at:
        if eocd_at >= 20 and blob.read_at(eocd_at - 20, 4) == b"PK\x06\x07":
            raise Rejected(CORRUPT, "ZIP64 archives are not used by this app")
        raise Rejected(PREPENDED, "the central directory is not where the archive says it is")
    return cd_offset, n_total


_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
"""signature, version needed, flags, method, time, date, CRC-32, compressed size, size, name length, extra length."""
_DESCRIPTOR_SIG = b"PK\x07\x08"
_FLAG_DESCRIPTOR = 0x08
_FLAG_UTF8 = 0x800
MAX32 = 0xFFFFFFFF


@dataclass(frozen=True)
class Span:
    """Where a member's compressed bytes are, once its local header has been checked."""

    data_offset: int
    compress_size: int


def _raw_name(info: zipfile.ZipInfo) -> bytes:
    """The central directory's name bytes (zipfile decodes UTF-8 or cp437, both one-to-one)."""
    return info.orig_filename.encode("utf-8" if info.flag_bits & _FLAG_UTF8 else "cp437")


def _zip64_local_sizes(extra: bytes, usize: int, csize: int, name: str) -> tuple[int, int]:
    """The local header's sizes, read from its ZIP64 extra field where they are 0xFFFFFFFF."""
    pos = 0
    while pos + 4 <= len(extra):
        kind, length = struct.unpack_from("<HH", extra, pos)
        body = extra[pos + 4 : pos + 4 + length]
        if len(body) != length:
            raise Rejected(CORRUPT, f"{name!r}: local extra field runs past its end")
        if kind == 0x0001:
            at = 0
            try:
                if usize == MAX32:
                    (usize,) = struct.unpack_from("<Q", body, at)
                    at += 8
                if csize == MAX32:
                    (csize,) = struct.unpack_from("<Q", body, at)
            except struct.error:
                raise Rejected(HEADER_MISMATCH, f"{name!r}: local ZIP64 field lacks a size") from None
            return usize, csize
        pos += 4 + length
    raise Rejected(HEADER_MISMATCH, f"{name!r}: local header marks ZIP64 sizes but has no ZIP64 field")


def check_entries(blob: Blob, infos: Sequence[zipfile.ZipInfo], cd_offset: int) -> dict[str, Span]:
    """Entries back to back from byte 0 to the central directory; each local header = its central entry.

    See the module docstring: this is what makes a streaming reader and us read the same archive."""
    spans: dict[str, Span] = {}
    order = sorted(infos, key=lambda i: i.header_offset)
    pos = 0
    for k, info in enumerate(order):
        name = info.orig_filename
        if info.header_offset < pos:
            raise Rejected(OVERLAP, f"{name!r} starts at {info.header_offset}, inside the previous member")
        if info.header_offset > pos:
            raise Rejected(GAP, f"{info.header_offset - pos} bytes before {name!r}")
        header = blob.read_at(pos, _LOCAL_HEADER.size)
        if len(header) != _LOCAL_HEADER.size or header[:4] != _LOCAL:
            raise Rejected(HEADER_MISMATCH, f"{name!r}: no local header where the central directory points")
        (_sig, _version, flags, method, _time, _date, crc, csize, usize, name_len, extra_len) = (
            _LOCAL_HEADER.unpack(header)
        )
        names = blob.read_at(pos + _LOCAL_HEADER.size, name_len + extra_len)
        local_name, extra = names[:name_len], names[name_len:]
        if flags != info.flag_bits:
            raise Rejected(HEADER_MISMATCH, f"{name!r}: flags {flags:#06x} here, {info.flag_bits:#06x} in the directory")
        if method != info.compress_type:
            raise Rejected(HEADER_MISMATCH, f"{name!r}: method {method} here, {info.compress_type} in the directory")
        if local_name != _raw_name(info):
            raise Rejected(HEADER_MISMATCH, f"{name!r}: the local header names {local_name[:80]!r}")
        zip64 = usize == MAX32 or csize == MAX32
        if zip64:
            usize, csize = _zip64_local_sizes(extra, usize, csize, name)
        descriptor = bool(flags & _FLAG_DESCRIPTOR)
        if (crc, csize, usize) != (info.CRC, info.compress_size, info.file_size) and not (
            descriptor and (crc, csize, usize) == (0, 0, 0)
        ):
            raise Rejected(
                HEADER_MISMATCH,
                f"{name!r}: CRC/sizes {crc:08x}/{csize}/{usize} here, "
                f"{info.CRC:08x}/{info.compress_size}/{info.file_size} in the directory",
            )
        data_offset = pos + _LOCAL_HEADER.size + name_len + extra_len
        pos = data_offset + info.compress_size
        if descriptor:
            following = order[k + 1].header_offset if k + 1 < len(order) else cd_offset
            pos += _check_descriptor(blob, info, pos, following - pos, zip64)
        spans[name] = Span(data_offset, info.compress_size)
    if pos > cd_offset:
        raise Rejected(OVERLAP, "the last member runs into the central directory")
    if pos < cd_offset:
        raise Rejected(GAP, f"{cd_offset - pos} bytes before the central directory")
    return spans


def _check_descriptor(blob: Blob, info: zipfile.ZipInfo, at: int, room: int, zip64: bool) -> int:
    """The data descriptor after a member's data: its length (it must fill `room` exactly)."""
    name = info.orig_filename
    fmt = "<IQQ" if zip64 else "<III"
    plain = struct.calcsize(fmt)
    if room not in (plain, plain + 4):
        raise Rejected(OVERLAP if room < 0 else HEADER_MISMATCH, f"{name!r}: no data descriptor of {plain} bytes")
    raw = blob.read_at(at, room)
    if room == plain + 4:
        if raw[:4] != _DESCRIPTOR_SIG:
            raise Rejected(HEADER_MISMATCH, f"{name!r}: data descriptor without its signature")
        raw = raw[4:]
    if len(raw) != plain or struct.unpack(fmt, raw) != (info.CRC, info.compress_size, info.file_size):
        raise Rejected(HEADER_MISMATCH, f"{name!r}: the data descriptor disagrees with the central directory")
    return room
