"""What a kernel does before it runs: its sum and gain on a flat image, whether it is separable (and into which
column and row vectors), and its frequency response with a plain-words reading (engine.frequency).

Exact arithmetic: each entry (and the weight) is read as the rational number it was typed as: the simplest
fraction with a denominator up to 10**6 whose float is the entry (0.1 is 1/10, 0.3333333333333333 is 1/3),
or else the float's exact binary value. Sums, gains and the separability test use those rationals, so
Sobel's rank is exactly 1 and a random integer kernel's exactly 2 or 3, with no tolerance.

Separable vectors are written K = scale x column^T x row with column and row whole numbers without a common
factor (e.g. Sobel x = [1, 2, 1]^T x [-1, 0, 1]) and scale > 0. Signs: the column has no negative entry if
that is possible, else the row has none, else the column's first nonzero entry is positive.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .frequency import RESPONSE_SIZE, FrequencyResponse, frequency_response
from .kernels import format_kernel
from .numbers import format_number
from .options import _finite, _kernel_rows

Grid = tuple[tuple[float, ...], ...]
#: Largest denominator of the fraction an entry is read as (see the module docstring).
MAX_DENOMINATOR = 10 ** 6


def rational(x: float) -> Fraction:
    """The rational number a float was typed as: the nearest fraction with denominator <= MAX_DENOMINATOR
    if its float is x, otherwise x's exact value."""
    exact = Fraction(x)
    simple = exact.limit_denominator(MAX_DENOMINATOR)
    return simple if float(simple) == x else exact


