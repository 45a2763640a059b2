"""The archive (归档包): written from a real agency workspace, verified, restored to the same
results.csv, and every tamper refused with its code."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.agency import archive as arch
from tic_desktop.agency.archive_restore import restore_archive
from tic_desktop.agency.archive_verify import verify_archive
from tic_desktop.core.consolidation import VetoDecision
from tic_desktop.core.errors import Rejected
from tic_desktop.core.panel_meeting import PanelMeeting
from tic_desktop.core.panel_opinion import PanelOpinion
from tic_desktop.formats import sshsig, strictjson
from tic_desktop.formats.keys import create_agency_keys, load_agency_keys


def revision_of_e02(root: Path, batch_path: Path, identity: str, done: list[Any]) -> None:
    """E02 sends a second revision (other scores, sheet_seq 2 superseding the first) beside the first."""
    import tempfile

    from tests.unit.agency_world import World, resign
    from tic_desktop.formats.batch import read_batch
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    raw = batch_path.read_bytes()
    opened = read_batch(raw, identity=identity)
    world = World(root, batch_path, identity, opened, {s.expert_id: s.result.path for s in done},
                  {s.expert_id: s.key for s in done})
    first = world.read(world.sheets["E02"])
    with tempfile.TemporaryDirectory() as tmp:
        s = simulate_expert(opened, raw, opened.manifest.expert("E02"), Path(tmp), Path(tmp) / "w", seed=9,
                            plan=ScoresPlan(), key=world.keys["E02"])
        resign(world, s.result.path, root / "sheets" / "E02-rev2.ticsheet", sheet_seq=2,
               supersedes=first.sheet_sha256, audit_head=(first.sheet.audit_head.seq + 50, "ab" * 32))
    opened.close()


def make_session(root: Path) -> dict[str, Any]:
    """A real agency workspace: a batch under fresh agency keys, every expert's signed sheet imported
    (one expert twice: a revision), consolidated, reports written, and the archive."""
    from tests.batches import write_test_batch
    from tic_desktop.agency import scan_store
    from tic_desktop.agency.importer import import_sheets
    from tic_desktop.agency.service.panel import build_report
    from tic_desktop.agency.workspace import AgencyWorkspace
    from tic_desktop.formats.sheet import read_sheet
    from tic_desktop.reports.exports import write_all
    from tic_desktop.simulate import simulate

    batch_path = write_test_batch(root / "batch")
    agency_dir = root / "batch" / "agency"
    keys = load_agency_keys(agency_dir)
    identity = (agency_dir / "agency.agekey").read_text("utf-8")
    done = simulate(batch_path, root / "sheets", seed=3)
    revision_of_e02(root, batch_path, identity, done)
    ws = AgencyWorkspace.open(root / "ws" / "agency.db", check_location=False)
    info = ws.add_batch(batch_path, identity, own_fingerprint=keys.fingerprint)
    with ws.open_batch(info.batch_id, identity) as batch:
        ws.pin_allowed_signers(info.batch_id, (root / "sheets" / "allowed_signers").read_text())
        import_sheets(ws, batch, identity, [root / "sheets"])
        pid = batch.manifest.proposals[0].id
        form_id = next(iter(batch.forms))
        ws.save_opinion(info.batch_id, pid, form_id, PanelOpinion(overall="总体良好", conclusion="通过", chair_name="张三"))
        ws.save_meeting(info.batch_id, PanelMeeting(date="2026-12-01", place="天津", mode="meeting"))
        veto = next(iter(batch.forms[form_id].vetoes)).id
        ws.set_veto_decision(info.batch_id, (pid, form_id, veto), VetoDecision(False, "核实无此情形", "张三", ""))
        got = read_sheet(root / "sheets" / "E01.ticsheet", batch, identity=identity)  # its printout, scanned
        (root / "scan-E01.pdf").write_bytes(got.members[next(n for n in got.members if n.startswith("pdf/"))])
        scan_store.add_scan(ws, info.batch_id, scan_store.decode_scan(root / "scan-E01.pdf"))
        report = build_report(ws, batch, "2026-12-03T10:00:00+08:00")
        write_all(root / "reports", report)
    out = root / "2026.ticarchive"
    arch.write_archive(out, arch.ArchiveSource(ws, info.batch_id, root / "reports"), keys,
                       created_at="2026-12-03T02:00:00.000Z")
    return {"ws": ws, "keys": keys, "identity": identity, "archive": out, "batch_id": info.batch_id,
            "reports": root / "reports", "agency_dir": agency_dir, "root": root}


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Any:
    s = make_session(tmp_path_factory.mktemp("archive"))
    yield s
    s["ws"].close()


def members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def rezip(path: Path, content: dict[str, bytes]) -> Path:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in content.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)), data)
    path.write_bytes(buf.getvalue())
    return path


def resign(content: dict[str, bytes], key: Any, *, public: Any = None) -> dict[str, bytes]:
    """Recompute every member's entry in the manifest and SHA256SUMS, and sign both with `key`."""
    manifest = json.loads(content[arch.MANIFEST])
    entries = []
    for e in manifest["members"]:
        if e["path"] in (arch.SUMS, arch.SUMS_SIG):
            continue
        data = content[e["path"]]
        entries.append({**e, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()})
    sums = arch.sums_text(entries)
    sums_sig = sshsig.sign(sums, key, arch.NAMESPACE)
    content = {**content, arch.SUMS: sums, arch.SUMS_SIG: sums_sig}
    for name in (arch.SUMS, arch.SUMS_SIG):
        entries.append({"path": name, "kind": "checksums" if name == arch.SUMS else "signature",
                        "size": len(content[name]), "sha256": hashlib.sha256(content[name]).hexdigest()})
    manifest["members"] = entries
    pub = key.public_key()
    manifest["agency"] = {"fingerprint": sshsig.fingerprint(pub), "public_key": sshsig.public_key_line(pub)}
    raw = strictjson.dumps(manifest)
    content[arch.MANIFEST] = raw
    content[arch.MANIFEST_SIG] = sshsig.sign(raw, key, arch.NAMESPACE)
    return content


