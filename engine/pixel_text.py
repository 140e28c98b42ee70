"""A pixel's value as it is written on the pixel itself in a zoomed-in view: as exact as fits in a few
characters (whole numbers in full, "1/9" or "0.25" as engine.numbers writes them, other values rounded to
the significant digits that fit)."""

from __future__ import annotations

import math

from .numbers import format_number

#: the most characters written on one pixel
PIXEL_CHARS = 6


def format_pixel(value: float, chars: int = PIXEL_CHARS) -> str:
    """``value`` in at most ``chars`` characters where that can be done ("-255", "1/9", "12.35", "-0.012");
    large values are written as the nearest whole number and tiny ones with an exponent ("1.2e-05"), so
    those may be longer."""
    value = float(value)
    text = format_number(value)
    if len(text) <= chars or not math.isfinite(value) or value.is_integer():
        return text
    if abs(value) >= 10 ** (chars - 2):  # large: the nearest whole number, all its digits
        return format_number(float(round(value)))
    for digits in range(chars, 1, -1):
        text = f"{value:.{digits}g}"
        if len(text) <= chars:
            return text
    return f"{value:.1e}"  # tiny: two significant digits and an exponent
