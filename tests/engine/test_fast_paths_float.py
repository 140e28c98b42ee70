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
