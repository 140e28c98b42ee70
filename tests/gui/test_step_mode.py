"""Step mode: the panel shows the engine's arithmetic, keys, clicks and play move the cursor, the overlays
mark the window, the pixel and the pooled pixel."""

import random

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt

import engine
from gui.document import Source
from gui.step.controls import SPEEDS
from gui.step.cursor import StepCursor
from gui.step.grid import fmt
from tests.engine import reference as ref


def reference_terms(image, kernel, r, c, border="zero"):
    """(value, weight, product, running sum) per kernel cell, by the reference rules."""
    kh, kw = len(kernel), len(kernel[0])
    top, left = (kh - 1) // 2, (kw - 1) // 2
    rows = np.asarray(image).tolist()
    out, total = [], 0.0
    for i in range(kh):
        for j in range(kw):
            value = ref.pixel(rows, r + i - top, c + j - left, border)
            product = value * kernel[i][j]
            total = total + product
            out.append((value, kernel[i][j], product, total))
    return out


def panel_numbers(panel):
    cells = lambda grid: [cell.exact for line in grid.cells for cell in line]  # noqa: E731
    return cells(panel.values), cells(panel.kernel), cells(panel.products), panel.running_exact


@pytest.mark.parametrize("border", ["zero", "reflect"])
def test_panel_shows_the_engines_products_sum_and_stored_value(qtbot, window, small_image, border):
    if border != window.document.options.border:
        with qtbot.waitSignal(window.document.resultReady, timeout=10000):
            window.options_panel.border.setCurrentIndex(window.options_panel.border.findData(border))
    window.step_mode.enter()
    rng = random.Random(1)
    kernel = [list(row) for row in window.document.options.kernel]
    want_conv = ref.convolve(small_image, kernel, 1.0, 0.0, border)
    for _ in range(12):
        r, c = rng.randrange(small_image.shape[0]), rng.randrange(small_image.shape[1])
        window.step_mode.select(r, c)
        panel = window.step_mode.panel
        values, weights, products, running = panel_numbers(panel)
        terms = reference_terms(small_image, kernel, r, c, border)
        assert values == [t[0] for t in terms]
        assert weights == [t[1] for t in terms]
        assert products == [t[2] for t in terms]
        assert running == [t[3] for t in terms]
        assert panel.stored_exact == want_conv[r][c] == float(window.document.result.convolved[r, c])
        assert f"stored value: <b>{fmt(want_conv[r][c])}</b>" in panel.result.text()
        pooled = ref.pool(want_conv, "max", 2)
        if r // 2 < len(pooled) and c // 2 < len(pooled[0]):
            assert panel.pool_result_exact == pooled[r // 2][c // 2] == float(window.document.result.pooled[r // 2, c // 2])


def test_lab_mode_panel_shows_the_transposed_pixels_and_the_margin(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(True)
    kernel = window.document.options.kernel
    want = ref.lab_convolve(small_image, kernel, 1.0)
    window.step_mode.select(5, 7)
    panel = window.step_mode.panel
    image = small_image.astype(int)
    # filter[a][b] meets i[x+b-1, y+a-1]
    assert [[cell.exact for cell in line] for line in panel.values.cells] == [
        [float(image[5 + b - 1, 7 + a - 1]) for b in range(3)] for a in range(3)]
    assert panel.stored_exact == want[5][7]
    assert "i[6, 6]" in panel.values.cells[0][2].tip  # a=0, b=2: one row down, one column left
    window.step_mode.select(0, 4)
    assert panel.stored_exact == want[0][4] == float(small_image[0, 4])
    assert "never computed" in panel.note.text()
    assert panel.pool_result_exact == ref.lab_pool(want)[0][2]


def test_avg_pooling_panel_shows_the_sum_and_result(qtbot, window, small_image):
    panel_opts = window.options_panel
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel_opts.pool_op.setCurrentIndex(panel_opts.pool_op.findData("avg"))
    window.step_mode.select(3, 3)
    conv = ref.convolve(small_image, window.document.options.kernel)
    assert window.step_mode.panel.pool_result_exact == ref.pool(conv, "avg", 2)[1][1]


def test_keyboard_flow_enter_step_play_pause_exit(qtbot, window, small_image):
    window.activateWindow()
    window.setFocus()
    step = window.step_mode
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert step.is_active and step.current == (0, 0)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert step.current == (0, 2)
    qtbot.keyClick(window, Qt.Key.Key_Down)
    assert step.current == (1, 2)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert step.current == (1, 1)
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert step.current == (small_image.shape[0] - 1, small_image.shape[1] - 1)
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert step.current == (0, 0)
    step.speed.setValue(SPEEDS.index(500))  # the whole 32x36 crop in about 2 s
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert step.playing
    qtbot.waitUntil(lambda: step.cursor.index > 20, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not step.playing
    paused_at = step.current
    qtbot.wait(100)
    assert step.current == paused_at
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert not step.is_active and step.current is None


def test_clicking_the_input_view_selects_that_pixel(qtbot, window):
    window.step_mode.enter()
    window.views.pixelClicked.emit("input", 7, 9)
    assert window.step_mode.current == (7, 9)
    window.views.pixelClicked.emit("pooled", 2, 3)
    assert window.step_mode.current == (4, 6)


def test_editing_the_kernel_while_stepping_updates_the_panel_at_once(qtbot, window, small_image):
    window.step_mode.select(10, 10)
    window.editor.cell(1, 1).setValue(4.0)  # no need to wait for the job: the panel asks the engine per pixel
    kernel = [[-1, -2, -1], [0, 4, 0], [1, 2, 1]]
    assert window.step_mode.panel.stored_exact == ref.convolve(small_image, kernel)[10][10]


def test_playing_dims_what_the_scan_has_not_reached(qtbot, window):
    step = window.step_mode
    step.select(4, 5)
    step.play()
    below, rest = step.overlays.dim_conv
    assert below.isVisible() and rest.isVisible()
    assert below.rect().top() == step.current[0] + 1
    step.pause()
    assert not below.isVisible()


def test_changing_the_image_while_playing_keeps_the_cursor_valid(qtbot, window):
    step = window.step_mode
    step.select(20, 30)
    step.play()
    tiny = np.arange(30, dtype=np.uint8).reshape(5, 6)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(tiny, Source("tiny"))
    qtbot.wait(50)
    r, c = step.current
    assert 0 <= r < 5 and 0 <= c < 6
    step.pause()


def test_step_cursor_walks_raster_order_and_the_notebooks_interior():
    cursor = StepCursor(3, 4)
    seen = [cursor.pos]
    while cursor.move(1):
        seen.append(cursor.pos)
    assert seen == [(r, c) for r in range(3) for c in range(4)]
    lab = StepCursor(4, 5, lab=True)
    seen = [lab.pos]
    while lab.move(1):
        seen.append(lab.pos)
    assert seen == [(x, y) for x in range(1, 3) for y in range(1, 4)]
    assert lab.index_of(0, 0) is None


def test_lab_mode_keys_follow_the_notebooks_loop_over_the_interior(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(True)
    height, width = small_image.shape
    step = window.step_mode
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_F9)
    assert step.current == (1, 1)  # x = 1, y = 1: the loop's first pixel
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert step.current == (1, 2)  # y, the column, is the inner loop
    qtbot.keyClick(window, Qt.Key.Key_Left)
    qtbot.keyClick(window, Qt.Key.Key_Left)
    assert step.current == (1, 1)  # stops at the start
    qtbot.keyClick(window, Qt.Key.Key_Down)
    assert step.current == (2, 1)
    qtbot.keyClick(window, Qt.Key.Key_End)
    assert step.current == (height - 2, width - 2)
    qtbot.keyClick(window, Qt.Key.Key_Right)
    assert step.current == (height - 2, width - 2)  # stops at the end
    qtbot.keyClick(window, Qt.Key.Key_Home)
    assert step.current == (1, 1)


def test_overlays_outline_the_window_the_pixel_and_the_pooled_pixel(qtbot, window):
    step = window.step_mode
    step.select(0, 0)
    overlays = step.overlays
    assert overlays.window.rect() == QRectF(-1, -1, 3, 3)
    assert sorted((r.rect().top(), r.rect().left()) for r in overlays.padded) == [
        (-1, -1), (-1, 0), (-1, 1), (0, -1), (1, -1)]  # the 5 cells outside the image
    assert overlays.pixel.rect() == QRectF(0, 0, 1, 1)
    assert overlays.pool.rect() == QRectF(0, 0, 2, 2) and overlays.conv_pool.rect() == QRectF(0, 0, 2, 2)
    step.select(7, 9)
    assert overlays.padded == [] and overlays.window.rect() == QRectF(8, 6, 3, 3)
    assert overlays.pool.rect() == QRectF(8, 6, 2, 2)
    step.exit()
    assert not overlays.window.isVisible() and not overlays.pixel.isVisible()


def test_valid_border_places_the_marker_where_the_window_is_centred(qtbot, window):
    panel_opts = window.options_panel
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel_opts.border.setCurrentIndex(panel_opts.border.findData("valid"))
    step = window.step_mode
    step.enter()
    window.views.pixelClicked.emit("input", 5, 5)  # the window centred on input (5, 5) is output (4, 4)
    assert step.current == (4, 4)
    assert step.overlays.window.rect() == QRectF(4, 4, 3, 3)
    assert step.overlays.pixel.rect() == QRectF(5, 5, 1, 1)


def test_build_up_dims_exactly_the_pooled_pixels_not_yet_complete(qtbot, window, small_image):
    step = window.step_mode
    height, width = small_image.shape
    step.select(0, 0)
    step.play()
    step.playback.stop()  # drive the steps by hand
    pooled_h, pooled_w = height // 2, width // 2
    for r, c in [(0, 0), (0, 5), (1, 0), (1, 1), (1, 6), (2, 3), (3, 35), (5, 17)]:
        step.select(r, c)
        dimmed = {(p, q) for p in range(pooled_h) for q in range(pooled_w)
                  if any(item.isVisible() and item.rect().contains(2 * q + 1, 2 * p + 1)
                         for item in step.overlays.dim_pool)}
        # pooled[p, q] is complete once the scan has passed its window's last pixel (2p+1, 2q+1)
        waiting = {(p, q) for p in range(pooled_h) for q in range(pooled_w) if (2 * p + 1, 2 * q + 1) > (r, c)}
        assert dimmed == waiting, (r, c)
    step.pause()
    assert not any(item.isVisible() for item in step.overlays.dim_pool + step.overlays.dim_conv)


def test_selecting_outside_the_image_is_refused_and_changes_nothing(qtbot, window):
    step = window.step_mode
    step.select(3, 4)
    with pytest.raises(engine.KernelscopeError, match="outside the convolved image"):
        step.select(999, 4)
    assert step.current == (3, 4) and step.panel.explanation.out_pos == (3, 4)
