"""The kernel editor on its own: grid, size, weight/offset, normalise, sum, keyboard, undo/redo, lab lock."""

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication, QLabel

import engine
from gui.kernel_editor import DEFAULT_PRESET, KernelEditor
from gui.kernel_editor.number_box import INVALID_BASE

NOTEBOOK = [[-1.0, -2.0, -1.0], [0.0, 0.0, 0.0], [1.0, 2.0, 1.0]]


@pytest.fixture
def editor(qtbot):
    widget = KernelEditor()
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def grid_values(editor):
    rows, cols = editor.rows.value(), editor.cols.value()
    return [[editor.cell(r, c).value() for c in range(cols)] for r in range(rows)]


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


# -- fractions: typed, kept exact, shown as fractions, and what cannot be read is refused visibly -----------
def type_into(qtbot, box, text, commit=True):
    box.setFocus()
    box.selectAll()
    qtbot.keyClicks(box, text)
    if commit:
        qtbot.keyClick(box, Qt.Key.Key_Return)


def test_typing_1_9_as_the_weight_gives_exactly_one_ninth(qtbot, editor):
    type_into(qtbot, editor.weight, "1/9")
    assert editor.state.weight == 1 / 9 and editor.weight.value() == 1 / 9
    assert editor.weight.text() == "1/9"


@pytest.mark.parametrize("text, value", [("-1/16", -1 / 16), ("2.5/10", 0.25), ("1e-3", 0.001), ("-7", -7.0)])
def test_cells_and_offset_accept_fractions_decimals_and_exponents_exactly(qtbot, editor, text, value):
    type_into(qtbot, editor.cell(0, 2), text)
    type_into(qtbot, editor.offset, text)
    assert editor.state.kernel[0][2] == value and editor.state.offset == value


def test_tiny_and_odd_values_are_not_rounded_by_the_spinbox(editor):
    for value in (1 / 3 * 1e-7, 123456.78901234567, 1 / 7):
        editor.set_values(((value,),), value, value)
        assert editor.state.weight == value and editor.weight.value() == value and editor.cell(0, 0).value() == value


def test_simple_fractions_are_shown_as_fractions_everywhere_in_the_editor(editor):
    editor.set_preset(engine.get_preset("Gaussian blur 5x5"))
    assert editor.weight.text() == "1/256"
    editor.set_preset(engine.get_preset("Box blur 3x3"))
    assert editor.weight.text() == "1/9" and editor.sum_label.text().endswith("(x weight = 1)")
    editor.set_values(((0.5, 1 / 3), (-1 / 16, 2.0)), 1.0, 0.0)
    assert [editor.cell(0, c).text() for c in range(2)] == ["0.5", "1/3"] and editor.cell(1, 0).text() == "-1/16"
    editor.set_values(((1 / 16, 1 / 8), (1 / 16, 0.0)), 1 / 3, 0.0)
    assert editor.sum_label.text() == "Sum 1/4   (x weight = 1/12)"


def test_normalize_on_a_3x3_box_shows_one_ninth(editor):
    editor.set_values(((1.0,) * 3,) * 3, 1.0, 0.0)
    editor.normalize_weight()
    assert editor.state.weight == 1 / 9 and editor.weight.text() == "1/9"


@pytest.mark.parametrize("text", ["1/x", "1/0", "abc", "1_0", "2e7", "--1"])
def test_unreadable_text_is_refused_visibly_and_changes_nothing(qtbot, editor, text):
    messages = []
    editor.message.connect(messages.append)
    for box in (editor.weight, editor.cell(1, 1)):
        before = editor.state
        type_into(qtbot, box, text)
        assert editor.state == before and editor.undo_stack.count() == 0
        assert box.text() == text and box.invalid  # kept as typed, marked, so it can be corrected
        assert box.palette().color(QPalette.ColorRole.Base) == INVALID_BASE
        assert editor.note.isVisible() and text.strip() in editor.note.text() and messages[-1] == editor.note.text()
        box.clearFocus()  # leaving the box puts the old value back; the message says so
        assert editor.state == before and not box.invalid and "stays" in editor.note.text()
        assert box.palette().color(QPalette.ColorRole.Base) != INVALID_BASE


