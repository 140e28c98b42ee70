"""Numbers on the pixels: zoomed in far enough, each view writes every visible pixel's value on it, the
engine's value, in a colour that reads on the pixel."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetrics

import engine

from engine.pixel_text import format_pixel
from gui.document import Source
from gui.pixel_numbers import MIN_CELL
from tests.engine import reference as ref


def painted(window, name):
    """Paint the view now and return {(row, col): (text, dark)} of the numbers drawn on it."""
    panel = window.views.panel(name)
    panel.widget.grab()
    numbers = window.pixel_numbers[[p.name for p in window.views.panels()].index(name)]
    return {pos: (text, dark) for pos, text, dark in numbers.drawn}


def visible_cells(window, name):
    """The pixels of a panel's data at least partly inside its view's visible rectangle."""
    panel = window.views.panel(name)
    shown = panel.view.viewRect()
    cells = set()
    rows, cols = panel.data.shape
    for r in range(rows):
        for c in range(cols):
            top, left, height, width = panel.placement.cell(r, c)
            if QRectF(left, top, width, height).intersects(shown):
                cells.add((r, c))
    return cells


def zoom(window, top, left, span):
    window.views.input.view.setRange(QRectF(left, top, span, span), padding=0)


def test_zoomed_in_every_visible_pixel_shows_the_engines_value(qtbot, window, small_image):
    zoom(window, 10, 12, 6)
    kernel = [list(row) for row in window.document.options.kernel]
    conv = ref.convolve(small_image, kernel)
    pooled = ref.pool(conv, "max", 2)
    want = {"input": small_image.tolist(), "convolved": conv, "pooled": pooled}
    for name, values in want.items():
        drawn = painted(window, name)
        assert drawn, name
        assert set(drawn) == visible_cells(window, name), name
        for (r, c), (text, _dark) in drawn.items():
            assert text == format_pixel(values[r][c]), (name, r, c)


def test_text_is_dark_on_light_pixels_and_light_on_dark_ones(qtbot, window):
    ramp = np.tile(np.arange(0, 256, 32, dtype=np.uint8), (8, 1))  # dark to light, left to right
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(ramp, Source("ramp"))
    zoom(window, 0, 0, 8)
    panel = window.views.input
    low, high = panel.levels.bounds
    drawn = painted(window, "input")
    assert {dark for _text, dark in drawn.values()} == {True, False}
    for (r, c), (_text, dark) in drawn.items():
        grey = (float(ramp[r, c]) - low) / (high - low)
        assert dark == (grey > 0.5), (r, c)


def test_signed_raw_values_are_written_with_their_sign(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(output_range="raw")
    zoom(window, 8, 8, 7)
    kernel = [list(row) for row in window.document.options.kernel]
    conv = ref.convolve(small_image, kernel, output_range="raw")
    drawn = painted(window, "convolved")
    assert any(text.startswith("-") for text, _ in drawn.values())
    for (r, c), (text, _dark) in drawn.items():
        assert text == format_pixel(conv[r][c])


@pytest.mark.parametrize("presentation", [False, True])
def test_no_numbers_below_the_zoom_threshold(qtbot, window, presentation):
    window.set_presentation(presentation)
    window.views.fit()
    assert painted(window, "input") == {}
    cell = MIN_CELL[presentation]
    view = window.views.input.view
    span = min(view.width(), view.height()) / cell  # exactly at the threshold: numbers on
    zoom(window, 5, 5, math.floor(span * 0.9))
    assert painted(window, "input")
    window.set_presentation(False)


def zoom_to_cell(window, name, cell):
    """Zoom so that one pixel of panel ``name`` spans ``cell`` screen pixels (the smaller side)."""
    panel = window.views.panel(name)
    numbers = window.pixel_numbers[[p.name for p in window.views.panels()].index(name)]
    view = panel.view
    side = min(view.width(), view.height())  # the range is fitted into the view at its smaller side
    scale = min(panel.placement.scale)
    span = scale * side / cell
    view.setRange(QRectF(2 * scale, 2 * scale, span, span), padding=0)
    return numbers


@pytest.mark.parametrize("presentation", [False, True])
def test_long_raw_averages_fit_inside_their_pixels_at_the_threshold(qtbot, window, small_image, presentation):
    window.set_presentation(presentation)
    kernel = [[1, 2, 1], [0, 0, 0], [-1, -2, -1]]
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=tuple(tuple(float(v) for v in row) for row in kernel), output_range="raw",
                               pool=engine.PoolOptions("avg", 3))
    conv = ref.convolve(small_image, kernel, output_range="raw")
    pooled = ref.pool(conv, "avg", 3)
    numbers = zoom_to_cell(window, "pooled", MIN_CELL[presentation] * 1.02)
    drawn = painted(window, "pooled")
    assert drawn
    assert MIN_CELL[presentation] <= numbers.cell < MIN_CELL[presentation] * 1.1
    metrics = QFontMetrics(numbers.font)
    long_values = 0
    for (r, c), (text, _dark) in drawn.items():
        value = pooled[r][c]
        long_values += len(format_pixel(value)) > 4
        assert metrics.boundingRect(text).width() <= numbers.cell, (r, c, text)
        assert metrics.horizontalAdvance(text) <= numbers.cell, (r, c, text)
        if text.startswith("\u2248"):  # ≈: rounded further to fit
            shown = text[1:]
            assert float(shown) == ref.round_significant(value, ref.significant_digits(shown)), (r, c, text, value)
        else:
            assert text == format_pixel(value), (r, c, text, value)
    assert long_values  # the zoomed view holds values such as "-93.333" that do not fit at the smallest size
    window.set_presentation(False)
