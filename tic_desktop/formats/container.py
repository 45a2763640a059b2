"""The ZIP container: a deterministic writer and a hostile-input reader.

The reader looks at `infolist()` only and reads allow-listed members with hard caps, from bytes or
from a seekable file (`open_zip` → `CheckedZip`: checked once, then members streamed — hashed and
dropped, or kept — on demand); nothing is ever extracted to disk. It rejects dangerous names (traversal, absolute, drive, UNC,
backslash, control or bidi characters, trailing dot or space, Windows reserved names), duplicates
(exact, case-insensitive, Unicode-normalised), directories, symlinks and other special files,
encrypted members, compression other than stored/deflate, too many or too large members, high
compression ratios (measured on what is really decompressed, never on header sizes), CRC errors,
overlapping entries, prepended data and trailing data. Each document type passes its own
`ZipPolicy` (allow-list and caps). Failures raise `core.errors.Rejected` with a `zip.*` code.

One archive, one reading. A streaming reader walks the local headers from byte 0; we (and Python's
`zipfile`) index from the central directory at the end. So that both see the same members with the
same bytes, `_check_entries` requires that the entries tile the file back to back — member 1's
local header at byte 0, each next header right where the previous member's data (and data
descriptor) ends, the central directory right after the last one (`zip.gap`, `zip.overlap`) — and
that every local header repeats its central entry: flags, method, CRC-32, both sizes (from the
ZIP64 extra field where the header says 0xFFFFFFFF), name length and name bytes
(`zip.header_mismatch`). Members are inflated here, not by `zipfile`, and a deflate stream must
end exactly at its recorded compressed size (a streaming reader stops where the stream ends).

Data descriptors (flag bit 3: the local CRC and sizes are zero and follow the data) are accepted
as Python's `zipfile` (unseekable output), Info-ZIP `zip -` and Java/.NET streams write them: the
local CRC and sizes must be zero (or already the real ones), and the descriptor — 12 or 16 bytes
(with the optional `PK\x07\x08` signature), 20 or 24 with a ZIP64 local header — must fill exactly
the room up to the next header and repeat the central CRC and sizes. `write_zip` never writes one
(it writes to a seekable buffer), nor does any writer in this app; Windows Explorer, macOS and
Info-ZIP archives of allowed members pass the same checks.
"""

from __future__ import annotations

import hashlib
import io
import re
import stat
import struct
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from tic_desktop.core.errors import Rejected, register

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_EOCD = b"PK\x05\x06"
_EOCD_SIZE = 22
_LOCAL = b"PK\x03\x04"
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³")
}
_SMALL = 64 * 1024
"""Members up to this size are never ratio-checked (a tiny file cannot be a bomb)."""


_DAMAGED_ZH = "请勿使用此文件，并向发送方重新索取。"
_DAMAGED_EN = "Do not use this file; ask the sender for it again."
NOT_ZIP = register("zip.not_zip", "文件内容不是有效的压缩包，可能已损坏或不是本软件生成的文件。" + _DAMAGED_ZH,
                "The content is not a valid ZIP archive; it may be damaged or not made by this app. " + _DAMAGED_EN)
CORRUPT = register("zip.corrupt", "压缩包已损坏。" + _DAMAGED_ZH, "The archive is damaged. " + _DAMAGED_EN)
CRC = register("zip.crc_mismatch", "压缩包中的某个文件校验失败（已损坏）。" + _DAMAGED_ZH,
            "A member of the archive fails its checksum (damaged). " + _DAMAGED_EN)
TRAILING = register("zip.trailing_data", "压缩包末尾有多余数据，文件可能被拼接或改动过。" + _DAMAGED_ZH,
                 "There is extra data after the end of the archive; the file may have been altered. " + _DAMAGED_EN)
PREPENDED = register("zip.prepended_data", "压缩包前面有多余数据，文件可能被拼接或改动过。" + _DAMAGED_ZH,
                  "There is extra data before the archive; the file may have been altered. " + _DAMAGED_EN)
TOO_MANY = register("zip.too_many_members", "压缩包中的文件数量超过上限，可能是恶意文件。" + _DAMAGED_ZH,
                 "The archive holds too many members and may be malicious. " + _DAMAGED_EN)
MEMBER_TOO_LARGE = register("zip.member_too_large", "压缩包中的某个文件超过允许的大小。请向发送方确认文件是否正确。",
                         "A member of the archive exceeds the allowed size. Check with the sender that the file is correct.")
