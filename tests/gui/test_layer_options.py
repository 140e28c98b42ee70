"""Stride, dilation and relu in the options panel: edits reach the document, the output-size arithmetic is
shown with the numbers filled in, and a setting that leaves no output says so in place."""

import engine
from engine.layer_options import shape_arithmetic


def test_stride_spinboxes_change_the_job_and_show_the_arithmetic(window, qtbot):
    rows, columns = window.options_panel.steps["stride"]
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        rows.setValue(2)
    assert window.document.options.stride == (2, 1)
    h, w = window.document.image.shape
    assert window.document.result.convolved.shape == (h // 2, w)
    note = window.options_panel.shape_note.text()
    assert note == f"rows: {shape_arithmetic(h, 3, 2, 1, False)}\ncolumns: {shape_arithmetic(w, 3, 1, 1, False)}"
    assert note.startswith("rows: floor((32 + 1 - 3) / 2) + 1 = 16")


def test_a_dilation_that_leaves_no_output_explains_itself_in_place(window, qtbot):
    window.document.change(kernel=[[1] * 5] * 5, border="valid")
    window.document.wait_for_idle()
    window.options_panel.steps["dilation"][0].setValue(8)  # a 33-row window on a 32-row image
    window.document.wait_for_idle()
    assert window.document.options.dilation == (8, 1)
    assert "rows: no output: the kernel's window spans 33 (5 taps, dilation 8) rows but the image has 32" \
        in window.options_panel.shape_note.text()


def test_relu_is_an_output_range_and_lab_mode_fixes_stride_and_dilation(window, qtbot):
    panel = window.options_panel
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel.output_range.setCurrentIndex(panel.output_range.findData("relu"))
    assert window.document.result.convolved.dtype.name == "float32"
    assert window.document.result.convolved.min() >= 0
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(lab=True)
    assert all(not box.isEnabled() for boxes in panel.steps.values() for box in boxes)
    assert panel.shape_note.text() == ""
    assert window.document.options == window.document.options.with_changes(stride=1, dilation=1)
    assert isinstance(window.document.options, engine.JobOptions)
