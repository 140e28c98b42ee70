"""engine.analysis: sums and DC gain, exact separability, and the frequency response against plain references
(integer 2x2 minors, a 3x3 determinant, a DFT summed term by term with cmath, numpy.fft on a kernel padded
here)."""

import cmath
import dataclasses
import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.analysis import kernel_analysis, rational
from engine.frequency import RESPONSE_SIZE

SOBEL_X = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
LAPLACIAN = [[0, 1, 0], [1, -4, 1], [0, 1, 0]]
IDENTITY = [[0, 0, 0], [0, 1, 0], [0, 0, 0]]


def preset(name):
    p = engine.get_preset(name)
    return kernel_analysis(p.kernel, p.weight)


def minors_2x2(k):
    """Every 2x2 minor of an integer matrix, in integers."""
    h, w = len(k), len(k[0])
    return [k[a][c] * k[b][d] - k[a][d] * k[b][c]
            for a in range(h) for b in range(a + 1, h) for c in range(w) for d in range(c + 1, w)]


def rank_3x3(k):
    """The rank of a 3x3 integer matrix from its determinant and minors (plain integer arithmetic)."""
    det = (k[0][0] * (k[1][1] * k[2][2] - k[1][2] * k[2][1]) - k[0][1] * (k[1][0] * k[2][2] - k[1][2] * k[2][0])
           + k[0][2] * (k[1][0] * k[2][1] - k[1][1] * k[2][0]))
    if det:
        return 3
    if any(minors_2x2(k)):
        return 2
    return 1 if any(v for row in k for v in row) else 0


def plain_dft_magnitude(kernel, fx, fy):
    """|sum_rc K[r][c] exp(-2 pi i (fy r + fx c))|, term by term."""
    total = 0j
    for r, row in enumerate(kernel):
        for c, v in enumerate(row):
            total += v * cmath.exp(-2j * cmath.pi * (fy * r + fx * c))
    return abs(total)


# -- sum and gain on a flat image ----------------------------------------------------------------------
def test_laplacian_has_dc_gain_zero():
    a = kernel_analysis(LAPLACIAN)
    assert a.sum == 0 and a.dc_gain == 0


def test_normalized_box_blur_has_dc_gain_one():
    kernel = [[1] * 3] * 3
    a = kernel_analysis(kernel, engine.normalizing_weight(engine.JobOptions(kernel=kernel).kernel))
    assert a.sum == 9 and a.dc_gain == 1
    assert preset("Box blur 3x3").dc_gain == 1
    assert preset("Gaussian blur 5x5").dc_gain == 1


def test_dc_gain_is_weight_times_sum_of_the_typed_numbers():
    a = kernel_analysis([[0.1, 0.2], [0.3, 0.4]], 0.5)
    assert a.exact_sum == Fraction(1) and a.exact_dc_gain == Fraction(1, 2)
    assert kernel_analysis([[1, 1, 1, 1, 1]], 0.2).dc_gain == 1  # 0.2 is read as 1/5


def test_entries_are_read_as_the_numbers_they_were_typed_as():
    assert rational(0.1) == Fraction(1, 10)
    assert rational(1 / 3) == Fraction(1, 3)
    assert rational(-2.5) == Fraction(-5, 2)
    assert rational(2.0 ** -30) == Fraction(1, 2 ** 30)  # no simple fraction: its exact value
    assert rational(np.pi) == Fraction(np.pi)


# -- separability ----------------------------------------------------------------------------------
@pytest.mark.parametrize("name, column, row", [
    ("Sobel x", (1, 2, 1), (-1, 0, 1)),
    ("Sobel y", (-1, 0, 1), (1, 2, 1)),
    ("Prewitt x", (1, 1, 1), (-1, 0, 1)),
    ("Prewitt y", (-1, 0, 1), (1, 1, 1)),
    ("Scharr x", (3, 10, 3), (-1, 0, 1)),
    ("Gaussian blur 3x3", (1, 2, 1), (1, 2, 1)),
    ("Gaussian blur 5x5", (1, 4, 6, 4, 1), (1, 4, 6, 4, 1)),
    ("Box blur 3x3", (1, 1, 1), (1, 1, 1)),
    ("Identity", (0, 1, 0), (0, 1, 0)),
])
def test_separable_presets_give_their_column_and_row_vectors(name, column, row):
    a = preset(name)
    assert a.separable and a.rank == 1 and a.rank_one_error == 0
    assert (a.column, a.row, a.scale) == (column, row, 1)
    kernel = engine.get_preset(name).kernel
    assert all(kernel[i][j] == column[i] * row[j] for i in range(len(column)) for j in range(len(row)))


