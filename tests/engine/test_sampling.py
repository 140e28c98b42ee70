"""fill_planes on images of any dtype (the plain strided copies) equals numpy.pad followed by strided slicing,
for every border, step and pad size; tests/engine/test_fast_paths_stride.py covers 8-bit images."""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.sampling import fill_planes

PAD_MODES = {"zero": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}


@settings(max_examples=300, deadline=None)
@given(h=st.integers(1, 6), w=st.integers(1, 6), pads=st.tuples(*[st.integers(0, 9)] * 4),
       border=st.sampled_from(sorted(PAD_MODES)), steps=st.tuples(st.integers(1, 4), st.integers(1, 4)),
       start=st.integers(0, 5), phases=st.tuples(st.integers(0, 3), st.integers(0, 3)))
def test_fill_planes_is_numpy_pad_then_strided_slices(h, w, pads, border, steps, start, phases):
    image = np.arange(h * w, dtype=np.int32).reshape(h, w) + 1
    top, bottom, left, right = pads
    padded = np.pad(image, ((top, bottom), (left, right)), mode=PAD_MODES[border])
    (sh, sw), (pr, pc) = steps, (phases[0] % steps[0], phases[1] % steps[1])
    start = min(start, padded.shape[0] - 1)
    count, columns = (padded.shape[0] - start) // sh, -(-padded.shape[1] // sw)
    if count == 0:
        return
    want = padded[start + pr:start + pr + count * sh:sh, pc::sw]
    out = np.full((1, count, columns), -1, np.int32)
    fill_planes(image, border, pads, start, steps, out, {(0, pc, pr): 0})
    assert out[0, :, :want.shape[1]].tolist() == want.tolist()
