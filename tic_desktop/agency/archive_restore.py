"""Restoring an archive (归档包) into a fresh agency workspace, and consolidating it again.

    restored = restore_archive(path, identity_text, out_dir)

A batch archive restores its batch (reports in `out_dir`); a round archive every batch of the round
(steps 2–3 each), then the round's records (official choice, previous results, 市科技局 decisions,
异议/复议, the 公示 notice), and writes what `round consolidate` writes (`out_dir/round.csv`, the
round's files, `out_dir/<batch_id>/…`).

1. `verify_archive` first (nothing is written when it refuses).
2. `out_dir` must be empty or new (`archive.restore_not_empty`). A fresh workspace is made in
   `out_dir/agency/` (agency.db, batches/, sheets/) with the archive signer's public key as
   `out_dir/agency/keys/agency_ed25519.pub`: the batch must be signed by that same key
   (`agency.not_own_signature`) and encrypted to the identity's key (`agency.not_own_batch`).
3. Each expert's key is enrolled again (the key of the expert's current sheet, else of the newest,
   else the registry's valid key, with its original source), then every kept sheet revision is
   imported again through `agency.importer` in the order of the original import log, then the
   conflict resolutions, the chair's veto decisions, the meeting record and the panel opinions, and the
   kept scans (decoded again) with the pages matched by hand.
4. The workspace is consolidated again and `agency.service.panel` writes the reports to
   `out_dir`; `results_identical` tells whether `out_dir/results.csv` (and a round's round.csv and
   every batch's results.csv) equals the archived one byte for byte (None when the archive holds none).
"""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop.core.errors import Rejected, register

NOT_EMPTY = register(
    "archive.restore_not_empty", "恢复归档包须使用一个空的（或尚不存在的）文件夹，以免覆盖已有文件。请另选文件夹。",
    "An archive is restored into an empty (or new) folder so that nothing is overwritten. Choose another folder.",
)
BAD_CONTENT = register(
    "archive.bad_content", "归档包中的记录文件（sheets.json、decisions.json 等）内容不符合格式，无法恢复。请向机构索取原件。",
    "A record file in the archive (sheets.json, decisions.json…) does not have the expected content, so it cannot "
    "be restored. Ask the agency for the original.",
)
_SAFE_NAME = re.compile(r"[^/\\\x00-\x1f]{1,200}")


@dataclass(frozen=True)
class Restored:
    out_dir: Path
    batch_id: str | None
    """The batch of a batch archive (None for a round's: `round_id`, `batch_ids`)."""
    signer_fingerprint: str
    signer_checked: bool
    sheets_imported: int
    sheets_refused: tuple[tuple[str, str], ...]
    """(file name, code) of each kept revision the fresh workspace did not take again."""
    written: tuple[Path, ...]
    results_identical: bool | None
    """Every results.csv (and a round's round.csv) equal to the archived one; None: nothing to compare."""
    round_id: str | None = None
    batch_ids: tuple[str, ...] = ()
    differing: tuple[str, ...] = ()
    """The archived result files that came out different."""


def _restore_scans(ws: Any, archive: Any, batch_id: str, pre: str, tmp: Path) -> None:
    """Each kept scan added again (decoded again, as the app does), then the pages matched by hand."""
    from tic_desktop.agency import scan_store  # noqa: PLC0415

    index = archive.read_json(pre + "scans.json")
    for n, scan in enumerate(index["scans"]):
        name = scan["file_name"] if _SAFE_NAME.fullmatch(scan["file_name"] or "") else Path(scan["member"]).name
        target = tmp / f"scan{n:05d}" / Path(name).name
        target.parent.mkdir()
        target.write_bytes(archive.read(pre + scan["member"]))
        scan_store.add_scan(ws, batch_id, scan_store.decode_scan(target, known=scan_store.known_sha256s(ws)))
    for m in index["manual_matches"]:
        with contextlib.suppress(Rejected):  # a page the fresh decode did read needs no match by hand
            scan_store.match_by_hand(ws, batch_id, m["scan_sha256"], m["page"], m["expert_id"], m["proposal_id"],
                                     m["reason"], sheet_page=m["sheet_page"], sheet_pages=m["sheet_pages"])


