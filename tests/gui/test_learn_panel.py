"""The Learn panel: it shows the engine's steps, its views come from the engine, Stop is immediate, Resume and
Step once continue from the step on screen, and the document follows every step."""

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal

import engine
from engine.learn import KernelFit, make_target, random_kernel
from gui.learn_panel import FILE, LearnPanel
from tests.engine import reference as ref


class Document(QObject):
    """The part of gui.document.Document the panel uses."""

    imageChanged = Signal()
    optionsChanged = Signal(object)
    idle = Signal()

    def __init__(self, image):
        super().__init__()
        self.image, self.options, self.history = image, engine.JobOptions(), []

    def is_busy(self):
        return False

    def set_options(self, options):
        self.options = options
        self.history.append(options)
        self.optionsChanged.emit(options)
        return True


@pytest.fixture
def panel(qtbot, small_image):
    document = Document(small_image)
    panel = LearnPanel(document)
    qtbot.addWidget(panel.dock)
    panel.dock.show()
    yield panel
    panel.shutdown()


def choose_preset(panel, name):
    panel.controls.target_choice.setCurrentText(f"Hidden preset: {name}")
    panel._target_chosen(panel.controls.target_choice.currentIndex())


def run_to_end(qtbot, panel, action):
    with qtbot.waitSignal(panel.runner.ended, timeout=20000):
        action()


def start_a_long_run(qtbot, panel, steps):
    """Learn the Laplacian one step a frame, far more steps than a test waits for; return at ``steps``."""
    choose_preset(panel, "Laplacian")
    panel.controls.steps.setValue(100000)
    panel.controls.per_frame.setCurrentText("1")
    panel.learn()
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.step >= steps, timeout=20000)


def engine_steps(panel, count, **kw):
    image, shape = panel.document.image, (panel.controls.rows.value(), panel.controls.cols.value())
    kernel, bias = panel.hidden_kernel()
    target = make_target(image, kernel, panel.controls.border.currentText(), bias)
    fit = KernelFit(image, target, shape, border=panel.controls.border.currentText(),
                    fit_bias=panel.controls.bias.isChecked())
    return fit, list(fit.steps(count, **kw))


def test_learning_shows_every_engine_step_and_ends_beside_the_true_kernel(qtbot, panel):
    choose_preset(panel, "Sobel x")
    panel.controls.steps.setValue(40)
    panel.controls.per_frame.setCurrentText("10")
    panel.controls.border.setCurrentText("edge")
    run_to_end(qtbot, panel, panel.learn)
    fit, expected = engine_steps(panel, 40)
    assert panel.current == expected[-1]
    assert panel.curve.steps == list(range(41))
    assert panel.curve.losses == [s.loss for s in expected]
    assert panel.document.options.kernel == expected[-1].kernel  # the editor follows the learning
    assert panel.document.options.output_range == "raw" and panel.document.options.border == "edge"
    assert np.array_equal(panel.images.items[1].image, fit.prediction(expected[-1]))
    assert np.array_equal(panel.images.items[2].image, fit.difference(fit.prediction(expected[-1])))
    grids = panel.kernels.grids
    assert grids["Learned"][0] == expected[-1].kernel
    assert grids["True"][0] == engine.get_preset("Sobel x").kernel
    assert grids["Least squares"][0] == fit.exact().kernel
    assert panel.controls.buttons["Learn"].isEnabled() and not panel.controls.buttons["Stop"].isEnabled()


def test_stop_is_immediate_and_resume_continues_from_the_step_on_screen(qtbot, panel):
    start_a_long_run(qtbot, panel, 3)
    panel.stop()
    stopped = panel.current
    assert not panel.controls.buttons["Stop"].isEnabled() and panel.controls.buttons["Resume"].isEnabled()
    qtbot.wait(200)
    assert panel.current == stopped  # nothing arrives after Stop
    assert panel.curve.steps[-1] == stopped.step
    panel.controls.steps.setValue(stopped.step + 5)
    run_to_end(qtbot, panel, panel.resume)
    _, expected = engine_steps(panel, stopped.step + 5)
    assert panel.current == expected[-1]
    assert panel.curve.losses == [s.loss for s in expected]


