"""The kernel analysis and Learn docks follow the layer stack's chosen conv layer (gui.stack_docks): the
kernel slice the editor shows, what a ReLU/pool layer means there, the image Learn fits on and where "Show
in window" puts the learned kernel. Checked against kernels and layer outputs computed here with numpy."""

import numpy as np
import pytest

import engine
from tests.gui.test_stack_window import run_stack

LENET = engine.PIPELINE_PRESETS["LeNet-like"]


def analysed(qtbot, window):
    """The analysis the dock shows once it has caught up with the last edit."""
    panel = window.analysis_dock.widget()
    qtbot.waitUntil(lambda: panel._pending is None and not panel._timer.isActive(), timeout=5000)
    return panel.analysis


def choose(qtbot, window, index):
    window.stack_mode.strip.list.setCurrentRow(index)
    assert window.document.stack.chosen == index


@pytest.fixture
def lenet(qtbot, window):
    window.analysis_dock.show()
    run_stack(qtbot, window, lambda: window.document.stack.activate(LENET))
    yield window
    window.document.stack.deactivate()
    window.analysis_dock.hide()


def test_the_analysis_follows_the_chosen_conv_layer_one_slice_at_a_time(qtbot, lenet):
    window = lenet
    panel = window.analysis_dock.widget()
    choose(qtbot, window, 3)  # conv 5x5x4x2, weight 1/16
    window.layer_panel.in_channel.setValue(2)
    window.layer_panel.out_channel.setValue(1)
    kernel = np.array(LENET.layers[3].options.kernel_array)[:, :, 2, 1]
    analysis = analysed(qtbot, window)
    assert np.array_equal(np.array(analysis.kernel, dtype=float), kernel)
    assert analysis.weight == 1 / 16 and float(analysis.exact_dc_gain) == kernel.sum() / 16
    text = panel.source_label.text()
    assert text == "layer 4 (conv 5x5x4x2), slice input 2 -> map 1"


@pytest.mark.parametrize("index, name", [(1, "ReLU"), (2, "max pool 2")])
def test_a_relu_or_pool_layer_shows_the_conv_before_it_and_says_so(qtbot, lenet, index, name):
    window = lenet
    choose(qtbot, window, index)
    window.layer_panel.out_channel.setValue(0)
    analysis = analysed(qtbot, window)
    first = np.array(LENET.layers[0].options.kernel_array)[:, :, 0, 0]
    assert np.array_equal(np.array(analysis.kernel, dtype=float), first)
    text = window.analysis_dock.widget().source_label.text()
    assert text == f"layer 1 (conv 5x5x1x4), slice input 0 -> map 0: layer {index + 1} ({name}) has no kernel"
    assert window.learn_panel.source.text() == f"Kernel: {text}"


def test_leaving_the_stack_follows_the_editor_again(qtbot, lenet):
    window = lenet
    choose(qtbot, window, 3)
    window.document.stack.deactivate()
    analysis = analysed(qtbot, window)
    assert analysis.kernel == window.document.options.kernel
    assert window.analysis_dock.widget().source_label.text() == "the kernel editor"


def test_a_layer_kernel_in_the_one_layer_window_is_analysed_by_its_slice(qtbot, window, small_image):
    """Before: the analysis dock raised on a 4-D kernel (its rows are not numbers)."""
    from gui.document import Source

    rgb = np.stack([small_image, small_image[::-1], small_image[:, ::-1]], axis=2)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(rgb, Source("rgb"))
    window.analysis_dock.show()
    kernel = np.arange(3 * 3 * 3 * 2, dtype=float).reshape(3, 3, 3, 2) - 20
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        assert window.document.change(kernel=kernel.tolist())
    window.layer_panel.in_channel.setValue(1)
    analysis = analysed(qtbot, window)
    assert np.array_equal(np.array(analysis.kernel, dtype=float), kernel[:, :, 1, window.layer_panel.slice[1]])
    window.analysis_dock.hide()


def test_learn_fits_on_what_the_chosen_layer_reads_and_shows_the_result_in_that_layer(qtbot, window, small_image):
    sobel_x = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    pipeline = engine.Pipeline((engine.ConvLayer.make(sobel_x), engine.ReluLayer(),
                                engine.ConvLayer.make([[0, 1, 0], [1, -4, 1], [0, 1, 0]])))
    run_stack(qtbot, window, lambda: window.document.stack.activate(pipeline))
    choose(qtbot, window, 2)
    panel = window.learn_panel
    # what layer 3 reads: ReLU of the raw Sobel x, by plain loops
    padded = np.pad(small_image.astype(float), 1)
    raw = sum(sobel_x[i][j] * padded[i:i + small_image.shape[0], j:j + small_image.shape[1]]
              for i in range(3) for j in range(3))
    assert np.array_equal(np.asarray(panel.document.image, dtype=float), np.maximum(raw, 0))
    panel.controls.target_choice.setCurrentText("Hidden preset: Sobel y")
    panel._target_chosen(panel.controls.target_choice.currentIndex())
    panel.controls.steps.setValue(5)
    panel.controls.mirror.setChecked(True)
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=20000):
        with qtbot.waitSignal(panel.runner.ended, timeout=20000):
            panel.learn()
    qtbot.waitUntil(lambda: not window.document.is_busy(), timeout=10000)
    learned = panel.current
    layer = window.document.stack.pipeline.layers[2].options
    assert layer.kernel == learned.kernel and layer.output_range == "raw"
    assert window.document.stack.pipeline.layers[0] == pipeline.layers[0]  # the layers before are untouched
    assert "layer 3" in panel.source.text()
    window.document.stack.deactivate()


def test_choosing_a_conv_layer_after_a_relu_makes_its_options_editable_again(qtbot, lenet):
    """Before: after a ReLU or pool layer was chosen, a conv layer's border, output, stride, dilation, flip
    and lab stayed disabled (shown for the conv layer, but not editable)."""
    window, panel = lenet, lenet.options_panel
    conv_options = (panel.lab, panel.flip, panel.border, panel.output_range, *panel.steps["stride"],
                    *panel.steps["dilation"])
    assert all(widget.isEnabled() for widget in conv_options)
    for relu_or_pool, conv in ((1, 0), (2, 3), (4, 0)):
        choose(qtbot, window, relu_or_pool)
        assert not any(widget.isEnabled() for widget in conv_options)
        assert panel.pool_op.isEnabled() == (relu_or_pool == 2)
        choose(qtbot, window, conv)
        assert all(widget.isEnabled() for widget in conv_options), f"layer {conv + 1} after {relu_or_pool + 1}"
        assert not panel.pool_op.isEnabled()
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=20000):
        panel.border.setCurrentIndex(panel.border.findData("reflect"))  # and an edit goes to that layer
    assert window.document.stack.pipeline.layers[0].options.border == "reflect"
