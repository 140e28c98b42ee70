"""A pixel's value as it is written on the pixel itself in a zoomed-in view: as exact as fits in a few
characters (whole numbers in full, "1/9" or "0.25" as engine.numbers writes them, other values rounded to
the significant digits that fit). Where a view's pixels are too narrow even for that, ``fit_pixel`` writes
fewer significant digits behind a ``≈`` that says the text is rounded further (the exact value stays on
hover and in the status bar)."""

from __future__ import annotations

import math

from .numbers import format_number

#: the most characters written on one pixel
PIXEL_CHARS = 6
#: written before a value that was rounded to fit a narrow pixel: "≈507" for 506.67
ROUNDED = "\u2248"  # ≈; "~" at 7 px reads as a minus sign


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


def fit_pixel(value: float, chars: int) -> str | None:
    """``format_pixel(value)`` when that has at most ``chars`` characters; otherwise ``≈`` and the value
    rounded to the most significant digits that fit in ``chars`` with it ("≈507", "≈-12"); None when not
    even one significant digit fits."""
    full = format_pixel(value)
    if len(full) <= chars:
        return full
    value = float(value)
    if not math.isfinite(value):
        return None
    for digits in range(max(chars - 1, 1), 0, -1):
        text = f"{value:.{digits}g}"
        if "e" in text:  # the nearest whole number has more digits than fit: "5.1e+02" is not shorter
            continue
        if len(ROUNDED) + len(text) <= chars:
            return ROUNDED + text
    return None
