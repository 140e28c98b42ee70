"""The layer stack in the window: the strip's edits, recomputing from the edited layer on, presets, and
today's window untouched while the stack is off. Layer outputs are checked against the plain-Python
pipeline of tests.engine.pipeline_reference."""

import numpy as np
import pytest

import engine
from tests.engine import pipeline_reference as pref


def reference_layers(pipeline):
    """The pipeline as tests.engine.pipeline_reference's layer tuples."""
    layers = []
    for layer in pipeline.layers:
        if layer.kind == "conv":
            o = layer.options
            layers.append(("conv", np.array(o.kernel_array), o.weight, o.offset, o.border, o.output_range,
                           o.stride, o.dilation))
        elif layer.kind == "relu":
            layers.append(("relu",))
        else:
            layers.append(("pool", layer.pool.op, layer.pool.size, layer.pool.stride))
    return layers


def assert_matches_reference(image, shown):
    expected = pref.run(image, reference_layers(shown.pipeline))
    for n, (out, ref) in enumerate(zip(shown.outputs, expected)):
        got = np.asarray(out, dtype=np.float64)
        want = np.asarray(ref, dtype=np.float64)
        if got.ndim == 2:
            want = want[:, :, 0]
        assert got.shape == want.shape, f"layer {n + 1}"
        assert np.array_equal(got, want), f"layer {n + 1}"


def run_stack(qtbot, window, edit):
    """Make an edit and wait for the stack's result."""
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=20000):
        edit()
    return window.document.stack.shown


@pytest.fixture
def stacked(qtbot, window):
    """The window with the stack on: conv 3x3 (Sobel-like), ReLU, 2x2 max pool, conv 3x3."""
    pipeline = engine.Pipeline((
        engine.ConvLayer.make([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]), engine.ReluLayer(),
        engine.PoolLayer(engine.PoolOptions("max", 2)), engine.ConvLayer.make([[0, 1, 0], [1, -4, 1], [0, 1, 0]])))
    run_stack(qtbot, window, lambda: window.document.stack.activate(pipeline))
    return window


def test_the_stack_is_off_at_start_and_todays_window_is_its_conv_pool_pipeline(window):
    assert not window.document.stack.active
    assert window.shown_views is window.centre
    assert window.document.pipeline == engine.Pipeline.from_job(window.document.options)
    assert [layer.kind for layer in window.document.pipeline.layers] == ["conv", "pool"]


def test_turning_the_stack_on_starts_from_todays_layers_and_shows_every_output(qtbot, window, small_image):
    shown = run_stack(qtbot, window, lambda: window.stack_mode.toggle.trigger())
    assert window.shown_views is window.stack_mode.views
    assert shown.pipeline == engine.Pipeline.from_job(window.document.options)
    views = window.stack_mode.views.cells
    assert len(views) == 3 and views[0].array is small_image
    assert all(cell.array is out for cell, out in zip(views[1:], shown.outputs))
    assert_matches_reference(small_image, shown)
    window.stack_mode.toggle.trigger()
    assert window.shown_views is window.centre and not window.document.stack.active


def test_strip_buttons_add_remove_and_move_layers(qtbot, stacked):
    stack, strip = stacked.document.stack, stacked.stack_mode.strip
    strip.list.setCurrentRow(1)  # the ReLU
    assert stack.chosen == 1
    run_stack(qtbot, stacked, strip.buttons["pool"].click)
    assert [layer.kind for layer in stack.pipeline.layers] == ["conv", "relu", "pool", "pool", "conv"]
    assert stack.chosen == 2 and strip.list.currentRow() == 2
    run_stack(qtbot, stacked, strip.buttons["remove"].click)
    assert [layer.kind for layer in stack.pipeline.layers] == ["conv", "relu", "pool", "conv"]
    run_stack(qtbot, stacked, strip.buttons["left"].click)
    assert [layer.kind for layer in stack.pipeline.layers] == ["conv", "pool", "relu", "conv"]
    assert stack.chosen == 1
    assert [strip.list.item(i).text() for i in range(4)] == [
        f"{n}. {layer.label}" for n, layer in enumerate(stack.pipeline.layers, start=1)]
    shown = run_stack(qtbot, stacked, strip.buttons["conv"].click)
    assert [layer.kind for layer in shown.pipeline.layers] == ["conv", "pool", "conv", "relu", "conv"]
    assert len(stacked.stack_mode.views.cells) == 6


