"""Reading a batch without holding it: lazy documents, reading from a file, decrypted copies on disk.

`read_batch` checks every member (hashing the PDFs and dropping them), then `OpenedBatch.documents`
reads one PDF at a time from the source it keeps; a path is never read into memory whole, and an
encrypted batch's plaintext goes to an anonymous 0600 file in `spool_dir` when one is given.
"""

from __future__ import annotations

import hashlib
import os
import random
import stat
import sys
import tracemalloc
from collections.abc import Mapping
from pathlib import Path

import pyrage
import pytest

from tic_desktop.core.errors import BatchRejected
from tic_desktop.core.form_library import builtin_forms
from tic_desktop.core.proposal import Document, Proposal
from tic_desktop.core.types import Text
from tic_desktop.expert.session import ExpertSession
from tic_desktop.formats import container
from tic_desktop.formats.batch import BatchSpec, read_batch, write_batch
from tic_desktop.formats.envelope import SPOOL_IN_MEMORY
from tic_desktop.formats.keys import AgencyKeys, create_agency_keys
from tic_desktop.formats.manifest import Expert

MiB = 1024 * 1024


def _pdf(rng: random.Random, size: int) -> bytes:
    """Incompressible bytes that pass for a PDF member (the reader does not parse PDFs)."""
    return b"%PDF-1.4\n" + rng.randbytes(size)


def _spec(doc_sizes: list[int]) -> BatchSpec:
    form = builtin_forms()["feasibility_review"]
    rng = random.Random(7)
    proposals, documents = [], {}
    for i, size in enumerate(doc_sizes, 1):
        pid = f"P{i:03d}"
        path = f"proposals/{pid}/plan.pdf"
        documents[path] = _pdf(rng, size)
        proposals.append(Proposal(
            id=pid, center_name=f"中心{i}", center_type="professional", lead_unit="某研究院", field="新材料",
            forms=(form.id,), documents=(Document(path=path, title="建设方案"),),
        ))
    return BatchSpec(
        batch_id="lazy-1", title=Text(zh="批次", en="Batch"), kind=form.kind, agency_name="机构",
        deadline="2026-12-31", forms=[form], proposals=proposals, documents=documents,
        experts=[Expert(id="E01", name="专家", role="technical", assigned=tuple(p.id for p in proposals))],
    )


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> AgencyKeys:
    return create_agency_keys(tmp_path_factory.mktemp("agency"))


@pytest.fixture(scope="module")
def expert() -> pyrage.x25519.Identity:
    return pyrage.x25519.Identity.generate()


@pytest.fixture(scope="module")
def small(agency: AgencyKeys, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchSpec]:
    spec = _spec([20_000, 30_000, 40_000])
    path = tmp_path_factory.mktemp("small") / "small.ticbatch"
    write_batch(path, spec, agency)
    return path, spec


