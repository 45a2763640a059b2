"""A disk that is really full (a small tmpfs filled up), while scoring and while exporting.

Scoring: the edit is refused with `disk.full` (told in Chinese), nothing half-written, the edit is
still the caller's to retry, and it is saved once space is freed. Exporting: a clear error, no
partial file in the chosen folder or the data folder, nothing recorded, and the export works once
there is room. Skipped (with the reason) where a tmpfs cannot be mounted.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest

from tests.small_disk import fill, small_disk
from tic_desktop.core.atomic import TMP_PREFIX
from tic_desktop.core.errors import SheetRejected
from tic_desktop.expert import sheet_export, signing
from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.sheet import read_sheet
from tic_desktop.simulate import _answers_for, make_key
from tic_desktop.storage.errors import DISK_FULL, DiskFull
from tic_desktop.storage.workspace import Workspace

EXPERT = "E04"


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tests.batches import write_test_batch

    root = tmp_path_factory.mktemp("full")
    path = write_test_batch(root / "demo")
    return {"path": path, "identity": (root / "demo" / "agency" / "agency.agekey").read_text()}


def _scored_session(data: Path, demo: dict[str, Any], key: Any) -> ExpertSession:
    session = ExpertSession.open(data)
    session.accept(read_batch(demo["path"]), demo["path"], pin_new_agency=True)
    session.choose_expert(EXPERT, key)
    session.accept_pledge()
    session.declare_conflicts({pid: ConflictDeclaration(False) for pid in session.conflicts()})
    rng = random.Random(3)
    for p in session.assigned():
        if not session.is_conflicted(p.id):
            session.save_answers(
                [
                    (p.id, form.id, kind, item, value)
                    for form in session.forms_for(p.id)
                    for kind, item, value in _answers_for(form, p, session.expert.role, rng, 0.85, {})
                ]
            )
    return session


def _first_criterion(session: ExpertSession) -> tuple[str, str, str]:
    p = next(p for p in session.assigned() if not session.is_conflicted(p.id))
    form = session.forms_for(p.id)[0]
    return p.id, form.id, form.criteria[0].id


def _temps(folder: Path) -> list[Path]:
    return [p for p in folder.rglob(f"{TMP_PREFIX}*")]


def test_scoring_on_a_full_disk_keeps_the_edit_and_saves_it_once_space_is_freed(
    tmp_path: Path, demo: dict[str, Any]
) -> None:
    key = make_key(EXPERT)
    with small_disk(tmp_path / "disk", "6m") as disk:
        data = disk / "data"
        session = _scored_session(data, demo, key)
        pid, form, crit = _first_criterion(session)
        crits = [c.id for c in session.opened.forms[form].criteria]
        before = session.answers(pid, form).comments
        filler = fill(disk)
        # the WAL may still have room from earlier commits: keep editing until the disk says no
        refused: DiskFull | None = None
        for n in range(40):
            text = f"第{n}条意见：" + "申报材料核对无误，评分理由如下。" * 1100  # ~19 000 characters
            edit = [(pid, form, "comment", c, text) for c in crits]
            try:
                session.save_answers(edit)
            except DiskFull as exc:
                refused = exc
                break
            before = session.answers(pid, form).comments
        assert refused is not None, "the full disk never refused an edit"
        assert refused.code == DISK_FULL and "磁盘空间不足" in refused.text("zh")
        assert session.answers(pid, form).comments == before  # nothing of it taken for saved
        with pytest.raises(DiskFull):
            session.workspace.backup_now()  # no snapshot either, and no half-made one left
        assert session.workspace.integrity_check() == ["ok"]

        filler.unlink()  # space freed: the same edit, kept by the caller, now goes through
        session.save_answers(edit)
        session.close()
        assert not _temps(data)
        with Workspace.open(data / "workspace.db", check_location=False) as ws:
            assert ws.integrity_check() == ["ok"]
            ws.verify_audit_chain()
            batch_id = ws.batches()[0].batch_id
            assert all(ws.answers_for(batch_id, EXPERT, pid, form)["comments"][c] == text for c in crits)


def _export_refused(session: ExpertSession, key: Any, folder: Path) -> SheetRejected:
    with pytest.raises(SheetRejected) as info:
        sheet_export.export_sheet(session, key, folder)
    return info.value


def _nothing_exported(session: ExpertSession, *folders: Path) -> None:
    for folder in folders:
        assert not list(folder.rglob("*.ticsheet")) and not _temps(folder)
    assert not signing.exports(session) and not signing.is_locked(session)
    assert session.workspace.integrity_check() == ["ok"]
    session.workspace.verify_audit_chain()


def test_export_to_a_full_usb_stick_fails_clearly_and_leaves_nothing(
    tmp_path: Path, demo: dict[str, Any]
) -> None:
    key = make_key(EXPERT)
    session = _scored_session(tmp_path / "data", demo, key)
    try:
        with small_disk(tmp_path / "usb", "2m") as usb:
            filler = fill(usb)
            err = _export_refused(session, key, usb)
            assert err.code == sheet_export.EXPORT_DISK_FULL
            assert "空间不足" in err.text("zh") and "未导出" in err.text("zh")
            _nothing_exported(session, usb, tmp_path / "data" / "sheets")
            assert sorted(p.name for p in usb.iterdir()) == ["filler.bin"]

            filler.unlink()
            done = sheet_export.export_sheet(session, key, usb)
            got = read_sheet(done.path, session.opened, identity=demo["identity"])
            assert got.sheet_sha256 == done.sheet_sha256 and done.path.parent == usb
    finally:
        session.close()


def test_export_with_a_full_data_disk_writes_nothing_to_the_chosen_folder(
    tmp_path: Path, demo: dict[str, Any]
) -> None:
    key = make_key(EXPERT)
    usb = tmp_path / "usb"
    usb.mkdir()
    with small_disk(tmp_path / "disk", "6m") as disk:
        session = _scored_session(disk / "data", demo, key)
        try:
            filler = fill(disk)
            err = _export_refused(session, key, usb)
            assert err.code == sheet_export.EXPORT_DATA_DISK_FULL  # the data disk, not the stick
            assert "磁盘空间不足" in err.text("zh") and "评分表未导出" in err.text("zh")
            _nothing_exported(session, usb, disk / "data")

            filler.unlink()
            done = sheet_export.export_sheet(session, key, usb)
            assert (
                read_sheet(done.path, session.opened, identity=demo["identity"]).sheet_sha256
                == done.sheet_sha256
            )
            assert done.kept_copy.read_bytes() == done.path.read_bytes()
        finally:
            session.close()
