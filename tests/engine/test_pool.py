import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine

from . import reference as ref


@pytest.mark.parametrize("op", engine.POOL_OPS)
@pytest.mark.parametrize("size, stride", [(2, None), (3, None), (3, 2), (2, 3), (1, 1), (5, 4)])
def test_pooling_matches_the_reference_with_dropped_windows(crop, op, size, stride):
    conv = engine.convolve(crop, engine.JobOptions(kernel=[[1, 0], [0, -1]], output_range="raw"))
    got = engine.pool(conv, engine.PoolOptions(op, size, stride))
    want = ref.pool(conv, op, size, stride)
    assert ref.as_float_lists(got) == want
    step = stride or size
    assert got.shape == ((conv.shape[0] - size) // step + 1, (conv.shape[1] - size) // step + 1)


def test_max_and_min_keep_the_dtype_and_avg_gives_float32(crop):
    conv = engine.convolve(crop, engine.JobOptions())
    assert engine.pool(conv, engine.PoolOptions("max")).dtype == np.uint8
    assert engine.pool(conv, engine.PoolOptions("min")).dtype == np.uint8
    assert engine.pool(conv, engine.PoolOptions("avg")).dtype == np.float32


def test_default_stride_is_the_size():
    assert engine.PoolOptions("max", 3).step == 3
    assert engine.PoolOptions("max", 3, 1).step == 1


def test_odd_sizes_drop_the_last_row_and_column():
    conv = np.arange(25, dtype=np.uint8).reshape(5, 5)
    assert engine.pool(conv, engine.PoolOptions("max", 2)).tolist() == [[6, 8], [16, 18]]


def test_a_window_larger_than_the_image_gives_an_empty_result():
    assert engine.pool(np.zeros((2, 2), np.uint8), engine.PoolOptions("max", 3)).shape == (0, 0)


@pytest.mark.parametrize("bad", [dict(op="median"), dict(size=0), dict(size=17), dict(stride=0), dict(size=2.5)])
def test_bad_pooling_options_are_refused_with_a_message(bad):
    with pytest.raises(engine.OptionsError):
        engine.PoolOptions(**bad)


@settings(max_examples=80, deadline=None)
@given(conv=st.one_of(
           hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=11)),
           hnp.arrays(np.float32, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=11),
                      elements=st.floats(-1e6, 1e6, allow_nan=False, width=32))),
       op=st.sampled_from(engine.POOL_OPS), size=st.integers(1, 5), stride=st.one_of(st.none(), st.integers(1, 5)))
def test_pooling_equals_the_reference_for_any_array_size_and_stride(conv, op, size, stride):
    got = engine.pool(conv, engine.PoolOptions(op, size, stride))
    step = stride or size
    h, w = conv.shape
    if h < size or w < size:
        assert got.size == 0
        return
    assert got.shape == ((h - size) // step + 1, (w - size) // step + 1)
    assert ref.as_float_lists(got) == ref.pool(conv, op, size, stride)


def test_avg_sums_in_float64_and_stores_float32():
    conv = np.array([[1, 2], [3, 5]], dtype=np.uint8)
    got = engine.pool(conv, engine.PoolOptions("avg", 2))
    assert got.dtype == np.float32 and got.tolist() == [[2.75]]
    thirds = np.full((3, 3), 1 / 3, dtype=np.float32)
    total = 0.0
    for v in thirds.ravel().tolist():
        total = total + v
    assert engine.pool(thirds, engine.PoolOptions("avg", 3))[0, 0] == np.float32(total / 9)


def test_min_and_max_pick_the_extremes_of_each_window():
    conv = np.array([[9, 1, 4, 4], [3, 7, 0, 8], [2, 2, 6, 5], [1, 0, 3, 9]], dtype=np.uint8)
    assert engine.pool(conv, engine.PoolOptions("max", 2)).tolist() == [[9, 8], [2, 9]]
    assert engine.pool(conv, engine.PoolOptions("min", 2)).tolist() == [[1, 0], [0, 3]]
    assert engine.pool(conv, engine.PoolOptions("max", 3, 1)).tolist() == [[9, 8], [7, 9]]


def test_windows_that_do_not_fit_are_dropped_with_a_stride_larger_than_the_size():
    conv = np.arange(49, dtype=np.uint8).reshape(7, 7)
    got = engine.pool(conv, engine.PoolOptions("min", 2, 3))  # windows at 0 and 3; the one at 6 does not fit
    assert got.tolist() == [[0, 3], [21, 24]]


def test_pooling_runs_on_the_convolved_image_in_a_job(crop):
    options = engine.JobOptions(kernel=[[1, -1]], output_range="raw", pool=engine.PoolOptions("min", 3, 2))
    result = engine.run_job(crop, options)
    conv = ref.convolve(crop, [[1, -1]], 1.0, 0.0, "zero", "raw")
    assert ref.as_float_lists(result.pooled) == ref.pool(conv, "min", 3, 2)


@pytest.mark.parametrize("op", ["max", "min"])
@pytest.mark.parametrize("shape", [(6, 8), (7, 10), (9, 11), (2, 2), (5, 3)])
def test_2x2_pooling_of_uint8_through_16_bit_pairs_equals_the_reference(op, shape, monkeypatch):
    conv = np.random.default_rng(sum(shape)).integers(0, 256, shape).astype(np.uint8)
    conv[0, :2] = [255, 0]  # both orders of a pair's extremes
    conv[-1, -2:] = [0, 255]
    used = []
    real = engine.pooling._pairs_uint8
    monkeypatch.setattr(engine.pooling, "_pairs_uint8", lambda *a: used.append(1) or real(*a))
    got = engine.pool(conv, engine.PoolOptions(op, 2))
    assert got.dtype == np.uint8
    assert ref.as_float_lists(got) == ref.pool(conv, op, 2)
    assert bool(used) == (shape[1] % 2 == 0)
