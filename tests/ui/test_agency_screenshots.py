"""Screenshots of the agency screens after the batch exists, for people to look at (and a check that
the pages fit the window): TIC_SCREENSHOT_DIR (default a temp dir).

    TIC_SCREENSHOT_DIR=docs/screenshots pytest tests/ui/test_agency_screenshots.py

The committed docs/screenshots/agency-*.png were then reduced to 256 colours, as the expert ones:
    python -c "from PIL import Image; [Image.open(p).convert('RGB').quantize(256).save(p, optimize=True) for p in ...]"
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

from tests.ui.agency_setup import answer_next_dialog, demo_round, periodic_round, sheet_files  # noqa: F401 - fixtures
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT


def _grab(folder: Path, name: str, widget: QWidget) -> Path:
    QApplication.processEvents()
    widget.repaint()
    path = folder / f"{name}.png"
    assert widget.grab().save(str(path), "PNG", 0)
    return path


def test_screenshots_of_the_agency_pages(qtbot, demo_round: Path, tmp_path: Path) -> None:  # noqa: F811
    from tic_desktop.agency.workspace import AgencyWorkspace
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    folder = Path(os.environ.get("TIC_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    agency_dir = tmp_path / "agency"
    shutil.copytree(demo_round / "agency", agency_dir / "keys")
    identity = (agency_dir / "keys" / "agency.agekey").read_text("ascii")
    with AgencyWorkspace.open(agency_dir / "agency.db", check_location=False) as ws:
        info = ws.add_batch(demo_round / "demo.ticbatch", identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
        ws.pin_allowed_signers(info.batch_id, (demo_round / "sheets" / "allowed_signers").read_text("utf-8"))
    window = AgencyWindow(agency_dir, demo=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    written = []

    importer = window.import_page
    window.show_page("导入评分表")
    importer.add_paths(sheet_files(demo_round / "sheets")[:6])
    qtbot.waitUntil(lambda: not importer.is_busy(), timeout=20000)
    importer.add_paths([demo_round / "sheets" / "E02.ticsheet"])  # again: a no-op
    qtbot.waitUntil(lambda: not importer.is_busy(), timeout=20000)
    bad = tmp_path / "E07-传输损坏.ticsheet"
    raw = bytearray((demo_round / "sheets" / "E07.ticsheet").read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    bad.write_bytes(bytes(raw))
    importer.add_paths([bad, demo_round / "sheets" / "E07.ticsheet"])
    qtbot.waitUntil(lambda: not importer.is_busy(), timeout=20000)
    written.append(_grab(folder, "agency-import", window))

    page = window.consolidation_page
    window.show_page("汇总结果")
    qtbot.waitUntil(lambda: page.consolidation is not None and not page.is_busy(), timeout=20000)
    page.select_row(0)
    QTest.qWait(50)
    written.append(_grab(folder, "agency-consolidation", window))

    opinion = window.opinion_page
    window.show_page("专家组意见")
    qtbot.waitUntil(lambda: bool(opinion.inputs), timeout=20000)
    opinion.select(page.current.proposal_id, page.current.form_id)
    opinion.sectionEdits["overall"].setPlainText("该中心建设方案定位清晰，依托单位基础较好，建设目标总体可行。")
    opinion.sectionEdits["problems"].setPlainText("部分建设目标量化不足，年度分解不够清晰。")
    qtbot.waitUntil(lambda: opinion.savedLabel.text().startswith("已保存 "), timeout=5000)
    tree = opinion.commentTree
    tree.setCurrentItem(tree.topLevelItem(0).child(0))
    written.append(_grab(folder, "agency-opinion", window))
    for path in written:
        assert path.stat().st_size > 5000, path
    window.shutdown()


def test_screenshot_of_a_periodic_assessment(qtbot, periodic_round: Path, tmp_path: Path) -> None:  # noqa: F811
    """汇总结果 of a periodic assessment: grade, outcome (award, 撤并转 path), award, the 优秀 cap per center type."""
    from tic_desktop.agency.importer import import_sheets
    from tic_desktop.agency.workspace import AgencyWorkspace
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    folder = Path(os.environ.get("TIC_SCREENSHOT_DIR") or tmp_path / "screenshots")
    folder.mkdir(parents=True, exist_ok=True)
    agency_dir = tmp_path / "agency"
    shutil.copytree(periodic_round / "agency", agency_dir / "keys")
    identity = (agency_dir / "keys" / "agency.agekey").read_text("ascii")
    with AgencyWorkspace.open(agency_dir / "agency.db", check_location=False) as ws:
        info = ws.add_batch(periodic_round / "demo.ticbatch", identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
        ws.pin_allowed_signers(info.batch_id, (periodic_round / "sheets" / "allowed_signers").read_text("utf-8"))
        with ws.open_batch(info.batch_id, identity) as batch:
            import_sheets(ws, batch, identity, sheet_files(periodic_round / "sheets"))
    window = AgencyWindow(agency_dir, demo=True)
    qtbot.addWidget(window)
    window.resize(1280, 800)
    window.show()
    page = window.consolidation_page
    window.show_page("汇总结果")
    qtbot.waitUntil(lambda: page.consolidation is not None and not page.is_busy(), timeout=20000)
    # an engineering research center: its rank within its own type, the 撤并转 counts, the small-cohort flag
    shown = next(i for i, r in enumerate(page.results()) if r.capped or r.center_type == "engineering")
    page.select_row(shown)
    page.tabs.setCurrentIndex(1)
    QTest.qWait(50)
    path = _grab(folder, "agency-periodic", window)
    assert path.stat().st_size > 5000
    window.shutdown()