def test_dragging_a_layer_in_the_strip_moves_it(qtbot, stacked):
    stack, strip = stacked.document.stack, stacked.stack_mode.strip
    model = strip.list.model()
    with qtbot.waitSignal(stack.resultReady, timeout=20000):
        model.moveRows(model.index(0, 0).parent(), 3, 1, model.index(0, 0).parent(), 0)  # what a drop does
    assert [layer.kind for layer in stack.pipeline.layers] == ["conv", "conv", "relu", "pool"]


def test_a_move_the_layers_cannot_run_is_refused_with_one_message_and_changes_nothing(qtbot, stacked):
    stack = stacked.document.stack
    refused, before = refuse_a_move(qtbot, stacked)
    assert "layer 1" in refused and "input channel" in refused
    assert stack.pipeline is before


def test_choosing_a_layer_puts_it_in_the_editor_and_options_panel(qtbot, stacked):
    stack, editor, panel = stacked.document.stack, stacked.editor, stacked.options_panel
    stacked.stack_mode.strip.list.setCurrentRow(3)
    assert editor.state.kernel == ((0, 1, 0), (1, -4, 1), (0, 1, 0)) and editor.isEnabled()
    assert panel.border.isEnabled() and not panel.pool_op.isEnabled()
    stacked.stack_mode.strip.list.setCurrentRow(2)  # the pool layer: its pooling row, no kernel
    assert not editor.isEnabled() and panel.pool_op.isEnabled() and not panel.border.isEnabled()
    assert panel.pool_op.currentData() == "max" and panel.pool_size.value() == 2
    run_stack(qtbot, stacked, lambda: panel.pool_op.setCurrentIndex(panel.pool_op.findData("avg")))
    assert stack.pipeline.layers[2] == engine.PoolLayer(engine.PoolOptions("avg", 2))
    stacked.stack_mode.strip.list.setCurrentRow(1)  # the ReLU has no options
    assert not editor.isEnabled() and not panel.pool_op.isEnabled() and not panel.border.isEnabled()


def test_an_edit_in_layer_L_recomputes_from_L_on_and_keeps_the_earlier_outputs(qtbot, stacked, small_image):
    stack = stacked.document.stack
    before = stack.shown.outputs
    stacked.stack_mode.strip.list.setCurrentRow(3)
    shown = run_stack(qtbot, stacked, lambda: stacked.editor.cell(1, 1).stepBy(1))
    assert shown.result.start == 3
    assert all(a is b for a, b in zip(shown.outputs[:3], before[:3]))
    assert shown.pipeline.layers[3].options.kernel[1][1] == -3
    assert_matches_reference(small_image, shown)
    stacked.stack_mode.strip.list.setCurrentRow(0)
    shown = run_stack(qtbot, stacked, lambda: stacked.options_panel.border.setCurrentIndex(
        stacked.options_panel.border.findData("reflect")))
    assert shown.result.start == 0 and shown.pipeline.layers[0].options.border == "reflect"
    assert_matches_reference(small_image, shown)
    assert all(cell.array is out for cell, out in zip(stacked.stack_mode.views.cells[1:], shown.outputs))


def test_edits_faster_than_the_jobs_still_end_on_the_newest_pipeline(qtbot, stacked, small_image):
    """A first-layer edit then a last-layer edit before the first job is done: the last job must not
    reuse the first layer's stale output."""
    stack = stacked.document.stack
    stacked.stack_mode.strip.list.setCurrentRow(0)
    stacked.editor.cell(0, 0).stepBy(3)
    stacked.stack_mode.strip.list.setCurrentRow(3)
    stacked.editor.cell(0, 0).stepBy(2)
    assert stacked.document.wait_for_idle(20000)
    assert stack.shown.pipeline == stack.pipeline
    assert_matches_reference(small_image, stack.shown)


def test_an_option_the_layers_cannot_run_is_refused_and_the_panel_shows_the_layer_again(qtbot, stacked):
    stack, panel = stacked.document.stack, stacked.options_panel
    stacked.stack_mode.strip.list.setCurrentRow(3)  # reads the 16x18 pooled maps
    run_stack(qtbot, stacked, lambda: panel.border.setCurrentIndex(panel.border.findData("valid")))
    before = stack.pipeline
    with qtbot.waitSignal(stack.refused) as refused:
        panel.steps["dilation"][0].setValue(9)  # a 19-row window on 16 rows: no output
    assert refused.args[0].startswith("layer 4") and stack.pipeline is before
    assert panel.steps["dilation"][0].value() == 1
    assert stacked.status.message_label.text() == refused.args[0]


