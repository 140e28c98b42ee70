import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine

from . import reference as ref

NOTEBOOK_FILTERS = [p for p in engine.PRESETS if p.name.startswith("Notebook")]


def lab(**changes):
    return engine.JobOptions(lab=True, pool=engine.LAB_POOL, **changes)


def test_the_three_notebook_filters_are_presets():
    assert [p.kernel for p in NOTEBOOK_FILTERS] == [
        ((0, 1, 0), (1, -4, 1), (0, 1, 0)),
        ((-1, -2, -1), (0, 0, 0), (1, 2, 1)),
        ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1)),
    ]


@pytest.mark.parametrize("preset", NOTEBOOK_FILTERS, ids=lambda p: p.name)
def test_lab_mode_reproduces_the_notebook_on_ascent_bit_for_bit(ascent, preset):
    result = engine.run_job(ascent, lab(kernel=preset.kernel, weight=preset.weight))
    want = ref.lab_convolve(ascent, preset.kernel, preset.weight)
    assert result.convolved.tolist() == want
    assert result.pooled.tolist() == ref.lab_pool(want)
    assert result.pooled.shape == (256, 256)


def test_lab_mode_with_a_fractional_weight_matches_the_notebook(crop):
    kernel = [[1, 1, 1], [1, 2, 1], [1, 1, 1]]  # the notebook's example: weights add up to 10, weight .1
    got = engine.convolve(crop, lab(kernel=kernel, weight=0.1))
    assert got.tolist() == ref.lab_convolve(crop, kernel, 0.1)


def test_lab_mode_applies_the_kernel_transposed():
    image = np.arange(25, dtype=np.uint8).reshape(5, 5)
    kernel = [[0, 0, 1], [0, 0, 0], [0, 0, 0]]  # filter[0][2]: the notebook multiplies i[x+2-1, y+0-1]
    got = engine.convolve(image, lab(kernel=kernel))
    assert got[2, 2] == image[3, 1]  # one row down, one column left: transposed from "top right"
    standard = engine.convolve(image, engine.JobOptions(kernel=kernel))
    assert standard[2, 2] == image[1, 3]  # standard mode: top right as written


def test_lab_mode_keeps_the_one_pixel_margin():
    image = np.full((6, 8), 77, dtype=np.uint8)
    got = engine.convolve(image, lab(kernel=np.zeros((3, 3))))
    assert (got[1:-1, 1:-1] == 0).all()
    assert (got[0] == 77).all() and (got[-1] == 77).all() and (got[:, 0] == 77).all() and (got[:, -1] == 77).all()


def test_lab_mode_refuses_kernels_that_are_not_3x3():
    with pytest.raises(engine.OptionsError, match="only handles 3x3"):
        lab(kernel=np.ones((5, 5)))


def test_lab_mode_refuses_other_pooling():
    with pytest.raises(engine.OptionsError, match="2x2 windows, stride 2"):
        engine.JobOptions(lab=True, pool=engine.PoolOptions("avg", 2))


def test_lab_pooling_on_odd_sizes_says_why_instead_of_a_wrong_image():
    with pytest.raises(engine.LabModeError, match="odd sizes; this image is 6x5"):
        engine.run_job(np.zeros((5, 6), np.uint8), lab())


def test_lab_mode_without_pooling_runs_on_odd_sizes():
    image = np.arange(35, dtype=np.uint8).reshape(5, 7)
    result = engine.run_job(image, engine.JobOptions(lab=True, pool=None))
    assert result.pooled is None
    assert result.convolved.tolist() == ref.lab_convolve(image, engine.JobOptions().kernel, 1.0)


def test_lab_mode_refuses_fractional_images():
    with pytest.raises(engine.LabModeError, match="integer images"):
        engine.convolve(np.full((4, 4), 0.5), lab())


def test_lab_mode_on_images_too_small_for_the_loop_copies_them():
    image = np.array([[5, 6]], dtype=np.uint8)
    assert engine.convolve(image, lab()).tolist() == [[5, 6]]


# -- a second, literal transcription of the notebook's cells ------------------------------------------------


