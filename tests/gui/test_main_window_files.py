"""The main window with files: opening (bad, too large, dropped), saving results, sessions, settings and
user presets."""
import json

import numpy as np

import engine
from tests.engine import reference as ref


def test_opening_a_bad_file_shows_one_message_and_keeps_the_image(tmp_path, window, no_dialogs):
    bad = tmp_path / "notes.png"
    bad.write_text("not an image")
    image, result = window.document.image, window.document.result
    assert window.files.open_image(bad) is False
    assert len(no_dialogs) == 1 and "not an image" in no_dialogs[0][2]
    assert window.document.image is image and window.document.result is result


def test_open_and_save_round_trip(qtbot, tmp_path, window, no_dialogs):
    from PIL import Image

    source = np.random.default_rng(1).integers(0, 256, (20, 24), dtype=np.uint8)
    Image.fromarray(source).save(tmp_path / "in put é.png")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        assert window.files.open_image(tmp_path / "in put é.png")
    assert np.array_equal(window.document.image, source)
    assert window.files.save_result("convolved", tmp_path / "conv.npy")
    assert window.files.save_result("pooled", tmp_path / "pool.png")
    want = ref.convolve(source, window.document.options.kernel)
    assert ref.as_float_lists(np.load(tmp_path / "conv.npy")) == want
    assert np.asarray(Image.open(tmp_path / "pool.png")).tolist() == ref.pool(want, "max", 2)
    assert not no_dialogs


def test_sessions_save_and_load(qtbot, tmp_path, window, no_dialogs):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.files.load_sample("face")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(engine.get_preset("Sharpen"))
    assert window.files.save_session(tmp_path / "s.json")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.reset()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        assert window.files.open_session(tmp_path / "s.json")
    assert window.document.options.kernel == engine.get_preset("Sharpen").kernel and window.document.source.sample == "face"


def test_a_malformed_session_changes_nothing(tmp_path, window, no_dialogs):
    path = tmp_path / "s.json"
    path.write_text(json.dumps({"kind": "kernelscope-session", "format": 7}))
    options = window.document.options
    assert window.files.open_session(path) is False
    assert "newer Kernelscope" in no_dialogs[0][2] and window.document.options == options


def test_a_session_whose_image_is_gone_restores_the_rest(qtbot, tmp_path, window):
    options = engine.JobOptions(kernel=engine.get_preset("Outline").kernel, border="wrap")
    window.files.apply_session(engine.Session(str(tmp_path / "gone.png"), options))
    assert window.document.options == options
    assert "could not be opened" in window.status.message_label.text()


def test_settings_restore_the_last_session_on_the_next_start(qtbot, window):
    from gui.main_window import MainWindow

    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(engine.get_preset("Emboss"))
    window.save_settings()
    again = MainWindow(restore=True, persist=False)
    qtbot.addWidget(again)
    again.restore_last_session()
    assert again.document.options == window.document.options
    again.document.runner.shutdown()


def test_user_presets_are_saved_and_a_damaged_file_is_left_alone(qtbot, window, no_dialogs):
    from gui import settings as app_settings

    window.editor.set_values(((1.0, 2.0), (3.0, 4.0)), 0.1, 0.0)
    assert window.presets.add("mine")
    assert engine.load_presets(app_settings.presets_path())[0].name == "mine"
    app_settings.presets_path().write_text("{broken")
    window.presets.load()
    assert not window.presets.add("other")
    assert app_settings.presets_path().read_text() == "{broken"


# -- more of what a user does ---------------------------------------------------------------------------

def too_large_then_downscaled(monkeypatch, small_image):
    """load_image refuses the file as too large, and gives a smaller image when asked to downscale."""
    calls = []

    def load(path, *, downscale=False, channels="gray"):
        calls.append(downscale)
        if not downscale:
            raise engine.ImageTooLargeError(f"{path}: 20000x20000 pixels is more than Kernelscope opens", 20000,
                                            20000, 3)
        return small_image[::2, ::2].copy()

    monkeypatch.setattr(engine, "load_image", load)
    return calls


def test_a_too_large_image_offers_to_open_it_downscaled(qtbot, tmp_path, window, small_image, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    calls = too_large_then_downscaled(monkeypatch, small_image)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda _parent, _title, text, *args: asked.append(text) or QMessageBox.StandardButton.Yes))
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        assert window.files.open_image(tmp_path / "huge.png")
    assert calls == [False, True] and len(asked) == 1 and "downscaled 1:3" in asked[0]
    assert np.array_equal(window.document.image, small_image[::2, ::2])


def test_declining_the_downscale_keeps_everything_as_it_was(tmp_path, window, small_image, monkeypatch,
                                                              no_dialogs):
    calls = too_large_then_downscaled(monkeypatch, small_image)
    image, result = window.document.image, window.document.result
    assert window.files.open_image(tmp_path / "huge.png") is False
    assert calls == [False] and [kind for kind, _, _ in no_dialogs] == ["question"]
    assert window.document.image is image and window.document.result is result


def test_dropping_an_image_file_on_the_window_opens_it(qtbot, tmp_path, window):
    from PIL import Image
    from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
    from PySide6.QtGui import QDropEvent

    pixels = np.random.default_rng(9).integers(0, 256, (12, 14), dtype=np.uint8)
    Image.fromarray(pixels).save(tmp_path / "dropped.png")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(tmp_path / "dropped.png"))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.dropEvent(event)
    assert np.array_equal(window.document.image, pixels)


def test_opening_a_session_in_compare_mode_leaves_compare_mode(qtbot, tmp_path, window, no_dialogs):
    """Seen under Xvfb: a session opened in compare mode put the one-layer step panel at its saved pixel in a
    sliver beside the compare dock, over the compare views."""
    window.step_mode.select(5, 6)
    path = tmp_path / "s.kscope.json"
    assert window.files.save_session(path)
    window.step_mode.exit()
    assert window.compare.freeze()
    assert window.files.open_session(path)
    assert not window.compare.is_active and window.shown_views is window.centre
    assert window.step_mode.is_active and window.step_mode.current == (5, 6)
