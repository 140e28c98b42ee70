"""Display levels of a result: which values the ends of its colour map stand for, and how many pixels lie
beyond them.

Signed (raw) output is mostly small values with a few large ones (a Sobel filter on a photo: half within
+-10, the peak near +-1000), so its levels come from a robust statistic, a high percentile of |v| estimated
from a strided sample, instead of the peak; the pixels beyond the ends are counted, so the colour bar can
say how many were drawn in the end colours. Computed along with the job, off the GUI thread.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from .errors import OptionsError
from .images import display_levels

if TYPE_CHECKING:
    from .jobs import JobResult

#: The level choices: a percentile of |v| (the ends sit there; a few pixels lie beyond), or the full range.
LEVEL_CHOICES = ("99", "99.9", "full")
DEFAULT_CHOICE = "99"
#: About this many values are read to estimate a percentile: under a millisecond, whatever the image size.
SAMPLE_SIZE = 1 << 15
SAMPLE_RUN = 64  # neighbours read together: a few cache lines, so the sample costs what its size does
_GOLDEN = (math.sqrt(5) - 1) / 2
#: Up to this many pixels, the pixels beyond the ends are counted exactly (a few milliseconds); above, the
#: sample estimates their share (standard error about 0.06 points at 1%, for values independent of each other).
EXACT_COUNT_LIMIT = 1 << 20
#: A level stays while the next result's own level L' lies within [L / KEEP_RATIO, L]: colours keep their
#: meaning from one live edit to the next, and the colour bar need not be redrawn on every step.
KEEP_RATIO = 4.0
_NICE_STEPS = (1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


@dataclass(frozen=True)
class Levels:
    """The values at the low and high end of the colour map, and how many of ``total`` pixels lie below
    ``low`` or above ``high`` (drawn in the end colours)."""

    low: float
    high: float
    below: int = 0
    above: int = 0
    total: int = 0
    choice: str = "full"
    exact: bool = True  # False: below and above are estimated from a sample

    @property
    def bounds(self) -> tuple[float, float]:
        return (self.low, self.high)

    @property
    def beyond(self) -> int:
        return self.below + self.above

    def fraction(self, count: int) -> float:
        """``count`` as a fraction of all pixels (0 for an empty image)."""
        return count / self.total if self.total else 0.0


def round_up(value: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= value (1.0 for
    0): a colour bar end that reads well, at most 25% above the value."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for step in _NICE_STEPS:
        if step * power >= value * (1 - 1e-12):
            return float(step * power)
    return float(10.0 * power)


def sample(array: np.ndarray) -> np.ndarray:
    """All values up to SAMPLE_SIZE; above, SAMPLE_SIZE / SAMPLE_RUN runs of SAMPLE_RUN neighbours in memory
    (read at memory speed): the k-th run starts on a row k / runs of the way down, at a column the golden
    ratio's sequence spreads evenly across the width (a run reaching the row's end goes on in the next)."""
    if array.size <= SAMPLE_SIZE:
        return array.reshape(-1)
    indices = _sample_indices(array.size, array.shape[0])
    if array.flags.c_contiguous:
        return array.reshape(-1)[indices]
    # a view in another layout (a layer's maps are stored map by map): reshape would copy the whole array
    return array[np.unravel_index(indices, array.shape)]


@functools.lru_cache(maxsize=8)
def _sample_indices(size: int, height: int) -> np.ndarray:
    """Where sample() reads in an array of ``size`` values in ``height`` rows (the same for every result of
    one image and options, so computed once)."""
    width = size // height
    count = SAMPLE_SIZE // SAMPLE_RUN
    k = np.arange(count, dtype=np.int64)
    starts = (k * height // count) * width + ((k * _GOLDEN) % 1.0 * width).astype(np.int64)
    indices = np.minimum(starts[:, None] + np.arange(SAMPLE_RUN), size - 1).reshape(-1)
    indices.flags.writeable = False
    return indices


def magnitude_percentile(values: np.ndarray, percentile: float) -> float:
    """The ``percentile``-th percentile of |v| over ``values`` (nearest rank: the smallest |v| with at
    least that share of the values at or below it)."""
    if values.size == 0:
        return 0.0
    values = values.reshape(-1)
    # floats keep their dtype (an order statistic needs no widening); integers widen, as |min| may overflow
    magnitudes = np.abs(values if values.dtype.kind == "f" else values.astype(np.float64))
    rank = min(max(math.ceil(percentile / 100.0 * magnitudes.size) - 1, 0), magnitudes.size - 1)
    return float(np.partition(magnitudes, rank)[rank])


def count_beyond(array: np.ndarray, low: float, high: float,
                 value_range: tuple[float, float] | None = None) -> tuple[int, int]:
    """(pixels < low, pixels > high); ``value_range`` = the array's (min, max) when known skips a pass for
    an end nothing crosses."""
    lo, hi = value_range if value_range is not None else (None, None)
    below = 0 if lo is not None and lo >= low else int(np.count_nonzero(array < low))
    above = 0 if hi is not None and hi <= high else int(np.count_nonzero(array > high))
    return below, above


def check_choice(choice: str) -> str:
    """``choice`` if it is one of LEVEL_CHOICES, else OptionsError."""
    if choice not in LEVEL_CHOICES:
        raise OptionsError(f"levels must be one of {', '.join(LEVEL_CHOICES)}, not {choice!r}")
    return choice


def signed_levels(array: np.ndarray, choice: str = DEFAULT_CHOICE, value_range: tuple[float, float] | None = None,
                  previous: float | None = None) -> Levels:
    """Levels +-L centred on 0 for signed values. L is the chosen percentile of |v| rounded up by round_up
    (``choice`` '99' or '99.9'), or the peak |v| rounded up ('full'; also when the percentile is 0 but some
    values are not). ``previous`` (the L shown now) is kept while the new L lies within [previous /
    KEEP_RATIO, previous]."""
    check_choice(choice)
    if value_range is None:
        value_range = (float(array.min()), float(array.max())) if array.size else (0.0, 0.0)
    peak = max(abs(value_range[0]), abs(value_range[1]))
    values = sample(array)
    level = 0.0 if choice == "full" else magnitude_percentile(values, float(choice))
    bound = round_up(level if level > 0 else peak)
    if previous is not None and previous / KEEP_RATIO <= bound <= previous:
        bound = previous
    return levels_beyond(array, -bound, bound, value_range, choice, values)


def levels_beyond(array: np.ndarray, low: float, high: float, value_range: tuple[float, float] | None = None,
                  choice: str = "full", values: np.ndarray | None = None) -> Levels:
    """Levels low..high with the pixels beyond them counted (estimated from ``values``, the array's
    sample, above EXACT_COUNT_LIMIT pixels)."""
    if array.size <= EXACT_COUNT_LIMIT:
        below, above = count_beyond(array, low, high, value_range)
        return Levels(low, high, below, above, int(array.size), choice)
    values = sample(array) if values is None else values
    below, above = count_beyond(values, low, high, value_range)
    scale = array.size / values.size
    return Levels(low, high, round(below * scale), round(above * scale), int(array.size), choice, exact=False)


def plain_levels(array: np.ndarray, value_range: tuple[float, float] | None = None) -> Levels:
    """Gray levels: 0..255 for 8-bit data, the data's own range otherwise (nothing lies beyond)."""
    low, high = display_levels(array, False, value_range)
    return Levels(low, high, 0, 0, int(array.size), "full")


def result_levels(result: "JobResult", signed: bool, choice: str = DEFAULT_CHOICE,
                  previous: float | None = None) -> dict[str, Levels]:
    """Levels of a job's convolved and pooled images ('convolved', 'pooled'). Signed results share the
    convolved image's levels, so a value has one colour in both views (a max-pooled pixel has the colour of
    the convolved pixel it came from)."""
    if signed:
        conv = signed_levels(result.convolved, choice, result.convolved_range, previous)
    else:
        conv = plain_levels(result.convolved, result.convolved_range)
    levels = {"convolved": conv}
    if result.pooled is not None:
        if signed:
            levels["pooled"] = levels_beyond(result.pooled, conv.low, conv.high, choice=choice)
        else:
            levels["pooled"] = plain_levels(result.pooled)
    return levels
