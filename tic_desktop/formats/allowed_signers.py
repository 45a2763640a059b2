"""OpenSSH `allowed_signers` files: which Ed25519 keys may sign score sheets (namespace `tic-sheet-v1`).

`parse_allowed_signers(text)` reads a file as `ssh-keygen -Y verify` would for a sheet signature;
`allowed_signers_line(expert_id, key)` writes the line for one expert. Used by formats.sheet (an
expert's key checked against the file), the agency's registry and the command line.
"""

from __future__ import annotations

import base64
import calendar
import re
import time
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tic_desktop.core.errors import SheetRejected, register
from tic_desktop.formats import sshsig

SHEET_NAMESPACE = "tic-sheet-v1"
"""The sshsig namespace score sheets are signed in (formats.sheet)."""

BAD_ALLOWED_SIGNERS = register("sheet.allowed_signers_invalid", "可信签名者（allowed_signers）文件格式不正确。请检查该文件。",
                            "The allowed_signers file is malformed. Check the file.")

_KEY_TYPES = ("ssh-", "ecdsa-", "sk-")


@dataclass(frozen=True)
class _SignerOptions:
    cert_authority: bool = False
    namespaces: str | None = None
    valid_after: int = 0
    """Seconds since the epoch; 0 = not set (as in OpenSSH)."""
    valid_before: int = 0


def parse_allowed_signers(text: str, *, now: float | None = None) -> dict[str, list[str]]:
    """principal → fingerprints of the Ed25519 keys allowed to sign `tic-sheet-v1` at `now`.

    Follows `ssh-keygen -Y verify` (OpenSSH sshsig.c) so that we never accept a sheet it refuses:
    options are `cert-authority`, `namespaces="…"`, `valid-after="…"`, `valid-before="…"` (names in
    any case, values quoted, each at most once, anything else is an error); a `cert-authority`
    line names a CA, which cannot vouch for the plain-key signatures of sheets, so it is skipped;
    `namespaces` is an OpenSSH pattern list (`*`, `?`, `!negation`, case-sensitive, no spaces
    trimmed); a key outside its validity window at `now` (default: the current time, as ssh-keygen)
    is skipped. Principals are taken literally (OpenSSH also reads them as patterns; a pattern
    here simply enrols no one). A malformed line rejects the whole file."""
    when = int(time.time() if now is None else now)
    out: dict[str, list[str]] = {}
    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip(" \t\r")
        if not line or line.startswith("#"):
            continue
        head = re.match(r"([^ \t]+)[ \t]+(.*)", line)
        if head is None:
            raise SheetRejected(BAD_ALLOWED_SIGNERS, f"line {n}")
        principals, rest = head.groups()
        opts = _SignerOptions()
        if rest and not rest.startswith(_KEY_TYPES):
            token, rest = _split_options(rest)
            try:
                opts = _parse_options(token)
            except ValueError as exc:
                raise SheetRejected(BAD_ALLOWED_SIGNERS, f"line {n}: options: {exc}") from None
        parts = rest.split()
        if len(parts) < 2:
            raise SheetRejected(BAD_ALLOWED_SIGNERS, f"line {n}")
        if parts[0] != "ssh-ed25519":
            continue
        try:
            blob = base64.b64decode(parts[1], validate=True)
            raw_key = blob[-32:]
            if blob != sshsig.public_key_blob(Ed25519PublicKey.from_public_bytes(raw_key)):
                raise ValueError("blob")
        except ValueError:
            raise SheetRejected(BAD_ALLOWED_SIGNERS, f"line {n}: key") from None
        if opts.cert_authority:
            continue
        if opts.namespaces is not None and _match_pattern_list(SHEET_NAMESPACE, opts.namespaces) != 1:
            continue
        if (opts.valid_after and when < opts.valid_after) or (opts.valid_before and when > opts.valid_before):
            continue
        fp = sshsig.fingerprint(Ed25519PublicKey.from_public_bytes(raw_key))
        for principal in principals.split(","):
            out.setdefault(principal, []).append(fp)
    return out


def _split_options(text: str) -> tuple[str, str]:
    """The options field (up to the first unquoted blank) and what follows it."""
    quoted = False
    i = 0
    while i < len(text) and (quoted or text[i] not in " \t"):
        if text[i] == "\\" and text[i + 1:i + 2] == '"':
            i += 1
        elif text[i] == '"':
            quoted = not quoted
        i += 1
    return text[:i], text[i:].lstrip(" \t")


_OPTION_RE = re.compile(r'(cert-authority)(?=,|$)|(namespaces|valid-after|valid-before)="((?:[^"\\]|\\.)*)"', re.I)


def _parse_options(token: str) -> _SignerOptions:
    found: dict[str, Any] = {}
    pos = 0
    while True:
        m = _OPTION_RE.match(token, pos)
        if m is None:
            raise ValueError("unknown or malformed option")
        name = (m.group(1) or m.group(2)).lower()
        if name in found:
            raise ValueError(f'multiple "{name}" clauses')
        if m.group(1):
            found["cert-authority"] = True
        elif name == "namespaces":
            found[name] = m.group(3).replace('\\"', '"')
        else:
            found[name] = _absolute_time(m.group(3), name)
        pos = m.end()
        if pos == len(token):
            break
        if token[pos] != "," or pos + 1 == len(token):
            raise ValueError("unexpected end of options")
        pos += 1
    opts = _SignerOptions(bool(found.get("cert-authority")), found.get("namespaces"),
                          found.get("valid-after", 0), found.get("valid-before", 0))
    if opts.valid_after and opts.valid_before and opts.valid_before <= opts.valid_after:
        raise ValueError('"valid-before" time is before "valid-after"')
    return opts


def _absolute_time(value: str, name: str) -> int:
    """OpenSSH parse_absolute_time: YYYYMMDD[HHMM[SS]], UTC with a trailing Z, else local time."""
    utc = value.endswith("Z")
    digits = value[:-1] if utc else value
    formats = {8: "%Y%m%d", 12: "%Y%m%d%H%M", 14: "%Y%m%d%H%M%S"}
    if not digits.isdigit() or not digits.isascii() or len(digits) not in formats:
        raise ValueError(f'invalid "{name}" time')
    try:
        tm = time.strptime(digits, formats[len(digits)])
        seconds = calendar.timegm(tm) if utc else time.mktime(tm)
    except (ValueError, OverflowError):
        raise ValueError(f'invalid "{name}" time') from None
    if seconds <= 0:
        raise ValueError(f'invalid "{name}" time')
    return int(seconds)


def _match_pattern_list(value: str, patterns: str) -> int:
    """OpenSSH match_pattern_list: -1 when a negated pattern matches, 1 when a positive one does, else 0."""
    positive = 0
    for pattern in patterns.split(","):
        negated = pattern.startswith("!")
        if _glob(pattern[1:] if negated else pattern, value):
            if negated:
                return -1
            positive = 1
    return positive


def _glob(pattern: str, value: str) -> bool:
    return re.fullmatch(re.escape(pattern).replace(r"\*", ".*").replace(r"\?", "."), value, re.S) is not None


def allowed_signers_line(expert_id: str, key: Ed25519PublicKey) -> str:
    return f'{expert_id} namespaces="{SHEET_NAMESPACE}" {sshsig.public_key_line(key)}'
