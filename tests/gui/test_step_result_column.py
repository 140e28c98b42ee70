"""The arithmetic after the sum and the pooled value stay readable: side by side where both fit, the pooling
under the arithmetic where they do not (a narrow dock, presentation mode at 1024x768), never squeezed into
short lines or cut off."""

import pytest
from PySide6.QtCore import QPoint, QRect
from PySide6.QtWidgets import QApplication, QBoxLayout


def _settle(qtbot, window):
    window.dock_layout.arrange()
    for _ in range(5):
        QApplication.processEvents()
        qtbot.wait(10)


def _whole_in_body(widget, body) -> bool:
    top_left = widget.mapTo(body, QPoint(0, 0))
    return body.rect().contains(QRect(top_left, widget.size()))


@pytest.mark.parametrize("size, presentation", [((1024, 768), False), ((1024, 768), True), ((1280, 720), True),
                                                ((1600, 1000), False)])
def test_a_raw_fractional_result_reads_in_whole_lines(qtbot, window, size, presentation):
    window.resize(*size)
    window.set_presentation(presentation)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=[[1, 2, 1], [2, 4, 2], [1, 2, 1]], weight=1 / 3, output_range="raw")
    window.step_mode.select(10, 11)
    _settle(qtbot, window)
    panel = window.step_mode.panel
    body = panel.scroll.widget()
    result, pool = panel.result, panel.pool_result
    assert "raw, float32" in result.text() and "max" in pool.text()
    for label in (result, pool):  # every line of the arithmetic, and "max = 123.45678", on one line
        assert label.heightForWidth(label.width()) == label.heightForWidth(10 ** 5)
        assert label.height() >= label.heightForWidth(label.width())
    for widget in (result, panel.pool, pool):
        assert widget.width() > 0 and _whole_in_body(widget, body)
    side_by_side = panel.bottom.direction() == QBoxLayout.Direction.LeftToRight
    assert side_by_side == (body.width() >= 52 * panel.fontMetrics().horizontalAdvance("M"))
    window.set_presentation(False)


def test_a_narrow_dock_puts_the_pooling_under_the_arithmetic(qtbot, window):
    panel = window.step_mode.panel
    window.step_mode.select(4, 4)
    panel._fit_bottom(300)
    assert panel.bottom.direction() == QBoxLayout.Direction.TopToBottom
    panel._fit_bottom(2000)
    assert panel.bottom.direction() == QBoxLayout.Direction.LeftToRight
