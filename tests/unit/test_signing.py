"""expert.signing: the review page's data, refusing incomplete sheets, sign + export + verify, revisions."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.core.errors import SheetRejected
from tic_desktop.expert import review as expert_review
from tic_desktop.expert import sheet_export, signing
from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.sheet import read_sheet
from tic_desktop.simulate import _answers_for, make_key


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.batches import write_test_batch

    root = tmp_path_factory.mktemp("signing")
    path = write_test_batch(root / "demo")
    raw = path.read_bytes()
    return {"raw": raw, "opened": read_batch(raw),
            "identity": (root / "demo" / "agency" / "agency.agekey").read_text()}


@pytest.fixture
def session(demo: dict[str, Any], tmp_path: Path) -> Any:
    s = ExpertSession.open(tmp_path / "data")
    s.accept(demo["opened"], demo["raw"], pin_new_agency=True)
    key = make_key("E04")
    s.choose_expert("E04", key)
    s.test_key = key  # type: ignore[attr-defined]
    yield s
    s.close()


def _score_all(session: Any, seed: int = 1, skip: str | None = None) -> None:
    rng = random.Random(seed)
    for p in session.assigned():
        if session.is_conflicted(p.id) or p.id == skip:
            continue
        changes = []
        for form in session.forms_for(p.id):
            for kind, item, value in _answers_for(form, p, session.expert.role, rng, 0.85, {}):
                changes.append((p.id, form.id, kind, item, value))
        session.save_answers(changes)


def _ready(session: Any) -> None:
    session.accept_pledge()
    session.declare_conflicts({pid: ConflictDeclaration(False) for pid in session.conflicts()})


def test_blockers_before_pledge_and_conflicts(session: Any, tmp_path: Path) -> None:
    rv = expert_review.review(session)
    assert not rv.ready
    assert rv.blockers == (signing.NOT_PLEDGED, expert_review.CONFLICTS_UNDECLARED)
    assert "承诺书" in rv.message("zh") and "pledge" in rv.message("en")
    with pytest.raises(SheetRejected) as info:
        sheet_export.export_sheet(session, session.test_key, tmp_path)
    assert info.value.code == signing.NOT_PLEDGED
    assert not list(tmp_path.glob("*.ticsheet"))


def test_incomplete_proposal_blocks_signing_precisely(session: Any, tmp_path: Path) -> None:
    _ready(session)
    _score_all(session, skip="TJ-NE-05")
    rv = expert_review.review(session)
    rows = {p.proposal_id: p for p in rv.proposals}
    assert rows["TJ-BM-04"].conflict and rows["TJ-BM-04"].complete  # known conflict: nothing to score
    assert rows["TJ-AI-01"].complete and rows["TJ-AI-01"].forms[0].total is not None
    assert rows["TJ-AI-01"].forms[0].band is not None and rows["TJ-AI-01"].forms[0].conclusion is not None
    assert not rows["TJ-NE-05"].complete and rows["TJ-NE-05"].forms[0].total is None
    missing = rows["TJ-NE-05"].missing("zh")
    assert any("未评分" in m for m in missing) and any("结论" in m for m in missing)
    with pytest.raises(SheetRejected) as info:
        sheet_export.export_sheet(session, session.test_key, tmp_path)
    assert info.value.code == signing.INCOMPLETE
    assert "TJ-NE-05" in info.value.detail and "TJ-AI-01" not in info.value.detail


def test_sign_export_verify_lock_and_revise(session: Any, demo: dict[str, Any], tmp_path: Path) -> None:
    _ready(session)
    _score_all(session)
    assert expert_review.review(session).ready
    key = session.test_key
    usb = tmp_path / "usb"
    usb.mkdir()
    first = sheet_export.export_sheet(session, key, usb)
    assert first.path == usb / f"{demo['opened'].manifest.batch_id}-E04-r1.ticsheet" and first.path.exists()
    assert first.sheet_seq == 1 and first.supersedes is None and first.conflicts == 1
    assert first.kept_copy.exists() and first.kept_copy.read_bytes() == first.path.read_bytes()
    assert "核验通过" in first.message("zh")
    got = read_sheet(first.path, demo["opened"], identity=demo["identity"], pinned={"E04": key.fingerprint})
    assert got.sheet_sha256 == first.sheet_sha256
    assert signing.is_locked(session)
    with pytest.raises(SheetRejected) as info:
        sheet_export.export_sheet(session, key, usb)
    assert info.value.code == signing.LOCKED

    assert signing.revise(session) == 2
    assert not signing.is_locked(session)
    session.save_answers([("TJ-AI-01", "feasibility_review", "comment", "1.1", "修订：补充说明评分理由。")])
    second = sheet_export.export_sheet(session, key, usb)
    assert second.sheet_seq == 2 and second.supersedes == first.sheet_sha256
    again = read_sheet(second.path, demo["opened"], identity=demo["identity"])
    assert again.sheet.supersedes == first.sheet_sha256 and again.sheet.audit_head.seq > got.sheet.audit_head.seq
    assert first.path.exists() and second.path.exists()  # every revision is kept
    assert [e.sheet_seq for e in signing.exports(session)] == [1, 2]
    assert signing.next_revision(session) == (3, second.sheet_sha256)


def test_export_with_another_experts_key_is_refused(session: Any, tmp_path: Path) -> None:
    _ready(session)
    _score_all(session)
    with pytest.raises(SheetRejected) as info:
        sheet_export.export_sheet(session, make_key("E04"), tmp_path)
    assert info.value.code == signing.WRONG_KEY


def test_the_slow_part_runs_in_another_thread_without_the_workspace(session: Any, demo: dict[str, Any],
                                                                    tmp_path: Path) -> None:
    """prepare (session thread) → write (a worker: SQLite would refuse a foreign thread) → record."""
    import threading

    _ready(session)
    _score_all(session)
    key = session.test_key
    job = sheet_export.prepare_export(session, key, tmp_path)
    assert not signing.exports(session) and not list(tmp_path.glob("*.ticsheet"))
    out: dict[str, Any] = {}
    worker = threading.Thread(target=lambda: out.update(written=sheet_export.write_export(job, key)))
    worker.start()
    worker.join(120)
    written = out["written"]
    assert written.path.exists() and written.kept_copy.exists() and not signing.is_locked(session)
    result = sheet_export.record_export(session, written)
    assert signing.is_locked(session) and [e.sheet_seq for e in signing.exports(session)] == [1]
    got = read_sheet(result.path, demo["opened"], identity=demo["identity"], pinned={"E04": key.fingerprint})
    assert got.sheet_sha256 == result.sheet_sha256 == written.sheet_sha256
    # a second write of the same job cannot be recorded twice
    again = sheet_export.write_export(job, key)
    with pytest.raises(SheetRejected) as info:
        sheet_export.record_export(session, again)
    assert info.value.code == sheet_export.EXPORT_STALE


def test_write_errors_have_export_codes(session: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import errno
    import os

    from tic_desktop.core.atomic import os_error
    from tic_desktop.core.errors import message

    _ready(session)
    _score_all(session)
    job = sheet_export.prepare_export(session, session.test_key, tmp_path / "gone")
    with pytest.raises(SheetRejected) as info:
        sheet_export.write_export(job, session.test_key)
    assert info.value.code == sheet_export.EXPORT_FOLDER_MISSING

    real_write = sheet_export.atomic_write

    def full(path: Path, data: bytes, **kw: Any) -> None:
        if path.parent != tmp_path:  # the kept copy in the data folder is written first, and fits
            return real_write(path, data, **kw)
        exc = OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        raise os_error(exc, path) from exc

    monkeypatch.setattr(sheet_export, "atomic_write", full)
    job = sheet_export.prepare_export(session, session.test_key, tmp_path)
    with pytest.raises(SheetRejected) as info:
        sheet_export.write_export(job, session.test_key)
    assert info.value.code == sheet_export.EXPORT_DISK_FULL
    assert "空间不足" in info.value.text("zh") and "full" in message(sheet_export.EXPORT_DISK_FULL, "en")
    assert not signing.is_locked(session)


def test_a_sheet_written_but_not_recorded_before_a_crash_keeps_its_number(
        session: Any, demo: dict[str, Any], tmp_path: Path) -> None:
    """The crash window between write_export and record_export: the file may already be on the USB
    stick. The next export must not sign other content under the same sheet_seq."""
    _ready(session)
    _score_all(session)
    key = session.test_key
    usb = tmp_path / "usb"
    usb.mkdir()
    lost = sheet_export.write_export(sheet_export.prepare_export(session, key, usb), key)  # … and the process dies here
    assert lost.sheet_seq == 1 and signing.exports(session) == []
    session.save_answers([("TJ-AI-01", "feasibility_review", "comment", "1.1", "崩溃后补充的评语。")])

    again = sheet_export.export_sheet(session, key, usb)
    assert again.sheet_seq == 2 and again.supersedes == lost.sheet_sha256
    assert [(e.sheet_seq, e.sheet_sha256) for e in signing.exports(session)] == [
        (1, lost.sheet_sha256), (2, again.sheet_sha256)]
    first = read_sheet(lost.path, demo["opened"], identity=demo["identity"])
    second = read_sheet(again.path, demo["opened"], identity=demo["identity"])
    assert second.sheet.audit_head.seq > first.sheet.audit_head.seq  # the agency's replay rule holds


def test_a_damaged_unrecorded_kept_copy_is_moved_aside_not_adopted(session: Any, tmp_path: Path) -> None:
    _ready(session)
    _score_all(session)
    key = session.test_key
    job = sheet_export.prepare_export(session, key, tmp_path)
    job.kept.parent.mkdir(parents=True, exist_ok=True)
    job.kept.write_bytes(b"not a sheet")
    result = sheet_export.export_sheet(session, key, tmp_path)
    assert result.sheet_seq == 1
    assert [p.name.split(".unrecorded-")[0] for p in job.kept.parent.glob("*.unrecorded-*")] == [job.kept.name]


def test_the_export_folder_gets_the_printable_pdfs_beside_the_sheet(session: Any, demo: dict[str, Any],
                                                                     tmp_path: Path) -> None:
    """Issue 17 finding 9: the folder held only the .ticsheet though the README promises printable sheets."""
    _ready(session)
    _score_all(session)
    usb = tmp_path / "usb"
    usb.mkdir()
    result = sheet_export.export_sheet(session, session.test_key, usb)
    folder = usb / f"{result.path.stem}-打印件"
    assert result.printables is not None and result.printables.folder == folder and not result.printables.error
    got = read_sheet(result.path, demo["opened"], identity=demo["identity"])
    scored = [p.proposal_id for p in got.sheet.proposals if not p.conflict.declared]
    assert sorted(p.name for p in folder.iterdir()) == sorted([f"{pid}.pdf" for pid in scored] + ["pledge.pdf"])
    for pid in scored:  # the very PDFs that were signed
        assert (folder / f"{pid}.pdf").read_bytes() == got.members[f"pdf/{pid}.pdf"]
    assert (folder / "pledge.pdf").read_bytes()[:5] == b"%PDF-"
    text = result.message("zh")
    assert str(folder) in text and "打印" in text and "手写签名" in text and "交评审组织机构" in text
    assert str(folder) in result.message("en") and "sign each by hand" in result.message("en")
    assert not (result.kept_copy.parent / f"{result.path.stem}-打印件").exists()  # only beside the export


def test_an_export_removes_temp_files_a_kill_left_in_an_earlier_revisions_printables(session: Any,
                                                                                      tmp_path: Path) -> None:
    """A kill while an earlier revision's PDFs were written left a .tic-tmp- file in *its* folder; the
    next export (another revision, another folder) removes it (the kill harness found one)."""
    _ready(session)
    _score_all(session)
    usb = tmp_path / "usb"
    earlier = usb / "E01-r0-打印件"
    earlier.mkdir(parents=True)
    stray = earlier / ".tic-tmp-abc.part"
    stray.write_bytes(b"half a PDF")
    (earlier / "P1.pdf").write_bytes(b"%PDF-kept")
    result = sheet_export.export_sheet(session, session.test_key, usb)
    assert result.printables is not None and not result.printables.error
    assert not stray.exists() and (earlier / "P1.pdf").read_bytes() == b"%PDF-kept"


def test_printables_that_cannot_be_written_do_not_undo_the_export(session: Any, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    from tic_desktop.expert import printables

    _ready(session)
    _score_all(session)
    usb = tmp_path / "usb"
    usb.mkdir()
    real = printables.atomic_write

    def full(path: Path, data: bytes, **kw: Any) -> None:
        if path.name != "pledge.pdf":
            raise OSError(28, "No space left on device")
        real(path, data, **kw)

    monkeypatch.setattr(printables, "atomic_write", full)
    result = sheet_export.export_sheet(session, session.test_key, usb)
    assert result.path.exists() and signing.is_locked(session)
    assert result.printables is not None and "No space left" in result.printables.error
    assert "未能全部写入" in result.message("zh") and "评分表本身已导出" in result.message("zh")
