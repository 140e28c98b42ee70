"""What the window remembers between runs, where its files live, and the crash log."""

import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import engine
from gui import settings as app_settings


def new_window(qtbot, restore=True):
    from gui.main_window import MainWindow

    window = MainWindow(restore=restore, persist=False)
    qtbot.addWidget(window)
    return window


def test_settings_and_data_live_in_the_tests_temp_folder(tmp_path):
    assert Path(app_settings.settings().fileName()).is_relative_to(tmp_path)
    assert app_settings.log_path().parent == tmp_path / "data"
    assert app_settings.presets_path().parent == tmp_path / "data"


def test_the_last_image_folder_is_remembered(tmp_path):
    assert app_settings.last_folder() == str(Path.home())
    app_settings.set_last_folder(tmp_path / "pictures" / "stairs.png")
    assert app_settings.last_folder() == str(tmp_path / "pictures")


def test_the_last_session_round_trips_through_the_settings():
    options = engine.JobOptions(kernel=[[1.0, 2.0], [3.0, 4.0]], weight=0.1, offset=5.0, border="wrap",
                                output_range="raw", pool=engine.PoolOptions("avg", 3, 2))
    app_settings.save_last_session(engine.Session("/some/where.png", options, (4, 5)))
    session, problem = app_settings.load_last_session()
    assert problem is None
    assert (session.image_path, session.options, session.step_pos) == ("/some/where.png", options, (4, 5))


def test_no_last_session_is_not_a_problem():
    assert app_settings.load_last_session() == (None, None)


@pytest.mark.parametrize("stored", ["{not json", '{"kind": "kernelscope-session", "format": 99}', "[1, 2]"])
def test_a_damaged_last_session_is_reported_not_applied(stored):
    app_settings.settings().setValue("session/last", stored)
    session, problem = app_settings.load_last_session()
    assert session is None and problem.startswith("The last session could not be restored")


def test_geometry_kernel_options_and_image_are_restored_on_the_next_start(qtbot, tmp_path):
    pixels = np.random.default_rng(8).integers(0, 256, (30, 40), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "mine.png")
    first = new_window(qtbot, restore=False)
    first.resize(720, 510)  # within the offscreen screen (800x600), which restoreGeometry respects
    first.show()
    with qtbot.waitSignal(first.document.resultReady, timeout=10000):
        assert first.files.open_image(tmp_path / "mine.png")
    options = engine.JobOptions(kernel=engine.get_preset("Sobel y").kernel, weight=0.5, border="reflect",
                                output_range="raw", pool=engine.PoolOptions("min", 3))
    with qtbot.waitSignal(first.document.resultReady, timeout=10000):
        first.document.set_options(options)
    first.save_settings()
    first.document.runner.shutdown()

    again = new_window(qtbot)
    assert (again.width(), again.height()) == (720, 510)
    with qtbot.waitSignal(again.document.resultReady, timeout=10000):
        assert again.restore_last_session()
    assert again.document.options == options
    assert np.array_equal(again.document.image, pixels) and again.document.source.path == str((tmp_path / "mine.png").resolve())
    assert again.options_panel.border.currentData() == "reflect" and again.editor.state.weight == 0.5
    again.document.runner.shutdown()


def test_if_the_last_image_is_gone_the_rest_is_restored_and_the_user_is_told(qtbot, tmp_path):
    options = engine.JobOptions(kernel=engine.get_preset("Sharpen").kernel, border="edge")
    app_settings.save_last_session(engine.Session(str(tmp_path / "deleted.png"), options))
    window = new_window(qtbot)
    assert window.restore_last_session()
    assert window.document.options == options and window.document.image is None
    assert "could not be opened" in window.status.message_label.text()
    assert "kernel and options were restored" in window.status.message_label.text()
    window.document.runner.shutdown()


def test_a_sample_session_restores_the_sample(qtbot):
    app_settings.save_last_session(engine.Session(None, engine.JobOptions(), None, "face"))
    window = new_window(qtbot)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.restore_last_session()
    assert window.document.source.sample == "face"
    assert np.array_equal(window.document.image, engine.load_image(engine.sample_path("face")))
    window.document.runner.shutdown()


def test_fresh_start_ignores_the_saved_session(qtbot):
    app_settings.save_last_session(engine.Session(None, engine.JobOptions(weight=3.0), None, "face"))
    window = new_window(qtbot, restore=False)
    assert not window.restore_last_session() and window.document.options.weight == 1.0
    window.document.runner.shutdown()


def test_closing_a_persistent_window_saves_the_session(qtbot):
    from gui.main_window import MainWindow

    window = MainWindow(restore=False, persist=True)
    window.show()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.files.load_sample("ascent")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(engine.get_preset("Outline"))
    window.close()
    session, _ = app_settings.load_last_session()
    assert session.sample == "ascent" and session.options.kernel == engine.get_preset("Outline").kernel


def test_an_unhandled_exception_is_logged_in_the_data_folder_not_fatal(qapp, monkeypatch, capsys):
    from gui.application import install_excepthook

    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    install_excepthook()
    try:
        raise ZeroDivisionError("a bug somewhere in a slot")
    except ZeroDivisionError:
        sys.excepthook(*sys.exc_info())
    log = app_settings.log_path().read_text(encoding="utf-8")
    assert "ZeroDivisionError: a bug somewhere in a slot" in log and "Traceback" in log


def test_the_step_position_comes_back_after_a_restart(qtbot, small_image):
    """Quitting saves the session while step mode is still on (issue 12, item 4)."""
    from gui.main_window import MainWindow

    first = MainWindow(restore=False, persist=True)
    first.show()
    with qtbot.waitSignal(first.document.resultReady, timeout=10000):
        first.files.load_sample("face")
    first.step_mode.select(5, 7)
    first.close()
    session, _ = app_settings.load_last_session()
    assert session.step_pos == (5, 7)

    again = new_window(qtbot)
    again.show()
    with qtbot.waitSignal(again.document.resultReady, timeout=10000):
        assert again.restore_last_session()
    assert again.step_mode.is_active and again.step_mode.current == (5, 7)
    again.document.shutdown()
