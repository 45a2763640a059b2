"""`tic-desktop scans match` on real files: demo batch → simulated, signed sheets → their printed PDFs
rasterised at 200 dpi and degraded (grey, noise, ±2°, JPEG) → a copier PDF and a folder of images →
scan_matches.csv; an older revision, a missing page, an unreadable page, paper of no record, the
agency's trust rules."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.scan_paper import cover_code, degrade, rasterise, save_pdf
from tests.unit.agency_world import World, resign
from tic_desktop.formats.batch import read_batch

COLUMNS = ["page", "expert_id", "proposal_id", "sheet_seq", "status", "source_file", "page_of", "reason", "batch_id",
           "digest", "scan_sha256", "manual"]


def cli(*args: str | Path, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_LANG": lang}
    env.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


def _rows(out: Path) -> list[dict[str, str]]:
    data = (out / "scan_matches.csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tic_desktop.simulate import simulate

    root = tmp_path_factory.mktemp("scans-cli")
    assert cli("demo-batch", root / "demo").returncode == 0
    batch = root / "demo" / "demo.ticbatch"
    identity = root / "demo" / "agency" / "agency.agekey"
    done = simulate(batch, root / "s1", seed=1)
    opened = read_batch(batch.read_bytes())
    world = World(root, batch, identity.read_text("utf-8"), opened,
                  {s.expert_id: root / "s1" / f"{s.expert_id}.ticsheet" for s in done},
                  {s.expert_id: s.key for s in done})
    paper: dict[str, dict[str, list[Any]]] = {}
    for eid in ("E02", "E04"):
        got = world.read(world.sheets[eid])
        paper[eid] = {n[4:-4]: [degrade(p, angle=2 if i % 2 else -2, seed=i) for i, p in enumerate(rasterise(d))]
                      for n, d in sorted(got.members.items()) if n.startswith("pdf/")}
    return {"root": root, "batch": batch, "identity": identity, "world": world, "paper": paper,
            "signers": root / "s1" / "allowed_signers"}


def match(run: dict[str, Any], out: Path, sheets: list[Path], scans: list[Path], *extra: str,
          lang: str = "zh") -> subprocess.CompletedProcess[str]:
    return cli("scans", "match", "--batch", run["batch"], "--identity", run["identity"], *extra, *sheets,
               "--scans", *scans, "-o", out, lang=lang)


def test_complete_paper_exits_0_with_every_page_matched(run: dict[str, Any], tmp_path: Path) -> None:
    pages = [img for pid in sorted(run["paper"]["E04"]) for img in run["paper"]["E04"][pid]]
    scan = save_pdf(pages, tmp_path / "copier.pdf")
    out = tmp_path / "out"
    r = match(run, out, [run["world"].sheets["E04"]], [scan], "--allowed-signers", str(run["signers"]))
    assert r.returncode == 0, r.stderr
    rows = _rows(out)
    assert list(rows[0]) == COLUMNS
    assert len(rows) == len(pages)
    assert {row["status"] for row in rows} == {"matched"}
    assert [row["page"] for row in rows] == [str(i) for i in range(1, len(pages) + 1)]
    first = rows[0]
    assert (first["expert_id"], first["proposal_id"], first["sheet_seq"], first["page_of"]) == (
        "E04", sorted(run["paper"]["E04"])[0], "1", f"1/{len(run['paper']['E04'][sorted(run['paper']['E04'])[0]])}")
    assert (out / "scan_matches.pdf").read_bytes().startswith(b"%PDF")


def test_older_revision_missing_unreadable_and_no_record(run: dict[str, Any], tmp_path: Path) -> None:
    world: World = run["world"]
    # E02 signs a second revision; the paper handed in is still the first one
    first = world.read(world.sheets["E02"])
    rev2 = resign(world, world.sheets["E02"], tmp_path / "E02-rev2.ticsheet", sheet_seq=2,
                  supersedes=first.sheet_sha256, audit_head=(first.sheet.audit_head.seq + 20, "ab" * 32))
    e04 = run["paper"]["E04"]
    pids = sorted(e04)
    folder = tmp_path / "scans"
    folder.mkdir()
    # E04: the first proposal without its page 2, the second with page 1 stained over its code
    kept = [p for i, p in enumerate(e04[pids[0]], 1) if i != 2]
    save_pdf(kept, folder / "a.pdf")
    stained = [cover_code(e04[pids[1]][0]), *e04[pids[1]][1:]]
    stained[0].save(folder / "b-1.jpg", quality=60)
    stained[1].save(folder / "b-2.png")
    stained[2].save(folder / "b-3.tiff", save_all=True, append_images=stained[3:])
    for pid in pids[2:]:
        save_pdf(e04[pid], folder / f"c-{pid}.pdf")
    e02 = [img for pid in sorted(run["paper"]["E02"]) for img in run["paper"]["E02"][pid]]
    save_pdf(e02[:1], tmp_path / "e02-old.pdf")
    out = tmp_path / "out"
    # E03's sheet is not given: its paper (E02's page read as it is) … and E01's printed page has no record
    r = match(run, out, [world.sheets["E04"], world.sheets["E02"], rev2], [folder, tmp_path / "e02-old.pdf"],
              "--allowed-signers", str(run["signers"]))
    assert r.returncode == 1, r.stdout + r.stderr
    rows = _rows(out)
    by = {}
    for row in rows:
        by.setdefault(row["status"], []).append(row)
    n0 = len(e04[pids[0]])
    assert [(x["expert_id"], x["proposal_id"], x["page_of"]) for x in by["no_paper"] if x["expert_id"] == "E04"] == [
        ("E04", pids[0], f"2/{n0}"), ("E04", pids[1], f"1/{len(e04[pids[1]])}")]
    [unreadable] = by["unreadable"]
    assert unreadable["source_file"].endswith("b-1.jpg") and unreadable["page"] == "1" and unreadable["reason"]
    [older] = by["older_revision"]
    assert (older["expert_id"], older["sheet_seq"], older["source_file"]) == ("E02", "1", str(tmp_path / "e02-old.pdf"))
    e02_missing = {x["proposal_id"] for x in by["no_paper"] if x["expert_id"] == "E02"}
    assert e02_missing == set(run["paper"]["E02"]) and {x["sheet_seq"] for x in by["no_paper"] if x["expert_id"] == "E02"} == {"2"}
    tiff_pages = [x for x in rows if x["source_file"].endswith("b-3.tiff")]
    assert [x["page"] for x in tiff_pages] == [str(i) for i in range(1, len(stained) - 1)]
    assert all(x["status"] == "matched" for x in tiff_pages)
    assert "缺纸件" in r.stderr and "旧版本" in r.stderr


def test_paper_of_a_sheet_not_given_has_no_record(run: dict[str, Any], tmp_path: Path) -> None:
    e02 = run["paper"]["E02"]
    pid = sorted(e02)[0]
    scan = save_pdf(e02[pid], tmp_path / "e02.pdf")
    out = tmp_path / "out"
    r = match(run, out, [run["world"].sheets["E04"]], [scan], "--allowed-signers", str(run["signers"]), lang="en")
    assert r.returncode == 1
    rows = _rows(out)
    assert [x["status"] for x in rows if x["page"]] == ["no_record"] * len(e02[pid])
    assert "no paper" in r.stderr


def test_the_agency_trust_rules_apply(run: dict[str, Any], tmp_path: Path) -> None:
    from tic_desktop.formats.keys import create_agency_keys

    scan = save_pdf(run["paper"]["E04"][sorted(run["paper"]["E04"])[0]], tmp_path / "s.pdf")
    # no allowed_signers: the expert's key is not known → the sheet is refused, nothing counts, exit 1
    out = tmp_path / "out1"
    r = match(run, out, [run["world"].sheets["E04"]], [scan])
    assert r.returncode == 1 and "E04.ticsheet" in r.stderr
    assert {x["status"] for x in _rows(out)} == {"no_record"}
    # another agency's key: the batch is not this agency's own → refused before anything is written
    other = tmp_path / "other"
    create_agency_keys(other)
    out = tmp_path / "out2"
    r = match(run, out, [run["world"].sheets["E04"]], [scan], "--key", str(other),
              "--allowed-signers", str(run["signers"]))
    assert r.returncode == 1 and "agency." in r.stderr and not out.exists()
    # not a scan
    bad = tmp_path / "notes.docx"
    bad.write_text("x")
    r = match(run, tmp_path / "out3", [run["world"].sheets["E04"]], [bad], lang="en")
    assert r.returncode == 1 and "scan.not_scan" in r.stderr and "Traceback" not in r.stderr