def refused(path: Path, **kw: Any) -> str:
    with pytest.raises(Rejected) as err:
        verify_archive(path, **kw).close()
    return err.value.code


def test_the_archive_holds_everything_listed_and_verifies(session: dict[str, Any]) -> None:
    content = members(session["archive"])
    manifest = json.loads(content["manifest.json"])
    paths = [m["path"] for m in manifest["members"]]
    assert set(content) == set(paths) | {"manifest.json", "manifest.json.sig"}
    assert f"batch/{session['batch_id']}.ticbatch" in paths
    assert {"sheets.json", "import_log.json", "audit_log.jsonl", "decisions.json", "opinions.json",
            "meeting.json", "expert_keys.json", "SHA256SUMS", "SHA256SUMS.sig", "scans.json"} <= set(paths)
    scan = hashlib.sha256((session["root"] / "scan-E01.pdf").read_bytes()).hexdigest()
    assert f"scans/{scan}.pdf" in paths
    assert {f"reports/{n}" for n in ("consolidated.pdf", "results.csv", "results.xlsx", "scores.csv")} <= set(paths)
    assert len([p for p in paths if p.startswith("sheets/")]) == 8  # E02's two revisions kept
    for m in manifest["members"]:
        assert len(content[m["path"]]) == m["size"]
        assert hashlib.sha256(content[m["path"]]).hexdigest() == m["sha256"]
    assert manifest["agency"]["fingerprint"] == session["keys"].fingerprint
    assert (session["reports"] / "results.csv").read_bytes() == content["reports/results.csv"]
    with verify_archive(session["archive"], expect_fingerprint=session["keys"].fingerprint) as v:
        assert v.signer_checked and v.batch_id == session["batch_id"]
        assert v.audit_entries == manifest["audit_head"]["seq"] > 0


def test_the_same_workspace_gives_the_same_bytes(session: dict[str, Any], tmp_path: Path) -> None:
    again = tmp_path / "again.ticarchive"
    arch.write_archive(again, arch.ArchiveSource(session["ws"], session["batch_id"], session["reports"]),
                       session["keys"], created_at="2026-12-03T02:00:00.000Z")
    assert again.read_bytes() == session["archive"].read_bytes()


