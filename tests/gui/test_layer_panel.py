"""Colour images and layer kernels in the window: RGB input, feature maps from the layer panel, the kernel
editor editing one (input channel, map) slice with that map's bias, the chosen map in the big views."""

import numpy as np

import engine
from gui.document import Source


def _rgb(small_image):
    return np.ascontiguousarray(np.stack([small_image, small_image[::-1], 255 - small_image], axis=-1))


def test_a_colour_image_is_filtered_channel_by_channel_and_shown_in_colour(window, qtbot, small_image):
    rgb = _rgb(small_image)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(rgb, Source("colour"))
    result = window.document.result
    assert result.convolved.shape == (*rgb.shape[:2], 3)
    assert np.array_equal(result.convolved[:, :, 1],
                          engine.convolve(np.ascontiguousarray(rgb[:, :, 1]), window.document.options))
    assert window.views.input.data.shape == rgb.shape  # the input view shows the colour image
    assert "x 3 maps" in window.views.convolved.title._full


def test_maps_slices_and_biases_edit_a_layer_kernel(window, qtbot, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(_rgb(small_image), Source("colour"))
    panel = window.layer_panel
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        panel.outputs.setValue(2)
    options = window.document.options
    assert options.layer_shape == (3, 3, 3, 2)
    panel.in_channel.setValue(2)
    panel.out_channel.setValue(1)
    sobel = engine.get_preset("Sobel x")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.editor.set_values(sobel.kernel, 1.0, 9.0)
    options = window.document.options
    assert options.kernel_slice(2, 1) == sobel.kernel and options.kernel_slice(1, 1) != sobel.kernel
    assert options.offset == (0.0, 9.0)
    assert "3x3x3x2 (HWIO); bias per map: 0, 9" in panel.note.text()
    maps = window.document.result.convolved
    assert maps.shape[2] == 2 and np.array_equal(window.views.convolved.data, maps[:, :, 1])


def test_step_mode_explains_the_chosen_map(window, qtbot, small_image):
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.set_image(_rgb(small_image), Source("colour"))
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.layer_panel.outputs.setValue(3)
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.document.change(offset=[0, 0, 77])
    window.step_mode.enter()
    window.step_mode.select(4, 5)
    window.layer_panel.out_channel.setValue(2)
    maps = window.document.result.convolved
    want = engine.explain_pixel(window.document.image, window.document.options, 4, 5, 2)
    assert want.stored == float(maps[4, 5, 2])
    assert f"convolved[4, 5] = {engine.format_number(want.stored)}" in window.step_mode.panel.heading.text()
    subtotals = ", ".join(f"c{ci}: {engine.format_number(v)}" for ci, v in want.subtotals)
    assert f"input channels: {subtotals}" in window.step_mode.panel.result.text()


def test_a_session_of_a_colour_layer_reopens_in_colour(window, qtbot, tmp_path):
    from PIL import Image

    rgb = np.random.default_rng(3).integers(0, 256, (12, 14, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "photo.png")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        assert window.files.open_image(tmp_path / "photo.png", "rgb")
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        window.layer_panel.outputs.setValue(2)
    assert window.files.save_session(tmp_path / "s.json")
    with qtbot.waitSignal(window.document.jobFailed, timeout=10000):  # a gray image for a 3-channel layer
        window.files.load_sample("ascent")
    assert "takes 3 input channel(s)" in window.document.failure.message
    with qtbot.waitSignal(window.document.resultReady, timeout=10000):
        assert window.files.open_session(tmp_path / "s.json")
    assert window.document.image.shape == (12, 14, 3) and window.document.failure is None
    assert window.document.options.layer_shape == (3, 3, 3, 2)
    assert window.document.result.convolved.shape == (12, 14, 2)
