"""Walks every main screen and dialog of both modes on a screen of a given size and scale, and
reports what does not fit: run by tests/ui/test_screen_fit.py in a subprocess, because Qt reads
the screen (offscreen plugin config file) and the scale (QT_SCALE_FACTOR) once per process.

    QT_QPA_PLATFORM=offscreen:configfile=screen.json QT_SCALE_FACTOR=1.25 \
        python -m tests.ui.fit_driver OUT_DIR [SHOT_PREFIX]

Writes OUT_DIR/report.json ({screen: [problem, ...]}) and, when SHOT_PREFIX is given, a PNG of
each screen (OUT_DIR/SHOT_PREFIX-NAME.png).
"""

from __future__ import annotations

import json
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractScrollArea,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QWidget,
)

from tests.e2e.flow import (
    accept_pledge,
    choose_identity,
    declare_conflicts,
    pin_agency,
    wait_until,
)
from tic_desktop.ui.common.screen_fit import TITLE_BAR

CHECKED = (QLabel, QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox)
REPORT: dict[str, list[str]] = {}
SIZES: dict[str, list[int]] = {}
"""Screen -> [width, height, minimum width, minimum height] (logical pixels)."""


def _name(widget: QWidget) -> str:
    text = ""
    if isinstance(widget, QLabel | QAbstractButton):
        text = widget.text()[:24]
    return f"{type(widget).__name__}:{widget.objectName() or widget.accessibleName() or text}"


def _clipped(widget: QWidget) -> str | None:
    hint = widget.minimumSizeHint()
    if not hint.isValid():
        return None
    if isinstance(widget, QLabel) and widget.wordWrap():
        need = widget.heightForWidth(widget.width())
        if need > widget.height() + 1:
            return f"{_name(widget)} {widget.width()}x{widget.height()} needs height {need}"
        return None
    if isinstance(widget, QLabel) and not widget.text():
        return None
    if widget.width() + 1 < hint.width() or widget.height() + 1 < hint.height():
        return f"{_name(widget)} {widget.width()}x{widget.height()} < {hint.width()}x{hint.height()}"
    return None


def _inside_item_view(widget: QWidget, root: QWidget) -> bool:
    """A cell editor or a label drawn inside a table (rows are sized by the view, scrolled)."""
    parent = widget.parentWidget()
    while parent is not None and parent is not root:
        if isinstance(parent, QAbstractScrollArea) and type(parent).__name__ in (
                "QTableView", "QTableWidget", "QTreeView", "QTreeWidget", "QListView", "QListWidget"):
            return True
        parent = parent.parentWidget()
    return False


def check(name: str, window: QWidget, out: Path, prefix: str) -> None:
    QApplication.processEvents()
    QTest.qWait(30)
    problems: list[str] = []
    screen = window.screen() or QApplication.primaryScreen()
    avail = screen.availableGeometry()
    frame = window.frameGeometry()
    title = 0 if window.isMaximized() else TITLE_BAR  # a normal window's title bar is drawn above it
    if window.width() > avail.width() or window.height() + title > avail.height():
        problems.append(f"window {window.width()}x{window.height()} (+{title} title bar) larger than screen "
                        f"{avail.width()}x{avail.height()}")
    if not avail.contains(window.geometry() if window.isMaximized() else frame):
        problems.append(f"window at {frame.x()},{frame.y()} {frame.width()}x{frame.height()} outside {avail}")
    minimum = window.minimumSizeHint().expandedTo(window.minimumSize())
    if minimum.width() > avail.width() or minimum.height() > avail.height():
        problems.append(f"minimum size {minimum.width()}x{minimum.height()} larger than screen")
    for area in window.findChildren(QScrollArea):
        content = area.widget()
        if (area.isVisibleTo(window) and content is not None
                and area.horizontalScrollBarPolicy() == Qt.ScrollBarPolicy.ScrollBarAlwaysOff
                and content.width() > area.viewport().width() + 1):
            problems.append(f"{_name(area)} content {content.width()} wider than its view {area.viewport().width()}"
                            " with no horizontal scroll bar")
    for widget in window.findChildren(QWidget):
        if not isinstance(widget, CHECKED) or not widget.isVisibleTo(window):
            continue
        if widget.objectName().startswith("qt_") or _inside_item_view(widget, window):
            continue
        clipped = _clipped(widget)
        if clipped:
            problems.append(clipped)
    REPORT[name] = problems
    SIZES[name] = [window.width(), window.height(), minimum.width(), minimum.height()]
    if prefix:
        window.repaint()
        window.grab().save(str(out / f"{prefix}-{name}.png"), "PNG", 0)


