"""Shared set-up of the agency page tests: a real demo batch, signed sheets for every expert (made
once per session by tic_desktop.demo and tic_desktop.simulate) and a fresh agency workspace per test.
Batches of the other kinds (term-end, periodic assessment) and newer revisions of a sheet (re-signed
with tests.unit.agency_world.resign, as the agency-core tests make them) are built here too."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.demo import write_demo_batch
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT
from tic_desktop.simulate import simulate
from tic_desktop.ui.agency.agency_context import AgencyContext

KEYS: dict[str, object] = {}
"""Expert id -> the simulated ExpertKey of the session's demo round (to sign a conflicting sheet)."""
ROUND_KEYS: dict[Path, dict[str, object]] = {}
"""Round folder -> expert id -> ExpertKey, for every round made here (to sign newer revisions)."""


def make_round(folder: Path, kind: str = "feasibility_review") -> Path:
    """FOLDER/demo.ticbatch of `kind`, FOLDER/agency/ (demo keys), FOLDER/sheets/E01..E07.ticsheet +
    allowed_signers; the experts' keys kept in ROUND_KEYS[folder]."""
    batch = write_demo_batch(folder, kind=kind)
    ROUND_KEYS[folder] = {s.expert_id: s.key for s in simulate(batch, folder / "sheets", seed=7)}
    return folder


@pytest.fixture(scope="session")
def demo_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """DIR/demo.ticbatch, DIR/agency/ (demo keys), DIR/sheets/E01..E07.ticsheet + allowed_signers."""
    folder = make_round(tmp_path_factory.mktemp("agency-demo"))
    KEYS.update(ROUND_KEYS[folder])
    return folder


def conflicting_sheet(demo_round: Path, expert_id: str, out_dir: Path, seed: int = 99) -> Path:
    """Another sheet_seq 1 of `expert_id`, signed with the same key but scored differently."""
    import tempfile

    from tic_desktop.formats.batch import read_batch
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    raw = (demo_round / "demo.ticbatch").read_bytes()
    opened = read_batch(raw)
    expert = next(e for e in opened.manifest.experts if e.id == expert_id)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as work:
        done = simulate_expert(opened, raw, expert, out_dir, Path(work), seed=seed, plan=ScoresPlan(),
                               key=ROUND_KEYS[demo_round][expert_id])
    return Path(done.result.path)


def agency_world(round_dir: Path):  # noqa: ANN201 - tests.unit.agency_world.World
    """The round as tests.unit.agency_world sees it (to re-sign revisions with its `resign`)."""
    from tests.unit.agency_world import World
    from tic_desktop.formats.batch import read_batch

    identity = (round_dir / "agency" / "agency.agekey").read_text("utf-8")
    opened = read_batch((round_dir / "demo.ticbatch").read_bytes())
    keys = ROUND_KEYS[round_dir]
    return World(round_dir, round_dir / "demo.ticbatch", identity, opened,
                 {eid: round_dir / "sheets" / f"{eid}.ticsheet" for eid in keys}, dict(keys))  # type: ignore[arg-type]


def newer_revision(round_dir: Path, expert_id: str, out: Path, *, seed: int = 2,
                   overall: dict[str, str] | None = None) -> Path:
    """Revision 2 of `expert_id`'s sheet, as the app writes one after 修订: rescored (simulated with
    another seed), sheet_seq 2 superseding revision 1, a later audit head, signed with the same key;
    `overall` adds overall-field answers (e.g. restructure) to every form entry."""
    from tests.unit.agency_world import resign

    world = agency_world(round_dir)
    first = world.read(world.sheets[expert_id])
    rescored = conflicting_sheet(round_dir, expert_id, out.parent / f"rescored-{expert_id}-{seed}", seed=seed)
    changes: dict[str, object] = {}
    if overall:
        again = world.read(rescored).sheet
        changes["proposals"] = tuple(
            p.model_copy(update={"forms": tuple(f.model_copy(update={"overall": {**f.overall, **overall}})
                                               for f in p.forms)}) for p in again.proposals)
    return resign(world, rescored, out, sheet_seq=2, supersedes=first.sheet_sha256,
                  audit_head=(first.sheet.audit_head.seq + 50, "ab" * 32), **changes)


@pytest.fixture()
def sheets_dir(demo_round: Path, tmp_path: Path) -> Path:
    """A private copy of the signed sheets (tests may add tampered or extra files)."""
    target = tmp_path / "inbox"
    shutil.copytree(demo_round / "sheets", target)
    return target


def open_context(round_dir: Path, tmp_path: Path) -> AgencyContext:
    identity = (round_dir / "agency" / "agency.agekey").read_text("utf-8")
    ws_path = tmp_path / "agency" / "agency.db"
    ws = AgencyWorkspace.open(ws_path, check_location=False)
    info = ws.add_batch(round_dir / "demo.ticbatch", identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
    batch = ws.open_batch(info.batch_id, identity)
    return AgencyContext(ws=ws, ws_path=ws_path, batch_id=info.batch_id, batch=batch, identity=identity)


def close_context(context: AgencyContext) -> None:
    context.batch.close()
    context.ws.close()


@pytest.fixture()
def ctx(demo_round: Path, tmp_path: Path) -> Iterator[AgencyContext]:
    """A fresh agency workspace holding the feasibility demo batch, no sheets yet."""
    context = open_context(demo_round, tmp_path)
    yield context
    close_context(context)


@pytest.fixture(scope="session")
def term_end_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The term-end demo batch and its simulated sheets: the seeded scores raise the 80% veto."""
    return make_round(tmp_path_factory.mktemp("agency-term-end"), "term_end_evaluation")


@pytest.fixture()
def term_end_ctx(term_end_round: Path, tmp_path: Path) -> Iterator[AgencyContext]:
    """A workspace holding the term-end demo batch with every simulated sheet imported."""
    context = open_context(term_end_round, tmp_path)
    import_all(context, term_end_round / "sheets")
    yield context
    close_context(context)


@pytest.fixture(scope="session")
def periodic_round(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The periodic-assessment demo batch and its simulated sheets: one 优秀 with the award, one
    moved down by the 20% cap on 优秀."""
    return make_round(tmp_path_factory.mktemp("agency-periodic"), "periodic_assessment")


@pytest.fixture()
def periodic_ctx(periodic_round: Path, tmp_path: Path) -> Iterator[AgencyContext]:
    """A workspace holding the periodic-assessment demo batch with every simulated sheet imported."""
    context = open_context(periodic_round, tmp_path)
    import_all(context, periodic_round / "sheets")
    yield context
    close_context(context)


def sheet_files(folder: Path) -> list[Path]:
    return sorted(folder.glob("*.ticsheet"))


def import_all(ctx: AgencyContext, folder: Path) -> None:
    """Pin the simulated keys in advance and import every sheet (the test set-up, not under test)."""
    from tic_desktop.agency.importer import import_sheets

    ctx.ws.pin_allowed_signers(ctx.batch_id, (folder / "allowed_signers").read_text("utf-8"))
    import_sheets(ctx.ws, ctx.batch, ctx.identity, sheet_files(folder))


def answer_next_dialog(handler) -> None:  # noqa: ANN001 - a test helper
    """Call handler(dialog) on the next modal dialog as soon as it is shown (its exec() runs)."""

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, QDialog) and dialog.isVisible():
            handler(dialog)
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)
