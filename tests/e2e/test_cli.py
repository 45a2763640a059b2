"""The real command line in a subprocess: demo batches, build, inspect, and bad input."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tic_desktop.demo import build_demo_source

DEMO_FINGERPRINT = "SHA256:gT5MT8dPgtMzJ389yc1Em0P0Zr9V5AVm08h3CHiCZDY"
KINDS = ("feasibility_review", "term_end_evaluation", "periodic_assessment")


def cli(*args: str | Path, lang: str = "zh", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "TIC_LANG": lang, **(env or {})}
    environ.pop("TIC_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "tic_desktop", *map(str, args)], capture_output=True, text=True,
                          env=environ, timeout=120)


def ok(*args: str | Path, **kw: Any) -> str:
    r = cli(*args, **kw)
    assert r.returncode == 0, r.stderr
    return r.stdout


def one_line_error(r: subprocess.CompletedProcess[str]) -> str:
    assert r.returncode == 1, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


@pytest.fixture(scope="module")
def demo_batches(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("demo")
    out = {}
    for kind in KINDS:
        stdout = ok("demo-batch", root / kind, "--kind", kind)
        assert DEMO_FINGERPRINT in stdout
        out[kind] = root / kind / "demo.ticbatch"
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_demo_batch_and_inspect_json(demo_batches: dict[str, Path], kind: str) -> None:
    path = demo_batches[kind]
    agency = path.parent / "agency"
    assert sorted(p.name for p in agency.iterdir()) == ["README.md", "agency.agekey", "agency_docsign.crt",
                                                        "agency_docsign.key", "agency_ed25519", "agency_ed25519.pub"]
    data = json.loads(ok("batch", "inspect", path, "--json"))
    assert data["kind"] == kind
    assert data["agency_fingerprint"] == DEMO_FINGERPRINT == data["agency"]["fingerprint"]
    assert data["batch_id"] and data["title"]["zh"]
    expected_forms = ["feasibility_review", "rd_capacity_project"] if kind == "feasibility_review" else [kind]
    assert [f["id"] for f in data["forms"]] == expected_forms
    for form in data["forms"]:
        assert form["criteria"]
        total = 0.0
        for c in form["criteria"]:
            assert isinstance(c["max"], int | float) and isinstance(c["step"], int | float)
            total += c["max"]
        assert total == 100
    proposals = data["proposals"]
    assert [p["id"] for p in proposals] == ["TJ-AI-01", "TJ-BM-04", "TJ-IM-03", "TJ-NE-05", "TJ-NM-06", "TJ-SB-02"]
    titles = {"feasibility_review": ["建设方案"], "term_end_evaluation": ["建设方案", "专项审计报告", "建设总结报告"],
              "periodic_assessment": ["自评报告"]}[kind]  # each kind its own material
    assert all(p["forms"] == expected_forms and [d["title"] for d in p["documents"]] == titles for p in proposals)
    experts = data["experts"]
    assert len(experts) == 7 and [e["id"] for e in experts if e["chair"]] == ["E01"]
    assert sorted(e["role"] for e in experts) == ["finance", "management"] + ["technical"] * 5
    assert data["assignments"]["E04"] == ["TJ-AI-01", "TJ-SB-02", "TJ-IM-03", "TJ-NE-05", "TJ-NM-06"]
    assert all(len(data["assignments"][e["id"]]) == 6 for e in experts if e["id"] != "E04")
    achieved = [k["achieved"] for p in proposals for k in p["kpis"]]
    if kind == "feasibility_review":
        assert set(achieved) == {None}
        assert {p["center_type"] for p in proposals} == {"comprehensive"}
        ratio_fails = [p["id"] for p in proposals
                       if not next(c for c in p["policy"] if c["code"] == "subsidy.ratio")["passed"]]
        assert ratio_fails == ["TJ-NM-06"]
        assert [p["id"] for p in proposals if not p["policy_passed"]] == ["TJ-NE-05", "TJ-NM-06"]
    else:
        assert None not in achieved
    if kind == "periodic_assessment":
        assert {p["center_type"] for p in proposals} == {"professional", "engineering"}


def test_inspect_summary_in_both_languages(demo_batches: dict[str, Path]) -> None:
    zh = ok("batch", "inspect", demo_batches["feasibility_review"], "--expect-fingerprint", DEMO_FINGERPRINT)
    assert "签名与内容检查：通过" in zh and "天津市先进功能材料技术创新中心" in zh
    assert "✘ 市财政补助 12,520,000.00 元" in zh and "回避 TJ-BM-04" in zh
    en = ok("batch", "inspect", demo_batches["feasibility_review"], lang="en")
    assert "passed" not in en and "public DEMO-ONLY agency key" in en and "Experts (7):" in en


def test_encrypted_demo_batch(tmp_path: Path) -> None:
    (tmp_path / "pw").write_bytes("口令 with spaces\n".encode())
    (tmp_path / "wrong").write_bytes(b"nope\n")
    ok("demo-batch", tmp_path / "out", "--passphrase-file", tmp_path / "pw")
    batch = tmp_path / "out" / "demo.ticbatch"
    assert batch.read_bytes().startswith(b"age-encryption.org/v1\n")
    data = json.loads(ok("batch", "inspect", batch, "--passphrase-file", tmp_path / "pw", "--json"))
    assert data["batch_id"] == "TJTIC-2026-01"
    line = one_line_error(cli("batch", "inspect", batch, "--passphrase-file", tmp_path / "wrong"))
    assert "口令不正确" in line
    line = one_line_error(cli("batch", "inspect", batch, "--passphrase-file", tmp_path / "wrong", lang="en"))
    assert "passphrase is wrong" in line
    assert "口令" in one_line_error(cli("batch", "inspect", batch))


def test_build_from_a_source_folder_with_new_keys(tmp_path: Path) -> None:
    src = build_demo_source(tmp_path / "src", "term_end_evaluation")
    (tmp_path / "kp").write_text("Agency pass 2026\n")
    kp = ("--key-passphrase-file", tmp_path / "kp")
    out = ok("keys", "create", tmp_path / "agency", "--passphrase-file", tmp_path / "kp")
    fingerprint = re.search(r"SHA256:[A-Za-z0-9+/]{43}", out)
    assert fingerprint is not None
    recipient = (tmp_path / "agency" / "agency.agekey.pub").read_text().strip()
    assert recipient in out
    ok("batch", "build", src, "-o", tmp_path / "b.ticbatch", "--key", tmp_path / "agency", *kp, "--recipient", recipient)
    data = json.loads(ok("batch", "inspect", tmp_path / "b.ticbatch", "--identity", tmp_path / "agency" / "agency.agekey",
                         *kp, "--json"))
    assert data["agency_fingerprint"] == fingerprint.group(0)
    assert data["kind"] == "term_end_evaluation" and data["batch_id"] == "TJTIC-2026-T1"
    assert "私钥" in one_line_error(cli("batch", "inspect", tmp_path / "b.ticbatch"))
    # the keys are never overwritten
    assert "已有机构密钥" in one_line_error(cli("keys", "create", tmp_path / "agency", "--passphrase-file", tmp_path / "kp"))


def test_build_with_a_protected_signing_key(tmp_path: Path) -> None:
    src = build_demo_source(tmp_path / "src", "feasibility_review")
    (tmp_path / "kp").write_text("key pass 12345\n")
    ok("keys", "create", tmp_path / "agency", "--passphrase-file", tmp_path / "kp")
    line = one_line_error(cli("batch", "build", src, "-o", tmp_path / "b.ticbatch", "--key", tmp_path / "agency"))
    assert "--key-passphrase-file" in line and "[keys.passphrase_required]" in line
    ok("batch", "build", src, "-o", tmp_path / "b.ticbatch", "--key", tmp_path / "agency", "--key-passphrase-file", tmp_path / "kp")
    assert ok("batch", "inspect", tmp_path / "b.ticbatch").startswith("批次：")


def test_build_without_keys_says_how_to_make_them(tmp_path: Path) -> None:
    src = build_demo_source(tmp_path / "src")
    line = one_line_error(cli("batch", "build", src, "-o", tmp_path / "b.ticbatch", "--key", tmp_path / "nokeys"))
    assert f"tic-desktop keys create {tmp_path / 'nokeys'}" in line
    assert not (tmp_path / "b.ticbatch").exists()


def test_build_from_a_broken_spreadsheet_names_row_and_column(tmp_path: Path) -> None:
    src = build_demo_source(tmp_path / "src")
    shutil.copytree(Path(__file__).resolve().parents[2] / "resources" / "demo" / "agency", tmp_path / "agency")
    with (src / "experts.csv").open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    rows[3][4] = "专家"
    with (src / "experts.csv").open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    args = ("batch", "build", src, "-o", tmp_path / "b.ticbatch", "--key", tmp_path / "agency", "--demo")
    line = one_line_error(cli(*args))
    assert "experts.csv 第 4 行「角色」列：未知角色“专家”，应为 技术/财务/管理" in line
    line = one_line_error(cli(*args, lang="en"))
    assert "experts.csv, row 4, column “角色”: unknown role “专家”" in line
    assert not (tmp_path / "b.ticbatch").exists()


@pytest.mark.parametrize("content", [b"", b"garbage " * 500, b"PK\x03\x04" + b"\x00" * 100])
def test_inspect_garbage(tmp_path: Path, content: bytes) -> None:
    (tmp_path / "x.ticbatch").write_bytes(content)
    line = one_line_error(cli("batch", "inspect", tmp_path / "x.ticbatch"))
    assert line.startswith("错误：")


def test_inspect_missing_file(tmp_path: Path) -> None:
    one_line_error(cli("batch", "inspect", tmp_path / "missing.ticbatch"))


def test_inspect_of_a_score_sheet_says_what_it_is(tmp_path: Path) -> None:
    sheet = tmp_path / "E01.ticsheet"
    sheet.write_bytes(b"age-encryption.org/v1\n" + bytes(64))
    assert "评分表文件（.ticsheet）" in one_line_error(cli("batch", "inspect", sheet))
    assert "score sheet" in one_line_error(cli("batch", "inspect", sheet, lang="en"))


def test_usage_errors_are_one_line_in_the_users_language() -> None:
    assert "缺少必需的参数" in one_line_error(cli("batch", "build"))
    assert "required" in one_line_error(cli("batch", "build", lang="en"))
    assert "无效的取值" in one_line_error(cli("demo-batch", "x", "--kind", "acceptance"))
    # a bare unknown word is refused as a subcommand, not opened as a file
    for command in ("frobnicate", "verify-all"):
        assert "无效的取值" in one_line_error(cli(command))


def test_help_language() -> None:
    assert "用法：tic-desktop batch build" in ok("batch", "build", "--help")
    assert "usage: tic-desktop batch build" in ok("batch", "build", "--help", lang="en")
    environ = {k: v for k, v in os.environ.items() if k != "TIC_LANG"}
    r = subprocess.run([sys.executable, "-m", "tic_desktop", "--help"], capture_output=True, text=True,
                       env={**environ, "LANG": "en_US.UTF-8"}, timeout=60)
    assert r.returncode == 0 and "usage: tic-desktop" in r.stdout
    assert "子命令" in ok("--help")


# ── agency keys at rest (issue 11, finding 7) ───────────────────────────────────────────────

def test_keys_create_refuses_an_unprotected_or_weak_key(tmp_path: Path) -> None:
    line = one_line_error(cli("keys", "create", tmp_path / "a"))
    assert "--no-passphrase" in line and "[keys.passphrase_missing]" in line
    assert not (tmp_path / "a" / "agency_ed25519").exists()
    for weak, code in (("x", "passphrase.too_short"), ("abcdefghijkl", "passphrase.common"),
                       ("zhongguotianjinkeji", "passphrase.one_class")):
        (tmp_path / "weak").write_text(weak + "\n")
        line = one_line_error(cli("keys", "create", tmp_path / "a", "--passphrase-file", tmp_path / "weak", lang="en"))
        assert f"[{code}]" in line and "too weak" in line
        assert not (tmp_path / "a" / "agency_ed25519").exists()
    # both at once is a usage error
    (tmp_path / "kp").write_text("Agency pass 2026\n")
    one_line_error(cli("keys", "create", tmp_path / "a", "--passphrase-file", tmp_path / "kp", "--no-passphrase"))


def test_keys_create_no_passphrase_warns(tmp_path: Path) -> None:
    r = cli("keys", "create", tmp_path / "a", "--no-passphrase", lang="en")
    assert r.returncode == 0 and "SHA256:" in r.stdout
    assert "warning:" in r.stderr and "not protected by a passphrase" in r.stderr
    assert (tmp_path / "a" / "agency.agekey").read_text().startswith("# created:")
    # using it later warns again
    src = build_demo_source(tmp_path / "src")
    r = cli("batch", "build", src, "-o", tmp_path / "b.ticbatch", "--key", tmp_path / "a", lang="en")
    assert r.returncode == 0 and "not protected by a passphrase" in r.stderr


def test_the_protected_agekey_needs_the_passphrase_on_every_command(tmp_path: Path) -> None:
    import pyrage

    (tmp_path / "kp").write_text("Agency pass 2026\n")
    (tmp_path / "wrong").write_text("Agency pass 2025\n")
    ok("keys", "create", tmp_path / "agency", "--passphrase-file", tmp_path / "kp")
    agekey = tmp_path / "agency" / "agency.agekey"
    assert agekey.read_bytes().startswith(b"age-encryption.org/v1")
    assert "AGE-SECRET-KEY-1" in pyrage.passphrase.decrypt(agekey.read_bytes(), "Agency pass 2026").decode()
    src = build_demo_source(tmp_path / "src")
    ok("batch", "build", src, "-o", tmp_path / "b.ticbatch", "--key", tmp_path / "agency",
       "--key-passphrase-file", tmp_path / "kp")
    ok("simulate", tmp_path / "b.ticbatch", "-o", tmp_path / "sim")
    sheets = sorted((tmp_path / "sim").glob("*.ticsheet"))
    common = ("--batch", tmp_path / "b.ticbatch", "--identity", agekey)
    for command in (("sheets", "verify", *sheets, *common, "--allowed-signers", tmp_path / "sim" / "allowed_signers"),
                    ("consolidate", *common, "--allowed-signers", tmp_path / "sim" / "allowed_signers",
                     tmp_path / "sim", "-o", tmp_path / "out")):
        line = one_line_error(cli(*command))
        assert "--key-passphrase-file" in line and "[keys.passphrase_required]" in line
        line = one_line_error(cli(*command, "--key-passphrase-file", tmp_path / "wrong", lang="en"))
        assert "passphrase is wrong" in line and "[keys.wrong_passphrase]" in line
        r = cli(*command, "--key-passphrase-file", tmp_path / "kp")
        assert r.returncode == 0, r.stderr
        assert "警告" not in r.stderr
    assert (tmp_path / "out" / "results.csv").exists()
