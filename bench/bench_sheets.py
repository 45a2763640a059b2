"""Signed score sheets (issue 4): sign + export a 42-proposal sheet, and one score-sheet PDF.

- `sheet_export_42`: `expert.sheet_export.export_sheet` for an expert with 42 scored proposals, PDFs
  included (build, render, sign, encrypt, atomic write, re-open and verify, keep a copy, record).
  Target: <= 3 s. Baseline: the same sheet's PDFs rendered alone, to show what the rest costs.
- `sheet_pdf_median`: `reports.sheet_pdf.render_score_sheet` of one proposal (both forms of a
  feasibility review). Target: median <= 60 ms. Baseline: a one-line PDF with the same font.
"""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import produces, result

TARGET_EXPORT_S = 3.0
TARGET_PDF_MS = 60.0


def _batch_with(folder: Path, copies: int) -> Path:
    """The demo feasibility batch with its six proposals repeated `copies` times, one expert."""
    from tic_desktop.demo import write_repeated_demo_batch
    from tic_desktop.formats.keys import create_agency_keys

    create_agency_keys(folder / "agency")  # a real key: the demo key opens only in the demo workspace
    return write_repeated_demo_batch(folder / "bench.ticbatch", copies, agency_dir=folder / "agency")


def _scored_session(folder: Path, batch: Path) -> tuple[Any, Any]:
    from tic_desktop.expert.session import ConflictDeclaration, ExpertSession
    from tic_desktop.formats.batch import read_batch
    from tic_desktop.simulate import _answers_for, make_key

    raw = batch.read_bytes()
    opened = read_batch(raw)
    session = ExpertSession.open(folder / "data")
    session.accept(opened, raw, pin_new_agency=True)
    expert = opened.manifest.experts[0]
    key = make_key(expert.id)
    session.choose_expert(expert.id, key)
    session.accept_pledge()
    session.declare_conflicts({pid: ConflictDeclaration(False) for pid in session.conflicts()})
    rng = random.Random(1)
    for p in session.assigned():
        for d in p.documents:
            session.document_opened(p.id, d.path)
        changes = [(p.id, form.id, kind, item, value) for form in session.forms_for(p.id)
                   for kind, item, value in _answers_for(form, p, expert.role, rng, 0.8, {})]
        session.save_answers(changes)
    return session, key


@produces("sheet_export_42")
def bench_sheet_export(quick: bool) -> list[dict[str, Any]]:
    """Sign and export one sheet covering 42 proposals with their PDFs."""
    from tic_desktop.expert import sheet_export, signing

    runs = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="tic-bench-sheet-") as tmp:
        folder = Path(tmp)
        session, key = _scored_session(folder, _batch_with(folder, 7))
        try:
            n = len(session.assigned())
            built = signing.build_sheet(session, key)  # warm-up, not timed: fonts, QR encoder, schemas
            times, built_times = [], []
            for _ in range(runs):  # interleaved with the baseline: a slow moment of the machine hits both
                if signing.is_locked(session):
                    signing.revise(session)
                start = time.perf_counter()
                built = signing.build_sheet(session, key)  # baseline: the sheet data and its PDFs alone
                built_times.append(time.perf_counter() - start)
                start = time.perf_counter()
                sheet_export.export_sheet(session, key, folder)
                times.append(time.perf_counter() - start)
            pages = sum(_pages(data) for member, data in built.members.items() if member.startswith("pdf/"))
        finally:
            session.close()
    value = statistics.median(times)
    return [result("sheet_export_42", value, "s", baseline=statistics.median(built_times), target=TARGET_EXPORT_S,
                   target_on="value", samples=times, params={"proposals": n, "experts": 1, "pdf_pages": pages,
                                                             "runs": runs},
                   note="median; baseline (ratio beside it): building the sheet data and its PDFs alone, "
                        "without sign/encrypt/write/re-open/verify")]


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ") or pdf.count(b"/Type /Page>")


@produces("sheet_pdf_median")
def bench_sheet_pdf(quick: bool) -> list[dict[str, Any]]:
    """Median time of one score-sheet PDF (one proposal, both feasibility forms)."""
    from bench.forge import simulated_answers
    from tic_desktop.core.scoring import evaluate
    from tic_desktop.reports.qr import build_pdf, footer_painter, para, styles
    from tic_desktop.reports.sheet_pdf import ScoreSheetInput, SheetPage, render_score_sheet

    with tempfile.TemporaryDirectory(prefix="tic-bench-pdf-") as tmp:
        from tic_desktop.demo import build_demo_source
        from tic_desktop.formats.source import read_source

        spec = read_source(build_demo_source(Path(tmp) / "src"))
    forms = {f.id: f for f in spec.forms}
    proposal = spec.proposals[0]
    expert = spec.experts[0]
    rng = random.Random(3)
    pages = []
    for fid in proposal.forms:
        form = forms[fid]
        answers = simulated_answers(form, proposal, expert.role, rng, 0.8)
        pages.append(SheetPage(form, answers, evaluate(form, answers, expert.role)))
    data = ScoreSheetInput(
        batch_id=spec.batch_id, batch_title=spec.title.zh, kind=spec.kind, agency_name=spec.agency_name,
        proposal=proposal, expert=expert, pages=tuple(pages), fingerprint="SHA256:" + "A" * 43, digest="0" * 64,
        sheet_seq=1, qr_text="tic-sheet-v1;bench", date="2026-03-02",
    )
    n = 5 if quick else 30
    render_score_sheet(data)  # warm: font registration, QR matrix
    times = []
    for _ in range(n):
        start = time.perf_counter()
        render_score_sheet(data)
        times.append((time.perf_counter() - start) * 1000)
    base = []
    for _ in range(n):
        start = time.perf_counter()
        build_pdf([para("专家评分表", styles().body)], footer_painter("bench"), title="bench")
        base.append((time.perf_counter() - start) * 1000)
    pdf_pages = _pages(render_score_sheet(data))
    return [result("sheet_pdf_median", statistics.median(times), "ms", baseline=statistics.median(base),
                   target=TARGET_PDF_MS, target_on="value", samples=times,
                   note="median render; baseline: a one-line PDF with the same font",
                   params={"runs": n, "forms": len(pages), "pdf_pages": pdf_pages,
                           "criteria": sum(len(p.form.criteria) for p in pages)})]
