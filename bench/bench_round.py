"""The evaluation round (issue 13): 150 centers in 15 panels × 7 experts.

One agency key, 15 signed batches (periodic assessment, 7 professional and 3 engineering centers
per panel, proposal ids unique over the round), 7 experts per panel each scoring the panel's 10
centers: 1,050 sheets (expert × center) in 105 signed, age-encrypted sheet files with a 40 KB PDF
per scored center (forged directly by `bench.forge`, as in bench_agency). Each panel scores on its
own scale (a harsh and a lenient panel), so normalisation has something to do.

- `round_import_150`: the round's batches added and pinned, then `agency.service.round_import.
  import_round` of the 105 files (route each file to its batch, full verification, one transaction
  per file) into a fresh agency workspace. Target ≤ 15 s.
- `round_import_150_vs_bare`: the same against a bare loop of age decryption + one Ed25519
  verification per file. Target: ratio ≤ 5.
- `round_consolidate_150`: `core.round_cohort.compute_round` over the 15 panels' inputs: every
  panel consolidated, the cohort ranked and capped, normalisation, panel effects. Target ≤ 1 s.
- `round_pdf_150`: round.pdf of that round (round pages + the 15 panel reports). Target ≤ 20 s.
- `round_page_stall_150`: the app's round page (`ui.agency.round_page`, in a child process, offscreen)
  imports the 105 files and consolidates the round off the GUI thread; the longest gap between two
  ticks of a 5 ms timer on the GUI thread meanwhile. Target ≤ 100 ms.
--quick: 3 panels (30 centers, 21 files).
"""

from __future__ import annotations

import dataclasses
import gc
import random
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from bench import produces, result

PANELS = 15
PER_PANEL = 10
PANEL = 7
IMPORT_TARGET_S = 15.0
IMPORT_TARGET_RATIO = 5.0
CONSOLIDATE_TARGET_S = 1.0
PDF_TARGET_S = 20.0
STALL_TARGET_MS = 100.0


def build(folder: Path, panels: int) -> dict[str, Any]:
    """`panels` signed batches of the round, one agency key, and every expert's sheet file."""
    from bench.bench_batch import batch_spec
    from bench.forge import forge_sheet, small_pdf
    from tic_desktop.core.form_library import builtin_forms
    from tic_desktop.core.types import Text
    from tic_desktop.formats.batch import read_batch, write_batch
    from tic_desktop.formats.keys import create_agency_keys
    from tic_desktop.formats.manifest import Expert

    form = builtin_forms()["periodic_assessment"]
    keys = create_agency_keys(folder / "agency")
    rng = random.Random(13)
    sheets_dir = folder / "sheets"
    sheets_dir.mkdir()
    batches, signers = [], []
    roles = ("technical", "technical", "technical", "technical", "technical", "finance", "management")
    for k in range(1, panels + 1):
        spec = batch_spec(PER_PANEL, form, make_pdf=small_pdf, batch_id=f"R2027-P{k:02d}")
        proposals, documents = [], {}
        for i, p in enumerate(spec.proposals):
            pid = f"P{k:02d}-{i + 1:02d}"
            documents[f"proposals/{pid}/plan.pdf"] = spec.documents[p.documents[0].path]
            proposals.append(p.model_copy(update={
                "id": pid, "center_name": f"{p.center_name[:-1]}{k}-{i + 1}）",
                "center_type": "professional" if i < 7 else "engineering",
                "documents": tuple(d.model_copy(update={"path": f"proposals/{pid}/plan.pdf"}) for d in p.documents)}))
        ids = tuple(p.id for p in proposals)
        experts = [Expert(id=f"X{k:02d}{j + 1}", name=f"专家{k}-{j + 1}", role=roles[j], chair=j == 0, assigned=ids)
                   for j in range(PANEL)]
        spec = dataclasses.replace(spec, proposals=proposals, documents=documents, experts=experts,
                                   title=Text(zh=f"2027 年度评估 第{k}组", en=f"2027 assessment panel {k}"))
        path = folder / f"{spec.batch_id}.ticbatch"
        write_batch(path, spec, keys)
        batches.append(path)
        opened = read_batch(path)
        quality = 0.68 + 0.15 * (k - 1) / max(1, panels - 1)  # from a harsh panel to a lenient one
        for e in opened.manifest.experts:
            mean = quality + rng.uniform(-0.06, 0.06)  # the expert's own scale within the panel's
            data, line = forge_sheet(opened, form, e, rng,
                                     lambda mean=mean: min(0.98, max(0.3, rng.gauss(mean, 0.08))))
            (sheets_dir / f"{opened.manifest.batch_id}-{e.id}.ticsheet").write_bytes(data)
            signers.append(line)
        opened.close()
    identity = (folder / "agency" / "agency.agekey").read_text("utf-8")
    return {"batches": batches, "identity": identity, "sheets": sorted(sheets_dir.iterdir()),
            "allowed_signers": "\n".join(signers) + "\n", "fingerprint": keys.fingerprint,
            "centers": panels * PER_PANEL}


def _workspace(world: dict[str, Any], folder: Path) -> tuple[Any, list[str]]:
    from tic_desktop.agency import round_store
    from tic_desktop.agency import service as svc

    ws = svc.open_workspace(folder / "agency.db", check_location=False)
    round_store.create_round(ws, "R2027", "2027 年度专业性技术创新中心评估（基准测试）", 2027)
    ids = []
    for path in world["batches"]:
        info = svc.add_batch(ws, path, world["identity"], own_fingerprint=world["fingerprint"])
        svc.pin_allowed_signers(ws, info.batch_id, world["allowed_signers"])
        round_store.add_batch(ws, "R2027", info.batch_id)
        ids.append(info.batch_id)
    return ws, ids


