"""纸质核对 driven through its widgets: a demo batch with every simulated sheet imported, E04's printed
sheets scanned (200 dpi, noise, ±2°, JPEG) into a folder, one page stained over its code; decoded in the
background, the checklist, the unreadable page's thumbnail, matched by hand in the dialog with a reason
(audited), the checklist PDF exported; the scans kept by hash in the workspace."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from PySide6.QtWidgets import QDialog

from tests.scan_paper import cover_code, degrade, rasterise, save_pdf
from tests.ui.agency_setup import answer_next_dialog, ctx, demo_round, import_all  # noqa: F401 - fixtures
from tic_desktop.agency import scan_store
from tic_desktop.formats import sheet as sf
from tic_desktop.ui.agency.scan_page import ManualMatchDialog, ScanPage


@pytest.fixture()
def paper(ctx, demo_round: Path, tmp_path: Path) -> tuple[Path, dict[str, int]]:  # noqa: F811
    """A folder: E04's printed sheets, one PDF per proposal, the first proposal's page 1 stained."""
    import_all(ctx, demo_round / "sheets")
    got = sf.read_sheet(demo_round / "sheets" / "E04.ticsheet", ctx.batch, identity=ctx.identity)
    folder = tmp_path / "scans"
    folder.mkdir()
    counts = {}
    for i, (name, data) in enumerate(sorted((n, d) for n, d in got.members.items() if n.startswith("pdf/"))):
        pid = name[4:-4]
        pages = [degrade(p, angle=2 if j % 2 else -2, seed=j) for j, p in enumerate(rasterise(data))]
        if i == 0:
            pages[0] = cover_code(pages[0])
            pages[0].save(folder / f"{pid}-1.jpg", quality=60)
            save_pdf(pages[1:], folder / f"{pid}-rest.pdf")
        else:
            save_pdf(pages, folder / f"{pid}.pdf")
        counts[pid] = len(pages)
    return folder, counts


def _page(qtbot, ctx) -> ScanPage:  # noqa: F811
    page = ScanPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.set_context(ctx)
    page.show_message = lambda *a: page.__dict__.setdefault("messages", []).append(a)
    page.show()
    return page


def _rows(table) -> list[list[str]]:
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def test_scans_decoded_in_the_background_checked_and_matched_by_hand(qtbot, ctx, paper, tmp_path):  # noqa: F811
    folder, counts = paper
    first = sorted(counts)[0]
    page = _page(qtbot, ctx)
    assert page.summaryLabel.text().startswith("扫描文件 0 个")
    assert not page.manualButton.isEnabled()
    page.ask_folder = lambda: [folder]
    seen = []
    page.progressBar.valueChanged.connect(seen.append)
    page.addFolderButton.click()
    assert not page.progressBar.isHidden() and not page.addFilesButton.isEnabled()
    qtbot.waitUntil(lambda: not page._busy, timeout=60000)
    assert seen and max(seen) == sum(counts.values())
    checks = {(r[0].split()[0], r[1]): r for r in _rows(page.checkTable)}
    assert checks[("E04", first)][3] == "✘ 缺纸件" and checks[("E04", first)][5] == "1"
    assert all(checks[("E04", pid)][3] == "✔ 已匹配" for pid in counts if pid != first)
    assert checks[("E01", first)][3] == "✘ 缺纸件" and checks[("E01", first)][5] == "全部"
    [look] = _rows(page.pageTable)
    assert look[1] == f"{first}-1.jpg" and look[3] == "无法识别" and "二维码" in look[5]
    assert not page.pageTable.item(0, 0).icon().isNull()
    stored = scan_store.scans(ctx.ws, ctx.batch_id)
    assert len(stored) == len(os.listdir(folder)) and all(s.path.is_file() for s in stored)
    if os.environ.get("TIC_SCREENSHOT_DIR"):
        page.grab().save(str(Path(os.environ["TIC_SCREENSHOT_DIR"]) / "agency-scans.png"))

    # the same folder again: nothing new is kept
    page.addFolderButton.click()
    qtbot.waitUntil(lambda: not page._busy, timeout=60000)
    assert len(scan_store.scans(ctx.ws, ctx.batch_id)) == len(stored) and page.last_added == []

    page.pageTable.selectRow(0)
    assert page.manualButton.isEnabled()

    def fill(dialog: QDialog) -> None:
        assert isinstance(dialog, ManualMatchDialog)
        ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
        dialog.expertCombo.setCurrentIndex(dialog.expertCombo.findData("E04"))
        dialog.proposalCombo.setCurrentIndex(dialog.proposalCombo.findData(first))
        assert not ok.isEnabled()  # no reason yet
        dialog.pageSpin.setValue(1)
        dialog.pagesSpin.setValue(counts[first])
        dialog.reasonEdit.setPlainText("二维码被污渍覆盖；页眉项目编号与页脚摘要一致")
        assert ok.isEnabled()
        ok.click()

    answer_next_dialog(fill)
    page.manualButton.click()
    checks = {(r[0].split()[0], r[1]): r for r in _rows(page.checkTable)}
    assert checks[("E04", first)][3] == "✔ 已匹配"
    assert page.pageTable.rowCount() == 0
    event = ctx.ws.audit_events()[-1]
    assert event.action == "scan.match_by_hand"

    from tic_desktop.ui.agency.results_export import build_report

    report = build_report(ctx.ws, ctx.batch, "2026-03-02T10:00:00+08:00")  # 导出汇总结果 ends with the checklist
    assert report.scans is not None and report.scans.scans == len(stored)

    target = tmp_path / "核对表.pdf"
    page.ask_save = lambda _name: target
    page.exportButton.click()
    assert target.read_bytes().startswith(b"%PDF") and page.messages[-1][0] == "已导出核对表"


def test_a_file_that_is_not_a_scan_is_named(qtbot, ctx, tmp_path):  # noqa: F811
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nothing")
    page = _page(qtbot, ctx)
    page.ask_files = lambda: [bad]
    page.addFilesButton.click()
    qtbot.waitUntil(lambda: not page._busy, timeout=20000)
    assert page.messages and "broken.pdf" in page.messages[-1][1] and "scan.unreadable_file" in page.messages[-1][1]
    assert scan_store.scans(ctx.ws, ctx.batch_id) == []
