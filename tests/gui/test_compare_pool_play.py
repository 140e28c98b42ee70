"""Compare mode with pooling (the pooled A, B and A - B, their counts, the pooling side by side in the step
panels) and Play in compare stepping, against plain reference loops written here and in tests.engine."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

import engine
from gui.step.controls import SPEEDS
from tests.engine import reference as ref
from tests.gui.test_compare_mode import compare_with, sobel_window as comparing  # noqa: F401 (a fixture)

SOBEL = engine.get_preset("Sobel x")
SCHARR = engine.get_preset("Scharr x")


def pooled_reference(image, preset, op, size, stride, output_range="clamp"):
    conv = ref.convolve(image, preset.kernel, preset.weight, preset.offset, output_range=output_range)
    return np.array(conv), np.array(ref.pool(conv, op, size, stride))


def counts(diff):
    """How many values differ, the largest |A - B| and its first pixel, by plain loops."""
    flat = [(abs(v), (r, c)) for r, row in enumerate(diff.tolist()) for c, v in enumerate(row)]
    largest = max(m for m, _ in flat)
    return sum(1 for m, _ in flat if m), largest, next(p for m, p in flat if m == largest)


@pytest.mark.parametrize("op, size, stride, output_range", [("max", 2, 2, "clamp"), ("avg", 3, 2, "raw"),
                                                            ("min", 2, 3, "clamp")])
def test_pooled_a_b_and_difference_equal_the_reference(qtbot, comparing, small_image, op, size, stride,
                                                       output_range):
    window = comparing
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(pool=engine.PoolOptions(op, size, stride), output_range=output_range)
    compare_with(qtbot, window, SCHARR)
    views = window.compare.views
    _, pooled_a = pooled_reference(small_image, SCHARR, op, size, stride, output_range)
    _, pooled_b = pooled_reference(small_image, SOBEL, op, size, stride, output_range)
    diff = pooled_a - pooled_b
    shown_a, shown_b, shown_diff = views.pooled
    assert all(panel.isVisible() for panel in views.pooled)
    np.testing.assert_array_equal(shown_a.data, pooled_a)
    np.testing.assert_array_equal(shown_b.data, pooled_b)
    np.testing.assert_array_equal(shown_diff.data, diff)
    differing, largest, at = counts(diff)
    line = views.summary.text()
    assert f"pooled ({op} {size}x{size}, stride {stride}): {differing} of {diff.size} pixels differ" in line
    assert f"the largest difference is {largest:g}" in line and f"row {at[0]}, column {at[1]}" in line
    # one scale for A, B and both pooled outputs; the pooled difference centred on 0
    assert shown_a.levels.bounds == shown_b.levels.bounds == views.a.levels.bounds == views.b.levels.bounds
    assert shown_diff.levels.low == -shown_diff.levels.high
    # the pooled pixels sit over the convolved pixels they pool: the views line up
    assert shown_a.placement.scale == (float(stride), float(stride))
    assert shown_a.view.viewRect() == views.a.view.viewRect()


def test_turning_pooling_off_hides_the_pooled_row(qtbot, comparing):
    window = comparing
    compare_with(qtbot, window, SCHARR)
    views = window.compare.views
    assert window.document.options.pool is not None and views.pooled[0].isVisible()
    assert views.pooled[0].height() > 50 and views.a.height() > 50
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        window.document.change(pool=None)
    assert not any(panel.isVisible() for panel in views.pooled)
    assert "pooled" not in views.summary.text()
    assert views.a.height() > views.grid.height() * 0.9  # the one row takes the room again


def test_step_panels_show_each_sides_pooling_of_the_pixel(qtbot, comparing, small_image):
    window, mode = comparing, comparing.compare
    compare_with(qtbot, window, SCHARR)  # the notebook's max pool 2
    conv_a, pooled_a = pooled_reference(small_image, SCHARR, "max", 2, 2)
    conv_b, pooled_b = pooled_reference(small_image, SOBEL, "max", 2, 2)
    mode.select(5, 6)
    for panel, conv, pooled in ((mode.step.a_panel, conv_a, pooled_a), (mode.step.b_panel, conv_b, pooled_b)):
        assert panel.pool_result_exact == pooled[2, 3]
        cells = [[c.exact for c in line] for line in panel.pool.cells]
        assert cells == [[float(v) for v in conv[r, 6:8]] for r in (4, 5)]
    line = mode.step.pixel_line.text()
    assert f"pooled (2, 3): A = <b>{pooled_a[2, 3]:g}</b>" in line
    difference = pooled_a[2, 3] - pooled_b[2, 3]
    assert (f"A - B = <b>{difference:g}</b>" if difference else "equal here") in line.split("pooled")[1]
    marked = [mark.rect() for panel, mark, _ring in mode.views.marks if panel in mode.views.pooled]
    assert all((r.x(), r.y(), r.width(), r.height()) == (6, 4, 2, 2) for r in marked)  # pooled (2, 3)'s block


def test_clicking_a_pooled_pixel_steps_to_the_first_pixel_of_its_window(qtbot, comparing):
    window, mode = comparing, comparing.compare
    compare_with(qtbot, window, SCHARR)
    panel = mode.views.pooled[1]

    class Click:  # what the scene's click signal carries
        def __init__(self, pos):
            self._pos = pos

        def button(self):
            return Qt.MouseButton.LeftButton

        def scenePos(self):
            return self._pos

    mode.views.fit()
    qtbot.wait(10)
    at = panel.view.mapViewToScene(QPointF(2 * 3 + 1.0, 2 * 4 + 1.0))  # inside pooled (4, 3)
    mode.views._click(panel, Click(at))
    assert mode.current == (8, 6)


def test_play_walks_both_explanations_and_space_pauses(qtbot, comparing, small_image):
    window, mode = comparing, comparing.compare
    compare_with(qtbot, window, SCHARR)
    conv_a, _ = pooled_reference(small_image, SCHARR, "max", 2, 2)
    conv_b, _ = pooled_reference(small_image, SOBEL, "max", 2, 2)
    mode.select(0, 0)
    window.step_mode.speed.setValue(SPEEDS.index(500))  # step mode's speed slider sets compare's Play too
    window.activateWindow()
    window.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert mode.playing and mode.actions.play.isChecked() and "Pause" in mode.actions.play.text()
    qtbot.waitUntil(lambda: mode.cursor.index > 20, timeout=5000)
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not mode.playing and not mode.actions.play.isChecked()
    paused = mode.current
    qtbot.wait(100)
    assert mode.current == paused
    a, b = mode.step.explanations
    assert a.out_pos == b.out_pos == paused
    assert (a.stored, b.stored) == (conv_a[paused], conv_b[paused])


def test_play_runs_to_the_last_pixel_and_stops_then_starts_again_from_the_first(qtbot, comparing, small_image):
    window, mode = comparing, comparing.compare
    compare_with(qtbot, window, SCHARR)
    height, width = small_image.shape
    mode.select(height - 1, width - 4)
    window.step_mode.speed.setValue(SPEEDS.index(20))
    mode.toggle_play()
    qtbot.waitUntil(lambda: not mode.playing, timeout=5000)
    assert mode.current == (height - 1, width - 1) and not mode.actions.play.isChecked()
    mode.toggle_play()
    assert mode.playing and mode.current == (0, 0)
    mode.leave()
    assert not mode.playing and not mode.playback.running


def test_space_plays_only_in_compare_mode(qtbot, comparing):
    window, mode = comparing, comparing.compare
    assert mode.actions.play.shortcut().isEmpty() and not mode.actions.play.isEnabled()
    compare_with(qtbot, window, SCHARR)
    assert mode.actions.play.shortcut().toString() == "Space" and mode.actions.play.isEnabled()
    controls = window.step_mode.controls
    assert controls.slower.isEnabled() and controls.faster.isEnabled() and not controls.play.isEnabled()
    mode.leave()
    assert mode.actions.play.shortcut().isEmpty() and not mode.actions.play.isEnabled()
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_Space)
    assert not mode.playing


def test_six_views_go_in_one_row_where_that_gives_larger_images(qtbot, comparing):
    window, views = comparing, comparing.compare.views
    compare_with(qtbot, window, SCHARR)
    grid = views.grid
    from gui.compare_grid import chrome

    for (width, height), rows in (((900, 260), 1), ((900, 700), 2)):
        grid.resize(width, height)
        grid.relayout()
        tops = {panel.y() for panel in views.panels()}
        assert len(tops) == rows
        sides = [min(p.width(), p.height()) for p in views.panels()]
        assert max(sides) - min(sides) <= 1  # one size for all six
        # the other arrangement would have given smaller squares
        extra = chrome(views.a)
        other = (min((width - 5 * 6) / 6, height - extra) if rows == 2
                 else min((width - 2 * 6) / 3, (height - 6) / 2 - extra))
        assert min(views.a.width(), views.a.height() - extra) >= other - 1


def test_compare_mode_and_the_layer_stack_take_turns(qtbot, comparing, monkeypatch):
    """Before: compare mode entered with the stack on showed the one-layer window's comparison under the
    stack's strip, with the editor editing the stack's layer (B could not be edited); and turning the stack
    on left compare mode's views in the centre."""
    window, mode = comparing, comparing.compare
    said = []
    monkeypatch.setattr(mode, "say", lambda text, error=False: said.append(text))
    compare_with(qtbot, window, SCHARR)
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=20000):
        window.stack_mode.set_active(True)
    assert not mode.is_active and not mode.dock.isVisible()
    assert window.shown_views is window.stack_mode.views
    assert not mode.compare_with_preset(SCHARR)
    assert "leave the layer stack first" in said[-1] and not mode.is_active
    assert window.shown_views is window.stack_mode.views
    window.stack_mode.set_active(False)
    compare_with(qtbot, window, SCHARR)
    assert mode.is_active and window.shown_views is mode.views