@pytest.mark.parametrize("kernel, column, row, scale", [
    ([[2, 4, 2], [4, 8, 4], [2, 4, 2]], (1, 2, 1), (1, 2, 1), 2),  # the common factor goes to the scale
    ([[-1, -1], [-1, -1]], (1, 1), (-1, -1), 1),  # the column non-negative, the sign in the row
    ([[1, -1], [-1, 1]], (1, -1), (1, -1), 1),  # neither can be non-negative: column starts positive
    ([[-1, 1], [1, -1]], (1, -1), (-1, 1), 1),
    ([[0.1, 0.2], [0.3, 0.6]], (1, 3), (1, 2), 0.1),  # rationals: whole-number vectors times a scale
    ([[1 / 3, 1], [2 / 3, 2]], (1, 2), (1, 3), 1 / 3),
    ([[0, 0], [0, 5]], (0, 1), (0, 1), 5),
    ([[3, 6, 9]], (1,), (1, 2, 3), 3),
])
def test_separable_vectors_are_normalised_as_documented(kernel, column, row, scale):
    a = kernel_analysis(kernel)
    assert a.separable and (a.column, a.row) == (column, row)
    assert a.scale == pytest.approx(scale, rel=1e-15)
    assert np.allclose(a.rank_one, kernel, rtol=1e-15, atol=0)


def test_the_zero_kernel_is_separable_with_rank_zero():
    a = kernel_analysis([[0, 0], [0, 0]])
    assert a.separable and a.rank == 0 and not np.any(a.rank_one)
    assert "rank 0" in a.describe()


def test_a_random_integer_kernel_is_not_separable():
    rng = np.random.default_rng(17)
    kernel = rng.integers(-9, 10, (3, 3)).tolist()
    reference_rank = rank_3x3(kernel)
    assert reference_rank >= 2 and any(minors_2x2(kernel))  # the seed gives a kernel that is not rank one
    a = kernel_analysis(kernel)
    assert not a.separable and a.rank == reference_rank


def test_random_kernels_are_separable_exactly_when_every_2x2_minor_is_zero():
    rng = np.random.default_rng(3)
    for _ in range(200):
        h, w = (int(v) for v in rng.integers(1, 5, 2))
        if rng.random() < 0.5:
            kernel = np.outer(rng.integers(-4, 5, h), rng.integers(-4, 5, w)).tolist()
        else:
            kernel = rng.integers(-4, 5, (h, w)).tolist()
        a = kernel_analysis(kernel)
        assert a.separable == (not any(minors_2x2(kernel))), kernel
        if a.separable:
            assert np.array_equal(a.rank_one, np.array(kernel, dtype=float)), kernel


def test_best_rank_one_approximation_and_its_relative_error():
    kernel = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    a = kernel_analysis(kernel)
    k = np.array(kernel, dtype=float)
    approx = a.rank_one
    assert np.linalg.matrix_rank(approx) == 1
    error = np.sqrt(((k - approx) ** 2).sum() / (k ** 2).sum())
    assert a.rank_one_error == pytest.approx(error, rel=1e-9)
    # nearest in the Frobenius norm: no other rank-one kernel built from the kernel's own rows and columns,
    # at their best scale, comes closer
    for i in range(3):
        for j in range(3):
            candidate = np.outer(k[:, j], k[i]) / k[i, j]
            scale = (candidate * k).sum() / (candidate ** 2).sum()
            assert np.sqrt(((k - scale * candidate) ** 2).sum() / (k ** 2).sum()) >= a.rank_one_error - 1e-12
    assert f"{100 * a.rank_one_error:.1f}%" in a.describe()


# -- frequency response ----------------------------------------------------------------------------
@pytest.mark.parametrize("kernel, weight", [(SOBEL_X, 1.0), ([[1] * 3] * 3, 1 / 9), ([[1, 2], [3, 5], [7, 11]], 0.5)])
def test_response_is_the_magnitude_of_numpy_fft_of_the_padded_kernel(kernel, weight):
    a = kernel_analysis(kernel, weight)
    padded = np.zeros((64, 64))
    weighted = np.array(kernel, dtype=float) * weight
    padded[:weighted.shape[0], :weighted.shape[1]] = weighted
    expected = np.abs(np.fft.fftshift(np.fft.fft2(padded)))
    f = a.frequency
    assert RESPONSE_SIZE == 64 and np.array_equal(f.frequencies, np.arange(-32, 32) / 64)
    np.testing.assert_allclose(f.response, expected, rtol=1e-12, atol=1e-12)
    centre = 32  # the frequency 0
    np.testing.assert_array_equal(f.cut_x, f.response[centre])
    np.testing.assert_array_equal(f.cut_y, f.response[:, centre])
    assert f.dc == pytest.approx(a.dc_gain, abs=1e-12)


