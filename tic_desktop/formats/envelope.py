"""The signed container shared by .ticbatch and .ticsheet: seal on write, open on read.

    [age (recipients or passphrase)] → ZIP → <body>.json (canonical JSON) + <body>.json.sig (SSHSIG)

`open_envelope` runs the generic part of the import pipeline in order — size cap, age decrypt,
ZIP checks, SSHSIG over the exact body bytes, strict JSON — and returns the members, the body
bytes and the signer. Document modules (batch, sheet) add the pinned-key, schema, version and
semantic checks. Everything raises `core.errors.Rejected`; document modules re-raise as their own
subclass.

Where the bytes live: the source is bytes (kept by the caller) or a file (read, never held whole:
a plain ZIP is read in place through an open handle). Members a `DocumentType` calls `lazy` (the
PDFs of a batch) are hashed while the ZIP is checked and dropped; they are read again, one at a
time, from `OpenedEnvelope.archive`. Decrypted plaintext goes to memory unless the caller passes
`spool_dir`: then it goes to an anonymous temporary file there (created 0600 by `tempfile`,
unlinked at once on POSIX, delete-on-close on Windows), kept open by the archive and gone when
it is closed (or the process ends). Without `spool_dir` nothing here writes to disk.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pydantic import ValidationError

from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import agecrypt, container, sshsig, strictjson
from tic_desktop.formats.container import ZipPolicy
from tic_desktop.formats.strictjson import JsonLimits

EMPTY = register(
    "size.empty", "文件是空的。请检查是否选错了文件，或向发送方重新索取。",
    "The file is empty. Check that you chose the right file, or ask the sender for it again.",
)
TOO_LARGE = register(
    "size.too_large", "文件过大，超过允许的上限。请确认选择了正确的文件。",
    "The file is larger than the allowed limit. Check that you chose the right file.",
)
UNREADABLE = register(
    "io.unreadable", "无法读取该文件。请确认文件存在且未被其他程序占用，或复制到本机后再试。",
    "The file cannot be read. Check that it exists and is not in use, or copy it to this computer and try again.",
)
UNKNOWN_TYPE = register(
    "format.not_recognized", "无法识别的文件类型（既不是加密文件也不是压缩包）。请确认选择了本软件生成的文件。",
    "The file type is not recognised (neither an age file nor a ZIP). Check that you chose a file made by this app.",
)
ENCRYPTION_REQUIRED = register(
    "age.encryption_required", "此文件未加密，但此类文件必须加密。请向发送方索取加密后的文件。",
    "This file is not encrypted, but this kind of file must be. Ask the sender for the encrypted file.",
)
EMPTY_SIGNATURE = register(
    "sig.missing", "文件缺少签名或签名为空。请勿使用此文件，并向发送方重新索取。",
    "The signature is missing or empty. Do not use this file; ask the sender for it again.",
)

ID = r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}"


def rule(pattern: str, max_size: int) -> container.MemberRule:
    return container.MemberRule(re.compile(pattern), max_size)


@dataclass(frozen=True)
class DocumentType:
    """Everything the generic pipeline needs to know about one kind of signed file."""

    label: str
    body_member: str
    signature_member: str
    namespace: str
    zip_policy: ZipPolicy
    max_file_size: int
    json_limits: JsonLimits = JsonLimits()
    require_encryption: bool = False
    max_log_n: int = agecrypt.MAX_LOG_N
    lazy: re.Pattern[str] | None = None
    """Members (full match) that are checked and hashed but not kept in memory."""


@dataclass(frozen=True)
class OpenedEnvelope:
    members: dict[str, bytes]
    """Every member except the body, its signature and the lazy ones."""
    body_bytes: bytes
    body: Any
    """The strictly parsed canonical JSON of the body (not yet schema-checked)."""
    signer: Ed25519PublicKey
    signer_fingerprint: str
    encrypted: bool
    digests: dict[str, container.Digest] = field(default_factory=dict)
    """Real size and SHA-256 of every member except the body and its signature (lazy ones too)."""
    archive: container.CheckedZip | None = None
    """Open when the document type has lazy members: read them here, then close it."""

    def close(self) -> None:
        if self.archive is not None:
            self.archive.close()


def seal_zip(doc: DocumentType, body: bytes, members: Mapping[str, bytes], key: Ed25519PrivateKey) -> bytes:
    """The deterministic ZIP of `members` + the body + its SSHSIG signature (not encrypted)."""
    everything = dict(members)
    everything[doc.body_member] = body
    everything[doc.signature_member] = sshsig.sign(body, key, doc.namespace)
    return container.write_zip(everything)


def encrypt(doc: DocumentType, data: bytes, *, passphrase: bytes | None = None, recipients: Sequence[str] = ()) -> bytes:
    """age-encrypt a sealed ZIP to a passphrase or to recipients (never both, as age requires)."""
    if passphrase and recipients:
        raise ValueError("age allows a passphrase or recipients, not both")
    if passphrase:
        return agecrypt.encrypt_with_passphrase(data, passphrase)
    if recipients:
        return agecrypt.encrypt_to_recipients(data, recipients)
    if doc.require_encryption:
        raise ValueError(f"a {doc.label} must be encrypted")
    return data


def read_source(source: Path | bytes, max_size: int) -> bytes:
    """The raw bytes, with the size gate applied before reading a file into memory."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    else:
        path = Path(source)
        try:
            size = os.stat(path).st_size
            if size > max_size:
                raise Rejected(TOO_LARGE, f"{size} bytes > {max_size}")
            with open(path, "rb") as fh:
                # read() preallocates its argument: ask for what the file holds, not the cap
                data = fh.read(min(size, max_size) + 1)
        except Rejected:
            raise
        except OSError as exc:
            raise Rejected(UNREADABLE, f"{path}: {exc.strerror or exc}") from None
    if not data:
        raise Rejected(EMPTY)
    if len(data) > max_size:
        raise Rejected(TOO_LARGE, f"{len(data)} bytes > {max_size}")
    return data


