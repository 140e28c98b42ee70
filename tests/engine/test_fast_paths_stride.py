"""Strided layers' fast reads against plain references: engine.sampling.fill_planes (the 16-bit-word split of
8-bit pixels into channel and phase planes, and its plain strided copies) against numpy.pad followed by
strided slicing, and strided layers on uint8 images of odd and even sizes, 1 to 4 channels, strides 1 to 8,
dilations, every border and output range, against the reference loop (tests/engine/reference.py)."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine import layer
from engine.sampling import _phase_words, fill_planes

from . import reference as ref

PAD_MODES = {"zero": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}


def padded_planes(image, border, pads, start, steps, keys, count, columns):
    """The planes fill_planes should write, from numpy.pad and strided slicing (columns past the padded
    image's width are not compared: a layer computes them and never stores them)."""
    pixels = image if image.ndim == 3 else image[:, :, None]
    top, bottom, left, right = pads
    padded = np.pad(pixels, ((top, bottom), (left, right), (0, 0)), mode=PAD_MODES[border])
    (sh, sw) = steps
    return {key: padded[start + key[2]:start + key[2] + count * sh:sh, key[1]:key[1] + columns * sw:sw, key[0]]
            for key in keys}


@settings(max_examples=400, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 13), channels=st.integers(0, 4), pads=st.tuples(*[st.integers(0, 6)] * 4),
       border=st.sampled_from(sorted(PAD_MODES)), steps=st.tuples(st.integers(1, 4), st.integers(1, 8)),
       image_dtype=st.sampled_from([np.uint8, np.uint8, np.uint16, np.float32]),
       dtype=st.sampled_from([np.int16, np.int32, np.float64]), unaligned=st.booleans(), data=st.data())
