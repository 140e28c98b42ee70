import numpy as np
import pytest
from PySide6.QtCore import QSettings, QStandardPaths

import engine
from gui.document import Source


@pytest.fixture(autouse=True)
def isolated_settings(tmp_path, monkeypatch):
    """Settings, presets and the log go to a temp folder: tests never touch the user's own."""
    QStandardPaths.setTestModeEnabled(True)
    for fmt in (QSettings.Format.NativeFormat, QSettings.Format.IniFormat):
        QSettings.setPath(fmt, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    from gui import settings as app_settings

    monkeypatch.setattr(app_settings, "data_dir", lambda: _mkdir(tmp_path / "data"))
    app_settings.settings().clear()
    yield
    app_settings.settings().clear()


def _mkdir(path):
    path.mkdir(parents=True, exist_ok=True)
    return path


@pytest.fixture
def small_image():
    ascent = engine.load_image(engine.sample_path("ascent"))
    return np.ascontiguousarray(ascent[150:182, 200:236])  # 32x36: reference loops stay fast


@pytest.fixture
def window(qtbot, small_image):
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major")
    from gui.main_window import MainWindow

    w = MainWindow(restore=False, persist=False)
    qtbot.addWidget(w)
    w.resize(1200, 700)
    w.show()
    qtbot.waitExposed(w)
    w.dock_layout.arrange()  # now, not on the next turn of the event loop, in the middle of a test
    with qtbot.waitSignal(w.document.resultReady, timeout=10000):
        w.document.set_image(small_image, Source("test crop"))
    yield w
    w.document.runner.shutdown()


@pytest.fixture
def no_dialogs(monkeypatch):
    """Record message boxes instead of showing them (they would block the test)."""
    from PySide6.QtWidgets import QMessageBox

    shown = []

    def record(kind):
        def box(_parent, title, text, *args, **kwargs):
            shown.append((kind, title, text))
            return QMessageBox.StandardButton.No
        return box

    for kind in ("warning", "information", "critical", "question"):
        monkeypatch.setattr(QMessageBox, kind, staticmethod(record(kind)))
    return shown
