"""Turning the mouse wheel over the kernel and options panel scrolls it; it changes a kernel cell, option or
size only in a box the user has clicked into (seen under Xvfb at 1280x720: scrolling down the panel with the
pointer over the grid turned a 0 of the notebook's kernel into 3)."""

from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QWidget


def turn_wheel(widget, notches: int) -> None:
    """``notches`` clicks of a mouse wheel over the middle of ``widget`` (negative: towards the user, i.e. down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0), QPoint(0, 120 * notches),
                        Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def side_scroll_bar(window):
    return window.side_dock.widget().verticalScrollBar()


def short_window(window, qtbot):
    window.resize(1024, 480)  # the panel is taller than the dock: it scrolls
    qtbot.waitUntil(lambda: side_scroll_bar(window).maximum() > 0)


def test_the_wheel_over_a_kernel_cell_scrolls_the_panel_and_keeps_the_kernel(window, qtbot):
    short_window(window, qtbot)
    kernel = window.editor.state.kernel
    turn_wheel(window.editor.cell(1, 1), -1)
    assert window.editor.state.kernel == kernel
    assert window.document.options.kernel == kernel
    assert side_scroll_bar(window).value() > 0


def test_the_wheel_over_an_option_box_keeps_the_option(window, qtbot):
    short_window(window, qtbot)
    options = window.document.options
    for box in (window.options_panel.output_range, window.options_panel.border, window.options_panel.pool_size,
                window.editor.weight, window.editor.rows):
        turn_wheel(box, -3)
        turn_wheel(box, 2)
    assert window.document.options == options


def test_cells_made_by_a_new_kernel_size_are_guarded_too(window, qtbot):
    window.editor.set_values([[0.0] * 5 for _ in range(5)], 1.0, 0.0)
    assert len(window.editor.state.kernel) == 5
    turn_wheel(window.editor.cell(4, 4), 2)
    assert window.editor.state.kernel == tuple((0.0,) * 5 for _ in range(5))


def test_a_wheel_turn_gives_no_box_of_the_panel_the_focus(window):
    """Qt itself focuses a box whose policy includes WheelFocus before the wheel event reaches any filter (seen
    under Xvfb: the Border box still changed); clicking and Tab still focus every box."""
    window.editor.set_values([[0.0] * 5 for _ in range(5)], 1.0, 0.0)  # new cells too
    boxes = [box for box in window.side_dock.widget().widget().findChildren(QWidget)
             if isinstance(box, (QAbstractSpinBox, QComboBox))]
    assert window.editor.cell(4, 4) in boxes and window.options_panel.border in boxes
    for box in boxes:
        policy = box.focusPolicy()
        assert policy & Qt.FocusPolicy.WheelFocus != Qt.FocusPolicy.WheelFocus, box
        assert policy & Qt.FocusPolicy.StrongFocus == Qt.FocusPolicy.StrongFocus, box


def test_a_cell_the_user_clicked_into_still_takes_the_wheel(window, qtbot):
    cell = window.editor.cell(1, 1)
    window.activateWindow()
    cell.setFocus()
    qtbot.waitUntil(cell.hasFocus)
    before = window.editor.state.kernel[1][1]
    turn_wheel(cell, 1)
    assert window.editor.state.kernel[1][1] == before + 1


def test_the_wheel_over_the_learn_panel_scrolls_it_and_keeps_its_settings(window, qtbot):
    """The Learn dock scrolls too: a wheel turned over its Target box changed the target (its last entry,
    'Image file...', opens a file dialog); over the kernel size or Rate it changed them."""
    window.learn_dock.show()
    controls = window.learn_panel.controls
    boxes = (controls.target_choice, controls.border, controls.rows, controls.rate, controls.momentum)
    before = [box.currentIndex() if hasattr(box, "currentIndex") else box.value() for box in boxes]
    for box in boxes:
        turn_wheel(box, -3)
    assert [box.currentIndex() if hasattr(box, "currentIndex") else box.value() for box in boxes] == before
    for box in boxes:
        assert box.focusPolicy() & Qt.FocusPolicy.WheelFocus != Qt.FocusPolicy.WheelFocus
