"""Agency import (issue 5): import and verify 50 sheets covering 300 proposals × 7 experts.

The design load: 300 proposals, each scored by 7 experts, spread over 50 experts with 42 proposals
each (50 × 42 = 300 × 7), one signed, age-encrypted sheet per expert with a 40 KB PDF per scored
proposal (incompressible bytes: the importer hashes them, it never renders them). The sheets are
forged directly by `bench.forge` (canonical sheet.json, SSHSIG, raw Ed25519, key files, PDFs, age to the
agency and the expert): what `expert.signing` writes, without rendering real PDFs.

- `agency_import_50`: `agency.importer.import_sheets` of the 50 files into a fresh agency workspace
  (batch added and keys pinned beforehand): full verification against the batch, replay rules, raw
  file copies, one transaction per file. Target: <= 2 s.
- `agency_import_50_vs_bare`: the same figure against a bare loop over the same files of age
  decryption + reading sheet.json and its raw signature from the ZIP + one Ed25519 verification.
  Target: ratio <= 3.
--quick: 10 experts × 42 proposals over 60 proposals.
"""

from __future__ import annotations

import dataclasses
import gc
import io
import random
import statistics
import tempfile
import time
import zipfile
from pathlib import Path
from typing import Any

from bench import produces, result

TARGET_S = 2.0
TARGET_RATIO = 3.0
PER_EXPERT = 42
PANEL = 7


def build(folder: Path, experts: int) -> dict[str, Any]:
    """A batch of experts × 42 / 7 proposals, the agency keys and one signed sheet per expert."""
    from bench.bench_batch import batch_spec
    from bench.forge import forge_sheet, small_pdf
    from tic_desktop.core.form_library import builtin_forms
    from tic_desktop.formats.batch import read_batch, write_batch
    from tic_desktop.formats.keys import create_agency_keys
    from tic_desktop.formats.manifest import Expert

    n = experts * PER_EXPERT // PANEL
    form = builtin_forms()["feasibility_review"]
    spec = batch_spec(n, form, make_pdf=small_pdf, batch_id=f"bench-agency-{n}")
    ids = [p.id for p in spec.proposals]
    slots = ids * PANEL
    roles = ("technical", "technical", "technical", "finance", "management")
    panel = [Expert(id=f"X{j + 1:03d}", name=f"专家{j + 1}", role=roles[j % len(roles)], chair=j == 0,
                    assigned=tuple(slots[j * PER_EXPERT:(j + 1) * PER_EXPERT])) for j in range(experts)]
    spec = dataclasses.replace(spec, experts=panel)
    keys = create_agency_keys(folder / "agency")
    batch_path = folder / "bench.ticbatch"
    write_batch(batch_path, spec, keys)
    opened = read_batch(batch_path)
    m = opened.manifest
    rng = random.Random(5)
    sheets_dir = folder / "sheets"
    sheets_dir.mkdir()
    signers = []
    for expert in m.experts:
        data, line = forge_sheet(opened, form, expert, rng, lambda: rng.uniform(0.6, 0.95))
        (sheets_dir / f"{expert.id}.ticsheet").write_bytes(data)
        signers.append(line)
    opened.close()
    identity = (folder / "agency" / "agency.agekey").read_text("utf-8")
    return {"batch": batch_path, "identity": identity, "sheets": sorted(sheets_dir.iterdir()),
            "allowed_signers": "\n".join(signers) + "\n", "proposals": n, "batch_id": m.batch_id,
            "fingerprint": keys.fingerprint}


def bare_loop(files: list[Path], identity: str) -> None:
    """What importing cannot avoid: age decryption and one Ed25519 verification per file."""
    import pyrage
    from cryptography.hazmat.primitives.serialization import load_pem_public_key

    ident = pyrage.x25519.Identity.from_str(next(ln for ln in identity.splitlines() if ln.startswith("AGE-")))
    for f in files:
        plain = pyrage.decrypt(f.read_bytes(), [ident])
        with zipfile.ZipFile(io.BytesIO(plain)) as zf:
            body, sig, pem = zf.read("sheet.json"), zf.read("sheet.json.ed25519"), zf.read("expert.pem")
        load_pem_public_key(pem).verify(sig, body)  # type: ignore[union-attr]


def _import_once(world: dict[str, Any], folder: Path) -> tuple[float, list[Any]]:
    from tic_desktop.agency.importer import import_sheets
    from tic_desktop.agency.workspace import AgencyWorkspace

    ws = AgencyWorkspace.open(folder / "agency.db", check_location=False)
    try:
        info = ws.add_batch(world["batch"], world["identity"], own_fingerprint=world["fingerprint"])
        ws.pin_allowed_signers(info.batch_id, world["allowed_signers"])
        with ws.open_batch(info.batch_id, world["identity"]) as batch:
            gc.collect()
            start = time.perf_counter()
            outcomes = import_sheets(ws, batch, world["identity"], world["sheets"])
            elapsed = time.perf_counter() - start
    finally:
        ws.close()
    return elapsed, outcomes


@produces("agency_import_50", "agency_import_50_vs_bare")
def bench_import_50_sheets(quick: bool) -> list[dict[str, Any]]:
    experts = 10 if quick else 50
    runs = 1 if quick else 3
    with tempfile.TemporaryDirectory(prefix="tic-bench-agency-") as tmp:
        folder = Path(tmp)
        world = build(folder, experts)
        times = []
        for i in range(runs):
            elapsed, outcomes = _import_once(world, folder / f"ws{i}")
            bad = [o for o in outcomes if o.status != "accepted"]
            assert not bad, f"import refused {bad[0].file_name}: {bad[0].message('en')}"
            times.append(elapsed)
        value = statistics.median(times)

        def bare() -> float:
            gc.collect()
            start = time.perf_counter()
            bare_loop(world["sheets"], world["identity"])
            return time.perf_counter() - start

        bare_times = [bare() for _ in range(max(runs, 2))]
        baseline = statistics.median(bare_times)
        size_mb = sum(f.stat().st_size for f in world["sheets"]) / 1e6
    params = {"sheets": experts, "proposals": world["proposals"], "experts_per_proposal": PANEL,
              "proposals_per_sheet": PER_EXPERT, "files_mb": round(size_mb, 1), "runs": runs,
              "bare_min": min(bare_times), "bare_max": max(bare_times)}
    return [
        result("agency_import_50", value, "s", baseline=baseline, target=TARGET_S, target_on="value", samples=times,
               params=params, note="median import_sheets into a fresh agency workspace; baseline: the bare "
                                   "decrypt+verify loop (median)"),
        result("agency_import_50_vs_bare", value, "s", baseline=baseline, target=TARGET_RATIO, samples=times,
               params=params, note="ratio to a bare loop of age decryption + Ed25519 verification over the same files"),
    ]
