"""Translations: Chinese is the UI's source language; English comes from resources/translations.

Qt's own qtbase translation is loaded too, so standard buttons speak the same language.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from tic_desktop.paths import resources_dir

_installed: list[QTranslator] = []


def install_translators(app: QApplication, lang: str) -> None:
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    if lang.startswith("en"):
        ours = QTranslator(app)
        if ours.load(str(resources_dir() / "translations" / "tic_desktop_en.qm")):
            app.installTranslator(ours)
            _installed.append(ours)
        QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
        return
    qt_own = QTranslator(app)
    if qt_own.load("qtbase_zh_CN", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt_own)
        _installed.append(qt_own)
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