def notebook(image, filter, weight):
    """The lab's two cells as semantics: an int64 image i (Python ints are exact like int64), a float
    accumulator starting at 0.0, filter[a][b] times i[x+b-1, y+a-1] with x the row, the product of two whole
    numbers computed as integers, clamp with ifs, the store into the integer copy truncating; then its 2x2
    stride-2 max pooling into a float image."""
    i = [[int(v) for v in row] for row in np.asarray(image).tolist()]
    f = [[int(k) if float(k).is_integer() else float(k) for k in row] for row in filter]
    size_x, size_y = len(i), len(i[0])
    i_transformed = [row[:] for row in i]
    for x in range(1, size_x - 1):
        for y in range(1, size_y - 1):
            convolution = 0.0
            for a in range(3):  # filter row a walks the columns y-1, y, y+1
                for b in range(3):  # filter column b walks the rows x-1, x, x+1
                    convolution = convolution + (i[x + b - 1][y + a - 1] * f[a][b])
            convolution = convolution * weight
            if convolution < 0:
                convolution = 0
            if convolution > 255:
                convolution = 255
            i_transformed[x][y] = int(convolution)  # numpy truncates a float stored in an int array
    new_image = []
    for x in range(0, size_x, 2):
        row = []
        for y in range(0, size_y, 2):
            pixels = [i_transformed[x][y], i_transformed[x + 1][y], i_transformed[x][y + 1],
                      i_transformed[x + 1][y + 1]]
            pixels.sort(reverse=True)
            row.append(float(pixels[0]))
        new_image.append(row)
    return i_transformed, new_image


@pytest.mark.parametrize("preset", NOTEBOOK_FILTERS, ids=lambda p: p.name)
def test_lab_mode_equals_a_literal_transcription_of_the_notebook_on_full_ascent(ascent, preset):
    conv, pooled = notebook(ascent, preset.kernel, preset.weight)
    result = engine.run_job(ascent, lab(kernel=preset.kernel, weight=preset.weight))
    assert result.convolved.tolist() == conv
    assert ref.as_float_lists(result.pooled) == pooled


def test_lab_mode_on_int64_ascent_like_scipys_gives_the_same_values(ascent):
    ints = ascent.astype(np.int64)  # scipy.misc.ascent() is an int64 array
    kernel = engine.get_preset("Notebook: edges").kernel
    result = engine.run_job(ints, lab(kernel=kernel))
    conv, pooled = notebook(ints[:64, :96], kernel, 1)
    assert result.convolved.dtype == np.int64
    assert result.convolved[:63, :95].tolist() == [row[:95] for row in conv[:63]]
    assert result.convolved.tolist() == engine.run_job(ascent, lab(kernel=kernel)).convolved.tolist()


@pytest.mark.parametrize("weight", [0.1, 1 / 3, 0.7, -0.5, 2.5, 0.0])
def test_lab_mode_with_any_weight_matches_the_notebook(crop, weight):
    kernel = [[1, 1, 1], [1, 2, 1], [1, 1, 1]]
    conv, pooled = notebook(crop, kernel, weight)
    result = engine.run_job(crop, lab(kernel=kernel, weight=weight))
    assert result.convolved.tolist() == conv and ref.as_float_lists(result.pooled) == pooled


@settings(max_examples=60, deadline=None)
@given(image=st.one_of(
           hnp.arrays(np.uint8, st.tuples(st.integers(1, 6).map(lambda n: 2 * n), st.integers(1, 6).map(lambda n: 2 * n))),
           hnp.arrays(np.int16, st.tuples(st.integers(1, 5).map(lambda n: 2 * n), st.integers(1, 5).map(lambda n: 2 * n)),
                      elements=st.integers(-2000, 2000)),
           hnp.arrays(np.float64, st.tuples(st.integers(1, 4).map(lambda n: 2 * n), st.integers(1, 4).map(lambda n: 2 * n)),
                      elements=st.integers(-300, 600).map(float))),
       kernel=st.lists(st.lists(st.one_of(st.integers(-9, 9), st.sampled_from([0.1, -0.25, 1 / 3, 2.5])),
                                min_size=3, max_size=3), min_size=3, max_size=3),
       weight=st.one_of(st.sampled_from([1, 0.1, 1 / 9, -1.0]), st.floats(-4, 4, allow_nan=False)))
