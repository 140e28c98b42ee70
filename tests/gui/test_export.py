"""Exports from the window: Copy as code, and the handout figure whose images are the engine's arrays."""

import base64
import io
import re

import numpy as np
import pytest
from PIL import Image
from PySide6.QtCore import QRectF
from PySide6.QtWidgets import QApplication

import engine
from gui.export.figure import Figure
from tests.gui.menu_support import menu_action


def test_copy_as_code_copies_a_script_that_computes_the_window_s_result(qtbot, window):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=[[1 / 9, 0.5], [-1, 2]], border="symmetric", output_range="raw")
    menu_action(window, "Edit", "Copy as code", "NumPy").trigger()
    text = QApplication.clipboard().text()
    namespace = {"__name__": "copied"}
    exec(compile(text, "copied.py", "exec"), namespace)
    result = window.document.result
    convolved = namespace["convolve"](result.image)
    assert convolved.tobytes() == result.convolved.tobytes()
    assert namespace["pool"](convolved).tobytes() == result.pooled.tobytes()
    for name in ("PyTorch", "Keras / TensorFlow"):
        menu_action(window, "Edit", "Copy as code", name).trigger()
        compile(QApplication.clipboard().text(), "copied.py", "exec")


def test_copy_as_code_of_a_layer_on_a_colour_image_computes_the_window_s_maps(qtbot, window):
    from gui.document import Source

    rgb = np.random.default_rng(4).integers(0, 256, (12, 10, 3)).astype(np.uint8)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(rgb, Source("colour"))
    kernel = np.random.default_rng(5).choice([0.5, -1, 1 / 3, 0], size=(3, 2, 3, 2))
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=kernel, offset=(1.0, -2.0), stride=(2, 1), dilation=(1, 2), output_range="raw")
    menu_action(window, "Edit", "Copy as code", "NumPy").trigger()
    text = QApplication.clipboard().text()
    assert "def load_rgb(" in text
    namespace = {"__name__": "copied"}
    exec(compile(text, "copied.py", "exec"), namespace)
    result = window.document.result
    convolved = namespace["convolve"](result.image)
    assert convolved.shape == result.convolved.shape and convolved.tobytes() == result.convolved.tobytes()
    assert namespace["pool"](convolved).tobytes() == result.pooled.tobytes()


def _blocks(figure):
    """(what the engine says each image shows, scaled by its whole factor) for the figure's layout."""
    return [(np.kron(image.pixels, np.ones((factor, factor), dtype=np.uint8)), rect)
            for image, factor, rect in figure.placed]


