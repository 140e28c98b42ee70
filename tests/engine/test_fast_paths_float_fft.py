"""The float-fft path: FFT sums certified pixel by pixel, the loop where undecided; bit for bit the
reference loop's values, and taken only where it should be."""

from fractions import Fraction

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


@pytest.fixture
def fresh_plans():
    """Plans made while a test patches how they are made are forgotten before and after it."""
    engine.certified.plan_for.cache_clear()
    yield
    engine.certified.plan_for.cache_clear()


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
    real = engine.certified.certified_finish
    monkeypatch.setattr(engine.certified, "certified_finish", lambda *a: undecided.append(real(*a)) or undecided[-1])
    check(flat_patches, BIG_FLOAT_KERNELS["box 1/90"], 1.0, 0.0, "edge", "clamp")
    assert 0 < sum(undecided) < flat_patches.size // 4


def test_without_the_error_margin_the_box_kernel_would_be_wrong(small_tiles, flat_patches, monkeypatch, fresh_plans):
    """The margin is what makes the path exact: with none, every pixel is 'decided' by the FFT's sum, and
    those whose exact sum is a whole number take the FFT's side of the step, not the loop's."""
    real = engine.certified.fft_plan

    def no_margin(kernel, weight, offset, *rest):
        plan = real(kernel, weight, offset, *rest)
        return engine.certified.FftPlan(plan.kernel, plan.shift, offset * 2.0 ** plan.shift, 0)

    kernel = BIG_FLOAT_KERNELS["box 1/90"]
    options = engine.JobOptions(kernel=kernel, border="edge")
    with monkeypatch.context() as patched:
        patched.setattr(engine.certified, "fft_plan", no_margin)
        got = engine.convolve(flat_patches, options)
    engine.certified.plan_for.cache_clear()
    assert ref.as_float_lists(got) != ref.convolve(flat_patches, kernel, 1.0, 0.0, "edge", "clamp")
    assert ref.as_float_lists(engine.convolve(flat_patches, options)) == ref.convolve(
        flat_patches, kernel, 1.0, 0.0, "edge", "clamp")


def test_a_band_the_certificate_leaves_mostly_undecided_is_summed_tap_by_tap(small_tiles, flat_patches, monkeypatch,
                                                                             fresh_plans):
    real_plan = engine.certified.fft_plan

    def wide(*args):  # still a true certificate, only one that decides few pixels
        plan = real_plan(*args)
        return engine.certified.FftPlan(plan.kernel, plan.shift, plan.low - 2.0 ** (plan.shift - 2),
                                        plan.spread + 2 ** (plan.shift - 1))

    monkeypatch.setattr(engine.certified, "fft_plan", wide)
    taps = []
    real = Convolution._tile_sums
    monkeypatch.setattr(Convolution, "_tile_sums", lambda self, *a: taps.append(a) or real(self, *a))
    check(flat_patches, BIG_FLOAT_KERNELS["random 11x9"], 0.02, 128.0, "wrap", "clamp")  # few pixels clip
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


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), weight=st.sampled_from([1.0, -0.5, 0.02, 3.0]),
       offset=st.sampled_from([0.0, 0.5, 128.0, -7.0]))
def test_the_loops_value_lies_in_the_certified_fft_interval(seed, weight, offset):
    """The derivation in engine.certified, pixel by pixel: L (FFT sums + low, clipped, truncated) and the
    loop's own v (a float64, taken exactly): L <= v 2**n <= L + spread, or v < 1 where L was clipped to 0
    and v >= 255 where it was clipped to 255 * 2**n."""
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (11, 12)).astype(np.uint8)
    image[:5] = rng.integers(0, 256)
    kernel = rng.normal(size=(9, 9)) / 10 if seed % 2 else np.full((9, 9), 1 / 81)
    old, fft_tiles.FFT_TILE = fft_tiles.FFT_TILE, 32
    try:
        job = Convolution(image, engine.JobOptions(kernel=kernel, weight=weight, offset=offset, border="reflect",
                                                   pool=None))
        assert job.path == "float-fft"
        plan = job._fft_plan
        fixed = fft_tiles.fft_sums(job, 0, image.shape[0], plan)
    finally:
        fft_tiles.FFT_TILE = old
    pixels = image.tolist()
    for r in range(image.shape[0]):
        for c in range(image.shape[1]):
            total = 0.0
            for i in range(9):
                for j in range(9):
                    total = total + float(kernel[i, j]) * ref.pixel(pixels, r + i - 4, c + j - 4, "reflect")
            v = total * weight + offset
            low = int(fixed[r, c])
            if low == 0:
                assert Fraction(v) * 2 ** plan.shift <= plan.spread or v < 1
            elif low == 255 << plan.shift:
                assert v >= 255
            else:
                assert low <= Fraction(v) * 2 ** plan.shift <= low + plan.spread
