"""An evaluation round for tests: the periodic-assessment demo source split into two panels (专家组
column), one signed batch per panel built with a fresh agency key (`agency.build`, as `batch build`
does), and every panel's experts simulated (`tic_desktop.simulate`, as `tic-desktop simulate` does)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from tic_desktop.agency import build
from tic_desktop.demo import build_demo_source
from tic_desktop.formats.keys import create_agency_keys, load_agency_keys
from tic_desktop.simulate import simulate


@dataclass
class RoundWorld:
    agency: Path
    """The agency key folder (agency_ed25519, agency.agekey … plain keys)."""
    batches: list[Path]
    sheets: dict[str, Path]
    """batch id → the folder of its simulated sheets."""
    allowed_signers: Path
    """Every panel's experts' keys in one file."""

    @property
    def identity(self) -> Path:
        return self.agency / "agency.agekey"

    @property
    def batch_ids(self) -> list[str]:
        return list(self.sheets)


def panelled(src: Path) -> Path:
    """Experts 1–3 are 第一组 on the first three proposals, the others 第二组 on the rest."""
    with (src / "proposals.csv").open(encoding="utf-8-sig", newline="") as f:
        pids = [row[0] for row in list(csv.reader(f))[1:]]
    path = src / "experts.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    chair, assigned, conflicts = head.index("组长"), head.index("评审项目"), head.index("回避项目")
    head.append("专家组")
    for n, row in enumerate(rows[1:]):
        first = n < 3
        row[chair] = "是" if n in (0, 3) else "否"
        row[assigned] = ";".join(pids[:3] if first else pids[3:])
        row[conflicts] = ""
        row.append("第一组" if first else "第二组")
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return src


def make_round_world(root: Path, kind: str = "periodic_assessment", seed: int = 3) -> RoundWorld:
    agency = root / "agency"
    create_agency_keys(agency)
    keys = load_agency_keys(agency)
    src = panelled(build_demo_source(root / "src", kind))
    spec = build.inspect_source(src).spec
    assert spec is not None
    written = build.write_batches(spec, keys, root / "batches", layout="per_panel")
    sheets: dict[str, Path] = {}
    lines: list[str] = []
    for w in written:
        batch_id = w.path.stem
        out = root / "sheets" / batch_id
        simulate(w.path, out, seed=seed)
        sheets[batch_id] = out
        lines += (out / "allowed_signers").read_text("ascii").splitlines()
    signers = root / "allowed_signers"
    signers.write_text("\n".join(lines) + "\n", "ascii")
    return RoundWorld(agency=agency, batches=[w.path for w in written], sheets=sheets, allowed_signers=signers)
