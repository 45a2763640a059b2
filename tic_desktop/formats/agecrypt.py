"""age encryption (C2SP age v1) through pyrage, with the checks pyrage does not make for us (and our
own readers first where they are faster or keep the GIL free: `age_x25519`, `age_passphrase`).

Before pyrage sees a file we parse its header: only the binary format, at most a few stanzas,
a scrypt stanza alone and with a work factor (log2 N) no higher than `max_log_n`, so a hostile
file cannot make us spend minutes in scrypt. Every failure is a `core.errors.Rejected` with an
`age.*` code; a wrong passphrase and a wrong identity have their own codes so the UI can ask again.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import BinaryIO, Literal

import pyrage

from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import age_passphrase, age_x25519

AGE_MAGIC = b"age-encryption.org/v1\n"
AGE_ARMOR = b"-----BEGIN AGE ENCRYPTED FILE-----"
ZIP_MAGIC = b"PK\x03\x04"
MAX_HEADER = 16 * 1024
MAX_STANZAS = 64
MAX_LOG_N = 22

MALFORMED = register(
    "age.malformed", "加密文件的文件头已损坏或不受支持。请向发送方重新索取文件。",
    "The encrypted file's header is damaged or unsupported. Ask the sender for the file again.",
)
ARMORED = register(
    "age.armored_unsupported", "这是文本（ASCII armor）形式的加密文件，本软件只接受二进制格式。请使用本软件生成的原始文件。",
    "This is an ASCII-armored age file; the app accepts only the binary format. Use the original file made by the app.",
)
WORK_FACTOR = register(
    "age.work_factor_too_high", "加密文件要求的口令计算量过大，可能是恶意文件。请勿使用此文件，并联系发送方。",
    "The file demands an excessive passphrase work factor and may be malicious. Do not use it; contact the sender.",
)
PASSPHRASE_REQUIRED = register(
    "age.passphrase_required", "此文件用口令加密。请输入发送方另行告知的口令。",
    "This file is encrypted with a passphrase. Enter the passphrase the sender gave you separately.",
)
IDENTITY_REQUIRED = register(
    "age.identity_required", "此文件是加密给特定密钥的。请选择您的私钥（身份）文件后再打开。",
    "This file is encrypted to specific keys. Choose your private key (identity) file and open it again.",
)
WRONG_PASSPHRASE = register(
    "age.wrong_passphrase", "口令不正确，无法解密。请核对后重新输入。",
    "The passphrase is wrong; the file could not be decrypted. Check it and enter it again.",
)
WRONG_IDENTITY = register(
    "age.wrong_identity", "此文件不是加密给您的密钥的（或文件头已损坏）。请确认选择了正确的私钥文件，或向发送方索取发给您的文件。",
    "This file was not encrypted to your key (or its header is damaged). Check the key file, or ask the sender for the file meant for you.",
)
BAD_IDENTITY = register(
    "age.identity_invalid", "私钥（身份）文件格式不正确。请选择以 AGE-SECRET-KEY-1 开头的密钥文件。",
    "The private key (identity) file is not valid. Choose a key file with an AGE-SECRET-KEY-1 line.",
)
DECRYPT_FAILED = register(
    "age.decrypt_failed", "解密失败：文件已损坏或被截断。请向发送方重新索取文件。",
    "Decryption failed: the file is damaged or truncated. Ask the sender for the file again.",
)
TOO_LARGE = register(
    "age.output_too_large", "解密后的内容超过允许的大小。请向发送方确认文件是否正确。",
    "The decrypted content exceeds the allowed size. Check with the sender that the file is correct.",
)

_STANZA_ARG = re.compile(r"^[\x21-\x7e]+$")
_LOG_N = re.compile(r"^[1-9][0-9]?$")
_SALT = re.compile(r"^[A-Za-z0-9+/]{22}$")

Envelope = Literal["age", "age_armored", "zip", "unknown"]


def detect(data: bytes) -> Envelope:
    """What a file is by its first bytes: binary age, armored age, a plain ZIP, or neither."""
    if data.startswith(AGE_MAGIC):
        return "age"
    if data[:256].lstrip().startswith(AGE_ARMOR):
        return "age_armored"
    if data.startswith(ZIP_MAGIC):
        return "zip"
    return "unknown"


def encrypt_to_recipients(data: bytes, recipients: Sequence[str]) -> bytes:
    """Encrypt to X25519 recipients ("age1…")."""
    if not recipients:
        raise ValueError("at least one recipient is required")
    parsed = [pyrage.x25519.Recipient.from_str(r.strip()) for r in recipients]
    return pyrage.encrypt(data, parsed)


def encrypt_with_passphrase(data: bytes, passphrase: bytes) -> bytes:
    """Encrypt to a passphrase (scrypt stanza, which age requires to be the only one)."""
    if not passphrase:
        raise ValueError("empty passphrase")
    return pyrage.passphrase.encrypt(data, passphrase.decode("utf-8"))


def header_stanzas(data: bytes) -> list[list[str]]:
    """The stanza argument lines of an age header (`-> type args…`), checked for shape only."""
    if not data.startswith(AGE_MAGIC):
        raise Rejected(MALFORMED, "not an age file")
    end = data.find(b"\n--- ", 0, MAX_HEADER)
    if end < 0:
        raise Rejected(MALFORMED, "header too long or truncated")
    try:
        header = data[len(AGE_MAGIC):end].decode("ascii")
    except UnicodeDecodeError:
        raise Rejected(MALFORMED, "non-ASCII header") from None
    stanzas: list[list[str]] = []
    for line in header.split("\n"):
        if line.startswith("-> "):
            args = line[3:].split(" ")
            if not args or not all(_STANZA_ARG.match(a) for a in args):
                raise Rejected(MALFORMED, "bad stanza line")
            stanzas.append(args)
            if len(stanzas) > MAX_STANZAS:
                raise Rejected(MALFORMED, "too many stanzas")
    if not stanzas:
        raise Rejected(MALFORMED, "no recipient stanza")
    return stanzas


def _recipient_check(
    head: bytes, *, identities: Sequence[str], passphrase: bytes | None, max_log_n: int
) -> str | list[pyrage.x25519.Identity]:
    """The header checks made before pyrage runs: the passphrase (as text) or the parsed identities."""
    kind = detect(head)
    if kind == "age_armored":
        raise Rejected(ARMORED)
    stanzas = header_stanzas(head)
    scrypt = [s for s in stanzas if s[0] == "scrypt"]
    if scrypt:
        if len(stanzas) != 1:
            raise Rejected(MALFORMED, "a scrypt stanza must be the only stanza")
        args = scrypt[0]
        if len(args) != 3 or not _SALT.match(args[1]) or not _LOG_N.match(args[2]):
            raise Rejected(MALFORMED, "bad scrypt stanza")
        if int(args[2]) > max_log_n:
            raise Rejected(WORK_FACTOR, f"log2 N = {args[2]} > {max_log_n}")
        if passphrase is None:
            raise Rejected(PASSPHRASE_REQUIRED)
        try:
            return passphrase.decode("utf-8", errors="strict")
        except UnicodeDecodeError:
            raise Rejected(WRONG_PASSPHRASE, "passphrase is not UTF-8") from None
    if not identities:
        raise Rejected(IDENTITY_REQUIRED)
    parsed: list[pyrage.x25519.Identity] = []
    for ident in identities:
        try:
            parsed.append(pyrage.x25519.Identity.from_str(ident.strip()))
        except pyrage.IdentityError as exc:
            raise Rejected(BAD_IDENTITY, str(exc)[:200]) from None
    return parsed


def _passphrase_decrypt(data: bytes, passphrase: str) -> bytes:
    # our own scrypt-stanza reader first: rage refuses a work factor it judges "excessive" for this
    # machine *right now* (a batch sealed on the agency's fast desktop, opened on a busy or slow laptop);
    # the cap that protects us is `max_log_n`, checked before. It also leaves the GIL free during scrypt.
    try:
        return age_passphrase.decrypt(data, passphrase)
    except age_passphrase.WrongPassphrase as exc:
        if not str(exc).startswith(("chunk", "header")):  # the stanza does not open: the passphrase is wrong
            raise Rejected(WRONG_PASSPHRASE, "the passphrase does not open the file") from None
    except (age_passphrase.Unsupported, ValueError, MemoryError):
        pass  # a changed header or payload, or a shape we do not read: rage says what it is
    try:
        return pyrage.passphrase.decrypt(data, passphrase)
    except pyrage.DecryptError as exc:
        text = str(exc)
        code = WRONG_PASSPHRASE if ("Decryption failed" in text or "No matching keys" in text) else DECRYPT_FAILED
        raise Rejected(code, text[:200]) from None


def _identity_error(exc: Exception) -> Rejected:
    text = str(exc)
    code = WRONG_IDENTITY if "No matching keys" in text else DECRYPT_FAILED
    return Rejected(code, text[:200])


def decrypt(
    data: bytes,
    *,
    identities: Sequence[str] = (),
    passphrase: bytes | None = None,
    max_output: int,
    max_log_n: int = MAX_LOG_N,
) -> bytes:
    """Decrypt a binary age file with identity strings ("AGE-SECRET-KEY-1…") or a passphrase."""
    key = _recipient_check(data, identities=identities, passphrase=passphrase, max_log_n=max_log_n)
    if isinstance(key, str):
        out = _passphrase_decrypt(data, key)
    else:
        try:  # our reader first (twice as fast); it only ever opens a file with proof, else pyrage decides
            out = age_x25519.decrypt(data, identities)
        except age_x25519.NotOpened:
            try:
                out = pyrage.decrypt(data, key)
            except pyrage.DecryptError as exc:
                raise _identity_error(exc) from None
    if len(out) > max_output:
        raise Rejected(TOO_LARGE, f"{len(out)} bytes > {max_output}")
    return out


class _CappedWriter:
    """What pyrage writes the plaintext through: refuses to grow past the cap, remembers its own errors."""

    def __init__(self, out: BinaryIO, cap: int) -> None:
        self.out, self.cap, self.size = out, cap, 0
        self.error: BaseException | None = None

    def write(self, data: bytes) -> int:
        if self.size + len(data) > self.cap:
            self.error = Rejected(TOO_LARGE, f"more than {self.cap} bytes")
            raise self.error
        try:
            written = self.out.write(data)
        except BaseException as exc:
            self.error = exc
            raise
        self.size += len(data)
        return written


def decrypt_file(
    source: BinaryIO,
    out: BinaryIO,
    *,
    identities: Sequence[str] = (),
    passphrase: bytes | None = None,
    max_input: int,
    max_output: int,
    max_log_n: int = MAX_LOG_N,
) -> int:
    """Decrypt the age file `source` (a binary file at its start) into `out`; returns the plaintext size.

    The same checks and error codes as `decrypt`. With identities the plaintext is streamed
    (pyrage's `decrypt_io`), so neither the ciphertext nor the plaintext is held in memory as a
    whole; pyrage 1.4 has no streaming passphrase decryption, so for a passphrase the ciphertext
    (at most `max_input` bytes) and the plaintext pass through memory once before reaching `out`.
    Errors raised by `out` itself (a full disk…) propagate unchanged.
    """
    head = source.read(MAX_HEADER)
    key = _recipient_check(head, identities=identities, passphrase=passphrase, max_log_n=max_log_n)
    if isinstance(key, str):
        end = source.seek(0, io.SEEK_END)
        source.seek(0)
        # read() preallocates its argument: ask for what the file holds, not the cap
        data = source.read(min(end, max_input) + 1)
        if len(data) > max_input:
            raise Rejected(TOO_LARGE, f"more than {max_input} bytes")
        plain = _passphrase_decrypt(data, key)
        del data
        if len(plain) > max_output:
            raise Rejected(TOO_LARGE, f"{len(plain)} bytes > {max_output}")
        out.write(plain)
        return len(plain)
    source.seek(0)
    writer = _CappedWriter(out, max_output)
    try:
        pyrage.decrypt_io(source, writer, key)
    except BaseException as exc:
        if writer.error is not None:
            raise writer.error from None
        if isinstance(exc, pyrage.DecryptError | OSError | ValueError):
            # a damaged or truncated payload surfaces from decrypt_io as OSError("decryption error")
            raise _identity_error(exc) from None
        raise
    return writer.size


def identities_from_text(text: str) -> list[str]:
    """The AGE-SECRET-KEY-1 lines of an identity file's text (comments and blanks skipped)."""
    keys = [ln.strip() for ln in text.splitlines() if ln.strip() and not ln.lstrip().startswith("#")]
    if not keys or not all(k.startswith("AGE-SECRET-KEY-1") for k in keys):
        raise Rejected(BAD_IDENTITY, "expected AGE-SECRET-KEY-1… lines")
    return keys
