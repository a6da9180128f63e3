"""The language of this workstation's window: RepairShop's catalogues and Qt's own dialogs.

The choice is the desk's (kept in its QSettings); empty means the desktop's
language. :func:`apply_language` switches both RepairShop's strings (gettext,
:mod:`repairshop.i18n`) and Qt's own texts (``qtbase_<lang>.qm`` shipped with
PySide6: the buttons of message boxes, file and print dialogs, the context menu
of a text field) and sets Qt's default locale, so dates in date edits follow.
Widgets take their texts when they are built: the app rebuilds the window after
a switch (``ui/app.py``).
"""

from __future__ import annotations

import logging

from repairshop.i18n import (
    LANGUAGE_NAMES,
    LANGUAGES,
    SOURCE_LANGUAGE,
    normalise_language,
    set_ui_language,
    system_language,
)
from ui.qt import (
    QApplication,
    QComboBox,
    QCoreApplication,
    QLibraryInfo,
    QLocale,
    QSettings,
    QTranslator,
)

LANGUAGE_KEY = "workstation/language"
"""This desk's chosen language; empty or missing: the desktop's."""

log = logging.getLogger(__name__)
_qt_translator: QTranslator | None = None


def add_languages(combo: QComboBox, current: str | None = None) -> None:
    """Every language RepairShop speaks, each by its own name with its code as the item's
    data; ``current`` (if given and known) is chosen, else the first item."""
    for language in LANGUAGES:
        combo.addItem(LANGUAGE_NAMES[language], language)
    if current is not None:
        combo.setCurrentIndex(max(combo.findData(current), 0))


def chosen_language(state: QSettings) -> str:
    """The language code chosen at this desk, or ``""`` for the desktop's."""
    value = state.value(LANGUAGE_KEY, "")
    return normalise_language(value) if isinstance(value, str) and value else ""


def effective_language(state: QSettings) -> str:
    return chosen_language(state) or system_language()


def apply_language(language: str) -> str:
    """Switch RepairShop's and Qt's texts to ``language``; returns the language used."""
    global _qt_translator  # noqa: PLW0603 - one Qt translator per application
    used = set_ui_language(language)
    QLocale.setDefault(QLocale(used))
    app = QCoreApplication.instance()
    if app is None:
        return used
    if _qt_translator is not None:
        app.removeTranslator(_qt_translator)
        _qt_translator = None
    if used != SOURCE_LANGUAGE:
        translator = QTranslator(app)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(f"qtbase_{used}", folder):
            app.installTranslator(translator)
            _qt_translator = translator
        else:  # pragma: no cover - PySide6 ships qtbase for every language RepairShop has
            log.warning("Qt's own translation for %s was not found in %s", used, folder)
    if isinstance(app, QApplication):
        app.setLayoutDirection(QLocale(used).textDirection())
    return used
