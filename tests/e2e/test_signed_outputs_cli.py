"""`keys create` makes the document-signing certificate; `consolidate` signs consolidated.pdf with it
(pdfsig: valid, whole document) and writes panel_opinions.docx; an agency folder made before PDF
signing gets its certificate on the first consolidate, with the passphrase."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document

from tic_desktop.demo import build_demo_source
from tic_desktop.formats import docsign

PASS = "Agency pass 2026"
NAME = "天津市科学技术发展战略研究院"


def cli(*args: str | Path, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_LANG": lang}
    env.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


def _pdfsig(path: Path) -> str:
    return subprocess.run(["pdfsig", str(path)], capture_output=True, text=True, check=False).stdout


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    from tic_desktop.simulate import simulate

    root = tmp_path_factory.mktemp("signed-cli")
    (root / "kp").write_text(PASS + "\n")
    r = cli("keys", "create", root / "agency", "--passphrase-file", root / "kp", "--agency-name", NAME)
    assert r.returncode == 0, r.stderr
    fp = re.search(r"文件签名证书 SHA-256 指纹：((?:[0-9A-F]{2}:){31}[0-9A-F]{2})", r.stdout)
    assert fp is not None, r.stdout
    assert fp.group(1) == docsign.certificate_fingerprint(root / "agency")
    src = build_demo_source(root / "src", "feasibility_review")
    batch = root / "b.ticbatch"
    recipient = (root / "agency" / "agency.agekey.pub").read_text().strip()
    r = cli("batch", "build", src, "-o", batch, "--key", root / "agency", "--key-passphrase-file", root / "kp",
            "--recipient", recipient)
    assert r.returncode == 0, r.stderr
    from tic_desktop.formats.keys import read_identity

    simulate(batch, root / "sheets", seed=1, identity=read_identity(root / "agency" / "agency.agekey", PASS)[0])
    return {"root": root, "batch": batch, "sheets": root / "sheets", "agency": root / "agency"}


def _consolidate(world: dict[str, Path], out: Path, lang: str = "zh") -> subprocess.CompletedProcess[str]:
    return cli("consolidate", "--batch", world["batch"], "--identity", world["agency"] / "agency.agekey",
               "--key-passphrase-file", world["root"] / "kp", world["sheets"], "--trust-first-use", "-o", out,
               lang=lang)


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_consolidate_signs_the_report_and_writes_the_opinions(world: dict[str, Path], tmp_path: Path) -> None:
    r = _consolidate(world, tmp_path / "out")
    assert r.returncode == 0, r.stderr
    pdf = tmp_path / "out" / "consolidated.pdf"
    out = _pdfsig(pdf)
    assert "Signature Validation: Signature is Valid." in out and "Total document signed" in out
    assert f"Signer Certificate Common Name: {NAME}" in out
    fp = docsign.certificate_fingerprint(world["agency"])
    assert f"签名证书 SHA-256 指纹：{fp}" in r.stdout
    doc = Document(str(tmp_path / "out" / "panel_opinions.docx"))
    assert doc.paragraphs[0].text == "专家组意见"
    assert any(p.text == "五、结论" for p in doc.paragraphs)
    # pdftotext still reads the signed report
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "专家评审汇总报告" in text


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_an_older_agency_folder_gets_its_certificate_with_the_passphrase(world: dict[str, Path],
                                                                          tmp_path: Path) -> None:
    old = dict(world)
    old["agency"] = tmp_path / "old-agency"
    shutil.copytree(world["agency"], old["agency"])
    for name in (docsign.KEY_FILE, docsign.CERT_FILE):
        (old["agency"] / name).unlink()
    # without the passphrase the sealed identity is refused before anything is written
    r = cli("consolidate", "--batch", world["batch"], "--identity", old["agency"] / "agency.agekey", world["sheets"],
            "--trust-first-use", "-o", tmp_path / "no")
    assert r.returncode != 0 and not (old["agency"] / docsign.KEY_FILE).exists()
    r = _consolidate(old, tmp_path / "out", lang="en")
    assert r.returncode == 0, r.stderr
    made = docsign.certificate_fingerprint(old["agency"])
    assert made and "made the agency's document-signing certificate" in r.stderr and made in r.stderr
    assert (old["agency"] / docsign.KEY_FILE).read_bytes().startswith(b"age-encryption.org/v1")
    assert "Signature Validation: Signature is Valid." in _pdfsig(tmp_path / "out" / "consolidated.pdf")
    # the next run uses the same certificate and says nothing about making one
    again = _consolidate(old, tmp_path / "out2", lang="en")
    assert again.returncode == 0 and "made the agency's" not in again.stderr
    assert docsign.certificate_fingerprint(old["agency"]) == made


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler's pdfsig is not installed")
def test_demo_consolidate_is_signed_with_the_demo_certificate(tmp_path: Path) -> None:
    from tic_desktop.simulate import simulate

    assert cli("demo-batch", tmp_path / "demo").returncode == 0
    simulate(tmp_path / "demo" / "demo.ticbatch", tmp_path / "s", seed=2)
    r = cli("consolidate", "--batch", tmp_path / "demo" / "demo.ticbatch", "--identity",
            tmp_path / "demo" / "agency" / "agency.agekey", tmp_path / "s", "--trust-first-use", "-o", tmp_path / "out")
    assert r.returncode == 0, r.stderr
    assert "DEMO ONLY" in _pdfsig(tmp_path / "out" / "consolidated.pdf")
