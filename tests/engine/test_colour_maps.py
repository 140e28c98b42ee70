"""engine.colour_maps: the colour tables and the pixels of a result, against plain Python with exact fractions."""

import math
from fractions import Fraction

import numpy as np
import pytest

from engine import colour_maps as C

#: How near (as a fraction of a bin) an exact value may come to a bin edge before float64's rounding may put
#: it on either side: the rule is computed in float64, the reference exactly.
EDGE = Fraction(1, 10**9)


def exact_colour(positions, colours, at: Fraction) -> list[Fraction]:
    """The colour at position ``at``, interpolated linearly between the stops in exact arithmetic."""
    stops = [(Fraction(p), c) for p, c in zip(positions, colours)]
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
        if p0 <= at <= p1:
            t = (at - p0) / (p1 - p0)
            return [a + (b - a) * t for a, b in zip(c0, c1)]
    raise AssertionError(at)


def near_whole(value: Fraction) -> bool:
    return abs(value - round(value)) < EDGE


@pytest.mark.parametrize("name", sorted(C.COLOUR_MAPS))
def test_each_table_entry_is_the_interpolated_colour_rounded(name):
    positions, colours = C.colour_stops(name)
    table = C.colour_table(name)
    assert table.shape == (256, 3) and table.dtype == np.uint8
    for k in range(256):
        exact = exact_colour(positions, colours, Fraction(k, 255))
        for channel, value in enumerate(exact):
            nearest = math.floor(value + Fraction(1, 2))
            allowed = {nearest} | ({nearest - 1, nearest + 1} if near_whole(value + Fraction(1, 2)) else set())
            assert int(table[k, channel]) in allowed, (name, k, channel, value)


def test_the_gray_table_gives_every_level_its_own_gray():
    assert C.colour_table("gray").tolist() == [[k, k, k] for k in range(256)]


def test_the_diverging_map_is_white_at_zero_and_rdbu_at_the_ends():
    positions, colours = C.colour_stops("diverging")
    middle = positions.index(0.5)
    assert colours[middle] == (247, 247, 247) and colours[0] == (5, 48, 97) and colours[-1] == (103, 0, 31)
    assert list(positions) == sorted(positions) and positions[0] == 0.0 and positions[-1] == 1.0


def reference_index(value, low, high) -> set[int]:
    """The table entries the rule allows for one value: floor((v - low) * 256 / (high - low)) clipped to
    0..255, exactly; both neighbours when the exact value lies within EDGE of a bin edge."""
    scaled = (Fraction(float(value)) - Fraction(low)) * 256 / (Fraction(high) - Fraction(low))
    candidates = {math.floor(scaled)}
    if near_whole(scaled):
        candidates |= {round(scaled), round(scaled) - 1}
    return {min(max(k, 0), 255) for k in candidates}


def pixel(table, k) -> int:
    r, g, b = (int(v) for v in table[k])
    return 0xFF000000 | (r << 16) | (g << 8) | b


CASES = [
    ("float32 raw", lambda rng: (rng.standard_normal((23, 31)) * 400).astype(np.float32), (-500.0, 500.0)),
    ("whole values", lambda rng: rng.integers(-1100, 1100, (17, 19)).astype(np.float32), (-1000.0, 1000.0)),
    ("small fractions", lambda rng: rng.uniform(-0.02, 0.02, (9, 40)), (-0.015, 0.015)),
    ("uneven levels", lambda rng: rng.uniform(-3, 300, (20, 20)), (2.5, 223.7)),
    ("int32", lambda rng: rng.integers(-70000, 70000, (12, 12)).astype(np.int32), (-60000.0, 60000.0)),
    ("uint8 gray levels", lambda rng: rng.integers(0, 256, (30, 30)).astype(np.uint8), (0.0, 255.0)),
    ("uint8 other levels", lambda rng: rng.integers(0, 256, (30, 30)).astype(np.uint8), (-120.0, 120.0)),
    ("uint16", lambda rng: rng.integers(0, 65536, (16, 16)).astype(np.uint16), (0.0, 65535.0)),
]


@pytest.mark.parametrize("name", sorted(C.COLOUR_MAPS))
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
@pytest.mark.parametrize("step", [(1, 1), (2, 3), (5, 1)])
def test_display_pixels_follow_the_rule_pixel_by_pixel(name, case, step):
    _, make, (low, high) = case
    data = make(np.random.default_rng(len(case[0]) + step[0] * 7 + step[1]))
    shown = C.display_image(data, (low, high), name, step)
    table = C.colour_table(name)
    rows = range(0, data.shape[0], step[0])
    cols = range(0, data.shape[1], step[1])
    assert shown.pixels.shape == (len(rows), len(cols)) and shown.pixels.dtype == np.uint32
    assert shown.pixels.flags.c_contiguous
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            allowed = {pixel(table, k) for k in reference_index(data[r, c], low, high)}
            assert int(shown.pixels[i, j]) in allowed, (r, c, data[r, c])
    assert shown.fits((low, high), name, step) and not shown.fits((low, high + 1), name, step)
    assert not shown.fits((low, high), name, (step[0] + 1, step[1]))


def test_eight_bit_data_at_levels_0_to_255_is_its_own_gray():
    data = np.arange(256, dtype=np.uint8).reshape(16, 16)
    pixels = C.display_image(data, (0, 255), "gray").pixels
    assert [int(p) for p in pixels.ravel()] == [0xFF000000 | v << 16 | v << 8 | v for v in range(256)]


def test_values_beyond_the_levels_take_the_end_colours_and_the_middle_takes_the_middle():
    data = np.array([[-1e9, -500.0, -0.001, 0.0, 499.999, 500.0, 1e9]])
    table = C.colour_table("diverging")
    pixels = [int(p) for p in C.display_image(data, (-500, 500), "diverging").pixels.ravel()]
    assert pixels == [pixel(table, k) for k in (0, 0, 127, 128, 255, 255, 255)]


def test_a_display_image_needs_one_channel():
    with pytest.raises(ValueError, match="2-D"):
        C.display_image(np.zeros((4, 4, 3)), (0, 1), "gray")
