"""The colours the views draw: every pixel of the convolved and pooled views is the colour the levels give its
value (checked pixel by pixel in plain Python), whether the worker thread coloured it (engine.colour_maps) or
the view did; and the colour bar under a view spans exactly those levels."""

import math
from fractions import Fraction

import numpy as np
import pytest
from PySide6.QtWidgets import QApplication

import engine
from engine.colour_maps import colour_table


def settle(qtbot, window):
    assert window.document.wait_for_idle(20000)
    QApplication.processEvents()
    for panel in window.views.panels():
        panel.widget.viewport().repaint()  # render now: the tests read what the items drew


def drawn(item) -> np.ndarray:
    """The item's rendered image as rows of 0xffRRGGBB."""
    image = item.qimage
    rows = np.frombuffer(image.constBits(), np.uint32).reshape(image.height(), image.bytesPerLine() // 4)
    return rows[:, :image.width()].copy()


def allowed_pixels(value, low, high, table) -> set[int]:
    """The colour of ``value`` at levels low..high: entry floor((v - low) * 256 / (high - low)) of the table,
    clipped to 0..255, in exact arithmetic (either neighbour within 1e-9 of an edge)."""
    scaled = (Fraction(float(value)) - Fraction(float(low))) * 256 / (Fraction(float(high)) - Fraction(float(low)))
    entries = {math.floor(scaled)}
    if abs(scaled - round(scaled)) < Fraction(1, 10**9):
        entries |= {round(scaled), round(scaled) - 1}
    colours = set()
    for k in entries:
        r, g, b = (int(v) for v in table[min(max(k, 0), 255)])
        colours.add(0xFF000000 | r << 16 | g << 8 | b)
    return colours


def check_pixels(panel, colour_map):
    low, high = panel.item.getLevels()
    assert (low, high) == panel.levels.bounds
    pixels, data = drawn(panel.item), panel.data
    step = panel.item.sampling
    assert pixels.shape == data[::step[0], ::step[1]].shape
    table = colour_table(colour_map)
    for (r, c), value in np.ndenumerate(data[::step[0], ::step[1]]):
        assert int(pixels[r, c]) in allowed_pixels(value, low, high, table), (panel.name, r, c, value)


def choose(combo, data):
    combo.setCurrentIndex(combo.findData(data))


OPTIONS = {
    "clamp": dict(),
    "raw": dict(output_range="raw"),
    "lab": dict(lab=True),
    "float": dict(kernel=[[0.1] * 3] * 3),
    "raw float": dict(kernel=[[0.1, -0.25, 0.1]] * 3, output_range="raw"),
}


@pytest.mark.parametrize("case", sorted(OPTIONS))
def test_every_result_pixel_has_the_colour_of_its_value(qtbot, window, case):
    window.editor.set_preset(engine.get_preset("Sobel x"))
    assert window.document.change(**OPTIONS[case])
    settle(qtbot, window)
    signed = window.document.options.output_range == "raw" and not window.document.options.lab
    for panel in (window.views.convolved, window.views.pooled):
        assert panel.item.from_display  # coloured on the worker thread, with the job
        check_pixels(panel, "diverging" if signed else "gray")


def test_a_view_whose_levels_change_colours_its_pixels_itself_alike(qtbot, window):
    """The histogram's levels (a drag) differ from the worker's: the view colours the data itself, by the
    same rule and table."""
    choose(window.options_panel.output_range, "raw")
    settle(qtbot, window)
    panel = window.views.convolved
    low, high = panel.levels.bounds
    panel.item.setLevels((low / 3, high / 3))
    panel.levels = engine.Levels(low / 3, high / 3)
    settle(qtbot, window)
    assert not panel.item.from_display
    check_pixels(panel, "diverging")


def bar_pixel(panel, x_fraction: float) -> int:
    """The colour drawn inside the colour bar, ``x_fraction`` of the way along it, above the tick marks."""
    bar = panel.levels_bar
    frame = panel.widget.grab().toImage()
    rect = bar.mapRectToScene(bar.bar_rect())
    at = panel.widget.mapFromScene(rect.left() + 1 + (rect.width() - 2) * x_fraction, rect.top() + 2)
    ratio = frame.width() / panel.widget.width()
    return frame.pixel(int(at.x() * ratio), int(at.y() * ratio)) | 0xFF000000


def table_pixels(colour_map, entries) -> set[int]:
    table = colour_table(colour_map)
    return {0xFF000000 | int(table[k][0]) << 16 | int(table[k][1]) << 8 | int(table[k][2]) for k in entries}


@pytest.mark.parametrize("signed", [False, True])
def test_the_colour_bar_runs_from_the_low_to_the_high_colour_with_0_in_the_middle(qtbot, window, signed):
    if signed:
        choose(window.options_panel.output_range, "raw")
    settle(qtbot, window)
    panel = window.views.convolved
    colour_map = "diverging" if signed else "gray"
    assert panel.levels_bar.shown_levels() == panel.levels.bounds == tuple(panel.item.getLevels())
    ends, _counts = panel.levels_bar.lines()
    low, high = panel.levels.bounds
    assert (ends[0], ends[2]) == (f"{low:g}", f"{high:g}")
    assert bar_pixel(panel, 0.0) in table_pixels(colour_map, (0, 1))
    assert bar_pixel(panel, 0.999) in table_pixels(colour_map, (254, 255))
    middle = bar_pixel(panel, 0.5)
    assert middle in table_pixels(colour_map, (127, 128))
    if signed:  # 0, in the middle of -L..L, is the map's white
        assert middle in table_pixels("diverging", [128])


def test_with_histograms_shown_results_still_come_coloured_by_the_worker(qtbot, window):
    choose(window.options_panel.output_range, "raw")
    window.menus.histograms.trigger()
    settle(qtbot, window)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(1, 1).stepBy(1)
    settle(qtbot, window)
    for panel in (window.views.convolved, window.views.pooled):
        assert panel.histogram.isVisible() and panel.item.from_display
        check_pixels(panel, "diverging")
    window.menus.histograms.trigger()
