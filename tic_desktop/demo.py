"""The bundled demo: six comprehensive-center proposals, seven experts, fixed demo agency keys.

`resources/demo/` is a batch source folder (docs/contracts.md) for a feasibility review, plus
the plan texts as data (`plans/<id>.json`), the per-kind changes (`variants.json`) and the
DEMO-ONLY agency keys (`agency/`). `build_demo_source` turns it into a complete source folder for
any of the three kinds, rendering each construction plan PDF; `write_demo_batch` builds the
signed (optionally encrypted) demo .ticbatch from it.

The demo batch is reproducible: its manifest carries a fixed `created_at` (`DEMO_CREATED_AT`),
the PDFs are rendered in reportlab's invariant mode and the ZIP has fixed dates, so every build
of a kind (the expert demo's, the agency demo's, `tic-desktop demo-batch`) has the same manifest
hash, and a sheet signed in the expert demo is accepted by the agency demo's import.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from tic_desktop import demo_material
from tic_desktop.core.forms import KINDS
from tic_desktop.core.proposal import Document
from tic_desktop.formats import docsign
from tic_desktop.formats import keys as agency_keys
from tic_desktop.formats.batch import BatchSpec, write_batch
from tic_desktop.formats.source import document_member_name, read_source
from tic_desktop.paths import demo_source_dir
from tic_desktop.reports.plan_pdf import ConstructionPlan, render_plan_pdf

DEMO_BATCH_NAME = "demo.ticbatch"
PLAN_DOCUMENT = "建设方案.pdf"
KEY_FILES = (agency_keys.SIGNING_KEY_FILE, agency_keys.PUBLIC_KEY_FILE, agency_keys.AGE_IDENTITY_FILE,
             docsign.KEY_FILE, docsign.CERT_FILE)
_TABLES = ("batch", "proposals", "budget", "kpis", "experts")
DEMO_CREATED_AT = "2026-01-05T01:00:00+00:00"
"""The manifest time of every demo batch (fixed, so that every build has one manifest hash)."""


def demo_agency_dir() -> Path:
    """The committed DEMO-ONLY agency keys (their fingerprint is the demo's, and public)."""
    return demo_source_dir() / "agency"


def _read(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.reader(f))


def _write(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO(newline="")
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    path.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))


def _column(rows: list[list[str]], *names: str) -> int:
    return next(i for i, h in enumerate(rows[0]) if h in names)


def _adapt(src: Path, kind: str, variant: dict[str, Any], achieved: dict[str, dict[str, str]]) -> None:
    batch = _read(src / "batch.csv")
    overrides = {"kind": kind, **variant["batch"]}
    for row in batch[1:]:
        if row[0] in overrides:
            row[1] = overrides[row[0]]
    _write(src / "batch.csv", batch)

    proposals = _read(src / "proposals.csv")
    c_id, c_name, c_type = (_column(proposals, "编号", "proposal_id"), _column(proposals, "中心名称", "center_name"),
                            _column(proposals, "类型", "center_type"))
    c_start, c_end = _column(proposals, "开始日期", "period_start"), _column(proposals, "结束日期", "period_end")
    c_forms = _column(proposals, "评分表", "forms")
    for row in proposals[1:]:
        center = variant.get("centers", {}).get(row[c_id], {})
        row[c_name] = center.get("center_name", row[c_name])
        row[c_type] = center.get("center_type", variant.get("center_type", row[c_type]))
        row[c_start], row[c_end] = variant["period"]
        row[c_forms] = ";".join(variant["forms"])
    _write(src / "proposals.csv", proposals)

    if not variant.get("budget", True):  # no R&D capacity project budget: only comprehensive centers have one
        _write(src / "budget.csv", _read(src / "budget.csv")[:1])

    na_rows = variant.get("not_applicable", [])
    if na_rows:  # the items the agency sets not applicable per center (the same for every expert)
        _write(src / "not_applicable.csv", [["编号", "评分表", "评分项", "理由"], *na_rows])

    kpis = _read(src / "kpis.csv")
    k_pid, k_id = _column(kpis, "编号", "proposal_id"), _column(kpis, "指标编号", "kpi_id")
    k_achieved = _column(kpis, "完成值", "achieved")
    for row in kpis[1:]:
        row[k_achieved] = achieved[row[k_pid]][row[k_id]] if variant["achieved"] else ""
    _write(src / "kpis.csv", kpis)


def build_demo_source(tmp_dir: Path, kind: str = "feasibility_review") -> Path:
    """Write the demo batch source folder for `kind` into `tmp_dir` (created; must be empty)."""
    return _build_demo(tmp_dir, kind)[0]