@pytest.mark.parametrize("name", list(engine.PIPELINE_PRESETS))
def test_each_preset_runs_in_the_window(qtbot, window, small_image, name):
    strip = window.stack_mode.strip
    index = strip.preset.findText(name)
    shown = run_stack(qtbot, window, lambda: (strip.preset.setCurrentIndex(index), strip.preset.activated.emit(index)))
    assert shown.pipeline == engine.PIPELINE_PRESETS[name]
    assert len(window.stack_mode.views.cells) == len(shown.pipeline.layers) + 1
    assert strip.preset.currentText() == name
    assert_matches_reference(small_image, shown)


def test_presets_are_in_the_layers_menu(qtbot, window):
    menu = next(a.menu() for a in window.menuBar().actions() if a.menu() and a.menu().title() == "&Layers")
    presets = next(a.menu() for a in menu.actions() if a.menu() is not None)
    action = next(a for a in presets.actions() if a.text() == "Edges of edges")
    shown = run_stack(qtbot, window, action.trigger)
    assert shown.pipeline == engine.PIPELINE_PRESETS["Edges of edges"]


@pytest.mark.parametrize("size", [(1024, 768), (1280, 720)])
def test_a_six_layer_stack_and_its_step_panel_fit_small_windows(qtbot, window, size):
    from PySide6.QtCore import QPoint

    window.resize(*size)
    run_stack(qtbot, window, lambda: window.document.stack.activate(engine.PIPELINE_PRESETS["LeNet-like"]))
    window.stack_mode.select(4, 3, 3)
    qtbot.wait(100)
    window.dock_layout.arrange()
    assert window.stack_mode.step_dock.isVisible()
    assert window.width() == size[0]
    for cell in window.stack_mode.views.cells:
        right = cell.mapTo(window, QPoint(cell.width(), cell.height()))
        assert right.x() <= window.width() and right.y() <= window.height()
        assert cell.panel.view.width() >= 90
    side = window.side_dock.width()
    assert side <= window.width() // 3


def test_presentation_mode_reaches_the_stack_views(qtbot, stacked):
    stacked.set_presentation(True)
    cell = stacked.stack_mode.views.cell(2)
    assert cell.panel.title._lines == 2 and cell.field.line.pen().widthF() == 4.0
    run_stack(qtbot, stacked, stacked.stack_mode.strip.buttons["relu"].click)
    assert stacked.stack_mode.views.cells[-1].panel.title._lines == 2
    stacked.set_presentation(False)
    assert cell.panel.title._lines == 1


def test_cancel_stops_a_stack_job_and_the_views_keep_the_last_result(qtbot, stacked):
    stack = stacked.document.stack
    shown = stack.shown
    stacked.stack_mode.strip.list.setCurrentRow(0)
    stacked.editor.cell(0, 0).stepBy(1)
    assert stacked.document.is_busy()
    stacked.status.cancel_job()
    with qtbot.assertNotEmitted(stack.resultReady, wait=300):
        pass
    assert stack.shown is shown and not stacked.document.is_busy()
    assert "cancelled" in stacked.status.message_label.text()
    assert all(cell.array is out for cell, out in zip(stacked.stack_mode.views.cells[1:], shown.outputs))


