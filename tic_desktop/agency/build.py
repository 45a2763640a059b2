"""Building batches from a source folder: what `tic-desktop batch build` and the app's batch wizard share.

`read_source` (formats.source) turns the folder into a `BatchSpec` or raises the first mistake,
naming file, row and column; `inspect_source` keeps that mistake beside the raw proposals and
experts tables, so the wizard can show the rows and point at the wrong one.

Output layouts:
- `single`: one file for the whole panel.
- `per_expert`: the SAME signed batch (one manifest, one manifest hash, so every score sheet refers
  to the same batch and consolidation sees one batch) written once per expert as
  `<batch_id>-<expert_id>.ticbatch`, each file encrypted on its own (with the same passphrase, or
  unencrypted). The ZIP is built and signed once; only the age layer differs between files.
- `per_panel`: when the experts table has a 专家组 column, one batch per panel (`split_by_panel`):
  `<batch_id>-P<n>` holds that panel's experts and only the proposals (and PDFs) assigned to them,
  its title names the panel, and each panel's sheets are consolidated on their own. Without the
  column a source folder is one panel.

Every file written is opened again from disk with `read_batch` (signature, members, hashes) and
its manifest hash compared with the one built; a mismatch raises and the file is not reported.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import pyrage

from tic_desktop.core.atomic import atomic_write
from tic_desktop.core.errors import BatchRejected, Rejected, SourceError, register
from tic_desktop.core.types import Text
from tic_desktop.formats import age_passphrase
from tic_desktop.formats import batch as fbatch
from tic_desktop.formats.batch import BatchSpec, write_batch
from tic_desktop.formats.envelope import encrypt
from tic_desktop.formats.keys import AgencyKeys
from tic_desktop.formats.manifest import Manifest
from tic_desktop.formats.source import read_source

Layout = Literal["single", "per_expert", "per_panel"]
LAYOUTS: tuple[Layout, ...] = ("single", "per_expert", "per_panel")
BATCH_SUFFIX = ".ticbatch"

PANEL_ID_TOO_LONG = register(
    "source.panel_id_too_long",
    "批次编号过长，无法为每个专家组加上“-P序号”后缀（批次编号最多 60 个字符）。请缩短批次编号。",
    "The batch id is too long to add a “-P<n>” suffix per panel (at most 60 characters). Shorten the batch id.",
)


DEMO_KEY = register(
    "build.demo_key",
    "这是公开的演示机构密钥（仅供演示，任何人都能用它签名），不能用来制作正式批次。请用 tic-desktop keys create 生成本机构的密钥；"
    "只做演示时加 --demo。",
    "This is the public DEMO-ONLY agency key (anyone can sign with it); it cannot make a real batch. Create this "
    "agency's keys with tic-desktop keys create; for a demo only, add --demo.",
)
KEY_DISAGREES = register(
    "build.expert_key_disagrees",
    "专家表“密钥指纹”列与可信签名者文件为同一位专家给出了不同的密钥。请核对该专家的密钥登记表后改正其中一处。",
    "The experts table's key_fingerprint column and the allowed_signers file give different keys for the same "
    "expert. Check the expert's enrolment sheet and correct one of them.",
)


def with_expert_keys(spec: BatchSpec, expert_keys: Mapping[str, str]) -> BatchSpec:
    """`spec` with each expert's enrolled key fingerprint (from the registry or an allowed_signers file)
    written in (principals that are not experts of the batch are ignored). A key already in the source's
    key_fingerprint column must agree; one key for two experts is refused."""
    from tic_desktop.agency.registry import SHARED_KEY  # noqa: PLC0415

    experts = []
    for e in spec.experts:
        fp = expert_keys.get(e.id)
        if fp is not None and e.key_fingerprint not in (None, fp):
            raise SourceError(KEY_DISAGREES, f"{e.id}: {e.key_fingerprint} ≠ {fp}")
        experts.append(e if fp is None else e.model_copy(update={"key_fingerprint": fp}))
    keys = [e.key_fingerprint for e in experts if e.key_fingerprint]
    if len(keys) != len(set(keys)):
        raise SourceError(SHARED_KEY, ", ".join(sorted({k for k in keys if keys.count(k) > 1})))
    return dataclasses.replace(spec, experts=experts)


def build_batches(
    src_dir: Path,
    out: Path,
    keys: AgencyKeys,
    *,
    passphrase: bytes | None = None,
    recipients: Sequence[str] = (),
    expert_keys: Mapping[str, str] | None = None,
) -> list[tuple[Path, Manifest]]:
    """The CLI's `batch build`: read `src_dir`, write one signed (optionally encrypted) batch to `out`
    — or, when the source has panels, one per panel beside it (`<out stem>-P<n>.ticbatch`). With
    `expert_keys` (expert id → fingerprint) each expert's key is written into the manifest."""
    spec = read_source(src_dir)
    if expert_keys:
        spec = with_expert_keys(spec, expert_keys)
    if not spec.panels:
        return [(out, write_batch(out, spec, keys, passphrase=passphrase, recipients=tuple(recipients)))]
    written = []
    for n, (_panel, sub) in enumerate(split_by_panel(spec), start=1):
        path = Path(out).with_name(f"{Path(out).stem}-P{n}{Path(out).suffix or BATCH_SUFFIX}")
        written.append((path, write_batch(path, sub, keys, passphrase=passphrase, recipients=tuple(recipients))))
    return written