def page_stall(world: dict[str, Any], folder: Path) -> dict[str, Any]:
    """Run bench._round_page_child on the world: the round page imports and consolidates it."""
    import json
    import os
    import subprocess
    import sys

    (folder / "world.json").write_text(json.dumps({
        "batches": [str(p) for p in world["batches"]], "sheets": [str(p) for p in world["sheets"]],
        "identity": world["identity"], "allowed_signers": world["allowed_signers"],
        "fingerprint": world["fingerprint"]}), "utf-8")
    root = Path(__file__).resolve().parent.parent
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen",
               PYTHONPATH=os.pathsep.join([str(root), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-m", "bench._round_page_child", str(folder)], env=env, cwd=root,
                          capture_output=True, text=True, timeout=600, check=False)
    line = next((ln for ln in proc.stdout.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"round page child failed: {proc.stderr[-2000:]}")
    return dict(json.loads(line[6:]))


@produces("round_import_150", "round_import_150_vs_bare", "round_consolidate_150", "round_pdf_150",
          "round_page_stall_150")
def bench_round_150(quick: bool) -> list[dict[str, Any]]:
    from bench.bench_agency import bare_loop
    from tic_desktop.agency import round_store
    from tic_desktop.agency.service.round import panel_input, round_report
    from tic_desktop.agency.service.round_import import import_round
    from tic_desktop.core.round_cohort import compute_round
    from tic_desktop.reports.round_pdf import render_round_pdf

    panels = 3 if quick else PANELS
    runs = 1 if quick else 3
    suffix = f"(quick:{panels * PER_PANEL})" if quick else ""
    with tempfile.TemporaryDirectory(prefix="tic-bench-round-") as tmp:
        folder = Path(tmp)
        world = build(folder, panels)
        times = []
        for i in range(runs):
            ws, _ = _workspace(world, folder / f"ws{i}")
            try:
                gc.collect()
                start = time.perf_counter()
                done = import_round(ws, "R2027", world["identity"], world["sheets"])
                times.append(time.perf_counter() - start)
                assert done.not_used == 0 and done.used == len(world["sheets"]), done
                if i < runs - 1:
                    continue
                # the imported round: consolidation with normalisation, then its PDF
                info = round_store.get_round(ws, "R2027")
                inputs = []
                for b in info.batch_ids:
                    with ws.open_batch(b, world["identity"]) as batch:
                        inputs.append(panel_input(ws, batch))
                consolidate_times = []
                for _ in range(1 if quick else 5):
                    gc.collect()
                    start = time.perf_counter()
                    res = compute_round(info, inputs)
                    consolidate_times.append(time.perf_counter() - start)
                assert len(res.rows) == len(world["sheets"]) // PANEL * PER_PANEL
                report = round_report(ws, "R2027", world["identity"], record=False)
            finally:
                ws.close()
        bare_times = []
        for _ in range(max(runs, 2)):
            gc.collect()
            start = time.perf_counter()
            bare_loop(world["sheets"], world["identity"])
            bare_times.append(time.perf_counter() - start)
        size_mb = sum(f.stat().st_size for f in world["sheets"]) / 1e6
        stall = page_stall(world, folder)
    pdf_times = []
    pages = 0
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        data = render_round_pdf(report)
        pdf_times.append(time.perf_counter() - start)
        pages = data.count(b"/Type /Page\n") or data.count(b"/Type /Page ")
    changed = sum(1 for r in report.results.rows if "normalised.conclusion_differs" in r.flag_codes)
    params = {"panels": panels, "centers": world["centers"], "experts_per_panel": PANEL,
              "sheets": len(world["sheets"]) * PER_PANEL, "sheet_files": len(world["sheets"]),
              "files_mb": round(size_mb, 1), "runs": runs, "bare_min": min(bare_times), "bare_max": max(bare_times)}
    value, bare = statistics.median(times), statistics.median(bare_times)
    return [
        result(f"round_import_150{suffix}", value, "s", baseline=bare, target=IMPORT_TARGET_S, target_on="value",
               samples=times, params=params,
               note="median import_round (route + verify + store) into a fresh workspace; baseline: bare decrypt+verify"),
        result(f"round_import_150_vs_bare{suffix}", value, "s", baseline=bare, target=IMPORT_TARGET_RATIO,
               samples=times, params=params, note="ratio to a bare loop of age decryption + Ed25519 verification"),
        result(f"round_consolidate_150{suffix}", statistics.median(consolidate_times), "s",
               target=CONSOLIDATE_TARGET_S, target_on="value", samples=consolidate_times,
               params={**params, "normalised_changes": changed},
               note="compute_round: every panel, the cohort ranking and 优秀 share, normalisation, panel effects"),
        result(f"round_pdf_150{suffix}", statistics.median(pdf_times), "s", target=PDF_TARGET_S, target_on="value",
               samples=pdf_times, params={**params, "pages": pages}, note="render_round_pdf: round pages + every panel's report"),
        result(f"round_page_stall_150{suffix}", stall["max_gap"] * 1000, "ms", target=STALL_TARGET_MS,
               target_on="value", params={**params, "page_total_s": round(stall["total"], 2), "ticks": stall["ticks"]},
               note="the round page importing every file and consolidating the round: the longest gap between two "
                    "5 ms ticks of a timer on the GUI thread"),
    ]
