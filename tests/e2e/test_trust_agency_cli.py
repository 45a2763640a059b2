"""Issue 11, the agency's side, attacked on the command line as an attacker would: a batch re-signed with a
fresh key (median rule, min_valid_sheets 1, points moved between criteria), sheets re-signed with one key in
three experts' names, a forged sheet sorting first, the demo key in a real agency, an unverified signer,
and the experts' keys written into the signed batch. Each asserts the refusal code and that nothing was
written; the honest paths stay green."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyrage
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.corpus.batch_factory import resign as resign_batch
from tests.corpus.batch_factory import sha, zip_members
from tests.unit.agency_world import World
from tests.unit.agency_world import resign as resign_sheet
from tic_desktop.demo import build_demo_source, demo_agency_dir
from tic_desktop.formats import strictjson
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.keys import AgencyKeys, create_agency_keys
from tic_desktop.formats.sheet import allowed_signers_line
from tic_desktop.simulate import make_key

EXPERTS = [f"E0{i}" for i in range(1, 8)]


def cli(*args: str | Path, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_LANG": lang}
    env.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


def ok(*args: str | Path, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    r = cli(*args, lang=lang)
    assert r.returncode == 0, r.stderr
    return r


def refused_lines(r: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """File name → its ✘ line on stderr."""
    out = {}
    for line in r.stderr.splitlines():
        if line.startswith("✘ "):
            out[Path(line[2:].split("：")[0].split(": ")[0]).name] = line
    return out


@pytest.fixture(scope="module")
def agency(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """A real agency (its own keys), a batch built from the demo source, and simulated sheets."""
    root = tmp_path_factory.mktemp("trust-agency")
    create_agency_keys(root / "agency")
    src = build_demo_source(root / "src")
    ok("batch", "build", src, "-o", root / "a.ticbatch", "--key", root / "agency")
    ok("simulate", root / "a.ticbatch", "-o", root / "sheets", "--seed", "3")
    world = World(root, root / "a.ticbatch", (root / "agency" / "agency.agekey").read_text("ascii"),
                  read_batch(root / "a.ticbatch"))
    attacker = make_key("X")
    forged = root / "forged"
    forged.mkdir()
    for eid in ("E01", "E02", "E03"):  # ONE attacker key signs in three experts' names
        resign_sheet(world, root / "sheets" / f"{eid}.ticsheet", forged / f"{eid}.ticsheet", key=attacker)
    return {"root": root, "src": src, "batch": root / "a.ticbatch", "identity": root / "agency" / "agency.agekey",
            "sheets": root / "sheets", "forged": forged, "world": world, "attacker": attacker.fingerprint}


def consolidate(a: dict[str, Any], out: Path, *sheets: Path, batch: Path | None = None, extra: tuple = ()) -> Any:
    return cli("consolidate", "--batch", batch or a["batch"], "--identity", a["identity"], *sheets, "-o", out, *extra)


def inbox(tmp: Path, files: dict[str, Path]) -> Path:
    folder = tmp / "inbox"
    folder.mkdir()
    for name, path in files.items():
        shutil.copyfile(path, folder / name)
    return folder


# ── 4. the agency checks its own signature ────────────────────────────────────────────────────

def forge_batch(batch: Path, out: Path) -> str:
    """The agency's batch with the rule changed to median, min_valid_sheets 1 and two points moved from one
    criterion to another, re-signed with a fresh key (still encrypting sheets to the agency)."""
    members = zip_members(batch.read_bytes())
    path = "forms/feasibility_review.json"
    form = strictjson.parse(members[path])
    first, second = [c for s in form["sections"] for c in s["criteria"]][:2]
    first["max"] = str(Decimal(first["max"]) + 2)
    second["max"] = str(Decimal(second["max"]) - 2)
    members[path] = strictjson.dumps(form)
    fresh = AgencyKeys(Ed25519PrivateKey.generate(), pyrage.x25519.Identity.generate())

    def edit(m: dict[str, Any]) -> None:
        for rule in m["consolidation"].values():
            rule["method"] = "median"
            rule["min_valid_sheets"] = 1
        m["agency"]["signing_key_fingerprint"] = fresh.fingerprint
        for ref in m["forms"]:
            ref["sha256"] = sha(members[ref["path"]])

    out.write_bytes(resign_batch(members, fresh, edit))
    return fresh.fingerprint


def test_a_batch_resigned_by_another_key_is_refused_by_every_agency_command(agency: dict[str, Any],
                                                                            tmp_path: Path) -> None:
    forged = tmp_path / "forged.ticbatch"
    fresh = forge_batch(agency["batch"], forged)
    data = json.loads(ok("batch", "inspect", forged, "--json").stdout)  # a well-formed batch: only the key is wrong
    assert data["agency_fingerprint"] == fresh and data["signer_checked"] is False
    ok("simulate", forged, "-o", tmp_path / "s", "--seed", "4")  # sheets made against the forged rules
    sheets = sorted((tmp_path / "s").glob("*.ticsheet"))
    r = consolidate(agency, tmp_path / "out", *sheets, batch=forged, extra=("--trust-first-use",))
    assert r.returncode == 1 and "agency.not_own_signature" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())
    r = cli("sheets", "verify", *sheets, "--batch", forged, "--identity", agency["identity"],
            "--allowed-signers", tmp_path / "s" / "allowed_signers")
    assert r.returncode == 1 and "agency.not_own_signature" in r.stderr and "✔" not in r.stdout
    r = cli("batch", "inspect", forged, "--expect-fingerprint", json.loads(
        ok("batch", "inspect", agency["batch"], "--json").stdout)["agency_fingerprint"])
    assert r.returncode == 1 and "sig.agency_key_changed" in r.stderr


def test_the_agency_key_beside_identity_or_key_is_required(agency: dict[str, Any], tmp_path: Path) -> None:
    lone = tmp_path / "lone.agekey"
    shutil.copyfile(agency["identity"], lone)  # no agency_ed25519.pub beside it
    args = ("sheets", "verify", agency["sheets"] / "E01.ticsheet", "--batch", agency["batch"], "--identity", lone,
            "--allowed-signers", agency["sheets"] / "allowed_signers")
    r = cli(*args)
    assert r.returncode == 1 and "agency.own_key_unknown" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = cli(*args, "--key", agency["identity"].parent)
    assert r.returncode == 0, r.stderr


# ── 3. first use is visible, never silent ──────────────────────────────────────────────────────

def test_one_key_signing_as_three_experts_gets_none_of_them_in(agency: dict[str, Any], tmp_path: Path) -> None:
    files = {f"{e}.ticsheet": agency["forged"] / f"{e}.ticsheet" for e in ("E01", "E02", "E03")}
    files.update({f"{e}.ticsheet": agency["sheets"] / f"{e}.ticsheet" for e in EXPERTS[3:]})
    r = consolidate(agency, tmp_path / "out", inbox(tmp_path, files), extra=("--trust-first-use",))
    assert r.returncode == 1, r.stdout
    refused = refused_lines(r)
    assert sorted(refused) == ["E01.ticsheet", "E02.ticsheet", "E03.ticsheet"]
    assert all("pin.first_use_ambiguous" in line for line in refused.values())
    first_use = [ln for ln in r.stderr.splitlines() if ln.startswith("首次使用")]
    assert len(first_use) == 4 and not any(agency["attacker"] in ln for ln in first_use)
    assert "有效评分表 4 份（专家 4/7 位）" in r.stdout
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "out" / "consolidated.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "首次使用时信任的密钥（4 把" in text and "专家签名密钥" in text
    for ln in first_use:  # every first-use key is on the cover, with its fingerprint
        assert ln.split("的密钥 ")[1].split("（")[0] in text.replace("\n", "")


def test_a_forged_sheet_sorting_first_does_not_get_the_genuine_one_refused_silently(
        agency: dict[str, Any], tmp_path: Path) -> None:
    files = {f"{e}.ticsheet": agency["sheets"] / f"{e}.ticsheet" for e in EXPERTS}
    files["0-E01.ticsheet"] = agency["forged"] / "E01.ticsheet"
    r = consolidate(agency, tmp_path / "out", inbox(tmp_path, files), extra=("--trust-first-use",))
    assert r.returncode == 1
    refused = refused_lines(r)
    assert sorted(refused) == ["0-E01.ticsheet", "E01.ticsheet"]
    assert all("pin.first_use_ambiguous" in line for line in refused.values()) and "sheet.key_mismatch" not in r.stderr
    assert "有效评分表 6 份" in r.stdout


def test_sheets_verify_says_signer_not_verified_without_a_pin(agency: dict[str, Any]) -> None:
    base = ("--batch", agency["batch"], "--identity", agency["identity"])
    r = cli("sheets", "verify", agency["forged"] / "E01.ticsheet", *base, lang="en")
    assert r.returncode == 1 and "signer not verified" in r.stderr and "✔" not in r.stdout
    r = cli("sheets", "verify", agency["sheets"] / "E01.ticsheet", *base, "--trust-first-use")
    assert r.returncode == 0 and "首次使用" in r.stderr
    r = cli("sheets", "verify", agency["forged"] / "E01.ticsheet", agency["sheets"] / "E01.ticsheet", *base,
            "--trust-first-use")
    assert r.returncode == 1 and r.stderr.count("pin.first_use_ambiguous") == 2
    r = cli("sheets", "verify", *(agency["forged"] / f"{e}.ticsheet" for e in ("E01", "E02")), *base,
            "--allowed-signers", agency["sheets"] / "allowed_signers")
    assert r.returncode == 1 and r.stderr.count("sheet.key_mismatch") == 2


# ── 5. inspect says who was checked ───────────────────────────────────────────────────────────

def test_batch_inspect_expect_fingerprint(agency: dict[str, Any]) -> None:
    fp = json.loads(ok("batch", "inspect", agency["batch"], "--json").stdout)["agency_fingerprint"]
    plain = ok("batch", "inspect", agency["batch"]).stdout
    assert "签名者未与已知密钥核对" in plain and "通过" not in plain.split("\n")[3]
    assert "签名与内容检查：通过" in ok("batch", "inspect", agency["batch"], "--expect-fingerprint", fp).stdout
    r = cli("batch", "inspect", agency["batch"], "--expect-fingerprint", make_key("Z").fingerprint, lang="en")
    assert r.returncode == 1 and "sig.agency_key_changed" in r.stderr and r.stdout == ""


# ── 2. the experts' keys in the signed manifest ────────────────────────────────────────────────

@pytest.fixture(scope="module")
def keyed(agency: dict[str, Any]) -> dict[str, Any]:
    """A batch whose manifest names every expert's key (batch build --allowed-signers), and sheets signed by them."""
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    root = agency["root"]
    keys = {eid: make_key(eid) for eid in EXPERTS}
    enrolled = root / "enrolled_signers"
    enrolled.write_text("".join(allowed_signers_line(e, k.signing_key.public_key()) + "\n" for e, k in keys.items()))
    ok("batch", "build", agency["src"], "-o", root / "k.ticbatch", "--key", root / "agency", "--allowed-signers",
       enrolled)
    raw = (root / "k.ticbatch").read_bytes()
    opened = read_batch(raw)
    out = root / "k-sheets"
    out.mkdir()
    with tempfile.TemporaryDirectory() as tmp:
        for eid in EXPERTS:
            simulate_expert(opened, raw, opened.manifest.expert(eid), out, Path(tmp), seed=5, plan=ScoresPlan(),
                            key=keys[eid])
    return {"batch": root / "k.ticbatch", "sheets": out, "keys": keys, "opened": opened, "raw": raw}