@pytest.fixture(scope="module")
def big_encrypted(agency: AgencyKeys, expert: pyrage.x25519.Identity,
                  tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchSpec]:
    """Encrypted to the expert, with more plaintext than stays in memory."""
    spec = _spec([SPOOL_IN_MEMORY // 2, SPOOL_IN_MEMORY // 2 + MiB])
    path = tmp_path_factory.mktemp("big") / "big.ticbatch"
    write_batch(path, spec, agency, recipients=[str(expert.to_public())])
    return path, spec


def test_documents_are_a_read_only_mapping_read_on_access(small: tuple[Path, BatchSpec]) -> None:
    path, spec = small
    for source in (path.read_bytes(), path):
        with read_batch(source) as opened:
            docs = opened.documents
            assert isinstance(docs, Mapping) and not isinstance(docs, dict)
            assert list(docs) == list(spec.documents) and len(docs) == 3
            assert not any(isinstance(v, bytes) and len(v) > 10_000 for v in vars(docs).values())
            for name, data in spec.documents.items():
                assert docs[name] == data
                assert docs.sha256(name) == hashlib.sha256(data).hexdigest()
            assert "proposals/P009/plan.pdf" not in docs
            with pytest.raises(KeyError):
                docs["proposals/P009/plan.pdf"]
            with pytest.raises(TypeError):
                docs["x"] = b""  # type: ignore[index]
        with pytest.raises(RuntimeError):
            opened.documents["proposals/P001/plan.pdf"]


def test_a_document_changed_after_the_read_is_refused(small: tuple[Path, BatchSpec],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    path, _spec_ = small
    with read_batch(path) as opened:
        monkeypatch.setattr(container.CheckedZip, "read", lambda self, name: b"%PDF-1.4\nsomething else")
        with pytest.raises(BatchRejected) as err:
            opened.documents["proposals/P002/plan.pdf"]
        assert err.value.code == "semantic.hash_mismatch"


def test_a_file_damaged_on_disk_after_the_read_is_refused(small: tuple[Path, BatchSpec], tmp_path: Path) -> None:
    copy = tmp_path / "copy.ticbatch"
    copy.write_bytes(small[0].read_bytes())
    with read_batch(copy) as opened:
        data = bytearray(copy.read_bytes())
        doc = data.find(b"proposals/P001/plan.pdf") + 200  # inside the first PDF's compressed data
        data[doc] ^= 0xFF
        with open(copy, "r+b") as fh:
            fh.write(data)
        with pytest.raises(BatchRejected) as err:
            opened.documents["proposals/P001/plan.pdf"]
        assert err.value.code.startswith(("zip.", "semantic."))


def test_a_plain_file_is_never_held_whole(agency: AgencyKeys, tmp_path: Path) -> None:
    spec = _spec([4 * MiB, 4 * MiB, 4 * MiB])
    path = tmp_path / "plain.ticbatch"
    write_batch(path, spec, agency)
    del spec
    tracemalloc.start()
    try:
        with read_batch(path) as opened:
            _current, peak = tracemalloc.get_traced_memory()
            first = opened.documents["proposals/P001/plan.pdf"]
    finally:
        tracemalloc.stop()
    assert path.stat().st_size > 12 * MiB
    assert peak < 2 * MiB, f"peak {peak / MiB:.1f} MiB while reading a {path.stat().st_size / MiB:.0f} MiB file"
    assert len(first) > 4 * MiB


@pytest.mark.skipif(sys.platform != "linux", reason="reads /proc/self/fd")
def test_an_encrypted_file_is_decrypted_to_an_anonymous_private_file(
    big_encrypted: tuple[Path, BatchSpec], expert: pyrage.x25519.Identity, tmp_path: Path
) -> None:
    path, spec = big_encrypted
    spool = tmp_path / "spool"
    spool.mkdir(mode=0o700)

    def open_in_spool() -> list[tuple[str, os.stat_result]]:
        out = []
        for fd in os.listdir("/proc/self/fd"):
            try:
                target = os.readlink(f"/proc/self/fd/{fd}")
                if target.startswith(str(spool)):
                    out.append((target, os.fstat(int(fd))))
            except OSError:
                pass
        return out

    opened = read_batch(path, identity=str(expert), spool_dir=spool)
    try:
        assert list(spool.iterdir()) == []  # no name: nobody else can open it, nothing left after a crash
        files = open_in_spool()
        assert len(files) == 1
        name, st = files[0]
        assert "(deleted)" in name or "#" in name
        assert stat.S_IMODE(st.st_mode) == 0o600
        assert st.st_size > SPOOL_IN_MEMORY
        for doc, data in spec.documents.items():
            assert opened.documents[doc] == data
    finally:
        opened.close()
    assert open_in_spool() == []


def test_without_a_spool_folder_the_plaintext_stays_in_memory(
    big_encrypted: tuple[Path, BatchSpec], expert: pyrage.x25519.Identity
) -> None:
    path, spec = big_encrypted
    with read_batch(path, identity=str(expert)) as opened:
        assert opened.documents["proposals/P002/plan.pdf"] == spec.documents["proposals/P002/plan.pdf"]


def test_encrypted_file_rejections_keep_their_codes(big_encrypted: tuple[Path, BatchSpec],
                                                    expert: pyrage.x25519.Identity, tmp_path: Path) -> None:
    path, _spec_ = big_encrypted
    spool = tmp_path / "spool"
    spool.mkdir()
    cases = [
        ({}, "age.identity_required"),
        ({"identity": str(pyrage.x25519.Identity.generate())}, "age.wrong_identity"),
    ]
    for kwargs, code in cases:
        with pytest.raises(BatchRejected) as err:
            read_batch(path, spool_dir=spool, **kwargs)
        assert err.value.code == code
    cut = tmp_path / "cut.ticbatch"
    cut.write_bytes(path.read_bytes()[:-1000])
    with pytest.raises(BatchRejected) as err:
        read_batch(cut, identity=str(expert), spool_dir=spool)
    assert err.value.code == "age.decrypt_failed"
    assert list(spool.iterdir()) == []


def test_output_cap_applies_while_streaming(big_encrypted: tuple[Path, BatchSpec],
                                            expert: pyrage.x25519.Identity) -> None:
    from tic_desktop.formats.batch import BatchLimits

    with pytest.raises(BatchRejected) as err:
        read_batch(big_encrypted[0], identity=str(expert), limits=BatchLimits(max_total=MiB))
    assert err.value.code == "age.output_too_large"


def test_passphrase_file(small: tuple[Path, BatchSpec], agency: AgencyKeys, tmp_path: Path) -> None:
    path = tmp_path / "pass.ticbatch"
    path.write_bytes(pyrage.passphrase.encrypt(small[0].read_bytes(), "open sesame"))
    spool = tmp_path / "spool"
    spool.mkdir()
    with pytest.raises(BatchRejected) as err:
        read_batch(path, passphrase=b"guess", spool_dir=spool)
    assert err.value.code == "age.wrong_passphrase"
    with read_batch(path, passphrase=b"open sesame", spool_dir=spool) as opened:
        assert opened.documents["proposals/P003/plan.pdf"] == small[1].documents["proposals/P003/plan.pdf"]


def test_session_reopens_a_kept_batch_without_reading_it_again(
    small: tuple[Path, BatchSpec], agency: AgencyKeys, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    session = ExpertSession.open(tmp_path / "data")
    try:
        assert stat.S_IMODE(session.spool_dir.stat().st_mode) == 0o700 or os.name != "posix"
        first = ExpertSession.read(small[0], spool_dir=session.spool_dir)
        session.accept(first, small[0], pin_new_agency=True)
        kept = session.last_batch_path()
        assert kept is not None and kept.read_bytes() == small[0].read_bytes()

        again = ExpertSession.read(kept, spool_dir=session.spool_dir)
        monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail(f"read {self} whole"))
        session.accept(again, kept)
        assert session.opened is again
        with pytest.raises(RuntimeError):  # the batch it replaced was closed
            first.documents["proposals/P001/plan.pdf"]
        assert again.documents["proposals/P001/plan.pdf"] == small[1].documents["proposals/P001/plan.pdf"]
    finally:
        session.close()
    with pytest.raises(RuntimeError):
        again.documents["proposals/P001/plan.pdf"]
