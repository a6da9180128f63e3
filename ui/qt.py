"""Every Qt import goes through this module, so a Qt upgrade touches one file."""

from PySide6.QtCore import (
    QObject,
    QSettings,
    Qt,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

__all__ = [
    "QAction",
    "QApplication",
    "QCloseEvent",
    "QKeySequence",
    "QLabel",
    "QLineEdit",
    "QListWidget",
    "QMainWindow",
    "QMessageBox",
    "QObject",
    "QProgressDialog",
    "QSettings",
    "QTimer",
    "QVBoxLayout",
    "QWidget",
    "Qt",
    "Signal",
    "Slot",
]

# Names the parts views (ui/parts/) use, appended on their own so branches merge cleanly.
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
)
from PySide6.QtGui import QBrush, QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTableView,
    QTabWidget,
)

__all__ += [
    "QAbstractItemModel",
    "QAbstractItemView",
    "QAbstractTableModel",
    "QBrush",
    "QCheckBox",
    "QColor",
    "QDialog",
    "QDialogButtonBox",
    "QFileDialog",
    "QFont",
    "QFormLayout",
    "QHBoxLayout",
    "QHeaderView",
    "QModelIndex",
    "QPersistentModelIndex",
    "QPlainTextEdit",
    "QPushButton",
    "QSpinBox",
    "QSplitter",
    "QTabWidget",
    "QTableView",
]
