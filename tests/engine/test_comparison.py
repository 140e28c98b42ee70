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


def run_steps(generator):
    progress = []
    try:
        while True:
            progress.append(next(generator))
    except StopIteration as done:
        return done.value, progress


def test_compare_steps_equals_compare_and_reuses_only_matching_results(crop):
    a = engine.JobOptions(kernel=SOBEL, output_range="raw")
    b = engine.JobOptions(kernel=SCHARR, output_range="raw")
    whole = compare(crop, a, b)
    stepped, progress = run_steps(engine.compare_steps(crop, a, b))
    np.testing.assert_array_equal(stepped.difference, whole.difference)
    assert (stepped.differing, stepped.largest, stepped.largest_at) == (whole.differing, whole.largest, whole.largest_at)
    assert progress == sorted(progress) and 0 <= progress[0] and progress[-1] <= 1
    again, progress = run_steps(engine.compare_steps(crop, a, b, stepped.a, stepped.b))
    assert again.a is stepped.a and again.b is stepped.b and progress == []
    other = engine.JobOptions(kernel=SOBEL, output_range="clamp")
    fresh, _ = run_steps(engine.compare_steps(crop, other, b, stepped.a, None))  # A's result is of other options
    assert fresh.a is not stepped.a and fresh.a.options == other
    copy, _ = run_steps(engine.compare_steps(crop.copy(), a, b, stepped.a))  # another image (equal values)
    assert copy.a is not stepped.a


def test_incomparable_sizes_are_refused_before_any_work(crop):
    a = engine.JobOptions(kernel=engine.get_preset("Gaussian blur 5x5").kernel, border="valid")
    b = engine.JobOptions(kernel=SOBEL, border="valid")
    with pytest.raises(engine.OptionsError, match="cannot be compared"):
        engine.check_comparable(crop.shape, a, b)
    with pytest.raises(engine.OptionsError, match="cannot be compared"):
        next(engine.compare_steps(crop, a, b))


