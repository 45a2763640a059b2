"""`tic-desktop pool draw` end to end: the files, ssh-keygen -Y verify of the record, replay (and
tampered records and pools refused), an unfillable draw, a replacement as a new signed revision,
and `batch build` taking the drawn experts.csv."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.agency.pool import PoolExpert, pool_csv_bytes, read_centers
from tic_desktop.cli import main
from tic_desktop.formats import keys as agency_keys

DEMO = Path(__file__).resolve().parents[2] / "resources" / "demo"
UNITS = ("天津大学", "南开大学", "北京理工大学", "清华大学", "浙江大学", "中国科学院自动化研究所", "上海交通大学",
         "天津津智人工智能研究院有限责任公司", "哈尔滨工业大学", "西安交通大学", "复旦大学", "同济大学",
         *(f"江南第{k}研究院" for k in range(24)))


def run(capsys: pytest.CaptureFixture[str], *args: Any, lang: str = "zh") -> tuple[int, str, str]:
    os.environ["TIC_LANG"] = lang
    try:
        code = main([str(a) for a in args])
    finally:
        os.environ.pop("TIC_LANG", None)
    out = capsys.readouterr()
    return code, out.out, out.err


def _csv(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(path.read_bytes().decode("utf-8-sig"))))


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("pool-cli")
    fields = sorted({c.field for c in read_centers(DEMO / "proposals.csv")})
    experts = []
    for i in range(90):
        role = "technical" if i % 6 < 4 else "finance" if i % 6 == 4 else "management"
        experts.append(PoolExpert(f"X{i:03d}", f"专家{i}", UNITS[i % len(UNITS)], "教授", role,
                                  (fields[i % len(fields)], fields[(i + 1) % len(fields)]) if role == "technical"
                                  else ("财务",) if role == "finance" else ("管理",)))
    (root / "pool.csv").write_bytes(pool_csv_bytes(experts))
    agency_keys.create_agency_keys(root / "agency")
    return {"root": root, "pool": root / "pool.csv", "centers": DEMO / "proposals.csv", "key": root / "agency"}


def _draw(capsys: pytest.CaptureFixture[str], w: dict[str, Path], out: Path, *extra: Any) -> tuple[int, str, str]:
    return run(capsys, "pool", "draw", "--pool", w["pool"], "--centers", w["centers"], "--panels", 2, "--per-panel",
               "technical=3,finance=1,management=1", "--reserves", 1, "--max-per-unit", 1, "--key", w["key"], "-o", out,
               "--supervisor", "王监督", *extra)


def test_draw_writes_every_file_and_the_record_verifies_with_ssh_keygen(capsys: pytest.CaptureFixture[str],
                                                                       world: dict[str, Path]) -> None:
    out = world["root"] / "out"
    code, stdout, stderr = _draw(capsys, world, out, "--seed", "20270301")
    assert code == 0, stderr
    assert "20270301" in stdout
    for name in ("experts.csv", "panels.csv", "draw.json", "draw.json.sig", "draw.pdf", "exclusions.csv"):
        assert (out / name).is_file(), name
    experts = _csv(out / "experts.csv")
    assert list(experts[0]) == ["expert_id", "name", "unit", "title", "role", "chair", "assigned", "known_conflicts",
                                "panel"]
    assert len(experts) == 10 and sum(r["chair"] == "yes" for r in experts) == 2
    panels = _csv(out / "panels.csv")
    assert sorted(r["proposal_id"] for r in panels) == sorted(c.proposal_id for c in read_centers(world["centers"]))
    exclusions = _csv(out / "exclusions.csv")
    assert exclusions and all(r["reason"] for r in exclusions)
    centers = {c.proposal_id: c for c in read_centers(world["centers"])}
    for r in experts:  # nobody sits on a panel with a center of their own unit
        for pid in r["assigned"].split(";"):
            assert r["unit"] not in centers[pid].units
    assert len(list((out / "letters").glob("*.pdf"))) == 10
    first = experts[0]
    with zipfile.ZipFile(out / "letters" / f"{first['expert_id']}.docx") as docx:
        body = ET.fromstring(docx.read("word/document.xml"))
        assert "word/document.xml" in docx.read("[Content_Types].xml").decode()
    words = "".join(t.text or "" for t in body.iter("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"))
    fp = agency_keys.load_agency_keys(world["key"]).fingerprint.removeprefix("SHA256:")
    assert first["name"] in words and "专家评审邀请函" in words and fp[:4] + " " + fp[4:8] in words
    signers = world["root"] / "allowed_signers"
    signers.write_text("agency " + (world["key"] / "agency_ed25519.pub").read_text())
    with (out / "draw.json").open("rb") as data:
        verify = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", signers, "-I", "agency", "-n", "tic-draw-v1",
                                 "-s", out / "draw.json.sig"], stdin=data, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stderr
    text = subprocess.run(["pdftotext", out / "draw.pdf", "-"], capture_output=True, text=True).stdout
    assert "评审专家抽取记录" in text and "20270301" in text and "王监督" in text


def test_the_same_seed_gives_the_same_draw_and_replay_confirms(capsys: pytest.CaptureFixture[str],
                                                            world: dict[str, Path]) -> None:
    a, b = world["root"] / "a", world["root"] / "b"
    assert _draw(capsys, world, a, "--seed", "42", "--no-letters")[0] == 0
    assert _draw(capsys, world, b, "--seed", "42", "--no-letters")[0] == 0
    assert (a / "experts.csv").read_bytes() == (b / "experts.csv").read_bytes()
    code, stdout, _ = run(capsys, "pool", "draw", "--replay", a / "draw.json", "--pool", world["pool"],
                          "--centers", world["centers"], "--key", world["key"], lang="en")
    assert code == 0 and "gives exactly the recorded result" in stdout


def test_replay_of_a_tampered_record_or_pool_is_refused(capsys: pytest.CaptureFixture[str],
                                                        world: dict[str, Path]) -> None:
    out = world["root"] / "t"
    assert _draw(capsys, world, out, "--no-letters")[0] == 0
    record = (out / "draw.json").read_bytes()
    forged = world["root"] / "forged"
    forged.mkdir()
    shutil.copy(out / "draw.json.sig", forged / "draw.json.sig")
    (forged / "draw.json").write_bytes(record.replace(b'"seed":"', b'"seed":"0', 1))
    code, _, stderr = run(capsys, "pool", "draw", "--replay", forged / "draw.json", "--pool", world["pool"],
                          "--centers", world["centers"])
    assert code == 1 and "签名验证失败" in stderr
    pool = world["root"] / "pool-edited.csv"
    pool.write_bytes(world["pool"].read_bytes().replace("北京理工大学".encode(), "天津大学".encode()))
    code, _, stderr = run(capsys, "pool", "draw", "--replay", out / "draw.json", "--pool", pool,
                          "--centers", world["centers"], lang="en")
    assert code == 1 and "the pool file differs" in stderr
    other = agency_keys.create_agency_keys(world["root"] / "other")
    from tic_desktop.agency.draw_record import LIMITS
    from tic_desktop.formats import sshsig, strictjson

    rec = strictjson.parse(record, LIMITS)
    rec["agency"]["fingerprint"] = other.fingerprint
    data = strictjson.dumps(rec)
    (forged / "draw.json").write_bytes(data)
    (forged / "draw.json.sig").write_bytes(sshsig.sign(data, other.signing_key, "tic-draw-v1"))
    code, _, stderr = run(capsys, "pool", "draw", "--replay", forged / "draw.json", "--pool", world["pool"],
                          "--centers", world["centers"], "--key", world["key"], lang="en")
    assert code == 1 and "signed by another key" in stderr


def test_an_unfillable_draw_exits_1_naming_the_constraint(capsys: pytest.CaptureFixture[str],
                                                          world: dict[str, Path]) -> None:
    out = world["root"] / "full"
    code, _, stderr = run(capsys, "pool", "draw", "--pool", world["pool"], "--centers", world["centers"], "--panels", 2,
                          "--per-panel", "technical=3,finance=9", "--key", world["key"], "-o", out, lang="en")
    assert code == 1 and re.search(r"panel P\d needs 9 finance experts", stderr) and "after avoidance" in stderr
    assert "Traceback" not in stderr and not (out / "draw.json").exists()


def test_a_replacement_is_a_new_signed_revision(capsys: pytest.CaptureFixture[str], world: dict[str, Path]) -> None:
    out = world["root"] / "r"
    assert _draw(capsys, world, out, "--no-letters")[0] == 0
    first = _csv(out / "experts.csv")[0]
    code, stdout, stderr = run(capsys, "pool", "replace", out / "draw.json", "--pool", world["pool"], "--centers",
                               world["centers"], "--expert", first["expert_id"], "--reason", "出差", "--key",
                               world["key"], "--no-letters")
    assert code == 0, stderr
    assert (out / "draw-r1.json").is_file() and (out / "draw-r1.json.sig").is_file()
    ids = [r["expert_id"] for r in _csv(out / "experts.csv")]
    assert first["expert_id"] not in ids and len(ids) == 10
    code, stdout, _ = run(capsys, "pool", "draw", "--replay", out / "draw.json", "--pool", world["pool"],
                          "--centers", world["centers"])
    assert code == 0 and "第 2 版" in stdout


def test_batch_build_takes_the_drawn_experts_and_a_protected_key(world: dict[str, Path]) -> None:
    src = world["root"] / "src"
    shutil.copytree(DEMO, src, ignore=shutil.ignore_patterns("agency", "experts.csv"))
    keys = world["root"] / "locked"
    agency_keys.create_agency_keys(keys, passphrase=b"key pass 1")
    (world["root"] / "kp").write_text("key pass 1\n")
    env = {**os.environ, "TIC_LANG": "en"}
    draw = subprocess.run([sys.executable, "-m", "tic_desktop", "pool", "draw", "--pool", world["pool"], "--centers",
                           src / "proposals.csv", "--panels", "2", "--per-panel", "technical=3,finance=1,management=1",
                           "--key", keys, "--key-passphrase-file", world["root"] / "kp", "-o", world["root"] / "d",
                           "--no-letters"], capture_output=True, text=True, env=env, timeout=300)
    assert draw.returncode == 0, draw.stderr
    shutil.copy(world["root"] / "d" / "experts.csv", src / "experts.csv")
    build = subprocess.run([sys.executable, "-m", "tic_desktop", "batch", "build", src, "-o", world["root"] / "b.ticbatch",
                            "--key", keys, "--key-passphrase-file", world["root"] / "kp"],
                           capture_output=True, text=True, env=env, timeout=300)
    assert build.returncode == 0, build.stderr
    assert sorted(p.name for p in world["root"].glob("b-P*.ticbatch")) == ["b-P1.ticbatch", "b-P2.ticbatch"]