def test_restore_reproduces_results_csv_byte_for_byte(session: dict[str, Any], tmp_path: Path) -> None:
    from tic_desktop.agency import scan_store
    from tic_desktop.agency.workspace import AgencyWorkspace

    out = tmp_path / "restored"
    r = restore_archive(session["archive"], session["identity"], out)
    assert r.results_identical is True
    assert (out / "results.csv").read_bytes() == (session["reports"] / "results.csv").read_bytes()
    assert r.sheets_imported == 8 and not r.sheets_refused
    with AgencyWorkspace.open(out / "agency" / "agency.db", check_location=False) as ws:
        assert [(x.sheet_seq, x.state) for x in ws.sheets(r.batch_id) if x.expert_id == "E02"] == [
            (1, "superseded"), (2, "current")]
        assert ws.veto_decisions(r.batch_id) == session["ws"].veto_decisions(r.batch_id)
        assert ws.meeting(r.batch_id) == session["ws"].meeting(r.batch_id)
        assert {k: v.overall for k, v in ws.opinions(r.batch_id).items()} == {
            k: v.overall for k, v in session["ws"].opinions(r.batch_id).items()}
        assert [x.scan_sha256 for x in scan_store.scans(ws, r.batch_id)] == [
            x.scan_sha256 for x in scan_store.scans(session["ws"], r.batch_id)]
        assert scan_store.check(ws, r.batch_id).rows == scan_store.check(session["ws"], r.batch_id).rows
    assert (out / "agency" / "agency.db").is_file()
    with pytest.raises(Rejected) as err:
        restore_archive(session["archive"], session["identity"], out)
    assert err.value.code == "archive.restore_not_empty"


def test_one_byte_of_a_member_changed_is_refused(session: dict[str, Any], tmp_path: Path) -> None:
    content = members(session["archive"])
    csv = bytearray(content["reports/results.csv"])
    csv[-3] ^= 1
    content["reports/results.csv"] = bytes(csv)
    assert refused(rezip(tmp_path / "t.ticarchive", content)) == "archive.member_hash"


def test_a_member_replaced_and_rehashed_without_resigning_is_refused(session: dict[str, Any], tmp_path: Path) -> None:
    content = members(session["archive"])
    content["reports/results.csv"] = content["reports/results.csv"] + b"P99,forged\r\n"
    forged = resign(dict(content), session["keys"].signing_key)
    forged[arch.MANIFEST_SIG] = content[arch.MANIFEST_SIG]  # the manifest re-hashed, the old signature kept
    assert refused(rezip(tmp_path / "t.ticarchive", forged)) == "archive.bad_signature"


def test_resigned_by_another_key_is_refused_with_the_expected_fingerprint(session: dict[str, Any],
                                                                          tmp_path: Path) -> None:
    other = create_agency_keys(tmp_path / "other")
    content = members(session["archive"])
    content["reports/results.csv"] = content["reports/results.csv"] + b"X,forged\r\n"
    path = rezip(tmp_path / "t.ticarchive", resign(content, other.signing_key))
    assert refused(path, expect_fingerprint=session["keys"].fingerprint) == "archive.wrong_signer"
    with verify_archive(path) as v:  # consistent in itself: without a pin only the words say so
        assert not v.signer_checked and v.signer_fingerprint == other.fingerprint
    with pytest.raises(Rejected) as err:  # and it cannot be restored as this agency's
        restore_archive(path, session["identity"], tmp_path / "out")
    assert err.value.code == "agency.not_own_signature"


def test_extra_removed_and_renamed_members_are_refused(session: dict[str, Any], tmp_path: Path) -> None:
    content = members(session["archive"])
    assert refused(rezip(tmp_path / "a.ticarchive", {**content, "reports/notes.txt": b"hi"})) == "archive.extra_member"
    less = {k: v for k, v in content.items() if k != "reports/scores.csv"}
    assert refused(rezip(tmp_path / "b.ticarchive", less)) == "archive.missing_member"
    renamed = {("reports/scores2.csv" if k == "reports/scores.csv" else k): v for k, v in content.items()}
    assert refused(rezip(tmp_path / "c.ticarchive", renamed)) == "archive.missing_member"


def test_an_audit_entry_edited_with_its_hash_recomputed_breaks_the_chain(session: dict[str, Any],
                                                                        tmp_path: Path) -> None:
    from tic_desktop.storage.audit import DOMAIN

    content = members(session["archive"])
    lines = content["audit_log.jsonl"].decode().splitlines()
    entry = json.loads(lines[1])
    body = json.loads(entry["body"])
    body["actor"] = "someone else"
    entry["body"] = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    entry["hash"] = hashlib.sha256(DOMAIN + entry["seq"].to_bytes(8, "big") + bytes.fromhex(entry["prev_hash"])
                                   + entry["body"].encode()).hexdigest()
    lines[1] = json.dumps(entry, sort_keys=True, ensure_ascii=False)
    content["audit_log.jsonl"] = ("\n".join(lines) + "\n").encode()
    # as it is (the manifest untouched), and even re-signed by the agency's own key: the next entry no
    # longer follows
    assert refused(rezip(tmp_path / "a.ticarchive", content)) == "archive.audit_chain"
    path = rezip(tmp_path / "t.ticarchive", resign(content, session["keys"].signing_key))
    assert refused(path, expect_fingerprint=session["keys"].fingerprint) == "archive.audit_chain"
    # the last entry removed, and the manifest made again with the old head: the log ends too early
    short = members(session["archive"])
    short["audit_log.jsonl"] = b"".join(short["audit_log.jsonl"].splitlines(keepends=True)[:-1])
    path = rezip(tmp_path / "s.ticarchive", resign(short, session["keys"].signing_key))
    assert refused(path) == "archive.audit_chain"


