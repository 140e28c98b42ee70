"""The layer stack's grid: its columns are chosen for the image size the views really get once the thumbnails
of layers with several maps have their room, and at 1024x768, 1280x720 and 1600x1000 (with and without the
step dock) no view is cut off. Sizes are measured on the laid-out widgets."""

import pytest

import engine
from tests.gui.test_stack_window import run_stack

LENET = engine.PIPELINE_PRESETS["LeNet-like"]


def settle(qtbot, window):
    qtbot.wait(30)
    window.dock_layout.arrange()
    qtbot.wait(30)


@pytest.fixture
def lenet(qtbot, window):
    run_stack(qtbot, window, lambda: window.document.stack.activate(LENET))
    yield window
    window.document.stack.deactivate()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1600, 1000)])
@pytest.mark.parametrize("selecting", [False, True])
def test_no_view_is_cut_off(qtbot, lenet, size, selecting):
    window = lenet
    window.resize(*size)
    settle(qtbot, window)
    if selecting:
        window.stack_mode.select(4, 5, 5)  # the step dock opens
        settle(qtbot, window)
    views = window.stack_mode.views
    assert views.isVisible() and views.height() > 300
    for cell in views.cells:
        assert views.rect().contains(cell.geometry()), f"view {cell.index} {cell.geometry()} in {views.rect()}"
        for part in (cell.panel, cell.tiles, cell.size_label):
            if part.isVisible():
                assert cell.rect().contains(part.geometry()), f"view {cell.index}: {type(part).__name__}"
        assert cell.panel.widget.height() >= cell.panel.widget.minimumHeight()
        assert cell.panel.view.height() >= 40 and cell.panel.view.width() >= 40  # an image worth the name
        label = cell.size_label  # before: '512x512 x 4 maps, ma' at 1024x768
        assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width(), label.text()
        assert label.text().startswith(f"{cell.array.shape[1]}x{cell.array.shape[0]}")
    # the columns were chosen for images of this side, thumbnails counted: every view gets it (to within
    # the estimate of a view's title, levels bar and size row); before, the thumbnails' height was not
    # counted, and views with thumbnails came out about a strip smaller than the side chosen for
    promised = views.image_side(views._columns)
    for cell in views.cells:
        room = min(cell.panel.view.width(), cell.panel.view.height())
        assert room >= promised - 25, f"view {cell.index}: {room} for a promised {promised:.0f}"
    window.stack_mode.step_dock.hide()


@pytest.mark.parametrize("width", [110, 150, 200, 400])
def test_the_size_note_under_a_narrow_view_fits_beside_the_map_box(qtbot, width):
    """Before: '512x512 x 4 maps, map' was cut ('512x512 x 4 maps, ma') in the views of 1024x768."""
    import numpy as np

    from engine.levels import plain_levels
    from gui.stack_cell import StackCell

    cell = StackCell(1)
    qtbot.addWidget(cell)
    maps = np.zeros((512, 256, 4), dtype=np.float32)
    cell.show_array(maps, plain_levels(maps), False, "1. conv", maps.shape)
    cell.resize(width, 400)
    cell.show()
    qtbot.wait(20)
    label = cell.size_label
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width() or label.text() == "256x512"
    assert label.text().startswith("256x512") and label.toolTip() == "256x512 x 4 maps, map"
    if width == 400:
        assert label.text() == "256x512 x 4 maps, map"
