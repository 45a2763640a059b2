"""agency.build: the batch wizard's and `batch build`'s shared steps (source report, layouts, read-back)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tic_desktop.agency import build
from tic_desktop.demo import build_demo_source, demo_agency_dir
from tic_desktop.formats.batch import read_batch
from tic_desktop.formats.keys import load_agency_keys


@pytest.fixture(scope="module")
def demo_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_source(tmp_path_factory.mktemp("demo") / "src")


def test_a_good_source_gives_a_spec_and_its_tables(demo_src: Path) -> None:
    report = build.inspect_source(demo_src)
    assert report.error is None and report.spec is not None
    assert len(report.spec.proposals) == len(report.tables["proposals"].rows) == 6
    assert len(report.spec.experts) == len(report.tables["experts"].rows)


def test_a_broken_row_is_reported_with_its_row_and_the_rows_stay_visible(
    demo_src: Path, tmp_path: Path
) -> None:
    src = tmp_path / "src"
    import shutil

    shutil.copytree(demo_src, src)
    path = src / "experts.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    role = rows[0].index("角色") if "角色" in rows[0] else rows[0].index("role")
    rows[3][role] = "厨师"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    report = build.inspect_source(src)
    assert report.spec is None and report.error is not None
    assert "第 4 行" in report.error.text("zh") and "角色" in report.error.text("zh")
    assert report.error_row("experts") == 4 and report.error_row("proposals") is None
    assert len(report.tables["experts"].rows) == len(rows) - 1


def test_per_expert_files_carry_the_same_signed_batch(demo_src: Path, tmp_path: Path) -> None:
    keys = load_agency_keys(demo_agency_dir())
    spec = build.inspect_source(demo_src).spec
    assert spec is not None
    seen: list[tuple[int, int]] = []
    written = build.write_batches(
        spec,
        keys,
        tmp_path / "out",
        layout="per_expert",
        passphrase=b"pass-2026-demo",
        work_factor=10,
        progress=lambda d, t: seen.append((d, t)),
    )
    assert [w.expert_id for w in written] == [e.id for e in spec.experts]
    assert len({w.manifest_sha256 for w in written}) == 1
    assert seen[-1] == (len(spec.experts) + 1, len(spec.experts) + 1)
    for w in written:
        assert w.path.name == f"{spec.batch_id}-{w.expert_id}.ticbatch"
        with read_batch(w.path, passphrase=b"pass-2026-demo", pinned_fingerprint=keys.fingerprint) as opened:
            assert opened.manifest_sha256 == w.manifest_sha256


def test_one_unencrypted_file_and_the_agency_copy(demo_src: Path, tmp_path: Path) -> None:
    keys = load_agency_keys(demo_agency_dir())
    spec = build.inspect_source(demo_src).spec
    assert spec is not None
    [single] = build.write_batches(spec, keys, tmp_path / "out")
    assert single.path.name == f"{spec.batch_id}.ticbatch" and not single.encrypted
    copy = build.write_agency_copy(spec, keys, tmp_path / "agency" / "b.ticbatch")
    with read_batch(copy.path, identity=keys.age_identity_text()) as opened:
        assert opened.manifest.batch_id == spec.batch_id
    with pytest.raises(Exception):  # noqa: B017 - encrypted to the agency: unreadable without its key
        read_batch(copy.path)


# ── panels (专家组): one batch per panel ──────────────────────────────────────────────────────

PANELS = {"E01": ("第一组", True, "TJ-AI-01;TJ-SB-02;TJ-IM-03"), "E02": ("第一组", False, "TJ-AI-01;TJ-SB-02;TJ-IM-03"),
          "E03": ("第一组", False, "TJ-AI-01;TJ-SB-02;TJ-IM-03"), "E04": ("第二组", True, "TJ-BM-04;TJ-NE-05;TJ-NM-06"),
          "E05": ("第二组", False, "TJ-BM-04;TJ-NE-05;TJ-NM-06"), "E06": ("第二组", False, "TJ-BM-04;TJ-NE-05;TJ-NM-06"),
          "E07": ("第二组", False, "TJ-BM-04;TJ-NE-05;TJ-NM-06")}


def panelled_source(demo_src: Path, dest: Path, edit: dict[str, tuple[str, bool, str]] | None = None) -> Path:
    """The demo source with a 专家组 column: E01–E03 score the first three proposals, E04–E07 the rest."""
    import shutil

    shutil.copytree(demo_src, dest)
    path = dest / "experts.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    head = rows[0]
    chair, assigned, conflicts = head.index("组长"), head.index("评审项目"), head.index("回避项目")
    head.append("专家组")
    for row in rows[1:]:
        panel, is_chair, props = (edit or PANELS)[row[0]]
        row[chair], row[assigned], row[conflicts] = ("是" if is_chair else "否"), props, ""
        row.append(panel)
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    return dest


def test_panels_split_into_one_batch_each_with_only_their_proposals(demo_src: Path, tmp_path: Path) -> None:
    src = panelled_source(demo_src, tmp_path / "src")
    spec = build.inspect_source(src).spec
    assert spec is not None and spec.panels["E04"] == "第二组"
    parts = build.split_by_panel(spec)
    assert [(panel, sub.batch_id) for panel, sub in parts] == [
        ("第一组", f"{spec.batch_id}-P1"), ("第二组", f"{spec.batch_id}-P2")]
    first, second = parts[0][1], parts[1][1]
    assert [p.id for p in first.proposals] == ["TJ-AI-01", "TJ-SB-02", "TJ-IM-03"]
    assert [e.id for e in second.experts] == ["E04", "E05", "E06", "E07"] and second.title.zh.endswith("（第二组）")
    assert all(k.split("/")[1] in {"TJ-AI-01", "TJ-SB-02", "TJ-IM-03"} for k in first.documents)
    keys = load_agency_keys(demo_agency_dir())
    written = build.write_batches(spec, keys, tmp_path / "out", layout="per_panel",
                                  agency_copy=tmp_path / "copies" / "batch.ticbatch")
    assert [w.path.name for w in written] == [f"{spec.batch_id}-P1.ticbatch", f"{spec.batch_id}-P2.ticbatch"]
    for w, (_panel, sub) in zip(written, parts, strict=True):
        with read_batch(w.path) as opened:
            assert opened.manifest.batch_id == sub.batch_id and opened.manifest.chair is not None
            assert sorted(opened.proposals) == sorted(p.id for p in sub.proposals)
    assert sorted(p.name for p in (tmp_path / "copies").iterdir()) == [w.path.name for w in written]


@pytest.mark.parametrize(("change", "says"), [
    ({"E03": ("", False, "TJ-AI-01")}, "每位专家都要填写所属专家组"),
    ({"E02": ("第一组", True, "TJ-AI-01;TJ-SB-02;TJ-IM-03")}, "专家组“第一组”应恰好有一位组长"),
    ({"E05": ("第二组", False, "TJ-AI-01;TJ-NE-05")}, "分给了多个专家组"),
])
def test_panel_mistakes_are_named(demo_src: Path, tmp_path: Path, change: dict, says: str) -> None:
    src = panelled_source(demo_src, tmp_path / "src", {**PANELS, **change})
    report = build.inspect_source(src)
    assert report.spec is None and report.error is not None and says in report.error.text("zh")


def test_batch_build_on_the_command_line_writes_one_file_per_panel(demo_src: Path, tmp_path: Path) -> None:
    import subprocess
    import sys

    src = panelled_source(demo_src, tmp_path / "src")
    out = tmp_path / "round.ticbatch"
    r = subprocess.run([sys.executable, "-m", "tic_desktop", "batch", "build", str(src), "-o", str(out),
                        "--key", str(demo_agency_dir()), "--demo"], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert [line.split("：")[1].split("（")[0] for line in r.stdout.splitlines() if line.startswith("已生成批次文件")] == [
        str(tmp_path / "round-P1.ticbatch"), str(tmp_path / "round-P2.ticbatch")]
    assert not out.exists()
