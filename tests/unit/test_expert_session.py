"""ExpertSession without Qt: open, pin, identity, pledge, conflicts, answers, status, place."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from tic_desktop.core.errors import BatchRejected, Rejected
from tic_desktop.expert import keys
from tic_desktop.expert.session import ConflictDeclaration, ExpertSession, PinState, Status, probe


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[bytes, object]:
    from tests.batches import write_test_batch

    raw = write_test_batch(tmp_path_factory.mktemp("demo")).read_bytes()
    return raw, ExpertSession.read(raw)


@pytest.fixture(scope="module")
def key(tmp_path_factory: pytest.TempPathFactory) -> keys.ExpertKey:
    return keys.create_key(tmp_path_factory.mktemp("k"), "E01", "Haihe river 2026")


@pytest.fixture
def session(tmp_path: Path, demo, key) -> ExpertSession:
    raw, opened = demo
    s = ExpertSession.open(tmp_path / "data")
    s.accept(opened, raw, pin_new_agency=True)
    s.choose_expert("E01", key)
    yield s
    s.close()


def test_pin_first_then_refuse_a_changed_key(tmp_path: Path, demo) -> None:
    raw, opened = demo
    s = ExpertSession.open(tmp_path / "d")
    assert not probe(raw).encrypted
    assert s.pin_state(opened) is PinState.NEW
    with pytest.raises(BatchRejected):
        s.accept(opened, raw)  # not without the expert's confirmation
    s.accept(opened, raw, pin_new_agency=True)
    assert s.pin_state(opened) is PinState.PINNED
    s.workspace.pin_agency(opened.manifest.agency.name, "SHA256:" + "A" * 43, replace=True)
    assert s.pin_state(opened) is PinState.CHANGED
    with pytest.raises(BatchRejected) as err:
        s.accept(opened, raw)
    assert err.value.code == "agency.key_changed"
    assert "拒绝" in err.value.text("zh")
    s.close()


def test_recent_and_identity_survive_reopen(tmp_path: Path, session: ExpertSession, demo, key) -> None:
    raw, opened = demo
    assert session.expert.id == "E01" and session.fingerprint == key.fingerprint
    recent = session.recent_batches()
    assert recent[0]["batch_id"] == opened.manifest.batch_id and recent[0]["path"].read_bytes() == raw
    assert session.last_batch_path() == recent[0]["path"]
    session.close()
    again = ExpertSession.open(tmp_path / "data")
    again.accept(opened, raw)
    assert again.expert.id == "E01" and again.fingerprint == key.fingerprint
    again.close()


def test_pledge_then_conflicts_with_reasons(session: ExpertSession) -> None:
    assert not session.pledged()
    session.accept_pledge()
    assert session.pledged()
    ids = [p.id for p in session.assigned()]
    assert not session.conflicts_declared()
    with pytest.raises(Rejected) as err:
        session.declare_conflicts({ids[0]: ConflictDeclaration(True, "other", " ")})
    assert err.value.code == "conflict.note_required"
    with pytest.raises(Rejected):
        session.declare_conflicts({ids[0]: ConflictDeclaration(True, "made_up")})
    session.declare_conflicts({ids[0]: ConflictDeclaration(True, "employment_3y")})
    assert session.conflicts_declared()
    assert session.is_conflicted(ids[0]) and session.status(ids[0]) is Status.CONFLICT
    with pytest.raises(Rejected):
        session.save_answers([(ids[0], "feasibility_review", "score", "1.1", Decimal("5"))])
    with pytest.raises(Rejected):
        session.document_opened(ids[0], session.opened.proposals[ids[0]].documents[0].path)


def test_known_conflicts_are_locked(tmp_path: Path, demo, key) -> None:
    raw, opened = demo
    expert = next((e for e in opened.manifest.experts if e.known_conflicts), None)
    if expert is None:
        pytest.skip("the demo batch has no known conflicts")
    s = ExpertSession.open(tmp_path / "k")
    s.accept(opened, raw, pin_new_agency=True)
    s.choose_expert(expert.id, key)
    known = expert.known_conflicts[0]
    assert s.conflicts()[known].locked
    s.declare_conflicts({known: ConflictDeclaration(False)})
    assert s.is_conflicted(known)
    s.close()


def test_answers_status_progress_and_documents(session: ExpertSession) -> None:
    session.accept_pledge()
    session.declare_conflicts({})
    pid = session.assigned()[0].id
    assert session.status(pid) is Status.NOT_STARTED
    form = session.forms_for(pid)[0]
    session.save_answers([(pid, form.id, "score", form.criteria[0].id, Decimal("5.0")),
                          (pid, form.id, "comment", form.criteria[0].id, "很好")])
    assert session.status(pid) is Status.IN_PROGRESS
    answers = session.answers(pid, form.id)
    assert answers.scores == {form.criteria[0].id: Decimal("5.0")}
    assert answers.comments == {form.criteria[0].id: "很好"}
    session.save_answers([(pid, form.id, "score", form.criteria[0].id, None)])
    assert session.answers(pid, form.id).scores == {}
    assert session.progress().total == len(session.assigned())
    doc = session.opened.proposals[pid].documents[0].path
    digest = session.document_opened(pid, doc)
    assert session.documents_opened() == {(pid, doc): digest}
    session.set_place(proposal=pid, tab=2)
    assert session.place() == {"proposal": pid, "tab": 2}


def test_encrypted_batch_needs_its_passphrase(tmp_path: Path) -> None:
    from tests.batches import write_test_batch

    raw = write_test_batch(tmp_path / "enc", passphrase=b"batch pass 7788").read_bytes()
    assert probe(raw).encrypted and probe(raw).passphrase
    with pytest.raises(BatchRejected) as err:
        ExpertSession.read(raw)
    assert err.value.code == "age.passphrase_required"
    # a wrong passphrase and the retry are driven through the dialog in tests/e2e (scrypt is slow)


def test_a_float_or_bool_score_is_refused_typed_and_nothing_is_stored(session: ExpertSession) -> None:
    from tic_desktop.core.errors import Rejected

    session.accept_pledge()
    session.declare_conflicts({})
    pid = session.assigned()[0].id
    form = session.forms_for(pid)[0]
    for bad in (7.1, True):
        with pytest.raises(Rejected) as info:
            session.save_answers([(pid, form.id, "score", form.criteria[0].id, bad)])
        assert info.value.code == "answer.invalid_value"
    assert session.answers(pid, form.id).scores == {}


def test_an_older_copy_of_a_batch_never_replaces_the_newer_one(tmp_path: Path) -> None:
    """Sheets must carry the manifest hash of the batch the agency sent last; reopening the old file
    from a USB stick must not silently switch the workspace back to it."""
    from tic_desktop.core.errors import message
    from tic_desktop.demo import _build_demo
    from tic_desktop.formats import keys as agency_keys
    from tic_desktop.formats.batch import write_batch

    spec = _build_demo(tmp_path / "src", "feasibility_review")[1]
    agency = agency_keys.create_agency_keys(tmp_path / "agency")
    old, new = tmp_path / "old.ticbatch", tmp_path / "new.ticbatch"
    write_batch(old, spec, agency, created_at="2026-03-01T08:00:00+00:00")
    write_batch(new, spec, agency, created_at="2026-03-02T08:00:00+00:00")
    s = ExpertSession.open(tmp_path / "data")
    try:
        s.accept(ExpertSession.read(old.read_bytes()), old.read_bytes(), pin_new_agency=True)
        newer = ExpertSession.read(new.read_bytes())
        s.accept(newer, new.read_bytes())  # a newer batch replaces the older one
        record = s.workspace.batch(newer.manifest.batch_id)
        assert record is not None and record.manifest_sha256 == newer.manifest_sha256
        assert record.manifest_created_at == "2026-03-02T08:00:00+00:00"
        with pytest.raises(BatchRejected) as info:
            s.accept(ExpertSession.read(old.read_bytes()), old.read_bytes())
        assert info.value.code == "batch.older_copy" and "较早生成的版本" in message(info.value.code)
        record = s.workspace.batch(newer.manifest.batch_id)
        assert record is not None and record.manifest_sha256 == newer.manifest_sha256
    finally:
        s.close()
