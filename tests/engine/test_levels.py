"""engine.levels: display levels of signed results against plain counting and sorting."""

import math
import random

import numpy as np
import pytest

import engine
from engine import levels as L


def nearest_rank(values, percentile):
    """The textbook nearest-rank percentile of |v|: sort, take the ceil(p/100 * n)-th."""
    ordered = sorted(abs(float(v)) for v in values)
    rank = max(1, math.ceil(percentile / 100 * len(ordered)))
    return ordered[rank - 1]


@pytest.mark.parametrize("seed", range(30))
def test_percentile_of_magnitudes_is_the_nearest_rank(seed):
    rng = random.Random(seed)
    values = np.array([rng.uniform(-1000, 1000) if rng.random() < 0.7 else rng.randint(-3, 3)
                       for _ in range(rng.randint(1, 400))], dtype=np.float32)
    for p in (50.0, 99.0, 99.9, 100.0):
        assert L.magnitude_percentile(values, p) == nearest_rank(values, p)


@pytest.mark.parametrize("seed", range(30))
def test_pixels_beyond_the_ends_are_counted_one_by_one(seed):
    rng = np.random.default_rng(seed)
    data = (rng.standard_normal((rng.integers(1, 40), rng.integers(1, 40))) * 300).astype(np.float32)
    levels = L.signed_levels(data)
    below = sum(1 for v in data.ravel().tolist() if v < levels.low)
    above = sum(1 for v in data.ravel().tolist() if v > levels.high)
    assert (levels.below, levels.above, levels.total) == (below, above, data.size) and levels.exact
    assert levels.low == -levels.high


def test_round_up_picks_the_next_nice_number():
    nice = sorted({m * 10.0 ** e for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8) for e in range(-3, 8)})
    for value in (0.0013, 0.7, 1.0, 7.3, 99.0, 101.0, 478.0, 1e6 + 1):
        assert L.round_up(value) == min(n for n in nice if n >= value * (1 - 1e-12))
    assert L.round_up(0.0) == 1.0 and L.round_up(float("nan")) == 1.0


def test_levels_sit_at_the_chosen_percentile_and_count_the_rest():
    data = np.concatenate([np.linspace(-100, 100, 9900), [5000.0] * 60, [-3000.0] * 40]).astype(np.float32)
    levels = L.signed_levels(data.reshape(100, 100), "99")
    assert levels.high == L.round_up(nearest_rank(data, 99)) == 100.0
    assert (levels.below, levels.above) == (40, 60)
    full = L.signed_levels(data.reshape(100, 100), "full")
    assert full.high == 5000.0 and full.beyond == 0


def test_all_zero_and_sparse_results_still_get_usable_levels():
    zeros = np.zeros((10, 10), np.float32)
    assert L.signed_levels(zeros).bounds == (-1.0, 1.0)
    sparse = zeros.copy()
    sparse[3, 3] = -7.0  # the 99th percentile of |v| is 0: fall back to the peak so the pixel shows
    levels = L.signed_levels(sparse)
    assert levels.bounds == (-8.0, 8.0) and levels.beyond == 0


def test_levels_stay_while_the_new_level_fits_within_a_quarter_of_the_shown_one():
    def level(peak):
        return L.signed_levels(np.full((4, 4), peak, np.float32), "99", previous=shown[-1] if shown else None)

    shown = []
    for peak in (800.0, 700.0, 990.0, 2000.0, 600.0, 100.0):
        shown.append(level(peak).high)
    assert shown == [800.0, 800.0, 1000.0, 2000.0, 2000.0, 100.0]


def test_a_big_result_estimates_its_share_beyond_from_a_sample():
    rng = np.random.default_rng(1)
    data = (rng.standard_normal((1500, 1500)) * 100).astype(np.float32)  # over EXACT_COUNT_LIMIT pixels
    levels = L.signed_levels(data)
    assert not levels.exact
    true_share = np.count_nonzero(np.abs(data) > levels.high) / data.size
    assert abs(levels.fraction(levels.beyond) - true_share) < 0.002
    true_p99 = np.sort(np.abs(data).ravel())[math.ceil(0.99 * data.size) - 1]
    assert true_p99 <= levels.high <= L.round_up(true_p99 * 1.02)


@pytest.mark.parametrize("shape", [(1500, 1500), (4096, 300), (300, 4096), (2048, 2048)])
def test_the_sample_spreads_over_every_part_of_a_structured_image(shape):
    h, w = shape
    columns = np.broadcast_to(np.arange(w, dtype=np.float32), shape)  # |v| grows to the right
    rows = np.broadcast_to(np.arange(h, dtype=np.float32)[:, None], shape)  # and downwards
    for data, size in ((columns, w), (rows, h)):
        data = np.ascontiguousarray(data)
        assert abs(L.magnitude_percentile(L.sample(data), 99) - 0.99 * size) <= 0.01 * size
        assert abs(L.magnitude_percentile(L.sample(data), 50) - 0.5 * size) <= 0.01 * size


def test_result_levels_share_the_convolved_levels_with_the_pooled_view(ascent):
    options = engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel, output_range="raw")
    result = engine.run_job(ascent, options)
    levels = L.result_levels(result, signed=True)
    conv, pooled = levels["convolved"], levels["pooled"]
    assert pooled.bounds == conv.bounds
    assert pooled.above == int(np.count_nonzero(result.pooled > conv.high))
    assert conv.high < float(np.abs(result.convolved).max()) / 1.5  # the bulk sets the levels, not the peak
    clamp = L.result_levels(engine.run_job(ascent, options.with_changes(output_range="clamp")), signed=False)
    assert clamp["convolved"].bounds == (0.0, 255.0) and clamp["convolved"].beyond == 0


def test_an_unknown_choice_is_refused():
    with pytest.raises(engine.OptionsError):
        L.signed_levels(np.zeros((2, 2), np.float32), "95")


def test_a_sample_of_maps_stored_map_by_map_reads_the_same_values_as_of_the_array_in_row_order():
    """A layer's maps are an H x W x C view of C stored planes; the sample must be the one the values in
    row order give (taken without copying the array)."""
    planes = np.random.default_rng(2).normal(size=(5, 300, 200)).astype(np.float32)
    maps = planes.transpose(1, 2, 0)  # H x W x C, not C-contiguous
    assert not maps.flags.c_contiguous and maps.size > L.SAMPLE_SIZE
    rowwise = np.ascontiguousarray(maps).reshape(-1)
    want = rowwise[L._sample_indices(maps.size, maps.shape[0])]
    assert np.array_equal(L.sample(maps), want)
    assert L.signed_levels(maps) == L.signed_levels(np.ascontiguousarray(maps))
