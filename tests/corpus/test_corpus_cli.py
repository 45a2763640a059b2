"""The command line on corpus files: `sheets verify` and `batch inspect` exit 1 with one clear line
per bad file in the user's language, and no traceback."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import test_batch_corpus as bc
import test_sheet_corpus as sc
from conftest import Ctx
from sheet_factory import SheetWorld

from tic_desktop.formats import sshsig

CJK = re.compile(r"[\u4e00-\u9fff]")
SHEET_SAMPLE = ["outer-empty", "age-for-another-agency", "zip-dotdot-backslash", "zip-symlink", "zip-ratio-bomb-member",
                "sig-namespace-git", "sig-unpinned-key-for-pinned-expert", "json-duplicate-score", "json-nan",
                "schema-score-true", "sem-unassigned-proposal", "sem-form-hash-mismatch", "sem-wrong-batch-id",
                "sig-score-pdf-swapped"]
BATCH_SAMPLE = ["outer-one-byte", "zip-unc", "sig-namespace-file", "json-bom", "sem-hash-mismatch"]


def cli(*args: str | Path, lang: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_LANG": lang}
    env.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_sheets_verify_one_line_per_bad_file(sheets: SheetWorld, ctx: Ctx, tmp_path: Path, lang: str) -> None:
    cases = {c.id: c for c in sc.CASES}
    batch = tmp_path / "batch.ticbatch"
    batch.write_bytes(ctx.valid)
    identity = tmp_path / "agency.agekey"
    identity.write_text(sheets.agency_identity + "\n", "utf-8")
    # the agency's own signing key beside its identity: sheets verify checks the batch is its own
    (tmp_path / "agency_ed25519.pub").write_text(sshsig.public_key_line(ctx.keys.public_key) + "\n", "utf-8")
    signers = tmp_path / "allowed_signers"
    signers.write_text("".join(f"{e.expert_id} {sshsig.public_key_line(e.signing_key.public_key())}\n"
                               for e in (sheets.e1, sheets.e2)), "utf-8")
    files = []
    for name in SHEET_SAMPLE:
        data = cases[name].build(sheets, ctx)
        assert isinstance(data, bytes)
        files.append(tmp_path / f"{name}.ticsheet")
        files[-1].write_bytes(data)
    good = tmp_path / "good.ticsheet"
    good.write_bytes(sheets.valid)
    r = cli("sheets", "verify", *files, good, "--batch", batch, "--identity", identity, "--allowed-signers", signers,
            lang=lang)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    errors = [ln for ln in r.stderr.splitlines() if ln.startswith("✘")]
    assert len(errors) == len(files)
    # besides one line per bad file, only the warning that this (test) agency.agekey has no passphrase
    others = [ln for ln in r.stderr.strip().splitlines() if not ln.startswith("✘")]
    assert len(others) <= 1 and all(str(identity) in ln for ln in others), others
    for path, line in zip(files, errors, strict=True):
        assert str(path) in line
        assert bool(CJK.search(line.replace(str(path), ""))) is (lang == "zh"), line
    assert r.stdout.count("✔") == 1 and str(good) in r.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_batch_inspect_one_line_per_bad_file(ctx: Ctx, tmp_path: Path, lang: str) -> None:
    cases = {c.id: c for c in bc.CASES}
    for name in BATCH_SAMPLE:
        path = tmp_path / f"{name}.ticbatch"
        path.write_bytes(cases[name].build(ctx))
        r = cli("batch", "inspect", path, lang=lang)
        assert r.returncode == 1 and "Traceback" not in r.stderr
        lines = r.stderr.strip().splitlines()
        assert len(lines) == 1, r.stderr
        assert bool(CJK.search(lines[0].replace(str(path), ""))) is (lang == "zh"), lines[0]
