"""The window's file dialogs: where to open a file from and where to save one, starting in the last folder
used; a name typed without a suffix gets the one of the file type chosen."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QWidget

from gui import settings as app_settings


def suffix_of(file_type: str, default: str = "") -> str:
    """The first suffix a file type of a dialog filter names ('PNG image (*.png)' -> '.png'), else ``default``."""
    match = re.search(r"\*(\.[\w.]+)", file_type)
    return match.group(1) if match else default


def ask_open_path(parent: QWidget, title: str, filters: str) -> str | None:
    """The file the user picks to open, or None when they cancel."""
    path, _ = QFileDialog.getOpenFileName(parent, title, app_settings.last_folder(), filters)
    return path or None


def ask_save_path(parent: QWidget, title: str, name: str, filters: str) -> str | None:
    """Where the user saves (``name`` in the last folder to start with), or None when they cancel. A name
    without a suffix gets the chosen file type's (the first file type's when the chosen one names none)."""
    path, chosen = QFileDialog.getSaveFileName(parent, title, str(Path(app_settings.last_folder()) / name), filters)
    if not path:
        return None
    if not Path(path).suffix:
        path += suffix_of(chosen, suffix_of(filters))
    return path