TOTAL_TOO_LARGE = register("zip.total_too_large", "压缩包解压后的总大小超过上限。请向发送方确认文件是否正确。",
                        "The archive's unpacked size exceeds the limit. Check with the sender that the file is correct.")
RATIO = register("zip.ratio_too_high", "压缩包中的某个文件压缩比异常（疑似“压缩炸弹”）。" + _DAMAGED_ZH,
              "A member has an abnormal compression ratio (a suspected zip bomb). " + _DAMAGED_EN)
SIZE_MISMATCH = register("zip.size_mismatch", "压缩包中某个文件的实际大小与记录不符。" + _DAMAGED_ZH,
                      "A member's real size differs from its recorded size. " + _DAMAGED_EN)
ENCRYPTED = register("zip.encrypted_member", "压缩包中含有加密的文件，本软件不接受此类文件。" + _DAMAGED_ZH,
                  "The archive contains an encrypted member, which the app does not accept. " + _DAMAGED_EN)
COMPRESSION = register("zip.unsupported_compression", "压缩包使用了不受支持的压缩方式。请使用本软件生成的原始文件。",
                    "The archive uses an unsupported compression method. Use the original file made by the app.")
DIRECTORY = register("zip.directory_entry", "压缩包中含有不应出现的文件夹条目。" + _DAMAGED_ZH,
                  "The archive contains a directory entry where only files are allowed. " + _DAMAGED_EN)
SYMLINK = register("zip.symlink", "压缩包中含有符号链接，可能是恶意文件。" + _DAMAGED_ZH,
                "The archive contains a symbolic link and may be malicious. " + _DAMAGED_EN)
SPECIAL = register("zip.special_file", "压缩包中含有特殊类型的文件（非普通文件）。" + _DAMAGED_ZH,
                "The archive contains a special (non-regular) file. " + _DAMAGED_EN)
TRAVERSAL = register("zip.path_traversal", "压缩包中的文件名试图指向上级目录（路径穿越），可能是恶意文件。" + _DAMAGED_ZH,
                  "A member name points outside the archive (path traversal); the file may be malicious. " + _DAMAGED_EN)
ABSOLUTE = register("zip.absolute_path", "压缩包中的文件名是绝对路径、盘符或网络路径，可能是恶意文件。" + _DAMAGED_ZH,
                 "A member name is an absolute, drive or network path; the file may be malicious. " + _DAMAGED_EN)
BACKSLASH = register("zip.backslash", "压缩包中的文件名含有反斜杠。" + _DAMAGED_ZH,
                  "A member name contains a backslash. " + _DAMAGED_EN)
CONTROL = register("zip.control_char", "压缩包中的文件名含有控制字符。" + _DAMAGED_ZH,
                "A member name contains a control character. " + _DAMAGED_EN)
INVISIBLE = register("zip.invisible_char", "压缩包中的文件名含有不可见或改变文字方向的字符（可用于伪装文件名）。" + _DAMAGED_ZH,
                  "A member name contains an invisible or direction-changing character (used to disguise names). " + _DAMAGED_EN)
TRAILING_DOT = register("zip.trailing_dot_space", "压缩包中的文件名以点或空格结尾，在 Windows 上不安全。" + _DAMAGED_ZH,
                     "A member name ends in a dot or a space, which is unsafe on Windows. " + _DAMAGED_EN)
RESERVED = register("zip.reserved_name", "压缩包中的文件名是 Windows 保留名（如 CON、NUL、COM1）。" + _DAMAGED_ZH,
                 "A member name is a Windows reserved name (such as CON, NUL, COM1). " + _DAMAGED_EN)
BAD_NAME = register("zip.bad_name", "压缩包中的文件名不符合规定格式。" + _DAMAGED_ZH,
                 "A member name does not have the required form. " + _DAMAGED_EN)
DUPLICATE = register("zip.duplicate_member", "压缩包中有重名的文件（可能仅大小写或编码不同），可能被篡改。" + _DAMAGED_ZH,
                  "The archive holds two members with the same name (perhaps differing only in case or encoding). " + _DAMAGED_EN)
UNEXPECTED = register("zip.unexpected_member", "压缩包中含有不应出现的文件。" + _DAMAGED_ZH,
                   "The archive contains a member that does not belong in this kind of file. " + _DAMAGED_EN)
