"""The archive (归档包): one signed ZIP per batch holding everything the review produced, as kept.

    write_archive(out, ArchiveSource(ws, batch_id, reports_dir), keys)   # keys: formats.keys.AgencyKeys

Members (archive order: the data members sorted by path, then the four check files):

    batch/<batch_id>.ticbatch        the batch file as received
    sheets/<raw sha256>.ticsheet     every stored sheet revision as received (still age-encrypted)
    sheets.json                      the revisions: expert, sheet_seq, state, chain, file name, import time…
    import_log.json                  every import attempt with its outcome, code and sentences
    audit_log.jsonl                  the workspace's whole audit log with its hash chain (storage.audit_export)
    expert_keys.json                 the registry entries of the batch's experts (fingerprints, sources)
    decisions.json                   the chair's veto decisions and the conflict resolutions
    opinions.json, meeting.json      the panel opinions and the meeting record
    reports/<name>                   consolidated.pdf, results.csv, results.xlsx, scores.csv,
                                     panel_opinions.docx — whichever the reports folder holds
    scans/<sha256><suffix>           the scanned paper kept by the workspace (agency.scan_store), as added
    scans.json                       the scans (file name, pages, time), each page's QR texts and reason,
                                     and the pages a person matched by hand — only when there are scans
    SHA256SUMS                       `sha256sum` lines of every member above
    SHA256SUMS.sig                   SSHSIG of SHA256SUMS by the agency key, namespace tic-archive-v1
    manifest.json                    (RFC 8785 canonical JSON) format, version, batch, agency key, created time, audit head, and
                                     every member above (SHA256SUMS and its signature included) with
                                     path, kind, size and SHA-256
    manifest.json.sig                SSHSIG of manifest.json by the agency key, namespace tic-archive-v1

A member kind is one collector function in `MEMBER_KINDS` (it yields `Member`s). The ZIP is written
as `formats.container.write_zip` writes (fixed dates and modes, stored or deflated, no ZIP64, no data
descriptors) but streamed from the kept files to a temporary file beside `out`, then read back
with `agency.archive_verify.verify_archive` before it replaces `out`: the same workspace and
`created_at` give the same bytes.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import json
import os
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop.core.atomic import fsync_dir, replace_with_retry
from tic_desktop.formats import sshsig, strictjson
from tic_desktop.formats.container import FIXED_DATE, check_name
from tic_desktop.storage.store import now

FORMAT = "tic-archive"
FORMAT_VERSION = 1
NAMESPACE = "tic-archive-v1"
MANIFEST = "manifest.json"
MANIFEST_SIG = "manifest.json.sig"
SUMS = "SHA256SUMS"
SUMS_SIG = "SHA256SUMS.sig"
CHECK_FILES = (SUMS, SUMS_SIG, MANIFEST, MANIFEST_SIG)
REPORT_FILES = ("consolidated.pdf", "results.csv", "results.xlsx", "scores.csv", "panel_opinions.docx")
ROUND_REPORT_FILES = ("round.csv", "round.pdf", "round.xlsx", "publication.pdf", "publication.xlsx",
                      "publication.docx", "panel_opinions.docx")
STORED_SUFFIXES = (".ticbatch", ".ticsheet", ".pdf", ".xlsx", ".docx", ".png", ".jpg", ".jpeg", ".tif", ".tiff")
"""Compressed or encrypted already: stored, not deflated again."""
SUFFIX = ".ticarchive"
_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class ArchiveSource:
    """What one archive is made of: a batch (`batch_id`) or an evaluation round (`round_id`) of an agency
    workspace, and the folder its reports went to (for a round: the round's files there, each batch's
    in `<reports_dir>/<batch_id>/`, as `round consolidate` writes them)."""

    ws: Any
    """agency.workspace.AgencyWorkspace (open)."""
    batch_id: str | None = None
    reports_dir: Path | None = None
    round_id: str | None = None

    def parts(self) -> list[Part]:
        if self.round_id is None:
            assert self.batch_id is not None
            return [Part(self.ws, self.batch_id, self.reports_dir, "")]
        from tic_desktop.agency import round_store  # noqa: PLC0415

        return [Part(self.ws, b, None if self.reports_dir is None else Path(self.reports_dir) / b, f"batches/{b}/")
                for b in round_store.get_round(self.ws, self.round_id).batch_ids]


@dataclass(frozen=True)
class Part:
    """One batch inside an archive: its members are under `prefix` (empty in a batch archive,
    `batches/<batch_id>/` in a round archive)."""

    ws: Any
    batch_id: str
    reports_dir: Path | None
    prefix: str


@dataclass(frozen=True)
class Member:
    path: str
    kind: str
    data: bytes | None = None
    file: Path | None = None

    def chunks(self) -> Iterator[bytes]:
        if self.data is not None:
            yield self.data
            return
        assert self.file is not None
        with open(self.file, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                yield chunk


def json_bytes(value: Any) -> bytes:
    """The archive's JSON members: UTF-8, sorted keys, two-space indent, one final newline."""
    return (json.dumps(value, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


# ---- member kinds (one collector each) -----------------------------------------------------------
def _batch(src: Part) -> Iterable[Member]:
    info = src.ws.batch(src.batch_id)
    yield Member(f"batch/{src.batch_id}.ticbatch", "batch", file=info.path)


def _sheets(src: Part) -> Iterable[Member]:
    records = src.ws.sheets(src.batch_id)
    seen: set[str] = set()
    index = []
    for r in records:
        if r.raw_sha256 not in seen:
            seen.add(r.raw_sha256)
            yield Member(f"sheets/{r.raw_sha256}.ticsheet", "sheet", file=r.raw_path)
        index.append({"expert_id": r.expert_id, "sheet_seq": r.sheet_seq, "sheet_sha256": r.sheet_sha256,
                      "raw_sha256": r.raw_sha256, "fingerprint": r.fingerprint, "file_name": r.file_name,
                      "imported_at": r.imported_at, "state": r.state, "supersedes": r.supersedes,
                      "chain": r.chain, "audit_seq": r.audit_seq, "member": f"sheets/{r.raw_sha256}.ticsheet"})
    yield Member("sheets.json", "sheet_index", data=json_bytes(index))


def _import_log(src: Part) -> Iterable[Member]:
    rows = src.ws.query("SELECT * FROM import_log WHERE batch_id = ? ORDER BY id", (src.batch_id,))
    yield Member("import_log.json", "import_log", data=json_bytes(rows))


def _expert_keys(src: Part) -> Iterable[Member]:
    experts = set(src.ws.expert_ids(src.batch_id))
    keys = [{"expert_id": k.expert_id, "fingerprint": k.fingerprint, "source": k.source,
             "enrolled_at": k.enrolled_at, "batch_id": k.batch_id, "ended_at": k.ended_at,
             "end_reason": k.end_reason, "note": k.note}
            for k in src.ws.expert_keys() if k.expert_id in experts]
    yield Member("expert_keys.json", "expert_keys", data=json_bytes(keys))


def _decisions(src: Part) -> Iterable[Member]:
    vetoes = [{"proposal_id": pid, "form_id": fid, "veto_id": vid, "confirmed": d.confirmed, "reason": d.reason,
               "decided_by": d.decided_by, "decided_at": d.decided_at}
              for (pid, fid, vid), d in sorted(src.ws.veto_decisions(src.batch_id).items())]
    resolutions = src.ws.query(
        "SELECT expert_id, sheet_seq, keep_sha256, considered, reason, resolved_at FROM conflict_resolutions "
        "WHERE batch_id = ? ORDER BY id", (src.batch_id,))
    for r in resolutions:
        r["considered"] = json.loads(r["considered"])
    yield Member("decisions.json", "decisions", data=json_bytes({"veto_decisions": vetoes,
                                                                 "conflict_resolutions": resolutions}))


def _opinions(src: Part) -> Iterable[Member]:
    opinions = [{"proposal_id": pid, "form_id": fid, "opinion": o.as_dict()}
                for (pid, fid), o in sorted(src.ws.opinions(src.batch_id).items())]
    yield Member("opinions.json", "opinions", data=json_bytes(opinions))
    from tic_desktop.core.panel_meeting import PanelMeeting  # noqa: PLC0415

    meeting = src.ws.meeting(src.batch_id)
    yield Member("meeting.json", "meeting", data=json_bytes(None if meeting == PanelMeeting() else meeting.as_dict()))


def _reports(src: Part) -> Iterable[Member]:
    if src.reports_dir is None:
        return
    for name in REPORT_FILES:
        path = Path(src.reports_dir) / name
        if path.is_file():
            yield Member(f"reports/{name}", "report", file=path)


def _scans(src: Part) -> Iterable[Member]:
    from tic_desktop.agency import scan_store  # noqa: PLC0415

    records = scan_store.scans(src.ws, src.batch_id)
    if not records:
        return
    seen: set[str] = set()
    for r in records:
        if r.scan_sha256 not in seen:
            seen.add(r.scan_sha256)
            yield Member(f"scans/{r.scan_sha256}{r.suffix}", "scan", file=r.path)
    pages = []
    for sha in sorted(seen):
        pages += [{"scan_sha256": sha, "page": p["page"], "codes": json.loads(p["codes"]), "reason": p["reason"]}
                  for p in src.ws.query("SELECT page, codes, reason FROM scan_pages WHERE scan_sha256 = ? "
                                        "ORDER BY page", (sha,))]
    manual = src.ws.query("SELECT scan_sha256, page, expert_id, proposal_id, sheet_seq, digest, sheet_page, "
                          "sheet_pages, reason, matched_at FROM scan_manual_matches WHERE batch_id = ? ORDER BY id",
                          (src.batch_id,))
    index = {"scans": [{"scan_sha256": r.scan_sha256, "file_name": r.file_name, "suffix": r.suffix, "size": r.size,
                        "pages": r.pages, "added_at": r.added_at, "member": f"scans/{r.scan_sha256}{r.suffix}"}
                       for r in records],
             "pages": pages, "manual_matches": manual}
    yield Member("scans.json", "scan_index", data=json_bytes(index))


def _round(src: ArchiveSource) -> Iterable[Member]:
    if src.round_id is None:
        return
    from tic_desktop.agency import round_store  # noqa: PLC0415

    ws, rid = src.ws, src.round_id
    info = round_store.get_round(ws, rid)
    official = round_store.official(ws, rid)
    norm = round_store.normalisation(ws, rid)
    record = {
        "round_id": rid, "title": info.title, "year": info.year, "batch_ids": list(info.batch_ids),
        "created_at": info.created_at,
        "official": {"basis": official.basis, "reason": official.reason, "chosen_at": official.chosen_at},
        "normalisation": None if norm is None else round_store.normalisation_to_dict(norm),
        "notice": round_store.notice(ws, rid),
        "decisions": [dataclasses.asdict(d) for d in round_store.decisions(ws, rid)],
        "objections": [dataclasses.asdict(o) for o in round_store.objections(ws, rid)],
        "previous": [round_store.previous_to_dict(p) for p in round_store.previous(ws, rid)],
    }
    yield Member("round.json", "round", data=json_bytes(record))
    if src.reports_dir is not None:
        for path in sorted(Path(src.reports_dir).iterdir()):
            if path.is_file() and path.name in ROUND_REPORT_FILES:
                yield Member(f"reports/{path.name}", "report", file=path)


BATCH_KINDS: tuple[Callable[[Part], Iterable[Member]], ...] = (
    _batch, _sheets, _import_log, _expert_keys, _decisions, _opinions, _reports, _scans,
)
"""Every kind of member of a batch, one collector each: add a kind by adding its function here."""
ARCHIVE_KINDS: tuple[Callable[[ArchiveSource], Iterable[Member]], ...] = (_round,)
"""Members of the archive as a whole (the round's record and files)."""


# ---- writing --------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Written:
    path: Path
    manifest: dict[str, Any]


def sums_text(entries: Iterable[dict[str, Any]]) -> bytes:
    """`sha256sum` lines ("<hex>  <path>") of the data members, sorted by path."""
    return "".join(f"{e['sha256']}  {e['path']}\n" for e in sorted(entries, key=lambda e: e["path"])).encode("utf-8")


def _zip_info(name: str, size: int) -> zipfile.ZipInfo:
    check_name(name)
    info = zipfile.ZipInfo(name, date_time=FIXED_DATE)
    info.compress_type = zipfile.ZIP_STORED if name.endswith(STORED_SUFFIXES) else zipfile.ZIP_DEFLATED
    info.create_system = 3
    info.external_attr = (stat.S_IFREG | 0o644) << 16
    info.file_size = size
    return info


def _add(zf: zipfile.ZipFile, member: Member) -> dict[str, Any]:
    """Stream one member into the ZIP; its manifest entry."""
    size = len(member.data) if member.data is not None else Path(member.file).stat().st_size  # type: ignore[arg-type]
    info = _zip_info(member.path, size)
    digest = hashlib.sha256()
    written = 0
    with zf.open(info, "w") as out:
        for chunk in member.chunks():
            digest.update(chunk)
            written += len(chunk)
            out.write(chunk)
    if written != size:
        raise OSError(f"{member.file} changed while it was archived")
    return {"path": member.path, "kind": member.kind, "size": written, "sha256": digest.hexdigest()}


def collect(src: ArchiveSource) -> list[Member]:
    members = [dataclasses.replace(m, path=part.prefix + m.path)
               for part in src.parts() for kind in BATCH_KINDS for m in kind(part)]
    members += [m for kind in ARCHIVE_KINDS for m in kind(src)]
    names = [m.path for m in members]
    if len(set(names)) != len(names) or any(n in CHECK_FILES for n in names):
        raise ValueError("two archive members with one name")
    return sorted(members, key=lambda m: m.path)


def write_archive(out: Path, src: ArchiveSource, keys: Any, *, created_at: str | None = None,
                  progress: Callable[[int, int], None] | None = None) -> Written:
    """Write the signed archive of `src` to `out` (replaced all or nothing), read back and verified first.

    `keys` is the agency's `formats.keys.AgencyKeys` (the signing key); the batch must be signed by
    the same key. `progress(done, total)` after each member."""
    from tic_desktop.agency.archive_verify import verify_archive  # noqa: PLC0415
    from tic_desktop.agency.workspace import NOT_OWN_SIGNATURE  # noqa: PLC0415
    from tic_desktop.core.errors import Rejected  # noqa: PLC0415

    out = Path(out)
    batch_ids = [part.batch_id for part in src.parts()]
    for batch_id in batch_ids:
        info = src.ws.batch(batch_id)
        if info.agency_fingerprint != keys.fingerprint:
            raise Rejected(NOT_OWN_SIGNATURE, f"batch signed by {info.agency_fingerprint}, key {keys.fingerprint}")
    if src.round_id is not None:
        from tic_desktop.agency import round_store  # noqa: PLC0415

        title = round_store.get_round(src.ws, src.round_id).title
        titles = {"zh": title, "en": title}
    else:
        titles = {"zh": info.title.zh, "en": info.title.en}
    audit_head, audit_lines = src.ws.export_audit()
    members = collect(src)
    members.append(Member("audit_log.jsonl", "audit_log", data=audit_lines))
    members.sort(key=lambda m: m.path)
    total = len(members) + 1
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tic-tmp-", suffix=".part", dir=out.parent)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w+b") as fh:
            with zipfile.ZipFile(fh, "w", allowZip64=False) as zf:
                entries = []
                for n, m in enumerate(members, start=1):
                    entries.append(_add(zf, m))
                    if progress is not None:
                        progress(n, total)
                sums = sums_text(entries)
                sums_sig = sshsig.sign(sums, keys.signing_key, NAMESPACE)
                entries.append(_add(zf, Member(SUMS, "checksums", data=sums)))
                entries.append(_add(zf, Member(SUMS_SIG, "signature", data=sums_sig)))
                manifest = {
                    "format": FORMAT, "format_version": FORMAT_VERSION,
                    "batch_id": src.batch_id if src.round_id is None else None, "round_id": src.round_id,
                    "batch_ids": batch_ids, "title": titles,
                    "created_at": created_at or now(),
                    "agency": {"fingerprint": keys.fingerprint,
                               "public_key": sshsig.public_key_line(keys.public_key)},
                    "signature_namespace": NAMESPACE,
                    "audit_head": {"seq": audit_head.seq, "hash": audit_head.hash},
                    "members": entries,
                }
                manifest_bytes = strictjson.dumps(manifest)
                _add(zf, Member(MANIFEST, "manifest", data=manifest_bytes))
                _add(zf, Member(MANIFEST_SIG, "signature",
                                data=sshsig.sign(manifest_bytes, keys.signing_key, NAMESPACE)))
            fh.flush()
            os.fsync(fh.fileno())
        with contextlib.suppress(OSError):
            os.chmod(tmp, 0o644)
        verify_archive(tmp, expect_fingerprint=keys.fingerprint).close()
        replace_with_retry(tmp, out)
        fsync_dir(out.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    if progress is not None:
        progress(total, total)
    return Written(out, manifest)