def test_batch_build_writes_each_experts_key_and_both_sides_enforce_it(agency: dict[str, Any], keyed: dict[str, Any],
                                                                      tmp_path: Path) -> None:
    from tic_desktop.core.errors import Rejected
    from tic_desktop.simulate import ScoresPlan, simulate_expert

    data = json.loads(ok("batch", "inspect", keyed["batch"], "--json").stdout)
    assert {e["id"]: e["key_fingerprint"] for e in data["experts"]} == {
        e: k.fingerprint for e, k in keyed["keys"].items()}
    # the expert app refuses to sign with another key than the one the batch names
    with tempfile.TemporaryDirectory() as tmp, pytest.raises(Rejected) as err:
        simulate_expert(keyed["opened"], keyed["raw"], keyed["opened"].manifest.expert("E01"), tmp_path / "x",
                        Path(tmp), seed=5, plan=ScoresPlan(), key=make_key("E01"))
    assert err.value.code == "sheet.not_enrolled_key" and not list(tmp_path.glob("x/*.ticsheet"))
    # the agency: the batch's keys are the pins — no allowed_signers, no first use needed
    r = consolidate(agency, tmp_path / "out", keyed["sheets"], batch=keyed["batch"])
    assert r.returncode == 0, r.stderr
    assert "首次使用" not in r.stderr and "有效评分表 7 份" in r.stdout
    # a sheet re-signed by a fresh key in E01's name is refused, whatever else is given
    world = World(tmp_path, keyed["batch"], agency["world"].identity, keyed["opened"])
    fake = resign_sheet(world, keyed["sheets"] / "E01.ticsheet", tmp_path / "E01.ticsheet", key=make_key("X"))
    r = cli("sheets", "verify", fake, "--batch", keyed["batch"], "--identity", agency["identity"], "--trust-first-use")
    assert r.returncode == 1 and "sheet.not_batch_key" in r.stderr
    r = consolidate(agency, tmp_path / "out2", fake, batch=keyed["batch"], extra=("--trust-first-use",))
    assert r.returncode == 1 and "sheet.not_batch_key" in r.stderr and "首次使用" not in r.stderr


