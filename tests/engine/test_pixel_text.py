import math

import pytest
from hypothesis import given, strategies as st

from engine.numbers import parse_number
from engine.pixel_text import PIXEL_CHARS, ROUNDED, fit_pixel, format_pixel
from tests.engine import reference as ref


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


@pytest.mark.parametrize("value, chars, text", [(506.6666, 6, "506.67"), (506.6666, 5, "\u2248507"), (-506.67, 5, "\u2248-507"),
                                                (-12.345678, 5, "\u2248-12"), (99.96, 4, "\u2248100"), (0.0123, 5, "\u22480.01"),
                                                (255, 3, "255"), (-1020, 4, None), (506.67, 3, None), (1 / 3, 3, "1/3")])
def test_narrow_pixels_get_fewer_digits_marked_as_rounded(value, chars, text):
    assert fit_pixel(value, chars) == text


@given(st.floats(min_value=-1e6, max_value=1e6, allow_nan=False), st.integers(min_value=1, max_value=PIXEL_CHARS + 1))
def test_a_width_limited_pixel_fits_and_is_honestly_rounded(value, chars):
    text = fit_pixel(value, chars)
    if text is None:
        return
    assert len(text) <= chars
    if not text.startswith(ROUNDED):
        assert text == format_pixel(value)
        return
    shown = text[len(ROUNDED):]
    assert "e" not in shown
    assert float(shown) == ref.round_significant(value, ref.significant_digits(shown))
    assert len(format_pixel(value)) > chars  # only values whose usual text does not fit are rounded further
