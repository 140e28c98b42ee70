"""Small multiples in the layer stack: a layer with several maps shows every map's thumbnail under its view,
drawn with the layer's levels; a click on one chooses that map, as the chooser does; no room, no strip."""

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt

import engine
from gui.colorbar import DIVERGING, GRAY
from tests.gui.test_stack_window import run_stack


@pytest.fixture
def lenet(qtbot, window):
    """The window, big enough for thumbnails, with the stack on and the LeNet-like preset run."""
    window.resize(1800, 1200)
    window.stack_mode.toggle.trigger()
    run_stack(qtbot, window, lambda: window.document.stack.activate(engine.PIPELINE_PRESETS["LeNet-like"]))
    qtbot.wait(50)
    return window


def several(window):
    return [cell for cell in window.stack_mode.views.cells[1:] if cell.array.ndim == 3]


def test_every_layer_with_several_maps_shows_one_thumbnail_per_map(lenet):
    cells = several(lenet)
    assert {cell.array.shape[2] for cell in cells} == {4, 2}  # the preset's 4-map and 2-map layers
    for cell in lenet.stack_mode.views.cells:
        if cell in cells:
            cell.tiles.repaint()
            assert cell.tiles.isVisible() and cell.tiles.count == cell.array.shape[2]
            assert len(cell.tiles.images[0]) == cell.array.shape[2]
        else:
            assert not cell.tiles.isVisible() and cell.tiles.count == 0


def test_a_click_on_a_thumbnail_chooses_that_map_as_the_chooser_does(qtbot, lenet):
    cell = several(lenet)[0]
    last = cell.array.shape[2] - 1
    chosen = []
    lenet.stack_mode.views.mapChosen.connect(lambda view, m: chosen.append((view, m)))
    qtbot.mouseClick(cell.tiles, Qt.MouseButton.LeftButton, pos=cell.tiles.tile_rect(0, last).center())
    assert cell.map.value() == last and cell.channel == last and cell.tiles.chosen == last
    assert chosen == [(cell.index, last)]
    assert np.array_equal(cell.panel.data, cell.array[:, :, last])
    cell.map.setValue(0)  # and the chooser moves the frame
    assert cell.tiles.chosen == 0


def test_thumbnail_pixels_are_the_layers_values_through_its_shared_levels(qtbot, lenet):
    for cell in several(lenet):
        cell.tiles.repaint()
        assert cell.tiles.images and cell.tiles.images[0]
        low, high = lenet.document.stack.shown.levels[cell.index - 1].bounds
        colours = (DIVERGING if cell._signed else GRAY).getLookupTable(nPts=256, alpha=False, mode="byte")
        tile = cell.tiles.tile_rect(0, 0)
        height, width = cell.array.shape[:2]
        step = max(1, math.ceil(max(height / tile.height(), width / tile.width())))  # every step-th pixel
        rows, cols = range(0, height, step), range(0, width, step)
        for o, image in enumerate(cell.tiles.images[0]):
            for i, r in enumerate(rows):
                for j, c in enumerate(cols):
                    value = float(cell.array[r, c, o])
                    index = min(255, max(0, math.floor((value - low) * 256 / (high - low)))) if high > low else 0
                    x = int((j + 0.5) * image.width() / len(cols))
                    y = int((i + 0.5) * image.height() / len(rows))
                    pixel = image.pixelColor(x, y)
                    assert (pixel.red(), pixel.green(), pixel.blue()) == tuple(colours[index]), (o, r, c)


def test_no_room_no_strip_and_the_views_keep_their_size(qtbot, lenet):
    lenet.resize(900, 600)
    qtbot.wait(50)
    for cell in several(lenet):
        assert cell.panel.widget.height() >= 100
        if not cell.tiles.isVisible():
            continue
        assert cell.panel.widget.height() >= cell.tiles.height()
