"""Whether a batch file is encrypted, and how, from its first 4 KiB (before asking for a passphrase
or a key): an age file to a passphrase has an scrypt stanza, one to keys has not."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

AGE_MAGIC = b"age-encryption.org/v1\n"


@dataclass(frozen=True)
class BatchProbe:
    encrypted: bool
    passphrase: bool
    """Encrypted to a passphrase (scrypt stanza) rather than to keys."""


def probe(source: bytes | Path) -> BatchProbe:
    """Whether a batch (its bytes, or its file: only the first 4 KiB are read) is encrypted, and how.

    Raises OSError when the file cannot be read."""
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source[:4096])
    else:
        with open(source, "rb") as fh:
            data = fh.read(4096)
    if not data.startswith(AGE_MAGIC):
        return BatchProbe(False, False)
    header = data[:4096]
    return BatchProbe(True, b"\n-> scrypt " in header)
