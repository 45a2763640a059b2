"""Checking an archive (归档包): `verify_archive(path, expect_fingerprint=None) -> VerifiedArchive`.

In this order, stopping at the first failure with its code:
  1. the ZIP itself, with the hostile-input defences of `formats.container` (traversal, absolute
     names, duplicates even by case or Unicode form, symlinks and special files, encrypted members,
     bombs, overlapping or hidden data: `zip.*` codes); not a ZIP, or no manifest.json /
     manifest.json.sig → `archive.not_archive`;
  2. manifest.json: strict JSON of the documented shape (`archive.bad_manifest`, a newer format
     `archive.unsupported_version`);
  3. manifest.json.sig: an SSHSIG (namespace tic-archive-v1) by the key the manifest names
     (`archive.bad_signature`); with `expect_fingerprint`, that key must be the expected one
     (`archive.wrong_signer`) — without it the signer is NOT checked, only the consistency;
  4. members: each listed member present (`archive.missing_member`), nothing unlisted
     (`archive.extra_member`);
  5. audit_log.jsonl: its hash chain recomputed from the first entry, ending at the manifest's
     audit head (`archive.audit_chain`) — before the hashes, so that an edited entry is named as such;
  6. each member's size and SHA-256 (`archive.member_hash`); SHA256SUMS says what the manifest says
     and SHA256SUMS.sig is by the same key (`archive.member_hash`, `archive.bad_signature`).
The returned `VerifiedArchive` keeps the ZIP open for reading members (`read(path)`); close it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from tic_desktop.agency.archive import (
    FORMAT,
    FORMAT_VERSION,
    MANIFEST,
    MANIFEST_SIG,
    NAMESPACE,
    SUMS,
    SUMS_SIG,
    sums_text,
)
from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import container, sshsig, strictjson, zip_codes
from tic_desktop.storage.audit_export import AUDIT_CHAIN, check_export

_DO_NOT_USE_ZH = "请勿使用此归档包，并向机构索取原件。"
_DO_NOT_USE_EN = "Do not use this archive; ask the agency for the original."
NOT_ARCHIVE = register(
    "archive.not_archive", "该文件不是归档包（.ticarchive）：不是有效的压缩包，或缺少 manifest.json / manifest.json.sig。",
    "This file is not an archive (.ticarchive): not a valid ZIP, or manifest.json / manifest.json.sig is missing.",
)
BAD_MANIFEST = register(
    "archive.bad_manifest", "归档包的清单（manifest.json）格式不正确或已损坏。" + _DO_NOT_USE_ZH,
    "The archive's manifest (manifest.json) is malformed or damaged. " + _DO_NOT_USE_EN,
)
UNSUPPORTED_VERSION = register(
    "archive.unsupported_version", "归档包的格式版本比本软件新，无法核验。请升级本软件。",
    "The archive's format version is newer than this app. Update the app to check it.",
)
BAD_SIGNATURE = register(
    "archive.bad_signature", "归档包的签名无效：清单在签名后被改动过，或签名不是清单中所列的机构密钥所作。" + _DO_NOT_USE_ZH,
    "The archive's signature is not valid: the manifest was changed after signing, or it was not signed by the "
    "agency key the manifest names. " + _DO_NOT_USE_EN,
)
WRONG_SIGNER = register(
    "archive.wrong_signer", "归档包不是由预期的机构密钥签名的（指纹不符），可能被他人改动后重新签名。" + _DO_NOT_USE_ZH,
    "The archive is not signed by the expected agency key (the fingerprint differs); someone may have changed it "
    "and signed it again. " + _DO_NOT_USE_EN,
)
MEMBER_HASH = register(
    "archive.member_hash", "归档包中的文件与清单记录的大小或 SHA-256 不符：文件在归档后被改动过。" + _DO_NOT_USE_ZH,
    "A file in the archive does not have the size or SHA-256 the manifest records: it was changed after archiving. "
    + _DO_NOT_USE_EN,
)
EXTRA_MEMBER = register(
    "archive.extra_member", "归档包中有清单未列出的文件（被添加或改名过）。" + _DO_NOT_USE_ZH,
    "The archive holds a file the manifest does not list (added or renamed). " + _DO_NOT_USE_EN,
)
MISSING_MEMBER = register(
    "archive.missing_member", "归档包缺少清单中列出的文件（被删除或改名过）。" + _DO_NOT_USE_ZH,
    "A file the manifest lists is missing from the archive (removed or renamed). " + _DO_NOT_USE_EN,
)

_SHA = re.compile(r"[0-9a-f]{64}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_FP = re.compile(r"SHA256:[A-Za-z0-9+/]{43}")
POLICY = container.ZipPolicy(
    rules=[container.MemberRule(re.compile(r".+", re.S), 2 * 1024**3)],
    required=frozenset(),
    max_members=200_000,
    max_total=4 * 1024**3 - 1,
)
"""Any safe name (the manifest decides which belong), members up to 2 GiB, no ZIP64."""
_MANIFEST_LIMITS = strictjson.JsonLimits(max_bytes=64 * 1024 * 1024, max_array=200_000,
                                         max_values=4_000_000)


@dataclass
class VerifiedArchive:
    manifest: dict[str, Any]
    signer_fingerprint: str
    signer_checked: bool
    """True when the signer was compared with an expected fingerprint."""
    audit_entries: int
    _zip: container.CheckedZip = field(repr=False)

    @property
    def batch_id(self) -> str | None:
        """The batch of a batch archive (None for a round's)."""
        return self.manifest["batch_id"]

    @property
    def round_id(self) -> str | None:
        return self.manifest["round_id"]

    @property
    def batch_ids(self) -> list[str]:
        return list(self.manifest["batch_ids"])

    def prefix(self, batch_id: str) -> str:
        """Where a batch's members are: "" in a batch archive, "batches/<batch_id>/" in a round's."""
        return "" if self.round_id is None else f"batches/{batch_id}/"

    @property
    def members(self) -> list[dict[str, Any]]:
        return list(self.manifest["members"])

    def paths(self, kind: str) -> list[str]:
        return [m["path"] for m in self.manifest["members"] if m["kind"] == kind]

    def read(self, path: str) -> bytes:
        return self._zip.read(path)

    def read_json(self, path: str) -> Any:
        import json  # noqa: PLC0415

        return json.loads(self.read(path).decode("utf-8"))

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> VerifiedArchive:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _manifest(data: bytes) -> dict[str, Any]:
    try:
        value = strictjson.parse(data, _MANIFEST_LIMITS)
    except Rejected as exc:
        raise Rejected(BAD_MANIFEST, f"{exc.code} {exc.detail}"[:200]) from None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise Rejected(BAD_MANIFEST, "not a tic-archive manifest")
    version = value.get("format_version")
    if type(version) is int and version > FORMAT_VERSION:
        raise Rejected(UNSUPPORTED_VERSION, f"format_version {version}")
    expected = {"format", "format_version", "batch_id", "round_id", "batch_ids", "title", "created_at", "agency",
                "signature_namespace", "audit_head", "members"}
    ok = (
        set(value) == expected and version == FORMAT_VERSION
        and isinstance(value["batch_ids"], list) and value["batch_ids"]
        and all(isinstance(b, str) and _ID.fullmatch(b) for b in value["batch_ids"])
        and (value["round_id"] is None) == isinstance(value["batch_id"], str)
        and (value["round_id"] is None or (isinstance(value["round_id"], str) and _ID.fullmatch(value["round_id"])))
        and (value["batch_id"] is None or value["batch_ids"] == [value["batch_id"]])
        and isinstance(value["created_at"], str) and value["signature_namespace"] == NAMESPACE
        and isinstance(value["title"], dict) and isinstance(value["agency"], dict)
        and set(value["agency"]) == {"fingerprint", "public_key"}
        and all(isinstance(v, str) for v in value["agency"].values())
        and isinstance(value["audit_head"], dict) and set(value["audit_head"]) == {"seq", "hash"}
        and type(value["audit_head"]["seq"]) is int and isinstance(value["audit_head"]["hash"], str)
        and isinstance(value["members"], list)
    )
    if not ok:
        raise Rejected(BAD_MANIFEST, "fields")
    seen: set[str] = set()
    for m in value["members"]:
        if not (isinstance(m, dict) and set(m) == {"path", "kind", "size", "sha256"}
                and isinstance(m["path"], str) and isinstance(m["kind"], str) and type(m["size"]) is int
                and m["size"] >= 0 and isinstance(m["sha256"], str) and _SHA.fullmatch(m["sha256"])):
            raise Rejected(BAD_MANIFEST, f"member {str(m)[:120]}")
        if m["path"] in seen or m["path"] in (MANIFEST, MANIFEST_SIG):
            raise Rejected(BAD_MANIFEST, f"member {m['path']!r} listed twice")
        seen.add(m["path"])
    return value


def _signer(manifest: dict[str, Any]) -> tuple[bytes, str]:
    """The manifest's agency key as its SSH blob, and its fingerprint (which must be the one stated)."""
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415

    try:
        key = serialization.load_ssh_public_key(manifest["agency"]["public_key"].encode("ascii"))
        blob = sshsig.public_key_blob(key)  # type: ignore[arg-type]
        fp = sshsig.fingerprint(key)  # type: ignore[arg-type]
    except (ValueError, TypeError, UnicodeEncodeError, AttributeError):
        raise Rejected(BAD_MANIFEST, "agency.public_key") from None
    if fp != manifest["agency"]["fingerprint"]:
        raise Rejected(BAD_MANIFEST, "agency.fingerprint is not the public key's")
    return blob, fp


def _check_sig(message: bytes, sig: bytes, blob: bytes, what: str) -> None:
    try:
        key = sshsig.verify(message, sig, NAMESPACE)
    except Rejected as exc:
        raise Rejected(BAD_SIGNATURE, f"{what}: {exc.code}") from None
    if sshsig.public_key_blob(key) != blob:
        raise Rejected(BAD_SIGNATURE, f"{what}: signed by {sshsig.fingerprint(key)}, not the manifest's key")


def verify_archive(source: Path | BinaryIO, *, expect_fingerprint: str | None = None) -> VerifiedArchive:
    """Check an archive completely (see the module docstring); raises `Rejected` with the first problem."""
    fh: BinaryIO = open(source, "rb") if isinstance(source, str | Path) else source  # noqa: SIM115
    owns = isinstance(source, str | Path)
    try:
        archive = container.open_zip(fh, POLICY, owns=owns)
    except Rejected as exc:
        if exc.code in (zip_codes.NOT_ZIP, zip_codes.CORRUPT):
            raise Rejected(NOT_ARCHIVE, exc.detail or exc.code) from None
        raise
    try:
        names = set(archive.names)
        if MANIFEST not in names or MANIFEST_SIG not in names:
            raise Rejected(NOT_ARCHIVE, "no manifest.json or manifest.json.sig")
        manifest_bytes = archive.read(MANIFEST)
        manifest = _manifest(manifest_bytes)
        blob, fp = _signer(manifest)
        _check_sig(manifest_bytes, archive.read(MANIFEST_SIG), blob, MANIFEST)
        if expect_fingerprint is not None and fp != expect_fingerprint.strip():
            raise Rejected(WRONG_SIGNER, f"signed by {fp}, expected {expect_fingerprint.strip()}")
        listed = {m["path"]: m for m in manifest["members"]}
        missing = sorted(set(listed) - names)
        if missing:
            raise Rejected(MISSING_MEMBER, ", ".join(missing)[:300])
        extra = sorted(names - set(listed) - {MANIFEST, MANIFEST_SIG})
        if extra:
            raise Rejected(EXTRA_MEMBER, ", ".join(extra)[:300])
        if SUMS not in listed or SUMS_SIG not in listed or "audit_log.jsonl" not in listed:
            raise Rejected(BAD_MANIFEST, "SHA256SUMS, its signature or the audit log is not listed")
        keep = {SUMS, SUMS_SIG, "audit_log.jsonl"}
        kept, digests = archive.scan(lambda name: name in keep)
        # the audit chain first: an edited entry is named as such, whether or not the manifest was redone
        head, entries = check_export(kept["audit_log.jsonl"])
        if (head.seq, head.hash) != (manifest["audit_head"]["seq"], manifest["audit_head"]["hash"]):
            raise Rejected(AUDIT_CHAIN, f"the log ends at seq {head.seq}, the manifest says "
                                        f"{manifest['audit_head']['seq']}")
        for path, m in listed.items():
            d = digests[path]
            if (d.size, d.sha256) != (m["size"], m["sha256"]):
                raise Rejected(MEMBER_HASH, f"{path}: {d.size} bytes, SHA-256 {d.sha256[:16]}…; the manifest says "
                                            f"{m['size']} bytes, {m['sha256'][:16]}…")
        data_members = [m for m in manifest["members"] if m["path"] not in (SUMS, SUMS_SIG)]
        if kept[SUMS] != sums_text(data_members):
            raise Rejected(MEMBER_HASH, "SHA256SUMS does not list what the manifest lists")
        _check_sig(kept[SUMS], kept[SUMS_SIG], blob, SUMS)
        return VerifiedArchive(manifest, fp, expect_fingerprint is not None, len(entries), archive)
    except BaseException:
        archive.close()
        raise


__all__ = ["BAD_SIGNATURE", "EXTRA_MEMBER", "MEMBER_HASH", "MISSING_MEMBER", "NOT_ARCHIVE", "VerifiedArchive",
           "WRONG_SIGNER", "verify_archive"]
