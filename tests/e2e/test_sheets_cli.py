"""`tic-desktop simulate` and `tic-desktop sheets verify` end to end, in subprocesses."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.formats import agecrypt, container


def cli(*args: str | Path, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_LANG": lang}
    env.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("sheets-cli")
    assert cli("demo-batch", root / "demo").returncode == 0
    assert cli("demo-batch", root / "other", "--kind", "periodic_assessment").returncode == 0
    scores = root / "scores.csv"
    # 1.1–4.2 are in both forms of a feasibility batch with different maxima: form_id says which
    scores.write_text("expert_id,proposal_id,criterion_id,score,form_id\n"
                      "E01,TJ-AI-01,1.1,6,feasibility_review\nE01,TJ-AI-01,1.2,9,feasibility_review\n"
                      "E01,TJ-AI-01,2.1,12,rd_capacity_project\nE01,TJ-AI-01,5.1,4.5,\n"
                      "E02,TJ-SB-02,*,conflict,\n", "utf-8")
    r = cli("simulate", root / "demo" / "demo.ticbatch", "-o", root / "out", "--seed", "7", "--scores", scores)
    assert r.returncode == 0, r.stderr
    return {"root": root, "out": root / "out", "batch": root / "demo" / "demo.ticbatch",
            "identity": root / "demo" / "agency" / "agency.agekey", "stdout": r.stdout}


def verify(run: dict[str, Any], *files: Path, batch: Path | None = None, identity: Path | None = None,
           signers: bool = True, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    args: list[str | Path] = ["sheets", "verify", *files, "--batch", batch or run["batch"],
                              "--identity", identity or run["identity"], "--key", run["identity"].parent]
    if signers:
        args += ["--allowed-signers", run["out"] / "allowed_signers"]
    return cli(*args, lang=lang)


def test_simulate_writes_sheets_keys_and_allowed_signers(run: dict[str, Any]) -> None:
    out = run["out"]
    sheets = sorted(p.name for p in out.glob("*.ticsheet"))
    assert sheets == [f"E0{i}.ticsheet" for i in range(1, 8)]
    lines = (out / "allowed_signers").read_text().splitlines()
    assert len(lines) == 7 and all('namespaces="tic-sheet-v1" ssh-ed25519 ' in ln for ln in lines)
    assert (out / "keys" / "E01.pub").read_text().startswith("ssh-ed25519 ")
    assert (out / "keys" / "E01.pem").read_text().startswith("-----BEGIN PUBLIC KEY-----")


def test_all_sheets_verify(run: dict[str, Any]) -> None:
    r = verify(run, *sorted(run["out"].glob("*.ticsheet")))
    assert r.returncode == 0, r.stderr
    assert r.stdout.count("✔") == 7 and "Traceback" not in r.stderr


def test_scores_csv_is_honoured(run: dict[str, Any]) -> None:
    from tic_desktop.formats.batch import read_batch
    from tic_desktop.formats.sheet import read_sheet

    opened = read_batch(run["batch"])
    identity = run["identity"].read_text()
    e1 = read_sheet(run["out"] / "E01.ticsheet", opened, identity=identity).sheet
    crit = {c.id: c.score for c in e1.proposal("TJ-AI-01").forms[0].criteria}
    assert str(crit["1.1"]) == "6" and str(crit["1.2"]) == "9"
    e2 = read_sheet(run["out"] / "E02.ticsheet", opened, identity=identity).sheet
    assert e2.proposal("TJ-SB-02").conflict.declared and e2.proposal("TJ-SB-02").forms == ()
    e4 = read_sheet(run["out"] / "E04.ticsheet", opened, identity=identity).sheet
    assert e4.proposal("TJ-BM-04").conflict.reason == "known_in_advance"
    for p in e1.proposals:
        for f in p.forms:
            form = opened.forms[f.form_id]
            assert f.conclusion in {c.code for c in form.conclusions}


def _tamper(run: dict[str, Any], tmp: Path) -> Path:
    data = (run["out"] / "E03.ticsheet").read_bytes()
    plain = agecrypt.decrypt(data, identities=agecrypt.identities_from_text(run["identity"].read_text()),
                             max_output=1 << 30)
    import io

    with zipfile.ZipFile(io.BytesIO(plain)) as zf:
        members = {n: zf.read(n) for n in zf.namelist()}
    i = members["sheet.json"].index(b'"conclusion":"') + len(b'"conclusion":"')
    members["sheet.json"] = members["sheet.json"][:i] + b"X" + members["sheet.json"][i + 1:]
    from tic_desktop.formats.batch import read_batch

    recipient = read_batch(run["batch"]).manifest.agency.age_recipient
    bad = tmp / "E03-tampered.ticsheet"
    bad.write_bytes(agecrypt.encrypt_to_recipients(container.write_zip(members), [recipient]))
    return bad


def test_tampered_sheet_fails_naming_the_file(run: dict[str, Any], tmp_path: Path) -> None:
    bad = _tamper(run, tmp_path)
    r = verify(run, run["out"] / "E01.ticsheet", bad, run["out"] / "E02.ticsheet")
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("✘")]
    assert len(errors) == 1 and str(bad) in errors[0] and "签名验证失败" in errors[0]
    assert r.stdout.count("✔") == 2


def test_wrong_batch_fails(run: dict[str, Any]) -> None:
    r = verify(run, run["out"] / "E01.ticsheet", batch=run["root"] / "other" / "demo.ticbatch", lang="en")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith("✘"))
    assert "E01.ticsheet" in line and ("another batch" in line or "another version of this batch" in line)


def test_wrong_identity_fails(run: dict[str, Any], tmp_path: Path) -> None:
    if not shutil.which("age-keygen"):
        pytest.skip("age-keygen needed")
    ident = tmp_path / "other.agekey"
    subprocess.run(["age-keygen", "-o", str(ident)], check=True, capture_output=True)
    r = verify(run, run["out"] / "E01.ticsheet", identity=ident, lang="en")
    assert r.returncode == 1 and "Traceback" not in r.stderr
    line = next(ln for ln in r.stderr.splitlines() if ln.startswith("✘"))
    assert "E01.ticsheet" in line and "not encrypted to your key" in line


def test_unknown_signer_key_fails(run: dict[str, Any], tmp_path: Path) -> None:
    signers = tmp_path / "allowed_signers"
    lines = (run["out"] / "allowed_signers").read_text().splitlines()
    signers.write_text("\n".join(ln for ln in lines if not ln.startswith("E05 ")) + "\n")
    args = ["sheets", "verify", run["out"] / "E05.ticsheet", "--batch", run["batch"], "--identity", run["identity"],
            "--allowed-signers", signers]
    r = cli(*args)
    assert r.returncode == 1 and "未登记" in r.stderr


def test_missing_file_and_bad_batch_are_one_line(run: dict[str, Any], tmp_path: Path) -> None:
    r = verify(run, tmp_path / "nope.ticsheet")
    assert r.returncode == 1 and "Traceback" not in r.stderr and "nope.ticsheet" in r.stderr
    junk = tmp_path / "junk.ticbatch"
    junk.write_bytes(b"junk")
    r = verify(run, run["out"] / "E01.ticsheet", batch=junk)
    assert r.returncode == 1 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_help_mentions_both_commands() -> None:
    r = cli("--help")
    assert "sheets" in r.stdout and "simulate" in r.stdout
    r = cli("sheets", "verify", "--help", lang="en")
    assert "--allowed-signers" in r.stdout and "--identity" in r.stdout


def test_bad_scores_csv_is_one_line(run: dict[str, Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("expert_id,proposal_id,criterion_id,score\nE01,TJ-AI-01,9.9,5\n", "utf-8")
    r = cli("simulate", run["batch"], "-o", tmp_path / "o", "--scores", bad)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1 and "第 2 行" in r.stderr and "row" not in r.stderr and "9.9" in r.stderr


def test_scores_csv_form_id_applies_to_that_form_only(run: dict[str, Any]) -> None:
    from tic_desktop.formats.batch import read_batch
    from tic_desktop.formats.sheet import read_sheet

    opened = read_batch(run["batch"])
    e1 = read_sheet(run["out"] / "E01.ticsheet", opened, identity=run["identity"].read_text()).sheet
    forms = {f.form_id: {c.id: c.score for c in f.criteria} for f in e1.proposal("TJ-AI-01").forms}
    assert str(forms["rd_capacity_project"]["2.1"]) == "12"
    assert forms["feasibility_review"]["2.1"] <= 6 and str(forms["feasibility_review"]["5.1"]) == "4.5"


def test_ambiguous_or_bad_scores_csv_rows_are_one_line_naming_the_row(run: dict[str, Any], tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("expert_id,proposal_id,criterion_id,score\nE01,TJ-AI-01,2.1,12\n", "utf-8")
    r = cli("simulate", run["batch"], "-o", tmp_path / "o", "--scores", bad)
    assert r.returncode == 1 and "Traceback" not in r.stderr and len(r.stderr.strip().splitlines()) == 1
    assert "bad.csv 第 2 行" in r.stderr and "「criterion_id」列" in r.stderr and "form_id" in r.stderr
    assert "未选择结论" not in r.stderr and not (tmp_path / "o" / "E01.ticsheet").exists()
    bad.write_text("expert_id,proposal_id,criterion_id,score,form_id\nE01,TJ-AI-01,2.1,NaN,rd_capacity_project\n", "utf-8")
    r = cli("simulate", run["batch"], "-o", tmp_path / "o", "--scores", bad, lang="en")
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "bad.csv, row 2, column score" in r.stderr and "not a number" in r.stderr
    bad.write_text("expert_id,proposal_id,criterion_id,score,form_id\nE01,TJ-AI-01,2.1,6.5,feasibility_review\n", "utf-8")
    r = cli("simulate", run["batch"], "-o", tmp_path / "o", "--scores", bad, lang="en")
    assert "row 2, column score" in r.stderr and "outside 0–6" in r.stderr


def test_simulate_help_documents_the_scores_columns() -> None:
    for lang in ("zh", "en"):
        r = cli("simulate", "--help", lang=lang)
        assert r.returncode == 0 and "expert_id,proposal_id,criterion_id,score[,form_id]" in "".join(r.stdout.split())
