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

The byte layout (entries back to back from byte 0, local headers equal to their central entries,
data descriptors) is checked in `formats.zip_layout`; the `zip.*` codes live in `formats.zip_codes`.
"""
from __future__ import annotations

import hashlib
import io
import re
import stat
import threading
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import BinaryIO

from tic_desktop.core.errors import Rejected
from tic_desktop.formats.zip_codes import (
    ABSOLUTE,
    BACKSLASH,
    BAD_NAME,
    COMPRESSION,
    CONTROL,
    CORRUPT,
    CRC,
    DIRECTORY,
    DUPLICATE,
    ENCRYPTED,
    INVISIBLE,
    MEMBER_TOO_LARGE,
    MISSING,
    NOT_ZIP,
    PREPENDED,
    RATIO,
    RESERVED,
    SIZE_MISMATCH,
    SPECIAL,
    SYMLINK,
    TOO_MANY,
    TOTAL_TOO_LARGE,
    TRAILING_DOT,
    TRAVERSAL,
    UNEXPECTED,
)
from tic_desktop.formats.zip_layout import MAX32, Blob, Span, check_entries, check_layout

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
_RESERVED = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$", "CLOCK$"} | {
    f"{p}{n}" for p in ("COM", "LPT") for n in ("0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "¹", "²", "³")
}
_SMALL = 64 * 1024
"""Members up to this size are never ratio-checked (a tiny file cannot be a bomb)."""


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
        blob = Blob(fh)
        cd_offset, count = check_layout(blob, policy.max_members)
        fh.seek(0)
        try:
            with zipfile.ZipFile(fh) as zf:
                infos = zf.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError, OSError, NotImplementedError) as exc:
            raise Rejected(NOT_ZIP, str(exc)[:200]) from None
        if len(infos) != count:
            raise Rejected(CORRUPT, f"the central directory holds {len(infos)} entries, its end record says {count}")
        self._rules = _check_members(infos, policy)
        self._spans = check_entries(blob, infos, cd_offset)
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
        if MAX32 in (info.file_size, info.compress_size, info.header_offset) or info.volume != 0:
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
    blob: Blob, info: zipfile.ZipInfo, span: Span, member_cap: int, total_left: int, ratio: int, *, keep: bool
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
