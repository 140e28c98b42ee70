"""Numbers users type and read: one parser, one formatter, and they round-trip."""

import math
import random
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.numbers import MAX_DENOMINATOR, format_number, parse_number


@pytest.mark.parametrize("text, value", [
    ("3", 3.0), (" 3 ", 3.0), ("-2", -2.0), ("+4", 4.0), ("0.5", 0.5), (".25", 0.25), ("7.", 7.0),
    ("1e-3", 0.001), ("-1E3", -1000.0), ("2.5e+2", 250.0), ("1/9", 1 / 9), ("-1/16", -1 / 16),
    ("1/256", 1 / 256), ("+3/4", 0.75), ("2.5/10", 0.25), ("1e2/3", 100 / 3), ("-0", 0.0), ("\t1/3\t", 1 / 3),
])
def test_parse_number_reads_integers_decimals_exponents_and_fractions(text, value):
    assert parse_number(text) == value
    assert math.copysign(1, parse_number(text)) == math.copysign(1, value)


def test_a_fraction_is_the_correctly_rounded_value_of_its_exact_quotient():
    # 0.1/3 as floats divides two rounded values; the exact quotient is 1/30.
    assert parse_number("0.1/3") == float(Fraction(1, 30)) == 1 / 30


@pytest.mark.parametrize("text, message", [
    ("1_0", "not a number"), ("", "empty"), ("   ", "empty"), ("1//2", "not a number"),
    ("1/0", "divides by zero"), ("1/0.0", "divides by zero"), ("\u0661", "not a number"), ("1\u0662", "not a number"),
    ("\uff11", "not a number"), ("nan", "not a number"), ("inf", "not a number"), ("-Infinity", "not a number"),
    ("1e999", "too large"), ("1e999/1", "too large"), ("1e1000/1", "not a number"), ("1e300/1e-300", "too large"), ("1/-2", "not a number"),
    ("1 / 2", "not a number"), ("1/2/3", "not a number"), ("0x10", "not a number"), ("1,5", "not a number"),
    ("--1", "not a number"), ("1e", "not a number"), ("e3", "not a number"), (".", "not a number"),
])
def test_parse_number_refuses_everything_else_with_a_clear_message(text, message):
    with pytest.raises(engine.OptionsError, match=message) as info:
        parse_number(text)
    assert repr(text) in str(info.value)


def test_parse_number_refuses_non_text():
    with pytest.raises(engine.OptionsError):
        parse_number(3)  # type: ignore[arg-type]


@pytest.mark.parametrize("value, text", [
    (1 / 9, "1/9"), (1 / 256, "1/256"), (-1 / 16, "-1/16"), (3 / 4, "3/4"), (1 / 3, "1/3"), (2 / 3, "2/3"),
    (-5 / 1024, "-5/1024"), (1 / 7, "1/7"), (100 / 3, "100/3"),
    (0.5, "0.5"), (0.2, "0.2"), (1.5, "1.5"), (0.1, "0.1"), (2.5, "2.5"), (0.75 + 1e-12, repr(0.75 + 1e-12)),
    (12.0, "12"), (-3.0, "-3"), (0.0, "0"), (-0.0, "0"), (1e15, "1000000000000000"), (1e16, "1e+16"),
    (1 / 1025, repr(1 / 1025)), (1e-7, "1e-07"), (255, "255"),
])
def test_format_number_writes_simple_fractions_whole_numbers_and_short_decimals(value, text):
    assert format_number(value) == text


def _is_simple_fraction_text(text):
    return "/" in text


def test_a_fraction_is_shown_exactly_when_the_rule_says_so():
    # The rule, computed the slow obvious way: the smallest q in 2..1024 with Python's p/q == x for
    # p = round(x*q); shown when "p/q" is shorter than repr(x).
    rng = random.Random(12)
    values = [rng.randint(-3000, 3000) / rng.randint(2, MAX_DENOMINATOR) for _ in range(3000)]
    values += [rng.uniform(-10, 10) for _ in range(300)]
    for x in values:
        expected = None
        if not x.is_integer():
            for q in range(2, MAX_DENOMINATOR + 1):
                p = round(x * q)
                if p / q == x:
                    expected = f"{p}/{q}"
                    break
            if expected is not None and len(expected) >= len(repr(x)):
                expected = None
        text = format_number(x)
        assert text == (expected or (str(int(x)) if x.is_integer() else repr(x))), x


@settings(max_examples=500, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False))
def test_format_then_parse_gives_the_same_float(x):
    assert parse_number(format_number(x)) == x


@settings(max_examples=500, deadline=None)
@given(st.integers(-10 ** 6, 10 ** 6), st.integers(1, 5000))
def test_fractions_round_trip(p, q):
    x = p / q
    assert parse_number(f"{p}/{q}") == x
    assert parse_number(format_number(x)) == x


def test_random_floats_of_every_magnitude_round_trip():
    rng = random.Random(7)
    for _ in range(5000):
        x = rng.uniform(-1, 1) * 10.0 ** rng.randint(-30, 30)
        assert parse_number(format_number(x)) == x


def test_the_engine_exports_the_two_helpers():
    assert engine.parse_number is parse_number and engine.format_number is format_number
