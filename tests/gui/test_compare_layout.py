"""Compare mode's six views on small screens, normal and presentation: every colour bar's caption drawn in
the font it is measured in, no caption over another or past its panel, and each view keeping room for its
image (seen under Xvfb at 1280x720 in presentation mode: the A - B bars' captions ran into each other and
off the panel, and the images shrank to nothing)."""

import numpy as np
import pytest
from PySide6.QtCore import QRectF
from PySide6.QtGui import QFontMetricsF
from PySide6.QtWidgets import QApplication

import engine
from engine.levels import signed_levels
from gui.colorbar import CAPTION_TOP, LevelsBar
from gui.compare_grid import LEAST_IMAGE
from tests.gui.test_compare_mode import compare_with, sobel_window as comparing  # noqa: F401 (a fixture)


def caption_boxes(bar) -> list[tuple[str, QRectF]]:
    """Each caption text and its box in scene coordinates, as wide as the font it is painted in makes it
    (measured here, not by the bar)."""
    boxes = []
    for at, static, *font in bar._placed():
        font = font[0] if font else QApplication.font()  # a bare QFont paints in the application's
        metrics = QFontMetricsF(font)
        box = QRectF(at.x(), at.y(), metrics.horizontalAdvance(static.text()), metrics.height())
        boxes.append((static.text(), bar.mapRectToScene(box)))
    return boxes


def caption_problems(panel) -> list[str]:
    bar = panel.levels_bar
    shown = QRectF(panel.widget.rect()).adjusted(-0.5, -0.5, 0.5, 0.5)
    boxes = [(text, box.adjusted(0.5, 0.5, -0.5, -0.5)) for text, box in caption_boxes(bar)]
    problems = [f"{panel.name}: {a!r} over {b!r}" for k, (a, box) in enumerate(boxes)
                for b, other in boxes[k + 1:] if box.intersects(other)]
    problems += [f"{panel.name}: {text!r} off the panel" for text, box in boxes if not shown.contains(box)]
    return problems


def settle(qtbot, window):
    for _ in range(3):
        qtbot.wait(30)
        window.dock_layout.arrange()
    qtbot.wait(30)


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_captions_stay_legible_and_images_keep_room_normal_and_presenting(qtbot, comparing, size):
    window = comparing
    window.resize(*size)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(output_range="raw")  # A, B and both differences on signed bars
    compare_with(qtbot, window, engine.get_preset("Scharr x"))
    views = window.compare.views
    try:
        for presenting in (False, True):
            if presenting:
                window.menus.presentation.trigger()  # as a click does: its toggled signal comes first
            settle(qtbot, window)
            where = f"{size} presentation={presenting}"
            panels = [panel for panel in views.panels() if panel.isVisible()]
            assert len(panels) == 6, where
            font_height = QFontMetricsF(QApplication.font()).height()
            for panel in panels:
                bar = panel.levels_bar
                assert bar.minimumHeight() >= CAPTION_TOP + 2 * font_height, f"{where}: {panel.name}'s bar"
                assert bar.height() >= bar.minimumHeight() - 1, f"{where}: {panel.name}'s caption cut off"
                assert caption_problems(panel) == [], where
                assert panel.view.height() >= LEAST_IMAGE - 1, f"{where}: {panel.name}'s image has no room"
                texts = [text for text, _ in caption_boxes(bar)]
                low, high = bar.shown_levels()
                assert f"{low:g}" in texts and f"{high:g}" in texts, where  # the ends' values, whole
            assert window.compare.dock.isVisible() and window.compare.dock.height() >= 150, where
    finally:
        if window.menus.presentation.isChecked():
            window.menus.presentation.trigger()


def test_ends_too_wide_for_a_narrow_bar_go_smaller_rather_than_overlap(qtbot):
    import pyqtgraph as pg

    view = pg.GraphicsLayoutWidget()
    qtbot.addWidget(view)
    bar = LevelsBar()
    view.addItem(bar)
    view.resize(90, 80)
    view.show()
    qtbot.waitExposed(view)
    levels = signed_levels(np.array([-1234567.25, 1234567.25]), choice="full")
    bar.show_levels(levels, signed=True)
    qtbot.wait(20)
    texts = [text for text, _ in caption_boxes(bar)]
    assert f"{levels.low:g}" in texts and f"{levels.high:g}" in texts
    boxes = [box.adjusted(0.5, 0.5, -0.5, -0.5) for _, box in caption_boxes(bar)]
    assert not any(a.intersects(b) for k, a in enumerate(boxes) for b in boxes[k + 1:])
    width = bar.mapRectToScene(bar.boundingRect()).right()
    assert all(box.right() <= width + 0.5 and box.left() >= -0.5 for box in boxes)
