"""Build and open a big .ticbatch: N proposals with one ~1 MB PDF each, age-encrypted to an expert.

Full size is the design load (DESIGN.md §1: 300 proposals in one batch); --quick uses 10.
The PDFs are random bytes behind a PDF header, so they do not compress (real PDFs barely do).

Baseline, measured in the same run on the same bytes: what opening cannot avoid — age decryption
of the file (pyrage) plus SHA-256 over the plaintext. Target: read_batch takes at most 2x that.
"""

from __future__ import annotations

import gc
import hashlib
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import produces, result

PDF_SIZE = 1_000_000
TARGET_RATIO = 2.0


def _pdf(rng: random.Random, size: int) -> bytes:
    head = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Length " + str(size).encode() + b" >>\nstream\n"
    tail = b"\nendstream\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
    return head + rng.randbytes(size - len(head) - len(tail)) + tail


def _form() -> Any:
    """The built-in feasibility review form (the batch's first form in a real feasibility round)."""
    from tic_desktop.core.form_library import builtin_forms

    return builtin_forms()["feasibility_review"]


def batch_spec(
    n: int, form: Any, *, make_pdf: Callable[[random.Random, str], bytes] | None = None, batch_id: str | None = None
) -> Any:
    """The design-load batch: n proposals with one ~1 MB plan each and a panel of 5.

    `make_pdf(rng, proposal_id)` makes each plan; by default incompressible random bytes behind a
    PDF header (what the open benchmark needs); bench_app passes real, renderable pages.
    """
    from tic_desktop.core.proposal import Document, Proposal
    from tic_desktop.core.types import Text
    from tic_desktop.formats.batch import BatchSpec
    from tic_desktop.formats.manifest import Expert

    rng = random.Random(20260101)
    fields = ["人工智能", "合成生物", "智能制造", "生物医药", "新能源", "新材料"]
    proposals, documents = [], {}
    for i in range(1, n + 1):
        pid = f"P{i:03d}"
        path = f"proposals/{pid}/plan.pdf"
        documents[path] = make_pdf(rng, pid) if make_pdf else _pdf(rng, PDF_SIZE)
        proposals.append(
            Proposal(
                id=pid,
                center_name=f"天津市{fields[i % len(fields)]}技术创新中心（{i}）",
                center_type="professional",
                lead_unit=f"天津某研究院{i}",
                field=fields[i % len(fields)],
                forms=(form.id,),
                documents=(Document(path=path, title="建设方案"),),
            )
        )
    ids = tuple(p.id for p in proposals)
    roles = ["technical", "technical", "technical", "finance", "management"]
    experts = [
        Expert(id=f"E{j + 1:02d}", name=f"专家{j + 1}", role=role, chair=j == 0, assigned=ids)
        for j, role in enumerate(roles)
    ]
    return BatchSpec(
        batch_id=batch_id or f"bench-{n}",
        title=Text(zh=f"基准测试批次（{n} 个项目）", en=f"Benchmark batch ({n} proposals)"),
        kind=form.kind,
        agency_name="天津市科学技术局（基准测试）",
        deadline="2026-12-31",
        forms=[form],
        proposals=proposals,
        documents=documents,
        experts=experts,
        consolidation=None,
    )


def _best_of(runs: int, fn: Callable[[], Any], samples: list[float] | None = None) -> float:
    """The best of `runs` timings of `fn`; each run's time is appended to `samples`."""
    best = float("inf")
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        fn()
        elapsed = time.perf_counter() - start
        best = min(best, elapsed)
        if samples is not None:
            samples.append(elapsed)
    return best


def _peak_mib(fn: Callable[[], Any]) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return peak / 2**20


@produces("batch_build", "batch_open", "batch_open_peak_memory")
def bench_batch_open(quick: bool) -> list[dict[str, Any]]:
    n = 10 if quick else 300
    params = {"proposals": n, "pdf_bytes": PDF_SIZE, "experts": 5}
    import pyrage

    from tic_desktop.formats.batch import read_batch, write_batch
    from tic_desktop.formats.keys import create_agency_keys

    runs = 3 if quick else 2
    form = _form()
    spec = batch_spec(n, form)
    expert = pyrage.x25519.Identity.generate()
    with tempfile.TemporaryDirectory(prefix="tic-bench-") as tmp:
        keys = create_agency_keys(Path(tmp) / "agency")
        out = Path(tmp) / "bench.ticbatch"
        build_s = _best_of(1, lambda: write_batch(out, spec, keys, recipients=[str(expert.to_public())]))
        size_mb = out.stat().st_size / 1e6

        opened = read_batch(out, identity=str(expert))
        assert len(opened.proposals) == n and len(opened.documents) == n, "read_batch lost members"
        del opened

        plaintext = pyrage.decrypt(out.read_bytes(), [expert])

        def encrypt_baseline() -> None:
            hashlib.sha256(pyrage.encrypt(plaintext, [expert.to_public()])).digest()

        encrypt_s = _best_of(runs, encrypt_baseline)
        plaintext = b""

        def baseline() -> None:
            hashlib.sha256(pyrage.decrypt(out.read_bytes(), [expert])).digest()

        def open_batch() -> None:
            read_batch(out, identity=str(expert))

        open_samples: list[float] = []
        baseline_s = _best_of(runs, baseline)
        open_s = _best_of(runs, open_batch, open_samples)
        baseline_mib = _peak_mib(baseline)
        open_mib = _peak_mib(open_batch)

    params["file_mb"] = round(size_mb, 1)
    params["runs"] = runs
    return [
        {
            **result(
                "batch_build",
                build_s,
                "s",
                baseline=encrypt_s,
                note="baseline: age encryption + SHA-256 of the ZIP",
            ),
            "params": params,
        },
        {
            **result(
                "batch_open",
                open_s,
                "s",
                baseline=baseline_s,
                target=TARGET_RATIO,
                samples=open_samples,
                note="best of the runs; baseline: age decryption + SHA-256 of the plaintext (best of as many)",
            ),
            "params": params,
        },
        {
            **result(
                "batch_open_peak_memory",
                open_mib,
                "MiB",
                baseline=baseline_mib,
                note="tracemalloc peak; baseline: the same for decryption + SHA-256",
            ),
            "params": params,
        },
    ]