def test_next_differing_walks_the_differing_pixels_in_raster_order(crop):
    result = compare(crop, engine.JobOptions(kernel=SOBEL), engine.JobOptions(kernel=SCHARR, weight=0.25))
    diff, *_ = plain_difference(crop, (SOBEL, 1.0), (SCHARR, 0.25))
    differing = [(r, c) for r, row in enumerate(diff) for c, d in enumerate(row) if d]
    assert 2 < len(differing) < crop.size
    for start in [(0, 0), differing[0], differing[len(differing) // 2], differing[-1]]:
        later = [p for p in differing if p > start]
        assert result.next_differing(*start) == (later[0] if later else differing[0])
    same = compare(crop, engine.JobOptions(kernel=SOBEL), engine.JobOptions(kernel=SOBEL))
    assert same.next_differing(0, 0) is None


@pytest.mark.parametrize("choice", ["99", "full"])
def test_comparison_levels_share_one_scale_and_count_what_lies_beyond(crop, choice):
    a = engine.JobOptions(kernel=SOBEL, output_range="raw")
    b = engine.JobOptions(kernel=SCHARR, output_range="raw")
    result = compare(crop, a, b)
    levels = engine.comparison_levels(result, True, choice)
    assert levels.a.bounds == levels.b.bounds and levels.a.low == -levels.a.high
    magnitudes = [sorted(abs(float(v)) for v in r.convolved.ravel()) for r in (result.a, result.b)]
    rank = {"99": lambda m: m[-(-99 * len(m) // 100) - 1], "full": lambda m: m[-1]}[choice]
    assert levels.a.high >= max(rank(m) for m in magnitudes)
    assert levels.a.high == max(engine.signed_levels(r.convolved, choice).high for r in (result.a, result.b))
    for shown, r in ((levels.a, result.a), (levels.b, result.b)):
        values = r.convolved.ravel().tolist()
        assert (shown.below, shown.above) == (sum(v < shown.low for v in values), sum(v > shown.high for v in values))
    d = levels.difference
    assert d.low == -d.high and d.high >= (rank(sorted(abs(float(v)) for v in result.difference.ravel())))
    clamped = compare(crop, a.with_changes(output_range="clamp"), b.with_changes(output_range="clamp"))
    plain = engine.comparison_levels(clamped, False, choice)
    assert plain.a.bounds == plain.b.bounds == (0.0, 255.0) and plain.a.beyond == plain.b.beyond == 0


def test_results_with_several_maps_say_where_the_largest_difference_is(crop):
    rgb = np.stack([crop, crop[::-1], crop[:, ::-1]], axis=2)
    result = compare(rgb, engine.JobOptions(kernel=SOBEL), engine.JobOptions(kernel=SCHARR, weight=0.25))
    per_map = [plain_difference(rgb[:, :, k], (SOBEL, 1.0), (SCHARR, 0.25)) for k in range(3)]
    assert result.differing == sum(p[1] for p in per_map)
    largest = max(p[2] for p in per_map)
    row, col, k = result.largest_at
    assert result.largest == largest and abs(per_map[k][0][row][col]) == largest
    assert f"{result.differing} of {rgb.size} values (pixels x maps) differ" in result.describe()
    assert f"at row {row}, column {col}, map {k + 1}" in result.describe()


def plain_pooled(crop, kernel, weight, op, size, stride, output_range):
    return ref.pool(ref.convolve(crop, kernel, weight, output_range=output_range), op, size, stride)


@pytest.mark.parametrize("op, size, stride", [("max", 2, 2), ("avg", 2, 2), ("min", 3, 2), ("max", 2, 3)])
@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_pooled_outputs_are_compared_too(crop, op, size, stride, output_range):
    pool = engine.PoolOptions(op, size, stride)
    a = engine.JobOptions(kernel=SOBEL, output_range=output_range, pool=pool)
    b = engine.JobOptions(kernel=SCHARR, weight=0.25, output_range=output_range, pool=pool)
    result = compare(crop, a, b)
    first = plain_pooled(crop, SOBEL, 1.0, op, size, stride, output_range)
    second = plain_pooled(crop, SCHARR, 0.25, op, size, stride, output_range)
    diff = [[x - y for x, y in zip(r1, r2)] for r1, r2 in zip(first, second)]
    flat = [(abs(d), (r, c)) for r, row in enumerate(diff) for c, d in enumerate(row)]
    largest = max(m for m, _ in flat)
    pooled = result.pooled
    np.testing.assert_array_equal(pooled.a, np.array(first))
    np.testing.assert_array_equal(pooled.b, np.array(second))
    np.testing.assert_array_equal(pooled.difference, np.array(diff))
    assert pooled.differing == sum(1 for m, _ in flat if m) > 0
    assert pooled.largest == largest and pooled.largest_at == next(p for m, p in flat if m == largest)
    assert pooled.describe().startswith(f"pooled ({op} {size}x{size}, stride {stride}): {pooled.differing} of {len(diff) * len(diff[0])} pixels differ")
    if output_range == "clamp" and op != "avg":
        assert pooled.difference.dtype == np.int16  # two uint8 outputs: exact
    # the convolved comparison is unchanged by pooling
    np.testing.assert_array_equal(result.difference, compare(crop, a.with_changes(pool=None),
                                                              b.with_changes(pool=None)).difference)


def test_without_pooling_there_is_no_pooled_comparison(crop):
    result = compare(crop, engine.JobOptions(kernel=SOBEL, pool=None), engine.JobOptions(kernel=SCHARR, pool=None))
    assert result.pooled is None and engine.comparison_levels(result, False).pooled is None
    assert engine.pooled_pixel(result, 3, 3) is None and engine.explain_pooled_both(result, 3, 3) is None
    assert engine.pooled_placement(result) is None


def test_equal_pooled_outputs_are_identical_though_the_convolved_differ(crop):
    pool = engine.PoolOptions("max", 2)
    a = engine.JobOptions(kernel=SOBEL, pool=pool)
    b = a.with_changes(kernel=[[v * 2 for v in row] for row in SOBEL], weight=0.5)  # the same values
    result = compare(crop, a, b)
    assert result.pooled.differing == 0 and "pooled A and B (max 2x2, stride 2) are identical" in result.pooled.describe()


@pytest.mark.parametrize("signed, output_range", [(True, "raw"), (False, "clamp")])
def test_pooled_a_and_b_share_the_convolved_scale(crop, signed, output_range):
    pool = engine.PoolOptions("max", 2)
    a = engine.JobOptions(kernel=SOBEL, output_range=output_range, pool=pool)
    b = engine.JobOptions(kernel=SCHARR, output_range=output_range, pool=pool)
    result = compare(crop, a, b)
    levels = engine.comparison_levels(result, signed, "99")
    for shown, values in ((levels.pooled.a, result.pooled.a), (levels.pooled.b, result.pooled.b)):
        assert shown.bounds == levels.a.bounds == levels.b.bounds
        plain = values.ravel().tolist()
        assert (shown.below, shown.above) == (sum(v < shown.low for v in plain), sum(v > shown.high for v in plain))
    d = levels.pooled.difference
    magnitudes = sorted(abs(float(v)) for v in result.pooled.difference.ravel())
    assert d.low == -d.high and d.high >= magnitudes[-(-99 * len(magnitudes) // 100) - 1]


@pytest.mark.parametrize("size, stride", [(2, 2), (3, 2), (2, 3)])
def test_pooled_pixel_is_the_window_drawn_over_the_convolved_pixel(crop, size, stride):
    pool = engine.PoolOptions("max", size, stride)
    a = engine.JobOptions(kernel=SOBEL, pool=pool)
    b = engine.JobOptions(kernel=SCHARR, pool=pool)
    result = compare(crop, a, b)
    conv_a = ref.convolve(crop, SOBEL)
    windows = ref.pool_windows(conv_a, size, stride)
    columns = len(ref.pool(conv_a, "max", size, stride)[0])
    for row in range(len(conv_a)):
        for col in range(len(conv_a[0])):
            # drawn over: the stride x stride block from a window's corner; it must also hold the pixel
            found = [(k // columns, k % columns) for k, ((top, left), _) in enumerate(windows)
                     if top <= row < top + stride and left <= col < left + stride
                     and top <= row < top + size and left <= col < left + size]
            assert engine.pooled_pixel(result, row, col) == (found[0] if found else None)
    explained = engine.explain_pooled_both(result, 4, 3)
    pixel = engine.pooled_pixel(result, 4, 3)
    pooled_b = ref.pool(ref.convolve(crop, SCHARR), "max", size, stride)
    assert explained[0].result == ref.pool(conv_a, "max", size, stride)[pixel[0]][pixel[1]]
    assert explained[1].result == pooled_b[pixel[0]][pixel[1]]
