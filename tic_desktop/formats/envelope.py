"""The signed container shared by .ticbatch and .ticsheet: seal on write, open on read.

    [age (recipients or passphrase)] → ZIP → <body>.json (canonical JSON) + <body>.json.sig (SSHSIG)

`open_envelope` runs the generic part of the import pipeline in order — size cap, age decrypt,
ZIP checks, SSHSIG over the exact body bytes, strict JSON — and returns the members, the body
bytes and the signer. Document modules (batch, sheet) add the pinned-key, schema, version and
semantic checks. Everything raises `core.errors.Rejected`; document modules re-raise as their own
subclass. Nothing here writes to disk.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

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


@dataclass(frozen=True)
class OpenedEnvelope:
    members: dict[str, bytes]
    """Every member except the body and its signature."""
    body_bytes: bytes
    body: Any
    """The strictly parsed canonical JSON of the body (not yet schema-checked)."""
    signer: Ed25519PublicKey
    signer_fingerprint: str
    encrypted: bool


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


def open_envelope(
    doc: DocumentType,
    source: Path | bytes,
    *,
    passphrase: bytes | None = None,
    identities: Sequence[str] = (),
    max_file_size: int | None = None,
    check_signer: Callable[[str], None] | None = None,
) -> OpenedEnvelope:
    """Run size → decrypt → ZIP → signature (→ `check_signer(fingerprint)`) → strict JSON."""
    cap = doc.max_file_size if max_file_size is None else max_file_size
    data = read_source(source, cap)
    kind = agecrypt.detect(data)
    encrypted = kind in ("age", "age_armored")
    if encrypted:
        data = agecrypt.decrypt(
            data, identities=identities, passphrase=passphrase, max_output=doc.zip_policy.max_total,
            max_log_n=doc.max_log_n,
        )
    elif kind == "zip":
        if doc.require_encryption:
            raise Rejected(ENCRYPTION_REQUIRED)
    else:
        raise Rejected(UNKNOWN_TYPE)
    members = container.read_zip(data, doc.zip_policy)
    body_bytes = members.pop(doc.body_member)
    signature = members.pop(doc.signature_member)
    if not signature.strip():
        raise Rejected(EMPTY_SIGNATURE)
    signer = sshsig.verify(body_bytes, signature, doc.namespace)
    if check_signer is not None:
        check_signer(sshsig.fingerprint(signer))
    body = strictjson.parse(body_bytes, doc.json_limits)
    return OpenedEnvelope(
        members=members, body_bytes=body_bytes, body=body, signer=signer,
        signer_fingerprint=sshsig.fingerprint(signer), encrypted=encrypted,
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