def test_step_once_takes_exactly_one_step(qtbot, panel):
    choose_preset(panel, "Sobel y")
    run_to_end(qtbot, panel, panel.step_once)
    assert panel.current.step == 1
    run_to_end(qtbot, panel, panel.step_once)
    _, expected = engine_steps(panel, 2)
    assert panel.current == expected[-1] and panel.curve.steps == [0, 1, 2]


def test_momentum_and_rate_reach_the_engine(qtbot, panel):
    panel.seed = 5
    panel.controls.steps.setValue(30)
    panel.controls.momentum.setValue(0.5)
    panel.controls.rate.setValue(0.5)
    panel.controls.bias.setChecked(True)
    run_to_end(qtbot, panel, panel.learn)
    assert panel.hidden_kernel() == (random_kernel((3, 3), 5), 0.0)
    fit, _ = engine_steps(panel, 0)
    _, expected = engine_steps(panel, 30, lr=fit.safe_lr * 0.5, momentum=0.5)
    assert panel.current == expected[-1]
    assert "bias" in panel.kernels.text()


def test_reset_and_a_new_image_clear_the_run(qtbot, panel):
    choose_preset(panel, "Sobel x")
    panel.controls.steps.setValue(5)
    run_to_end(qtbot, panel, panel.learn)
    panel.reset()
    assert panel.current is None and panel.curve.steps == [] and not panel.controls.buttons["Resume"].isEnabled()
    run_to_end(qtbot, panel, panel.learn)
    assert panel.current.step == 5
    panel.document.imageChanged.emit()
    assert panel.current is None and panel.prepared is None


def test_a_target_of_the_wrong_size_is_refused_with_one_message(qtbot, panel, tmp_path):
    np.save(tmp_path / "t.npy", np.zeros((5, 5)))
    assert panel.set_file_target(str(tmp_path / "t.npy"))
    assert panel.controls.target_choice.currentText() == FILE and panel.hidden_kernel() is None
    run_to_end(qtbot, panel, panel.learn)
    assert "target is 5x5" in panel.status.text()
    assert panel.current is None and panel.document.history == []
    assert not panel.set_file_target(str(tmp_path / "missing.npy"))
    assert "no such file" in panel.status.text()


def test_an_image_file_target_is_learned_without_a_true_kernel(qtbot, panel, tmp_path):
    image = panel.document.image
    np.save(tmp_path / "t.npy", make_target(image, [[0.0, 1.0], [1.0, 0.0]], "zero"))
    panel.set_file_target(str(tmp_path / "t.npy"))
    panel.controls.rows.setValue(2)
    panel.controls.cols.setValue(2)
    panel.controls.steps.setValue(3)
    run_to_end(qtbot, panel, panel.learn)
    assert set(panel.kernels.grids) == {"Learned", "Least squares"}
    assert np.abs(np.array(panel.kernels.grids["Least squares"][0]) - [[0, 1], [1, 0]]).max() < 1e-6


def test_the_clamp_note_shows_only_for_clamped_output(panel):
    assert panel.document.options.output_range == "clamp"
    assert not panel.note.isHidden()
    panel.document.set_options(panel.document.options.with_changes(output_range="raw"))
    assert panel.note.isHidden()


def test_in_the_window_the_editor_and_convolved_view_follow_the_learning(qtbot, window):
    panel = window.learn_panel
    assert panel.dock.isHidden()
    toggle = panel.dock.toggleViewAction()
    assert toggle in window.menus.view.actions()
    toggle.trigger()
    assert panel.dock.isVisible()
    choose_preset(panel, "Sobel x")
    panel.controls.steps.setValue(20)
    run_to_end(qtbot, panel, panel.learn)
    assert window.document.wait_for_idle()
    learned = panel.current
    assert learned.step == 20
    assert window.editor.state.kernel == learned.kernel
    fit = panel.prepared.fit
    assert np.array_equal(window.document.result.convolved, fit.prediction(learned))
    window.close()
    assert not panel.runner.is_running()