@pytest.mark.parametrize("name,code", [("../evil.txt", "zip.path_traversal"), ("/etc/x", "zip.absolute_path")])
def test_hostile_names_are_refused(session: dict[str, Any], tmp_path: Path, name: str, code: str) -> None:
    content = members(session["archive"])
    assert refused(rezip(tmp_path / "t.ticarchive", {**content, name: b"x"})) == code


def test_duplicates_symlinks_and_non_archives_are_refused(session: dict[str, Any], tmp_path: Path) -> None:
    content = members(session["archive"])
    dup = rezip(tmp_path / "d.ticarchive", {**content, "Reports/results.csv": b"x"})
    assert refused(dup) == "zip.duplicate_member"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for k, v in content.items():
            zf.writestr(k, v)
        link = zipfile.ZipInfo("reports/link")
        link.create_system = 3
        link.external_attr = (0o120777) << 16
        zf.writestr(link, "/etc/passwd")
    (tmp_path / "s.ticarchive").write_bytes(buf.getvalue())
    assert refused(tmp_path / "s.ticarchive") == "zip.symlink"
    (tmp_path / "n.ticarchive").write_bytes(b"not a zip at all")
    assert refused(tmp_path / "n.ticarchive") == "archive.not_archive"
    shutil.copyfile(session["reports"] / "results.csv", tmp_path / "r.ticarchive")
    assert refused(tmp_path / "r.ticarchive") == "archive.not_archive"
    no_manifest = {k: v for k, v in content.items() if k != "manifest.json"}
    assert refused(rezip(tmp_path / "m.ticarchive", no_manifest)) == "archive.not_archive"


def test_a_zip_bomb_and_a_bad_manifest_are_refused(session: dict[str, Any], tmp_path: Path) -> None:
    content = members(session["archive"])
    # a bomb listed in a consistent manifest (signed by some key): inflating it stops at the ratio cap
    other = create_agency_keys(tmp_path / "other")
    bomb = resign({**content, "reports/bomb.csv": bytes(32 * 1024 * 1024)}, other.signing_key)  # 32 MiB of zeros
    bomb_manifest = json.loads(bomb[arch.MANIFEST])
    bomb_manifest["members"].append({"path": "reports/bomb.csv", "kind": "report", "size": 32 * 1024 * 1024,
                                     "sha256": hashlib.sha256(bomb["reports/bomb.csv"]).hexdigest()})
    bomb[arch.MANIFEST] = strictjson.dumps(bomb_manifest)
    bomb[arch.MANIFEST_SIG] = sshsig.sign(bomb[arch.MANIFEST], other.signing_key, arch.NAMESPACE)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for k, v in bomb.items():
            zf.writestr(k, v)
    (tmp_path / "b.ticarchive").write_bytes(buf.getvalue())
    assert refused(tmp_path / "b.ticarchive") == "zip.ratio_too_high"
    assert refused(tmp_path / "b.ticarchive", expect_fingerprint=session["keys"].fingerprint) == "archive.wrong_signer"
    manifest = json.loads(content[arch.MANIFEST])
    manifest["format_version"] = 2
    raw = strictjson.dumps(manifest)
    newer = {**content, arch.MANIFEST: raw,
             arch.MANIFEST_SIG: sshsig.sign(raw, session["keys"].signing_key, arch.NAMESPACE)}
    assert refused(rezip(tmp_path / "v.ticarchive", newer)) == "archive.unsupported_version"
    manifest["format_version"] = 1
    manifest["extra"] = True
    raw = strictjson.dumps(manifest)
    odd = {**content, arch.MANIFEST: raw, arch.MANIFEST_SIG: sshsig.sign(raw, session["keys"].signing_key, arch.NAMESPACE)}
    assert refused(rezip(tmp_path / "m.ticarchive", odd)) == "archive.bad_manifest"
    wrong_ns = {**content, arch.MANIFEST_SIG: sshsig.sign(content[arch.MANIFEST], session["keys"].signing_key,
                                                          "tic-batch-v1")}
    assert refused(rezip(tmp_path / "n.ticarchive", wrong_ns)) == "archive.bad_signature"
