"""The archive end to end on the command line: `consolidate --archive` on a real agency session
(sealed agency keys, a passphrase-encrypted batch), the README's stock-tool block run verbatim,
`archive verify` (with and without the expected fingerprint), `archive restore` reproducing
results.csv byte for byte, and tampered archives refused with their codes."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.e2e.test_trust_readme import run_in_pty
from tests.unit.test_archive import members, resign, rezip
from tic_desktop.demo import build_demo_source

ROOT = Path(__file__).resolve().parents[2]
KEY_PASS = "Agency key 2026!"
BATCH_PASS = "Batch pass 2026"

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or any(shutil.which(t) is None for t in ("age", "ssh-keygen", "sha256sum", "unzip")),
    reason="needs a pty, age, ssh-keygen, sha256sum and unzip",
)


def cli(*args: str | Path, lang: str = "en") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TIC_LANG": lang}
    env.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          timeout=300, env=env)


def readme_block() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("### Checking an archive with stock tools", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return blocks[0]


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("archive-cli")
    (root / "key.txt").write_text(KEY_PASS + "\n")
    (root / "pass.txt").write_text(BATCH_PASS + "\n")
    r = cli("keys", "create", root / "agency", "--passphrase-file", root / "key.txt")
    assert r.returncode == 0, r.stderr
    fp = re.search(r"SHA256:[A-Za-z0-9+/]{43}", r.stdout).group(0)  # type: ignore[union-attr]
    src = build_demo_source(root / "src")
    r = cli("batch", "build", src, "-o", root / "2026-01.ticbatch", "--key", root / "agency",
            "--key-passphrase-file", root / "key.txt", "--passphrase-file", root / "pass.txt")
    assert r.returncode == 0, r.stderr
    r = cli("simulate", root / "2026-01.ticbatch", "-o", root / "returned", "--passphrase-file", root / "pass.txt")
    assert r.returncode == 0, r.stderr
    r = cli("consolidate", "--batch", root / "2026-01.ticbatch", "--batch-passphrase-file", root / "pass.txt",
            "--identity", root / "agency" / "agency.agekey", "--key-passphrase-file", root / "key.txt",
            "--allowed-signers", root / "returned" / "allowed_signers", root / "returned", "-o", root / "results",
            "--archive", root / "2026-01.ticarchive")
    assert r.returncode == 0, r.stderr
    assert f"written: {root / '2026-01.ticarchive'}" in r.stdout
    return {"root": root, "fp": fp, "archive": root / "2026-01.ticarchive"}


def test_the_readme_stock_tool_block_checks_the_archive(run: dict[str, Any], tmp_path: Path) -> None:
    shutil.copyfile(run["archive"], tmp_path / "2026-01.ticarchive")
    shutil.copytree(run["root"] / "agency", tmp_path / "agency")
    script = tmp_path / "check.sh"
    script.write_text(readme_block())
    code, output = run_in_pty(script, tmp_path, [KEY_PASS])
    assert code == 0, output
    assert output.count('Good "tic-archive-v1" signature for agency') == 2
    assert run["fp"] in output
    assert "members OK" in output and "no other files" in output
    head = re.search(r'audit chain OK: ("audit_head":\{[^}]*\})', output).group(1)  # type: ignore[union-attr]
    assert output.count(head) == 2  # recomputed = signed
    assert "sheet.json.sig" in output  # the sheet as received, opened with age and the agency key


def test_a_tampered_archive_fails_the_readme_block(run: dict[str, Any], tmp_path: Path) -> None:
    content = members(run["archive"])
    content["reports/results.csv"] += b"P99,forged\r\n"
    rezip(tmp_path / "2026-01.ticarchive", content)
    shutil.copytree(run["root"] / "agency", tmp_path / "agency")
    script = tmp_path / "check.sh"
    script.write_text(readme_block())
    code, output = run_in_pty(script, tmp_path, [KEY_PASS])
    assert code != 0
    assert "reports/results.csv: FAILED" in output


def test_verify_says_whether_the_signer_was_checked(run: dict[str, Any]) -> None:
    r = cli("archive", "verify", run["archive"], "--expect-fingerprint", run["fp"])
    assert r.returncode == 0, r.stderr
    assert f"signer: the expected agency key {run['fp']}" in r.stdout and "Archive check: passed" in r.stdout
    r = cli("archive", "verify", run["archive"], lang="zh")
    assert r.returncode == 0, r.stderr
    assert "签名者未与已知密钥核对" in r.stdout and run["fp"] in r.stdout


def test_restore_gives_the_same_results_csv(run: dict[str, Any], tmp_path: Path) -> None:
    root = run["root"]
    out = tmp_path / "restored"
    r = cli("archive", "restore", run["archive"], "--identity", root / "agency" / "agency.agekey",
            "--key-passphrase-file", root / "key.txt", "--batch-passphrase-file", root / "pass.txt",
            "--expect-fingerprint", run["fp"], "-o", out)
    assert r.returncode == 0, r.stderr
    assert "identical to the archived one, byte for byte" in r.stdout
    assert "consolidated.pdf is signed by the agency (PAdES)" in r.stdout  # as consolidate signs it
    assert (out / "results.csv").read_bytes() == (root / "results" / "results.csv").read_bytes()
    assert (out / "agency" / "agency.db").is_file()
    r = cli("archive", "restore", run["archive"], "--identity", root / "agency" / "agency.agekey",
            "--key-passphrase-file", root / "key.txt", "--batch-passphrase-file", root / "pass.txt", "-o", out)
    assert r.returncode == 1 and "[archive.restore_not_empty]" in r.stderr


def test_tampered_archives_are_refused_on_the_command_line(run: dict[str, Any], tmp_path: Path) -> None:
    from tic_desktop.formats.keys import create_agency_keys

    content = members(run["archive"])
    extra = rezip(tmp_path / "extra.ticarchive", {**content, "reports/extra.csv": b"x"})
    r = cli("archive", "verify", extra)
    assert r.returncode == 1 and "[archive.extra_member]" in r.stderr
    other = create_agency_keys(tmp_path / "other")
    forged = rezip(tmp_path / "forged.ticarchive", resign(dict(content), other.signing_key))
    r = cli("archive", "verify", forged, "--expect-fingerprint", run["fp"])
    assert r.returncode == 1 and "[archive.wrong_signer]" in r.stderr
    r = cli("archive", "restore", forged, "--identity", run["root"] / "agency" / "agency.agekey",
            "--key-passphrase-file", run["root"] / "key.txt", "--batch-passphrase-file", run["root"] / "pass.txt",
            "-o", tmp_path / "out")
    # without --expect-fingerprint the key beside --identity is the one expected: a manifest naming
    # another key is refused before anything is restored (not only when the batch inside is checked)
    assert r.returncode == 1 and "[archive.wrong_signer]" in r.stderr
    assert not (tmp_path / "out").exists()  # nothing half-restored
    (tmp_path / "junk.ticarchive").write_bytes(b"PK junk")
    r = cli("archive", "verify", tmp_path / "junk.ticarchive", lang="zh")
    assert r.returncode == 1 and "[archive.not_archive]" in r.stderr and "不是归档包" in r.stderr


def test_round_consolidate_writes_the_rounds_archive_and_restore_gives_the_same_round_csv(tmp_path: Path) -> None:
    root = tmp_path
    assert cli("keys", "create", root / "agency", "--no-passphrase").returncode == 0
    from tests.round_world import panelled

    src = panelled(build_demo_source(root / "src", "periodic_assessment"))
    (root / "b").mkdir()
    r = cli("batch", "build", src, "-o", root / "b" / "round.ticbatch", "--key", root / "agency")
    assert r.returncode == 0, r.stderr
    batches = sorted((root / "b").glob("*.ticbatch"))
    signers: list[str] = []
    for b in batches:
        assert cli("simulate", b, "-o", root / "sheets" / b.stem, "--seed", "5").returncode == 0
        signers += (root / "sheets" / b.stem / "allowed_signers").read_text().splitlines()
    (root / "allowed_signers").write_text("\n".join(signers) + "\n")
    out = root / "out"
    r = cli("round", "consolidate", "--batch", batches[0], "--batch", batches[1], "--identity",
            root / "agency" / "agency.agekey", "--allowed-signers", root / "allowed_signers", root / "sheets",
            "-o", out, "--title", "2027 年度评估", "--year", "2027", "--archive", root / "2027.ticarchive")
    assert r.returncode == 0, r.stdout + r.stderr
    r = cli("archive", "verify", root / "2027.ticarchive")
    assert r.returncode == 0, r.stderr
    assert "round: round (2027 年度评估)" in r.stdout
    r = cli("archive", "restore", root / "2027.ticarchive", "--identity", root / "agency" / "agency.agekey",
            "-o", root / "restored")
    assert r.returncode == 0, r.stdout + r.stderr
    assert "round.csv and every batch's results.csv are identical" in r.stdout
    assert (root / "restored" / "round.csv").read_bytes() == (out / "round.csv").read_bytes()


def test_a_demo_archive_says_it_is_signed_with_the_public_demo_key(tmp_path: Path) -> None:
    assert cli("demo-batch", tmp_path / "d").returncode == 0
    assert cli("simulate", tmp_path / "d" / "demo.ticbatch", "-o", tmp_path / "s").returncode == 0
    r = cli("consolidate", "--batch", tmp_path / "d" / "demo.ticbatch", "--identity",
            tmp_path / "d" / "agency" / "agency.agekey", "--allowed-signers", tmp_path / "s" / "allowed_signers",
            tmp_path / "s", "-o", tmp_path / "out", "--archive", tmp_path / "demo.ticarchive")
    assert r.returncode == 0, r.stderr
    r = cli("archive", "verify", tmp_path / "demo.ticarchive")
    assert r.returncode == 0 and "public DEMO-ONLY agency key" in r.stdout
    r = cli("archive", "restore", tmp_path / "demo.ticarchive", "--identity", tmp_path / "d" / "agency" / "agency.agekey",
            "-o", tmp_path / "r")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "r" / "results.csv").read_bytes() == (tmp_path / "out" / "results.csv").read_bytes()
