"""Parts of the step panel scrolled out of sight (a 15x15 kernel's grids and texts fill a long column) are
filled when they are painted or read, and then show exactly what filling them at once shows; stacked,
the grids leave out the × that stands between them side by side."""

import numpy as np

import engine
from gui.step.grid import fmt

KERNEL = tuple(tuple(float(v) for v in row) for row in np.random.default_rng(5).integers(-3, 4, size=(15, 15)))


def _big_kernel(qtbot, window, **options):
    with qtbot.waitSignal(window.document.resultReady, timeout=20000):
        window.document.set_options(engine.JobOptions(kernel=KERNEL, **options))
    step = window.step_mode
    step.select(10, 12)
    qtbot.wait(20)
    return step, step.panel


def _on_screen(widget):
    """What the window shows of ``widget`` (its backing store, not a fresh paint)."""
    from PySide6.QtGui import QGuiApplication

    top_left = widget.mapTo(widget.window(), widget.rect().topLeft())
    return QGuiApplication.primaryScreen().grabWindow(widget.window().winId(), top_left.x(), top_left.y(),
                                                       widget.width(), widget.height()).toImage()


def _want_products(explanation, upto=None):
    want = [[None] * 15 for _ in range(15)]
    for k, t in enumerate(explanation.terms):
        if upto is None or k <= upto:
            want[t.kernel_pos[0]][t.kernel_pos[1]] = t.product
    return want


def test_a_grid_out_of_sight_is_filled_when_read_with_the_engines_numbers(qtbot, window):
    step, panel = _big_kernel(qtbot, window, border="reflect", weight=1 / 225)
    step.move(1)
    assert not panel.products.canvas.in_sight() and panel.products._pending is not None  # put off
    e = engine.explain_pixel(window.document.image, window.document.options, *step.current)
    assert [[c.exact for c in line] for line in panel.products.cells] == _want_products(e)
    assert [[c.exact for c in line] for line in panel.kernel.cells] == [list(row) for row in KERNEL]
    step.set_tap_mode(True)
    for _ in range(4):
        step.next_tap()
    assert [[c.exact for c in line] for line in panel.products.cells] == _want_products(e, upto=4)
    focused = [(i, j) for i, line in enumerate(panel.products.cells) for j, c in enumerate(line) if c.focus]
    assert focused == [e.terms[4].kernel_pos]


def test_a_grid_scrolled_into_sight_shows_what_filling_it_at_once_shows(qtbot, qapp, window):
    step, panel = _big_kernel(qtbot, window, output_range="raw", weight=1 / 7)  # long, changing numbers
    for _ in range(3):
        step.move(1)
        qapp.processEvents()
    canvas = panel.products.canvas
    assert not canvas.in_sight() and panel.products._pending is not None
    panel.scroll.ensureWidgetVisible(canvas)
    qtbot.waitUntil(lambda: panel.products._pending is None, timeout=2000)  # painted: filled
    qapp.processEvents()
    assert canvas.in_sight()
    shown = _on_screen(canvas)
    panel._filled.clear()  # fill it again, now in sight, at once, and paint it all afresh
    panel.set_focus(panel.focus)
    canvas.repaint()
    assert _on_screen(canvas) == shown
    step.move(1)  # in sight now: filled at once
    assert panel.products._pending is None


def test_a_text_out_of_sight_is_laid_out_when_painted(qtbot, qapp, window):
    step, panel = _big_kernel(qtbot, window)
    step.move(1)
    qapp.processEvents()
    result = panel.result
    e = engine.explain_pixel(window.document.image, window.document.options, *step.current)
    assert f"stored value: <b>{fmt(e.stored)}</b>" in result.text()
    assert result._doc_html != result.text()  # out of sight: not parsed
    panel.scroll.ensureWidgetVisible(result)
    qtbot.waitUntil(lambda: result._doc_html == result.text(), timeout=2000)
    qapp.processEvents()
    shown = _on_screen(result)
    result.repaint()
    assert _on_screen(result) == shown and not shown.isNull()


def test_big_kernels_stack_their_grids_without_the_times_sign(qtbot, window):
    step, panel = _big_kernel(qtbot, window)
    step.move(1)
    assert not panel.times.isVisible()  # it sat over the note, out of the layout
    with qtbot.waitSignal(window.document.resultReady, timeout=20000):
        window.document.set_options(engine.JobOptions(kernel=[[1, 2, 1], [0, 0, 0], [-1, -2, -1]]))
    step.move(1)
    assert panel.times.isVisible()
