""".ticsheet: stock-tool verification (age, ssh-keygen, openssl) and every rejection of read_sheet."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyrage
import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tic_desktop.core.errors import SheetRejected, known_codes
from tic_desktop.formats import agecrypt, container, sshsig
from tic_desktop.formats import sheet as sf
from tic_desktop.formats.batch import read_batch

TOOLS = ("age", "ssh-keygen", "openssl")
needs_tools = pytest.mark.skipif(not all(shutil.which(t) for t in TOOLS), reason="age, ssh-keygen, openssl needed")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The demo batch and two simulated experts' sheets (E01 scores all; E04 has a known conflict)."""
    from tic_desktop.demo import write_demo_batch
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    root = tmp_path_factory.mktemp("sheet")
    batch_path = write_demo_batch(root / "demo")
    raw = batch_path.read_bytes()
    opened = read_batch(raw)
    out = root / "out"
    out.mkdir()
    sims = {}
    for eid in ("E01", "E04"):
        expert = opened.manifest.expert(eid)
        sims[eid] = simulate_expert(opened, raw, expert, out, root / "work", seed=5, plan=ScoresPlan())
    agency_dir = root / "demo" / "agency"
    identity = (agency_dir / "agency.agekey").read_text("utf-8")
    signers = "\n".join(sf.allowed_signers_line(e, s.key.signing_key.public_key()) for e, s in sims.items()) + "\n"
    (root / "allowed_signers").write_text(signers, "utf-8")
    return {"root": root, "batch": opened, "batch_path": batch_path, "identity": identity, "sims": sims,
            "agency_dir": agency_dir, "allowed_signers": root / "allowed_signers"}


def _members(world: dict[str, Any], eid: str = "E01") -> dict[str, bytes]:
    data = world["sims"][eid].result.path.read_bytes()
    plain = agecrypt.decrypt(data, identities=agecrypt.identities_from_text(world["identity"]), max_output=1 << 30)
    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _pack(world: dict[str, Any], members: dict[str, bytes], *, encrypt: bool = True) -> bytes:
    data = container.write_zip(members)
    if not encrypt:
        return data
    return agecrypt.encrypt_to_recipients(data, [world["batch"].manifest.agency.age_recipient])


def _resign(world: dict[str, Any], members: dict[str, bytes], body: dict[str, Any] | bytes,
            key: Ed25519PrivateKey | None = None, eid: str = "E01") -> dict[str, bytes]:
    key = key or world["sims"][eid].key.signing_key
    raw = body if isinstance(body, bytes) else rfc8785.dumps(body)
    out = dict(members)
    out[sf.SHEET] = raw
    out[sf.SHEET_SIG] = sshsig.sign(raw, key, sf.SHEET_NAMESPACE)
    out[sf.SHEET_RAW_SIG] = key.sign(raw)
    return out


def _read(world: dict[str, Any], data: bytes, **kw: Any) -> sf.OpenedSheet:
    kw.setdefault("identity", world["identity"])
    return sf.read_sheet(data, world["batch"], **kw)


def _code(world: dict[str, Any], data: bytes, **kw: Any) -> str:
    with pytest.raises(SheetRejected) as info:
        _read(world, data, **kw)
    return info.value.code


# ── stock tools ─────────────────────────────────────────────────────────────────────────────

