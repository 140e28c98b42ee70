import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine

from . import reference as ref

small_images = st.one_of(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8)),
    hnp.arrays(np.float64, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8),
               elements=st.floats(-1000, 1000, allow_nan=False, width=32)),
)
kernels = st.integers(1, 5).flatmap(lambda h: st.integers(1, 5).flatmap(
    lambda w: st.lists(st.lists(st.one_of(st.integers(-4, 4).map(float), st.sampled_from([0.5, 0.1, -1 / 3])),
                                min_size=w, max_size=w), min_size=h, max_size=h)))
standard_options = st.builds(
    lambda kernel, weight, offset, border, output_range, pool: engine.JobOptions(
        kernel=kernel, weight=weight, offset=offset, border=border, output_range=output_range, pool=pool),
    kernels, st.sampled_from([1.0, 0.25, 1 / 9, -3.0]), st.sampled_from([0.0, 128.0, -0.5]),
    st.sampled_from(engine.BORDERS), st.sampled_from(["clamp", "raw"]),
    st.one_of(st.none(), st.builds(engine.PoolOptions, st.sampled_from(engine.POOL_OPS), st.integers(1, 3),
                                   st.one_of(st.none(), st.integers(1, 3)))))


def _check_every_pixel(image, options):
    result = engine.run_job(image, options)
    for r in range(result.convolved.shape[0]):
        for c in range(result.convolved.shape[1]):
            e = engine.explain_pixel(image, options, r, c)
            assert e.stored == float(result.convolved[r, c])
            # the terms are the reference loop's terms, in its order
            total = 0.0
            for t in e.terms:
                assert t.product == t.value * t.weight
                total = total + t.product
                assert t.running_sum == total
    if result.pooled is not None:
        for r in range(result.pooled.shape[0]):
            for c in range(result.pooled.shape[1]):
                assert engine.explain_pool(image, options, r, c).result == float(result.pooled[r, c])
                assert engine.explain_pool(image, options, r, c, result.convolved).result == float(result.pooled[r, c])
    return result


@settings(max_examples=60, deadline=None)
@given(image=small_images, options=standard_options)
def test_explanation_equals_bulk_output_at_every_pixel(image, options):
    kh, kw = options.shape
    if options.border == "valid" and (image.shape[0] < kh or image.shape[1] < kw):
        return
    result = _check_every_pixel(image, options)
    want = ref.convolve(image, options.kernel, options.weight, options.offset, options.border, options.output_range)
    assert ref.as_float_lists(result.convolved) == want


@settings(max_examples=40, deadline=None)
@given(image=hnp.arrays(np.uint8, st.tuples(st.integers(1, 5).map(lambda n: 2 * n), st.integers(1, 5).map(lambda n: 2 * n))),
       kernel=st.lists(st.lists(st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0, 0.5, 0.1]), min_size=3, max_size=3),
                       min_size=3, max_size=3),
       weight=st.sampled_from([1.0, 0.1, 2.5]))
def test_lab_mode_explanation_equals_bulk_output_at_every_pixel(image, kernel, weight):
    options = engine.JobOptions(kernel=kernel, weight=weight, lab=True, pool=engine.LAB_POOL)
    result = _check_every_pixel(image, options)
    assert result.convolved.tolist() == ref.lab_convolve(image, kernel, weight)


def test_explanation_names_padding_origins():
    image = np.array([[10, 20, 30]], dtype=np.uint8)
    e = engine.explain_pixel(image, engine.JobOptions(kernel=[[1, 1, 1]], border="reflect"), 0, 0)
    left = e.terms[0]
    assert left.input_pos == (0, -1) and left.source_pos == (0, 1) and left.origin == "reflect" and left.value == 20
    z = engine.explain_pixel(image, engine.JobOptions(kernel=[[1, 1, 1]]), 0, 0).terms[0]
    assert z.origin == "zero" and z.source_pos is None and z.value == 0


def test_lab_explanation_shows_the_transposed_pixel_and_the_untouched_margin():
    image = np.arange(25, dtype=np.uint8).reshape(5, 5)
    options = engine.JobOptions(kernel=[[0, 0, 1], [0, 0, 0], [0, 0, 0]], lab=True)
    e = engine.explain_pixel(image, options, 2, 2)
    assert e.terms[2].kernel_pos == (0, 2) and e.terms[2].input_pos == (3, 1)
    margin = engine.explain_pixel(image, options, 0, 3)
    assert margin.untouched and margin.stored == 3 and margin.terms == ()


def test_explanation_reports_the_clamp():
    image = np.full((3, 3), 200, dtype=np.uint8)
    assert engine.explain_pixel(image, engine.JobOptions(kernel=[[2]]), 1, 1).clamped == "high"
    assert engine.explain_pixel(image, engine.JobOptions(kernel=[[-1]]), 1, 1).clamped == "low"


def test_describe_writes_every_term():
    image = np.arange(9, dtype=np.uint8).reshape(3, 3)
    text = engine.explain_pixel(image, engine.JobOptions(kernel=[[1, 2], [3, 4]]), 0, 0).describe()
    assert text.count(" x in[") == 4 and "stored (clamp 0..255, truncate) = 27" in text  # 0+2+9+16
