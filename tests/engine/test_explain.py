import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine

from . import reference as ref

small_images = st.one_of(
    hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=8)),
    hnp.arrays(st.sampled_from([np.uint16, np.int16, np.int32]),
               hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=6)),
    hnp.arrays(st.sampled_from([np.float32, np.float64]),
               hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=7),
               elements=st.floats(-1000, 1000, allow_nan=False, width=32)),
)
entries = st.one_of(st.integers(-4, 4).map(float), st.sampled_from([0.5, 0.1, -1 / 3, 0.125]),
                    st.floats(-50, 50, allow_nan=False))
kernels = st.integers(1, 5).flatmap(lambda h: st.integers(1, 5).flatmap(
    lambda w: st.lists(st.lists(entries, min_size=w, max_size=w), min_size=h, max_size=h)))
pools = st.one_of(st.none(), st.builds(engine.PoolOptions, st.sampled_from(engine.POOL_OPS), st.integers(1, 3),
                                       st.one_of(st.none(), st.integers(1, 3))))
standard_options = st.builds(
    lambda kernel, weight, offset, border, output_range, pool: engine.JobOptions(
        kernel=kernel, weight=weight, offset=offset, border=border, output_range=output_range, pool=pool),
    kernels,
    st.one_of(st.sampled_from([1.0, 0.25, 1 / 9, -3.0, 0.0]), st.floats(-100, 100, allow_nan=False)),
    st.one_of(st.sampled_from([0.0, 128.0, -0.5]), st.floats(-300, 300, allow_nan=False)),
    st.sampled_from(engine.BORDERS), st.sampled_from(["clamp", "raw"]), pools)


def _term_tuple(t):
    return (t.kernel_pos, t.input_pos, t.source_pos, t.origin, t.value, t.weight, t.product, t.running_sum)


def _check_pool(image, options, result):
    """explain_pool equals the bulk pooled output and the reference's window at every pooled pixel."""
    if result.pooled is None:
        return
    windows = ref.pool_windows(result.convolved, options.pool.size, options.pool.stride)
    out_w = result.pooled.shape[1]
    assert len(windows) == result.pooled.size
    for n, ((top, left), values) in enumerate(windows):
        r, c = divmod(n, out_w)
        for e in (engine.explain_pool(image, options, r, c), engine.explain_pool(image, options, r, c, result.convolved)):
            assert e.result == float(result.pooled[r, c])
            assert e.window == (top, left, options.pool.size, options.pool.size)
            assert [v for _, v in e.cells] == values
            assert [pos for pos, _ in e.cells] == [(top + i, left + j) for i in range(options.pool.size)
                                                   for j in range(options.pool.size)]
            if e.op == "avg":
                total = 0.0
                for v in values:
                    total = total + v
                assert e.total == total
            else:
                assert e.result == (max(values) if e.op == "max" else min(values))
                assert e.chosen == e.cells[values.index(e.result)][0]


def _check_every_pixel(image, options):
    result = engine.run_job(image, options)
    for r in range(result.convolved.shape[0]):
        for c in range(result.convolved.shape[1]):
            e = engine.explain_pixel(image, options, r, c)
            assert e.stored == float(result.convolved[r, c])  # bit for bit: == on floats
            terms, total = ref.explain(image, options.kernel, r, c, options.border)
            assert [_term_tuple(t) for t in e.terms] == terms
            assert e.sum == total and e.weighted == total * options.weight
            assert e.before_clamp == total * options.weight + options.offset
            assert e.stored == ref.store(e.before_clamp, options.output_range)
    _check_pool(image, options, result)
    return result


@settings(max_examples=80, deadline=None)
@given(image=small_images, options=standard_options)
def test_explanation_equals_bulk_output_and_reference_terms_at_every_pixel(image, options):
    kh, kw = options.shape
    if options.border == "valid" and (image.shape[0] < kh or image.shape[1] < kw):
        return
    result = _check_every_pixel(image, options)
    want = ref.convolve(image, options.kernel, options.weight, options.offset, options.border, options.output_range)
    assert ref.as_float_lists(result.convolved) == want


def _check_every_lab_pixel(image, options):
    result = engine.run_job(image, options)
    h, w = image.shape
    for x in range(h):
        for y in range(w):
            e = engine.explain_pixel(image, options, x, y)
            assert e.stored == float(result.convolved[x, y])
            if 1 <= x < h - 1 and 1 <= y < w - 1:
                terms, total = ref.lab_explain(image, options.kernel, x, y)
                assert [(t.kernel_pos, t.input_pos, t.value, t.weight, t.product, t.running_sum)
                        for t in e.terms] == terms
                assert e.sum == total and e.weighted == total * options.weight and not e.untouched
            else:
                assert e.untouched and e.terms == () and e.stored == float(int(image[x, y]))
    _check_pool(image, options, result)
    return result


@settings(max_examples=50, deadline=None)
@given(image=st.one_of(
           hnp.arrays(np.uint8, st.tuples(st.integers(1, 5).map(lambda n: 2 * n), st.integers(1, 5).map(lambda n: 2 * n))),
           hnp.arrays(np.int32, st.tuples(st.integers(1, 3).map(lambda n: 2 * n), st.integers(1, 3).map(lambda n: 2 * n)),
                      elements=st.integers(-1000, 1000))),
       kernel=st.lists(st.lists(st.one_of(st.sampled_from([-2.0, -1.0, 0.0, 1.0, 2.0, 0.5, 0.1]),
                                          st.floats(-10, 10, allow_nan=False)), min_size=3, max_size=3),
                       min_size=3, max_size=3),
       weight=st.one_of(st.sampled_from([1.0, 0.1, 2.5]), st.floats(-5, 5, allow_nan=False)),
       pooled=st.booleans())
def test_lab_mode_explanation_equals_bulk_output_and_the_notebook_terms_at_every_pixel(image, kernel, weight, pooled):
    options = engine.JobOptions(kernel=kernel, weight=weight, lab=True, pool=engine.LAB_POOL if pooled else None)
    result = _check_every_lab_pixel(image, options)
    assert result.convolved.tolist() == ref.lab_convolve(image, kernel, weight)


def test_explaining_a_pixel_outside_the_image_is_refused():
    image = np.zeros((3, 4), np.uint8)
    for row, col in [(3, 0), (0, 4), (-1, 0)]:
        with pytest.raises(engine.KernelscopeError, match="outside"):
            engine.explain_pixel(image, engine.JobOptions(), row, col)
    with pytest.raises(engine.KernelscopeError, match="outside"):
        engine.explain_pool(image, engine.JobOptions(), 1, 0)  # pooled image is 1x2
    with pytest.raises(engine.KernelscopeError, match="pooling is off"):
        engine.explain_pool(image, engine.JobOptions(pool=None), 0, 0)


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


def test_describe_writes_numbers_with_the_engines_one_formatter():
    image = np.full((3, 3), 9, dtype=np.uint8)
    text = engine.explain_pixel(image, engine.JobOptions(kernel=[[1]], weight=1 / 9, offset=-1 / 16), 1, 1).describe()
    assert "x weight 1/9 = 1" in text and "+ offset -1/16 = 15/16" in text
