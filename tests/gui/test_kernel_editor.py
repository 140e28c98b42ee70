"""The kernel editor on its own: grid, size, weight/offset, normalise, sum, keyboard, undo/redo, lab lock,
messages and the preset's name."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

import engine
from gui.kernel_editor import DEFAULT_PRESET
from tests.gui.kernel_editor_support import editor, grid_values, NOTEBOOK, status_text  # noqa: F401 (editor: a fixture)


def test_it_starts_on_the_notebooks_horizontal_lines_filter(editor):
    assert grid_values(editor) == NOTEBOOK
    assert editor.state == DEFAULT_PRESET and editor.state.weight == 1.0 and editor.state.offset == 0.0
    assert editor.sum_label.text().startswith("Sum 0 ")


def test_editing_a_cell_changes_exactly_that_entry_and_signals_once(qtbot, editor):
    seen = []
    editor.stateChanged.connect(seen.append)
    editor.cell(2, 0).setValue(7.5)
    want = [row[:] for row in NOTEBOOK]
    want[2][0] = 7.5
    assert [list(row) for row in editor.state.kernel] == want
    assert len(seen) == 1 and seen[0] == editor.state


def test_growing_the_kernel_keeps_the_centre_and_fills_new_cells_with_zero(editor):
    editor.rows.setValue(5)  # 3x3 -> 5x3: one new row above and one below
    editor.cols.setValue(4)  # 5x3 -> 5x4: the extra column goes right (TensorFlow 'SAME' anchor)
    expected = [[0.0] * 4 for _ in range(5)]
    for r in range(3):
        for c in range(3):
            expected[r + 1][c] = NOTEBOOK[r][c]
    assert grid_values(editor) == expected
    assert [list(row) for row in editor.state.kernel] == expected


def test_shrinking_to_1x1_keeps_the_centre_entry(editor):
    editor.cell(1, 1).setValue(4.0)
    editor.rows.setValue(1)
    editor.cols.setValue(1)
    assert editor.state.kernel == ((4.0,),)


def test_sizes_are_limited_to_1_to_15(editor):
    editor.rows.setValue(40)
    editor.cols.setValue(0)
    assert (editor.rows.value(), editor.cols.value()) == (15, 1)
    assert len(editor.state.kernel) == 15 and len(editor.state.kernel[0]) == 1


def test_the_sum_label_shows_the_sum_and_the_sum_times_the_weight(editor):
    editor.set_values(((1.0, 2.0), (3.0, 4.5)), 0.5, 0.0)
    assert editor.sum_label.text() == "Sum 10.5   (x weight = 5.25)"


def test_normalize_sets_the_weight_to_one_over_the_sum(editor):
    editor.set_preset(engine.get_preset("Box blur 3x3"))
    editor.weight.setValue(1.0)
    total = 0.0
    for row in editor.state.kernel:
        for value in row:
            total += value
    editor.normalize_weight()
    assert editor.state.weight == pytest.approx(1 / total, rel=1e-12)
    assert editor.weight.value() == pytest.approx(1 / total, abs=1e-10)


def test_normalize_of_a_zero_sum_kernel_says_why_and_changes_nothing(qtbot, editor):
    messages = []
    editor.message.connect(messages.append)
    before = editor.state
    editor.normalize_weight()
    assert len(messages) == 1 and "Cannot normalize" in messages[0] and "sums to 0" in messages[0]
    assert editor.state == before and editor.undo_stack.count() == 0


def test_weight_and_offset_boxes_edit_the_value(editor):
    editor.weight.setValue(0.25)
    editor.offset.setValue(128.0)
    assert (editor.state.weight, editor.state.offset) == (0.25, 128.0)


def test_every_value_a_spinbox_can_hold_makes_valid_options(editor):
    for box in (editor.cell(0, 0), editor.weight, editor.offset):
        box.setValue(box.maximum())
        box.setValue(box.minimum())
    state = editor.state
    options = engine.JobOptions(kernel=state.kernel, weight=state.weight, offset=state.offset)
    assert options.weight == editor.weight.minimum() and options.offset == editor.offset.minimum()


def test_a_preset_fills_the_grid_weight_and_offset(editor):
    preset = engine.get_preset("Emboss")
    editor.set_preset(preset)
    assert grid_values(editor) == [list(row) for row in preset.kernel]
    assert (editor.state.weight, editor.state.offset) == (preset.weight, preset.offset)


def test_steps_of_one_cell_merge_into_one_undo_step_and_other_cells_do_not(editor):
    editor.cell(0, 0).setValue(1.0)
    editor.cell(0, 0).setValue(2.0)
    editor.cell(0, 0).setValue(3.0)
    editor.cell(1, 1).setValue(9.0)
    assert editor.undo_stack.count() == 2
    editor.undo_stack.undo()
    assert editor.state.kernel[1][1] == 0.0 and editor.state.kernel[0][0] == 3.0
    editor.undo_stack.undo()
    assert grid_values(editor) == NOTEBOOK
    editor.undo_stack.redo()
    editor.undo_stack.redo()
    assert editor.cell(0, 0).value() == 3.0 and editor.cell(1, 1).value() == 9.0


def test_steps_that_end_where_they_began_leave_no_undo_step(qtbot, editor):
    editor.cell(0, 0).setValue(5.0)
    editor.cell(0, 0).setValue(-1.0)
    editor.rows.setFocus()
    qtbot.keyClick(editor.rows, Qt.Key.Key_Up)
    qtbot.keyClick(editor.rows, Qt.Key.Key_Down)
    assert editor.undo_stack.count() == 0 and grid_values(editor) == NOTEBOOK


def test_undo_of_a_preset_and_of_a_resize_restore_the_previous_grid(editor):
    editor.set_preset(engine.get_preset("Gaussian blur 5x5"))
    editor.rows.setValue(7)
    editor.undo_stack.undo()
    assert editor.state.kernel == engine.get_preset("Gaussian blur 5x5").kernel
    editor.undo_stack.undo()
    assert grid_values(editor) == NOTEBOOK and editor.rows.value() == 3


def test_reset_goes_back_to_the_notebooks_filter_and_is_undoable(editor):
    editor.set_preset(engine.get_preset("Sharpen"))
    editor.reset()
    assert editor.state == DEFAULT_PRESET
    editor.undo_stack.undo()
    assert editor.state.kernel == engine.get_preset("Sharpen").kernel


def test_tab_moves_through_the_cells_row_by_row(qtbot, editor):
    editor.cell(0, 0).setFocus()
    QApplication.processEvents()
    visited = []
    for _ in range(8):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget().objectName())
    assert visited == [f"cell_{r}_{c}" for r in range(3) for c in range(3)][1:]


def test_ctrl_arrows_move_between_cells_and_stop_at_the_edge(qtbot, editor):
    editor.cell(1, 1).setFocus()
    QApplication.processEvents()
    for key, name in ((Qt.Key.Key_Right, "cell_1_2"), (Qt.Key.Key_Right, "cell_1_2"), (Qt.Key.Key_Down, "cell_2_2"),
                      (Qt.Key.Key_Left, "cell_2_1"), (Qt.Key.Key_Up, "cell_1_1")):
        qtbot.keyClick(QApplication.focusWidget(), key, Qt.KeyboardModifier.ControlModifier)
        assert QApplication.focusWidget().objectName() == name
    assert grid_values(editor) == NOTEBOOK  # moving never edits


def test_up_and_down_keys_step_a_cell_by_one(qtbot, editor):
    box = editor.cell(1, 1)
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Up)
    qtbot.keyClick(box, Qt.Key.Key_Up)
    assert editor.state.kernel[1][1] == 2.0
    qtbot.keyClick(box, Qt.Key.Key_Down)
    assert editor.state.kernel[1][1] == 1.0


def test_typing_a_number_commits_it_on_enter(qtbot, editor):
    box = editor.cell(0, 2)
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, "-0.125")
    assert editor.state.kernel[0][2] == -1.0  # keyboard tracking is off: no job per keystroke
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert editor.state.kernel[0][2] == -0.125


def test_numbers_are_written_without_trailing_zeros(editor):
    editor.cell(0, 0).setValue(0.5)
    assert [editor.cell(0, c).text() for c in range(3)] == ["0.5", "-2", "-1"]


def test_lab_mode_locks_the_size_and_offset(editor):
    editor.set_lab_mode(True)
    assert not editor.rows.isEnabled() and not editor.cols.isEnabled() and not editor.offset.isEnabled()
    assert editor.weight.isEnabled() and editor.cell(0, 0).isEnabled()
    editor.set_lab_mode(False)
    assert editor.rows.isEnabled() and editor.offset.isEnabled()


def test_in_lab_mode_the_offset_shows_the_value_lab_mode_runs_with_and_the_engines_reason(editor):
    editor.offset.setValue(128.0)
    editor.set_lab_mode(True)
    value, why = engine.lab_rules.FIXED["offset"]
    assert editor.offset.value() == value and why in editor.offset.toolTip()
    assert editor.state.offset == 128.0  # kept for standard mode
    editor.set_lab_mode(False)
    assert editor.offset.value() == 128.0 and "bias" in editor.offset.toolTip()


def test_cells_and_weight_have_teaching_tooltips(editor):
    assert "above" in editor.cell(0, 1).toolTip() and "centre" in editor.cell(1, 1).toolTip()
    assert "multiplied" in editor.weight.toolTip() and "bias" in editor.offset.toolTip()



# -- messages do not outlive their cause ------------------------------------------------------------------------
def test_the_cannot_normalize_message_goes_when_the_kernel_changes(qtbot, window):
    window.editor.normalize_weight()
    assert "sums to 0" in window.editor.note.text() and "sums to 0" in status_text(window)
    window.editor.cell(1, 1).setValue(9.0)
    assert not window.editor.note.isVisible() and "normalize" not in status_text(window)


# -- the active preset's name ----------------------------------------------------------------------------------
def test_the_active_preset_is_named_and_marked_modified_after_an_edit(editor):
    assert editor.preset_label.text() == "Preset: Notebook: 'horizontal lines'"
    editor.set_preset(engine.get_preset("Sobel x"))
    assert editor.preset_label.text() == "Preset: Sobel x" and not editor.modified
    editor.cell(0, 0).setValue(3.0)
    assert editor.preset_label.text() == "Preset: Sobel x (modified)" and editor.modified
    editor.cell(0, 0).setValue(-1.0)  # back to the preset's values: no longer modified
    assert editor.preset_label.text() == "Preset: Sobel x"
    editor.undo_stack.undo()
    editor.undo_stack.undo()
    assert editor.preset_label.text() == "Preset: Notebook: 'horizontal lines'"


def test_values_without_a_name_are_named_after_a_preset_with_those_values_or_custom(editor):
    box = engine.get_preset("Box blur 3x3")
    editor.set_values(box.kernel, box.weight, box.offset)
    assert editor.preset_label.text() == "Preset: Box blur 3x3"
    editor.set_values(((1.0, 2.0),), 1.0, 0.0)
    assert editor.preset_label.text() == "Custom kernel" and editor.state.name == ""
    mine = engine.Preset("mine", ((2.0,),), 0.5)
    editor.set_user_presets([mine])
    editor.set_values(((2.0,),), 0.5, 0.0, name="mine")
    editor.weight.setValue(1.0)
    assert editor.preset_label.text() == "Preset: mine (modified)"


# -- one value, shared with the engine -------------------------------------------------------------------------
def test_the_editors_value_is_an_engine_preset(editor):
    assert isinstance(editor.state, engine.Preset) and editor.state == engine.get_preset("Notebook: 'horizontal lines'")
    editor.cell(0, 0).setValue(2.0)
    assert isinstance(editor.state, engine.Preset) and editor.state.name == "Notebook: 'horizontal lines'"