def _dialog(make: Callable[[], Any], name: str, out: Path, prefix: str) -> None:
    dialog = make()
    wait_until(dialog.isVisible)
    check(name, dialog, out, prefix)
    dialog.close()
    dialog.deleteLater()
    QApplication.processEvents()


def scoring_room(window: Any) -> list[str]:
    """The scoring form shows its rows without a sideways scroll, with room for several criteria."""
    form = window.current_form()
    scroll = form._scroll  # noqa: SLF001 - the form's own scroll area
    problems = []
    if scroll.horizontalScrollBar().isVisible():
        problems.append(f"form content {scroll.widget().minimumSizeHint().width()} wider than its panel "
                        f"{scroll.viewport().width()}")
    if scroll.viewport().height() < 250:
        problems.append(f"only {scroll.viewport().height()} px of the form visible")
    return problems


def scoring_narrowest(window: Any, out: Path, prefix: str) -> list[str]:
    """The scoring panel at the narrowest width the splitter allows (issue 17 finding 2): no sideways
    scroll (the 否 radio, 小计 and 不适用 in view, Tab never slides the content), no label, button or
    input below its minimumSizeHint, criterion labels not wrapping a character or two a line, and an
    error message (“以 0.5 为步长”) shown whole."""
    from tests.e2e.flow import type_score

    splitter = window.ui.splitter
    before = splitter.sizes()
    splitter.setSizes([0, sum(before), 0])  # each panel clamps to its minimum; the document takes the rest
    QTest.qWait(50)
    problems = []
    for index in range(window.ui.formTabs.count()):
        window.ui.formTabs.setCurrentIndex(index)
        QTest.qWait(50)
        form = window.current_form()
        row = form.criterion_row(window._shown_forms[index].criteria[0].id)  # noqa: SLF001
        old = row.score_edit.text()
        type_score(row.score_edit, "7.3")  # off the step: the row shows its message
        QTest.qWait(50)
        scroll = form._scroll  # noqa: SLF001 - the form's own scroll area
        if scroll.horizontalScrollBar().isVisible() or scroll.widget().width() > scroll.viewport().width() + 1:
            problems.append(f"form {index}: content {scroll.widget().width()} wider than its panel "
                            f"{scroll.viewport().width()} at the narrowest splitter position")
        for widget in scroll.widget().findChildren(QWidget):
            if not isinstance(widget, CHECKED) or not widget.isVisibleTo(form):
                continue
            clipped = _clipped(widget)
            if clipped:
                problems.append(f"form {index}: {clipped}")
            rich = isinstance(widget, QLabel) and widget.textFormat() == Qt.TextFormat.RichText
            if isinstance(widget, QLabel) and widget.wordWrap() and widget.text() and not rich:
                metrics = widget.fontMetrics()
                need = min(metrics.horizontalAdvance(widget.text()), metrics.horizontalAdvance("一二三四五六"))
                if widget.contentsRect().width() < need:
                    problems.append(f"form {index}: {_name(widget)} only {widget.width()} px wide (wraps a few "
                                    "characters a line)")
        if not row.note.isVisible():
            problems.append(f"form {index}: no message for a score off the step")
        if prefix and index == 0:
            window.grab().save(str(out / f"{prefix}-expert-scoring-narrow.png"), "PNG", 0)
        row.score_edit.setFocus()
        row.score_edit.selectAll()
        QTest.keyClick(row.score_edit, Qt.Key.Key_Delete)  # typing clears the message
        type_score(row.score_edit, old)
    window.ui.formTabs.setCurrentIndex(0)
    splitter.setSizes(before)
    QTest.qWait(50)
    return problems


