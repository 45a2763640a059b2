"""Settings and the guide dialog."""

from __future__ import annotations

from tic_desktop.ui.common.guide_dialog import GuideDialog
from tic_desktop.ui.common.settings_dialog import Settings, SettingsDialog


def test_settings_round_trip(qtbot) -> None:
    dialog = SettingsDialog(Settings("zh", False))
    qtbot.addWidget(dialog)
    dialog.ui.languageCombo.setCurrentIndex(dialog.ui.languageCombo.findData("en"))
    dialog.ui.largeFontCheck.setChecked(True)
    assert dialog.value() == Settings("en", True)


def test_guide_in_both_languages(qtbot) -> None:
    zh = GuideDialog("zh")
    en = GuideDialog("en")
    qtbot.addWidget(zh)
    qtbot.addWidget(en)
    assert "Ctrl+PgDown" in zh.ui.textBrowser.toPlainText() and "回避" in zh.ui.textBrowser.toPlainText()
    assert "passphrase" in en.ui.textBrowser.toPlainText()
