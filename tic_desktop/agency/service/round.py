"""The evaluation round on the agency service: its report from the workspace, its exports and the
previous round's results (importing a round's sheet files: `service.round_import`).

    report = round_report(ws, round_id, identity)          # RoundReport (core.round_results), params recorded
    write_round_exports(out_dir, report)                    # round.csv, <batch_id>/ × 4, + roundout's writers
    previous_from_workspace(old_agency_db, identity)        # [PreviousResult] of every batch there

`round consolidate` (stateless) makes a round in a temporary workspace and goes through exactly the
same functions as the stateful `round export` and the app's round page.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from tic_desktop.agency import round_store
from tic_desktop.agency.round_csv import read_previous_csv, write_round_csv
from tic_desktop.agency.service.panel import build_report, open_workspace, panel_inputs, write_exports
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.core.errors import Rejected, register
from tic_desktop.core.round_cohort import PanelInput, compute_round, is_rectify
from tic_desktop.core.round_results import PreviousResult, PreviousTarget, RoundReport
from tic_desktop.formats.batch import OpenedBatch

Progress = Callable[[int, int], None]
ROUND_CSV = "round.csv"
OTHER_BATCH = register(
    "round.sheet_other_batch",
    "该评分表属于不在本轮中的批次，未导入。请确认文件是否放错，或把该批次加入本轮。",
    "This score sheet belongs to a batch that is not in this round; it was not imported. Check whether the file "
    "is misplaced, or add its batch to the round.")
PREVIOUS_WORKSPACE = register(
    "round.previous_workspace",
    "无法打开上一轮的机构工作区（agency.db），或无法用本机构密钥打开其中的批次。",
    "The previous round's agency workspace (agency.db) cannot be opened, or its batches cannot be opened with this "
    "agency's key.")


def panel_input(ws: AgencyWorkspace, batch: OpenedBatch) -> PanelInput:
    batch_id = batch.manifest.batch_id
    return PanelInput(batch_id, tuple(panel_inputs(ws, batch)), ws.veto_decisions(batch_id))


def round_report(ws: AgencyWorkspace, round_id: str, identity: str, *, own_fingerprint: str | None = None,
                 passphrase: bytes | None = None, record: bool = True, generated_at: str | None = None,
                 progress: Progress | None = None) -> RoundReport:
    """The round as stored now: every batch opened and consolidated, the round computed with the
    recorded official choice, previous results, decisions and objections. `record`: keep the
    normalisation parameters in the round (audited when they changed)."""
    info = round_store.get_round(ws, round_id)
    at = generated_at or datetime.now().astimezone().isoformat(timespec="seconds")
    panels, reports = [], []
    for n, batch_id in enumerate(info.batch_ids):
        with ws.open_batch(batch_id, identity, passphrase=passphrase, own_fingerprint=own_fingerprint) as batch:
            panels.append(panel_input(ws, batch))
            reports.append(build_report(ws, batch, at))
        if progress is not None:
            progress(n + 1, len(info.batch_ids))
    results = compute_round(info, panels, official=round_store.official(ws, round_id),
                            previous=round_store.previous(ws, round_id),
                            decisions=round_store.decisions(ws, round_id),
                            objections=round_store.objections(ws, round_id))
    if record:
        round_store.save_normalisation(ws, round_id, results.normalisation)
    return RoundReport(results=results, panels=tuple(reports), notice=round_store.notice(ws, round_id),
                       generated_at=at)


def _roundout_writer() -> Callable[..., list[Path]] | None:
    """round.pdf, round.xlsx, publication.pdf and publication.xlsx come from the round's output writers
    (`tic_desktop.reports.round_outputs.write_round_outputs(out_dir, report, progress=None) -> [Path]`);
    until they exist only round.csv and the per-batch files are written."""
    try:
        from tic_desktop.reports.round_outputs import write_round_outputs  # type: ignore[import-not-found]
    except ModuleNotFoundError as exc:
        if exc.name != "tic_desktop.reports.round_outputs":
            raise
        return None
    return write_round_outputs  # type: ignore[no-any-return]


def write_round_exports(out_dir: Path, report: RoundReport, *, per_batch: bool = True,
                        progress: Progress | None = None, signer: Any = None) -> list[Path]:
    """OUT_DIR/round.csv, the round's PDF/xlsx and 公示 list (when their writers are there) and per batch
    OUT_DIR/<batch_id>/ with the files of `consolidate` (`signer`: each consolidated.pdf, and every PDF the
    round's writers return — round.pdf, publication.pdf — signed, PAdES)."""
    if report.notice.strip():  # a mistyped placeholder refuses the export before anything is written
        from tic_desktop.reports.notice import check_notice  # noqa: PLC0415

        check_notice(report.notice)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = [write_round_csv(out / ROUND_CSV, report.results)]
    writer = _roundout_writer()
    if writer is not None:
        outputs = [Path(p) for p in writer(out, report)]
        if not any(p.name == "publication.docx" for p in outputs):  # the 公示 notice for the agency to edit
            from tic_desktop.reports.notice_docx import write_publication_docx  # noqa: PLC0415

            written.append(write_publication_docx(out, report))
        if signer is not None:  # round.pdf and the 公示 list signed like consolidated.pdf (PAdES)
            from tic_desktop.reports.pdf_signature import sign_pdf  # noqa: PLC0415

            for path in outputs:
                if path.suffix.lower() == ".pdf":
                    sign_pdf(path, signer)
        written += outputs
    if per_batch:
        for n, panel in enumerate(report.panels):
            written += write_exports(out / panel.batch_id, panel, signer=signer)
            if progress is not None:
                progress(n + 1, len(report.panels))
    return written


def previous_from_csv(path: Path) -> list[PreviousResult]:
    return read_previous_csv(path)


def previous_from_workspace(path: Path, identity: str, *, passphrase: bytes | None = None) -> list[PreviousResult]:
    """Every batch of an old agency workspace, consolidated as it stands there, with each center's
    targets (KPIs) of that round. The old workspace is opened read-only in spirit (only migrated)."""
    path = Path(path)
    if path.is_dir():
        path = path / "agency.db"
    if not path.is_file():
        raise Rejected(PREVIOUS_WORKSPACE, str(path))
    from tic_desktop.core.consolidation import consolidate  # noqa: PLC0415

    out: list[PreviousResult] = []
    ws = open_workspace(path, check_location=False)
    try:
        for info in ws.batches():
            try:
                batch = ws.open_batch(info.batch_id, identity, passphrase=passphrase)
            except Rejected as exc:
                raise Rejected(PREVIOUS_WORKSPACE, f"{info.batch_id}: {exc.code}") from None
            with batch:
                result = consolidate(panel_inputs(ws, batch), ws.veto_decisions(info.batch_id))
                for r in result.results:
                    proposal = batch.proposals[r.proposal_id]
                    outcome = r.outcome.zh if r.outcome else ""
                    out.append(PreviousResult(
                        center_name=r.center_name, proposal_id=r.proposal_id, form_id=r.form_id,
                        center_type=r.center_type, final_score=r.final_score, conclusion=r.conclusion,
                        conclusion_label=r.conclusion_label.zh if r.conclusion_label else "", outcome=outcome,
                        award=r.award, source=f"workspace:{info.batch_id}",
                        rectify=is_rectify(batch.forms[r.form_id], r.center_type, r.conclusion, outcome),
                        targets=tuple(PreviousTarget(k.id, k.name, k.unit, k.target, k.achieved)
                                      for k in proposal.kpis)))
    finally:
        ws.close()
    return out
