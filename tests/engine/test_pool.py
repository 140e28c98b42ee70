import numpy as np
import pytest

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
