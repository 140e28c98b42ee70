"""The float-fft path: FFT sums certified pixel by pixel, the loop where undecided; bit for bit the
reference loop's values, and taken only where it should be."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine import fft_tiles
from engine.convolution import Convolution

from . import reference as ref
from .fast_paths_support import check, gaussian_decimals, small_tiles  # noqa: F401 (small_tiles: a fixture)


# -- the float-fft path: FFT sums, certified pixel by pixel, the loop where undecided ----------------------

@pytest.fixture
def flat_patches():
    """Noise with flat patches: a box kernel's exact sums are then whole numbers, right on the clamp's steps."""
    image = np.random.default_rng(41).integers(0, 256, (40, 45)).astype(np.uint8)
    image[4:20, 3:30] = 77
    image[25:38, 10:40] = 200
    return image


BIG_FLOAT_KERNELS = {
    "box 1/90": np.full((9, 10), 1 / 90),
    "random 11x9": np.random.default_rng(42).normal(size=(11, 9)),
    "gaussian decimals 15x15": gaussian_decimals(15, sigma=4.0),
    "negative decimals 11x11": np.round(np.random.default_rng(43).normal(size=(11, 11)) / 30, 3),
}


@pytest.mark.parametrize("name", BIG_FLOAT_KERNELS)
@pytest.mark.parametrize("weight, offset", [(1.0, 0.0), (2.5, -10.0), (-1.0, 255.0)])
def test_the_float_fft_path_equals_the_loop(small_tiles, flat_patches, name, weight, offset):
    kernel = BIG_FLOAT_KERNELS[name]
    assert Convolution(flat_patches, engine.JobOptions(kernel=kernel)).path == "float-fft"
    check(flat_patches, kernel, weight, offset, "reflect", "clamp")


@pytest.mark.parametrize("border", engine.BORDERS)
def test_the_float_fft_path_on_every_border(small_tiles, flat_patches, border):
    check(flat_patches, BIG_FLOAT_KERNELS["box 1/90"], 1.0, 0.0, border, "clamp")


def test_the_float_fft_path_is_for_clamped_8_and_16_bit_images_only(flat_patches):
    kernel = BIG_FLOAT_KERNELS["random 11x9"]
    assert Convolution(flat_patches.astype(np.uint16), engine.JobOptions(kernel=kernel)).path == "float-fft"
    assert Convolution(flat_patches, engine.JobOptions(kernel=kernel, output_range="raw")).path == "float"
    assert Convolution(flat_patches.astype(np.int32), engine.JobOptions(kernel=kernel)).path == "float"
    assert Convolution(flat_patches.astype(np.float32), engine.JobOptions(kernel=kernel)).path == "float"
    assert Convolution(flat_patches, engine.JobOptions(kernel=kernel), fft=False).path == "float"
    assert Convolution(flat_patches, engine.JobOptions(kernel=np.full((3, 3), 0.1)), fft=True).path == "float-fft"


def test_the_certificate_decides_most_pixels_and_the_loop_the_rest(small_tiles, flat_patches, monkeypatch):
    undecided = []
    real = engine.convolution.certified_finish
    monkeypatch.setattr(engine.convolution, "certified_finish", lambda *a: undecided.append(real(*a)) or undecided[-1])
    check(flat_patches, BIG_FLOAT_KERNELS["box 1/90"], 1.0, 0.0, "edge", "clamp")
    assert 0 < sum(undecided) < flat_patches.size // 4


def test_without_the_error_margin_the_box_kernel_would_be_wrong(small_tiles, flat_patches, monkeypatch):
    """The margin is what makes the path exact: with none, every pixel is 'decided' by the FFT's sum, and
    those whose exact sum is a whole number take the FFT's side of the step, not the loop's."""
    monkeypatch.setattr(engine.certified, "enclosing_margin", lambda *a: 0.0)
    kernel = BIG_FLOAT_KERNELS["box 1/90"]
    got = engine.convolve(flat_patches, engine.JobOptions(kernel=kernel, border="edge"))
    assert ref.as_float_lists(got) != ref.convolve(flat_patches, kernel, 1.0, 0.0, "edge", "clamp")


def test_a_band_the_certificate_leaves_mostly_undecided_is_summed_tap_by_tap(small_tiles, flat_patches, monkeypatch):
    monkeypatch.setattr(engine.convolution, "fft_error_bound", lambda *a: 1e9)
    taps = []
    real = Convolution._tile_sums
    monkeypatch.setattr(Convolution, "_tile_sums", lambda self, *a: taps.append(a) or real(self, *a))
    check(flat_patches, BIG_FLOAT_KERNELS["random 11x9"], 1.0, 3.0, "wrap", "clamp")
    assert taps


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), nice=st.booleans())
def test_random_big_float_kernels_on_the_float_fft_path_equal_the_loop(seed, nice):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (rng.integers(9, 30), rng.integers(9, 30))).astype(np.uint8)
    image[: image.shape[0] // 2] = rng.integers(0, 256)  # a flat half: whole-number sums for nice kernels
    shape = (int(rng.integers(9, 16)), int(rng.integers(9, 16)))
    kernel = np.full(shape, 1 / (shape[0] * shape[1])) if nice else rng.normal(size=shape) / 10
    weight = float(rng.choice([1.0, 3.0, -0.5]))
    old, fft_tiles.FFT_TILE = fft_tiles.FFT_TILE, 32
    try:
        assert Convolution(image, engine.JobOptions(kernel=kernel)).path == "float-fft"
        check(image, kernel, weight, 20.0, str(rng.choice(engine.BORDERS[:-1])), "clamp")
    finally:
        fft_tiles.FFT_TILE = old
