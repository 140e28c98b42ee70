import math

import numpy as np
import pytest

import engine
from engine.options import VALUE_LIMIT


def test_options_are_immutable_and_compare_by_value():
    a = engine.JobOptions(kernel=[[1, 2], [3, 4]])
    assert a == engine.JobOptions(kernel=((1.0, 2.0), (3.0, 4.0)))
    with pytest.raises(AttributeError):
        a.weight = 2  # type: ignore[misc]


def test_options_round_trip_through_a_dict():
    options = engine.JobOptions(kernel=[[0.5, -1]], weight=1 / 3, offset=128, border="wrap", output_range="raw",
                                pool=engine.PoolOptions("min", 3, 1))
    assert engine.JobOptions.from_dict(options.to_dict()) == options


@pytest.mark.parametrize("kernel", [[], [[]], [[1, 2], [3]], np.ones((16, 3)), np.ones((1, 16)), "1,2",
                                    [[1, float("nan")]], [[math.inf]], [["a"]], [[VALUE_LIMIT * 2]]])
def test_malformed_kernels_are_refused_with_a_message(kernel):
    with pytest.raises(engine.OptionsError) as info:
        engine.JobOptions(kernel=kernel)
    assert str(info.value) and "\n" not in str(info.value)


@pytest.mark.parametrize("field, value", [("weight", math.nan), ("weight", math.inf), ("offset", "x"),
                                          ("border", "mirror"), ("output_range", "wide"), ("weight", True)])
def test_bad_option_values_are_refused(field, value):
    with pytest.raises(engine.OptionsError):
        engine.JobOptions(**{field: value})


def test_kernels_from_1x1_to_15x15_including_rectangles_are_accepted():
    for shape in [(1, 1), (15, 15), (1, 15), (15, 2), (4, 6)]:
        assert engine.JobOptions(kernel=np.ones(shape)).shape == shape


@pytest.mark.parametrize("bad", [{"kernel": "x"}, {"kernel": [[1]], "weight": "heavy"}, {"kernel": [[1]], "pool": 3},
                                 {"kernel": [[1]], "colour": "red"}, [], {"weight": 1}])
def test_from_dict_rejects_wrong_types(bad):
    with pytest.raises(engine.OptionsError):
        engine.JobOptions.from_dict(bad)


def test_parse_kernel_reads_rows_and_columns():
    assert engine.parse_kernel("0,1,0;1,-4,1;0,1,0") == ((0, 1, 0), (1, -4, 1), (0, 1, 0))
    assert engine.parse_kernel(" 1 2 ; 3.5 4 ") == ((1, 2), (3.5, 4))


@pytest.mark.parametrize("text, message", [("", "empty"), ("1,2;3", "different lengths"), ("1,x", "not a number"),
                                           (";".join(["1"] * 16), "15x15")])
def test_parse_kernel_explains_mistakes(text, message):
    with pytest.raises(engine.OptionsError, match=message):
        engine.parse_kernel(text)


def test_format_kernel_is_the_inverse_of_parse():
    for preset in engine.PRESETS:
        assert engine.parse_kernel(engine.format_kernel(preset.kernel)) == preset.kernel


def test_normalizing_weight_is_one_over_the_sum():
    assert engine.normalizing_weight(((1, 2, 1), (2, 4, 2), (1, 2, 1))) == 1 / 16


def test_normalizing_a_zero_sum_kernel_explains_why_it_cannot():
    with pytest.raises(engine.OptionsError, match="sums to 0"):
        engine.normalizing_weight(engine.get_preset("Sobel x").kernel)


def test_presets_are_found_by_forgiving_names():
    assert engine.get_preset("sobel-x").name == "Sobel x"
    assert engine.get_preset("GAUSSIAN BLUR 5x5").kernel[2][2] == 36
    with pytest.raises(engine.OptionsError, match="no preset"):
        engine.get_preset("unicorn")


def test_blur_presets_keep_brightness():
    for name in ("Box blur 3x3", "Gaussian blur 3x3", "Gaussian blur 5x5"):
        preset = engine.get_preset(name)
        assert math.isclose(sum(map(sum, preset.kernel)) * preset.weight, 1.0)
