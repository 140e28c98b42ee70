import random

import numpy as np
import pytest
from PySide6.QtCore import QRectF, Qt

import engine
from gui.document import Source
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
    step.speed.setValue(step.speed.maximum())  # 500 steps/s
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
    step.timer.stop()  # drive the steps by hand
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


@pytest.mark.parametrize("side", [3, 5, 7])
def test_presentation_panel_fits_a_1280x720_window_without_sideways_scrolling(qtbot, window, small_image, side):
    if side != 3:
        with qtbot.waitSignal(window.document.resultReady, timeout=10000):
            window.document.set_options(engine.JobOptions(kernel=np.arange(side * side, dtype=float).reshape(side, side)))
    window.resize(1280, 720)
    window.set_presentation(True)
    try:
        window.step_mode.select(10, 10)
        qtbot.wait(50)
        panel = window.step_mode.panel
        assert panel.scroll.horizontalScrollBar().maximum() == 0
        stored = fmt(window.document.result.convolved[10, 10])
        assert f"convolved[10, 10] = {stored}" in panel.heading.text()
    finally:
        window.set_presentation(False)


def test_stepping_out_of_view_pans_without_zooming_out(qtbot, window):
    step = window.step_mode
    step.select(5, 5)
    view = window.views.input.view
    before = view.viewRect()
    for _ in range(40):
        step.move(1)
    after = view.viewRect()
    assert after.contains(step.current[1] + 0.5, step.current[0] + 0.5)
    assert abs(after.width() - before.width()) < 1e-6 and abs(after.height() - before.height()) < 1e-6


def test_space_outside_step_mode_does_not_start_playing(qtbot, window):
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not window.step_mode.is_active and not window.step_mode.playing
    window.step_mode.toggle_play()  # the toolbar's Play button still starts it
    assert window.step_mode.is_active and window.step_mode.playing
    window.step_mode.exit()
    assert not window.step_mode.playing


def test_switching_mode_and_image_while_jobs_and_the_animation_run_never_leaves_a_stale_view(qtbot, window):
    from PySide6.QtCore import QtMsgType, qInstallMessageHandler

    warnings = []
    previous = qInstallMessageHandler(
        lambda kind, _ctx, text: warnings.append(text) if kind != QtMsgType.QtDebugMsg else None)
    try:
        big = np.tile(engine.load_image(engine.sample_path("ascent")), (4, 4))  # 2048x2048: jobs take a while
        window.document.set_image(big, Source("big"))
        step = window.step_mode
        step.enter()
        step.select(10, 10)
        step.play()
        window.options_panel.lab.setChecked(True)  # while the big job runs
        window.options_panel.lab.setChecked(False)
        window.options_panel.output_range.setCurrentIndex(window.options_panel.output_range.findData("raw"))
        final = np.ascontiguousarray(big[:64, :80])
        window.document.set_image(final, Source("final"))  # supersedes everything still queued
        assert window.document.wait_for_idle(30000)
        qtbot.wait(100)  # let the animation run a few steps on the final image
        step.pause()
        want = engine.run_job(final, window.document.options)
        assert window.document.result.image is final and window.document.result.options == window.document.options
        assert np.array_equal(window.views.convolved.data, want.convolved)
        assert np.array_equal(window.views.pooled.data, want.pooled)
        r, c = step.current
        assert 0 <= r < 64 and 0 <= c < 80
        assert step.panel.stored_exact == float(want.convolved[r, c])
    finally:
        qInstallMessageHandler(previous)
    assert not [w for w in warnings if "QThread" in w or "thread" in w.lower()], warnings


def test_a_bigger_kernel_widens_both_docks_so_its_grids_need_no_horizontal_scrolling(qtbot, window):
    window.resize(1440, 820)
    window.step_mode.enter()
    window.step_mode.select(10, 10)
    qtbot.wait(50)
    narrow = (window.side_dock.width(), window.step_mode.dock.width())
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_options(engine.JobOptions(kernel=engine.get_preset("Gaussian blur 5x5").kernel))
    qtbot.wait(100)
    # the kernel editor's cells shrink, so a 5x5 kernel may fit the side dock as it is
    assert window.side_dock.width() >= narrow[0] and window.step_mode.dock.width() > narrow[1]
    side_scroll = window.side_dock.widget()
    assert not side_scroll.horizontalScrollBar().isVisible()
    assert not window.step_mode.panel.scroll.horizontalScrollBar().isVisible()
    views = window.views.input.widget.width()
    assert views > 100  # the images keep some room


def test_lab_mode_on_an_odd_sized_image_marks_the_views_out_of_date_and_explains_nothing(qtbot, window):
    """Issue 12, item 9: the views keep the standard result, say it is out of date, and the step panel never
    shows lab numbers beside it."""
    odd = np.random.default_rng(3).integers(0, 256, (31, 35), dtype=np.uint8)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(odd, Source("odd"))
    step = window.step_mode
    step.select(5, 5)
    assert step.panel.stored_exact is not None
    standard = window.document.result
    with qtbot.waitSignal(window.document.jobFailed, timeout=10000):
        window.options_panel.lab.setChecked(True)
    assert window.document.options.lab and window.document.result is standard
    for panel in (window.views.convolved, window.views.pooled):
        assert panel.title.text.startswith("Out of date") and "35x31" in panel.title.text  # width x height
        assert panel.item.opacity() < 1
    assert step.panel.stored_exact is None and step.panel.explanation is None
    assert "Nothing to step through" in step.panel.heading.text()
    assert not step.overlays.pixel.isVisible() and not step.overlays.window.isVisible()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):  # pooling off: lab mode runs
        window.options_panel.pool_op.setCurrentIndex(window.options_panel.pool_op.findData(None))
    assert window.views.convolved.item.opacity() == 1 and not window.views.convolved.title.text.startswith("Out")
    assert step.panel.stored_exact == float(window.document.result.convolved[5, 5])


def test_presentation_mode_is_one_action_that_scales_text_titles_and_the_step_panel(qtbot, window):
    """Issue 12, item 10: one action (View menu and step toolbar), one shortcut, one state."""
    from PySide6.QtGui import QAction
    from PySide6.QtWidgets import QApplication

    actions = [a for a in window.findChildren(QAction) if "presentation" in a.text().lower()]
    assert len(actions) == 1
    action = actions[0]
    assert action in window.step_mode.controls.toolbar.actions() and action in window.menus.view.actions()
    assert action.shortcut().toString() == "F11"
    size = QApplication.font().pointSizeF()
    try:
        action.trigger()
        assert action.isChecked() and window.step_mode.presentation
        assert QApplication.font().pointSizeF() > 1.5 * size
    finally:
        window.set_presentation(False)
    assert not action.isChecked() and not window.step_mode.presentation and QApplication.font().pointSizeF() == size


def test_lab_modes_small_print_is_legible(qtbot, window):
    """Issue 12, item 10: the offsets under lab mode's input values were ~7 px print."""
    from PySide6.QtGui import QFontInfo
    from PySide6.QtWidgets import QApplication

    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(True)
    window.step_mode.select(5, 7)
    canvas = window.step_mode.panel.values.canvas
    assert any(cell.caption for line in window.step_mode.panel.values.cells for cell in line)
    _bold, caption = canvas._fonts()
    assert caption.pointSizeF() >= 8.0 and QFontInfo(caption).pixelSize() >= 10
    assert caption.pointSizeF() >= 0.85 * QApplication.font().pointSizeF()
