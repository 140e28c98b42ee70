"""The float path (tap by tap in the loop's order, on flat tiles), integer sums in any group order, and the
clamp's clip: bit for bit the reference loops' values."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.convolution import Convolution

from .fast_paths_support import check, gaussian_decimals, noise, tiny_tiles  # noqa: F401 (noise, tiny_tiles: fixtures)


# -- the float path: tap by tap in the loop's order, on flat tiles -----------------------------------------

FLOAT_KERNELS = {
    "box 1/9": np.full((3, 3), 1 / 9),
    "0.1": np.full((3, 3), 0.1),
    "gaussian decimals 5x5": gaussian_decimals(5),
    "random 3x3": np.random.default_rng(21).normal(size=(3, 3)),
    "random 5x4 with zeros": np.random.default_rng(22).normal(size=(5, 4)) * (np.arange(20).reshape(5, 4) % 3 > 0),
    "negative decimals": np.array([[-0.1, 0.2, -0.3], [0.7, -1.1, 0.05], [0.0, -0.1, 0.3]]),
    "many shared values 5x5": np.random.default_rng(23).choice([0.1, 0.2, 0.3, 1 / 3, 0.7, 0.9, -0.15, 1 / 7], (5, 5)),
    "1x7 row": np.array([[0.1, 0.2, 0.3, 0.4, 0.3, 0.2, 0.1]]),
}


@pytest.mark.parametrize("name", FLOAT_KERNELS)
@pytest.mark.parametrize("weight, offset", [(1.0, 0.0), (0.75, -3.0), (3.0, 0.1), (-1.0, 128.0)])
@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_the_float_path_equals_the_loop_for_decimal_and_random_kernels(tiny_tiles, noise, name, weight, offset,
                                                                       output_range):
    kernel = FLOAT_KERNELS[name]
    path = Convolution(noise, engine.JobOptions(kernel=kernel, output_range=output_range), fixed=False).path
    assert path == "float"  # the fixed path (clamped output only) may take some of these by default
    check(noise, kernel, weight, offset, "reflect", output_range, fixed=False)
    if output_range == "clamp":
        check(noise, kernel, weight, offset, "reflect", output_range)


@pytest.mark.parametrize("border", engine.BORDERS)
@pytest.mark.parametrize("name", ["box 1/9", "gaussian decimals 5x5", "random 5x4 with zeros"])
def test_the_float_path_on_every_border_and_tile_edge(tiny_tiles, noise, border, name):
    check(noise, FLOAT_KERNELS[name], 1.0, 0.0, border, "raw")
    check(noise, FLOAT_KERNELS[name], 2.5, 1.0, border, "clamp")


@pytest.mark.parametrize("dtype", [np.int8, np.uint16, np.float32, np.float64])
def test_the_float_path_on_other_image_dtypes(tiny_tiles, dtype):
    rng = np.random.default_rng(31)
    image = (rng.normal(size=(19, 23)) * 90).astype(dtype)
    for name in ("box 1/9", "negative decimals"):
        check(image, FLOAT_KERNELS[name], 1.0, 0.0, "edge", "raw")
        check(image, FLOAT_KERNELS[name], 0.5, 100.0, "zero", "clamp")


def test_shared_products_keep_the_loops_rounding(noise):
    """A value used by several taps is multiplied once; the sums must still round as the loop's do: a
    kernel whose partial sums round differently in another order proves the order is kept."""
    kernel = [[0.1, 0.2, 0.1], [0.7, 0.1, 0.2], [0.1, 0.3, 0.1]]
    job = Convolution(noise, engine.JobOptions(kernel=kernel))
    assert job._shared == [0.1, 0.2]
    check(noise, kernel, 1.0, 0.0, "zero", "raw")


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), tile_bytes=st.integers(1, 4000),
       distinct=st.integers(1, 12), height=st.integers(1, 6), width=st.integers(1, 6))
def test_random_float_kernels_on_random_tiles_equal_the_loop(seed, tile_bytes, distinct, height, width):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (rng.integers(1, 18), rng.integers(1, 18))).astype(np.uint8)
    values = rng.normal(size=distinct) * rng.choice([1e-3, 1, 1e3])
    kernel = rng.choice(values, (height, width))
    border = rng.choice(engine.BORDERS[:-1])
    weight, offset = float(rng.choice([1.0, 0.3, -2.0])), float(rng.choice([0.0, 0.5, -7.25]))
    old, engine.convolution.TILE_BYTES = engine.convolution.TILE_BYTES, tile_bytes
    try:
        for output_range in ("clamp", "raw"):
            check(image, kernel, weight, offset, border, output_range)
    finally:
        engine.convolution.TILE_BYTES = old


@pytest.mark.parametrize("kernel", [
    [[0, -1, 0], [-1, 4, -1], [0, -1, 0]],  # the unit taps all negative: summed positive, then subtracted
    [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
    [[-3, 0, 0], [0, -3, 0], [0, 0, 5]],  # no unit taps: the smallest group starts
    [[1, -1, 2], [-2, 1, -1], [3, -3, 1]],  # mixed signs in every group
    [[-1, -2, -1], [0, 0, 0], [-1, -2, -1]],  # rank one with negative factors
    [[1, 2, 1], [2, 4, 2], [1, 2, 1]],  # rank one, the unit taps first
], ids=["laplace-negative", "outline", "no-units", "mixed", "rank-one-negative", "gaussian"])
@pytest.mark.parametrize("dtype", [np.uint8, np.int16])
def test_integer_sums_in_any_group_order_equal_the_loop(tiny_tiles, kernel, dtype):
    image = np.random.default_rng(51).integers(-128 if dtype == np.int16 else 0, 256, (17, 21)).astype(dtype)
    for output_range in ("clamp", "raw"):
        check(image, kernel, 1.0, 0.0, "symmetric", output_range)
        check(image, kernel, 0.3, 7.0, "wrap", output_range)


@pytest.mark.parametrize("kernel, weight, offset, clip", [
    (np.full((3, 3), 1 / 9), 1.0, 0.0, False),  # within 0..255: the clip is skipped
    (np.full((3, 3), 0.1), 1.0, 0.0, False),
    (np.full((5, 5), 1 / 25), 1.0, 0.4, False),
    (np.full((3, 3), 1 / 9), 1.0, 0.999, False),  # up to 255.999...: truncates to 255 anyway
    (np.full((3, 3), 1 / 9), 1.0, 1.0, True),  # could reach 256
    (np.full((3, 3), 0.1), 1.2, 0.0, True),
    ([[0.1, -0.1]], 1.0, 25.0, True),  # down to -0.5
    ([[0.1, -0.1]], 1.0, 25.6, False),
])
def test_the_clip_is_skipped_only_when_no_value_can_leave_0_to_256(kernel, weight, offset, clip):
    bright = np.full((9, 11), 255, dtype=np.uint8)
    bright[::2, ::3] = 0
    job = Convolution(bright, engine.JobOptions(kernel=kernel, weight=weight, offset=offset))
    assert job._clip_needed == clip
    for image in (bright, np.full((6, 7), 255, np.uint8), np.zeros((6, 7), np.uint8)):
        check(image, kernel, weight, offset, "edge", "clamp")
