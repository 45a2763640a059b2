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
