"""Every Qt import goes through this module, so a Qt upgrade touches one file."""

import ctypes
import sys

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QDate,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QPoint,
    QSettings,
    QSize,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import (
    QAction,
    QBrush,
    QCloseEvent,
    QColor,
    QFont,
    QKeyEvent,
    QKeySequence,
    QShortcut,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSpinBox,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)


def _immortalise_singletons() -> None:
    """Work around PySide6 6.12 on Python 3.11: make ``None``, ``True`` and ``False`` immortal.

    PySide6 6.12.0 hands ``None`` back from every void method (``widget.hide()``,
    ``label.setText()``) without taking a new reference, as Python 3.12+ allows for
    its immortal ``None`` (PEP 683). On 3.11 each call takes one reference from
    ``None`` for good; a few thousand calls later Python aborts ("none_dealloc", and
    the same for booleans). Python 3.12 needs nothing; on 3.11 the three objects get
    a reference count no program can spend, which is what 3.12 does for them.
    """
    if sys.version_info >= (3, 12):
        return
    for singleton in (None, True, False):
        reference_count = ctypes.c_ssize_t.from_address(id(singleton))
        if reference_count.value < 1 << 40:
            reference_count.value += 1 << 40


_immortalise_singletons()

__all__ = [
    "QAbstractItemView",
    "QAbstractTableModel",
    "QAction",
    "QApplication",
    "QBrush",
    "QByteArray",
    "QCheckBox",
    "QCloseEvent",
    "QColor",
    "QComboBox",
    "QDate",
    "QDateEdit",
    "QFont",
    "QFormLayout",
    "QFrame",
    "QGridLayout",
    "QGroupBox",
    "QHBoxLayout",
    "QHeaderView",
    "QKeyEvent",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListWidget",
    "QListWidgetItem",
    "QLocale",
    "QMainWindow",
    "QMenu",
    "QMessageBox",
    "QModelIndex",
    "QObject",
    "QPersistentModelIndex",
    "QPlainTextEdit",
    "QPoint",
    "QProgressDialog",
    "QPushButton",
    "QScrollArea",
    "QSettings",
    "QShortcut",
    "QSize",
    "QSizePolicy",
    "QSpinBox",
    "QStandardItem",
    "QStandardItemModel",
    "QTabWidget",
    "QTableView",
    "QThread",
    "QTimer",
    "QToolBar",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
]