def _keys_to_enrol(index: list[dict[str, Any]], keys: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """expert id → (fingerprint, source) to enrol before the sheets are imported again."""
    source = {k["fingerprint"]: k["source"] for k in keys}
    wanted: dict[str, str] = {}
    for r in sorted(index, key=lambda r: (r["state"] == "current", r["sheet_seq"])):
        wanted[r["expert_id"]] = r["fingerprint"]  # the current sheet's key wins, else the newest's
    for k in keys:
        if k["ended_at"] is None:
            wanted.setdefault(k["expert_id"], k["fingerprint"])
    return {eid: (fp, source.get(fp, "manual")) for eid, fp in sorted(wanted.items())}


def _import_order(index: list[dict[str, Any]], log: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The kept revisions in the order they were first imported (the import log's order)."""
    first: dict[str, int] = {}
    for n, row in enumerate(log):
        if row.get("raw_sha256"):
            first.setdefault(row["raw_sha256"], n)
    unique = {r["raw_sha256"]: r for r in index}
    return sorted(unique.values(), key=lambda r: (first.get(r["raw_sha256"], len(log)), r["imported_at"]))


def restore_archive(path: Path, identity: str, out_dir: Path, *, passphrase: bytes | None = None,
                    expect_fingerprint: str | None = None, progress: Callable[[int, int], None] | None = None,
                    signer: Any = None) -> Restored:
    """See the module docstring. `signer` (`formats.docsign.DocumentSigner`): a batch's consolidated.pdf
    is signed (PAdES) as `consolidate` signs it."""
    from tic_desktop.agency.archive_verify import verify_archive  # noqa: PLC0415

    out_dir = Path(out_dir)
    with verify_archive(path, expect_fingerprint=expect_fingerprint) as archive:
        if out_dir.exists() and (not out_dir.is_dir() or any(out_dir.iterdir())):
            raise Rejected(NOT_EMPTY, str(out_dir))
        created = not out_dir.exists()
        try:
            return _restore(archive, identity, out_dir, passphrase, progress, signer)
        except (KeyError, TypeError, ValueError) as exc:  # records signed, yet not what this app writes
            _clean(out_dir, created)
            if os.environ.get("TIC_DEBUG"):
                raise
            raise Rejected(BAD_CONTENT, f"{type(exc).__name__}: {exc}"[:200]) from None
        except BaseException:
            _clean(out_dir, created)
            raise


def _clean(out_dir: Path, created: bool) -> None:
    """Remove what a failed restore wrote (the folder was new or empty before)."""
    import shutil  # noqa: PLC0415

    if created:
        shutil.rmtree(out_dir, ignore_errors=True)
        return
    for child in out_dir.iterdir() if out_dir.is_dir() else ():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child, ignore_errors=True)
        else:
            child.unlink(missing_ok=True)


def _restore(archive: Any, identity: str, out_dir: Path, passphrase: bytes | None,
             progress: Callable[[int, int], None] | None, signer: Any = None) -> Restored:
    from tic_desktop.agency.service import open_workspace  # noqa: PLC0415
    from tic_desktop.core.atomic import atomic_write  # noqa: PLC0415
    from tic_desktop.formats.keys import PUBLIC_KEY_FILE  # noqa: PLC0415

    agency_dir = out_dir / "agency"
    (agency_dir / "keys").mkdir(parents=True, exist_ok=True)
    atomic_write(agency_dir / "keys" / PUBLIC_KEY_FILE,
                 (archive.manifest["agency"]["public_key"] + "\n").encode("ascii"), mode=0o644)
    ws = open_workspace(agency_dir / "agency.db", check_location=False)
    written: list[Path] = []
    imported, refused = 0, []
    total = len(archive.batch_ids) + 1
    try:
        with tempfile.TemporaryDirectory(prefix="tic-restore-") as tmp:
            for n, batch_id in enumerate(archive.batch_ids):
                reports = out_dir if archive.round_id is None else None
                got, bad, files = _restore_batch(ws, archive, batch_id, identity, passphrase, Path(tmp) / f"b{n}",
                                                 reports, signer)
                imported += got
                refused += bad
                written += files
                if progress is not None:
                    progress(n + 1, total)
            if archive.round_id is not None:
                written += _restore_round(ws, archive, identity, passphrase, out_dir)
    finally:
        ws.close()
    compared = [(f"{archive.prefix(b)}reports/results.csv",
                 out_dir / ("results.csv" if archive.round_id is None else f"{b}/results.csv"))
                for b in archive.batch_ids]
    if archive.round_id is not None:
        compared.append(("reports/round.csv", out_dir / "round.csv"))
    listed = {x["path"] for x in archive.members}
    compared = [(member, mine) for member, mine in compared if member in listed]
    differing = tuple(member for member, mine in compared
                      if not mine.is_file() or mine.read_bytes() != archive.read(member))
    if progress is not None:
        progress(total, total)
    return Restored(out_dir, archive.batch_id, archive.signer_fingerprint, archive.signer_checked, imported,
                    tuple(refused), tuple(written), None if not compared else not differing,
                    archive.round_id, tuple(archive.batch_ids), differing)


def _restore_batch(ws: Any, archive: Any, batch_id: str, identity: str, passphrase: bytes | None, tmp: Path,
                   reports: Path | None, signer: Any = None) -> tuple[int, list[tuple[str, str]], list[Path]]:
    """One batch of the archive into `ws` (and its reports into `reports`, for a batch archive)."""
    from tic_desktop.agency.archive_verify import BAD_MANIFEST  # noqa: PLC0415
    from tic_desktop.agency.importer import import_sheets  # noqa: PLC0415
    from tic_desktop.agency.service.panel import build_report, write_exports  # noqa: PLC0415
    from tic_desktop.core.consolidation import VetoDecision  # noqa: PLC0415
    from tic_desktop.core.panel_meeting import PanelMeeting  # noqa: PLC0415
    from tic_desktop.core.panel_opinion import PanelOpinion  # noqa: PLC0415
    from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415

    pre = archive.prefix(batch_id)
    index = archive.read_json(pre + "sheets.json")
    log = archive.read_json(pre + "import_log.json")
    keys = archive.read_json(pre + "expert_keys.json")
    decisions = archive.read_json(pre + "decisions.json")
    opinions = archive.read_json(pre + "opinions.json")
    meeting = archive.read_json(pre + "meeting.json")
    batch_member = f"{pre}batch/{batch_id}.ticbatch"
    if batch_member not in {x["path"] for x in archive.members}:
        raise Rejected(BAD_MANIFEST, f"no {batch_member}")
    tmp.mkdir(parents=True)
    batch_file = tmp / f"{batch_id}.ticbatch"
    batch_file.write_bytes(archive.read(batch_member))
    own = archive.signer_fingerprint
    info = ws.add_batch(batch_file, identity, own_fingerprint=own, passphrase=passphrase,
                        allow_demo=is_demo_agency_fingerprint(own))
    if info.batch_id != batch_id:
        raise Rejected(BAD_MANIFEST, f"the batch inside is {info.batch_id}, not {batch_id}")
    with ws.open_batch(batch_id, identity, passphrase=passphrase, own_fingerprint=own) as batch:
        experts = set(ws.expert_ids(batch_id))
        for eid, (fp, source) in _keys_to_enrol(index, keys).items():
            if eid in experts:
                ws.pin(batch_id, eid, fp, source)
        files = []
        for n, r in enumerate(_import_order(index, log)):
            name = r["file_name"] if _SAFE_NAME.fullmatch(r["file_name"] or "") else r["member"]
            target = tmp / f"{n:05d}" / Path(name).name
            target.parent.mkdir()
            target.write_bytes(archive.read(pre + r["member"]))
            files.append(target)
        outcomes = import_sheets(ws, batch, identity, files)
        for c in decisions.get("conflict_resolutions", []):
            ws.resolve_conflict(batch_id, c["expert_id"], c["sheet_seq"], c["keep_sha256"], c["reason"])
        for d in decisions.get("veto_decisions", []):
            ws.set_veto_decision(batch_id, (d["proposal_id"], d["form_id"], d["veto_id"]), VetoDecision(
                confirmed=d["confirmed"], reason=d["reason"], decided_by=d["decided_by"], decided_at=d["decided_at"]))
        if meeting:
            ws.save_meeting(batch_id, PanelMeeting.from_dict(meeting))
        for o in opinions:
            ws.save_opinion(batch_id, o["proposal_id"], o["form_id"], PanelOpinion(**o["opinion"]))
        if pre + "scans.json" in archive.paths("scan_index"):
            _restore_scans(ws, archive, batch_id, pre, tmp)
        written = write_exports(reports, build_report(ws, batch), signer=signer) if reports is not None else []
    refused = [(o.file_name, o.code or o.status) for o in outcomes if not o.counted]
    return sum(1 for o in outcomes if o.counted), refused, list(written)


def _restore_round(ws: Any, archive: Any, identity: str, passphrase: bytes | None, out_dir: Path) -> list[Path]:
    """The round's records (official choice, previous results, decisions, objections, notice), then the
    round consolidated again and written as `round consolidate` writes it."""
    from tic_desktop.agency import round_store  # noqa: PLC0415
    from tic_desktop.agency.service.round import round_report, write_round_exports  # noqa: PLC0415
    from tic_desktop.core.round_results import FinalDecision  # noqa: PLC0415

    r = archive.read_json("round.json")
    rid = r["round_id"]
    round_store.create_round(ws, rid, r["title"], r["year"])
    for batch_id in r["batch_ids"]:
        round_store.add_batch(ws, rid, batch_id)
    if r["official"]["basis"] != "raw":
        round_store.set_official(ws, rid, r["official"]["basis"], r["official"]["reason"])
    if r["previous"]:
        round_store.import_previous(ws, rid, [round_store.previous_from_dict(p) for p in r["previous"]])
    for d in r["decisions"]:
        round_store.record_decision(ws, rid, FinalDecision(d["batch_id"], d["proposal_id"], d["decided_on"],
                                                           d["decision"], d["document_number"]))
    for o in r["objections"]:
        number = round_store.record_objection(ws, rid, o["batch_id"], o["proposal_id"], o["kind"], o["received_on"],
                                              o["submitted_by"], o["summary"])
        if o["outcome"]:
            round_store.settle_objection(ws, rid, number, o["outcome"], o["outcome_on"])
    if r["notice"] != round_store.notice(ws, rid):
        round_store.set_notice(ws, rid, r["notice"])
    report = round_report(ws, rid, identity, passphrase=passphrase, own_fingerprint=archive.signer_fingerprint)
    return list(write_round_exports(out_dir, report))
