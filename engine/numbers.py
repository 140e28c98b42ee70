"""Numbers as people type and read them: the one parser and the one formatter for every number a user
types (kernel cells, weight, offset, on the command line or in the window) or sees (the step panel,
explanations, kernel text).

``parse_number`` reads ASCII whole numbers, decimals, exponents and fractions ``a/b``; it refuses anything
else with an OptionsError. ``format_number`` writes a float back so that ``parse_number`` gives the same
float again, preferring a simple fraction (1/9, -1/16, 1/256) where that is shorter than the decimal.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

from .errors import OptionsError

#: Largest denominator format_number writes as a fraction.
MAX_DENOMINATOR = 1024
#: Whole numbers below this magnitude are written out in digits (every such float is an exact integer).
_WHOLE_LIMIT = 1e16
# ASCII only: re.ASCII keeps \d from matching other scripts' digits; no '_' separators, no nan/inf.
_DECIMAL = r"(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
_PLAIN = re.compile(rf"[+-]?{_DECIMAL}(?:[eE][+-]?[0-9]+)?", re.ASCII)
# A fraction's parts are computed exactly, so their exponents are kept small enough to stay cheap.
_PART = rf"{_DECIMAL}(?:[eE][+-]?[0-9]{{1,3}})?"
_FRACTION = re.compile(rf"([+-]?{_PART})/({_PART})", re.ASCII)
_HOW = "write a whole number, a decimal (0.5, -1e-3) or a fraction (1/9)"


def parse_number(text: str) -> float:
    """The float that ``text`` names: "3", " -2 ", "0.5", "1e-3", "1/9", "-1/16", "2.5/10".

    A fraction is the correctly rounded float of its exact value (for whole a and b that is Python's
    ``a / b``). Surrounding spaces are ignored; anything else (``1_0``, ``1//2``, ``1/0``, non-ASCII
    digits, nan, inf, values beyond the float range) raises OptionsError naming the text.
    """
    if not isinstance(text, str):
        raise OptionsError(f"{text!r} is not a number; {_HOW}")
    stripped = text.strip(" \t")
    if _PLAIN.fullmatch(stripped):
        value = float(stripped)
    else:
        match = _FRACTION.fullmatch(stripped)
        if match is None:
            what = "empty" if not stripped else "not a number"
            raise OptionsError(f"{text!r} is {what}; {_HOW}")
        numerator, denominator = Fraction(match.group(1)), Fraction(match.group(2))
        if denominator == 0:
            raise OptionsError(f"{text!r} divides by zero")
        try:
            value = float(numerator / denominator)
        except OverflowError:
            value = math.inf
    if not math.isfinite(value):
        raise OptionsError(f"{text!r} is too large a number")
    return value + 0.0  # -0.0 reads as 0


def _simple_fraction(x: float) -> tuple[int, int] | None:
    """(p, q) with 2 <= q <= MAX_DENOMINATOR in lowest terms and Python's ``p / q == x``, or None.

    Only the best approximations with q <= MAX_DENOMINATOR (the last convergent of x's continued fraction
    and the last semiconvergent, as Fraction.limit_denominator finds them) are candidates: two distinct
    fractions with such denominators differ by at least 1/MAX_DENOMINATOR**2, far more than the rounding of
    any float below 2**20, so no other fraction can round to x."""
    if abs(x) >= 2 ** 20:
        return None
    n, d = abs(x).as_integer_ratio()
    p0, q0, p1, q1 = 0, 1, 1, 0
    while d:
        a = n // d
        q2 = q0 + a * q1
        if q2 > MAX_DENOMINATOR:
            break
        p0, q0, p1, q1 = p1, q1, p0 + a * p1, q2
        n, d = d, n - a * d
    k = (MAX_DENOMINATOR - q0) // q1
    sign = -1 if x < 0 else 1
    for p, q in sorted(((p1, q1), (p0 + k * p1, q0 + k * q1)), key=lambda c: c[1]):
        if q >= 2 and (sign * p) / q == x:
            return sign * p, q
    return None


def format_number(x: float) -> str:
    """``x`` as a person writes it, and such that ``parse_number(format_number(x)) == x``.

    - whole numbers below 1e16 in magnitude: digits, no point ("12", "-3"; -0.0 is "0");
    - a simple fraction p/q (q <= MAX_DENOMINATOR, lowest terms, Python's ``p / q == x``) when its text is
      shorter than the decimal's: "1/9", "-1/16", "1/256", "3/4", but "0.5", "0.2", "1.5";
    - anything else: the shortest decimal that reads back as ``x`` (Python's repr: "0.1", "1e-07").
    NaN and infinities (which parse_number refuses) are written "nan", "inf", "-inf".
    """
    x = float(x)
    if not math.isfinite(x):
        return repr(x)
    if x.is_integer() and abs(x) < _WHOLE_LIMIT:
        return str(int(x))
    decimal = repr(x)
    fraction = _simple_fraction(x)
    if fraction is not None:
        text = f"{fraction[0]}/{fraction[1]}"
        if len(text) < len(decimal):
            return text
    return decimal


def format_size(shape: tuple[int, ...]) -> str:
    """An image's size the way the README and the window's titles write it: width x height ("399x299" for
    an array of 299 rows and 399 columns). Kernels are not images: they are written rows x columns."""
    height, width = shape[0], shape[1]
    return f"{width}x{height}"


def format_megapixels(pixels: int) -> str:
    """A pixel count in MP, where 1 MP = 2**20 pixels (so 8192x8192 is exactly 64 MP), rounded up to one
    decimal so that an image over a limit never reads as equal to it."""
    tenths = -(-pixels * 10 // 2 ** 20)
    return f"{tenths // 10} MP" if tenths % 10 == 0 else f"{tenths / 10:.1f} MP"