@needs_tools
def test_stock_tools_verify_the_exported_sheet(world: dict[str, Any], tmp_path: Path) -> None:
    sheet_file = world["sims"]["E01"].result.path
    zpath = tmp_path / "E01.zip"
    with zpath.open("wb") as fh:
        subprocess.run(["age", "-d", "-i", str(world["agency_dir"] / "agency.agekey"), str(sheet_file)],
                       stdout=fh, check=True)
    with zipfile.ZipFile(zpath) as zf:
        names = set(zf.namelist())
        assert {"sheet.json", "sheet.json.sig", "sheet.json.ed25519", "expert.pub", "expert.pem", "pledge.pdf"} <= names
        assert {f"pdf/{p.id}.pdf" for p in world["batch"].proposals.values()} <= names
        zf.extractall(tmp_path / "x")  # our own trusted file; the app never extracts
    x = tmp_path / "x"

    def ssh_verify(principal: str = "E01", namespace: str = "tic-sheet-v1", body: Path | None = None) -> int:
        with (body or x / "sheet.json").open("rb") as fh:
            return subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(world["allowed_signers"]), "-I", principal,
                                   "-n", namespace, "-s", str(x / "sheet.json.sig")], stdin=fh,
                                  capture_output=True).returncode

    def openssl_verify(body: Path | None = None, pem: Path | None = None) -> int:
        return subprocess.run(["openssl", "pkeyutl", "-verify", "-pubin", "-inkey", str(pem or x / "expert.pem"), "-rawin",
                               "-in", str(body or x / "sheet.json"), "-sigfile", str(x / "sheet.json.ed25519")],
                              capture_output=True).returncode

    assert ssh_verify() == 0
    assert openssl_verify() == 0
    # the OpenSSH line shipped in the sheet works as an allowed_signers entry too
    line = (x / "expert.pub").read_text().split()
    (tmp_path / "own_signers").write_text(f'E01 namespaces="tic-sheet-v1" {line[0]} {line[1]}\n')
    with (x / "sheet.json").open("rb") as fh:
        assert subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "own_signers"), "-I", "E01", "-n",
                               "tic-sheet-v1", "-s", str(x / "sheet.json.sig")], stdin=fh, capture_output=True).returncode == 0

    tampered = tmp_path / "tampered.json"
    body = (x / "sheet.json").read_bytes()
    i = body.index(b'"score":"') + len(b'"score":"')
    tampered.write_bytes(body[:i] + (b"1" if body[i:i + 1] != b"1" else b"2") + body[i + 1:])
    assert ssh_verify(body=tampered) != 0
    assert openssl_verify(body=tampered) != 0
    assert ssh_verify(principal="E04") != 0  # another expert's key
    assert ssh_verify(namespace="tic-batch-v1") != 0  # another purpose
    other = tmp_path / "other.pem"
    other.write_bytes(sf.public_pem(Ed25519PrivateKey.generate().public_key()))
    assert openssl_verify(pem=other) != 0


@needs_tools
def test_expert_can_reopen_with_own_age_key(world: dict[str, Any], tmp_path: Path) -> None:
    sim = world["sims"]["E01"]
    ident = tmp_path / "expert.agekey"
    ident.write_text(str(sim.key.age_identity) + "\n")
    out = subprocess.run(["age", "-d", "-i", str(ident), str(sim.result.path)], capture_output=True, check=True)
    assert out.stdout.startswith(b"PK\x03\x04")
    got = sf.read_sheet(sim.result.path, world["batch"], identities=[str(sim.key.age_identity)])
    assert got.sheet.expert_id == "E01"


# ── the model ───────────────────────────────────────────────────────────────────────────────

def test_sheet_json_is_canonical_and_complete(world: dict[str, Any]) -> None:
    got = _read(world, world["sims"]["E01"].result.path.read_bytes(), allowed_signers=world["allowed_signers"].read_text())
    s = got.sheet
    assert rfc8785.dumps(json.loads(got.sheet_bytes)) == got.sheet_bytes
    assert s.format == "tic-sheet" and s.format_version == "1.0" and s.app_version
    m = world["batch"].manifest
    assert s.batch_id == m.batch_id and s.batch_manifest_sha256 == world["batch"].manifest_sha256
    assert s.recipient.age_recipient == m.agency.age_recipient
    assert s.recipient.fingerprint == m.agency.signing_key_fingerprint
    assert s.signer_fingerprint == world["sims"]["E01"].key.fingerprint
    assert s.sheet_seq == 1 and s.supersedes is None and s.audit_head.seq > 0
    assert {f.id for f in s.forms} == set(world["batch"].forms)
    body = json.loads(got.sheet_bytes)
    entry = body["proposals"][0]
    assert entry["forms"][0]["criteria"][0]["score"] is None or isinstance(entry["forms"][0]["criteria"][0]["score"], str)
    assert isinstance(entry["forms"][0]["total"], str)
    assert entry["documents_opened"] and all(len(d["sha256"]) == 64 for d in entry["documents_opened"])
    assert {m_.path for m_ in s.members} == {"expert.pub", "expert.pem", "pledge.pdf",
                                             *(f"pdf/{p}.pdf" for p in world["batch"].proposals)}
    assert got.content_digest == sf.content_digest(s)
    assert s.pledge.text_sha256 and s.pledge.accepted_at