def test_a_preset_target_is_what_the_preset_applies_weight_and_offset_included(qtbot, panel):
    choose_preset(panel, "Emboss (gray offset)")
    assert panel.controls.bias.isChecked()  # the preset's offset needs a bias
    panel.controls.steps.setValue(2)
    run_to_end(qtbot, panel, panel.learn)
    target = panel.prepared.fit.target
    preset = engine.get_preset("Emboss (gray offset)")
    expected = ref.convolve(panel.document.image, preset.kernel, preset.weight, preset.offset, "zero", "raw")
    assert ref.as_float_lists(target) == expected
    kernel, bias = panel.kernels.grids["True"]
    assert kernel == preset.kernel and bias == 128.0
    exact_kernel, exact_bias = panel.kernels.grids["Least squares"]
    assert np.abs(np.array(exact_kernel) - preset.kernel).max() < 1e-6 and exact_bias == pytest.approx(128.0)


def test_starting_from_the_current_kernel_uses_what_the_editor_applies(qtbot, panel):
    panel.document.set_options(engine.JobOptions(kernel=[[1, 2, 1], [2, 4, 2], [1, 2, 1]], weight=1 / 16))
    panel.document.history.clear()
    panel.controls.start_kind.setCurrentText("current")
    panel.controls.mirror.setChecked(False)
    run_to_end(qtbot, panel, panel.step_once)
    assert panel.curve.steps == [0, 1]
    start = [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]]
    _, expected = engine_steps(panel, 1, start=start)
    assert panel.current == expected[-1]
    assert panel.document.history == []  # Show in window off: the document is left alone


def test_the_kernel_comparison_writes_four_decimals_and_no_negative_zero():
    from gui.learn_views import KernelComparison

    label = KernelComparison()
    label.show_kernels({"Learned": (((-1e-14, 0.123456),), -2e-9), "True": (((1.0, -2.0),), None)})
    text = label.text()
    assert "0.1235" in text and "-2.0000" in text and "bias 0.0000" in text and "-0.0000" not in text


def test_a_rate_past_2_over_L_runs_away_and_the_panel_says_why(qtbot, panel):
    choose_preset(panel, "Sobel x")
    panel.controls.rate.setValue(3.0)
    panel.controls.steps.setValue(5000)
    panel.controls.per_frame.setCurrentText("100")
    run_to_end(qtbot, panel, panel.learn)
    assert "too large" in panel.status.text()
    assert panel.controls.buttons["Learn"].isEnabled() and panel.current.step < 5000


def test_closing_the_window_mid_run_stops_the_learning(qtbot, window):
    panel = window.learn_panel
    panel.dock.show()
    panel.controls.steps.setValue(100000)
    panel.controls.per_frame.setCurrentText("1")
    panel.learn()
    qtbot.waitUntil(lambda: panel.current is not None and panel.current.step >= 2, timeout=20000)
    window.close()
    assert panel.runner.is_idle()
    shown = panel.current
    qtbot.wait(100)
    assert panel.current == shown


def test_a_whole_learning_run_is_one_undo_step_of_the_editor(qtbot, window):
    panel = window.learn_panel
    panel.dock.toggleViewAction().trigger()
    before, steps_before = window.editor.state, window.editor.undo_stack.count()
    choose_preset(panel, "Sobel x")
    panel.controls.steps.setValue(20)
    run_to_end(qtbot, panel, panel.learn)
    assert window.document.wait_for_idle()
    assert window.editor.state.kernel == panel.current.kernel != before.kernel
    assert window.editor.undo_stack.count() == steps_before + 1
    window.editor.undo_stack.undo()
    assert window.editor.state.kernel == before.kernel
    assert window.document.wait_for_idle()
    assert window.document.options.kernel == before.kernel
    window.close()


def test_a_run_stopped_by_a_new_image_says_why_in_the_dock(qtbot, panel):
    start_a_long_run(qtbot, panel, 2)
    panel.document.imageChanged.emit()
    assert not panel.runner.is_running()
    text = panel.status.text()
    assert "Stopped" in text and "image changed" in text and "\n" not in text
