"""Typing into the kernel editor: fractions kept exact and shown as fractions, unreadable text refused
visibly, and Ctrl+Z in a focused box taking back the kernel edit in the real window."""

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette

import engine
from gui.kernel_editor.number_box import INVALID_BASE
from tests.gui.kernel_editor_support import editor, type_into, run_options, status_text  # noqa: F401 (editor: a fixture)


# -- fractions: typed, kept exact, shown as fractions, and what cannot be read is refused visibly -----------
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
