"""Compare mode (issue 17, item 3): A, B and A - B in the window, against the plain reference loops; the
counts and the shared colour scale; A's and B's arithmetic side by side; entering and leaving; bad input."""

import numpy as np
import pytest

import engine
from gui.compare_mode import KernelA
from tests.engine import reference as ref

SOBEL = engine.get_preset("Sobel x")
SCHARR = engine.get_preset("Scharr x")


def reference_difference(image, a, b, **options):
    """A - B by the reference loops, how many pixels differ, the largest |A - B| and its first pixel."""
    first = np.array(ref.convolve(image, a.kernel, a.weight, a.offset, **options))
    second = np.array(ref.convolve(image, b.kernel, b.weight, b.offset, **options))
    diff = first - second
    flat = [(abs(v), (r, c)) for r, row in enumerate(diff.tolist()) for c, v in enumerate(row)]
    largest = max(m for m, _ in flat)
    at = next(pos for m, pos in flat if m == largest) if largest else None
    return first, second, diff, sum(1 for m, _ in flat if m), largest, at


def change(qtbot, window, **changes):
    """Change the document's options, waiting for the job if they are new."""
    if window.document.options.with_changes(**changes) == window.document.options:
        return
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        assert window.document.change(**changes)


def edit(qtbot, window, preset):
    """Put ``preset`` in the editor (B) and wait for the comparison that follows."""
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        window.presets.choose(preset)


def compare_with(qtbot, window, preset):
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        assert window.compare.compare_with_preset(preset)
    return window.compare.comparison