def test_fill_planes_is_numpy_pad_then_strided_slices(h, w, channels, pads, border, steps, image_dtype, dtype,
                                                      unaligned, data):
    shape = (h, w + unaligned) + ((channels,) if channels else ())
    image = data.draw(hnp.arrays(image_dtype, shape, elements=st.integers(0, 255)))
    image = image[:, 1:] if unaligned else image  # rows that start at odd addresses, not packed one after another
    top, bottom, left, right = pads
    start = data.draw(st.integers(0, h + top + bottom - 1))
    (sh, sw) = steps
    count = (h + top + bottom - start) // sh
    columns = -(-(w + left + right) // sw)
    every = [(ci, pc, pr) for ci in range(max(channels, 1)) for pc in range(sw) for pr in range(sh)]
    keys = sorted(data.draw(st.sets(st.sampled_from(every), min_size=1)))
    if count == 0:
        return
    planes = np.full((len(keys), count, columns + 1), 300, dtype)  # no byte value
    fill_planes(image, border, pads, start, steps, planes[..., :columns], {key: n for n, key in enumerate(keys)})
    want = padded_planes(image, border, pads, start, steps, keys, count, columns)
    for n, key in enumerate(keys):
        assert planes[n, :, :want[key].shape[1]].tolist() == want[key].astype(dtype).tolist(), key
    assert (planes[..., columns] == 300).all()  # nothing written past the planes' columns


def test_the_word_split_applies_where_a_group_of_pixels_is_an_even_number_of_bytes():
    rgb = np.zeros((4, 10, 3), np.uint8)
    assert _phase_words(rgb, 2).shape == (4, 5, 3)  # R0G0 B0R1 G1B1
    assert _phase_words(rgb, 4).shape == (4, 2, 6)
    assert _phase_words(rgb, 3) is None  # 9 bytes: the plain strided copy
    assert _phase_words(rgb[:, :, :2], 2) is None  # pixels not packed
    assert _phase_words(np.zeros((4, 10, 1), np.uint8), 2).shape == (4, 5, 1)
    assert _phase_words(np.zeros((4, 10, 1), np.uint16), 2) is None
    rows = np.zeros((6, 2, 10, 3), np.uint8)[:, 1]  # every other row, as one row phase reads them
    assert _phase_words(rows, 2).shape == (6, 5, 3) and np.shares_memory(_phase_words(rows, 2), rows)  # no copy


def test_rgb_stride_two_planes_of_a_big_image_are_its_strided_slices():
    """Several tiles' worth of rows and the whole width, as the layer reads them (the word path)."""
    image = np.random.default_rng(3).integers(0, 256, (41, 67, 3), dtype=np.uint8)
    pads, keys = (1, 1, 1, 1), [(ci, pc, pr) for ci in range(3) for pc in range(2) for pr in range(2)]
    count, columns = 21, 35
    planes = np.empty((12, count, columns), np.int16)
    fill_planes(image, "reflect", pads, 0, (2, 2), planes, {key: n for n, key in enumerate(keys)})
    want = padded_planes(image, "reflect", pads, 0, (2, 2), keys, count, columns)
    for n, key in enumerate(keys):
        assert planes[n, :, :want[key].shape[1]].tolist() == want[key].tolist()


@settings(max_examples=250, deadline=None)
@given(h=st.integers(1, 21), w=st.integers(1, 21), channels=st.integers(0, 4), data=st.data(),
       stride=st.tuples(st.integers(1, 8), st.integers(1, 8)), dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       border=st.sampled_from(engine.BORDERS), output_range=st.sampled_from(engine.OUTPUT_RANGES),
       tile=st.integers(1, 1 << 12))
def test_strided_uint8_layers_equal_the_reference_loop(h, w, channels, data, stride, dilation, border,
                                                      output_range, tile):
    """channels 0: an H x W gray image."""
    image = data.draw(hnp.arrays(np.uint8, (h, w, channels) if channels else (h, w)))
    kh, kw = data.draw(st.integers(1, 3)), data.draw(st.integers(1, 3))
    cin = max(channels, 1)
    values = data.draw(st.lists(st.sampled_from([0.0, 1.0, -1.0, 2.0, -3.0, 0.5, 0.1, -1 / 3, 7.0]),
                                min_size=kh * kw * cin, max_size=kh * kw * cin))
    kernel = np.array(values).reshape(kh, kw, cin, 1)
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


@settings(max_examples=60, deadline=None)
@given(h=st.integers(2, 19), w=st.integers(2, 19), data=st.data(), stride=st.integers(2, 8),
       border=st.sampled_from(engine.BORDERS), output_range=st.sampled_from(engine.OUTPUT_RANGES))
def test_strided_depthwise_and_multi_map_rgb_layers_equal_the_reference_loop(h, w, data, stride, border,
                                                                             output_range):
    image = data.draw(hnp.arrays(np.uint8, (h, w, 3)))
    kernel = data.draw(st.one_of(
        hnp.arrays(np.float64, (3, 3), elements=st.sampled_from([0.0, 1.0, -2.0, 0.25])),  # each channel by itself
        hnp.arrays(np.float64, (2, 3, 3, 2), elements=st.sampled_from([0.0, 1.0, -1.0, 3.0, 0.1]))))
    options = engine.JobOptions(kernel=kernel, border=border, output_range=output_range, stride=stride,
                                offset=0.5, pool=None)
    if 0 in options.output_shape(h, w):
        return
    got = engine.convolve(image, options)
    got = got if got.ndim == 3 else got[..., None]
    want = ref.layer(image, kernel, 1.0, 0.5, border, output_range, (stride, stride), (1, 1))
    assert [[[np.float64(v).tobytes() for v in pixel] for pixel in row] for row in got.tolist()] == \
        [[[np.float64(v).tobytes() for v in pixel] for pixel in row] for row in want]


@pytest.mark.parametrize("size", [(64, 64), (65, 63), (33, 70)])
@pytest.mark.parametrize("border", ["zero", "reflect", "valid"])
@pytest.mark.parametrize("channels", [0, 3])
def test_stride_two_integer_layers_equal_reference(size, border, channels):
    rng = np.random.default_rng(sum(size))
    image = rng.integers(0, 256, size + ((channels,) if channels else ()), dtype=np.uint8)
    kernel = np.array([[2, 4, 2], [1, -5, 1], [-2, -4, -2]], dtype=np.float64)
    if channels:
        kernel = np.stack([kernel, -kernel.T, kernel[::-1]], -1)[..., None]
    options = engine.JobOptions(kernel=kernel, border=border, stride=2, pool=None)
    got = engine.run_job(image, options).convolved
    want = ref.layer(image, kernel, 1.0, 0.0, border, "clamp", (2, 2), (1, 1))
    assert got.tolist() == [[pixel[0] for pixel in row] for row in want]
