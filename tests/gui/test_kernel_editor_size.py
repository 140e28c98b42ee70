"""The kernel's size in the editor: applied when committed, one undo step, around the centre; and the room
the editor takes in the dock, up to 7x7 at 1024 wide, and back down after a big kernel."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import engine
from gui.kernel_editor import DEFAULT_PRESET
from tests.gui.kernel_editor_support import editor, grid_values, NOTEBOOK, type_into  # noqa: F401 (editor: a fixture)


# -- the size: applied when committed, one undo step, around the centre ---------------------------------------
def test_typing_15_as_the_size_applies_15_once_keeping_the_centre(qtbot, editor):
    type_into(qtbot, editor.rows, "15", commit=False)
    assert len(editor.state.kernel) == 3  # nothing applied per keystroke
    qtbot.keyClick(editor.rows, Qt.Key.Key_Return)
    assert len(editor.state.kernel) == 15 and editor.undo_stack.count() == 1
    assert [list(row) for row in editor.state.kernel[6:9]] == NOTEBOOK  # rows 6..8 around centre 7
    editor.undo_stack.undo()
    assert grid_values(editor) == NOTEBOOK


def test_a_typed_size_is_applied_when_focus_leaves_the_box(qtbot, editor):
    type_into(qtbot, editor.cols, "5", commit=False)
    assert len(editor.state.kernel[0]) == 3
    qtbot.keyClick(editor.cols, Qt.Key.Key_Tab)
    assert len(editor.state.kernel[0]) == 5 and editor.state.kernel[1][1:4] == (0.0, 0.0, 0.0)


def test_arrow_steps_through_even_sizes_keep_the_centre_and_are_one_undo_step(qtbot, editor):
    editor.set_preset(engine.get_preset("Sharpen"))
    start = editor.undo_stack.count()
    for box in (editor.rows, editor.cols):
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Up)  # 3 -> 4: the extra row/column goes below/right
        qtbot.keyClick(box, Qt.Key.Key_Up)  # 4 -> 5: the centre moves back to the middle
    assert editor.state.kernel[2][2] == 5.0 and editor.state.kernel[1][2] == -1.0
    assert editor.undo_stack.count() == start + 1
    editor.undo_stack.undo()
    assert editor.state == engine.get_preset("Sharpen")


@pytest.mark.parametrize("start, size", [((3, 3), (5, 5)), ((3, 3), (4, 6)), ((2, 4), (7, 5)), ((4, 4), (9, 8))])
def test_a_zero_padded_grow_leaves_the_zero_border_output_identical(qtbot, editor, small_image, start, size):
    rng = np.random.default_rng(sum(start + size))
    kernel = rng.integers(-4, 5, size=start).astype(float)
    editor.set_values(kernel, 0.5, 3.0)
    before = engine.run_job(small_image, engine.JobOptions(kernel=editor.state.kernel, weight=0.5, offset=3.0,
                                                         output_range="raw"))
    type_into(qtbot, editor.rows, str(size[0]))
    type_into(qtbot, editor.cols, str(size[1]))
    assert engine.JobOptions(kernel=editor.state.kernel).shape == size
    after = engine.run_job(small_image, engine.JobOptions(kernel=editor.state.kernel, weight=0.5, offset=3.0,
                                                        output_range="raw"))
    assert np.array_equal(before.convolved, after.convolved)


def test_shrinking_keeps_the_centre(qtbot, editor):
    editor.set_preset(engine.get_preset("Gaussian blur 5x5"))
    type_into(qtbot, editor.rows, "3")
    type_into(qtbot, editor.cols, "3")
    assert editor.state.kernel == tuple(row[1:4] for row in engine.get_preset("Gaussian blur 5x5").kernel[1:4])



# -- room: up to 7x7 in a narrow dock, and back down after a big kernel ------------------------------------------
def test_the_minimum_width_goes_back_down_after_a_bigger_kernel(qtbot, editor):
    QApplication.processEvents()
    small = (editor.minimumSizeHint().width(), editor.sizeHint().width())
    editor.set_values([[12.0] * 9] * 9, 1.0, 0.0)
    QApplication.processEvents()
    assert editor.minimumSizeHint().width() > small[0] and editor.sizeHint().width() > small[1]
    editor.undo_stack.undo()
    QApplication.processEvents()
    assert (editor.minimumSizeHint().width(), editor.sizeHint().width()) == small


@pytest.mark.parametrize("scale", [1.0, 1.6])  # normal and presentation fonts
def test_a_7x7_kernel_weight_normalize_and_offset_fit_a_1024_wide_screens_dock(qtbot, editor, scale):
    font = QApplication.font()
    font.setPointSizeF(font.pointSizeF() * scale)
    editor.setFont(font)
    editor.set_values([[-1 / 16] * 7] * 7, 1 / 256, 128.0)
    QApplication.processEvents()
    width = editor.minimumSizeHint().width()
    # 1024 px minus three 240 px views leaves ~280 px for the dock and its frames
    assert width <= 255
    editor.resize(width, editor.minimumSizeHint().height())
    QApplication.processEvents()
    inside = editor.rect()
    for widget in [editor.cell(r, c) for r in range(7) for c in range(7)] + [editor.weight, editor.offset,
                                                                             editor.normalize]:
        box = widget.geometry().translated(widget.parentWidget().mapTo(editor, widget.parentWidget().rect().topLeft()))
        assert inside.contains(box) and widget.width() >= widget.minimumSizeHint().width(), widget.objectName()


def test_a_session_or_restart_keeps_the_preset_name_and_whether_it_was_modified(window):
    import json

    files = getattr(window, "files", window)  # the window's session actions

    def round_trip():
        session = engine.Session.from_dict(json.loads(json.dumps(files.current_session().to_dict())))
        window.editor.reset()
        files.apply_session(session)

    window.editor.set_preset(engine.get_preset("Sobel x"))  # same values as Notebook: 'vertical lines'
    round_trip()
    assert window.editor.preset_label.text() == "Preset: Sobel x"
    window.editor.cell(0, 0).setValue(5.0)
    round_trip()
    assert window.editor.preset_label.text() == "Preset: Sobel x (modified)" and window.editor.state.kernel[0][0] == 5


def test_a_cell_asks_for_room_for_a_longer_value_shown_by_the_editor(editor):
    before = editor.cell(0, 0).sizeHint().width()
    editor.set_values(((-1 / 16, 0.0, 0.0), (0.0, 0.0, 0.0), (0.0, 0.0, 0.0)), 1.0, 0.0)
    assert editor.cell(0, 0).sizeHint().width() > before
    assert editor.grid_holder.itemAt(0).widget().layout().itemAtPosition(0, 0).sizeHint().width() > before


def test_an_arrow_on_unreadable_text_refuses_it_instead_of_stepping_an_old_value(qtbot, editor):
    type_into(qtbot, editor.cell(1, 1), "1/x", commit=False)
    qtbot.keyClick(editor.cell(1, 1), Qt.Key.Key_Up)
    assert editor.state == DEFAULT_PRESET and editor.cell(1, 1).invalid and "1/x" in editor.note.text()


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_the_preset_name_shows_whole_in_the_window_with_modified(qtbot, window, size):
    """The preset label wraps inside the dock (it must not widen it) and keeps room for all of its text."""
    window.resize(*size)
    window.editor.weight.setValue(0.5)  # the default preset, modified: the longest text it shows
    qtbot.wait(50)
    label = window.editor.preset_label
    assert label.text().endswith("(modified)")
    from PySide6.QtCore import QRect, Qt

    room = label.contentsRect()
    flags = Qt.TextFlag.TextWordWrap if label.wordWrap() else Qt.AlignmentFlag.AlignLeft
    needed = label.fontMetrics().boundingRect(QRect(0, 0, room.width(), 10 ** 5), flags, label.text())
    assert needed.width() <= room.width() and needed.height() <= room.height()  # nothing clipped
