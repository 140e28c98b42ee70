"""Step mode on a layer: the strided, dilated window drawn tap by tap on the input (its gaps left open),
one block of grids per input channel with its products and subtotal, tap by tap through every channel, and
hovering an input pixel lighting up every convolved pixel that reads it. Expected values come from the
layer's formula written out here, not from the engine's geometry."""

import math

import numpy as np
import pytest

import engine
from gui.document import Source
from tests.engine import reference

STRIDE, DILATION = (2, 3), (2, 2)


def _rgb(small_image):
    return np.ascontiguousarray(np.stack([small_image, small_image[::-1], 255 - small_image], axis=-1))


def _kernel() -> np.ndarray:
    rng = np.random.default_rng(5)
    return rng.integers(-3, 4, (3, 3, 3, 2)).astype(float)


def _padding(size: int, k: int, s: int, d: int) -> int:
    """TensorFlow 'SAME': rows (columns) of padding before the image."""
    out = math.ceil(size / s)
    return max((out - 1) * s + (k - 1) * d + 1 - size, 0) // 2


@pytest.fixture
def layer(window, qtbot, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(_rgb(small_image), Source("colour"))
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=_kernel(), offset=[3, -7], stride=STRIDE, dilation=DILATION)
    window.layer_panel.out_channel.setValue(1)
    window.step_mode.enter()
    return window


def _taps(image, r, c, dilation=DILATION):
    """The input pixels convolved[r, c] reads, by the formula: r*sh + i*dh - top (likewise columns)."""
    h, w = image.shape[:2]
    top, left = _padding(h, 3, STRIDE[0], dilation[0]), _padding(w, 3, STRIDE[1], dilation[1])
    return [(r * STRIDE[0] + i * dilation[0] - top, c * STRIDE[1] + j * dilation[1] - left)
            for i in range(3) for j in range(3)]


def test_the_window_outlines_each_tap_with_the_dilation_gaps_open(layer, small_image):
    step = layer.step_mode
    image = _rgb(small_image)
    for r, c in ((0, 0), (5, 4), (15, 11)):
        step.select(r, c)
        cells = step.overlays.taps.cells
        assert sorted((int(t), int(lft)) for t, lft, _h, _w in cells) == sorted(_taps(image, r, c))
        assert all(h == w == 1.0 for _t, _l, h, w in cells)
        # gaps: no two taps touch, so the cells between them stay open
        assert all(abs(a[0] - b[0]) + abs(a[1] - b[1]) >= 2 for a in cells for b in cells if a != b)
        # hatched padding only where a tap falls outside the image, never in the gaps
        outside = [(t, lft) for t, lft in _taps(image, r, c)
                   if not (0 <= t < image.shape[0] and 0 <= lft < image.shape[1])]
        assert sorted((int(i.rect().top()), int(i.rect().left())) for i in step.overlays.padded) == sorted(outside)


def test_one_block_per_input_channel_with_its_products_subtotal_bias_and_stored_value(layer, small_image):
    step, panel = layer.step_mode, layer.step_mode.panel
    image = _rgb(small_image)
    kernel = _kernel()
    want = np.array(reference.layer(image, kernel, 1.0, [3, -7], stride=STRIDE, dilation=DILATION))
    r, c = 3, 2
    step.select(r, c)
    grids = panel.channels
    assert grids.isVisibleTo(panel) and not panel.values.isVisibleTo(panel)
    assert grids.channels == [0, 1, 2]
    for ci in range(3):
        block = grids.blocks[ci]
        assert block.isVisibleTo(panel) and f"input channel {ci}" in block.title.text()
        subtotal = 0.0
        for k, (tr, tc) in enumerate(_taps(image, r, c)):
            i, j = divmod(k, 3)
            inside = 0 <= tr < image.shape[0] and 0 <= tc < image.shape[1]
            value = float(image[tr, tc, ci]) if inside else 0.0
            weight = kernel[i, j, ci, 1]
            assert block.values.cells[i][j].exact == value
            assert block.kernel.cells[i][j].exact == weight
            assert block.products.cells[i][j].exact == value * weight
            subtotal += value * weight
        assert f"<b>{engine.format_number(subtotal)}</b>" in block.subtotal.text()
    assert panel.stored_exact == float(want[r, c, 1])
    assert f"convolved[{r}, {c}] = {engine.format_number(want[r, c, 1])}</b></span>" in panel.heading.text()
    assert "(map 1)" in panel.heading.text()
    assert "+ offset -7" in panel.result.text()


