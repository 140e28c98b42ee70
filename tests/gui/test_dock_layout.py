"""Issue 12, item 3: at 1024x768, 1280x720 and 1600x1000, normal and presentation, step mode on and off,
after any kernel size and back, every kernel cell and option shows without sideways scrolling, the docks
never collapse and shrink back, and each image view keeps 240 pixels. Checked by geometry."""

import pytest
from PySide6.QtCore import QPoint

import engine
from gui.dock_layout import MIN_VIEW

SEVEN = [[((7 * i + j) % 9 - 4) / 16 for j in range(7)] for i in range(7)]  # -1/4, 3/16, ...: wide cells
FIVE = engine.get_preset("Gaussian blur 5x5").kernel
THREE = engine.get_preset("Sobel x").kernel


def settle(qtbot, window):
    qtbot.wait(20)
    window.dock_layout.arrange()
    qtbot.wait(20)


def cut_off(window) -> list[str]:
    """The kernel cells and options that do not fit across the side dock's viewport."""
    scroll = window.side_dock.widget()
    viewport = scroll.viewport()
    editor, options = window.editor, window.options_panel
    widgets = {f"cell {r},{c}": editor.cell(r, c) for r in range(editor.rows.value())
               for c in range(editor.cols.value())}
    widgets.update(weight=editor.weight, offset=editor.offset, lab=options.lab, border=options.border,
                   output=options.output_range, pooling=options.pool_op, window=options.pool_size,
                   stride=options.pool_stride)
    bad = []
    for name, widget in widgets.items():
        left = widget.mapTo(viewport, QPoint(0, 0)).x()
        if left < 0 or left + widget.width() > viewport.width() or widget.width() < widget.minimumSizeHint().width():
            bad.append(name)
    return bad


def check(qtbot, window, where: str) -> int:
    settle(qtbot, window)
    scroll = window.side_dock.widget()
    assert not scroll.horizontalScrollBar().isVisible(), where
    assert cut_off(window) == [], where
    assert scroll.width() >= scroll.widget().minimumSizeHint().width(), f"{where}: the side dock collapsed"
    widths = [panel.width() for panel in window.views.panels()]
    assert min(widths) >= MIN_VIEW, f"{where}: views {widths}"
    if window.step_mode.is_active:
        assert window.step_mode.dock.isVisible(), where
        assert not window.step_mode.panel.scroll.horizontalScrollBar().isVisible(), where
    return window.side_dock.width()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720), (1600, 1000)])
@pytest.mark.parametrize("presentation", [False, True])
@pytest.mark.parametrize("stepping", [False, True])
def test_every_cell_and_option_shows_and_the_views_keep_their_width(qtbot, window, size, presentation, stepping):
    window.resize(*size)
    try:
        window.set_presentation(presentation)
        settle(qtbot, window)
        assert (window.width(), window.height()) == size
        if stepping:
            window.step_mode.select(5, 5)
        first = check(qtbot, window, f"{size} 3x3")
        for name, kernel in (("7x7", SEVEN), ("5x5", FIVE), ("3x3 again", THREE)):
            with qtbot.waitSignal(window.document.resultReady, timeout=10000):
                window.document.change(kernel=kernel, weight=1.0)
            width = check(qtbot, window, f"{size} presentation={presentation} step={stepping} {name}")
        assert abs(width - first) <= 2, "the side dock shrinks back after a bigger kernel"
    finally:
        window.step_mode.exit()
        window.set_presentation(False)


def test_leaving_step_mode_and_growing_the_window_gives_the_side_dock_its_room_back(qtbot, window):
    window.resize(1024, 768)
    window.set_presentation(True)
    try:
        window.step_mode.select(5, 5)
        check(qtbot, window, "1024x768 presentation, stepping")
        window.step_mode.exit()
        window.set_presentation(False)
        window.resize(1600, 1000)
        width = check(qtbot, window, "1600x1000 after")
        content = window.side_dock.widget().widget().sizeHint().width()
        assert width >= content  # all it asks for, now that there is room
    finally:
        window.step_mode.exit()
        window.set_presentation(False)