def test_response_matches_a_dft_summed_term_by_term():
    a = kernel_analysis(SOBEL_X)
    for fy_index in range(0, 64, 7):
        for fx_index in range(0, 64, 5):
            fx, fy = (fx_index - 32) / 64, (fy_index - 32) / 64
            assert a.frequency.response[fy_index, fx_index] == pytest.approx(plain_dft_magnitude(SOBEL_X, fx, fy),
                                                                             abs=1e-9)
    # Sobel x along x: |H(fx, 0)| = 4 * 2 |sin(2 pi fx)|, the largest gain 8 at fx = 1/4
    assert a.frequency.peak == pytest.approx(8) and a.frequency.peak_at == (0.25, 0.0)


def test_flipped_kernel_has_the_same_response_magnitude():
    kernel = [[1, 2, 0], [-3, 5, 7], [0, 4, -2]]
    flipped = [row[::-1] for row in kernel[::-1]]
    np.testing.assert_allclose(kernel_analysis(flipped).frequency.response, kernel_analysis(kernel).frequency.response,
                               rtol=1e-12, atol=1e-12)


# -- plain-words reading ---------------------------------------------------------------------------
@pytest.mark.parametrize("kernel, kind", [
    ([[1] * 3] * 3, "low-pass"),
    (engine.get_preset("Gaussian blur 5x5").kernel, "low-pass"),
    (LAPLACIAN, "high-pass"),
    (engine.get_preset("Outline").kernel, "high-pass"),
    (engine.get_preset("Sharpen").kernel, "high-pass"),
    (SOBEL_X, "band-pass"),
    (IDENTITY, "all-pass"),
    ([[0, 0], [0, 3]], "all-pass"),
    ([[0, 0], [0, 0]], "zero"),
])
def test_reading_names_the_kind_of_filter(kernel, kind):
    f = kernel_analysis(kernel).frequency
    assert f.kind == kind
    assert f.reading().startswith(kind)


@pytest.mark.parametrize("kernel, direction, words", [
    (SOBEL_X, 0, "along x"),
    (engine.get_preset("Sobel y").kernel, 90, "along y"),
    (engine.get_preset("Prewitt x").kernel, 0, "vertical edges"),
    ([[1, 1, 1, 1, 1]], 90, "along y"),  # a horizontal blur smooths along x, keeps changes along y
    (engine.get_preset("Emboss").kernel, 45, "top left to bottom right"),
])
def test_reading_gives_the_direction_a_kernel_responds_to(kernel, direction, words):
    f = kernel_analysis(kernel).frequency
    assert f.direction == pytest.approx(direction)
    assert words in f.reading() and "directional" in f.reading()


@pytest.mark.parametrize("kernel", [[[1] * 3] * 3, LAPLACIAN, IDENTITY, engine.get_preset("Gaussian blur 3x3").kernel])
def test_symmetric_kernels_are_not_directional(kernel):
    f = kernel_analysis(kernel).frequency
    assert f.direction is None and "directional" not in f.reading()


def test_describe_says_it_all_in_words():
    text = preset("Sobel x").describe()
    assert "DC gain" in text and "[1, 2, 1]^T x [-1, 0, 1]" in text
    assert "along x" in text and "band-pass" in text and "flipped" in text
    box = preset("Box blur 3x3").describe()
    assert "weight 1/9" in box and "low-pass" in box


# -- a value object ----------------------------------------------------------------------------------
def test_analysis_is_immutable():
    a = kernel_analysis(SOBEL_X)
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.weight = 2.0
    with pytest.raises(ValueError):
        a.frequency.response[0, 0] = 1.0


@pytest.mark.parametrize("kernel, weight", [([[1, 2], [3]], 1.0), ([], 1.0), ([[1]], float("nan")), ([[1]], "2")])
def test_bad_kernels_and_weights_raise_options_errors(kernel, weight):
    with pytest.raises(engine.OptionsError):
        kernel_analysis(kernel, weight)


_vectors = st.lists(st.integers(-6, 6), min_size=1, max_size=7).filter(any)


@settings(max_examples=80, deadline=None)
@given(a=_vectors, b=_vectors, numerator=st.integers(1, 9), denominator=st.sampled_from([1, 2, 3, 4, 5, 10]))
def test_outer_products_split_into_normalised_whole_vectors(a, b, numerator, denominator):
    scale = Fraction(numerator, denominator)
    kernel = [[float(scale * x * y) for y in b] for x in a]
    result = kernel_analysis(kernel)
    assert result.separable and result.rank == 1 and result.scale > 0
    assert math.gcd(*result.column) == 1 and math.gcd(*result.row) == 1
    assert all(rational(result.scale) * c * r == rational(kernel[i][j])
               for i, c in enumerate(result.column) for j, r in enumerate(result.row))
    if min(a) >= 0 or max(a) <= 0:  # the column can be non-negative, so it is
        assert min(result.column) >= 0
    elif min(b) >= 0 or max(b) <= 0:
        assert min(result.row) >= 0
    else:
        assert next(v for v in result.column if v) > 0