@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_the_figure_png_shows_the_engine_s_arrays_pixel_for_pixel(qtbot, window, tmp_path, output_range):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=engine.get_preset("Sobel x").kernel, output_range=output_range,
                               pool=engine.PoolOptions("avg", 3, 2))
    result = window.document.result
    assert window.exports.save_figure(tmp_path / "figure.png", dpi=200)
    picture = Image.open(tmp_path / "figure.png")
    assert picture.info["dpi"] == pytest.approx((200, 200), abs=0.5)
    pixels = np.asarray(picture.convert("RGB"))
    figure = Figure(result, "test crop", 200)
    arrays = [result.image, result.convolved, result.pooled]
    assert len(figure.placed) == 3
    for (expected, rect), array, mapping in zip(_blocks(figure), arrays, ["clamp", output_range, output_range]):
        region = pixels[rect.top():rect.top() + rect.height(), rect.left():rect.left() + rect.width()]
        assert (region == region[..., :1]).all()  # gray
        assert np.array_equal(region[..., 0], expected)
        shown = expected[::rect.height() // array.shape[0], ::rect.width() // array.shape[1]]
        assert np.array_equal(shown, engine.to_display_uint8(array, mapping))
        if mapping == "clamp" and array.dtype == np.uint8:
            assert np.array_equal(shown, array)  # the very values
    input_factor = figure.placed[0][1]
    assert figure.placed[2][1] == input_factor * 2  # the pooled image lines up with the others


def test_the_figure_svg_embeds_the_scaled_pixels_unsmoothed(qtbot, window, tmp_path):
    result = window.document.result
    assert window.exports.save_figure(tmp_path / "figure.svg")
    text = (tmp_path / "figure.svg").read_text()
    embedded = re.findall(r'<image [^>]*xlink:href="data:image/png;base64,([^"]+)"', text)
    figure = Figure(result, "test crop")
    blocks = _blocks(figure)
    images = [np.asarray(Image.open(io.BytesIO(base64.b64decode(data))).convert("L")) for data in embedded]
    for expected, _ in blocks:
        assert any(image.shape == expected.shape and np.array_equal(image, expected) for image in images)
    assert 'image-rendering="optimizeSpeed"' in text
    for word in ("Input", "Convolved", "Pooled", "Kernel", "weight"):
        assert word in text


def test_a_figure_with_an_unknown_suffix_is_refused_and_writes_nothing(window, tmp_path, no_dialogs):
    folder = tmp_path / "out"
    folder.mkdir()
    assert not window.exports.save_figure(folder / "figure.jpg")
    assert no_dialogs and "png or .svg" in no_dialogs[0][2]
    assert list(folder.iterdir()) == []


def _record(qtbot, window, request, path, cancel_after=None):
    from gui.export.animation import AnimationRecorder

    recorder = AnimationRecorder(window, request, path)
    outcome = []
    recorder.finished.connect(lambda p: outcome.append(("finished", p)))
    recorder.failed.connect(lambda m: outcome.append(("failed", m)))
    recorder.cancelled.connect(lambda: outcome.append(("cancelled",)))
    if cancel_after is not None:
        recorder.progress.connect(lambda _f: len(recorder.frames) >= cancel_after and recorder.cancel())
    recorder.start()
    qtbot.waitUntil(lambda: bool(outcome), timeout=60000)
    return recorder, outcome[0]


def _frames(path):
    with Image.open(path) as image:
        frames = []
        for n in range(image.n_frames):
            image.seek(n)
            frames.append(np.asarray(image.convert("RGB")))
        return frames


def test_an_animation_has_one_frame_per_step_and_each_is_the_window_at_that_step(qtbot, window, tmp_path):
    from engine.animation import AnimationRequest
    from gui.export.animation import frame_of

    request = AnimationRequest(steps=5, start=(3, 4), width=400)
    recorder, outcome = _record(qtbot, window, request, tmp_path / "steps.png")
    assert outcome[0] == "finished", outcome
    frames = _frames(tmp_path / "steps.png")
    assert len(frames) == 5 and recorder.positions == [(3, 4), (3, 5), (3, 6), (3, 7), (3, 8)]
    assert window.step_mode.current == (3, 8)
    assert np.array_equal(frames[-1], frame_of(window, 400))  # the window as it is at the last step
    assert frames[0].shape[1] == 400 and not np.array_equal(frames[0], frames[-1])
    again, outcome = _record(qtbot, window, AnimationRequest(steps=3, start=(3, 4), width=400), tmp_path / "b.png")
    assert np.array_equal(_frames(tmp_path / "b.png")[-1], frames[2])  # the third step, recorded again


def test_a_pixel_animation_shows_whole_pixels_even_if_the_window_was_tap_by_tap(qtbot, window, tmp_path):
    """Seen under Xvfb: recorded with Tap by tap on, every frame showed its pixel's first product only (tap 1
    of 9, running sum 0) under the pixel's stored value."""
    from engine.animation import AnimationRequest

    request = AnimationRequest(steps=3, start=(3, 4), width=400)
    _, outcome = _record(qtbot, window, request, tmp_path / "pixels.png")
    assert outcome[0] == "finished", outcome
    window.step_mode.set_tap_mode(True)
    _, outcome = _record(qtbot, window, request, tmp_path / "from_tap_mode.png")
    assert outcome[0] == "finished", outcome
    for whole, recorded in zip(_frames(tmp_path / "pixels.png"), _frames(tmp_path / "from_tap_mode.png"), strict=True):
        assert np.array_equal(whole, recorded)
    assert window.step_mode.tap is None


def test_a_gif_sweep_spreads_the_frames_over_the_whole_image(qtbot, window, tmp_path):
    from engine.animation import AnimationRequest

    recorder, outcome = _record(qtbot, window, AnimationRequest(steps=4, sweep=True, width=320),
                                tmp_path / "sweep.gif")
    assert outcome[0] == "finished", outcome
    assert len(_frames(tmp_path / "sweep.gif")) == 4
    height, width = window.document.result.convolved.shape
    stride = height * width // 4
    assert recorder.positions == [divmod(n * stride, width) for n in range(4)]


def test_a_cancelled_animation_leaves_no_file(qtbot, window, tmp_path):
    from engine.animation import AnimationRequest

    folder = tmp_path / "out"
    folder.mkdir()
    _, outcome = _record(qtbot, window, AnimationRequest(steps=20, width=320), folder / "a.gif", cancel_after=3)
    assert outcome == ("cancelled",)
    assert list(folder.iterdir()) == []


def test_mp4_without_ffmpeg_is_refused_with_the_reason(qtbot, window, tmp_path, monkeypatch):
    from engine import animation
    from engine.animation import AnimationRequest

    monkeypatch.setattr(animation, "ffmpeg_path", lambda: None)
    _, outcome = _record(qtbot, window, AnimationRequest(steps=2, width=320), tmp_path / "a.mp4")
    assert outcome[0] == "failed" and "ffmpeg" in outcome[1]
    assert not (tmp_path / "a.mp4").exists()


def test_the_animation_dialog_records_and_disables_mp4_without_ffmpeg(qtbot, window, tmp_path, monkeypatch):
    from engine import animation
    from gui.export.animation_dialog import AnimationDialog

    monkeypatch.setattr(animation, "ffmpeg_path", lambda: None)
    dialog = AnimationDialog(window, window.status.show_message)
    qtbot.addWidget(dialog)
    mp4 = dialog.kind.model().item(2)
    assert not mp4.isEnabled() and "ffmpeg" in mp4.toolTip() and "ffmpeg" in dialog.note.text()
    dialog.steps.setValue(3)
    dialog.width_box.setValue(320)
    dialog.path.setText(str(tmp_path / "steps.gif"))
    dialog.kind.setCurrentIndex(1)  # animated PNG: the suffix follows
    assert dialog.path.text().endswith("steps.png")
    with qtbot.waitSignal(dialog.accepted, timeout=60000):
        dialog.start()
    assert len(_frames(tmp_path / "steps.png")) == 3


def test_an_animation_too_big_for_memory_is_refused_before_recording(qtbot, window, tmp_path):
    from engine.animation import AnimationRequest

    _, outcome = _record(qtbot, window, AnimationRequest(steps=1000, sweep=True, width=3840), tmp_path / "a.gif")
    assert outcome[0] == "failed" and "GB" in outcome[1] and "at most" in outcome[1]
    assert not (tmp_path / "a.gif").exists()


def test_a_taps_animation_shows_one_tap_of_the_pixel_per_frame(qtbot, window, tmp_path):
    from engine.animation import AnimationRequest
    from gui.export.animation import frame_of

    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(kernel=engine.get_preset("Sobel x").kernel)
    recorder, outcome = _record(qtbot, window, AnimationRequest(steps=20, start=(5, 6), taps=True, width=400),
                                tmp_path / "taps.png")
    assert outcome[0] == "finished", outcome
    frames = _frames(tmp_path / "taps.png")
    assert len(frames) == 9 and recorder.positions == [(5, 6)] * 9  # 3x3 taps, fewer than the 20 asked
    assert all(not np.array_equal(a, b) for a, b in zip(frames, frames[1:]))
    step = window.step_mode
    assert step.tap == 8 and step.panel.focus == 8  # the last tap, lit up in the step panel
    assert np.array_equal(frames[-1], frame_of(window, 400))


def test_a_taps_animation_frame_is_the_window_at_that_tap_of_the_live_walk(qtbot, window, tmp_path):
    from engine.animation import AnimationRequest
    from gui.export.animation import frame_of

    _, outcome = _record(qtbot, window, AnimationRequest(steps=5, start=(4, 3), taps=True, width=400),
                         tmp_path / "taps.png")
    assert outcome[0] == "finished", outcome
    frames = _frames(tmp_path / "taps.png")
    step = window.step_mode
    step.set_tap_mode(False)
    step.select(4, 3)
    step.set_tap_mode(True)  # by hand, as a user walks it: T, then Shift+Right
    for _ in range(3):
        step.next_tap()
    assert step.tap == 3 and step.panel.focus == 3
    terms = step.panel.explanation.terms
    assert step.overlays.tap.rect() == QRectF(terms[3].input_pos[1], terms[3].input_pos[0], 1, 1)
    qtbot.wait(50)
    assert np.array_equal(frames[3], frame_of(window, 400))
    assert not np.array_equal(frames[2], frame_of(window, 400))

def test_copy_as_code_with_the_layer_stack_on_copies_the_stack_s_script(qtbot, window, small_image):
    from gui.document import Source

    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(small_image, Source("test crop"))
    stack = window.document.stack
    with qtbot.waitSignal(stack.resultReady, timeout=20000):
        stack.activate(engine.PIPELINE_PRESETS["Edges of edges"])
    menu_action(window, "Edit", "Copy as code", "NumPy").trigger()
    text = QApplication.clipboard().text()
    namespace = {"__name__": "copied"}
    exec(compile(text, "copied.py", "exec"), namespace)
    outputs = namespace["run"](small_image)
    shown = stack.shown.result.outputs
    assert len(outputs) == len(shown) == len(engine.PIPELINE_PRESETS["Edges of edges"].layers)
    for ours, window_s in zip(outputs, shown):
        assert ours.dtype == window_s.dtype and ours.tobytes() == window_s.tobytes()


@pytest.mark.parametrize("export", ["export_figure", "export_animation"])
def test_figures_and_animations_are_refused_while_the_layer_stack_is_on(qtbot, window, no_dialogs, monkeypatch, export):
    """Seen under Xvfb: Export animation with the stack on turned on the hidden one-layer window's step mode
    and recorded the stack's views beside that window's step panel; a figure showed the hidden window's images."""
    from PySide6.QtWidgets import QDialog

    opened = []
    monkeypatch.setattr(QDialog, "exec", lambda self: opened.append(type(self).__name__) or 0)
    monkeypatch.setattr("gui.export.actions.ask_save_path", lambda *a, **k: opened.append("save") or "")
    with qtbot.waitSignal(window.document.stack.resultReady, timeout=20000):
        window.document.stack.activate(engine.PIPELINE_PRESETS["Edges of edges"])
    getattr(window.exports, export)()
    assert opened == [] and no_dialogs == []
    assert "layer stack" in window.status.message_label.text()
    assert not window.step_mode.is_active


def test_a_figure_for_a_missing_folder_is_refused_before_the_dpi_is_asked(qtbot, window, no_dialogs, monkeypatch,
                                                                         small_image, tmp_path):
    from gui.document import Source

    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(small_image, Source("test crop"))
    target = tmp_path / "missing" / "figure.png"
    asked = []
    monkeypatch.setattr("gui.export.actions.ask_save_path", lambda *a, **k: str(target))
    monkeypatch.setattr("gui.export.actions.QInputDialog.getInt", lambda *a, **k: asked.append(a) or (150, True))
    window.exports.export_figure()
    assert asked == []
    assert len(no_dialogs) == 1 and "does not exist" in no_dialogs[0][2]
    assert not target.parent.exists()
