"""The agency's keys on this computer: where they live, their public face, backup and restore.

The keys themselves are made and loaded by `formats.keys` (agency_ed25519, agency_ed25519.pub,
agency.agekey) in `<data dir>/agency/keys/`. Losing them means the experts' score sheets can no
longer be decrypted, so the app offers a backup file:

    <name>.tickeys = age(passphrase, ZIP{backup.json, agency_ed25519, agency_ed25519.pub, agency.agekey
                                        [, agency.agekey.pub, agency_docsign.key, agency_docsign.crt]})

The age layer is the scrypt recipient written by `formats.age_passphrase` (hashlib.scrypt releases
the GIL, so a worker thread leaves the GUI free); `age -d` opens the file too. `backup.json` names
the format, the fingerprint and the age recipient, and a restore checks that the key files match
it. A restore never overwrites other keys silently: different keys already in the folder are
refused (`agency_backup.would_replace`) unless the caller passes `replace=True`, and even then they
are moved aside to `keys-replaced-<time>/`, not deleted.
"""

from __future__ import annotations

import datetime as _dt
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import age_passphrase, container, docsign, sshsig
from tic_desktop.formats import keys as fkeys

BACKUP_SUFFIX = ".tickeys"
BACKUP_FORMAT = "tic-agency-keys-backup"
BACKUP_INFO = "backup.json"
KEY_FILES = (fkeys.SIGNING_KEY_FILE, fkeys.PUBLIC_KEY_FILE, fkeys.AGE_IDENTITY_FILE)
OPTIONAL_FILES = (fkeys.AGE_RECIPIENT_FILE, docsign.KEY_FILE, docsign.CERT_FILE)
"""Present for keys whose agency.agekey is sealed under the passphrase (the recipient, public), and
the document-signing key and certificate (folders made before PDF signing have none)."""
MAX_BACKUP_BYTES = 1024 * 1024

WRONG_PASSPHRASE = register(
    "agency_backup.wrong_passphrase",
    "备份口令不正确，无法打开密钥备份文件。请输入备份时设置的口令。",
    "The backup passphrase is wrong; the key backup cannot be opened. Enter the passphrase set when it was made.",
)
CORRUPT = register(
    "agency_backup.corrupt",
    "该文件不是机构密钥备份，或已损坏。请选择备份时生成的 .tickeys 文件，或使用另一份备份。",
    "This file is not an agency key backup, or it is damaged. Choose the .tickeys file made by the backup, or another copy.",
)
WOULD_REPLACE = register(
    "agency_backup.would_replace",
    "本机已有另一套机构密钥，未被覆盖。如确需换用备份中的密钥，请确认替换；原密钥会被移到旁边的文件夹保留。",
    "Other agency keys are already on this computer; they were not overwritten. Confirm the replacement to use the "
    "backup's keys; the present keys are then moved aside, not deleted.",
)
NO_KEYS = register(
    "agency_keys.none",
    "本机还没有机构密钥。请先在“机构密钥”页生成或从备份恢复。",
    "There are no agency keys on this computer yet. Create them or restore a backup on the Agency keys page.",
)


@dataclass(frozen=True)
class AgencyPublic:
    """What anyone may see of the agency keys: no passphrase needed."""

    fingerprint: str
    """"SHA256:…" as `ssh-keygen -l` prints it: printed in the invitation letter."""
    age_recipient: str
    """"age1…": experts' score sheets are encrypted to it."""
    openssh: str


def agency_dir(data_dir: Path) -> Path:
    """`<data dir>/agency/`: the agency's keys, workspace and batches."""
    return Path(data_dir) / "agency"


def keys_dir(data_dir: Path) -> Path:
    return agency_dir(data_dir) / "keys"


def has_keys(directory: Path) -> bool:
    return all(
        (Path(directory) / name).is_file() for name in (fkeys.SIGNING_KEY_FILE, fkeys.AGE_IDENTITY_FILE)
    )


