"""Big kernels' explanations, computed a window at a time (engine.explain_terms), against the reference loop:
every term's value, product and running sum bit for bit, signed zeros included."""

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine

from . import reference as ref

entries = st.one_of(st.integers(-3, 3).map(float), st.sampled_from([0.1, -1 / 3, 1 / 7, -0.0]),
                    st.floats(-50, 50, allow_nan=False))
big_kernels = st.integers(6, 15).flatmap(lambda h: st.integers(6, 15).flatmap(
    lambda w: st.lists(st.lists(entries, min_size=w, max_size=w), min_size=h, max_size=h)))
images = st.one_of(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=20)),
    hnp.arrays(st.sampled_from([np.float32, np.float64]), hnp.array_shapes(min_dims=2, max_dims=2, min_side=1,
                                                                           max_side=20),
               elements=st.floats(-1e6, 1e6, allow_nan=False, width=32)))


def _exact(terms):
    """The terms with each float written by repr, so 0.0 and -0.0 differ."""
    return [tuple(repr(x) if isinstance(x, float) else x for x in t) for t in terms]


def _tuple(t):
    return (t.kernel_pos, t.input_pos, t.source_pos, t.origin, t.value, t.weight, t.product, t.running_sum)


@settings(max_examples=60, deadline=None)
@given(image=images, kernel=big_kernels, border=st.sampled_from(engine.BORDERS), data=st.data())
def test_big_kernel_terms_equal_the_reference_loop_bit_for_bit(image, kernel, border, data):
    options = engine.JobOptions(kernel=kernel, border=border)
    kh, kw = options.shape
    if border == "valid" and (image.shape[0] < kh or image.shape[1] < kw):
        return
    height, width = options.output_shape(*image.shape)
    r, c = data.draw(st.integers(0, height - 1)), data.draw(st.integers(0, width - 1))
    e = engine.explain_pixel(image, options, r, c)
    terms, total = ref.explain(image, options.kernel, r, c, border)
    assert _exact([_tuple(t) for t in e.terms]) == _exact(terms)
    assert repr(e.sum) == repr(total)
    assert e.stored == float(engine.run_job(image, dataclasses.replace(options, pool=None)).convolved[r, c])


def test_the_running_sum_adds_left_to_right_not_pairwise():
    # 1e12 + 1e-5 rounds back to 1e12 (its spacing is 1.2e-4): added one by one the small values vanish,
    # summed pairwise (np.sum) they would first add up to 0.00224 and show
    image = np.full((15, 15), 1e-5)
    image[0, 0] = 1e12
    e = engine.explain_pixel(image, engine.JobOptions(kernel=[[1.0] * 15] * 15, border="valid"), 0, 0)
    assert e.sum == 1e12 and [t.running_sum for t in e.terms] == [1e12] * 225
    assert e.sum == ref.explain(image, [[1.0] * 15] * 15, 0, 0, "valid")[1]


def test_a_negative_zero_first_product_starts_the_sum_at_zero_as_the_loop_does():
    image = np.zeros((9, 9), np.uint8)
    e = engine.explain_pixel(image, engine.JobOptions(kernel=[[-1.0] * 7] * 7), 0, 0)  # zero padding first
    assert repr(e.terms[0].product) == "-0.0" and repr(e.terms[0].running_sum) == "0.0"


def test_a_refused_value_the_window_does_not_read_changes_nothing():
    # the last row's window pads below with zeros; a NaN far above it is never read
    image = np.arange(36, dtype=np.float64).reshape(6, 6)
    image[0, :] = np.nan
    options = engine.JobOptions(kernel=[[1.0, 2.0, 3.0]] * 3)
    e = engine.explain_pixel(image, options, 5, 2)
    assert _exact([_tuple(t) for t in e.terms]) == _exact(ref.explain(image, options.kernel, 5, 2)[0])


def test_a_refused_value_in_the_window_is_named_as_the_loop_names_it():
    image = np.ones((20, 20))
    image[4, 7], image[9, 3] = np.inf, np.nan  # row-major, (4, 7) is read first
    with pytest.raises(engine.ImageError, match=r"\(row 4, column 7 is inf\)"):
        engine.explain_pixel(image, engine.JobOptions(kernel=[[1.0] * 15] * 15), 8, 8)


def test_terms_are_the_dataclass_s_own_objects():
    e = engine.explain_pixel(np.arange(400, dtype=np.uint8).reshape(20, 20), engine.JobOptions(
        kernel=[[1.0] * 15] * 15, border="reflect"), 3, 4)
    t = e.terms[17]
    made = engine.Term(*(getattr(t, f.name) for f in dataclasses.fields(engine.Term)))
    assert t == made and hash(t) == hash(made) and repr(t) == repr(made)
    assert dataclasses.replace(t, value=1.0).value == 1.0 and vars(t) == vars(made)
