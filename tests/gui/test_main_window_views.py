"""The main window's views and chrome: exact downsampled drawing, the hover readout, view coordinates, the
clipboard, menus and shortcuts, the screenshot command, titles, the first window's size."""
import numpy as np
import pytest

import engine
from gui.document import Source
from tests.engine import reference as ref


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


def test_the_reason_options_cannot_run_leaves_the_status_bar_once_they_run_again(qtbot, window):
    """Seen under Xvfb: a 1-channel layer kernel on an RGB photo said in red why it cannot run, and the red
    text stayed after more maps made it run, beside views no longer out of date."""
    odd = np.random.default_rng(3).integers(0, 256, (31, 35), dtype=np.uint8)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(odd, Source("odd"))
    with qtbot.waitSignal(window.document.jobFailed, timeout=10000):
        window.options_panel.lab.setChecked(True)  # the notebook's loop needs even sizes
    assert window.status.message_label.text()  # the reason is shown
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(False)
    assert window.status.message_label.text() == ""


def test_a_newer_message_is_kept_when_a_job_then_succeeds(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(0, 0).setValue(5.0)
    window.status.show_message("Saved the convolved image to out.png")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(0, 0).setValue(6.0)
    assert window.status.message_label.text() == "Saved the convolved image to out.png"


@pytest.mark.parametrize("option, why", [(["--image", "no-such-photo.png"], "no-such-photo.png"),
                                         (["--preset", "No such preset"], "No such preset")])
def test_the_screenshot_command_refuses_an_image_or_preset_it_cannot_use(tmp_path, no_dialogs, capsys, option, why):
    """With --screenshot no one answers a dialog: a bad --image hung on one, and an unknown --preset saved a
    picture of the default kernel and exited 0."""
    from gui.app import run_app
    from main import parse_command_line

    shot = tmp_path / "shot.png"
    assert run_app(parse_command_line(["--screenshot", str(shot), *option])) == 1
    assert why in capsys.readouterr().err and not shot.exists() and no_dialogs == []