def test_tap_by_tap_walks_every_channel_before_the_next_pixel(layer):
    step, panel = layer.step_mode, layer.step_mode.panel
    step.select(4, 4)
    step.set_tap_mode(True)
    seen = []
    for _ in range(27):
        assert step.current == (4, 4)
        term = panel.explanation.terms[step.tap]
        block = panel.channels.grids_of(term.channel)
        focused = [(i, j) for i, line in enumerate(block[2].cells) for j, cell in enumerate(line) if cell.focus]
        assert focused == [term.kernel_pos]
        seen.append((term.kernel_pos, term.channel))
        step.next_tap()
    assert seen == [((i, j), ci) for i in range(3) for j in range(3) for ci in range(3)]  # i, j, then ci
    assert step.current == (4, 5) and step.tap == 0


def test_hovering_an_input_pixel_lights_up_every_convolved_pixel_reading_it(layer, small_image):
    step, views = layer.step_mode, layer.views
    image = _rgb(small_image)
    out_h, out_w = layer.document.result.convolved.shape[:2]
    step.select(2, 2)
    for r, c in ((0, 0), (9, 13), (31, 35), (16, 20)):
        views.pixelHovered.emit("input", r, c)
        want = sorted((R, C) for R in range(out_h) for C in range(out_w) if (r, c) in _taps(image, R, C))
        assert sorted(step.readers.readers) == want
        outline = step.readers.outline
        assert outline.isVisible() == bool(want)
        # drawn over those pixels of the convolved view: pixel (R, C) sits on its window's anchor tap
        want_cells = sorted((float(_taps(image, R, C)[4][0]), float(_taps(image, R, C)[4][1])) for R, C in want)
        assert sorted((t, lft) for t, lft, _h, _w in outline.cells) == want_cells
    views.pixelHovered.emit("input", -1, -1)  # the mouse left the image
    assert not step.readers.outline.isVisible()
    views.pixelHovered.emit("input", 9, 13)
    step.exit()
    assert not step.readers.outline.isVisible()
    views.pixelHovered.emit("input", 9, 13)  # outside step mode, nothing
    assert not step.readers.outline.isVisible()


def test_playing_a_strided_layer_dims_exactly_the_pixels_not_reached(layer, small_image):
    step = layer.step_mode
    image = _rgb(small_image)
    out_h, out_w = layer.document.result.convolved.shape[:2]
    step.select(0, 0)
    step.play()
    step.playback.stop()  # drive the steps by hand
    for r, c in ((0, 3), (2, 0), (5, 7), (out_h - 1, out_w - 2)):
        step.select(r, c)
        dimmed = set()
        for R in range(out_h):
            for C in range(out_w):
                # convolved pixel (R, C) is drawn over its window's anchor tap, stride input pixels apart
                y, x = (v + 0.5 for v in _taps(image, R, C)[4])
                if any(item.isVisible() and item.rect().contains(x, y) for item in step.overlays.dim_conv):
                    dimmed.add((R, C))
        assert dimmed == {(R, C) for R in range(out_h) for C in range(out_w) if (R, C) > (r, c)}, (r, c)
    step.pause()


def test_selecting_a_pixel_zooms_to_show_its_whole_dilated_window(layer, qtbot, small_image):
    with qtbot.waitSignal(layer.document.resultReady, timeout=10000):
        layer.document.change(dilation=(6, 7))
    step = layer.step_mode
    step.select(8, 6)
    shown = layer.views.input.view.viewRect()
    taps = _taps(_rgb(small_image), 8, 6, (6, 7))
    for r, c in (taps[0], taps[-1]):
        assert shown.contains(c, r) and shown.contains(c + 1, r + 1)



def test_the_readers_outline_goes_when_the_options_change(layer, qtbot):
    step = layer.step_mode
    step.select(2, 2)
    layer.views.pixelHovered.emit("input", 9, 13)
    assert step.readers.outline.isVisible()
    with qtbot.waitSignal(layer.document.resultReady, timeout=10000):
        layer.document.change(stride=(1, 1))
    assert not step.readers.outline.isVisible()  # drawn for the old stride: it would point at wrong pixels