@pytest.fixture
def sobel_window(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.presets.choose(SOBEL)
    yield window
    window.compare.leave()


@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_shown_difference_and_counts_equal_the_reference(qtbot, sobel_window, small_image, output_range):
    window = sobel_window
    change(qtbot, window, output_range=output_range)
    compare_with(qtbot, window, SCHARR)
    a, b, diff, differing, largest, at = reference_difference(small_image, SCHARR, SOBEL, output_range=output_range)
    views = window.compare.views
    np.testing.assert_array_equal(views.a.data, a)
    np.testing.assert_array_equal(views.b.data, b)
    np.testing.assert_array_equal(views.difference.data, diff)
    assert differing > 0
    shown = views.summary.text()
    assert f"{differing} of {small_image.size} pixels differ" in shown
    assert f"the largest difference is {largest:g}" in shown and f"row {at[0]}, column {at[1]}" in shown


def test_a_and_b_share_one_colour_scale(qtbot, sobel_window):
    window = sobel_window
    change(qtbot, window, output_range="raw")
    compare_with(qtbot, window, SCHARR)
    views = window.compare.views
    a, b, d = views.a.levels, views.b.levels, views.difference.levels
    assert a.bounds == b.bounds and a.low == -a.high
    for panel, level in ((views.a, a), (views.b, b)):
        values = np.abs(panel.data.astype(float)).ravel()
        assert level.high >= np.sort(values)[int(np.ceil(0.99 * values.size)) - 1]  # at least the 99th pct
        assert (level.below, level.above) == (int((panel.data < level.low).sum()), int((panel.data > level.high).sum()))
        assert tuple(panel.item.getLevels()) == level.bounds
    assert d.low == -d.high and d.high > 0
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        window.document.change(output_range="clamp")
    assert views.a.levels.bounds == views.b.levels.bounds == (0.0, 255.0)


def test_b_is_live_as_the_kernel_is_edited(qtbot, sobel_window, small_image):
    window = sobel_window
    compare_with(qtbot, window, SCHARR)
    prewitt = engine.get_preset("Prewitt x")
    edit(qtbot, window, prewitt)
    *_, differing, _largest, _at = reference_difference(small_image, SCHARR, prewitt)
    _, _, diff, *_ = reference_difference(small_image, SCHARR, prewitt)
    np.testing.assert_array_equal(window.compare.views.difference.data, diff)
    assert f"{differing} of " in window.compare.views.summary.text()
    assert window.compare.comparison.b.options.kernel == window.document.options.kernel


def test_freeze_keeps_the_kernel_before_the_edit_as_a(qtbot, sobel_window, small_image):
    window = sobel_window
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        assert window.compare.freeze()
    assert "identical on all" in window.compare.views.summary.text()
    assert not window.compare.views.difference.data.any()
    with qtbot.waitSignal(window.compare.compared, timeout=10000):
        window.document.change(weight=0.5)
    half = KernelA("half", SOBEL.kernel, 0.5)
    _, _, diff, differing, *_ = reference_difference(small_image, SOBEL, half)
    np.testing.assert_array_equal(window.compare.views.difference.data, diff)
    assert window.compare.comparison.differing == differing


def test_step_through_shows_both_explanations_of_one_pixel(qtbot, sobel_window, small_image):
    window = sobel_window
    compare_with(qtbot, window, SCHARR)
    mode, step = window.compare, window.compare.step
    a_ref, b_ref, diff, _, _, at = reference_difference(small_image, SCHARR, SOBEL)
    assert mode.current == at  # it opens where A and B differ most
    for move in (lambda: None, lambda: mode.move(1), lambda: mode.move_rows(1), lambda: mode.select(4, 7)):
        move()
        row, col = mode.current
        a, b = step.explanations
        assert a.out_pos == b.out_pos == (row, col)
        assert (a.stored, b.stored) == (a_ref[row, col], b_ref[row, col])
        assert step.a_panel.stored_exact == a.stored and step.b_panel.stored_exact == b.stored
        for explanation, preset in ((a, SCHARR), (b, SOBEL)):
            terms, _total = ref.explain(small_image, preset.kernel, row, col)
            assert [t.product for t in explanation.terms] == [term[6] for term in terms]
        for panel, preset in ((step.a_panel, SCHARR), (step.b_panel, SOBEL)):
            assert [[c.exact for c in line] for line in panel.kernel.cells] == [list(map(float, r)) for r in preset.kernel]
        difference = f"A - B = <b>{diff[row, col]:g}</b>" if diff[row, col] else "equal here"
        assert difference in step.pixel_line.text()
    assert mode.current == (4, 7)
    mode.go_to_next_difference()
    row, col = mode.current
    flat = [(r, c) for r in range(diff.shape[0]) for c in range(diff.shape[1]) if diff[r, c]]
    assert (row, col) == next(p for p in flat if p > (4, 7))


def test_entering_and_leaving_restores_the_normal_views(qtbot, sobel_window):
    window = sobel_window
    window.step_mode.select(3, 3)
    window.dock_layout.arrange()
    qtbot.wait(10)
    options, zoom = window.document.options, window.views.input.view.viewRect()
    compare_with(qtbot, window, SCHARR)
    assert window.shown_views is window.compare.views
    assert window.compare.dock.isVisible() and not window.step_mode.is_active
    assert not window.step_mode.controls.toggle.isEnabled()
    compare_with(qtbot, window, engine.get_preset("Prewitt x"))  # another A, still in the mode
    assert window.compare.step.a_title.text() == "<b>A: Prewitt x</b>"
    window.compare.leave()
    qtbot.wait(10)
    assert window.shown_views is window.centre and window.views.isVisible()
    assert not window.compare.dock.isVisible() and not window.compare.is_active
    assert window.step_mode.controls.toggle.isEnabled()
    assert window.document.options == options
    assert window.step_mode.is_active and window.step_mode.current == (3, 3)  # stepping again, where it was
    window.dock_layout.arrange()
    qtbot.wait(10)
    assert window.step_mode.dock.isVisible()
    shown = window.views.input.view.viewRect()
    assert (shown.center() - zoom.center()).manhattanLength() < 1e-6  # on the same pixel, as near
    assert min(shown.width(), shown.height()) == pytest.approx(min(zoom.width(), zoom.height()))
    window.step_mode.exit()


def test_bad_input_changes_nothing(qtbot, sobel_window, tmp_path, monkeypatch):
    window, mode = sobel_window, sobel_window.compare
    said = []
    monkeypatch.setattr(mode, "say", lambda text, error=False: said.append(text))
    change(qtbot, window, border="valid")
    before = (window.shown_views, window.document.options)
    assert not mode.compare_with_preset(engine.get_preset("Gaussian blur 5x5"))  # a 30x34 A, a 32x36 B
    assert "cannot be compared" in said[-1]
    bad = tmp_path / "bad.txt"
    bad.write_text("1, 2; 3")
    assert not mode.compare_with_file(str(bad))
    assert str(bad) in said[-1]
    assert len(said) == 2 and not mode.is_active and not mode.dock.isVisible()
    assert (window.shown_views, window.document.options) == before


def test_an_edit_that_cannot_be_compared_keeps_the_last_comparison(qtbot, sobel_window):
    window, mode = sobel_window, sobel_window.compare
    change(qtbot, window, border="valid")
    compare_with(qtbot, window, SCHARR)
    shown = mode.views.difference.data.copy()
    with qtbot.waitSignal(mode.failed, timeout=10000):
        window.document.change(kernel=engine.get_preset("Gaussian blur 5x5").kernel, weight=1 / 256)
    assert "Cannot compare" in mode.views.summary.text() and "cannot be compared" in mode.views.summary.text()
    np.testing.assert_array_equal(mode.views.difference.data, shown)
    assert mode.is_active and mode.views.difference.item.opacity() < 1
    edit(qtbot, window, SOBEL)
    assert mode.views.difference.item.opacity() == 1 and mode.problem is None


def test_comparisons_run_on_the_worker_thread(qtbot, sobel_window, monkeypatch):
    import threading

    threads = []
    real = engine.compare_steps

    def recorded(*args):
        threads.append(threading.current_thread())
        return (yield from real(*args))

    monkeypatch.setattr(engine, "compare_steps", recorded)
    compare_with(qtbot, sobel_window, SCHARR)
    assert threads and threading.main_thread() not in threads


def test_closing_in_compare_mode_restarts_in_the_normal_views(qtbot, small_image):
    import pyqtgraph as pg

    pg.setConfigOptions(imageAxisOrder="row-major")
    from gui.document import Source
    from gui.main_window import MainWindow

    first = MainWindow(restore=False, persist=True)
    qtbot.addWidget(first)
    first.show()
    with qtbot.waitSignal(first.document.resultReady, timeout=10000):
        first.document.set_image(small_image, Source("test crop"))
    first.step_mode.select(2, 2)
    with qtbot.waitSignal(first.compare.compared, timeout=10000):
        assert first.compare.compare_with_preset(SCHARR)
    first.close()
    second = MainWindow(restore=True, persist=False)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert not second.compare.is_active and not second.compare.dock.isVisible()
    assert second.shown_views is second.centre
    from gui import settings as app_settings

    session, _problem = app_settings.load_last_session()
    assert session.step_pos == (2, 2)  # saved stepping where it was before compare mode
    second.close()


def test_another_a_opens_at_its_largest_difference_and_edits_keep_the_pixel(qtbot, sobel_window, small_image):
    window, mode = sobel_window, sobel_window.compare
    compare_with(qtbot, window, SCHARR)
    mode.select(5, 6)
    edit(qtbot, window, engine.get_preset("Prewitt x"))  # B edited: the same pixel
    assert mode.current == (5, 6)
    laplacian = engine.get_preset("Laplacian")
    compare_with(qtbot, window, laplacian)  # another A: its own largest difference
    *_, at = reference_difference(small_image, laplacian, engine.get_preset("Prewitt x"))
    assert mode.current == at


def test_a_colour_image_compares_the_chosen_map(qtbot, sobel_window, small_image):
    from gui.document import Source

    window, mode = sobel_window, sobel_window.compare
    rgb = np.stack([small_image, small_image[::-1], small_image[:, ::-1]], axis=2)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(rgb, Source("rgb"))
    compare_with(qtbot, window, SCHARR)
    channel = rgb[:, :, 0]
    _, _, diff, *_ = reference_difference(channel, SCHARR, SOBEL)
    np.testing.assert_array_equal(mode.views.difference.data, diff)
    assert mode.step.explanations[0].stored == ref.convolve(channel, SCHARR.kernel)[mode.current[0]][mode.current[1]]
