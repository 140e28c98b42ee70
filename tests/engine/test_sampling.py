"""fill_sampled equals numpy.pad followed by strided slicing, for every border, step and pad size."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.sampling import fill_sampled

PAD_MODES = {"zero": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}


@settings(max_examples=300, deadline=None)
@given(h=st.integers(1, 6), w=st.integers(1, 6), pads=st.tuples(*[st.integers(0, 9)] * 4),
       border=st.sampled_from(sorted(PAD_MODES)), steps=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       starts=st.tuples(st.integers(0, 5), st.integers(0, 5)))
def test_fill_sampled_is_numpy_pad_then_strided_slices(h, w, pads, border, steps, starts):
    image = np.arange(h * w, dtype=np.int32).reshape(h, w) + 1
    top, bottom, left, right = pads
    padded = np.pad(image, ((top, bottom), (left, right)), mode=PAD_MODES[border])
    rows = range(min(starts[0], padded.shape[0] - 1), padded.shape[0], steps[0])
    cols = range(min(starts[1], padded.shape[1] - 1), padded.shape[1], steps[1])
    out = np.full((len(rows), len(cols)), -1, np.int32)
    fill_sampled(image, border, pads, rows, cols, out)
    assert out.tolist() == padded[rows.start::rows.step, cols.start::cols.step].tolist()
