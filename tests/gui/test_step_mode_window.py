"""Step mode in the window: presentation mode and the docks' room, panning, keys outside step mode, jobs
and the animation running together, lab mode on odd sizes, legible small print."""

import numpy as np
import pytest
from PySide6.QtCore import Qt

import engine
from gui.document import Source
from gui.step.grid import fmt


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


@pytest.mark.parametrize("width", [940, 1024, 1040, 1100])
def test_the_speed_slider_is_never_squashed_in_presentation_mode(qtbot, window, width):
    """Seen at 1024x768 in presentation mode: the toolbar squashed the slider to a few pixels. It either has
    room for its positions (here at least 6 pixels each) or waits in the toolbar's overflow."""
    from gui.step.controls import SPEEDS

    window.resize(width, 768)
    window.set_presentation(True)
    try:
        window.step_mode.enter()
        qtbot.wait(50)
        slider = window.step_mode.controls.speed
        assert not slider.isVisible() or slider.width() >= 6 * len(SPEEDS)
    finally:
        window.set_presentation(False)
