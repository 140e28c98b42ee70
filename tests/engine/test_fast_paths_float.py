"""The float path's shortcuts against the reference loop (tests/engine/reference.py), bit for bit: the first
tap's products added from their products buffer without a copy, whatever mix of shared and unshared values the
first taps have, and the clamp's offset, clip and uint8 conversion written in one step."""

import numpy as np
import pytest

import engine
from engine.convolution import Convolution

from . import reference as ref

# 0.1, 0.2 and 0.7 make partial sums that round differently in another order; 0.3 is used once (unshared)
ORDERS = {
    "shared, shared": [[0.1, 0.2, 0.7], [0.2, 0.1, 0.3], [0.7, 0.1, 0.2]],
    "shared, unshared": [[0.1, 0.3, 0.7], [0.2, 0.1, 0.2], [0.7, 0.1, 0.2]],
    "unshared, shared": [[0.3, 0.1, 0.7], [0.2, 0.1, 0.2], [0.7, 0.1, 0.2]],
    "shared alone": [[0.0, 0.1, 0.0], [0.0, 0.0, 0.0], [0.0, 0.1, 0.0]],
    "one shared tap then unshared": [[0.1, 0.3, 0.9], [0.1, 0.0, 0.0], [0.0, 0.0, 0.0]],
    "box 1/9": [[1 / 9] * 3] * 3,
}


@pytest.fixture
def noise():
    return np.random.default_rng(51).integers(0, 256, (23, 29)).astype(np.uint8)


def _bits(values):
    return [[np.float64(v).tobytes() for v in row] for row in np.asarray(values, dtype=np.float64).tolist()]


@pytest.mark.parametrize("name", ORDERS)
@pytest.mark.parametrize("tile_bytes", [8 * 31, 8 * 29 * 3 + 5, 1 << 19])
@pytest.mark.parametrize("output_range", ["raw", "clamp"])
def test_first_taps_from_products_buffers_keep_the_loops_order(noise, name, tile_bytes, output_range, monkeypatch):
    monkeypatch.setattr(engine.convolution, "TILE_BYTES", tile_bytes)
    kernel = ORDERS[name]
    job = Convolution(noise, engine.JobOptions(kernel=kernel, output_range=output_range, pool=None))
    assert job.path == "float" and job._shared
    got = engine.convolve(noise, engine.JobOptions(kernel=kernel, output_range=output_range, pool=None))
    assert _bits(got) == _bits(ref.convolve(noise, kernel, output_range=output_range))


@pytest.mark.parametrize("weight, offset, clips", [(1.0, 10.0, True), (0.5, 3.0, False), (0.5, 0.0, False),
                                                   (-1.0, 300.0, True), (1.0, -0.75, True), (0.25, 0.5, False)])
@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int16])
def test_the_clamp_writes_uint8_in_one_step_with_and_without_the_clip(weight, offset, clips, dtype):
    rng = np.random.default_rng(52)
    image = rng.integers(0, 256, (17, 21)).astype(dtype)
    if dtype == np.int16:
        image -= 128
    kernel = ORDERS["box 1/9"]
    options = engine.JobOptions(kernel=kernel, weight=weight, offset=offset, pool=None)
    if dtype == np.uint8:
        assert Convolution(image, options)._clip_needed == clips
    got = engine.convolve(image, options)
    assert got.dtype == np.uint8
    assert got.tolist() == ref.convolve(image, kernel, weight, offset)


# -- kernels of one or two values (a box, 0.1 in every cell, one cell edited): the padded rows stay in the
# image's own integers, one band at a time, and the clamp converts to integers before clipping ------------

# each pair rounds differently from its neighbours' order: 0.1 and 0.7 (partial sums that are not exact),
# 1/3, a value whose products are subnormal, opposite signs (sums that cancel to zeros and negatives)
FEW_VALUES = {
    "0.1 everywhere": [[0.1] * 3] * 3,
    "0.1, centre 1.1": [[0.1] * 3, [0.1, 1.1, 0.1], [0.1] * 3],
    "1/3 and 0.7": [[1 / 3, 0.7, 1 / 3], [0.7, 1 / 3, 0.7], [1 / 3, 0.7, 1 / 3]],
    "-0.1 and 0.1": [[-0.1, 0.1, -0.1], [0.1, -0.1, 0.1], [-0.1, 0.1, -0.1]],
    "subnormal products": [[5e-324, 0.0, 5e-324], [0.0, 1e-310, 0.0], [5e-324, 0.0, 5e-324]],
    "1x5 of 0.3": [[0.3] * 5],
    "5x1 with zeros": [[0.0], [0.7], [0.0], [0.7], [0.1]],
}
# (weight, offset): no finishing pass at all, clipped at both ends, clipped above only, a weight so large
# that trunc(v) needs int32, and one so large that it fits no integer type (the float64 clip)
FINISHES = [(1.0, 0.0), (1.0, -3.5), (2.5, 0.0), (-1.0, 255.0), (3.0, -10.0), (300.0, 0.5), (1e6, 1e6)]


def _images():
    rng = np.random.default_rng(53)
    ramp = (np.arange(19 * 23) % 256).reshape(19, 23)  # every value 0..255 (sums that land on whole numbers)
    noise = rng.integers(0, 256, (19, 23))
    return {"uint8 ramp": ramp.astype(np.uint8), "uint8 noise": noise.astype(np.uint8),
            "int8": (noise - 128).astype(np.int8), "uint16": (noise * 257).astype(np.uint16),
            "int16": ((noise - 128) * 200).astype(np.int16)}