def test_a_refusal_message_goes_once_a_readable_number_is_committed(qtbot, editor):
    type_into(qtbot, editor.weight, "1/")
    assert editor.note.isVisible()
    qtbot.keyClick(editor.weight, Qt.Key.Key_End)
    qtbot.keyClicks(editor.weight, "4")
    assert not editor.weight.invalid  # typing again clears the mark
    qtbot.keyClick(editor.weight, Qt.Key.Key_Return)
    assert editor.state.weight == 0.25 and not editor.note.isVisible() and editor.note.text() == ""


def test_arrows_step_in_exact_arithmetic_from_the_number_shown(qtbot, editor):
    type_into(qtbot, editor.weight, "0.2")
    qtbot.keyClick(editor.weight, Qt.Key.Key_Up)
    assert editor.state.weight == 0.3  # not 0.2 + 0.1 == 0.30000000000000004
    type_into(qtbot, editor.weight, "1/9")
    qtbot.keyClick(editor.weight, Qt.Key.Key_Up)
    assert editor.state.weight == 19 / 90 and editor.weight.text() == "19/90"
    type_into(qtbot, editor.cell(1, 1), "1/9")
    qtbot.keyClick(editor.cell(1, 1), Qt.Key.Key_Up)
    assert editor.state.kernel[1][1] == 10 / 9
    type_into(qtbot, editor.cell(1, 1), "1/3", commit=False)
    qtbot.keyClick(editor.cell(1, 1), Qt.Key.Key_Down)  # steps from what was typed
    assert editor.state.kernel[1][1] == -2 / 3


# -- Ctrl+Z in a focused box belongs to the kernel's undo, in the real window --------------------------------
def run_options(window):
    """The options the window runs (held by the window, or by its document once it has one)."""
    return getattr(window, "document", window).options


def status_text(window):
    return " | ".join(label.text() for label in window.statusBar().findChildren(QLabel))


def test_ctrl_z_right_after_typing_in_a_cell_undoes_the_kernel_edit(qtbot, window):
    before = run_options(window).kernel
    box = window.editor.cell(1, 1)
    type_into(qtbot, box, "7")
    assert run_options(window).kernel[1][1] == 7.0 and box.hasFocus()
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert run_options(window).kernel == before and box.text() == "0"
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert run_options(window).kernel[1][1] == 7.0
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(box, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert run_options(window).kernel[1][1] == 7.0 and box.text() == "7"


def test_ctrl_z_in_the_weight_and_size_boxes_undoes_too(qtbot, window):
    editor = window.editor
    type_into(qtbot, editor.weight, "1/4")
    qtbot.keyClick(editor.weight, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert run_options(window).weight == 1.0
    type_into(qtbot, editor.rows, "5")
    assert run_options(window).shape == (5, 3)
    qtbot.keyClick(editor.rows, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert run_options(window).shape == (3, 3) and editor.rows.text() == "3"


def test_ctrl_z_while_typing_only_takes_back_the_typing(qtbot, window):
    box = window.editor.cell(0, 0)
    type_into(qtbot, box, "42", commit=False)
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.editor.undo_stack.count() == 0 and run_options(window).kernel[0][0] == -1.0
    assert box.text() != "42"


def test_taking_back_refused_text_with_ctrl_z_clears_the_refusal(qtbot, window):
    box = window.editor.cell(0, 0)
    type_into(qtbot, box, "1/x")
    assert window.editor.note.isVisible() and "1/x" in status_text(window)
    qtbot.keyClick(box, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert box.text() == "-1" and not window.editor.note.isVisible() and "1/x" not in status_text(window)
    assert window.editor.undo_stack.count() == 0


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
