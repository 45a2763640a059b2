"""The evaluation round on the command line, end to end: one source split by its 专家组 column
(`batch build` writes one batch per panel) → `simulate` of every panel → `round consolidate`, and the
stateful `round create|add|status|official|decide|object|settle|previous|export` on a workspace."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import os
import shutil
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from tests.round_world import panelled
from tic_desktop.demo import build_demo_source
from tic_desktop.formats.batch import read_batch
from tic_desktop.reports.exports import FILE_NAMES

ROUND_COLUMNS = ["batch_id", "proposal_id", "center_name", "center_type", "form_id", "final_score", "panel_rank",
                 "round_rank", "conclusion", "award", "normalised_score", "normalised_rank", "flags"]


def cli(*args: str | Path, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_LANG": lang}
    env.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=600)


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("round-cli")
    r = cli("keys", "create", root / "agency", "--no-passphrase")
    assert r.returncode == 0, r.stderr
    src = panelled(build_demo_source(root / "src", "periodic_assessment"))
    (root / "b").mkdir()
    r = cli("batch", "build", src, "-o", root / "b" / "round.ticbatch", "--key", root / "agency")
    assert r.returncode == 0, r.stderr
    batches = sorted((root / "b").glob("*.ticbatch"))
    assert len(batches) == 2 and all(b.stem.endswith(("-P1", "-P2")) for b in batches)
    ids = []
    for b in batches:
        with read_batch(b, identity=(root / "agency" / "agency.agekey").read_text()) as opened:
            ids.append(opened.manifest.batch_id)
    signers: list[str] = []
    for b in batches:
        r = cli("simulate", b, "-o", root / "sheets" / b.stem, "--seed", "5")
        assert r.returncode == 0, r.stderr
        signers += (root / "sheets" / b.stem / "allowed_signers").read_text().splitlines()
    (root / "allowed_signers").write_text("\n".join(signers) + "\n")
    return {"root": root, "batches": batches, "ids": ids, "identity": root / "agency" / "agency.agekey",
            "signers": root / "allowed_signers", "sheets": [root / "sheets" / b.stem for b in batches]}


def test_one_split_source_simulated_per_panel_consolidates_as_one_round(made: dict[str, Any], tmp_path: Path) -> None:
    b1, b2 = made["batches"]
    s1, s2 = made["sheets"]
    out = tmp_path / "out"
    # sheets anywhere on the line, before, between and after the options
    r = cli("round", "consolidate", s2, "--batch", b1, "--identity", made["identity"], s1 / "E01.ticsheet",
            "--batch", b2, "--allowed-signers", made["signers"], *sorted(p for p in s1.glob("*.ticsheet")
                                                                          if p.name != "E01.ticsheet"),
            "-o", out, "--title", "2027 年度专业性技术创新中心评估", "--year", "2027")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "Traceback" not in r.stderr
    rows = _csv(out / "round.csv")
    assert list(rows[0])[:len(ROUND_COLUMNS)] == ROUND_COLUMNS
    assert len(rows) == 6 and {row["batch_id"] for row in rows} == set(made["ids"])
    for batch_id in made["ids"]:
        assert sorted(p.name for p in (out / batch_id).iterdir()) == sorted(FILE_NAMES)  # as `consolidate`
        panel = {row["proposal_id"]: row for row in _csv(out / batch_id / "results.csv")}
        for row in rows:
            if row["batch_id"] == batch_id:
                assert row["final_score"] == panel[row["proposal_id"]]["final_score"]
                assert row["panel_rank"] == panel[row["proposal_id"]]["rank"]
    # one ranking per center type over both panels, by final score
    for center_type in {row["center_type"] for row in rows}:
        cohort = sorted((row for row in rows if row["center_type"] == center_type), key=lambda x: int(x["round_rank"]))
        scores = [Decimal(x["final_score"]) for x in cohort]
        assert scores == sorted(scores, reverse=True)
        assert int(cohort[0]["round_rank"]) == 1
        # the 优秀 share (20%, half up) over the whole cohort, never per panel
        places = int((Decimal("0.2") * len(cohort)).quantize(Decimal(1), rounding="ROUND_HALF_UP"))
        assert sum(1 for x in cohort if x["conclusion"] == "excellent") <= places
        assert all((x["award"] == "300000") == (x["conclusion"] == "excellent" and center_type == "professional")
                   for x in cohort)
        assert all(x["normalised_score"] and x["normalised_rank"] for x in cohort)
    assert "有效评分表" in r.stdout and "已生成" in r.stdout
    for name in ("round.pdf", "round.xlsx", "publication.pdf", "publication.xlsx"):
        assert (out / name).stat().st_size > 100, name
    # each panel's consolidated.pdf is signed by the agency as `consolidate` signs it (PAdES)
    assert "consolidated.pdf 已由机构签名" in r.stdout
    assert all(b"/ByteRange" in (out / b / "consolidated.pdf").read_bytes() for b in made["ids"])


def test_a_sheet_of_another_batch_is_named_and_the_rest_consolidated(made: dict[str, Any], tmp_path: Path) -> None:
    b1, _b2 = made["batches"]
    s1, s2 = made["sheets"]
    out = tmp_path / "out"
    r = cli("round", "consolidate", "--batch", b1, "--identity", made["identity"], "--allowed-signers",
            made["signers"], s1, s2 / "E04.ticsheet", "-o", out, lang="en")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    [bad] = [ln for ln in r.stderr.splitlines() if ln.startswith("✘")]
    assert "E04.ticsheet" in bad and "round.sheet_other_batch" in bad and "not in this round" in bad
    assert len(_csv(out / "round.csv")) == 3


def test_batches_with_different_rules_are_refused(made: dict[str, Any], tmp_path: Path) -> None:
    from tic_desktop.agency import build
    from tic_desktop.formats.batch import write_batch
    from tic_desktop.formats.keys import load_agency_keys

    src = panelled(build_demo_source(tmp_path / "src", "periodic_assessment"))
    spec = build.inspect_source(src).spec
    assert spec is not None
    keys = load_agency_keys(made["root"] / "agency")
    (_p1, first), (_p2, second) = build.split_by_panel(spec)
    form = next(f for f in second.forms if f.id == "periodic_assessment")
    looser = form.consolidation.model_copy(update={"excellent_cap_ratio": Decimal("0.5")})
    second = dataclasses.replace(second, consolidation={"periodic_assessment": looser})
    write_batch(tmp_path / "p1.ticbatch", first, keys)
    write_batch(tmp_path / "p2.ticbatch", second, keys)
    s1, s2 = tmp_path / "s1", tmp_path / "s2"
    assert cli("simulate", tmp_path / "p1.ticbatch", "-o", s1).returncode == 0
    assert cli("simulate", tmp_path / "p2.ticbatch", "-o", s2).returncode == 0
    out = tmp_path / "out"
    r = cli("round", "consolidate", "--batch", tmp_path / "p1.ticbatch", "--batch", tmp_path / "p2.ticbatch",
            "--identity", made["identity"], "--trust-first-use", s1, s2, "-o", out)
    assert r.returncode == 1
    assert "round.rules_differ" in r.stderr and "规则不一致" in r.stderr and "Traceback" not in r.stderr
    assert not (out / "round.csv").exists()


def test_the_stateful_round_on_a_workspace(made: dict[str, Any], tmp_path: Path) -> None:
    ws = tmp_path / "agency"
    (ws / "keys").mkdir(parents=True)
    for f in (made["root"] / "agency").iterdir():
        shutil.copy(f, ws / "keys" / f.name)
    b1, b2 = made["batches"]
    s1, s2 = made["sheets"]
    assert cli("round", "create", "R2027", "--title", "2027 年度专业性技术创新中心评估", "--year", "2027",
               "--workspace", ws).returncode == 0
    r = cli("round", "add", "R2027", "--batch", b1, "--batch", b2, s1, s2, "--allowed-signers", made["signers"],
            "--workspace", ws)
    assert r.returncode == 0, r.stderr
    status = json.loads(cli("round", "status", "R2027", "--json", "--workspace", ws).stdout)
    assert [b["sheets"] for b in status["batches"]] == [3, 4] and status["official"]["basis"] == "raw"
    first = tmp_path / "first"
    r = cli("round", "export", "R2027", "-o", first, "--workspace", ws)
    assert r.returncode == 0, r.stderr
    rows = _csv(first / "round.csv")
    pid = rows[0]["proposal_id"]
    assert cli("round", "decide", "R2027", pid, "--date", "2027-07-01", "--decision", "同意评估结果",
               "--document-number", "津科技〔2027〕8号", "--workspace", ws).returncode == 0
    bad = cli("round", "decide", "R2027", pid, "--date", "2027/07/01", "--decision", "x", "--workspace", ws)
    assert bad.returncode == 1 and "round.bad_date" in bad.stderr
    r = cli("round", "object", "R2027", pid, "--received", "2027-06-15", "--by", "某公司", "--summary", "对排名有异议",
            "--workspace", ws)
    assert r.returncode == 0 and "编号 1" in r.stdout
    assert cli("round", "settle", "R2027", "1", "--outcome", "维持", "--date", "2027-06-25", "--workspace",
               ws).returncode == 0
    no_reason = cli("round", "official", "R2027", "--normalised", "--workspace", ws)
    assert no_reason.returncode == 1 and "round.reason_required" in no_reason.stderr
    assert cli("round", "official", "R2027", "--normalised", "--reason", "两组宽严差异明显", "--workspace",
               ws).returncode == 0
    assert cli("round", "create", "R2030", "--title", "2030 年度评估", "--year", "2030", "--workspace",
               ws).returncode == 0
    r = cli("round", "previous", "R2030", first / "round.csv", "--workspace", ws)
    assert r.returncode == 0 and "6" in r.stdout, r.stderr
    second = tmp_path / "second"
    assert cli("round", "export", "R2027", "-o", second, "--workspace", ws).returncode == 0
    again = {row["proposal_id"]: row for row in _csv(second / "round.csv")}
    assert again[pid]["decision"] == "同意评估结果" and again[pid]["document_number"] == "津科技〔2027〕8号"
    assert all("round.official_normalised" in row["flags"] for row in again.values() if row["round_rank"])
    assert all(row["round_rank"] == row["normalised_rank"] for row in again.values())
    bad_notice = tmp_path / "bad.txt"
    bad_notice.write_text("公示期：{period}", "utf-8")
    r = cli("round", "notice", "R2027", "--file", bad_notice, "--workspace", ws)
    assert r.returncode == 1 and "notice.unknown_placeholder" in r.stderr
    notice = tmp_path / "notice.txt"
    notice.write_text("{round_title}：公示期 2027年6月20日至26日，联系电话 022-12345678。", "utf-8")
    assert cli("round", "notice", "R2027", "--file", notice, "--workspace", ws).returncode == 0
    assert "联系电话 022-12345678" in cli("round", "notice", "R2027", "--workspace", ws).stdout
    text = cli("round", "status", "R2027", "--workspace", ws).stdout
    assert "标准化得分（理由：两组宽严差异明显）" in text and "异议/复议 1 项（未处理 0 项）" in text
    listing = cli("round", "status", "--workspace", ws).stdout
    assert "R2027" in listing and "R2030" in listing


def test_round_help_in_english_names_every_action() -> None:
    r = cli("round", "--help", lang="en")
    assert r.returncode == 0
    for action in ("consolidate", "create", "add", "status", "export", "official", "decide", "object", "settle",
                   "notice", "previous"):
        assert action in r.stdout