def test_editing_b_draws_b_and_the_differences_again_but_not_a(qtbot, comparing, monkeypatch):
    window, views = comparing, comparing.compare.views
    compare_with(qtbot, window, SCHARR)
    shown = []
    for panel in views.panels():
        monkeypatch.setattr(panel, "show", lambda *args, p=panel, **kw: (shown.append(p.name),
                                                                           type(p).show(p, *args, **kw)))
    a_image = views.a.item.image
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        window.editor.cell(1, 1).stepBy(1)
    assert sorted(shown) == sorted(["b", "difference", "pooled b", "pooled difference"])
    assert views.a.item.image is a_image  # A's array and its 0..255 levels did not change: nothing to redraw
    np.testing.assert_array_equal(views.b.data, window.document.result.convolved)
    np.testing.assert_array_equal(views.pooled[1].data, window.document.result.pooled)


def test_the_covered_normal_views_are_not_coloured_ahead_while_comparing(qtbot, comparing):
    window = comparing
    with qtbot.waitSignal(window.document.resultReady, timeout=10000) as before:
        window.editor.cell(1, 1).stepBy(1)
    assert set(before.args[0].display) == {"convolved", "pooled"}  # the normal views, shown: coloured ahead
    compare_with(qtbot, window, SCHARR)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000) as covered:
        window.editor.cell(1, 1).stepBy(1)
    assert covered.args[0].display == {}  # nobody sees them: not coloured on the worker thread
    window.compare.leave()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000) as again:
        window.editor.cell(1, 1).stepBy(-1)
    assert set(again.args[0].display) == {"convolved", "pooled"}
    result = window.document.result  # and the views show the result's exact values again
    np.testing.assert_array_equal(window.views.convolved.data, result.convolved)
    np.testing.assert_array_equal(window.views.pooled.data, result.pooled)
