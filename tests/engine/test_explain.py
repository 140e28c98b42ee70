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


def test_a_nan_image_is_refused_with_the_engines_error_naming_the_pixel():
    image = np.array([[1.0, np.nan, 3.0], [4.0, 5.0, 6.0]])
    for output_range in ("clamp", "raw"):
        with pytest.raises(engine.ImageError, match=r"NaN or infinite values \(row 0, column 1"):
            engine.explain_pixel(image, engine.JobOptions(kernel=[[1, 1, 1]], output_range=output_range), 0, 1)
    with pytest.raises(engine.ImageError, match="NaN or infinite"):
        engine.explain_pool(image, engine.JobOptions(kernel=[[1]]), 0, 0)
    inf = np.array([[np.inf, 1.0]])
    with pytest.raises(engine.ImageError, match="NaN or infinite"):
        engine.explain_pixel(inf, engine.JobOptions(kernel=[[1]]), 0, 0)


@pytest.mark.parametrize("row, col, message", [
    (1.0, 0, "row must be a whole number, not 1.0"), (0, "1", "column must be a whole number, not '1'"),
    (None, 0, "row must be a whole number"), (True, 0, "row must be a whole number, not True"),
    (0, 2.5, "column must be a whole number"), (-1, 0, r"pixel \(row -1, column 0\) is outside the convolved image"),
    (0, 10 ** 30, "outside the convolved image, which is 3x2"),
])
def test_positions_that_are_not_whole_numbers_inside_the_image_raise_options_errors(row, col, message):
    image = np.zeros((2, 3), np.uint8)
    for lab in (False, True):
        options = engine.JobOptions(lab=lab, pool=None) if lab else engine.JobOptions(kernel=[[1]])
        with pytest.raises(engine.OptionsError, match=message):
            engine.explain_pixel(image, options, row, col)
    with pytest.raises(engine.OptionsError, match=message.replace("convolved", "pooled").replace("3x2", "1x1")):
        engine.explain_pool(np.zeros((2, 3), np.uint8), engine.JobOptions(kernel=[[1]]), row, col)


def test_numpy_integer_positions_are_accepted():
    image = np.arange(6, dtype=np.uint8).reshape(2, 3)
    got = engine.explain_pixel(image, engine.JobOptions(kernel=[[1]]), np.int64(1), np.int32(2))
    assert got.out_pos == (1, 2) and type(got.out_pos[0]) is int and got.stored == 5


def test_explain_checks_its_options_and_a_given_convolved_image():
    image = np.zeros((4, 4), np.uint8)
    with pytest.raises(engine.OptionsError, match="JobOptions"):
        engine.explain_pixel(image, {"kernel": [[1]]}, 0, 0)
    with pytest.raises(engine.ImageError, match="convolved image given is 3x4"):
        engine.explain_pool(image, engine.JobOptions(), 0, 0, convolved=np.zeros((4, 3), np.uint8))


ANY_POSITION = st.one_of(st.integers(-10, 10), st.integers(), st.floats(), st.text(max_size=3), st.none(),
                         st.booleans(), st.tuples(st.integers()))


@settings(max_examples=300, deadline=None)
@given(row=ANY_POSITION, col=ANY_POSITION, lab=st.booleans(), nan=st.booleans(), output_range=st.sampled_from(
    ["clamp", "raw"]))
def test_explain_either_answers_or_raises_an_engine_error(row, col, lab, nan, output_range):
    image = np.arange(16, dtype=np.float64).reshape(4, 4)
    if nan:
        image[1, 2] = np.nan
    options = (engine.JobOptions(lab=True) if lab
               else engine.JobOptions(kernel=[[1, 2], [3, 4]], output_range=output_range))
    for call in (engine.explain_pixel, engine.explain_pool):
        try:
            call(image, options, row, col)
        except engine.KernelscopeError as e:
            assert str(e) and "\n" not in str(e)
