"""The small multiples of a layer's feature maps: one tile per map (and per pooled map), each showing that
map's values, a click making that map the one in the big views, and the strip leaving the views their room."""

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor

import engine
from gui.dock_layout import MIN_VIEW
from gui.document import Source
from tests.engine import reference


def _rgb(small_image):
    return np.ascontiguousarray(np.stack([small_image, small_image[::-1], 255 - small_image], axis=-1))


def _bank(maps: int) -> np.ndarray:
    """A 3x3x3xmaps kernel whose maps differ: map o is a Sobel x scaled by (o + 1) on channel o % 3."""
    sobel = np.array(engine.get_preset("Sobel x").kernel, dtype=float)
    kernel = np.zeros((3, 3, 3, maps))
    for o in range(maps):
        kernel[:, :, o % 3, o] = sobel * (o + 1) / 4
        kernel[1, 1, (o + 1) % 3, o] = 0.5
    return kernel


@pytest.fixture
def layer_window(window, qtbot, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(_rgb(small_image), Source("colour"))
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=_bank(5), offset=[0, 10, 20, 30, 40])
    qtbot.waitUntil(lambda: window.centre.tiles.isVisible())
    return window


def _tile_values(tiles, row: int, o: int, shape) -> tuple[np.ndarray, int]:
    """(the gray level drawn for each pixel of the map's strided slice, the stride): read at the centre of
    each slice pixel's block in the tile image (the gray colour map has r = g = b)."""
    image, step = tiles.images[row][o], tiles.steps[row]
    h, w = -(-shape[0] // step), -(-shape[1] // step)
    values = np.array([[QColor(image.pixel(int((b + 0.5) * image.width() / w),
                                           int((a + 0.5) * image.height() / h))).red()
                        for b in range(w)] for a in range(h)])
    return values, step


def test_one_tile_per_map_and_per_pooled_map_showing_that_maps_values(layer_window, small_image):
    window = layer_window
    tiles = window.centre.tiles
    tiles.repaint()
    options = window.document.options
    want = np.array(reference.layer(_rgb(small_image), options.kernel_array, 1.0, list(options.offset)))
    assert tiles.count == 5 and [name for name, _ in tiles.rows()] == ["convolved", "pooled"]
    for o in range(5):
        got, step = _tile_values(tiles, 0, o, want.shape)
        # every k-th pixel of the map, in gray 0..255 for clamped output: the value itself (within the 1 the
        # colour map's 256-entry table rounds by; the maps differ from each other by far more)
        assert np.abs(got - want[::step, ::step, o]).max() <= 1, o
        assert all(np.abs(got - want[::step, ::step, other]).max() > 8 for other in range(5) if other != o)
        pooled = np.array(reference.pool(want[:, :, o], "max", 2))
        got, step = _tile_values(tiles, 1, o, pooled.shape)
        assert np.abs(got - pooled[::step, ::step]).max() <= 1, o


def test_tiles_of_signed_output_use_the_big_views_colours(layer_window, qtbot):
    window = layer_window
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(output_range="raw")
    tiles = window.centre.tiles
    tiles.repaint()
    result = window.document.result
    low, high = window.document.shown.levels["convolved"].bounds
    view_lut = window.views.convolved.item.lut  # the colour table the big view draws with
    for o in (0, 3):
        image, step = tiles.images[0][o], tiles.steps[0]
        plane = result.convolved[::step, ::step, o]
        h, w = plane.shape
        for a, b in ((0, 0), (h // 2, w // 3), (h - 1, w - 1)):
            index = int(min(max(np.floor((float(plane[a, b]) - low) * 256 / (high - low)), 0), 255))
            got = QColor(image.pixel(int((b + 0.5) * image.width() / w), int((a + 0.5) * image.height() / h)))
            assert (got.red(), got.green(), got.blue()) == tuple(int(v) for v in view_lut[index][:3])


def test_a_click_on_a_map_shows_it_and_its_pooled_map_in_the_big_views(layer_window, qtbot):
    window = layer_window
    tiles = window.centre.tiles
    for row, o in ((0, 3), (1, 1)):
        qtbot.mouseClick(tiles, Qt.MouseButton.LeftButton, pos=tiles.tile_rect(row, o).center())
        result = window.document.result
        assert window.layer_panel.out_channel.value() == o and tiles.chosen == o
        assert np.array_equal(window.views.convolved.data, result.convolved[:, :, o])
        assert np.array_equal(window.views.pooled.data, result.pooled[:, :, o])
        # and the editor shows that map's slice and bias
        assert window.editor.state.offset == window.document.options.offset_of(o)
    qtbot.mouseClick(tiles, Qt.MouseButton.LeftButton, pos=QPoint(1, 1))  # not on a tile: nothing changes
    assert window.layer_panel.out_channel.value() == 1


def test_the_strip_hides_for_one_map_and_shows_again_for_several(layer_window, qtbot):
    window = layer_window
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.layer_panel.outputs.setValue(1)
    assert window.centre.tiles.count == 0 and not window.centre.tiles.isVisible()
    assert window.views.height() == window.centre.height()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.layer_panel.outputs.setValue(8)
    assert window.centre.tiles.count == 8 and window.centre.tiles.isVisible()


def test_without_pooling_there_is_one_row(layer_window, qtbot):
    with qtbot.waitSignal(layer_window.document.resultReady, timeout=10000):
        layer_window.document.change(pool=None)
    assert [name for name, _ in layer_window.centre.tiles.rows()] == ["convolved"]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1600, 1000)])
