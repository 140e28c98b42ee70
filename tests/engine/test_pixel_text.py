import math

import pytest
from hypothesis import given, strategies as st

from engine.numbers import parse_number
from engine.pixel_text import PIXEL_CHARS, format_pixel


@pytest.mark.parametrize("value, text", [(0, "0"), (255, "255"), (-1020, "-1020"), (1 / 9, "1/9"), (0.25, "1/4"), (0.3, "0.3"),
                                         (-12.345678, "-12.35"), (1234567.5, "1234568"), (0.0000123, "1.2e-05")])
def test_pixel_values_are_written_short(value, text):
    assert format_pixel(value) == text


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False))
def test_a_written_pixel_fits_and_reads_back_close(value):
    text = format_pixel(value)
    if float(value).is_integer():
        assert parse_number(text) == value  # whole numbers are never rounded
    elif abs(value) >= 10 ** (PIXEL_CHARS - 2):
        assert parse_number(text) == round(value)
    else:
        assert len(text) <= PIXEL_CHARS + 3  # an exponent: "-1.2e-05", "-1.0e-103"
        assert math.isclose(parse_number(text), value, rel_tol=0.06, abs_tol=0.06)
