"""Presets that fill every slice of a layer kernel: each checked by what the layer then computes, against
plain reference loops on one channel (tests/engine/reference.py)."""

import numpy as np
import pytest

import engine
from tests.engine import reference

RNG = np.random.default_rng(14)
RGB = RNG.integers(0, 256, (9, 11, 3)).astype(np.uint8)
SOBEL_X = engine.get_preset("Sobel x").kernel
LAPLACIAN = engine.get_preset("Laplacian").kernel


def _layer(kernel, image=RGB):
    return np.array(reference.layer(image, kernel, output_range="raw"))


def test_every_layer_preset_has_the_layer_shape_and_a_description():
    for preset in engine.LAYER_PRESETS:
        kernel = engine.fill_layer(preset.name, SOBEL_X, 3, 5)
        assert kernel.shape == (3, 3, 3, 5) and preset.description


def test_sobel_x_on_every_channel_makes_each_map_sobel_x_of_the_channel_sum():
    kernel = engine.fill_layer("Sobel x on every channel", [[1]], 3, 2)
    total = RGB.astype(np.float64).sum(axis=2)
    want = np.array(reference.convolve(total, SOBEL_X, output_range="raw"))
    got = _layer(kernel)
    for o in range(2):
        assert np.array_equal(got[:, :, o], want)


def test_the_edited_slice_on_every_channel():
    slice_ = [[0, 1, 0], [2, -3, 0.5]]
    kernel = engine.fill_layer("Edited slice on every channel", slice_, 3, 3)
    for ci in range(3):
        for o in range(3):
            assert kernel[:, :, ci, o].tolist() == slice_


def test_luma_weighted_makes_each_map_the_filter_on_the_gray_picture():
    kernel = engine.fill_layer("Luma-weighted", SOBEL_X, 3, 1)
    r, g, b = (RGB[:, :, k].astype(np.float64) for k in range(3))
    luma = 0.299 * r + 0.587 * g + 0.114 * b  # BT.601, the rule engine.images makes gray with
    want = np.array(reference.convolve(luma, SOBEL_X, output_range="raw"))
    got = _layer(kernel)[:, :, 0]
    assert np.allclose(got, want, atol=1e-3)  # float32 output, sums in another order
    assert engine.fill_layer("Luma-weighted", SOBEL_X, 1, 2)[:, :, 0, 1].tolist() == [list(r) for r in SOBEL_X]


def test_luma_weights_by_channel_count():
    assert engine.layer_presets.luma_weights(3) == (0.299, 0.587, 0.114)
    assert engine.layer_presets.luma_weights(4) == (0.299, 0.587, 0.114, 0.0)  # alpha counts nothing
    assert engine.layer_presets.luma_weights(2) == (0.5, 0.5)


def test_per_channel_edge_gives_map_o_the_edges_of_channel_o():
    kernel = engine.fill_layer("Per-channel edge", SOBEL_X, 3, 5)
    got = _layer(kernel)
    for o in range(5):
        channel = RGB[:, :, o % 3]
        want = np.array(reference.convolve(channel, LAPLACIAN, output_range="raw"))
        assert np.array_equal(got[:, :, o], want), o


@pytest.mark.parametrize("bad", [("Nope", [[1]], 3, 2), ("Luma-weighted", [[1]], 3, 9),
                                 ("Luma-weighted", [1, 2], 3, 2), ("Luma-weighted", [[1]], 0, 2)])
def test_bad_requests_get_one_clear_error(bad):
    with pytest.raises(engine.OptionsError):
        engine.fill_layer(*bad)