HEADER_MISMATCH = register(
    "zip.header_mismatch",
    "压缩包中某个文件的本地文件头与中央目录记录不一致（两种读取方式会得到不同内容），文件可能被篡改。" + _DAMAGED_ZH,
    "A member's local header disagrees with its central directory entry (two ZIP readers would see different "
    "content); the file may have been tampered with. " + _DAMAGED_EN,
)
GAP = register(
    "zip.gap", "压缩包中的文件之间有未记录的多余数据，文件可能被改动过。" + _DAMAGED_ZH,
    "The archive has unaccounted data between its members; the file may have been altered. " + _DAMAGED_EN,
)
OVERLAP = register(
    "zip.overlap", "压缩包中的文件相互重叠（疑似“压缩炸弹”或被篡改）。" + _DAMAGED_ZH,
    "Members of the archive overlap each other (a suspected zip bomb or tampering). " + _DAMAGED_EN,
)
MISSING = register("zip.missing_member", "压缩包缺少必需的文件。" + _DAMAGED_ZH,
                "The archive lacks a required member. " + _DAMAGED_EN)


@dataclass(frozen=True)
class MemberRule:
    """Names that fully match `pattern` are allowed, each up to `max_size` bytes."""

    pattern: re.Pattern[str]
    max_size: int


@dataclass(frozen=True)
class ZipPolicy:
    """What one document type allows in its ZIP."""

    rules: Sequence[MemberRule]
    required: frozenset[str]
    max_members: int = 10_000
    max_total: int = 1024 * 1024 * 1024
    max_ratio: int = 200

    def rule_for(self, name: str) -> MemberRule | None:
        return next((r for r in self.rules if r.pattern.fullmatch(name)), None)


