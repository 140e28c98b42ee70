"""The QApplication and what every start of the window shares: application set-up and the crash handler."""

from __future__ import annotations

import datetime
import gc
import os
import sys
import traceback

import engine


def install_excepthook() -> None:
    """Unhandled exceptions are written to the log file and shown, instead of silently killing the app."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from gui.settings import log_path

    showing = []

    def hook(kind, error, tb) -> None:
        details = "".join(traceback.format_exception(kind, error, tb))
        try:
            with open(log_path(), "a", encoding="utf-8") as log:
                log.write(f"--- {datetime.datetime.now().isoformat(timespec='seconds')}\n{details}\n")
            where = f"\n\nDetails were written to {log_path()}"
        except OSError:
            where = ""
        sys.__stderr__.write(details)
        if QApplication.instance() is None or showing or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
            return
        showing.append(1)
        try:
            box = QMessageBox(QMessageBox.Icon.Critical, "Kernelscope: unexpected error",
                              f"Something went wrong: {kind.__name__}: {error}{where}\n\nThe window keeps working; "
                              "if something looks wrong, reopen the image.")
            box.setDetailedText(details)
            box.exec()
        finally:
            showing.clear()

    sys.excepthook = hook


def make_application(argv: list[str] | None = None):
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication
    import pyqtgraph as pg

    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv or [sys.argv[0]])
    QCoreApplication.setOrganizationName("Kernelscope")
    QCoreApplication.setApplicationName("Kernelscope")
    icon = engine.resources.resource_path("icons", "kernelscope.png")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    pg.setConfigOptions(imageAxisOrder="row-major", antialias=False)
    return app


def resume_garbage_collection() -> None:
    """Turn the cyclic garbage collector back on if main.py turned it off for start-up. What start-up made
    lives as long as the window (modules, classes, widgets: a full collection then finds a few hundred
    unreachable objects among ~75,000), so it is frozen out of every later collection instead of being
    traversed now and by each full collection to come."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