def test_known_conflict_is_declared_and_has_no_scores_or_pdf(world: dict[str, Any]) -> None:
    got = _read(world, world["sims"]["E04"].result.path.read_bytes())
    entry = got.sheet.proposal("TJ-BM-04")
    assert entry.conflict.declared and entry.conflict.reason == "known_in_advance"
    assert entry.forms == () and entry.documents_opened == ()
    assert "pdf/TJ-BM-04.pdf" not in got.members


def test_codes_are_registered_bilingually() -> None:
    codes = known_codes()
    for name in dir(sf):
        value = getattr(sf, name)
        if isinstance(value, str) and value.startswith("sheet.") and not value.startswith("sheet.json"):
            zh, en = codes[value]
            assert zh and en and zh != en


def test_allowed_signers_parser(world: dict[str, Any]) -> None:
    key = world["sims"]["E01"].key.signing_key.public_key()
    line = sshsig.public_key_line(key)
    parsed = sf.parse_allowed_signers(
        f"# comment\nE01,E09 {line} hello\nE02 namespaces=\"tic-batch-v1\" {line}\nE03 cert-authority,namespaces=\"tic-*\" {line}\n"
    )
    fp = sshsig.fingerprint(key)
    # E03's line names a certificate authority: it cannot vouch for a plain-key signature, and
    # ssh-keygen -Y verify refuses the sheet with it (test_allowed_signers_agree_with_ssh_keygen)
    assert parsed == {"E01": [fp], "E09": [fp]}
    with pytest.raises(SheetRejected) as info:
        sf.parse_allowed_signers("E01 ssh-ed25519 !!!notbase64\n")
    assert info.value.code == "sheet.allowed_signers_invalid"


# ── rejections ──────────────────────────────────────────────────────────────────────────────

def _body(members: dict[str, bytes]) -> dict[str, Any]:
    return json.loads(members[sf.SHEET])


def _relist(members: dict[str, bytes], body: dict[str, Any]) -> dict[str, Any]:
    others = {k: v for k, v in members.items() if k not in (sf.SHEET, sf.SHEET_SIG, sf.SHEET_RAW_SIG)}
    body["members"] = [e.model_dump(mode="json") for e in sf.member_entries(others)]
    return body


def _mutate_score(body: dict[str, Any]) -> dict[str, Any]:
    crit = body["proposals"][0]["forms"][0]["criteria"]
    c = next(c for c in crit if c["score"] is not None and c["score"] != "0")
    c["score"] = "0"
    return body