SPOOL_IN_MEMORY = 8 * 1024 * 1024
"""Decrypted plaintext up to this size stays in memory even when a spool folder is given."""


def _spool(spool_dir: Path | None) -> BinaryIO:
    """Where decrypted plaintext goes: memory, or (past SPOOL_IN_MEMORY) an anonymous 0600 file
    in `spool_dir`, removed when closed."""
    if spool_dir is None:
        return io.BytesIO()
    return tempfile.SpooledTemporaryFile(max_size=SPOOL_IN_MEMORY, dir=spool_dir)  # type: ignore[return-value]


def _plaintext(
    doc: DocumentType, source: Path | bytes, cap: int, passphrase: bytes | None, identities: Sequence[str],
    spool_dir: Path | None,
) -> tuple[BinaryIO, bool]:
    """The plaintext ZIP as a seekable binary file (which the caller closes) and whether it was encrypted."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = read_source(source, cap)
        kind = agecrypt.detect(data)
        if kind not in ("age", "age_armored"):
            _check_plain(doc, kind)
            return io.BytesIO(data), False
        plain = agecrypt.decrypt(
            data, identities=identities, passphrase=passphrase, max_output=doc.zip_policy.max_total,
            max_log_n=doc.max_log_n,
        )
        if spool_dir is None:
            return io.BytesIO(plain), True
        out = _spool(spool_dir)
        try:
            out.write(plain)
        except BaseException:
            out.close()
            raise
        return out, True
    path = Path(source)
    try:
        size = os.stat(path).st_size
        if size > cap:
            raise Rejected(TOO_LARGE, f"{size} bytes > {cap}")
        fh: BinaryIO = open(path, "rb")  # noqa: SIM115 - returned open, closed by the caller
    except Rejected:
        raise
    except OSError as exc:
        raise Rejected(UNREADABLE, f"{path}: {exc.strerror or exc}") from None
    try:
        try:
            head = fh.read(agecrypt.MAX_HEADER)
            size = os.fstat(fh.fileno()).st_size
        except OSError as exc:
            raise Rejected(UNREADABLE, f"{path}: {exc.strerror or exc}") from None
        if not head:
            raise Rejected(EMPTY)
        if size > cap:
            raise Rejected(TOO_LARGE, f"{size} bytes > {cap}")
        kind = agecrypt.detect(head)
        if kind not in ("age", "age_armored"):
            _check_plain(doc, kind)
            fh.seek(0)
            return fh, False  # a plain ZIP is read in place
        fh.seek(0)
    except BaseException:
        fh.close()
        raise
    with fh:
        out = _spool(spool_dir)
        try:
            agecrypt.decrypt_file(
                fh, out, identities=identities, passphrase=passphrase, max_input=cap,
                max_output=doc.zip_policy.max_total, max_log_n=doc.max_log_n,
            )
        except BaseException:
            out.close()
            raise
        return out, True


def _check_plain(doc: DocumentType, kind: str) -> None:
    if kind == "zip":
        if doc.require_encryption:
            raise Rejected(ENCRYPTION_REQUIRED)
    else:
        raise Rejected(UNKNOWN_TYPE)


def open_envelope(
    doc: DocumentType,
    source: Path | bytes,
    *,
    passphrase: bytes | None = None,
    identities: Sequence[str] = (),
    max_file_size: int | None = None,
    check_signer: Callable[[str], None] | None = None,
    spool_dir: Path | None = None,
) -> OpenedEnvelope:
    """Run size → decrypt → ZIP → signature (→ `check_signer(fingerprint)`) → strict JSON.

    When `doc.lazy` names members, the result's `archive` stays open: the caller closes it
    (`OpenedEnvelope.close()`); on a rejection everything is closed here."""
    cap = doc.max_file_size if max_file_size is None else max_file_size
    plain, encrypted = _plaintext(doc, source, cap, passphrase, identities, spool_dir)
    archive = container.open_zip(plain, doc.zip_policy, owns=True)
    try:
        lazy = doc.lazy
        members, digests = archive.scan(keep=lambda name: lazy is None or not lazy.fullmatch(name))
        body_bytes = members.pop(doc.body_member)
        signature = members.pop(doc.signature_member)
        del digests[doc.body_member], digests[doc.signature_member]
        if not signature.strip():
            raise Rejected(EMPTY_SIGNATURE)
        signer = sshsig.verify(body_bytes, signature, doc.namespace)
        if check_signer is not None:
            check_signer(sshsig.fingerprint(signer))
        body = strictjson.parse(body_bytes, doc.json_limits)
    except BaseException:
        archive.close()
        raise
    keep_open = len(members) < len(digests)
    if not keep_open:
        archive.close()
    return OpenedEnvelope(
        members=members, body_bytes=body_bytes, body=body, signer=signer,
        signer_fingerprint=sshsig.fingerprint(signer), encrypted=encrypted, digests=digests,
        archive=archive if keep_open else None,
    )


UNKNOWN_FORMAT = register(
    "format.unknown", "这不是本软件可读的文件类型。请确认选择了正确的文件。",
    "This is not a kind of file the app can read. Check that you chose the right file.",
)
BAD_VERSION = register(
    "format.version_invalid", "文件的格式版本号无效。请向发送方索取由本软件生成的文件。",
    "The file's format version is invalid. Ask the sender for a file made by this app.",
)
UNSUPPORTED_VERSION = register(
    "format.unsupported_version", "文件格式版本与本软件不兼容。请安装与发送方相同版本的本软件。",
    "The file's format version is not compatible with this app. Install the same version of the app as the sender.",
)
UPDATE_REQUIRED = register(
    "format.update_required", "此文件由更新版本的软件生成。请先升级本软件，再打开此文件。",
    "This file was made by a newer version of the app. Update the app, then open the file again.",
)
_VERSION_RE = re.compile(r"^([1-9][0-9]{0,2})\.(0|[1-9][0-9]{0,2})$")


def check_format(body: Any, expected_format: str, supported_version: str) -> None:
    """Format name and "MAJOR.MINOR" version: unknown format or another major → reject;
    a higher minor → "update the app" (strict schemas cannot safely skip new fields)."""
    if not isinstance(body, dict) or body.get("format") != expected_format:
        found = body.get("format") if isinstance(body, dict) else type(body).__name__
        raise Rejected(UNKNOWN_FORMAT, repr(found)[:80])
    version = body.get("format_version")
    match = _VERSION_RE.match(version) if isinstance(version, str) else None
    if match is None:
        raise Rejected(BAD_VERSION, repr(version)[:40])
    major, minor = int(match.group(1)), int(match.group(2))
    our_major, our_minor = (int(x) for x in supported_version.split("."))
    if major != our_major:
        raise Rejected(UNSUPPORTED_VERSION, f"{version} (this app reads {our_major}.x)")
    if minor > our_minor:
        raise Rejected(UPDATE_REQUIRED, f"{version} > {supported_version}")


SCHEMA_INVALID = register(
    "schema.invalid", "文件内容不符合规定的结构（字段缺失、多余或类型错误）。请向发送方索取由本软件生成的文件。",
    "The content does not match the required structure (missing, extra or mistyped fields). Ask the sender for a file made by this app.",
)


def schema_detail(exc: ValidationError, where: str = "") -> str:
    """A short description of the first validation errors, naming the field paths."""
    parts = []
    for err in exc.errors()[:3]:
        loc = ".".join(str(x) for x in err.get("loc", ()))
        parts.append(f"{loc}: {err.get('msg', '')}"[:160])
    text = "; ".join(parts)
    return f"{where}: {text}" if where else text
