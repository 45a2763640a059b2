"""How strong a passphrase must be: one rule for the expert's key, the agency keys in the app and
`tic-desktop keys create` on the command line (Qt-free, so the CLI and every dialog share it)."""

from __future__ import annotations

import re
import string
from dataclasses import dataclass

from tic_desktop.core.errors import register

MIN_PASSPHRASE_LENGTH = 10

WEAK_TOO_SHORT = register(
    "passphrase.too_short",
    "口令太短：至少需要 10 个字符。",
    "Too short: use at least 10 characters.",
)
WEAK_ONE_CLASS = register(
    "passphrase.one_class",
    "口令只含一类字符：请混合字母、数字、符号或汉字。",
    "Only one kind of character: mix letters, digits, symbols or Chinese characters.",
)
WEAK_COMMON = register(
    "passphrase.common",
    "口令过于常见或有明显规律，容易被猜中。",
    "Too common or too regular: easy to guess.",
)
PASSPHRASE_MISMATCH = register(
    "passphrase.mismatch",
    "两次输入的口令不一致。",
    "The two passphrases differ.",
)

_COMMON = {
    "password", "passw0rd", "1234567890", "0123456789", "qwertyuiop", "asdfghjkl", "iloveyou",
    "woaini", "woaini1314", "5201314", "abc123", "abcdefghij", "admin", "letmein", "welcome",
    "12345678910", "1qaz2wsx", "1q2w3e4r", "zxcvbnm", "qazwsxedc", "password1", "password123",
    "tianjin", "china", "zhongguo", "beijing", "11111111", "88888888", "66666666", "123123123",
}


@dataclass(frozen=True)
class PassphraseStrength:
    ok: bool
    score: int
    """0 (unusable) … 4 (strong), for the meter."""
    code: str | None
    """Why it is refused (a registered code), or None when acceptable."""


def _classes(text: str) -> int:
    kinds = [
        any(c in string.ascii_lowercase for c in text),
        any(c in string.ascii_uppercase for c in text),
        any(c.isdigit() for c in text),
        any(not c.isascii() and c.isalpha() for c in text),
        any(not c.isalnum() for c in text),
    ]
    return sum(kinds)


def _is_regular(text: str) -> bool:
    lowered = text.lower()
    if len(set(lowered)) <= 2:
        return True
    core = re.sub(r"[^a-z]", "", lowered)
    if lowered in _COMMON or core in _COMMON or any(lowered.startswith(w) and len(lowered) - len(w) <= 3 for w in _COMMON):
        return True
    steps = {ord(b) - ord(a) for a, b in zip(lowered, lowered[1:], strict=False)}
    return steps <= {1} or steps <= {-1}


def check_passphrase(passphrase: str) -> PassphraseStrength:
    """Length ≥ 10, not all one class of character, not common; the code says which rule failed."""
    classes = _classes(passphrase)
    if len(passphrase) < MIN_PASSPHRASE_LENGTH:
        return PassphraseStrength(False, 0 if len(passphrase) < 6 else 1, WEAK_TOO_SHORT)
    if _is_regular(passphrase):
        return PassphraseStrength(False, 1, WEAK_COMMON)
    if classes < 2:
        return PassphraseStrength(False, 1, WEAK_ONE_CLASS)
    score = 2 + (classes >= 3) + (len(passphrase) >= 16)
    return PassphraseStrength(True, min(score, 4), None)