IMAGES = _images()


@pytest.mark.parametrize("name", FEW_VALUES)
@pytest.mark.parametrize("image_name", IMAGES)
@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_kernels_of_few_values_read_the_image_in_its_own_integers(name, image_name, output_range, monkeypatch):
    monkeypatch.setattr(engine.convolution, "TILE_BYTES", 8 * 3 * 27)  # tiles of 3 rows: bands span several
    image, kernel = IMAGES[image_name], FEW_VALUES[name]
    options = engine.JobOptions(kernel=kernel, output_range=output_range, pool=None)
    job = Convolution(image, options, fixed=False)  # the fixed path may take two values of different sizes
    assert job.path == "float" and job._narrow
    out = np.empty(job.shape, job.dtype)
    for r0, r1 in [(0, 5), (5, 6), (6, job.shape[0])]:  # bands that start and end anywhere
        job.compute(r0, r1, out)
    want = ref.convolve(image, kernel, output_range=output_range)
    assert _bits(out) == _bits(want)


@pytest.mark.parametrize("border", engine.BORDERS)
@pytest.mark.parametrize("weight, offset", FINISHES)
@pytest.mark.parametrize("image_name", ["uint8 ramp", "int8", "uint16"])
def test_the_clamp_through_integers_equals_the_loop_for_every_border_weight_and_offset(border, weight, offset,
                                                                                      image_name, monkeypatch):
    monkeypatch.setattr(engine.convolution, "TILE_BYTES", 8 * 4 * 27)
    image, kernel = IMAGES[image_name], FEW_VALUES["0.1, centre 1.1"]
    options = engine.JobOptions(kernel=kernel, weight=weight, offset=offset, border=border, pool=None)
    got = engine.convolve(image, options)
    assert got.tolist() == ref.convolve(image, kernel, weight, offset, border)


@pytest.mark.parametrize("weight, offset, image_name, dtype", [
    (1.0, 0.0, "uint8 noise", np.int16),  # 0.1s and 1.1: up to 484.5
    (300.0, 0.5, "uint8 noise", np.int32),  # up to 145350
    (300.0, 0.5, "uint16", np.int32),
    (1e6, 1e6, "uint16", None),  # past int32: the float64 clip
])
def test_the_clamp_picks_an_integer_type_that_holds_every_truncated_value(weight, offset, image_name, dtype):
    image = IMAGES[image_name]
    options = engine.JobOptions(kernel=FEW_VALUES["0.1, centre 1.1"], weight=weight, offset=offset, pool=None)
    job = Convolution(image, options)
    assert job._clip_needed and job._clip_ints == (None if dtype is None else np.dtype(dtype))
    assert Convolution(image, engine.JobOptions(kernel=FEW_VALUES["0.1 everywhere"], pool=None))._clip_ints is None \
        or image.dtype != np.uint8  # a 0.1 box on 8-bit pixels never clips: no finishing pass but the copy


@pytest.mark.parametrize("kernel, weight, offset, sides", [
    ([[0.1] * 3, [0.1, 1.1, 0.1], [0.1] * 3], 1.0, 0.0, (False, True)),  # 0..484.5: only above 255
    ([[0.1] * 3, [0.1, 1.1, 0.1], [0.1] * 3], -0.5, 200.0, (True, False)),  # -42.25..200: only below 0
    ([[0.1] * 3, [0.1, 1.1, 0.1], [0.1] * 3], -0.5, 255.0, (False, False)),  # 12.75..255: neither
    ([[-0.1, 0.1, -0.1], [0.1, -0.1, 0.1], [-0.1, 0.1, -0.1]], 1.0, 0.0, (True, False)),
    ([[-0.1, 0.1, -0.1], [0.1, -0.1, 0.1], [-0.1, 0.1, -0.1]], 3.0, 100.0, (True, True)),
])
def test_the_clamp_clips_only_the_sides_the_values_can_reach(kernel, weight, offset, sides):
    image = IMAGES["uint8 ramp"]
    options = engine.JobOptions(kernel=kernel, weight=weight, offset=offset, pool=None)
    job = Convolution(image, options)
    assert job._clip_sides == sides
    assert engine.convolve(image, options).tolist() == ref.convolve(image, kernel, weight, offset)


@pytest.mark.parametrize("kernel", [[[-0.1, -0.1], [-0.1, -0.1]], [[-0.1, 0.1, -0.1]], [[0.1, 1.1]]])
@pytest.mark.parametrize("weight", [1.0, -1.0, 0.5])
@pytest.mark.parametrize("dtype", [np.uint8, np.int8])
def test_zero_sums_of_negative_products_store_a_positive_zero_like_the_loop(kernel, weight, dtype):
    """The first product sets the running sum (-0.0 where the loop's 0.0 + -0.0 gives 0.0); the finish's
    + offset (never -0.0) makes the stored raw value +0.0 as the loop's is, bit for bit."""
    image = np.zeros((6, 7), dtype=dtype)
    image[4:, 5:] = 3  # a few sums that are not zero
    options = engine.JobOptions(kernel=kernel, weight=weight, output_range="raw", pool=None)
    assert Convolution(image, options)._narrow
    got = engine.convolve(image, options)
    want = ref.convolve(image, kernel, weight, output_range="raw")
    assert _bits(got) == _bits(want)
    assert not np.signbit(got[got == 0]).any()