def page_shown(viewer: Any) -> list[str]:
    """The document pane shows some of the page, not a blank area (issue 17 finding 6: after zooming
    in at 125% the pane showed the cover page's empty top-left margin)."""
    from PySide6.QtGui import QImage

    image = viewer._view.viewport().grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)  # noqa: SLF001
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).value() < 128)
    sampled = ((image.height() + 1) // 2) * ((image.width() + 1) // 2)
    if dark < sampled * 0.002:
        return [f"the document pane shows a blank area at {round(viewer.zoom_factor() * 100)}% "
                f"(page {viewer.current_page() + 1}, {dark} dark pixels of {sampled})"]
    return []


def splitter_stays(window: Any) -> list[str]:
    """Panel widths stay where they are while scoring and across proposals (issue 17 finding 3)."""
    from tests.e2e.flow import type_score

    splitter = window.ui.splitter
    before = splitter.sizes()
    first = window.current_id
    form = window.current_form()
    criterion = window._shown_forms[0].criteria[0]  # noqa: SLF001
    type_score(form.criterion_row(criterion.id).score_edit, "3")
    window.proposals.select_next()
    wait_until(lambda: window.current_id != first)
    QTest.qWait(50)
    window.proposals.select_previous()
    wait_until(lambda: window.current_id == first)
    QTest.qWait(50)
    after = splitter.sizes()
    if any(abs(a - b) > 2 for a, b in zip(before, after, strict=True)):
        return [f"splitter sizes moved from {before} to {after}"]
    return []


def whole_fingerprint(page: Any) -> list[str]:
    """机构密钥 shows the whole fingerprint (issue 17: cut at "CHiC Z"): every character in the label,
    its wrapped lines within its height and width."""
    label = page.fingerprintLabel
    public = page.public()
    own = public.fingerprint if public is not None else ""
    text = "".join(label.text().split())
    problems = []
    if own and own not in text:
        problems.append(f"fingerprint label {label.text()!r} lacks {own}")
    rect = label.contentsRect()
    lines = label.heightForWidth(label.width())
    if not own or lines > label.height() + 1 or label.mapTo(page, rect.topRight()).x() > page.width():
        problems.append(f"fingerprint label {label.width()}x{label.height()} cut (needs height {lines})")
    return problems


def wizard_tables(wizard: Any) -> list[str]:
    """Step 2 (核对读取结果): the forms by their titles, and tables showing several rows, not three."""
    from PySide6.QtWidgets import QTableView

    problems = []
    for view in wizard.findChildren(QTableView):
        if not view.isVisibleTo(wizard) or view.model().rowCount() == 0:
            continue
        rows = view.viewport().height() / max(1, view.rowHeight(0))
        if rows < min(6, view.model().rowCount()):
            problems.append(f"table {view.accessibleName()} shows {rows:.1f} of {view.model().rowCount()} rows")
    cells = [str(cell) for row in wizard.proposalsModel.rows() for cell in row]
    ids = [cell for cell in cells if "feasibility_review" in cell or "rd_capacity_project" in cell]
    if ids:
        problems.append(f"raw form ids shown: {ids[:2]}")
    return problems


def expert_screens(app: Any, out: Path, prefix: str) -> None:
    window = app.window
    check("expert-start", window, out, prefix)
    app.open_demo()  # the demo, in its own workspace, with its 演示 banner
    pin_agency(app, lambda n, w: check("expert-" + n[3:], w, out, prefix))
    choose_identity(app, shot=lambda n, w: check("expert-" + n[3:], w, out, prefix))
    accept_pledge(app, lambda n, w: check("expert-" + n[3:], w, out, prefix))
    declare_conflicts(app, {}, lambda n, w: check("expert-" + n[3:], w, out, prefix))
    wait_until(lambda: window.ui.stack.currentWidget() is window.ui.reviewPage)
    wait_until(lambda: window.viewer.isVisible())
    QTest.qWait(300)
    check("expert-review", window, out, prefix)
    REPORT["expert-scoring-room"] = scoring_room(window)
    REPORT["expert-splitter"] = splitter_stays(window)
    REPORT["expert-scoring-narrow"] = scoring_narrowest(window, out, prefix)
    for _ in range(4):
        window.viewer._view.zoom_in()  # noqa: SLF001 - what the toolbar button does
    QTest.qWait(100)
    check("expert-review-zoomed", window, out, prefix)
    REPORT["expert-review-zoomed"] += page_shown(window.viewer)
    window.ui.centerTabs.setCurrentIndex(1)
    check("expert-budget", window, out, prefix)
    window.ui.centerTabs.setCurrentIndex(2)
    check("expert-kpi", window, out, prefix)
    window.ui.centerTabs.setCurrentIndex(0)

    _dialog(window.open_review, "expert-sign", out, prefix)
    for name, action in (("guide", window.ui.guideAction), ("pledge-read", window.ui.pledgeAction),
                         ("settings", window.ui.settingsAction), ("conflicts-edit", window.ui.conflictsAction)):
        action.trigger()
        _dialog(lambda: app.dialog, "expert-" + name, out, prefix)


def agency_screens(app: Any, out: Path, prefix: str) -> None:
    from tic_desktop.app import app_modes

    agency = app_modes(app).show_agency(demo=True)
    wait_until(agency.isVisible)
    for index, name in enumerate(agency.page_names()):
        agency.show_page(name)
        QTest.qWait(50)
        check(f"agency-{index}", agency, out, prefix)
        if index == 0:
            REPORT["agency-0"] += whole_fingerprint(agency.keys_page)
    round_screens(agency, out, prefix)
    wizard = agency.wizard
    agency.show_page(agency.page_names()[1])
    wizard.read_source()
    reading = wizard.errorLabel.text()  # 正在读取源文件夹… in the language shown (English: the wait ended at once)
    wait_until(lambda: wizard.step() > 0 or wizard.errorLabel.text() != reading, 60)
    for step in (1, 2, 3):
        wizard.go(step)
        QTest.qWait(50)
        check(f"agency-wizard-{step + 1}", agency, out, prefix)
        if step == 1:
            REPORT["agency-wizard-2"] += wizard_tables(wizard)


def round_screens(agency: Any, out: Path, prefix: str) -> None:
    """The 评审轮次 page with a round of the demo batch consolidated: every tab."""
    page = agency.round_page
    agency.show_page(agency.page_names()[agency.page_index(page)])
    page.show_message = lambda *_: None
    page.new_round(("R2027-DEMO", "2027 年度专业性技术创新中心评估（演示）", 2027))
    page.add_batches([b.batch_id for b in page.available_batches()])
    wait_until(lambda: not page.busy and page.report is not None, 120)
    for i in range(page.tabs.count()):
        page.tabs.setCurrentIndex(i)
        QTest.qWait(50)
        check(f"agency-round-{i}", agency, out, prefix)


def main(argv: list[str]) -> int:
    out = Path(argv[1])
    prefix = argv[2] if len(argv) > 2 else ""
    out.mkdir(parents=True, exist_ok=True)
    from tic_desktop.app import create_app

    data = Path(tempfile.mkdtemp())
    app = create_app(["tic-desktop"], data_dir=data)
    QTest.qWait(50)
    app.window.activateWindow()
    try:
        expert_screens(app, out, prefix)
        agency_screens(app, out, prefix)
    finally:
        report = {"problems": REPORT, "sizes": SIZES,
                  "screen": list(QApplication.primaryScreen().availableGeometry().getRect())}
        (out / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), "utf-8")
    app.shutdown()
    return 0


if __name__ == "__main__":
    sys.argv[0] = "tic-desktop"
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    raise SystemExit(main(sys.argv))