def test_lab_mode_equals_the_notebook_for_random_images_kernels_and_weights(image, kernel, weight):
    conv, pooled = notebook(image, kernel, weight)
    result = engine.run_job(image, lab(kernel=kernel, weight=weight))
    assert result.convolved.tolist() == conv
    assert ref.as_float_lists(result.pooled) == pooled


def test_the_notebooks_horizontal_filter_acts_transposed_in_lab_mode(crop):
    written = engine.get_preset("Notebook: 'horizontal lines'").kernel
    transposed = [list(col) for col in zip(*written)]
    labbed = engine.convolve(crop, lab(kernel=written))
    standard = engine.convolve(crop, engine.JobOptions(kernel=transposed))
    assert labbed[1:-1, 1:-1].tolist() == standard[1:-1, 1:-1].tolist()
    assert labbed[1:-1, 1:-1].tolist() != engine.convolve(crop, engine.JobOptions(kernel=written))[1:-1, 1:-1].tolist()


@pytest.mark.parametrize("shape", [(1, 3), (3, 3), (2, 2), (1, 1)])
def test_lab_mode_on_kernels_of_other_sizes_says_why(shape):
    if shape == (3, 3):
        engine.JobOptions(kernel=np.ones(shape), lab=True)
        return
    with pytest.raises(engine.OptionsError) as info:
        engine.JobOptions(kernel=np.ones(shape), lab=True)
    assert "3x3" in str(info.value) and f"{shape[0]}x{shape[1]}" in str(info.value)


@pytest.mark.parametrize("shape", [(5, 6), (6, 5), (7, 7)])
def test_lab_mode_on_odd_sizes_says_why_in_every_entry_point(shape):
    image = np.zeros(shape, np.uint8)
    for call in (lambda: engine.run_job(image, lab()), lambda: engine.explain_pool(image, lab(), 0, 0)):
        with pytest.raises(engine.LabModeError, match=f"odd sizes; this image is {shape[1]}x{shape[0]}"):
            call()


OTHER_VALUES = {"offset": [50.0, -1 / 16], "border": [b for b in engine.BORDERS if b != "zero"],
                "output_range": ["raw"], "flip": [True]}


@pytest.mark.parametrize("name", sorted(engine.lab_rules.FIXED))
def test_lab_mode_refuses_every_value_it_cannot_honour_and_says_why(name):
    assert set(OTHER_VALUES) == set(engine.lab_rules.FIXED)
    for value in OTHER_VALUES[name]:
        with pytest.raises(engine.LabModeError) as info:
            engine.JobOptions(lab=True, **{name: value})
        text = str(info.value)
        assert name.replace("_", " ") in text and engine.lab_rules.FIXED[name][1] in text, text
        engine.JobOptions(lab=False, **{name: value})  # standard mode takes it


def test_lab_mode_takes_the_fixed_values_it_publishes():
    options = engine.JobOptions(lab=True, **engine.lab_rules.fixed_options())
    assert engine.lab_rules.problems(options) == []
    assert engine.lab_rules.fixed_options() == {"offset": 0.0, "border": "zero", "output_range": "clamp", "flip": False}


def test_every_problem_is_reported_at_once():
    standard = engine.JobOptions(kernel=np.ones((5, 5)), offset=3, border="wrap", output_range="raw",
                                 pool=engine.PoolOptions("avg", 3))
    found = engine.lab_rules.problems(standard, (7, 9))
    assert len(found) == 6, found
    assert "5x5" in found[0] and "odd sizes; this image is 9x7" in found[-1]
    with pytest.raises(engine.LabModeError) as info:
        engine.lab_rules.check(standard)
    assert str(info.value) == "; ".join(found[:-1])


def test_lab_mode_pooling_choices_and_image_sizes():
    assert engine.lab_rules.problems(engine.JobOptions(lab=True, pool=None), (7, 9)) == []
    assert engine.lab_rules.problems(engine.JobOptions(lab=True), (8, 10)) == []
    assert engine.lab_rules.problems(engine.JobOptions(lab=True), (8, 9)) != []
    assert engine.lab_rules.POOL_CHOICES == (("max", 2, 2), None)


def test_a_lab_mode_error_is_an_options_error():
    assert issubclass(engine.LabModeError, engine.OptionsError)