# ── the demo key is a demo key ─────────────────────────────────────────────────────────────────

def test_the_demo_key_only_as_a_demo(agency: dict[str, Any], tmp_path: Path) -> None:
    r = cli("batch", "build", agency["src"], "-o", tmp_path / "d.ticbatch", "--key", demo_agency_dir())
    assert r.returncode == 1 and "build.demo_key" in r.stderr and not (tmp_path / "d.ticbatch").exists()
    r = ok("batch", "build", agency["src"], "-o", tmp_path / "d.ticbatch", "--key", demo_agency_dir(), "--demo")
    assert "演示" in r.stderr
    ok("demo-batch", tmp_path / "demo")
    ok("simulate", tmp_path / "demo" / "demo.ticbatch", "-o", tmp_path / "ds", "--seed", "2")
    # a demo batch (or one signed with the public demo key) is refused by a real agency
    r = consolidate(agency, tmp_path / "out", tmp_path / "ds", batch=tmp_path / "demo" / "demo.ticbatch",
                    extra=("--key", agency["identity"].parent, "--allowed-signers", tmp_path / "ds" / "allowed_signers"))
    assert r.returncode == 1 and "agency.demo_batch" in r.stderr and not (tmp_path / "out").exists()
    # the rehearsal with the demo's own keys works, and says it is a demo
    r = cli("consolidate", "--batch", tmp_path / "demo" / "demo.ticbatch", "--identity",
            tmp_path / "demo" / "agency" / "agency.agekey", tmp_path / "ds", "-o", tmp_path / "rehearsal",
            "--allowed-signers", tmp_path / "ds" / "allowed_signers")
    assert r.returncode == 0, r.stderr
    assert "演示" in r.stdout and (tmp_path / "rehearsal" / "consolidated.pdf").is_file()