def exact_rank(grid: list[list[Fraction]]) -> int:
    """The rank of a matrix of rationals, exactly: scaled to whole numbers, then eliminated in integers (each
    row divided by its gcd to keep the numbers small)."""
    common = math.lcm(*(v.denominator for row in grid for v in row))
    rows = [[int(v * common) for v in row] for row in grid]
    rank = 0
    for col in range(len(rows[0])):
        pivot = next((r for r in range(rank, len(rows)) if rows[r][col]), None)
        if pivot is None:
            continue
        rows[rank], rows[pivot] = rows[pivot], rows[rank]
        top = rows[rank]
        for r in range(rank + 1, len(rows)):
            if rows[r][col]:
                factor = rows[r][col]
                row = [a * top[col] - factor * b for a, b in zip(rows[r], top)]
                divisor = math.gcd(*row)
                rows[r] = [v // divisor for v in row] if divisor > 1 else row
        rank += 1
    return rank


def _primitive(vector: list[Fraction]) -> tuple[list[int], Fraction]:
    """(whole numbers a with gcd 1 and first nonzero entry positive, f) with vector == f * a."""
    denominators = math.lcm(*(v.denominator for v in vector))
    whole = [int(v * denominators) for v in vector]
    divisor = math.gcd(*whole)
    first = next(v for v in whole if v)
    if first < 0:
        divisor = -divisor
    return [v // divisor for v in whole], Fraction(divisor, denominators)


def separate(grid: list[list[Fraction]]) -> tuple[list[int], list[int], Fraction] | None:
    """(column, row, scale) with grid == scale * outer(column, row), normalised as the module docstring
    says, or None when the grid is not of rank <= 1. The zero kernel is 1 x zeros^T x zeros."""
    height, width = len(grid), len(grid[0])
    pivot = next(((p, q) for p in range(height) for q in range(width) if grid[p][q] != 0), None)
    if pivot is None:
        return [0] * height, [0] * width, Fraction(1)
    p, q = pivot
    # rank <= 1 iff every 2x2 minor through the pivot vanishes: K[i][j] K[p][q] == K[i][q] K[p][j]
    if any(grid[i][j] * grid[p][q] != grid[i][q] * grid[p][j] for i in range(height) for j in range(width)):
        return None
    column, column_factor = _primitive([grid[i][q] for i in range(height)])
    row, row_factor = _primitive([grid[p][j] / grid[p][q] for j in range(width)])
    scale = column_factor * row_factor
    if scale < 0:
        row, scale = [-v for v in row], -scale
    if min(column) < 0 and max(row) <= 0:  # the column cannot be made non-negative but the row can
        column, row = [-v for v in column], [-v for v in row]
    return column, row, scale


def best_rank_one(kernel: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """(column, row, relative error): the rank-one matrix outer(column, row) nearest to the kernel in the
    Frobenius norm (the SVD's first term, Eckart-Young), with ||K - outer||_F / ||K||_F. The column and row
    share sqrt(sigma_1); the column's largest entry (by magnitude, the first of equals) is positive."""
    u, s, vt = np.linalg.svd(kernel)
    column, row = u[:, 0] * math.sqrt(s[0]), vt[0] * math.sqrt(s[0])
    if column[int(np.argmax(np.abs(column)))] < 0:
        column, row = -column, -row
    norm = float(np.linalg.norm(kernel))
    error = float(np.linalg.norm(kernel - np.outer(column, row))) / norm if norm else 0.0
    return column, row, error


@dataclass(frozen=True)
class KernelAnalysis:
    """Everything engine.analysis says about a kernel and its weight. ``column``/``row``/``scale``: exact
    whole-number vectors when ``separable``, otherwise the best rank-one approximation (floats, scale 1)
    whose relative Frobenius error is ``rank_one_error``."""

    kernel: Grid
    weight: float
    exact_sum: Fraction
    exact_dc_gain: Fraction
    rank: int
    separable: bool
    column: tuple[float, ...]
    row: tuple[float, ...]
    scale: float
    rank_one_error: float
    frequency: FrequencyResponse

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.kernel), len(self.kernel[0]))

    @property
    def sum(self) -> float:
        """The sum of the kernel's entries (exact, then rounded once)."""
        return float(self.exact_sum)

    @property
    def dc_gain(self) -> float:
        """weight x sum: what the kernel multiplies a flat image by (before the offset)."""
        return float(self.exact_dc_gain)

    @property
    def rank_one(self) -> np.ndarray:
        """scale x outer(column, row): the kernel itself when separable, else its best rank-one approximation."""
        return self.scale * np.outer(np.array(self.column, dtype=np.float64), np.array(self.row, dtype=np.float64))

    def sum_text(self) -> str:
        return _exact(self.exact_sum)

    def dc_gain_text(self) -> str:
        """The DC gain as weight x sum = gain, e.g. "1/9 x 9 = 1"."""
        return f"{_exact(rational(self.weight))} x {_exact(self.exact_sum)} = {_exact(self.exact_dc_gain)}"

    def separability_text(self) -> str:
        h, w = self.shape
        if self.rank == 0:
            return "separable: every entry is 0 (rank 0)"
        if self.separable:
            scale = "" if self.scale == 1 else f"{_exact(rational(self.scale))} x "
            passes = f": a column pass then a row pass ({h} + {w} taps instead of {h * w})" if min(h, w) > 1 else ""
            return f"separable (rank 1): K = {scale}{_vector(self.column)}^T x {_vector(self.row)}{passes}"
        column = ", ".join(f"{v:.3g}" for v in self.column)
        row = ", ".join(f"{v:.3g}" for v in self.row)
        return (f"not separable (rank {self.rank}): the nearest rank-one kernel, [{column}]^T x [{row}], is off by "
                f"{100 * self.rank_one_error:.1f}% (relative Frobenius error)")

    def peak_text(self) -> str:
        f = self.frequency
        if f.peak == 0:
            return "no gain at any frequency"
        return (f"largest gain {f.peak:.4g} at (fx, fy) = ({f.peak_at[0]:g}, {f.peak_at[1]:g}) cycles/pixel; "
                f"gain at 0 (flat areas) {f.dc:.4g}")

    def describe(self) -> str:
        h, w = self.shape
        n = RESPONSE_SIZE
        return "\n".join([
            f"Kernel {h}x{w} \"{format_kernel(self.kernel)}\", weight {_exact(rational(self.weight))}",
            f"Sum of the entries: {self.sum_text()}; gain on a flat image (DC gain = weight x sum): "
            f"{self.dc_gain_text()}",
            _capital(self.separability_text()),
            f"Frequency response (|DFT| of weight x K, zero-padded to {n}x{n}): {self.frequency.reading()}",
            _capital(self.peak_text()),
            "Correlation vs convolution: Kernelscope correlates (no flip, like TensorFlow and PyTorch); "
            "convolving means correlating with K flipped in both axes, whose response has the same magnitude, "
            "so this reading holds for both; the outputs are the same for kernels the flip leaves unchanged "
            "(box, Gaussian, Laplacian) and opposite for kernels it negates (Sobel, Prewitt).",
        ])


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _exact(q: Fraction) -> str:
    """A rational as engine.numbers writes numbers: 3, -1/16, 0.1."""
    return format_number(float(q))


def _vector(values: tuple[float, ...]) -> str:
    return "[" + ", ".join(str(int(v)) for v in values) + "]"


@functools.lru_cache(maxsize=64)
def _analyse(kernel: Grid, weight: float) -> KernelAnalysis:
    grid = [[rational(v) for v in row] for row in kernel]
    exact_sum = sum((v for row in grid for v in row), Fraction(0))
    array = np.array(kernel, dtype=np.float64)
    split = separate(grid)
    if split is not None:
        column, row, scale = split
        column, row, scale, error = tuple(column), tuple(row), float(scale), 0.0
    else:
        fcolumn, frow, error = best_rank_one(array)
        column, row, scale = tuple(map(float, fcolumn)), tuple(map(float, frow)), 1.0
    return KernelAnalysis(
        kernel=kernel, weight=weight, exact_sum=exact_sum, exact_dc_gain=rational(weight) * exact_sum,
        rank=exact_rank(grid), separable=split is not None, column=column, row=row, scale=scale,
        rank_one_error=error, frequency=frequency_response(array * weight))


def kernel_analysis(kernel, weight: float = 1.0) -> KernelAnalysis:
    """Analyse a kernel (a grid of numbers, validated like JobOptions' kernel) and its weight. Results are
    remembered for recent kernels: live editing asks for the same ones again."""
    return _analyse(_kernel_rows(kernel), _finite("the weight", weight))
