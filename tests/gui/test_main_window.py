import json
import random

import numpy as np
import pytest

import engine
from gui.document import Source
from tests.engine import reference as ref


def shown(panel):
    return panel.item.image


def test_startup_shows_the_input_and_both_results(window, small_image):
    assert np.array_equal(shown(window.views.input), small_image)
    assert shown(window.views.convolved).shape == small_image.shape
    assert shown(window.views.pooled).shape == (16, 18)


def test_editing_one_cell_updates_the_views_with_the_exact_values(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(0, 0).setValue(3.0)
    kernel = [[3, -2, -1], [0, 0, 0], [1, 2, 1]]
    want = ref.convolve(small_image, kernel)
    assert ref.as_float_lists(shown(window.views.convolved)) == want
    assert ref.as_float_lists(shown(window.views.pooled)) == ref.pool(want, "max", 2)


def test_a_preset_sets_the_grid_weight_and_offset(qtbot, window):
    preset = engine.get_preset("Gaussian blur 5x5")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(preset)
    editor = window.editor
    assert (editor.rows.value(), editor.cols.value()) == (5, 5)
    assert [[editor.cell(r, c).value() for c in range(5)] for r in range(5)] == [list(r) for r in preset.kernel]
    assert window.document.options.weight == 1 / 256 and window.document.options.kernel == preset.kernel


def test_undo_and_redo_restore_kernel_edits(qtbot, window):
    before = window.document.options.kernel
    window.editor.cell(1, 1).setValue(5.0)
    window.editor.cell(1, 1).setValue(6.0)  # merges with the previous step of the same cell
    assert window.document.options.kernel[1][1] == 6.0
    window.editor.undo_stack.undo()
    assert window.document.options.kernel == before
    window.editor.undo_stack.redo()
    assert window.document.options.kernel[1][1] == 6.0


def test_normalize_explains_when_the_sum_is_zero(window):
    window.editor.normalize_weight()  # the notebook's filter sums to 0
    assert "sums to 0" in window.status.message_label.text() and window.document.options.weight == 1.0


def test_rapid_edits_show_only_the_newest_result_in_order(qtbot, window, small_image):
    emitted = []
    window.document.runner.finished.connect(
        lambda seq, shown: emitted.append((seq, window.document.runner.latest, shown.result.options)))
    for value in range(1, 41):
        window.editor.cell(2, 2).setValue(float(value))
    window.document.wait_for_idle()
    assert emitted, "the newest edit must produce a result"
    assert all(seq == latest for seq, latest, _ in emitted)  # never a result that was already superseded
    assert [seq for seq, _, _ in emitted] == sorted(seq for seq, _, _ in emitted)
    assert len(emitted) < 40
    assert window.document.result.options.kernel[2][2] == 40.0
    want = ref.convolve(small_image, [[-1, -2, -1], [0, 0, 0], [1, 2, 40]])
    assert ref.as_float_lists(shown(window.views.convolved)) == want


def test_cancel_stops_a_job_and_keeps_the_last_result(qtbot, window):
    big = np.random.default_rng(0).integers(0, 256, (600, 600), dtype=np.uint8)
    with qtbot.waitSignal(window.document.resultReady, timeout=30000):
        window.document.set_image(big, Source("big"))
    previous = window.document.result
    window.editor.cell(0, 0).setValue(7.0)  # a new job...
    assert window.document.is_busy()
    window.status.cancel_job()  # ...cancelled before it can finish
    window.document.wait_for_idle()
    assert window.document.result is previous and np.array_equal(shown(window.views.convolved), previous.convolved)
    assert "cancelled" in window.status.message_label.text()


def test_a_job_error_is_shown_and_the_worker_keeps_serving(qtbot, window, monkeypatch):
    real = engine.job_steps

    def broken(image, options):
        raise RuntimeError("simulated engine bug")
        yield  # pragma: no cover

    monkeypatch.setattr(engine, "job_steps", broken)
    with qtbot.waitSignal(window.document.runner.failed, timeout=10000):
        window.editor.cell(0, 0).setValue(9.0)
    assert "simulated engine bug" in window.status.message_label.text()
    assert window.status.details_button.isVisible()
    monkeypatch.setattr(engine, "job_steps", real)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(0, 0).setValue(8.0)
    assert window.document.result.options.kernel[0][0] == 8.0


def test_lab_mode_with_a_5x5_kernel_is_refused_and_nothing_changes(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(engine.get_preset("Gaussian blur 5x5"))
    before = window.document.options
    window.options_panel.lab.setChecked(True)
    assert "3x3" in window.status.message_label.text()
    assert window.document.options == before and not window.options_panel.lab.isChecked()


def test_a_5x5_preset_in_lab_mode_is_refused_and_the_editor_keeps_its_kernel(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(True)
    before, state, undo_steps = window.document.options, window.editor.state, window.editor.undo_stack.count()
    window.presets.choose(engine.get_preset("Gaussian blur 5x5"))
    assert "3x3" in window.status.message_label.text()
    assert window.document.options == before and window.editor.state == state
    assert (window.editor.rows.value(), window.editor.cols.value()) == (3, 3)
    assert window.editor.undo_stack.count() == undo_steps  # nothing to undo: nothing happened


def test_lab_mode_disables_what_it_ignores_and_says_why(qtbot, window):
    """Issue 12, item 16: the window shows lab mode's rules (engine.lab_rules), it does not ignore options."""
    panel = window.options_panel
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel.lab.setChecked(True)
    for widget, option in ((panel.border, "border"), (panel.output_range, "output_range")):
        assert not widget.isEnabled() and engine.lab_rules.FIXED[option][1] in widget.toolTip()
    assert not panel.pool_size.isEnabled() and "2x2" in panel.pool_size.toolTip()
    enabled = {panel.pool_op.itemData(i) for i in range(panel.pool_op.count()) if panel.pool_op.model().item(i).isEnabled()}
    assert enabled == {"max", None}
    assert not window.editor.offset.isEnabled()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel.lab.setChecked(False)
    assert panel.border.isEnabled() and "lab mode" not in panel.border.toolTip().lower()


def test_lab_mode_shows_the_notebooks_result(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(True)
    want = ref.lab_convolve(small_image, window.document.options.kernel, 1.0)
    assert shown(window.views.convolved).tolist() == want
    assert shown(window.views.pooled).tolist() == ref.lab_pool(want)


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


def test_closing_during_a_job_exits_cleanly(qtbot, small_image):
    from gui.main_window import MainWindow

    w = MainWindow(restore=False, persist=False)
    w.show()
    w.document.set_image(np.random.default_rng(2).integers(0, 256, (3000, 3000), dtype=np.uint8), Source("big"))
    assert w.document.runner.is_busy()
    w.close()
    from PySide6.QtCore import QThreadPool

    assert QThreadPool.globalInstance().activeThreadCount() == 0  # close waited for the job's thread


def test_soak_thousands_of_random_edits_end_on_the_final_kernel(qtbot, window):
    image = np.random.default_rng(5).integers(0, 256, (96, 80), dtype=np.uint8)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(image, Source("soak"))
    rng = random.Random(7)
    for n in range(2500):
        r, c = rng.randrange(3), rng.randrange(3)
        window.editor.cell(r, c).setValue(float(rng.randint(-9, 9)))
        if n % 50 == 0:
            qtbot.wait(1)
    window.document.wait_for_idle(30000)
    kernel = window.document.options.kernel
    assert window.document.result.options.kernel == kernel
    assert ref.as_float_lists(shown(window.views.convolved)) == ref.convolve(image, kernel)


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


def test_views_downsample_by_picking_exact_engine_pixels(qtbot, window):
    """A big result is drawn from every k-th pixel (no averaged values), so cost follows the screen."""
    big = (np.arange(1200 * 1500, dtype=np.int64) % 251).astype(np.uint8).reshape(1200, 1500)
    with qtbot.waitSignal(window.document.resultReady, timeout=30000):
        window.document.set_image(big, Source("big"))
    window.views.convolved.widget.viewport().repaint()
    item = window.views.convolved.item
    xds, yds = item._lastDownsample
    assert xds > 1 and yds > 1
    rows, cols = item.qimage.height(), item.qimage.width()
    assert (rows, cols) == (len(range(0, 1200, yds)), len(range(0, 1500, xds)))
    drawn = np.array([[item.qimage.pixelColor(c, r).red() for c in range(0, cols, 7)] for r in range(0, rows, 7)])
    picked = [[int(window.document.result.convolved[r * yds, c * xds]) for c in range(0, cols, 7)] for r in range(0, rows, 7)]
    assert drawn.tolist() == picked  # gray colormap, levels 0..255: the drawn gray is the value itself


def test_hovering_shows_the_value_and_coordinates_in_the_status_bar(qtbot, window, small_image):
    window.views.pixelHovered.emit("input", 3, 4)
    assert window.status.hover_label.text() == f"input [3, 4] = {small_image[3, 4]}"
    window.views.pixelHovered.emit("pooled", 1, 2)
    assert window.status.hover_label.text() == f"pooled [1, 2] = {window.document.result.pooled[1, 2]}"
    window.views.pixelHovered.emit("input", -1, -1)
    assert window.status.hover_label.text() == ""


def test_the_hover_readout_follows_an_edit_without_moving_the_mouse(qtbot, window, small_image):
    """Issue 12, item 8: the value under a still mouse is read again when a new result arrives."""
    window.views.pixelHovered.emit("convolved", 3, 4)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(1, 1).setValue(2.0)
    want = ref.convolve(small_image, [[-1, -2, -1], [0, 2, 0], [1, 2, 1]])[3][4]
    assert window.status.hover_label.text() == f"convolved [3, 4] = {int(want)}"


def test_a_view_maps_a_point_to_its_own_pixel_at_its_scale(qtbot, window):
    """The pooled view is drawn at its stride's scale over the convolved pixels it pools."""
    from PySide6.QtCore import QPointF

    views = window.views
    # Pooled pixel (row 3, col 5) pools convolved rows 6-7, columns 10-11 (2x2, stride 2): its centre is
    # the corner point (7, 11) of the input's frame.
    pooled_point = views.pooled.item.mapToScene(QPointF(5.5, 3.5))
    assert views.pooled.pixel_at(pooled_point) == (3, 5)
    input_point = views.input.item.mapToScene(QPointF(11.5, 7.5))
    assert views.input.pixel_at(input_point) == (7, 11)
    centre = views.pooled.view.mapSceneToView(pooled_point)
    assert (centre.y(), centre.x()) == (pytest.approx(7.0), pytest.approx(11.0))


def test_copy_puts_the_convolved_image_on_the_clipboard(window):
    from PySide6.QtWidgets import QApplication

    window.files.copy_convolved()
    image = QApplication.clipboard().image()
    assert (image.height(), image.width()) == window.document.result.convolved.shape
    assert image.pixelColor(5, 2).red() == int(window.document.result.convolved[2, 5])


def test_menus_have_the_expected_shortcuts(window):
    actions = {a.text().replace("&", ""): a.shortcut().toString() for a in window.findChildren(
        __import__("PySide6.QtGui", fromlist=["QAction"]).QAction)}
    assert actions["Open image..."] == "Ctrl+O" and actions["Quit"] == "Ctrl+Q"
    assert actions["Undo"] == "Ctrl+Z" and actions["Reset kernel"] == "Ctrl+R"
    assert actions["ascent"] == "Ctrl+1" and actions["face"] == "Ctrl+2"


def test_the_screenshot_command_renders_the_window_and_exits_0(tmp_path):
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    done = subprocess.run([sys.executable, str(root / "main.py"), "--screenshot", str(tmp_path / "shot.png"),
                           "--preset", "Sobel x", "--step", "100,200"],
                          capture_output=True, text=True, timeout=120, env=env, cwd=root)
    assert done.returncode == 0, done.stderr
    from PIL import Image

    shot = Image.open(tmp_path / "shot.png")
    assert shot.size[0] >= 1200 and len(np.unique(np.asarray(shot.convert("L")))) > 50  # a real picture, not blank


def test_titles_say_what_each_view_shows(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.border.setCurrentIndex(window.options_panel.border.findData("valid"))
    assert window.views.convolved.title.text == "Convolved 34x30: 3x3, valid border, clamp 0..255"
    assert window.views.pooled.title.text == "Pooled 17x15: max of 2x2"


def test_a_long_title_is_elided_to_its_view_never_overlapping_the_next(qtbot, window):
    window.resize(900, 600)
    qtbot.wait(50)
    title = window.views.input.title
    title.setText("Input: a very long file name that cannot possibly fit above a narrow view.png, 4096x4096")
    shown = title.item.toPlainText()
    assert shown.endswith("…") and len(shown) < len(title.text)
    assert title.item.boundingRect().width() <= title.width()
    assert title.toolTip() == title.text  # the whole title is one hover away


def test_the_first_window_uses_most_of_the_screen(qtbot):
    """Issue 12, item 11: no saved geometry, so the window opens at most of the screen, not Qt's default."""
    from gui.main_window import MainWindow

    w = MainWindow(restore=True, persist=False)
    qtbot.addWidget(w)
    w.show()
    screen = w.screen().availableGeometry()
    assert w.width() >= 0.85 * screen.width() and w.height() >= 0.85 * screen.height()
    assert screen.contains(w.frameGeometry().center())
    w.document.shutdown()


def test_save_pooled_is_disabled_and_says_why_while_pooling_is_off(qtbot, window):
    save_pooled = window.menus.save_pooled
    assert save_pooled.isEnabled()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.pool_op.setCurrentIndex(window.options_panel.pool_op.findData(None))
    assert not save_pooled.isEnabled() and "pooling is off" in save_pooled.text()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.pool_op.setCurrentIndex(window.options_panel.pool_op.findData("avg"))
    assert save_pooled.isEnabled() and "off" not in save_pooled.text()


def test_the_hover_readout_writes_raw_values_as_the_engine_writes_pixels(qtbot, window, small_image):
    """One formatter (issue 13): a raw value reads as engine.pixel_text writes it, e.g. a ninth as 1/9."""
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=[[1]], weight=1 / 9, output_range="raw")
    window.views.pixelHovered.emit("convolved", 3, 4)
    value = window.document.result.convolved[3, 4]
    text = window.status.hover_label.text()
    assert text == f"convolved [3, 4] = {engine.pixel_text.format_pixel(value, 10)}"
    assert float(np.float32(engine.parse_number(text.split(' = ')[1]))) == float(value)  # it reads back exactly