def split_by_panel(spec: BatchSpec) -> list[tuple[str, BatchSpec]]:
    """One batch per panel (专家组), in the order the panels first appear in the experts table."""
    if not spec.panels:
        return [("", spec)]
    if len(spec.batch_id) > 60:
        raise SourceError(PANEL_ID_TOO_LONG, spec.batch_id)
    out = []
    for n, panel in enumerate(dict.fromkeys(spec.panels[e.id] for e in spec.experts), start=1):
        experts = [e for e in spec.experts if spec.panels[e.id] == panel]
        wanted = {pid for e in experts for pid in e.assigned}
        proposals = [p for p in spec.proposals if p.id in wanted]
        used = {fid for p in proposals for fid in p.forms}
        prefixes = tuple(f"proposals/{p.id}/" for p in proposals)
        out.append((panel, dataclasses.replace(
            spec,
            batch_id=f"{spec.batch_id}-P{n}",
            title=Text(zh=f"{spec.title.zh}（{panel}）", en=f"{spec.title.en} ({panel})"),
            forms=[f for f in spec.forms if f.id in used],
            proposals=proposals,
            documents={k: v for k, v in spec.documents.items() if k.startswith(prefixes)},
            experts=experts,
            consolidation={k: v for k, v in spec.consolidation.items() if k in used} if spec.consolidation else None,
            panels={},
        )))
    return out


# ── the source, with its mistake ────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class RawTable:
    """A table as the spreadsheet holds it: `rows` are (spreadsheet row number, cells)."""

    label: str
    headers: list[str]
    rows: list[tuple[int, list[str]]]


@dataclass(frozen=True)
class SourceReport:
    src_dir: Path
    spec: BatchSpec | None
    error: Rejected | None
    tables: dict[str, RawTable] = field(default_factory=dict)
    """"proposals" and "experts" as read (absent when the file itself cannot be read)."""

    def error_row(self, table: str) -> int | None:
        """The spreadsheet row the error names in `table`, if it names one."""
        raw = self.tables.get(table)
        if self.error is None or raw is None:
            return None
        m = re.match(r"(.+?) 第 (\d+) 行", self.error.detail)
        return int(m.group(2)) if m and m.group(1) == raw.label else None


def inspect_source(src_dir: Path) -> SourceReport:
    """`read_source`, keeping its first mistake (a `SourceError`) instead of raising it."""
    src_dir = Path(src_dir)
    tables = _raw_tables(src_dir)
    try:
        spec = read_source(src_dir)
    except (SourceError, BatchRejected) as exc:
        return SourceReport(src_dir, None, exc, tables)
    return SourceReport(src_dir, spec, None, tables)


def _raw_tables(src_dir: Path) -> dict[str, RawTable]:
    # formats.source's own table finder, so the rows shown are exactly the ones read_source reads
    from tic_desktop.formats.table import Folder  # noqa: PLC0415

    out: dict[str, RawTable] = {}
    if not src_dir.is_dir():
        return out
    folder = Folder(src_dir)
    try:
        for stem, sheets in (("proposals", ("proposals", "申报项目")), ("experts", ("experts", "专家"))):
            try:
                t = folder.table(stem, sheets, required=False)
            except (Rejected, OSError, ValueError):
                continue
            if t is not None:
                out[stem] = RawTable(t.label_zh, t.headers, t.rows)
    finally:
        folder.close()
    return out


# ── writing ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class WrittenBatch:
    path: Path
    expert_id: str | None
    """The expert the file is for (per-expert layout), else None."""
    manifest_sha256: str
    encrypted: bool


def file_name(batch_id: str, expert_id: str | None = None) -> str:
    return f"{batch_id}-{expert_id}{BATCH_SUFFIX}" if expert_id else f"{batch_id}{BATCH_SUFFIX}"