def _build_demo(tmp_dir: Path, kind: str) -> tuple[Path, BatchSpec]:
    """The demo source folder and the `BatchSpec` that `read_source` would make of it.

    The tables are parsed once (the plan PDFs need the proposals' budget and KPI tables); the
    documents are then added to that spec as `read_source` would add them, not by parsing again.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    src = Path(tmp_dir)
    src.mkdir(parents=True, exist_ok=True)
    if any(src.iterdir()):
        raise FileExistsError(f"{src} is not empty")
    demo = demo_source_dir()
    for name in _TABLES:
        shutil.copyfile(demo / f"{name}.csv", src / f"{name}.csv")
    variants = json.loads((demo / "variants.json").read_text("utf-8"))
    _adapt(src, kind, variants[kind], variants["achieved"])

    spec = read_source(src)  # the proposals as the batch will carry them, for the PDF tables
    plan_title = Path(PLAN_DOCUMENT).stem
    # each kind its own material (variants.json "documents"), in the order read_source lists them
    titles = sorted(variants[kind]["documents"], key=lambda t: (t != plan_title, f"{t}.pdf"))
    proposals, documents = [], {}
    for proposal in spec.proposals:
        folder = src / "proposals" / proposal.id
        folder.mkdir(parents=True)
        taken: set[str] = set()
        docs = []
        for title in titles:
            if title == plan_title:
                plan = ConstructionPlan.model_validate_json((demo / "plans" / f"{proposal.id}.json").read_bytes())
                if not plan.title.startswith(proposal.center_name):
                    plan = plan.model_copy(update={"title": f"{proposal.center_name}建设方案"})
                pdf = render_plan_pdf(plan, proposal)
            else:
                pdf = demo_material.render(title, proposal)
            (folder / f"{title}.pdf").write_bytes(pdf)
            member = f"proposals/{proposal.id}/{document_member_name(title, taken)}"
            documents[member] = pdf
            docs.append(Document(path=member, title=title))
        proposals.append(proposal.model_copy(update={"documents": tuple(docs)}))
    return src, dataclasses.replace(spec, proposals=proposals, documents=documents)


def copy_demo_keys(dest: Path) -> Path:
    """Copy the DEMO-ONLY agency keys to `dest` (private files 0600 where the OS has modes)."""
    dest = Path(dest)
    dest.mkdir(parents=True, exist_ok=True)
    for name in (*KEY_FILES, "README.md"):
        target = dest / name
        shutil.copyfile(demo_agency_dir() / name, target)
        if name not in (agency_keys.PUBLIC_KEY_FILE, docsign.CERT_FILE, "README.md") and os.name == "posix":
            target.chmod(0o600)
    return dest


def write_demo_batch(out_dir: Path, kind: str = "feasibility_review", passphrase: bytes | None = None,
                     *, agency_dir: Path | None = None) -> Path:
    """Build `out_dir/demo.ticbatch` (signed with the demo keys) and copy the keys to `out_dir/agency/`.

    With `agency_dir` the same content is signed with the agency keys in that folder instead (a
    rehearsal batch under a real key, e.g. for tests of the real workspace, where the demo key is
    refused); nothing is copied then."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    keys = agency_keys.load_agency_keys(Path(agency_dir) if agency_dir is not None else demo_agency_dir())
    with tempfile.TemporaryDirectory(prefix="tic-demo-") as tmp:
        spec = _build_demo(Path(tmp) / "src", kind)[1]
    out = out_dir / DEMO_BATCH_NAME
    write_batch(out, spec, keys, passphrase=passphrase, created_at=DEMO_CREATED_AT)
    if agency_dir is None:
        copy_demo_keys(out_dir / "agency")
    return out


def is_current_demo_batch(path: Path) -> bool:
    """Whether `path` is a demo batch this version writes (signed with the demo key at
    `DEMO_CREATED_AT`); False for a file written by an older version, or unreadable."""
    from tic_desktop.core.errors import Rejected  # noqa: PLC0415
    from tic_desktop.formats.batch import read_batch  # noqa: PLC0415
    from tic_desktop.formats.demo_key import is_demo_agency_fingerprint  # noqa: PLC0415

    try:
        with read_batch(Path(path)) as opened:
            return (opened.manifest.created_at == DEMO_CREATED_AT
                    and is_demo_agency_fingerprint(opened.agency_fingerprint))
    except (OSError, Rejected):
        return False


def shared_demo_batch(data_dir: Path) -> Path:
    """`<data dir>/demo/demo.ticbatch`, the one demo batch both demos use: written when missing or
    left by an older version (atomically; the demo keys beside it in `demo/agency/`)."""
    folder = Path(data_dir) / "demo"
    path = folder / DEMO_BATCH_NAME
    if path.exists() and is_current_demo_batch(path):
        return path
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="tic-demo-", dir=folder) as tmp:
        written = write_demo_batch(Path(tmp))
        os.replace(written, path)
    copy_demo_keys(folder / "agency")
    return path


def write_repeated_demo_batch(out: Path, copies: int, *, agency_dir: Path | None = None) -> Path:
    """The demo feasibility batch with its six proposals repeated `copies` times (ids `<id>-NN`) for
    one expert who scores them all: a bigger sheet for load tests and benchmarks (7 copies: 42);
    signed with the keys in `agency_dir` (default: the demo keys, which open only in a demo session)."""
    with tempfile.TemporaryDirectory(prefix="tic-demo-") as tmp:
        spec = _build_demo(Path(tmp) / "src", "feasibility_review")[1]
    proposals, documents = [], {}
    for i in range(copies):
        for p in spec.proposals:
            pid = f"{p.id}-{i:02d}"
            docs = []
            for d in p.documents:
                path = d.path.replace(f"proposals/{p.id}/", f"proposals/{pid}/")
                documents[path] = spec.documents[d.path]
                docs.append(d.model_copy(update={"path": path}))
            proposals.append(p.model_copy(update={"id": pid, "documents": tuple(docs)}))
    expert = spec.experts[0].model_copy(update={"assigned": (), "known_conflicts": ()})
    spec = dataclasses.replace(spec, proposals=proposals, documents=documents, experts=[expert])
    keys = agency_keys.load_agency_keys(Path(agency_dir) if agency_dir is not None else demo_agency_dir())
    write_batch(Path(out), spec, keys)
    return Path(out)
