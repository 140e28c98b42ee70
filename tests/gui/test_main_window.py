"""The main window's core loop: edits run jobs whose newest result is shown exactly, undo, cancel, errors,
lab mode's refusals and rules, closing mid-job, and a soak of random edits. Files and sessions are in
test_main_window_files.py, the views, status bar, menus and titles in test_main_window_views.py."""
import random

import numpy as np

import engine
from gui.document import Source
from tests.engine import reference as ref


def shown(panel):
    return panel.item.image


def test_startup_shows_the_input_and_both_results(window, small_image):
    assert np.array_equal(shown(window.views.input), small_image)
    assert shown(window.views.convolved).shape == small_image.shape
    assert shown(window.views.pooled).shape == (16, 18)


def test_editing_one_cell_updates_the_views_with_the_exact_values(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(0, 0).setValue(3.0)
    kernel = [[3, -2, -1], [0, 0, 0], [1, 2, 1]]
    want = ref.convolve(small_image, kernel)
    assert ref.as_float_lists(shown(window.views.convolved)) == want
    assert ref.as_float_lists(shown(window.views.pooled)) == ref.pool(want, "max", 2)


def test_a_preset_sets_the_grid_weight_and_offset(qtbot, window):
    preset = engine.get_preset("Gaussian blur 5x5")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(preset)
    editor = window.editor
    assert (editor.rows.value(), editor.cols.value()) == (5, 5)
    assert [[editor.cell(r, c).value() for c in range(5)] for r in range(5)] == [list(r) for r in preset.kernel]
    assert window.document.options.weight == 1 / 256 and window.document.options.kernel == preset.kernel


def test_undo_and_redo_restore_kernel_edits(qtbot, window):
    before = window.document.options.kernel
    window.editor.cell(1, 1).setValue(5.0)
    window.editor.cell(1, 1).setValue(6.0)  # merges with the previous step of the same cell
    assert window.document.options.kernel[1][1] == 6.0
    window.editor.undo_stack.undo()
    assert window.document.options.kernel == before
    window.editor.undo_stack.redo()
    assert window.document.options.kernel[1][1] == 6.0


def test_normalize_explains_when_the_sum_is_zero(window):
    window.editor.normalize_weight()  # the notebook's filter sums to 0
    assert "sums to 0" in window.status.message_label.text() and window.document.options.weight == 1.0


def test_rapid_edits_show_only_the_newest_result_in_order(qtbot, window, small_image):
    emitted = []
    window.document.runner.finished.connect(
        lambda seq, shown: emitted.append((seq, window.document.runner.latest, shown.result.options)))
    for value in range(1, 41):
        window.editor.cell(2, 2).setValue(float(value))
    window.document.wait_for_idle()
    assert emitted, "the newest edit must produce a result"
    assert all(seq == latest for seq, latest, _ in emitted)  # never a result that was already superseded
    assert [seq for seq, _, _ in emitted] == sorted(seq for seq, _, _ in emitted)
    assert len(emitted) < 40
    assert window.document.result.options.kernel[2][2] == 40.0
    want = ref.convolve(small_image, [[-1, -2, -1], [0, 0, 0], [1, 2, 40]])
    assert ref.as_float_lists(shown(window.views.convolved)) == want


def test_cancel_stops_a_job_and_keeps_the_last_result(qtbot, window):
    big = np.random.default_rng(0).integers(0, 256, (600, 600), dtype=np.uint8)
    with qtbot.waitSignal(window.document.resultReady, timeout=30000):
        window.document.set_image(big, Source("big"))
    previous = window.document.result
    window.editor.cell(0, 0).setValue(7.0)  # a new job...
    assert window.document.is_busy()
    window.status.cancel_job()  # ...cancelled before it can finish
    window.document.wait_for_idle()
    assert window.document.result is previous and np.array_equal(shown(window.views.convolved), previous.convolved)
    assert "cancelled" in window.status.message_label.text()


def test_a_job_error_is_shown_and_the_worker_keeps_serving(qtbot, window, monkeypatch):
    real = engine.job_steps

    def broken(image, options):
        raise RuntimeError("simulated engine bug")
        yield  # pragma: no cover

    monkeypatch.setattr(engine, "job_steps", broken)
    with qtbot.waitSignal(window.document.runner.failed, timeout=10000):
        window.editor.cell(0, 0).setValue(9.0)
    assert "simulated engine bug" in window.status.message_label.text()
    assert window.status.details_button.isVisible()
    monkeypatch.setattr(engine, "job_steps", real)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(0, 0).setValue(8.0)
    assert window.document.result.options.kernel[0][0] == 8.0


def test_lab_mode_with_a_5x5_kernel_is_refused_and_nothing_changes(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(engine.get_preset("Gaussian blur 5x5"))
    before = window.document.options
    window.options_panel.lab.setChecked(True)
    assert "3x3" in window.status.message_label.text()
    assert window.document.options == before and not window.options_panel.lab.isChecked()


def test_a_5x5_preset_in_lab_mode_is_refused_and_the_editor_keeps_its_kernel(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(True)
    before, state, undo_steps = window.document.options, window.editor.state, window.editor.undo_stack.count()
    window.presets.choose(engine.get_preset("Gaussian blur 5x5"))
    assert "3x3" in window.status.message_label.text()
    assert window.document.options == before and window.editor.state == state
    assert (window.editor.rows.value(), window.editor.cols.value()) == (3, 3)
    assert window.editor.undo_stack.count() == undo_steps  # nothing to undo: nothing happened


def test_lab_mode_disables_what_it_ignores_and_says_why(qtbot, window):
    """Issue 12, item 16: the window shows lab mode's rules (engine.lab_rules), it does not ignore options."""
    panel = window.options_panel
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel.lab.setChecked(True)
    for widget, option in ((panel.border, "border"), (panel.output_range, "output_range")):
        assert not widget.isEnabled() and engine.lab_rules.FIXED[option][1] in widget.toolTip()
    assert not panel.pool_size.isEnabled() and "2x2" in panel.pool_size.toolTip()
    enabled = {panel.pool_op.itemData(i) for i in range(panel.pool_op.count()) if panel.pool_op.model().item(i).isEnabled()}
    assert enabled == {"max", None}
    assert not window.editor.offset.isEnabled()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel.lab.setChecked(False)
    assert panel.border.isEnabled() and "lab mode" not in panel.border.toolTip().lower()


def test_lab_mode_shows_the_notebooks_result(qtbot, window, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.options_panel.lab.setChecked(True)
    want = ref.lab_convolve(small_image, window.document.options.kernel, 1.0)
    assert shown(window.views.convolved).tolist() == want
    assert shown(window.views.pooled).tolist() == ref.lab_pool(want)


def test_closing_during_a_job_exits_cleanly(qtbot, small_image):
    from gui.main_window import MainWindow

    w = MainWindow(restore=False, persist=False)
    w.show()
    w.document.set_image(np.random.default_rng(2).integers(0, 256, (3000, 3000), dtype=np.uint8), Source("big"))
    assert w.document.runner.is_busy()
    w.close()
    from PySide6.QtCore import QThreadPool

    assert QThreadPool.globalInstance().activeThreadCount() == 0  # close waited for the job's thread


def test_soak_thousands_of_random_edits_end_on_the_final_kernel(qtbot, window):
    image = np.random.default_rng(5).integers(0, 256, (96, 80), dtype=np.uint8)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(image, Source("soak"))
    rng = random.Random(7)
    for n in range(2500):
        r, c = rng.randrange(3), rng.randrange(3)
        window.editor.cell(r, c).setValue(float(rng.randint(-9, 9)))
        if n % 50 == 0:
            qtbot.wait(1)
    window.document.wait_for_idle(30000)
    kernel = window.document.options.kernel
    assert window.document.result.options.kernel == kernel
    assert ref.as_float_lists(shown(window.views.convolved)) == ref.convolve(image, kernel)




def test_a_refusal_goes_from_the_status_bar_when_an_option_is_applied(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_preset(engine.get_preset("Gaussian blur 5x5"))
    window.options_panel.lab.setChecked(True)
    assert "3x3" in window.status.message_label.text()
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(border="edge")
    assert "3x3" not in window.status.message_label.text()
