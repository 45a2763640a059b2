"""Every input control of the expert's own screens has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from tic_desktop.core.proposal import Proposal
from tic_desktop.ui.agency_pin_dialog import AgencyPinDialog
from tic_desktop.ui.conflicts_dialog import ConflictsDialog
from tic_desktop.ui.guide_dialog import GuideDialog
from tic_desktop.ui.key_dialog import KeyDialog
from tic_desktop.ui.passphrase_dialog import PassphraseDialog
from tic_desktop.ui.pledge_dialog import PledgeDialog
from tic_desktop.ui.settings_dialog import Settings, SettingsDialog
from tic_desktop.ui.start_page import StartPage


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
