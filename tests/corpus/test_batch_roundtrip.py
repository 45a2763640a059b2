"""write_batch → read_batch round trips, the writer's own checks, and mutation fuzzing."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from batch_factory import make_form, make_proposal, make_spec, sha, zip_members
from conftest import Ctx, WriteGuard
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tic_desktop.core.errors import BatchRejected
from tic_desktop.core.forms import ConsolidationRule
from tic_desktop.formats import agecrypt
from tic_desktop.formats.batch import MANIFEST, MANIFEST_SIG, BatchSpec, read_batch, write_batch
from tic_desktop.formats.manifest import Expert


def test_round_trip_equal_content(tmp_path: Path, ctx: Ctx) -> None:
    spec = make_spec()
    manifest = write_batch(tmp_path / "b.ticbatch", spec, ctx.keys)
    opened = read_batch(tmp_path / "b.ticbatch", pinned_fingerprint=ctx.keys.fingerprint)
    assert opened.manifest == manifest
    assert opened.forms == {f.id: f for f in spec.forms}
    assert opened.proposals == {p.id: p for p in spec.proposals}
    assert opened.documents == spec.documents
    assert opened.agency_fingerprint == ctx.keys.fingerprint
    assert opened.manifest_sha256 == sha(opened.manifest_bytes)
    assert manifest.agency.age_recipient == ctx.keys.age_recipient
    assert manifest.consolidation == {"feasibility_review": spec.forms[0].consolidation}
    assert [e.id for e in manifest.experts] == ["E01", "E02"] and manifest.chair is not None
    assert manifest.chair.id == "E01"
    members = zip_members((tmp_path / "b.ticbatch").read_bytes())
    listed = {m.path: (m.size, m.sha256) for m in manifest.members}
    assert set(members) - set(listed) == {MANIFEST, MANIFEST_SIG}
    assert all(listed[p] == (len(b), sha(b)) for p, b in members.items() if p in listed)
    assert [p.name for p in tmp_path.iterdir()] == ["b.ticbatch"]


def test_deterministic_bytes(tmp_path: Path, ctx: Ctx) -> None:
    for name in ("one", "two"):
        write_batch(tmp_path / name, make_spec(), ctx.keys, created_at="2026-01-05T09:00:00+00:00")
    assert (tmp_path / "one").read_bytes() == (tmp_path / "two").read_bytes()


def test_consolidation_override(tmp_path: Path, ctx: Ctx) -> None:
    rule = ConsolidationRule(method="median", min_valid_sheets=3, outlier_total_points=Decimal("10"))
    manifest = write_batch(tmp_path / "b", make_spec(consolidation={"feasibility_review": rule}), ctx.keys)
    assert manifest.consolidation["feasibility_review"] == rule
    assert read_batch(tmp_path / "b").manifest.consolidation["feasibility_review"] == rule


def test_encrypted_to_recipients(tmp_path: Path, ctx: Ctx) -> None:
    recipients = [str(ctx.expert.to_public()), ctx.keys.age_recipient]
    write_batch(tmp_path / "b", make_spec(), ctx.keys, recipients=recipients)
    data = (tmp_path / "b").read_bytes()
    assert agecrypt.detect(data) == "age"
    assert read_batch(data, identity=str(ctx.expert)).manifest.batch_id == "2026-01"
    assert read_batch(data, identity=ctx.keys.age_identity_text()).manifest.batch_id == "2026-01"
    with pytest.raises(BatchRejected, match="age.wrong_identity"):
        read_batch(data, identity=ctx.other_keys.age_identity_text())


def test_encrypted_to_passphrase_real_scrypt(tmp_path: Path, ctx: Ctx) -> None:
    # The one test that pays for pyrage's calibrated scrypt (about 1–3 s each way).
    write_batch(tmp_path / "b", make_spec(), ctx.keys, passphrase="评审口令 2026".encode())
    opened = read_batch(tmp_path / "b", passphrase="评审口令 2026".encode())
    assert opened.manifest.batch_id == "2026-01"


@pytest.mark.skipif(shutil.which("ssh-keygen") is None, reason="ssh-keygen not installed")
def test_stock_ssh_keygen_verifies_manifest(tmp_path: Path, ctx: Ctx) -> None:
    write_batch(tmp_path / "b", make_spec(), ctx.keys)
    members = zip_members((tmp_path / "b").read_bytes())
    (tmp_path / "manifest.json").write_bytes(members[MANIFEST])
    (tmp_path / "manifest.json.sig").write_bytes(members[MANIFEST_SIG])
    (tmp_path / "allowed_signers").write_text(f'agency namespaces="tic-batch-v1" {ctx.keys.public_key_line}\n')
    with open(tmp_path / "manifest.json", "rb") as stdin:
        done = subprocess.run(
            ["ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", "agency", "-n", "tic-batch-v1",
             "-s", "manifest.json.sig"],
            stdin=stdin, cwd=tmp_path, capture_output=True,
        )
    assert done.returncode == 0, done.stderr


def _spec_with(**changes: object) -> BatchSpec:
    return dataclasses.replace(make_spec(), **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "spec",
    [
        pytest.param(lambda: _spec_with(proposals=[make_proposal("P001"), make_proposal("P001")]), id="duplicate-proposal"),
        pytest.param(lambda: _spec_with(documents={}), id="document-without-file"),
        pytest.param(lambda: _spec_with(documents={**make_spec().documents, "proposals/P001/x.pdf": b"%PDF"}),
                     id="stray-document"),
        pytest.param(lambda: _spec_with(proposals=[make_proposal("CON", docs=0)], documents={},
                                        experts=[Expert(id="E1", name="张三", role="technical")]),
                     id="reserved-proposal-id"),
        pytest.param(lambda: _spec_with(proposals=[make_proposal("P001", forms=("nope",), docs=0)], documents={},
                                        experts=[Expert(id="E1", name="张三", role="technical")]),
                     id="unknown-form"),
        pytest.param(lambda: _spec_with(forms=[make_form(kind="periodic_assessment")]), id="kind-mismatch"),
        pytest.param(lambda: _spec_with(experts=[Expert(id="E1", name="甲", role="technical", chair=True),
                                                 Expert(id="E2", name="乙", role="finance", chair=True)]),
                     id="two-chairs"),
        pytest.param(lambda: _spec_with(experts=[Expert(id="E1", name="甲", role="technical", assigned=("P9",))]),
                     id="assigned-unknown-proposal"),
        pytest.param(lambda: _spec_with(consolidation={"other": ConsolidationRule()}), id="rule-for-unknown-form"),
        pytest.param(lambda: _spec_with(experts=[]), id="no-experts"),
    ],
)
def test_writer_refuses_bad_spec(tmp_path: Path, ctx: Ctx, spec) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(BatchRejected) as err:
        write_batch(tmp_path / "b", spec(), ctx.keys)
    assert err.value.code == "build.invalid_spec"
    assert list(tmp_path.iterdir()) == []


def test_writer_refuses_bad_encryption_options(tmp_path: Path, ctx: Ctx) -> None:
    with pytest.raises(BatchRejected, match="build.invalid_spec"):
        write_batch(tmp_path / "b", make_spec(), ctx.keys, passphrase=b"x", recipients=[ctx.keys.age_recipient])
    with pytest.raises(BatchRejected, match="build.invalid_spec"):
        write_batch(tmp_path / "b", make_spec(), ctx.keys, recipients=["age1notarecipient"])
    assert list(tmp_path.iterdir()) == []


def test_many_proposals(tmp_path: Path, ctx: Ctx) -> None:
    proposals = [make_proposal(f"P{i:03d}", docs=2) for i in range(300)]
    docs = {d.path: b"%PDF-1.4 " + d.path.encode() for p in proposals for d in p.documents}
    experts = [Expert(id=f"E{i:02d}", name=f"专家{i}", role="technical", assigned=("P001",)) for i in range(50)]
    write_batch(tmp_path / "big", make_spec(proposals=proposals, documents=docs, experts=experts), ctx.keys)
    opened = read_batch(tmp_path / "big")
    assert len(opened.proposals) == 300 and len(opened.documents) == 600 and len(opened.manifest.experts) == 50


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(offset=st.integers(min_value=0), bit=st.integers(min_value=0, max_value=7))
def test_any_single_bit_flip_is_rejected_or_harmless(ctx: Ctx, no_writes: WriteGuard, offset: int, bit: int) -> None:
    data = bytearray(ctx.valid)
    data[offset % len(data)] ^= 1 << bit
    try:
        with no_writes():
            opened = read_batch(bytes(data))
    except BatchRejected:
        return
    # Survivors are flips in bytes nobody interprets (local-header timestamps, version fields...).
    assert opened.manifest == ctx.manifest
    assert opened.documents == read_batch(ctx.valid).documents


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_only_reject(data: bytes) -> None:
    with pytest.raises(BatchRejected):
        read_batch(data)
