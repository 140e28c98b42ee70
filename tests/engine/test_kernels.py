"""Kernels: presets, the "a,b,c;d,e,f" syntax, formatting and normalising weights."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine

def test_parse_kernel_reads_rows_and_columns():
    assert engine.parse_kernel("0,1,0;1,-4,1;0,1,0") == ((0, 1, 0), (1, -4, 1), (0, 1, 0))
    assert engine.parse_kernel(" 1 2 ; 3.5 4 ") == ((1, 2), (3.5, 4))


@pytest.mark.parametrize("text, message", [("", "empty"), ("1,2;3", "different lengths"), ("1,x", "not a number"),
                                           (";".join(["1"] * 16), "15x15")])
def test_parse_kernel_explains_mistakes(text, message):
    with pytest.raises(engine.OptionsError, match=message):
        engine.parse_kernel(text)


@pytest.mark.parametrize("text, message", [
    ("1,,2", "row 1: entry 2 is empty"), ("1,2,", "entry 3 is empty"), (",1", "entry 1 is empty"),
    ("1_0", "'1_0' is not a number"), ("1,2;3,1_0", "row 2, entry 2"), ("\u0661,2", "not a number"),
    ("1,\uff12", "not a number"), ("1,nan", "not a number"), ("1;;2", "row 2 is empty"), ("1//9", "not a number"),
    ("1/0,1", "divides by zero"), ("1, 2 x", "row 1, entry 3: 'x' is not a number"),
])
def test_parse_kernel_is_strict_and_names_the_entry(text, message):
    with pytest.raises(engine.OptionsError, match=message):
        engine.parse_kernel(text)


def test_parse_kernel_reads_fractions_exactly():
    assert engine.parse_kernel("1/9,1/9,1/9;1/9,1/9,1/9;1/9,1/9,1/9") == ((1 / 9,) * 3,) * 3
    assert engine.parse_kernel("-1/16, 2/16 ; 0.5, 1e-3") == ((-1 / 16, 2 / 16), (0.5, 0.001))


def test_format_kernel_writes_simple_fractions_as_fractions():
    assert engine.format_kernel(((1 / 9, 1 / 256), (-1 / 16, 2.0))) == "1/9,1/256;-1/16,2"
    rows = tuple(tuple(v / 7 for v in range(-3, 4)) for _ in range(2))
    assert engine.parse_kernel(engine.format_kernel(rows)) == rows


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


def test_the_notebook_presets_hold_the_notebooks_three_filters_with_weight_1():
    notebook = {p.name: p for p in engine.PRESETS if p.name.startswith("Notebook")}
    assert [p.kernel for p in notebook.values()] == [
        ((0, 1, 0), (1, -4, 1), (0, 1, 0)), ((-1, -2, -1), (0, 0, 0), (1, 2, 1)), ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1))]
    assert all(p.weight == 1 and p.offset == 0 for p in notebook.values())


def test_every_preset_is_a_valid_kernel_with_a_description():
    names = engine.preset_names()
    assert len(names) == len(set(names)) == len(engine.PRESETS)
    for preset in engine.PRESETS:
        options = engine.JobOptions(kernel=preset.kernel, weight=preset.weight, offset=preset.offset)
        assert options.kernel == preset.kernel and preset.description
        assert engine.get_preset(preset.name) is preset


@pytest.mark.parametrize("name, kernel", [
    ("Identity", ((0, 0, 0), (0, 1, 0), (0, 0, 0))),
    ("Sobel x", ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1))),
    ("Sobel y", ((-1, -2, -1), (0, 0, 0), (1, 2, 1))),
    ("Gaussian blur 3x3", ((1, 2, 1), (2, 4, 2), (1, 2, 1))),
    ("Laplacian", ((0, 1, 0), (1, -4, 1), (0, 1, 0))),
])
def test_classic_presets_hold_their_textbook_kernels(name, kernel):
    assert engine.get_preset(name).kernel == kernel


def test_gaussian_5x5_is_the_outer_product_of_binomial_rows():
    row = [1, 4, 6, 4, 1]
    assert engine.get_preset("Gaussian blur 5x5").kernel == tuple(tuple(float(a * b) for b in row) for a in row)


def test_zero_sum_presets_refuse_to_normalise():
    for name in ("Sobel x", "Laplacian", "Emboss (gray offset)", "Outline"):
        with pytest.raises(engine.OptionsError, match="sums to 0"):
            engine.normalizing_weight(engine.get_preset(name).kernel)


def test_normalizing_weight_makes_the_weighted_sum_one():
    for kernel in (((1, 1, 1),), ((2, 3), (4, 1)), ((-1, 3),), ((0.5, 0.25),)):
        total = sum(sum(r) for r in kernel)
        assert engine.normalizing_weight(kernel) == 1 / total


def test_parse_kernel_accepts_rectangles_floats_and_a_trailing_semicolon():
    assert engine.parse_kernel("1,2,3,4,5") == ((1, 2, 3, 4, 5),)
    assert engine.parse_kernel("1;2;3;") == ((1,), (2,), (3,))
    assert engine.parse_kernel("0.1,-1e-3 2.5e1") == ((0.1, -0.001, 25.0),)


@pytest.mark.parametrize("text", ["1,nan", "inf", "1;;2", "1,2,3;4,5", ";".join(["1"] * 16),
                                  ",".join(["1"] * 16), "1e7", "abc"])
def test_parse_kernel_refuses_bad_text_with_one_line(text):
    with pytest.raises(engine.OptionsError) as info:
        engine.parse_kernel(text)
    assert "\n" not in str(info.value)


def test_format_kernel_round_trips_floats_exactly():
    kernel = ((0.1, 1 / 3, -2.0), (1e-5, 123456.789, 0.0))
    assert engine.parse_kernel(engine.format_kernel(kernel)) == kernel


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 4).flatmap(lambda w: st.lists(st.lists(
    st.one_of(st.floats(-1e6, 1e6), st.builds(lambda p, q: p / q, st.integers(-999, 999), st.integers(1, 1024))),
    min_size=w, max_size=w), min_size=1, max_size=4)))
def test_format_kernel_then_parse_kernel_gives_the_same_floats(rows):
    kernel = engine.JobOptions(kernel=rows).kernel
    assert engine.parse_kernel(engine.format_kernel(kernel)) == kernel