@pytest.mark.parametrize("chosen", [1, 2])  # the ReLU, the pool
def test_a_relu_or_pool_layer_shows_the_output_size_arithmetic_of_the_conv_before_it(qtbot, window, small_image, chosen):
    """Seen under Xvfb: with a ReLU chosen after a stride-2 conv on 512x512, the options panel showed that
    conv's (greyed) options with 'floor((256 + 3 - 5) / 2) + 1 = 128', the conv run again on its own output."""
    conv = engine.ConvLayer.make([[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]).options.with_changes(stride=(2, 3))
    pipeline = engine.Pipeline((engine.ConvLayer(conv), engine.ReluLayer(), engine.PoolLayer(engine.PoolOptions("max", 2))))
    run_stack(qtbot, window, lambda: window.document.stack.activate(pipeline))
    window.stack_mode.strip.list.setCurrentRow(chosen)
    rows, cols = small_image.shape  # 'SAME' with stride s: ceil(size / s) outputs, read from the input
    note = window.options_panel.shape_note.text().splitlines()
    assert note[0].startswith(f"rows: floor(({rows} ") and note[0].endswith(f"= {-(-rows // 2)}")
    assert note[1].startswith(f"columns: floor(({cols} ") and note[1].endswith(f"= {-(-cols // 3)}")


def test_a_preset_for_every_slice_fills_the_chosen_layer_of_the_stack(qtbot, stacked):
    """Presets > Every slice of a layer went to the one-layer window hidden behind the stack, so the chosen
    layer kept its kernel."""
    stack, window = stacked.document.stack, stacked
    window.stack_mode.strip.list.setCurrentRow(0)
    one_layer = window.document.options
    run_stack(qtbot, window, lambda: window.panels.fill_layer("Per-channel edge"))  # the layer was Sobel x
    laplacian = np.array(engine.get_preset("Laplacian").kernel, dtype=float)
    kernel = np.asarray(stack.pipeline.layers[0].options.kernel_array, dtype=float)
    assert np.array_equal(kernel.reshape(laplacian.shape), laplacian)  # one channel in, one map out
    assert window.document.options == one_layer


def test_undo_after_choosing_another_layer_leaves_that_layer_alone(qtbot, stacked):
    """Seen offscreen: edit layer 1's kernel, choose layer 4, Ctrl+Z: the editor went back to layer 1's kernel
    as it was before the undone step and wrote it into layer 4."""
    stack, window = stacked.document.stack, stacked
    window.stack_mode.strip.list.setCurrentRow(0)
    run_stack(qtbot, window, lambda: window.editor.cell(1, 1).setValue(5.0))
    window.stack_mode.strip.list.setCurrentRow(3)
    before = stack.pipeline
    window.editor.undo_stack.undo()
    assert stack.pipeline == before
    assert window.editor.state.kernel == ((0, 1, 0), (1, -4, 1), (0, 1, 0))  # still layer 4's


def test_undo_after_choosing_another_map_leaves_that_maps_slice_alone(qtbot, window):
    kernel = np.zeros((3, 3, 1, 2))
    kernel[:, :, 0, 0] = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    kernel[:, :, 0, 1] = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=kernel.tolist(), offset=[0.0, 0.0])
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.cell(1, 1).setValue(7.0)  # map 0's slice
    window.layer_panel.out_channel.setValue(1)
    before = window.document.options
    window.editor.undo_stack.undo()
    assert window.document.wait_for_idle(10000)
    assert window.document.options == before


def refuse_a_move(qtbot, stacked):
    """A move the layers cannot run (the 2-channel kernel would read the 1-channel image), refused: its
    reason is the status message. Returns the reason and the pipeline before the move."""
    stack = stacked.document.stack
    run_stack(qtbot, stacked, lambda: stack.replace(0, engine.ConvLayer.make(np.ones((3, 3, 1, 2)))))  # 2 maps out
    run_stack(qtbot, stacked, lambda: stack.replace(3, engine.ConvLayer.make(np.ones((3, 3, 2, 1)))))
    before = stack.pipeline
    with qtbot.waitSignal(stack.refused) as refused:
        assert not stack.move(3, 0)
    assert stacked.status.message_label.text() == refused.args[0]
    return refused.args[0], before


def test_a_refusal_goes_from_the_status_bar_when_the_stack_is_left(qtbot, stacked):
    refused, _ = refuse_a_move(qtbot, stacked)
    stacked.document.stack.deactivate()
    assert refused not in stacked.status.message_label.text()


def test_a_refusal_goes_from_the_status_bar_when_another_layer_is_chosen(qtbot, stacked):
    refused, _ = refuse_a_move(qtbot, stacked)
    stacked.document.stack.choose(1)
    assert refused not in stacked.status.message_label.text()


def test_a_newer_message_is_kept_when_the_options_change(qtbot, stacked):
    refuse_a_move(qtbot, stacked)
    stacked.status.show_message("Saved the pipeline to p.json")
    stacked.document.stack.choose(1)
    assert stacked.status.message_label.text() == "Saved the pipeline to p.json"