def write_zip(members: Mapping[str, bytes], *, stored_suffixes: tuple[str, ...] = ()) -> bytes:
    """A deterministic ZIP: sorted names, fixed timestamps and modes, deflate.

    Names ending in one of `stored_suffixes` are stored, not deflated (PDFs are compressed already:
    deflating them again costs time for nothing)."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, allowZip64=False) as zf:
        for name in sorted(members):
            check_name(name)
            info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
            stored = name.endswith(stored_suffixes) if stored_suffixes else False
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = (stat.S_IFREG | 0o644) << 16
            zf.writestr(info, members[name], compresslevel=None if stored else 6)
    return buf.getvalue()


def check_name(name: str) -> None:
    """Reject member names that are dangerous on any platform, whatever the allow-list says."""
    for ch in name:
        cat = unicodedata.category(ch)
        if ch == "\x00" or cat == "Cc":
            raise Rejected(CONTROL, repr(name)[:120])
        if cat in ("Cf", "Zl", "Zp") or ch in "\u200b\u2060\ufeff":
            raise Rejected(INVISIBLE, repr(name)[:120])
    if (
        name.startswith(("/", "\\"))
        or re.match(r"^[A-Za-z]:", name)
        or re.search(r"(^|[/\\])[A-Za-z]:", name)
    ):
        raise Rejected(ABSOLUTE, repr(name)[:120])
    parts = re.split(r"[/\\]", name)
    if ".." in parts:
        raise Rejected(TRAVERSAL, repr(name)[:120])
    if "\\" in name:
        raise Rejected(BACKSLASH, repr(name)[:120])
    if name.endswith("/"):
        raise Rejected(DIRECTORY, repr(name)[:120])
    for part in parts:
        if part in ("", "."):
            raise Rejected(BAD_NAME, repr(name)[:120])
        if part.endswith((".", " ")) or part.startswith(" "):
            raise Rejected(TRAILING_DOT, repr(name)[:120])
        stem = part.split(".", 1)[0].rstrip(" ").upper()
        if stem in _RESERVED:
            raise Rejected(RESERVED, repr(name)[:120])
        if ":" in part:
            raise Rejected(BAD_NAME, repr(name)[:120])


def _dedupe_key(name: str) -> str:
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", name).casefold())


class _Blob:
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


def _check_layout(blob: _Blob, max_members: int) -> tuple[int, int]:
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
_MAX32 = 0xFFFFFFFF


@dataclass(frozen=True)
class _Span:
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
                if usize == _MAX32:
                    (usize,) = struct.unpack_from("<Q", body, at)
                    at += 8
                if csize == _MAX32:
                    (csize,) = struct.unpack_from("<Q", body, at)
            except struct.error:
                raise Rejected(HEADER_MISMATCH, f"{name!r}: local ZIP64 field lacks a size") from None
            return usize, csize
        pos += 4 + length
    raise Rejected(HEADER_MISMATCH, f"{name!r}: local header marks ZIP64 sizes but has no ZIP64 field")


def _check_entries(blob: _Blob, infos: Sequence[zipfile.ZipInfo], cd_offset: int) -> dict[str, _Span]:
    """Entries back to back from byte 0 to the central directory; each local header = its central entry.

    See the module docstring: this is what makes a streaming reader and us read the same archive."""
    spans: dict[str, _Span] = {}
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
        zip64 = usize == _MAX32 or csize == _MAX32
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
        spans[name] = _Span(data_offset, info.compress_size)
    if pos > cd_offset:
        raise Rejected(OVERLAP, "the last member runs into the central directory")
    if pos < cd_offset:
        raise Rejected(GAP, f"{cd_offset - pos} bytes before the central directory")
    return spans


def _check_descriptor(blob: _Blob, info: zipfile.ZipInfo, at: int, room: int, zip64: bool) -> int:
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


@dataclass(frozen=True)
class Digest:
    """What a streaming check learnt about a member without keeping it: its real size and SHA-256."""

    size: int
    sha256: str


class CheckedZip:
    """An untrusted ZIP whose layout, names and allow-list have passed; members are read on demand.

    The archive lives wherever `fh` is (an in-memory buffer, the user's file, or a private temporary
    file); nothing is extracted. Every read re-applies the member caps and CRC check, so reading a
    member again later is as safe as the first time. `close()` closes `fh` when `owns` is true.
    """

    def __init__(self, fh: BinaryIO, policy: ZipPolicy, *, owns: bool = False) -> None:
        self._fh = fh if owns else None
        self.policy = policy
        blob = _Blob(fh)
        cd_offset, count = _check_layout(blob, policy.max_members)
        fh.seek(0)
        try:
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
            raise Rejected(NOT_ZIP, str(exc)[:200]) from None
        if len(infos) != count:
            raise Rejected(CORRUPT, f"the central directory holds {len(infos)} entries, its end record says {count}")
        self._rules = _check_members(infos, policy)
        self._spans = _check_entries(blob, infos, cd_offset)
        self._blob = blob
        self._infos = {info.orig_filename: info for info in infos}
        self._lock = threading.Lock()

    @property
    def names(self) -> list[str]:
        """Member names in archive order."""
        return list(self._infos)

    def scan(self, keep: Callable[[str], bool] = lambda _name: True) -> tuple[dict[str, bytes], dict[str, Digest]]:
        """Read every member once, in archive order, with every cap: the members `keep` names in
        memory, and the size and SHA-256 of all of them (the others are hashed and dropped)."""
        kept: dict[str, bytes] = {}
        digests: dict[str, Digest] = {}
        total = 0
        with self._lock:
            for name, info in self._infos.items():
                content, digest = _read_member(
                    self._blob, info, self._spans[name], self._rules[name].max_size, self.policy.max_total - total,
                    self.policy.max_ratio, keep=keep(name),
                )
                total += digest.size
                digests[name] = digest
                if content is not None:
                    kept[name] = content
        return kept, digests

    def read(self, name: str) -> bytes:
        """One member into memory, with its member and ratio caps (KeyError for an unknown name)."""
        info = self._infos[name]
        with self._lock:
            content, _digest = _read_member(
                self._blob, info, self._spans[name], self._rules[name].max_size, self.policy.max_total,
                self.policy.max_ratio, keep=True,
            )
        assert content is not None
        return content

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()

    def __enter__(self) -> CheckedZip:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def open_zip(source: bytes | BinaryIO, policy: ZipPolicy, *, owns: bool = False) -> CheckedZip:
    """Check an untrusted ZIP (bytes, or a seekable binary file) against `policy`; read nothing yet.

    With `owns`, the file is closed when the returned archive is closed, or at once on a rejection."""
    fh: BinaryIO = io.BytesIO(source) if isinstance(source, bytes | bytearray | memoryview) else source
    try:
        return CheckedZip(fh, policy, owns=owns)
    except BaseException:
        if owns:
            fh.close()
        raise


def read_zip(data: bytes, policy: ZipPolicy) -> dict[str, bytes]:
    """The members of an untrusted ZIP, checked against `policy`, read into memory."""
    with open_zip(data, policy) as archive:
        return archive.scan()[0]


def _check_members(infos: list[zipfile.ZipInfo], policy: ZipPolicy) -> dict[str, MemberRule]:
    """Names, kinds, duplicates, flags and methods of every entry, then the allow-list."""
    if len(infos) > policy.max_members:
        raise Rejected(TOO_MANY, f"{len(infos)} > {policy.max_members}")
    if infos and min(i.header_offset for i in infos) != 0:
        raise Rejected(PREPENDED, "first member does not start at byte 0")
    seen: dict[str, str] = {}
    rules: dict[str, MemberRule] = {}
    for info in infos:
        name = info.orig_filename
        mode = info.external_attr >> 16
        if info.is_dir() or (info.external_attr & 0x10) or stat.S_ISDIR(mode):
            raise Rejected(DIRECTORY, repr(name)[:120])
        check_name(name)
        if stat.S_ISLNK(mode):
            raise Rejected(SYMLINK, repr(name)[:120])
        if mode and not stat.S_ISREG(mode) and stat.S_IFMT(mode):
            raise Rejected(SPECIAL, f"{name!r} mode {oct(mode)}")
        key = _dedupe_key(name)
        if key in seen:
            raise Rejected(DUPLICATE, f"{seen[key]!r} and {name!r}")
        seen[key] = name
        if info.flag_bits & 0x1:
            raise Rejected(ENCRYPTED, repr(name)[:120])
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise Rejected(COMPRESSION, f"{name!r} method {info.compress_type}")
        if _MAX32 in (info.file_size, info.compress_size, info.header_offset) or info.volume != 0:
            raise Rejected(CORRUPT, f"{name!r}: ZIP64 marker without a ZIP64 field, or another disk")
    for info in infos:
        name = info.orig_filename
        rule = policy.rule_for(name)
        if rule is None:
            raise Rejected(UNEXPECTED, repr(name)[:120])
        rules[name] = rule
    missing = sorted(policy.required - set(rules))
    if missing:
        raise Rejected(MISSING, ", ".join(missing))
    return rules


_CHUNK = 256 * 1024


def _read_member(
    blob: _Blob, info: zipfile.ZipInfo, span: _Span, member_cap: int, total_left: int, ratio: int, *, keep: bool
) -> tuple[bytes | None, Digest]:
    """Inflate one member in chunks from its checked span, hashing it; its bytes if `keep`.

    Nothing here trusts the recorded uncompressed size: output stops one byte past the smallest cap
    (member, total, ratio); the CRC-32 and size are compared at the end, and a deflate stream must
    end exactly at the recorded compressed size (no bytes hidden after it, none missing)."""
    name = info.orig_filename
    ratio_cap = max(info.compress_size * ratio, _SMALL)
    limit = min(member_cap, total_left, ratio_cap)
    hasher = hashlib.sha256()
    parts: list[bytes] = []
    size = 0
    crc = 0
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    pos, left = span.data_offset, span.compress_size

    def take(chunk: bytes) -> None:
        nonlocal size, crc
        size += len(chunk)
        if size > limit:
            if limit == member_cap:
                raise Rejected(MEMBER_TOO_LARGE, f"{name!r} > {member_cap} bytes")
            if limit == total_left:
                raise Rejected(TOTAL_TOO_LARGE, f"at {name!r}")
            raise Rejected(RATIO, f"{name!r} expands more than {ratio}:1")
        crc = zlib.crc32(chunk, crc)
        hasher.update(chunk)
        if keep:
            parts.append(chunk)

    try:
        pending = b""
        while True:
            if not pending:
                if left == 0:
                    break
                pending = blob.read_at(pos, min(_CHUNK, left))
                if not pending:
                    raise Rejected(CORRUPT, f"{name!r}: the archive ends inside the member")
                pos += len(pending)
                left -= len(pending)
            if inflater is None:
                take(pending)
                pending = b""
                continue
            # bounded output per call: a bomb never inflates past the cap + one chunk
            out = inflater.decompress(pending, min(_CHUNK, limit + 1 - size))
            pending = inflater.unconsumed_tail
            if out:
                take(out)
            if inflater.eof:
                break
        if inflater is not None:
            if not inflater.eof:
                take(inflater.flush())
            if not inflater.eof:
                raise Rejected(CORRUPT, f"{name!r}: the compressed data is cut short")
            if left or pending or inflater.unused_data:
                raise Rejected(SIZE_MISMATCH, f"{name!r}: the compressed data ends before its recorded size")
    except Rejected:
        raise
    except (zlib.error, OSError, ValueError) as exc:
        raise Rejected(CORRUPT, f"{name!r}: {str(exc)[:160]}") from None
    if crc != info.CRC:
        raise Rejected(CRC, f"{name!r}: CRC-32 {crc:08x}, recorded {info.CRC:08x}")
    if size != info.file_size:
        raise Rejected(SIZE_MISMATCH, f"{name!r}: {size} bytes, header says {info.file_size}")
    content = (parts[0] if len(parts) == 1 else b"".join(parts)) if keep else None
    return content, Digest(size, hasher.hexdigest())
