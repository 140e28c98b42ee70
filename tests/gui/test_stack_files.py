"""The layer stack's files: pipeline files opened and saved from the window, and sessions keeping the stack."""

import json

import numpy as np

import engine
from tests.gui.test_stack_window import run_stack


def edges_of_edges_edited(qtbot, window):
    """The 'Edges of edges' preset with its last layer's centre weight stepped up: a stack of one's own."""
    stack = window.document.stack
    run_stack(qtbot, window, lambda: stack.activate(engine.PIPELINE_PRESETS["Edges of edges"]))
    window.stack_mode.strip.list.setCurrentRow(len(stack.pipeline.layers) - 1)
    run_stack(qtbot, window, lambda: window.editor.cell(1, 1).stepBy(1))
    assert stack.pipeline != engine.PIPELINE_PRESETS["Edges of edges"]
    return stack.pipeline


def test_a_session_keeps_the_layer_stack(qtbot, window, tmp_path):
    pipeline = edges_of_edges_edited(qtbot, window)
    path = tmp_path / "stack.kscope.json"
    assert window.files.save_session(path)
    assert json.loads(path.read_text())["pipeline"]["layers"][0]["type"] == "conv"
    window.stack_mode.toggle.trigger()
    assert not window.document.stack.active
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=20000):
        assert window.files.open_session(path)
    assert window.document.stack.active and window.document.stack.pipeline == pipeline
    assert window.shown_views is window.stack_mode.views


def test_a_session_without_a_stack_turns_the_stack_off(qtbot, window, tmp_path):
    path = tmp_path / "plain.kscope.json"
    assert window.files.save_session(path)
    edges_of_edges_edited(qtbot, window)
    with qtbot.waitSignal(window.document.resultReady, timeout=20000):
        assert window.files.open_session(path)
    assert not window.document.stack.active and window.shown_views is window.centre


def test_a_session_keeps_the_stacks_chosen_layer(qtbot, window, tmp_path):
    stack = window.document.stack
    pipeline = run_stack(qtbot, window, lambda: stack.activate(engine.PIPELINE_PRESETS["LeNet-like"])).pipeline
    window.stack_mode.strip.list.setCurrentRow(4)  # the ReLU after the second conv layer
    assert stack.chosen == 4 and window.chosen_kernel.layer == 3
    path = tmp_path / "chosen.kscope.json"
    assert window.files.save_session(path)
    window.stack_mode.strip.list.setCurrentRow(0)
    window.stack_mode.toggle.trigger()
    assert not stack.active
    with qtbot.waitSignal(stack.resultReady, timeout=20000):
        assert window.files.open_session(path)
    assert stack.pipeline == pipeline and stack.chosen == 4
    assert window.stack_mode.strip.list.currentRow() == 4
    assert window.chosen_kernel.layer == 3 and window.chosen_kernel.describe().startswith("layer 4 (conv 5x5x4x2)")
    assert window.chosen_kernel.whole_options == pipeline.layers[3].options


def test_a_session_saved_before_the_chosen_layer_was_kept_opens_on_the_first_layer(qtbot, window, tmp_path):
    stack = window.document.stack
    run_stack(qtbot, window, lambda: stack.activate(engine.PIPELINE_PRESETS["LeNet-like"]))
    window.stack_mode.strip.list.setCurrentRow(3)
    path = tmp_path / "old.kscope.json"
    assert window.files.save_session(path)
    data = json.loads(path.read_text())
    del data["chosen_layer"]
    path.write_text(json.dumps(data))
    assert window.files.open_session(path)
    assert stack.active and stack.chosen == 0 and window.stack_mode.strip.list.currentRow() == 0


def test_a_session_with_a_bad_chosen_layer_gives_one_message_and_changes_nothing(qtbot, window, tmp_path,
                                                                                  no_dialogs):
    stack = window.document.stack
    pipeline = run_stack(qtbot, window, lambda: stack.activate(engine.PIPELINE_PRESETS["LeNet-like"])).pipeline
    window.stack_mode.strip.list.setCurrentRow(3)
    path = tmp_path / "bad.kscope.json"
    assert window.files.save_session(path)
    window.stack_mode.strip.list.setCurrentRow(2)
    content = json.dumps(dict(json.loads(path.read_text()), chosen_layer=6))
    path.write_text(content)
    assert not window.files.open_session(path)
    assert len(no_dialogs) == 1 and no_dialogs[0][:2] == ("warning", "Cannot open session")
    assert "chosen_layer" in no_dialogs[0][2] and "0 to 5" in no_dialogs[0][2]
    assert stack.pipeline == pipeline and stack.chosen == 2 and path.read_text() == content


