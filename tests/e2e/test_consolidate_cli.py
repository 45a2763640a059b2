"""demo-batch → simulate → `tic-desktop consolidate`, with tampered, replayed, superseded, conflicting
and unpinned sheets; the written numbers are recomputed by hand from scores.csv."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.hand_check import recompute
from tests.unit.agency_world import World, resign, tamper
from tic_desktop.formats.batch import read_batch

pytest.importorskip("tic_desktop.reports.exports")  # the reports helper's writers


def cli(*args: str | Path, lang: str = "zh", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    e = {**os.environ, "TIC_LANG": lang, **(env or {})}
    e.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=e, timeout=300)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    from tic_desktop.simulate import ScoresPlan, make_key, simulate, simulate_expert

    root = tmp_path_factory.mktemp("consolidate-cli")
    assert cli("demo-batch", root / "demo").returncode == 0
    batch_path = root / "demo" / "demo.ticbatch"
    identity_file = root / "demo" / "agency" / "agency.agekey"
    done = simulate(batch_path, root / "s1", seed=1)
    raw = batch_path.read_bytes()
    opened = read_batch(raw)
    world = World(root, batch_path, identity_file.read_text("utf-8"), opened,
                  {s.expert_id: root / "s1" / f"{s.expert_id}.ticsheet" for s in done},
                  {s.expert_id: s.key for s in done})
    extra = root / "extra"
    extra.mkdir()
    files: dict[str, Path] = {}
    files["duplicate"] = extra / "E01-again.ticsheet"
    shutil.copyfile(world.sheets["E01"], files["duplicate"])
    files["tampered"] = tamper(world, world.sheets["E03"], extra / "E03-tampered.ticsheet")
    with tempfile.TemporaryDirectory() as tmp:
        def again(eid: str, seed: int, key: Any, folder: str) -> Path:
            (root / folder).mkdir(exist_ok=True)
            s = simulate_expert(opened, raw, opened.manifest.expert(eid), root / folder, Path(tmp) / folder,
                                seed=seed, plan=ScoresPlan(), key=key)
            return s.result.path

        # E02 revises: other scores, sheet_seq 2 superseding the first sheet, a later audit head
        first = world.read(world.sheets["E02"])
        rescored = again("E02", 2, world.keys["E02"], "seed2")
        files["revision"] = resign(world, rescored, extra / "E02-rev2.ticsheet", sheet_seq=2,
                                   supersedes=first.sheet_sha256, audit_head=(first.sheet.audit_head.seq + 50, "ab" * 32))
        # E05: a different sheet with the same sheet_seq 1 (a conflict); E06: signed by a key never enrolled
        files["conflict"] = again("E05", 3, world.keys["E05"], "seed3")
        files["foreign"] = again("E06", 4, make_key("E06"), "seed4")
    signers = (root / "s1" / "allowed_signers").read_text().splitlines()
    (root / "allowed_signers").write_text("\n".join(ln for ln in signers if not ln.startswith("E07 ")) + "\n")
    return {"root": root, "batch": batch_path, "identity": identity_file, "world": world, "files": files}


def consolidate(run: dict[str, Any], out: Path, *sheets: Path | str, lang: str = "zh",
                env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return cli("consolidate", "--batch", run["batch"], "--identity", run["identity"], *sheets, "-o", out,
               lang=lang, env=env)


def test_mixed_files_consolidate_the_good_ones_and_name_the_others(run: dict[str, Any], tmp_path: Path) -> None:
    f = run["files"]
    s1 = run["root"] / "s1"
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    out = tmp_path / "out"
    r = consolidate(run, out, s1, f["duplicate"], f["tampered"], f["revision"], f["conflict"], f["foreign"],
                    "--allowed-signers", run["root"] / "allowed_signers", env={"TMPDIR": str(tmp)})
    assert r.returncode == 1, r.stderr
    assert "Traceback" not in r.stderr
    bad = r.stderr.splitlines()
    assert len(bad) == 5 and all(ln.startswith("✘ ") for ln in bad), r.stderr

    def line(name: str) -> str:
        return next(ln for ln in bad if name in ln)

    assert "签名验证失败" in line("E03-tampered.ticsheet")
    assert "同一位专家的同一版本号" in line("s1/E05.ticsheet") and "同一位专家的同一版本号" in line(str(f["conflict"]))
    assert "登记的该专家密钥不同" in line(str(f["foreign"]))
    assert "--allowed-signers" in line("s1/E07.ticsheet") and "--trust-first-use" in line("s1/E07.ticsheet")
    assert "与已导入的文件相同" in r.stdout and "已被该专家的较新版本替代" in r.stdout
    assert sorted(p.name for p in out.iterdir()) == ["consolidated.pdf", "panel_opinions.docx", "results.csv", "results.xlsx",
                                                     "scores.csv"]
    assert list(tmp.iterdir()) == []  # the temporary workspace is gone

    scores = _csv(out / "scores.csv")
    results = _csv(out / "results.csv")
    assert {row["expert_id"] for row in scores} == {"E01", "E02", "E03", "E04", "E06"}
    # E02's scores are those of the revision, not of the first sheet
    rev2 = run["world"].read(f["revision"]).sheet
    for row in scores:
        if row["expert_id"] == "E02" and row["criterion_id"] != "total":
            fe = next(x for x in rev2.proposal(row["proposal_id"]).forms if x.form_id == row["form_id"])
            c = next(c for c in fe.criteria if c.id == row["criterion_id"])
            assert row["score"] == ("NA" if c.score is None else format(c.score, "f"))
    # every final score recomputed by hand from scores.csv (the R&D form item by item)
    hand = recompute(scores)
    assert len(results) == 12
    for res in results:
        group = [row for row in scores if (row["proposal_id"], row["form_id"]) == (res["proposal_id"], res["form_id"])]
        totals = [row for row in group if row["criterion_id"] == "total"]
        for t in totals:
            points = [Decimal(row["score"]) for row in group
                      if row["expert_id"] == t["expert_id"] and row["criterion_id"] != "total" and row["score"] != "NA"]
            assert sum(points) == Decimal(t["raw_total"])
            expected = (Decimal(t["raw_total"]) / Decimal(t["max"]) * 100).quantize(Decimal("0.01"), ROUND_HALF_UP)
            assert Decimal(t["total"]) == expected
        kept = [Decimal(t["total"]) for t in totals if not t["dropped"]]
        dropped = {t["dropped"]: Decimal(t["total"]) for t in totals if t["dropped"]}
        if dropped:
            assert dropped["highest"] >= max(kept) and dropped["lowest"] <= min(kept)
        assert Decimal(res["final_score"]) == hand[(res["proposal_id"], res["form_id"])], res
        assert int(res["valid_sheets"]) == len(totals)
        # E05 (conflict) and E07 (unpinned) are not counted; E04 has a known conflict with TJ-BM-04
        assert len(totals) == (4 if res["proposal_id"] == "TJ-BM-04" else 5)
    ranks = [int(r["rank"]) for r in results if r["form_id"] == "feasibility_review"]
    assert sorted(ranks) == list(range(1, 7))


def test_without_pinned_keys_every_sheet_is_refused_with_the_options(run: dict[str, Any], tmp_path: Path) -> None:
    r = consolidate(run, tmp_path / "out", run["root"] / "s1", lang="en")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    bad = r.stderr.splitlines()
    assert len(bad) == 7
    assert all("--allowed-signers" in ln and "--trust-first-use" in ln and "SHA256:" in ln for ln in bad)


def test_trust_first_use_accepts_a_clean_set(run: dict[str, Any], tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = consolidate(run, out, *sorted((run["root"] / "s1").glob("*.ticsheet")), "--trust-first-use")
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("✔") == 7 and r.stderr.count("首次使用：已信任专家") == 7  # every first-use pin, said
    results = _csv(out / "results.csv")
    assert {row["valid_sheets"] for row in results if row["proposal_id"] != "TJ-BM-04"} == {"7"}


def test_help_is_chinese_by_default_and_bad_batch_is_one_line(run: dict[str, Any], tmp_path: Path) -> None:
    h = cli("consolidate", "--help")
    assert h.returncode == 0 and "汇总" in h.stdout and "--trust-first-use" in h.stdout
    bogus = tmp_path / "bogus.ticbatch"
    bogus.write_bytes(b"not a batch")
    r = cli("consolidate", "--batch", bogus, "--identity", run["identity"], run["root"] / "s1", "-o",
            tmp_path / "out", "--trust-first-use")
    assert r.returncode == 1 and len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()
