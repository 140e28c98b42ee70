"""engine.Geometry with stride and dilation: the taps an output pixel reads and, inversely, the output
pixels reading an input pixel, checked against the explanations and by brute force."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import engine


@settings(max_examples=150, deadline=None)
@given(h=st.integers(1, 9), w=st.integers(1, 9), kh=st.integers(1, 4), kw=st.integers(1, 4),
       stride=st.tuples(st.integers(1, 3), st.integers(1, 3)), dilation=st.tuples(st.integers(1, 3), st.integers(1, 3)),
       border=st.sampled_from(engine.BORDERS))
def test_taps_are_the_explained_inputs_and_outputs_reading_is_their_inverse(h, w, kh, kw, stride, dilation, border):
    options = engine.JobOptions(kernel=np.ones((kh, kw)), stride=stride, dilation=dilation, border=border,
                                output_range="raw", pool=None)
    geometry = engine.Geometry.of((h, w), options)
    image = np.zeros((h, w), np.uint8)
    assert geometry.conv_shape == options.output_shape(h, w)
    readers = {}
    for r in range(geometry.conv_shape[0]):
        for c in range(geometry.conv_shape[1]):
            taps = geometry.taps(r, c)
            assert taps == [t.input_pos for t in engine.explain_pixel(image, options, r, c).terms]
            window = geometry.input_window(r, c)
            assert all(window.contains(*t) for t in taps)
            assert (window.top, window.left) == taps[0] and (window.bottom - 1, window.right - 1) == taps[-1]
            for t in taps:
                readers.setdefault(t, set()).add((r, c))
    for r in range(h):
        for c in range(w):
            assert geometry.outputs_reading(r, c) == sorted(readers.get((r, c), ()))


def test_strided_output_pixels_are_drawn_stride_apart():
    options = engine.JobOptions(kernel=np.ones((3, 3)), stride=2, border="zero")
    conv = engine.Geometry.of((512, 512), options).conv
    assert conv.shape == (256, 256) and conv.scale == (2.0, 2.0)
    assert conv.origin == (1.0, 1.0)  # TF pads (0, 1): window (0, 0) starts at row 0, its centre is row 1


def test_lab_taps_follow_the_notebooks_transposed_loop():
    options = engine.JobOptions(lab=True, kernel=((1, 2, 3), (4, 5, 6), (7, 8, 9)))
    geometry = engine.Geometry.of((6, 6), options)
    image = np.arange(36, dtype=np.uint8).reshape(6, 6)
    assert geometry.taps(2, 3) == [t.input_pos for t in engine.explain_pixel(image, options, 2, 3).terms]