def test_the_strip_leaves_the_views_room_at_common_screen_sizes(layer_window, qtbot, size):
    window = layer_window
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.layer_panel.outputs.setValue(8)
    window.resize(*size)
    qtbot.waitUntil(lambda: window.size().width() == size[0] or window.size().width() > 0)
    window.dock_layout.arrange()
    qtbot.wait(50)
    centre, tiles = window.centre, window.centre.tiles
    assert tiles.isVisible()
    for panel in window.views.panels():
        assert panel.width() >= MIN_VIEW and panel.view.height() >= MIN_VIEW, size
    rects = [tiles.tile_rect(row, o) for row in range(2) for o in range(8)]
    assert all(r.left() >= 0 and r.top() >= 0 and r.right() <= tiles.width() and r.bottom() <= tiles.height()
               for r in rects), size  # every tile whole
    assert not any(a.intersects(b) for k, a in enumerate(rects) for b in rects[k + 1:]), size
    assert tiles.geometry().bottom() <= centre.height()
    # each tile answers a click with its own map, wherever the layout put it (maps may wrap onto two lines)
    for o in (0, 5, 7):
        assert tiles.map_at(QPointF(tiles.tile_rect(1, o).center())) == o


def _menu_action(menu, text):
    return next(a for a in menu.actions() if a.text() == text)


@pytest.mark.parametrize("preset", [p.name for p in engine.LAYER_PRESETS])
def test_layer_presets_in_the_presets_menu_fill_every_slice(layer_window, qtbot, preset):
    window = layer_window
    window.layer_panel.in_channel.setValue(1)
    window.layer_panel.out_channel.setValue(2)
    edited = window.document.options.kernel_slice(1, 2)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        _menu_action(window.presets.menu, preset).trigger()
    options = window.document.options
    assert options.layer_shape == (3, 3, 3, 5) and options.offset == (0, 10, 20, 30, 40)  # biases kept
    assert np.array_equal(options.kernel_array, engine.fill_layer(preset, edited, 3, 5))
    assert window.editor.state.kernel == options.kernel_slice(1, 2)  # the editor shows the new slice
    assert np.array_equal(window.views.convolved.data, window.document.result.convolved[:, :, 2])


def test_a_layer_preset_turns_a_2d_kernel_on_a_colour_image_into_one_map_per_channel(window, qtbot, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(_rgb(small_image), Source("colour"))
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        _menu_action(window.presets.menu, "Per-channel edge").trigger()
    assert window.document.options.layer_shape == (3, 3, 3, 3)
    assert window.layer_panel.outputs.value() == 3 and window.centre.tiles.count == 3


def test_a_layer_preset_in_lab_mode_is_refused_and_changes_nothing(window, qtbot):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(lab=True)
    before = window.document.options
    _menu_action(window.presets.menu, "Sobel x on every channel").trigger()
    assert window.document.options == before


def test_maps_of_options_that_cannot_run_are_drawn_faded_until_a_result_comes(layer_window, qtbot, small_image):
    window = layer_window
    tiles = window.centre.tiles
    with qtbot.waitSignal(window.document.jobFailed, timeout=10000):  # a gray image for a 3-channel layer
        window.document.set_image(small_image, Source("gray"))
    assert tiles.stale and tiles.count == 5  # the last maps stay, marked out of date like the big views
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(_rgb(small_image), Source("colour"))
    assert not tiles.stale


def test_an_edit_of_one_map_redraws_that_maps_tiles_and_keeps_the_others(layer_window, qtbot, small_image):
    window = layer_window
    tiles = window.centre.tiles
    tiles.repaint()
    before = [[image.cacheKey() for image in row] for row in tiles.images]
    kernel = window.document.options.kernel_array.copy()
    kernel[1, 1, 0, 2] += 2.0  # map 2 only; clamped output keeps the levels 0..255
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=kernel)
    tiles.repaint()
    after = [[image.cacheKey() for image in row] for row in tiles.images]
    for row in range(2):
        assert [o for o in range(5) if after[row][o] != before[row][o]] == [2]
    options = window.document.options
    want = np.array(reference.layer(_rgb(small_image), kernel, 1.0, list(options.offset)))
    for o in range(5):
        got, step = _tile_values(tiles, 0, o, want.shape)
        assert np.abs(got - want[::step, ::step, o]).max() <= 1, o
