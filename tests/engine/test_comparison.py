"""engine.compare: two kernels on one image, against the plain reference loops and counts made here."""

import numpy as np
import pytest

import engine
from engine.comparison import compare, explain_both
from tests.engine import reference as ref

SOBEL = engine.get_preset("Sobel x").kernel
SCHARR = engine.get_preset("Scharr x").kernel


def plain_difference(crop, a, b, **kw):
    first, second = ref.convolve(crop, a[0], a[1], **kw), ref.convolve(crop, b[0], b[1], **kw)
    diff = [[x - y for x, y in zip(r1, r2)] for r1, r2 in zip(first, second)]
    flat = [(abs(d), (r, c)) for r, row in enumerate(diff) for c, d in enumerate(row)]
    largest = max(m for m, _ in flat)
    at = next(pos for m, pos in flat if m == largest) if largest else None
    return diff, sum(1 for m, _ in flat if m), largest, at


@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_sobel_against_scharr_quarter(crop, output_range):
    a = engine.JobOptions(kernel=SOBEL, output_range=output_range)
    b = engine.JobOptions(kernel=SCHARR, weight=0.25, output_range=output_range)
    result = compare(crop, a, b)
    diff, differing, largest, at = plain_difference(crop, (SOBEL, 1.0), (SCHARR, 0.25), output_range=output_range)
    np.testing.assert_array_equal(result.difference, np.array(diff))
    assert (result.differing, result.largest, result.largest_at) == (differing, largest, at)
    assert differing > 0 and f"{differing} of {crop.size} pixels differ" in result.describe()


def test_clamped_difference_is_exact_in_int16(crop):
    result = compare(crop, engine.JobOptions(kernel=SOBEL), engine.JobOptions(kernel=[[-k for k in r] for r in SOBEL]))
    assert result.difference.dtype == np.int16
    assert result.difference.min() >= -255 and result.difference.max() <= 255


def test_identical_kernels_do_not_differ(crop):
    options = engine.JobOptions(kernel=engine.get_preset("Box blur 3x3").kernel, weight=1 / 9)
    result = compare(crop, options, options.with_changes())
    assert result.differing == 0 and result.largest == 0 and result.largest_at is None
    assert "identical" in result.describe()


def test_a_and_b_share_one_colour_scale(crop):
    a = engine.JobOptions(kernel=SOBEL, output_range="raw")
    b = engine.JobOptions(kernel=SCHARR, output_range="raw")
    result = compare(crop, a, b)
    lo, hi = result.levels
    for r in (result.a, result.b):
        assert lo <= r.convolved.min() and r.convolved.max() <= hi
    assert lo == -hi  # raw results: diverging around 0
    low, high = result.difference_levels
    assert low == -high and high >= result.largest
    clamped = compare(crop, a.with_changes(output_range="clamp"), b.with_changes(output_range="clamp"))
    assert clamped.levels == (0.0, 255.0)


def test_results_of_different_sizes_are_refused(crop):
    a = engine.JobOptions(kernel=SOBEL, border="valid")
    b = engine.JobOptions(kernel=engine.get_preset("Gaussian blur 5x5").kernel, border="valid")
    with pytest.raises(engine.OptionsError, match="22x20 result and B a 20x18"):
        compare(crop, a, b)


def test_progress_runs_through_both_jobs_and_cancel_stops(crop):
    seen = []
    compare(crop, engine.JobOptions(kernel=SOBEL), engine.JobOptions(kernel=SCHARR), progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and any(0 < f <= 0.5 for f in seen)
    with pytest.raises(engine.JobCancelled):
        compare(crop, engine.JobOptions(kernel=SOBEL), engine.JobOptions(kernel=SCHARR), cancelled=lambda: True)


def test_explain_both_gives_each_kernels_terms(crop):
    a, b = engine.JobOptions(kernel=SOBEL), engine.JobOptions(kernel=SCHARR)
    first, second = explain_both(crop, a, b, 4, 7)
    assert first == engine.explain_pixel(crop, a, 4, 7) and second == engine.explain_pixel(crop, b, 4, 7)
    result = compare(crop, a, b)
    assert first.stored - second.stored == result.difference[4, 7]
