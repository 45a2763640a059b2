"""README "Who is trusted, and how": its stock-tool commands run exactly as printed, on a real agency
session (sealed agency keys, a passphrase-encrypted batch, a returned sheet), and each link checks out."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tic_desktop.demo import build_demo_source

ROOT = Path(__file__).resolve().parents[2]
KEY_PASS = "Agency key 2026!"
BATCH_PASS = "Batch pass 2026"

pytestmark = pytest.mark.skipif(
    sys.platform == "win32" or any(shutil.which(t) is None for t in ("age", "ssh-keygen", "openssl", "sha256sum")),
    reason="needs a pty, age, ssh-keygen, openssl and sha256sum",
)


def readme_block() -> str:
    text = (ROOT / "README.md").read_text("utf-8")
    section = text.split("## Who is trusted, and how", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```bash\n(.*?)```", section, re.S)
    assert len(blocks) == 1
    return blocks[0]


def cli(*args: str | Path) -> str:
    r = subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                       timeout=300, env={**os.environ, "TIC_LANG": "en"})
    assert r.returncode == 0, r.stderr
    return r.stdout


def run_in_pty(script: Path, cwd: Path, answers: list[str]) -> tuple[int, str]:
    """bash `script` on a pseudo-terminal, typing each answer when age asks for a passphrase."""
    import pty

    shim = cwd / "bin" / "tic-desktop"  # the command of the README, run from this checkout
    shim.parent.mkdir(exist_ok=True)
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m tic_desktop "$@"\n')
    shim.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim.parent}{os.pathsep}{os.environ.get('PATH', '')}", "TIC_LANG": "en",
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    pid, fd = pty.fork()
    if pid == 0:
        os.chdir(cwd)
        os.execvpe("bash", ["bash", "-eo", "pipefail", str(script)], env)
    out, pending = b"", list(answers)
    asked = 0
    while True:
        try:
            chunk = os.read(fd, 4096)
        except OSError:
            break
        if not chunk:
            break
        out += chunk
        prompts = out.lower().count(b"passphrase")
        while asked < prompts and pending:
            os.write(fd, pending.pop(0).encode() + b"\n")
            asked += 1
    _pid, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status), out.decode("utf-8", "replace")


def test_the_readme_trust_chain_commands_check_every_link(tmp_path: Path) -> None:
    (tmp_path / "key.txt").write_text(KEY_PASS + "\n")
    (tmp_path / "pass.txt").write_text(BATCH_PASS + "\n")
    out = cli("keys", "create", tmp_path / "agency", "--passphrase-file", tmp_path / "key.txt")
    agency_fp = re.search(r"SHA256:[A-Za-z0-9+/]{43}", out).group(0)  # type: ignore[union-attr]
    src = build_demo_source(tmp_path / "src")
    cli("batch", "build", src, "-o", tmp_path / "2026-01.ticbatch", "--key", tmp_path / "agency",
        "--key-passphrase-file", tmp_path / "key.txt", "--passphrase-file", tmp_path / "pass.txt")
    cli("simulate", tmp_path / "2026-01.ticbatch", "-o", tmp_path / "returned", "--passphrase-file", tmp_path / "pass.txt")
    assert (tmp_path / "returned" / "E01.ticsheet").is_file()

    script = tmp_path / "check.sh"
    script.write_text(readme_block())
    code, output = run_in_pty(script, tmp_path, [BATCH_PASS, KEY_PASS])
    assert code == 0, output
    assert agency_fp in output
    assert "Signature and content checks: passed" in output  # inspect --expect-fingerprint: the letter's key
    assert 'Good "tic-batch-v1" signature for agency' in output
    assert "members OK" in output
    assert 'Good "tic-sheet-v1" signature for E01' in output
    assert "Signature Verified Successfully" in output
    manifest_sha = hashlib.sha256((tmp_path / "batch" / "manifest.json").read_bytes()).hexdigest()
    expert_fp = subprocess.run(["ssh-keygen", "-l", "-f", str(tmp_path / "E01" / "expert.pub")], capture_output=True,
                               text=True, check=True).stdout.split()[1]
    sheet = json.loads((tmp_path / "E01" / "sheet.json").read_bytes())
    last = output.strip().splitlines()[-1].split()
    assert last == [sheet["batch_id"], manifest_sha, "E01", expert_fp, agency_fp]
    assert f"{manifest_sha}  batch/manifest.json" in output
