"""生成批次 wizard: the demo source folder through to per-expert files that read back; a broken row is shown."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest

from tests.e2e.flow import wait_until
from tic_desktop.agency.workspace import AgencyWorkspace
from tic_desktop.demo import build_demo_source, copy_demo_keys
from tic_desktop.formats import age_passphrase
from tic_desktop.formats.batch import read_batch
from tic_desktop.ui.agency.batch_wizard import BatchWizard

PASS = "海河边-七座桥-灯火明"


@pytest.fixture(scope="module")
def demo_src(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_demo_source(tmp_path_factory.mktemp("demo") / "src")


@pytest.fixture()
def wizard(qtbot, tmp_path: Path) -> BatchWizard:  # noqa: ANN001
    agency = tmp_path / "agency"
    copy_demo_keys(agency / "keys")
    w = BatchWizard(agency / "keys", agency, agency / "agency.db", demo=True)  # the demo keys: the demo window
    qtbot.addWidget(w)
    w.resize(1100, 700)
    w.show()
    return w


def test_demo_source_to_per_expert_files(qtbot, wizard: BatchWizard, demo_src: Path, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(age_passphrase, "LOG_N", 10)
    assert not wizard.nextButton.isEnabled()
    wizard.ask_folder = lambda *_a: str(demo_src)
    wizard.browseButton.click()
    wizard.nextButton.click()
    wait_until(lambda: wizard.step() == 1)
    assert wizard.proposalsModel.rowCount() == 6 and wizard.expertsModel.rowCount() == 7
    assert not wizard.problemLabel.isVisible() and "6 个申报项目" in wizard.summaryLabel.text()
    assert wizard.proposalsModel.rows()[0][0] == "TJ-AI-01"
    wizard.nextButton.click()
    assert wizard.step() == 2
    out = tmp_path / "out"
    wizard.outEdit.setText(str(out))
    wizard.perExpertRadio.setChecked(True)
    # finding 5 of issue 17: no "too short" before anything is typed, only what to do
    assert wizard.errorLabel.text() == "请设置批次口令。" and not wizard.nextButton.isEnabled()
    wizard.passEdit.setText(PASS)
    assert not wizard.nextButton.isEnabled() and "不一致" in wizard.errorLabel.text()
    wizard.pass2Edit.setText(PASS)
    assert wizard.nextButton.isEnabled()
    added: list[str] = []
    wizard.batchAdded.connect(added.append)
    wizard.nextButton.click()
    wait_until(lambda: wizard.written, timeout=60_000)
    files = sorted(out.glob("*.ticbatch"))
    assert len(files) == 7 and wizard.filesList.count() == 7
    assert "已写入 7 个批次文件" in wizard.resultLabel.text() and "另行告知" in wizard.resultLabel.text()
    hashes = set()
    for f in files:
        with read_batch(f, passphrase=PASS.encode()) as opened:
            hashes.add(opened.manifest_sha256)
            assert f.name == f"{opened.manifest.batch_id}-{f.stem.split('-')[-1]}.ticbatch"
    assert len(hashes) == 1
    assert added
    with AgencyWorkspace.open(wizard.ws_path, check_location=False) as ws:
        [info] = ws.batches()
        assert info.batch_id == added[0] and info.manifest_sha256 in hashes


def test_a_broken_row_shows_its_error_and_blocks_export(qtbot, wizard: BatchWizard, demo_src: Path,
                                                       tmp_path: Path) -> None:
    src = tmp_path / "src"
    shutil.copytree(demo_src, src)
    path = src / "proposals.csv"
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(f))
    col = rows[0].index("类型") if "类型" in rows[0] else rows[0].index("center_type")
    rows[2][col] = "火星中心"
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows(rows)
    wizard.read_source(str(src))
    wait_until(lambda: wizard.step() == 1)
    assert wizard.problemLabel.isVisible()
    assert "第 3 行" in wizard.problemLabel.text() and "类型" in wizard.problemLabel.text()
    assert wizard.proposalsModel.bad_row == 1 and wizard.proposalsModel.rows()[1][0] == "3"
    assert not wizard.nextButton.isEnabled()


def test_a_source_with_panels_gives_one_batch_per_panel(qtbot, wizard: BatchWizard, demo_src: Path,
                                                         tmp_path: Path) -> None:
    from tests.unit.test_agency_build import panelled_source

    src = panelled_source(demo_src, tmp_path / "src")
    wizard.ask_folder = lambda *_a: str(src)
    wizard.browseButton.click()
    wizard.nextButton.click()
    wait_until(lambda: wizard.step() == 1)
    rows = wizard.expertsModel.rows()
    assert [r[-1] for r in rows] == ["第一组"] * 3 + ["第二组"] * 4  # the panel each expert is in, shown
    wizard.nextButton.click()
    assert wizard.perPanelRadio.isChecked() and wizard.perPanelRadio.isEnabled()
    assert not wizard.singleRadio.isEnabled()  # one batch may name only one chair
    out = tmp_path / "out"
    wizard.outEdit.setText(str(out))
    wizard.plainRadio.setChecked(True)
    wizard.nextButton.click()
    wait_until(lambda: wizard.written, timeout=60_000)
    files = sorted(out.glob("*.ticbatch"))
    assert [f.name.rsplit("-", 1)[1] for f in files] == ["P1.ticbatch", "P2.ticbatch"]
    with AgencyWorkspace.open(wizard.ws_path, check_location=False) as ws:
        titles = sorted(b.title.zh for b in ws.batches())
    assert len(titles) == 2 and titles[0].endswith("（第一组）") and titles[1].endswith("（第二组）")