def write_batches(
    spec: BatchSpec,
    keys: AgencyKeys,
    out_dir: Path,
    *,
    layout: Layout = "single",
    passphrase: bytes | None = None,
    progress: Callable[[int, int], None] | None = None,
    work_factor: int | None = None,
    agency_copy: Path | None = None,
) -> list[WrittenBatch]:
    """Sign `spec` once and write the files of `layout` into `out_dir`, each read back from disk.

    `work_factor` is the scrypt log2(N) of a passphrase (default `age_passphrase.LOG_N`). With
    `agency_copy`, the same signed ZIP is also written there encrypted to the agency's own key
    (what the agency workspace keeps); it is not in the list returned."""
    if layout not in LAYOUTS:
        raise ValueError(f"unknown layout {layout!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    if layout == "per_panel":  # one batch per panel, each written as `single` (agency copies beside agency_copy)
        parts = split_by_panel(spec)
        done: list[WrittenBatch] = []
        for n, (_panel, sub) in enumerate(parts):
            step = (lambda d, t, n=n: progress(n * t + d, len(parts) * t)) if progress else None
            copy = agency_copy.with_name(f"{sub.batch_id}{BATCH_SUFFIX}") if agency_copy is not None else None
            done += write_batches(sub, keys, out_dir, layout="single", passphrase=passphrase, progress=step,
                                  work_factor=work_factor, agency_copy=copy)
        return done
    targets: list[str | None] = [e.id for e in spec.experts] if layout == "per_expert" else [None]
    total = len(targets) + 1
    if progress:
        progress(0, total)
    manifest, plain = fbatch.build_batch_zip(spec, keys)
    with fbatch.read_batch(plain, pinned_fingerprint=keys.fingerprint) as opened:  # as write_batch does
        expected = opened.manifest_sha256
    if progress:
        progress(1, total)
    written = []
    for n, expert_id in enumerate(targets, start=2):
        path = out_dir / file_name(manifest.batch_id, expert_id)
        written.append(
            _write_one(path, plain, keys, expected, expert_id, passphrase=passphrase, work_factor=work_factor)
        )
        if progress:
            progress(n, total)
    if agency_copy is not None:
        write_agency_copy(plain, keys, agency_copy)
    return written


def write_agency_copy(spec_or_plain: BatchSpec | bytes, keys: AgencyKeys, path: Path) -> WrittenBatch:
    """The agency's own copy of a batch, encrypted to the agency's age key (what its workspace opens)."""
    plain = (
        spec_or_plain if isinstance(spec_or_plain, bytes) else fbatch.build_batch_zip(spec_or_plain, keys)[1]
    )
    with fbatch.read_batch(plain, pinned_fingerprint=keys.fingerprint) as opened:
        expected = opened.manifest_sha256
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    return _write_one(Path(path), plain, keys, expected, None, recipients=(keys.age_recipient,))


def _write_one(
    path: Path,
    plain: bytes,
    keys: AgencyKeys,
    expected: str,
    expert_id: str | None,
    *,
    passphrase: bytes | None = None,
    recipients: Sequence[str] = (),
    work_factor: int | None = None,
) -> WrittenBatch:
    # A passphrase goes through formats.age_passphrase (a standard age scrypt file, as pyrage writes,
    # but hashlib.scrypt releases the GIL: the app's window stays responsive while files are written).
    try:
        if passphrase:
            data = age_passphrase.encrypt(plain, passphrase, log_n=work_factor or age_passphrase.LOG_N)
        else:
            data = encrypt(fbatch.batch_document(), plain, recipients=recipients)
    except (pyrage.RecipientError, ValueError) as exc:
        raise BatchRejected(fbatch.INVALID_SPEC, f"bad recipient or passphrase: {exc}") from None
    identity = keys.age_identity_text() if recipients else None

    def verify(written: Path) -> None:
        source: Path | bytes = written
        if passphrase:
            source = age_passphrase.decrypt(written.read_bytes(), passphrase.decode("utf-8"))
        with fbatch.read_batch(source, identity=identity, pinned_fingerprint=keys.fingerprint) as again:
            if again.manifest_sha256 != expected:
                raise BatchRejected(fbatch.HASH_MISMATCH, f"{written.name}: manifest differs after writing")

    atomic_write(path, data)  # then read back once from the final file (a scrypt costs ~1 s)
    try:
        verify(path)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return WrittenBatch(path, expert_id, expected, bool(passphrase or recipients))
