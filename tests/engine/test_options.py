"""Job options: one immutable, validated value object; every spinbox value is accepted, nothing else."""

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


def test_the_defaults_are_the_identity_kernel_zero_border_clamp_and_2x2_max_pooling():
    options = engine.JobOptions()
    assert options.kernel == ((0, 0, 0), (0, 1, 0), (0, 0, 0))
    assert (options.weight, options.offset, options.lab, options.border, options.output_range) == (1, 0, False, "zero",
                                                                                                  "clamp")
    assert options.pool == engine.PoolOptions("max", 2, None) and options.pool.step == 2


@pytest.mark.parametrize("value", [VALUE_LIMIT, -VALUE_LIMIT, 0.0, 1e-300, -1e-300, 123.456])
def test_every_value_a_spinbox_can_hold_is_accepted(value):
    options = engine.JobOptions(kernel=[[value, 0], [0, value]], weight=value, offset=value)
    assert options.weight == value and options.kernel[0][0] == value


@pytest.mark.parametrize("value", [VALUE_LIMIT * 1.0001, -VALUE_LIMIT * 2, 1e308])
def test_values_beyond_the_limit_are_refused_with_the_limit_in_the_message(value):
    for field in ("weight", "offset"):
        with pytest.raises(engine.OptionsError, match="between -1e6 and 1e6"):
            engine.JobOptions(**{field: value})


def test_negative_zero_is_stored_as_zero():
    options = engine.JobOptions(kernel=[[-0.0]], weight=-0.0, offset=-0.0)
    assert math.copysign(1, options.weight) == 1 and math.copysign(1, options.offset) == 1
    assert math.copysign(1, options.kernel[0][0]) == 1


def test_numpy_arrays_and_numbers_are_accepted_as_kernels_and_values():
    options = engine.JobOptions(kernel=np.array([[1, 2]], dtype=np.int16), weight=np.float32(0.5), offset=np.int64(3))
    assert options.kernel == ((1.0, 2.0),) and options.weight == 0.5 and options.offset == 3.0
    assert options.kernel_array.dtype == np.float64 and not options.kernel_array.flags.writeable


def test_with_changes_validates_like_a_new_value():
    options = engine.JobOptions()
    assert options.with_changes(border="wrap").border == "wrap" and options.border == "zero"
    with pytest.raises(engine.OptionsError):
        options.with_changes(border="nope")
    assert options.with_kernel_value(0, 2, 5).kernel[0][2] == 5 and options.kernel[0][2] == 0
    with pytest.raises(engine.OptionsError):
        options.with_kernel_value(1, 1, math.nan)


def test_lab_mode_takes_the_notebooks_pooling_or_none():
    assert engine.JobOptions(lab=True).pool == engine.LAB_POOL
    assert engine.JobOptions(lab=True, pool=engine.PoolOptions("max", 2, 2)).pool == engine.LAB_POOL
    assert engine.JobOptions(lab=True, pool=None).pool is None
    for pool in (engine.PoolOptions("max", 3), engine.PoolOptions("min", 2), engine.PoolOptions("max", 2, 1)):
        with pytest.raises(engine.OptionsError, match="lab mode pools"):
            engine.JobOptions(lab=True, pool=pool)
    with pytest.raises(engine.OptionsError):
        engine.JobOptions(lab="yes")


@pytest.mark.parametrize("kh, kw", [(1, 1), (2, 2), (3, 5), (15, 15), (4, 1)])
def test_output_and_pooled_shapes_follow_the_border_and_pooling(kh, kw):
    same = engine.JobOptions(kernel=np.ones((kh, kw)), pool=engine.PoolOptions("avg", 3, 2))
    assert same.output_shape(20, 17) == (20, 17) and same.pooled_shape(20, 17) == (9, 8)
    valid = same.with_changes(border="valid")
    assert valid.output_shape(20, 17) == (21 - kh, 18 - kw)
    assert valid.output_shape(3, 3) == (max(4 - kh, 0), max(4 - kw, 0))
    assert same.with_changes(pool=None).pooled_shape(20, 17) is None


@pytest.mark.parametrize("data", [
    {"kernel": [[1]], "border": 3}, {"kernel": [[1]], "output_range": None}, {"kernel": [[1]], "lab": "true"},
    {"kernel": [[1]], "pool": {"op": 1, "size": 2}}, {"kernel": [[1]], "pool": {"op": "max", "size": "2"}},
    {"kernel": [[1]], "pool": {"op": "max", "size": 2, "extra": 1}}, {"kernel": [[1]], "pool": [2]},
    {"kernel": [[1, "2"]]}, {"kernel": [[True]]}, {"kernel": [[1]], "offset": ["1"]}, {"kernel": [[1]], "offset": {"b": 1}}, {"kernel": [[1]], "stride": "2"},
])
def test_from_dict_refuses_every_wrong_type_with_an_options_error(data):
    with pytest.raises(engine.OptionsError) as info:
        engine.JobOptions.from_dict(data)
    assert str(info.value) and "\n" not in str(info.value)


def test_from_dict_fills_missing_fields_with_the_defaults():
    assert engine.JobOptions.from_dict({"kernel": [[2]]}) == engine.JobOptions(kernel=[[2]])
    assert engine.JobOptions.from_dict({"kernel": [[2]], "pool": None}).pool is None
