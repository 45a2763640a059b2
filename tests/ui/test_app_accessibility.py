"""Every input control of the expert's own screens has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tic_desktop.core.proposal import Proposal
from tic_desktop.ui.common.agency_pin_dialog import AgencyPinDialog
from tic_desktop.ui.common.guide_dialog import GuideDialog
from tic_desktop.ui.common.passphrase_dialog import PassphraseDialog
from tic_desktop.ui.common.settings_dialog import Settings, SettingsDialog
from tic_desktop.ui.expert.conflicts_dialog import ConflictsDialog
from tic_desktop.ui.expert.key_dialog import KeyDialog
from tic_desktop.ui.expert.pledge_dialog import PledgeDialog
from tic_desktop.ui.expert.start_page import StartPage


def _unnamed(root: QWidget) -> list[str]:
    missing = []
    for widget in root.findChildren(QWidget):
        parent = widget.parent()
        if parent is not None and parent.metaObject().className() in ("QComboBox", "QComboBoxPrivateContainer"):
            continue  # a combo box's own popup: the combo box carries the name
        if isinstance(widget, QHeaderView) or widget.objectName() in ("cornerbutton",) \
                or widget.objectName().startswith("qt_"):
            continue  # Qt's parts of item views
        if isinstance(widget, QAbstractButton):
            if not (widget.accessibleName() or widget.text()):
                missing.append(widget.objectName() or type(widget).__name__)
        elif isinstance(widget, QLineEdit | QComboBox | QPlainTextEdit | QTextEdit | QAbstractItemView):
            if type(widget).__name__ == "QComboBoxListView":
                continue
            if not widget.accessibleName():
                missing.append(widget.objectName() or type(widget).__name__)
    return missing


def test_dialogs_and_start_page_have_accessible_names(qtbot) -> None:
    proposal = Proposal(id="P1", center_name="中心", center_type="comprehensive", lead_unit="大学",
                        field="人工智能", forms=("feasibility_review",))
    screens = [
        StartPage(), PassphraseDialog(), AgencyPinDialog("机构", "SHA256:" + "A" * 43),
        KeyDialog("张三", create=True), PledgeDialog("zh", ""), ConflictsDialog([proposal], {}, "zh"),
        SettingsDialog(Settings()), GuideDialog("zh"),
    ]
    for screen in screens:
        qtbot.addWidget(screen)
        assert _unnamed(screen) == [], type(screen).__name__


def _focusable_without_name(root: QWidget) -> list[str]:
    """Every visible, enabled control that takes keyboard focus and has no name in the QAccessible tree."""
    from PySide6.QtGui import QAccessible
    from PySide6.QtWidgets import QScrollBar

    missing = []
    for widget in root.findChildren(QWidget):
        if not (widget.isVisible() and widget.isEnabled() and widget.focusPolicy() & Qt.FocusPolicy.TabFocus):
            continue
        if isinstance(widget, QScrollBar) or widget.objectName().startswith("qt_"):
            continue
        if widget.focusProxy() is not None:
            continue  # the proxy is the control
        iface = QAccessible.queryAccessibleInterface(widget)
        name = iface.text(QAccessible.Text.Name) if iface is not None else ""
        if not name.strip():
            text = widget.text() if hasattr(widget, "text") and callable(widget.text) else ""
            missing.append(f"{type(widget).__name__}:{widget.objectName()}:{str(text)[:20]}")
    return missing


def test_every_focusable_control_of_both_windows_has_a_name_and_the_keyboard_reaches_them(
        qtbot, tmp_path) -> None:
    """Issue 17 finding 7: walk the review page (documents, budget, KPIs, scoring form), the review
    dialog and every agency page; Ctrl+1/2/3, Ctrl+Shift+PgDown in a menu, F1 and Ctrl+N in agency mode."""
    from PySide6.QtTest import QTest

    from tests.e2e.flow import wait_until, walk_to_review
    from tic_desktop.app import app_modes, create_app
    app = create_app(["tic-desktop"], data_dir=tmp_path / "data")
    window = app.window
    qtbot.addWidget(window)
    app.open_demo()  # the demo workspace (the demo key opens only there), its 演示 marker walked too
    walk_to_review(app)
    wait_until(lambda: window.viewer.isVisible())
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    problems = {}
    for tab in range(window.ui.centerTabs.count()):
        window.ui.centerTabs.setCurrentIndex(tab)
        QTest.qWait(20)
        problems[f"review tab {tab}"] = _focusable_without_name(window)
    window.ui.centerTabs.setCurrentIndex(0)

    texts = [a.text() for a in window.ui.reviewMenu.actions()]
    shortcuts = [a.shortcut().toString() for a in window.ui.reviewMenu.actions()]
    assert "Ctrl+Shift+PgDown" in shortcuts and any("F6" in t for t in texts)
    QTest.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert window.proposals.focus_target().hasFocus()
    QTest.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    focused = QApplication.focusWidget()
    assert focused is not None and window.current_form().isAncestorOf(focused)
    QTest.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert window.ui.centerTabs.isAncestorOf(QApplication.focusWidget())

    dialog = window.open_review()
    qtbot.waitUntil(dialog.isVisible)
    problems["review dialog"] = _focusable_without_name(dialog)
    assert not dialog.folderEdit.isReadOnly()  # the folder can be typed
    dialog.close()

    agency = app_modes(app).show_agency(demo=True)
    qtbot.waitUntil(agency.isVisible)
    agency.activateWindow()
    qtbot.waitUntil(agency.isActiveWindow)
    for index, name in enumerate(agency.page_names()):
        QTest.keyClick(agency, getattr(Qt.Key, f"Key_{index + 1}"), Qt.KeyboardModifier.ControlModifier)
        assert agency.stack.currentIndex() == index, name
        QTest.qWait(20)
        problems[f"agency {name}"] = _focusable_without_name(agency)
    page = agency.round_page  # 评审轮次: every tab, with a round to work on
    agency.show_page(agency.page_names()[agency.page_index(page)])
    page.new_round(("R2027-A11Y", "2027 年度评估", 2027))
    for tab in range(page.tabs.count()):
        page.tabs.setCurrentIndex(tab)
        QTest.qWait(20)
        problems[f"agency round tab {tab}"] = _focusable_without_name(agency)
    QTest.keyClick(agency, Qt.Key.Key_F1)
    qtbot.waitUntil(lambda: getattr(agency, "guide", None) is not None and agency.guide.isVisible())
    agency.guide.close()
    # the demo's returned sheets are simulated in the background: let that finish before tmp_path goes
    qtbot.waitUntil(agency.import_page.demoButton.isEnabled, timeout=180_000)
    bad = {k: v for k, v in problems.items() if v}
    assert bad == {}, "\n".join(f"{k}: {v}" for k, v in bad.items())
    app.shutdown()