def _case_bad_sig(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    m = dict(m)
    m[sf.SHEET] = m[sf.SHEET].replace(b'"sheet_seq":1', b'"sheet_seq":2')
    return _pack(w, m)


def _case_pdf_swapped(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    m = dict(m)
    pdfs = sorted(k for k in m if k.startswith("pdf/"))
    m[pdfs[0]], m[pdfs[1]] = m[pdfs[1]], m[pdfs[0]]
    return _pack(w, m)


def _case_unlisted(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, {**m, "pdf/EXTRA.pdf": b"%PDF-1.4"})


def _case_unexpected(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, {**m, "notes.txt": b"hello"})


def _case_missing_pdf(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    m = dict(m)
    del m[sorted(k for k in m if k.startswith("pdf/"))[0]]
    return _pack(w, m)


def _case_raw_sig(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, {**m, sf.SHEET_RAW_SIG: w["sims"]["E01"].key.signing_key.sign(b"something else")})


def _case_pem(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, {**m, sf.EXPERT_PEM: sf.public_pem(Ed25519PrivateKey.generate().public_key())})


def _case_plain_zip(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, m, encrypt=False)


def _case_forger(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, _resign(w, m, _body(m), key=Ed25519PrivateKey.generate()))


def _case_score_rules(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, _resign(w, m, _mutate_score(_body(m))))


def _case_total(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["proposals"][0]["forms"][0]["total"] = "99.5"
    return _pack(w, _resign(w, m, body))


def _case_recipient(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["recipient"]["age_recipient"] = str(pyrage.x25519.Identity.generate().to_public())
    return _pack(w, _resign(w, m, body))


def _case_form_hash(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["forms"][0]["sha256"] = "0" * 64
    return _pack(w, _resign(w, m, body))


def _case_batch_id(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["batch_id"] = "OTHER-2026"
    return _pack(w, _resign(w, m, body))


def _case_manifest(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["batch_manifest_sha256"] = "a" * 64
    return _pack(w, _resign(w, m, body))


def _case_stranger(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["expert_id"] = "E99"
    mm = {**m, sf.EXPERT_PUB: (sshsig.public_key_line(w["sims"]["E01"].key.signing_key.public_key(), "E99") + "\n").encode()}
    return _pack(w, _resign(w, mm, _relist(mm, body)))


def _case_conflict_scored(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["proposals"][0]["conflict"] = {"declared": True, "reason": "family", "note": ""}
    return _pack(w, _resign(w, m, body))


def _case_unknown_doc(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["proposals"][0]["documents_opened"][0]["sha256"] = "b" * 64
    return _pack(w, _resign(w, m, body))


def _case_sequence(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["sheet_seq"] = 2
    return _pack(w, _resign(w, m, body))


def _case_minor(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["format_version"] = "1.1"
    return _pack(w, _resign(w, m, body))


def _case_extra_field(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["bonus"] = "x"
    return _pack(w, _resign(w, m, body))


def _case_float_score(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    c = next(c for c in body["proposals"][0]["forms"][0]["criteria"] if c["score"] is not None)
    c["score"] = 5
    return _pack(w, _resign(w, m, body))


def _case_duplicate_key(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    raw = m[sf.SHEET].replace(b'{"app_version"', b'{"app_version":"x","app_version"', 1)
    return _pack(w, _resign(w, m, raw))


def _case_not_canonical(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    return _pack(w, _resign(w, m, json.dumps(_body(m), indent=1).encode()))


def _case_listed_hash(w: dict[str, Any], m: dict[str, bytes]) -> bytes:
    body = _body(m)
    body["members"][0]["sha256"] = "c" * 64
    return _pack(w, _resign(w, m, body))


CASES: list[tuple[Callable[[dict[str, Any], dict[str, bytes]], bytes], str]] = [
    (_case_bad_sig, "sig.bad_signature"),
    (_case_pdf_swapped, "sheet.member_hash_mismatch"),
    (_case_unlisted, "sheet.member_unlisted"),
    (_case_unexpected, "zip.unexpected_member"),
    (_case_missing_pdf, "sheet.member_missing"),
    (_case_raw_sig, "sheet.raw_signature_bad"),
    (_case_pem, "sheet.public_key_mismatch"),
    (_case_plain_zip, "age.encryption_required"),
    (_case_forger, "sheet.signer_mismatch"),
    (_case_total, "sheet.total_mismatch"),
    (_case_score_rules, "sheet.score_invalid"),
    (_case_recipient, "sheet.wrong_recipient"),
    (_case_form_hash, "sheet.form_mismatch"),
    (_case_batch_id, "sheet.batch_mismatch"),
    (_case_manifest, "sheet.manifest_mismatch"),
    (_case_stranger, "sheet.unknown_expert"),
    (_case_conflict_scored, "sheet.conflict_scored"),
    (_case_unknown_doc, "sheet.document_unknown"),
    (_case_sequence, "sheet.bad_sequence"),
    (_case_minor, "format.update_required"),
    (_case_extra_field, "schema.invalid"),
    (_case_float_score, "schema.invalid"),
    (_case_duplicate_key, "json.duplicate_key"),
    (_case_not_canonical, "json.not_canonical"),
    (_case_listed_hash, "sheet.member_hash_mismatch"),
]


@pytest.mark.parametrize(("make", "code"), CASES, ids=[c[0].__name__[6:] for c in CASES])
def test_rejections(world: dict[str, Any], make: Callable[..., bytes], code: str) -> None:
    assert _code(world, make(world, _members(world))) == code


def test_untouched_repack_still_verifies(world: dict[str, Any]) -> None:
    got = _read(world, _pack(world, _members(world)))
    assert got.sheet.expert_id == "E01"


def test_wrong_identity(world: dict[str, Any]) -> None:
    other = str(pyrage.x25519.Identity.generate())
    assert _code(world, world["sims"]["E01"].result.path.read_bytes(), identity=other) == "age.wrong_identity"


def test_pinned_keys(world: dict[str, Any]) -> None:
    data = world["sims"]["E01"].result.path.read_bytes()
    signers = world["allowed_signers"].read_text()
    assert _read(world, data, allowed_signers=signers).sheet.expert_id == "E01"
    assert _read(world, data, pinned={"E01": world["sims"]["E01"].key.fingerprint})
    other = sf.allowed_signers_line("E01", Ed25519PrivateKey.generate().public_key())
    assert _code(world, data, allowed_signers=other) == "sheet.key_mismatch"
    assert _code(world, data, allowed_signers=signers.replace("E01 ", "E07 ")) == "sheet.key_not_pinned"
    assert _code(world, data, pinned={"E01": world["sims"]["E04"].key.fingerprint}) == "sheet.key_mismatch"


def test_wrong_batch(world: dict[str, Any], tmp_path: Path) -> None:
    from tic_desktop.demo import write_demo_batch

    other = read_batch(write_demo_batch(tmp_path / "b", kind="term_end_evaluation"))
    with pytest.raises(SheetRejected) as info:
        sf.read_sheet(world["sims"]["E01"].result.path, other, identity=world["identity"])
    assert info.value.code in ("sheet.batch_mismatch", "sheet.manifest_mismatch")


def test_size_cap(world: dict[str, Any]) -> None:
    data = world["sims"]["E01"].result.path.read_bytes()
    assert _code(world, data, limits=sf.SheetLimits(max_file_size=1000)) == "size.too_large"


def test_sheet_hash_is_of_exact_bytes(world: dict[str, Any]) -> None:
    got = _read(world, world["sims"]["E01"].result.path.read_bytes())
    assert got.sheet_sha256 == hashlib.sha256(got.sheet_bytes).hexdigest()
    assert got.sheet_sha256 == world["sims"]["E01"].result.sheet_sha256


# ── the sheet covers exactly the expert's assignment ────────────────────────────────────────

def _drop_proposals(w: dict[str, Any], eid: str, keep: Callable[[dict[str, Any]], bool]) -> bytes:
    """E's sheet without the proposals `keep` refuses (and their PDFs), re-listed and re-signed:
    internally consistent, so only the assignment check can catch it."""
    m = _members(w, eid)
    body = _body(m)
    dropped = {p["proposal_id"] for p in body["proposals"] if not keep(p)}
    body["proposals"] = [p for p in body["proposals"] if keep(p)]
    m = {k: v for k, v in m.items() if k not in {sf.pdf_member(pid) for pid in dropped}}
    return _pack(w, _resign(w, m, _relist(m, body), eid=eid))


def test_a_sheet_without_proposals_is_refused(world: dict[str, Any]) -> None:
    assert _code(world, _drop_proposals(world, "E01", lambda p: False)) == "sheet.proposal_missing"


def test_a_sheet_leaving_out_one_assigned_proposal_is_refused(world: dict[str, Any]) -> None:
    first = _body(_members(world))["proposals"][0]["proposal_id"]
    with pytest.raises(SheetRejected) as info:
        _read(world, _drop_proposals(world, "E01", lambda p: p["proposal_id"] != first))
    assert info.value.code == "sheet.proposal_missing" and first in info.value.detail


def test_leaving_out_a_known_conflict_is_a_conflict_not_declared(world: dict[str, Any]) -> None:
    assert "TJ-BM-04" in world["batch"].manifest.expert("E04").known_conflicts
    data = _drop_proposals(world, "E04", lambda p: p["proposal_id"] != "TJ-BM-04")
    assert _code(world, data) == "sheet.conflict_scored"


def test_the_app_export_lists_every_assigned_proposal_with_conflicts_declared(world: dict[str, Any]) -> None:
    for eid in ("E01", "E04"):
        sheet = _read(world, world["sims"][eid].result.path.read_bytes()).sheet
        expert = world["batch"].manifest.expert(eid)
        want = [p.id for p in world["batch"].manifest.proposals if not expert.assigned or p.id in expert.assigned]
        assert [p.proposal_id for p in sheet.proposals] == want
        assert all(sheet.proposal(pid).conflict.declared for pid in expert.known_conflicts)


# ── the pledge ──────────────────────────────────────────────────────────────────────────────

def test_a_sheet_signed_on_another_pledge_text_is_refused(world: dict[str, Any]) -> None:
    from tic_desktop.core.pledge import pledge_sha256

    m = _members(world)
    assert _body(m)["pledge"]["text_sha256"] == pledge_sha256()
    body = _body(m)
    body["pledge"]["text_sha256"] = hashlib.sha256(b"I promise nothing").hexdigest()
    assert _code(world, _pack(world, _resign(world, m, body))) == "sheet.pledge_unknown"


def test_the_pledge_hash_is_the_one_workspaces_already_hold() -> None:
    from tic_desktop.core import pledge as core_pledge

    text = core_pledge.PLEDGE.zh + "\n\n" + core_pledge.PLEDGE.en  # the hash workspaces already hold
    assert core_pledge.pledge_sha256() == hashlib.sha256(text.encode("utf-8")).hexdigest()


# ── documents opened are checked against the manifest, not re-hashed ────────────────────────

class _UnreadableDocuments(dict):  # type: ignore[type-arg]
    """The batch's documents with their bytes out of reach: names only."""

    def __getitem__(self, key: str) -> bytes:
        raise AssertionError(f"read_sheet read the bytes of {key}")

    def items(self):  # type: ignore[no-untyped-def]
        raise AssertionError("read_sheet walked the batch's document bytes")

    def values(self):  # type: ignore[no-untyped-def]
        raise AssertionError("read_sheet walked the batch's document bytes")

    def get(self, key: str, default: Any = None) -> Any:
        raise AssertionError(f"read_sheet read the bytes of {key}")


def test_documents_opened_use_the_manifest_hashes_without_rehashing_pdfs(world: dict[str, Any]) -> None:
    import dataclasses

    batch = world["batch"]
    blind = dataclasses.replace(batch, documents=_UnreadableDocuments.fromkeys(batch.documents, b""))
    got = sf.read_sheet(world["sims"]["E01"].result.path, blind, identity=world["identity"])
    assert any(p.documents_opened for p in got.sheet.proposals)
    # still only the batch's documents count: proposal.json is in the manifest, but is not a document
    m = _members(world)
    body = _body(m)
    pid = body["proposals"][0]["proposal_id"]
    ref = next(x for x in batch.manifest.members if x.path == f"proposals/{pid}/proposal.json")
    body["proposals"][0]["documents_opened"] = [{"path": ref.path, "sha256": ref.sha256}]
    assert _code(world, _pack(world, _resign(world, m, body))) == "sheet.document_unknown"


# ── allowed_signers as ssh-keygen reads it ──────────────────────────────────────────────────

# (options field, does `ssh-keygen -Y verify -n tic-sheet-v1` accept the key now?)
SIGNER_OPTIONS: list[tuple[str, bool]] = [
    ("", True),
    ('namespaces="tic-sheet-v1"', True),
    ('Namespaces="tic-*"', True),
    ('namespaces="a b,tic-sheet-v?"', True),
    ('namespaces="tic-batch-v1"', False),
    ('namespaces="!tic-sheet-v1,*"', False),
    ('namespaces="x, tic-sheet-v1"', False),
    ('namespaces="TIC-SHEET-V1"', False),
    ('namespaces=""', False),
    ("namespaces=tic-sheet-v1", False),
    ("cert-authority", False),
    ('CERT-AUTHORITY,namespaces="tic-*"', False),
    ('valid-before="20000101"', False),
    ('valid-after="20990101"', False),
    ('valid-after="20000101Z",valid-before="20990101000000Z"', True),
    ('valid-after="200001010000",namespaces="tic-sheet-v1"', True),
    ('valid-after="20990101",valid-before="20000101"', False),
    ('valid-before="200001"', False),
    ('valid-after="20000101",valid-after="20010101"', False),
    ('foo="bar"', False),
    ("cert-authority,", False),
]


def _accepts(signers: str, principal: str, fp: str) -> bool:
    try:
        return fp in sf.parse_allowed_signers(signers).get(principal, [])
    except SheetRejected as exc:
        assert exc.code == "sheet.allowed_signers_invalid"
        return False


@pytest.mark.parametrize(("options", "accepted"), SIGNER_OPTIONS, ids=[o or "plain" for o, _ in SIGNER_OPTIONS])
def test_allowed_signers_options(options: str, accepted: bool) -> None:
    key = Ed25519PrivateKey.generate().public_key()
    line = f"E01 {options} {sshsig.public_key_line(key)}".replace("  ", " ")
    assert _accepts(line + "\n", "E01", sshsig.fingerprint(key)) is accepted


@pytest.mark.skipif(not shutil.which("ssh-keygen"), reason="ssh-keygen needed")
def test_allowed_signers_agree_with_ssh_keygen(tmp_path: Path) -> None:
    key = Ed25519PrivateKey.generate()
    body = b'{"format":"tic-sheet"}'
    (tmp_path / "sheet.json").write_bytes(body)
    (tmp_path / "sheet.json.sig").write_bytes(sshsig.sign(body, key, sf.SHEET_NAMESPACE))
    fp = sshsig.fingerprint(key.public_key())
    for options, _ in SIGNER_OPTIONS:
        signers = f"E01 {options} {sshsig.public_key_line(key.public_key())}\n".replace("  ", " ")
        (tmp_path / "allowed_signers").write_text(signers)
        with (tmp_path / "sheet.json").open("rb") as fh:
            rc = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(tmp_path / "allowed_signers"), "-I", "E01",
                                 "-n", sf.SHEET_NAMESPACE, "-s", str(tmp_path / "sheet.json.sig")],
                                stdin=fh, capture_output=True).returncode
        assert (rc == 0) is _accepts(signers, "E01", fp), signers


def test_allowed_signers_validity_is_judged_at_now() -> None:
    key = Ed25519PrivateKey.generate().public_key()
    line = f'E01 valid-after="20260101Z",valid-before="20261231235959Z" {sshsig.public_key_line(key)}\n'
    fp = sshsig.fingerprint(key)
    in_2026, in_2025, in_2027 = 1_780_000_000, 1_750_000_000, 1_800_000_000
    assert sf.parse_allowed_signers(line, now=in_2026) == {"E01": [fp]}
    assert sf.parse_allowed_signers(line, now=in_2025) == {}
    assert sf.parse_allowed_signers(line, now=in_2027) == {}


def test_a_cert_authority_line_does_not_enrol_the_expert(world: dict[str, Any]) -> None:
    data = world["sims"]["E01"].result.path.read_bytes()
    key = world["sims"]["E01"].key.signing_key.public_key()
    ca = f'E01 cert-authority,namespaces="tic-sheet-v1" {sshsig.public_key_line(key)}\n'
    assert _code(world, data, allowed_signers=ca) == "sheet.key_not_pinned"