def _public_from_files(files: dict[str, bytes]) -> AgencyPublic:
    try:
        line = files[fkeys.PUBLIC_KEY_FILE].decode("ascii").strip()
        key = serialization.load_ssh_public_key(line.encode("ascii"))
        identity = files[fkeys.AGE_IDENTITY_FILE]
        if fkeys.is_sealed(identity):  # the recipient beside it, checked against the identity at unlock
            recipient = files[fkeys.AGE_RECIPIENT_FILE].decode("ascii").strip()
            if not recipient.startswith("age1"):
                raise ValueError(f"{fkeys.AGE_RECIPIENT_FILE}: not an age recipient")
        else:
            recipient = str(fkeys.parse_age_identity(identity.decode("ascii")).to_public())
    except (KeyError, UnicodeDecodeError, ValueError, Rejected) as exc:
        raise Rejected(fkeys.INVALID, str(exc)) from None
    if not isinstance(key, Ed25519PublicKey):
        raise Rejected(fkeys.INVALID, "the public key is not Ed25519")
    return AgencyPublic(sshsig.fingerprint(key), recipient, " ".join(line.split()[:2]))


def _read_files(directory: Path) -> dict[str, bytes]:
    directory = Path(directory)
    try:
        files = {name: (directory / name).read_bytes() for name in KEY_FILES}
    except FileNotFoundError as exc:
        raise Rejected(fkeys.MISSING, str(exc.filename)) from None
    for name in OPTIONAL_FILES:
        if (directory / name).is_file():
            files[name] = (directory / name).read_bytes()
    return files


def public_info(directory: Path) -> AgencyPublic:
    """Fingerprint and age recipient of the keys in `directory`, read without the passphrase."""
    return _public_from_files(_read_files(directory))


def is_protected(directory: Path) -> bool:
    """Whether the keys need a passphrase to load (the signing key or the sealed agency.agekey)."""
    try:
        fkeys.load_agency_keys(directory)
    except Rejected as exc:
        if exc.code == fkeys.PASSPHRASE_REQUIRED:
            return True
        raise
    return False


# ── backup ──────────────────────────────────────────────────────────────────────────────────

_POLICY = container.ZipPolicy(
    rules=[container.MemberRule(re.compile(re.escape(n)), 64 * 1024)
           for n in (BACKUP_INFO, *KEY_FILES, *OPTIONAL_FILES)],
    required=frozenset((BACKUP_INFO, *KEY_FILES)),
    max_members=len(KEY_FILES) + len(OPTIONAL_FILES) + 1,
)


def backup_bytes(directory: Path, passphrase: str, *, log_n: int | None = None) -> bytes:
    """The encrypted backup of the keys in `directory` (slow by design: scrypt, without the GIL)."""
    files = _read_files(directory)
    public = _public_from_files(files)
    info = {
        "format": BACKUP_FORMAT,
        "format_version": "1.0",
        "fingerprint": public.fingerprint,
        "age_recipient": public.age_recipient,
        "created_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
    }
    members = dict(files)
    members[BACKUP_INFO] = json.dumps(info, ensure_ascii=False, indent=1).encode("utf-8")
    return age_passphrase.encrypt(
        container.write_zip(members), passphrase, log_n=log_n or age_passphrase.LOG_N
    )


def write_backup(directory: Path, out: Path, passphrase: str, *, log_n: int | None = None) -> AgencyPublic:
    """Write the backup of `directory` to `out` atomically, then open it again and compare."""
    data = backup_bytes(directory, passphrase, log_n=log_n)
    expected = _read_files(directory)

    def verify(path: Path) -> None:
        files, _public = read_backup(path.read_bytes(), passphrase)
        if files != expected:
            raise Rejected(CORRUPT, f"{out.name}: the written backup does not read back")

    atomic_write(Path(out), data, verify=verify, mode=0o600)
    return _public_from_files(expected)


