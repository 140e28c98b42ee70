"""Strided layers' fast reads against plain references: the byte-pair column split of 8-bit images
(engine.sampling.copy_columns) against numpy's strided slicing, and strided layers on uint8 images of odd and
even sizes, every border and padding parity, against the reference loop (tests/engine/reference.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine import layer
from engine.sampling import copy_columns, fill_row_phases, fill_sampled

from . import reference as ref

PAD_MODES = {"zero": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}


@settings(max_examples=300, deadline=None)
@given(image=hnp.arrays(np.uint8, st.tuples(st.integers(1, 5), st.integers(1, 13))),
       start=st.integers(0, 12), step=st.integers(1, 3), rows_step=st.integers(1, 2),
       dtype=st.sampled_from([np.int16, np.uint16, np.int32, np.int64, np.float64]))
def test_copy_columns_is_the_strided_slice(image, start, step, rows_step, dtype):
    rows = image[::rows_step]
    start = min(start, image.shape[1] - 1)
    count = len(range(start, image.shape[1], step))
    out = np.full((rows.shape[0], count + 2), 300, dtype)  # no byte value
    copy_columns(rows, start, count, step, out)
    assert out[:, :count].tolist() == rows[:, start::step].astype(dtype).tolist()
    assert (out[:, count:] == 300).all()  # nothing written past count


def test_copy_columns_of_one_row_and_of_unaligned_rows():
    image = np.arange(7 * 9, dtype=np.uint8).reshape(7, 9)  # odd width: odd rows start at odd addresses
    for r in range(7):
        for start in range(9):
            count = len(range(start, 9, 2))
            out = np.zeros(count, np.int16)
            copy_columns(image[r], start, count, 2, out)
            assert out.tolist() == image[r, start::2].tolist()
    out = np.zeros((3, 4), np.int16)
    copy_columns(image[1::2], 1, 4, 2, out)
    assert out.tolist() == image[1::2, 1::2].tolist()


@settings(max_examples=200, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 12), pads=st.tuples(*[st.integers(0, 5)] * 4),
       border=st.sampled_from(sorted(PAD_MODES)), starts=st.tuples(st.integers(0, 3), st.integers(0, 3)),
       dtype=st.sampled_from([np.int16, np.float64]))
def test_fill_sampled_of_uint8_at_stride_two_is_numpy_pad_then_slices(h, w, pads, border, starts, dtype):
    image = (np.arange(h * w) * 37 % 256).astype(np.uint8).reshape(h, w)
    top, bottom, left, right = pads
    padded = np.pad(image, ((top, bottom), (left, right)), mode=PAD_MODES[border])
    rows = range(min(starts[0], padded.shape[0] - 1), padded.shape[0], 2)
    cols = range(min(starts[1], padded.shape[1] - 1), padded.shape[1], 2)
    out = np.full((len(rows), len(cols)), -1, dtype)
    fill_sampled(image, border, pads, rows, cols, out)
    assert out.tolist() == padded[rows.start::2, cols.start::2].astype(dtype).tolist()


@settings(max_examples=300, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 12), pads=st.tuples(*[st.integers(0, 5)] * 4),
       border=st.sampled_from(sorted(PAD_MODES)), step=st.integers(1, 3), col_step=st.integers(1, 3),
       start=st.integers(0, 4), count=st.integers(1, 6), col_start=st.integers(0, 3), rgb=st.booleans())
def test_fill_row_phases_is_numpy_pad_then_slices(h, w, pads, border, step, col_step, start, count, col_start, rgb):
    image = (np.arange(h * w * 3) * 37 % 256).astype(np.uint8).reshape(h, w, 3)
    image = image[:, :, 1] if rgb else np.ascontiguousarray(image[:, :, 1])  # a channel view reads every 3rd byte
    top, bottom, left, right = pads
    padded = np.pad(image, ((top, bottom), (left, right)), mode=PAD_MODES[border])
    start = min(start, padded.shape[0] - 1)
    count = min(count, (padded.shape[0] - start) // step)
    cols = range(min(col_start, padded.shape[1] - 1), padded.shape[1], col_step)
    if count == 0:
        return
    out = np.full((step, count, len(cols) + 1), 300, np.int16)
    fill_row_phases(image, border, pads, start, count, cols, out[..., :len(cols)])
    for pr in range(step):
        rows = padded[start + pr:start + count * step:step]
        assert out[pr, :, :len(cols)].tolist() == rows[:, cols.start::col_step].tolist()
    assert (out[..., len(cols)] == 300).all()


@settings(max_examples=200, deadline=None)
@given(h=st.integers(1, 12), w=st.integers(1, 12), channels=st.integers(1, 3), data=st.data(),
       stride=st.tuples(st.integers(1, 3), st.integers(2, 3)), dilation=st.tuples(st.integers(1, 2), st.integers(1, 2)),
       border=st.sampled_from(engine.BORDERS), output_range=st.sampled_from(engine.OUTPUT_RANGES),
       tile=st.integers(1, 1 << 12))
def test_strided_uint8_layers_equal_the_reference_loop(h, w, channels, data, stride, dilation, border,
                                                      output_range, tile):
    image = data.draw(hnp.arrays(np.uint8, (h, w, channels)))
    kh, kw = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    values = data.draw(st.lists(st.sampled_from([0.0, 1.0, -1.0, 2.0, -3.0, 0.5, 0.1, -1 / 3]),
                                min_size=kh * kw * channels, max_size=kh * kw * channels))
    kernel = np.array(values).reshape(kh, kw, channels, 1)
    options = engine.JobOptions(kernel=kernel, border=border, output_range=output_range, stride=stride,
                                dilation=dilation, pool=None)
    if 0 in options.output_shape(h, w):
        return
    old, layer.TILE_BYTES = layer.TILE_BYTES, tile
    try:
        got = engine.convolve(image, options)
    finally:
        layer.TILE_BYTES = old
    want = ref.layer(image, kernel, 1.0, 0.0, border, output_range, stride, dilation)
    assert [[np.float64(v).tobytes() for v in row] for row in got.tolist()] == \
        [[np.float64(pixel[0]).tobytes() for pixel in row] for row in want]


@pytest.mark.parametrize("size", [(64, 64), (65, 63), (33, 70)])
@pytest.mark.parametrize("border", ["zero", "reflect", "valid"])
def test_stride_two_gray_integer_layer_equals_reference(size, border):
    rng = np.random.default_rng(sum(size))
    image = rng.integers(0, 256, size, dtype=np.uint8)
    kernel = np.array([[2, 4, 2], [1, -5, 1], [-2, -4, -2]], dtype=np.float64)
    options = engine.JobOptions(kernel=kernel, border=border, stride=2, pool=None)
    got = engine.run_job(image, options).convolved
    want = ref.layer(image, kernel, 1.0, 0.0, border, "clamp", (2, 2), (1, 1))
    assert got.tolist() == [[pixel[0] for pixel in row] for row in want]