def test_the_last_session_restores_the_stack_at_the_next_start(qtbot, window, small_image):
    from gui.main_window import MainWindow
    from gui import settings as app_settings

    pipeline = edges_of_edges_edited(qtbot, window)
    window.stack_mode.strip.list.setCurrentRow(1)
    app_settings.save_last_session(window.files.current_session())
    again = MainWindow(restore=True, persist=False)
    qtbot.addWidget(again)
    again.restore_last_session()
    assert again.document.stack.active and again.document.stack.pipeline == pipeline
    assert again.document.stack.chosen == 1 and again.chosen_kernel.layer == 0
    again.document.shutdown()


def test_a_pipeline_file_saved_from_the_window_opens_as_the_same_stack(qtbot, window, tmp_path):
    pipeline = edges_of_edges_edited(qtbot, window)
    path = tmp_path / "mine.json"
    assert window.stack_mode.files.save_pipeline(path)
    run_stack(qtbot, window, lambda: window.document.stack.activate(engine.PIPELINE_PRESETS["LeNet-like"]))
    shown = run_stack(qtbot, window, lambda: window.stack_mode.files.open_pipeline(path))
    assert shown.pipeline == pipeline == engine.load_pipeline(path)


def test_todays_window_saves_as_its_conv_pool_pipeline(window, tmp_path, small_image):
    path = tmp_path / "today.json"
    assert window.stack_mode.files.save_pipeline(path)
    pipeline = engine.load_pipeline(path)
    assert [layer.kind for layer in pipeline.layers] == ["conv", "pool"]
    result = engine.run_pipeline(small_image, pipeline)
    assert np.array_equal(result.outputs[0], window.document.result.convolved)
    assert np.array_equal(result.outputs[1], window.document.result.pooled)


def test_a_bad_pipeline_file_gives_one_message_and_changes_nothing(qtbot, window, tmp_path, no_dialogs):
    pipeline = edges_of_edges_edited(qtbot, window)
    shown = window.document.stack.shown
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"layers": [{"type": "conv", "kernel": [[1, 2, 3]]},
                                          {"type": "pool", "size": "big"}]}))
    assert not window.stack_mode.files.open_pipeline(bad)
    assert len(no_dialogs) == 1 and no_dialogs[0][:2] == ("warning", "Cannot open pipeline")
    assert "layer 2" in no_dialogs[0][2] and "size" in no_dialogs[0][2]
    assert window.document.stack.pipeline == pipeline and window.document.stack.shown is shown
    assert not window.document.is_busy()


def test_a_bad_pipeline_file_leaves_todays_window_as_it_was(window, tmp_path, no_dialogs):
    options = window.document.options
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    assert not window.stack_mode.files.open_pipeline(bad)
    assert len(no_dialogs) == 1
    assert not window.document.stack.active and window.document.options == options
    assert window.shown_views is window.centre


def test_a_pipeline_that_cannot_run_on_the_image_is_refused(qtbot, window, tmp_path, no_dialogs):
    path = tmp_path / "deep.json"
    engine.save_pipeline(engine.Pipeline(tuple(engine.PoolLayer(engine.PoolOptions("max", 2)) for _ in range(6))),
                         path)  # 32x36 halves six times: nothing is left by the sixth pool
    with qtbot.waitSignal(window.document.stack.refused) as refused:
        assert not window.stack_mode.files.open_pipeline(path)
    assert "layer 6" in refused.args[0] and not window.document.stack.active
    assert no_dialogs == []


def test_a_pipeline_file_without_layers_is_refused_with_one_message(qtbot, window, tmp_path, no_dialogs):
    """{"layers": []} is a valid pipeline file to the engine (the command line refuses it: no output); the
    window raised IndexError on it and turned the stack on."""
    options = window.document.options
    path = tmp_path / "empty.json"
    path.write_text(json.dumps({"layers": []}))
    with qtbot.waitSignal(window.document.stack.refused) as refused:
        assert not window.stack_mode.files.open_pipeline(path)
    assert "no layers" in refused.args[0] and no_dialogs == []
    assert not window.document.stack.active and window.document.options == options
    assert window.shown_views is window.centre