def read_backup(data: bytes, passphrase: str) -> tuple[dict[str, bytes], AgencyPublic]:
    """The key files in a backup and their public face; raises `Rejected` (CORRUPT, WRONG_PASSPHRASE)."""
    if len(data) > MAX_BACKUP_BYTES:
        raise Rejected(CORRUPT, "file too large for a key backup")
    try:
        plain = age_passphrase.decrypt(data, passphrase)
    except age_passphrase.WrongPassphrase as exc:
        if str(exc).startswith("chunk"):  # the header opened: the passphrase is right, the content is damaged
            raise Rejected(CORRUPT, "damaged content") from None
        raise Rejected(WRONG_PASSPHRASE) from None
    except (age_passphrase.Unsupported, ValueError) as exc:
        raise Rejected(CORRUPT, str(exc)) from None
    try:
        members = container.read_zip(plain, _POLICY)
        info = json.loads(members[BACKUP_INFO].decode("utf-8"))
    except (Rejected, KeyError, ValueError) as exc:
        raise Rejected(CORRUPT, str(exc)) from None
    if not isinstance(info, dict) or info.get("format") != BACKUP_FORMAT:
        raise Rejected(CORRUPT, "not a TIC agency key backup")
    files = {name: members[name] for name in (*KEY_FILES, *OPTIONAL_FILES) if name in members}
    try:
        public = _public_from_files(files)
    except Rejected as exc:
        raise Rejected(CORRUPT, exc.detail) from None
    if public.fingerprint != info.get("fingerprint") or public.age_recipient != info.get("age_recipient"):
        raise Rejected(CORRUPT, "the key files do not match the backup's record")
    return files, public


def restore_backup(backup: Path, directory: Path, passphrase: str, *, replace: bool = False) -> AgencyPublic:
    """Put the keys of `backup` into `directory`.

    The same keys already there: nothing changes. Different keys there: `WOULD_REPLACE` unless
    `replace`, and then the present files are moved to a sibling `keys-replaced-<time>/` first."""
    files, public = read_backup(Path(backup).read_bytes(), passphrase)
    directory = Path(directory)
    present = [name for name in (*KEY_FILES, *OPTIONAL_FILES) if (directory / name).exists()]
    if present:
        try:
            same = public_info(directory).fingerprint == public.fingerprint
        except Rejected:
            same = False
        if same and all(
            (directory / n).read_bytes() == files[n] for n in files if (directory / n).exists()
        ):
            _write_files(directory, {n: b for n, b in files.items() if not (directory / n).exists()})
            return public
        if not replace:
            raise Rejected(WOULD_REPLACE, public_info_text(directory))
        stamp = _dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = directory.parent / f"{directory.name}-replaced-{stamp}"
        aside.mkdir(parents=True)
        for name in present:
            shutil.move(str(directory / name), str(aside / name))
    _write_files(directory, files)
    return public


def public_info_text(directory: Path) -> str:
    try:
        return public_info(directory).fingerprint
    except Rejected:
        return str(directory)


def _write_files(directory: Path, files: dict[str, bytes]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        public = name in (fkeys.PUBLIC_KEY_FILE, fkeys.AGE_RECIPIENT_FILE, docsign.CERT_FILE)
        atomic_write(directory / name, data, mode=0o644 if public else 0o600)


# ── the agency's name (printed on the fingerprint sheet) ────────────────────────────────────

PROFILE_FILE = "profile.json"


def agency_name(agency_directory: Path) -> str:
    """The name the agency gave itself on this computer ("" when not set)."""
    try:
        data = json.loads((Path(agency_directory) / PROFILE_FILE).read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    name = data.get("agency_name", "") if isinstance(data, dict) else ""
    return name if isinstance(name, str) else ""


def save_agency_name(agency_directory: Path, name: str) -> None:
    Path(agency_directory).mkdir(parents=True, exist_ok=True)
    body = json.dumps({"agency_name": name.strip()[:200]}, ensure_ascii=False).encode("utf-8")
    atomic_write(Path(agency_directory) / PROFILE_FILE, body)
