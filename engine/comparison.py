"""Two kernels (any two job options) on the same image: both results, their difference A - B, how many
pixels differ and by how much, and one colour scale shared by A and B so equal values look equal; when the
options pool, the same for the pooled outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Generator

import numpy as np

from .errors import OptionsError
from .explain import PixelExplanation, PoolExplanation
from .geometry import Geometry, Placement
from .images import check_channels_image, display_levels
from .jobs import JobResult, job_steps, run_job
from .layer_explain import explain_pixel, explain_pool
from .levels import DEFAULT_CHOICE, Levels, levels_beyond, signed_levels
from .options import JobOptions, PoolOptions


class _Differences:
    """What a comparison says about one pair of arrays: ``difference`` (A - B), ``differing``, ``largest``
    and ``largest_at`` (row, col[, map]) of the first value (row-major) with that difference."""

    difference: np.ndarray
    differing: int
    largest: float
    largest_at: tuple[int, ...] | None
    what = "A and B"

    def describe(self) -> str:
        total = self.difference.size
        unit = "pixels" if self.difference.ndim == 2 else "values (pixels x maps)"
        if not self.differing:
            return f"{self.what} are identical on all {total} {unit}"
        row, col, *layer = self.largest_at
        where = f"row {row}, column {col}" + (f", map {layer[0] + 1}" if layer else "")
        return (f"{self.differing} of {total} {unit} differ ({100 * self.differing / total:.1f}%); the largest "
                f"difference is {self.largest:g} (A - B = {float(self.difference[self.largest_at]):g} at {where})")

    def next_differing(self, row: int, col: int) -> tuple[int, int] | None:
        """The first pixel after (row, col) in raster order where A and B differ (in any map), wrapping
        round to the first; None when they are identical."""
        if not self.differing:
            return None
        height, width = self.difference.shape[:2]
        rows_cols = self.difference if self.difference.ndim == 2 else np.any(self.difference, axis=2)
        found = np.flatnonzero(rows_cols)
        after = np.searchsorted(found, row * width + col, side="right")
        index = int(found[after % found.size])
        return (index // width, index % width)


@dataclass(frozen=True)
class PooledComparison(_Differences):
    """The pooled outputs ``a`` and ``b`` of two results (pooled with the same options) and A - B of them,
    typed and counted as Comparison's convolved difference is."""

    a: np.ndarray
    b: np.ndarray
    difference: np.ndarray
    differing: int
    largest: float
    largest_at: tuple[int, ...] | None
    pool: PoolOptions

    @property
    def what(self) -> str:
        return f"pooled A and B ({self.pool_text})"

    @property
    def pool_text(self) -> str:
        return f"{self.pool.op} {self.pool.size}x{self.pool.size}, stride {self.pool.step}"

    def describe(self) -> str:
        text = super().describe()
        return f"pooled ({self.pool_text}): {text}" if self.differing else text


@dataclass(frozen=True)
class Comparison(_Differences):
    """Results A and B of one image, and ``difference = A.convolved - B.convolved``: int16 when both are
    clamped (uint8; exact), float64 otherwise (exact for float32 values of similar size). ``pooled``: the same
    for their pooled outputs, when the options pool (None otherwise)."""

    a: JobResult
    b: JobResult
    difference: np.ndarray
    differing: int  # pixels where A != B
    largest: float  # max |A - B|, 0 when they are equal
    largest_at: tuple[int, ...] | None  # (row, col[, map]) of the first value (row-major) with that difference
    levels: tuple[float, float]  # display levels shared by A and B
    difference_levels: tuple[float, float]  # symmetric around 0, for a diverging colormap
    pooled: PooledComparison | None = None


def check_comparable(image_shape: tuple[int, ...], a: JobOptions, b: JobOptions) -> None:
    """Raise OptionsError (saying why) unless A and B give results of one size for images of this shape."""
    _check_shapes(a.output_shape(*image_shape), b.output_shape(*image_shape))


def _value_range(result: JobResult) -> tuple[float, float]:
    if result.convolved_range is not None:
        return result.convolved_range
    data = result.convolved
    return (float(data.min()), float(data.max())) if data.size else (0.0, 0.0)


def _check_shapes(shape_a: tuple[int, int], shape_b: tuple[int, int]) -> None:
    if shape_a != shape_b:
        (ha, wa), (hb, wb) = shape_a[:2], shape_b[:2]
        raise OptionsError(f"A gives a {ha}x{wa} result and B a {hb}x{wb} one, so they cannot be compared pixel "
                           "by pixel; use kernels of one size or a border mode that pads")


def _difference(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, int, float, tuple[int, ...] | None]:
    """A - B (int16 for two uint8 arrays, exact; float64 otherwise), how many values differ, the largest
    |A - B| and the index of its first occurrence (None when A equals B)."""
    wide = np.int16 if a.dtype == b.dtype == np.uint8 else np.float64
    difference = np.subtract(a, b, dtype=wide)
    magnitude = np.abs(difference)
    differing = int(np.count_nonzero(difference))
    largest_at = None
    largest = 0.0
    if differing:
        index = int(np.argmax(magnitude))
        largest_at = tuple(int(v) for v in np.unravel_index(index, difference.shape))
        largest = float(magnitude.flat[index])
    difference.flags.writeable = False
    return difference, differing, largest, largest_at


def compare_results(a: JobResult, b: JobResult) -> Comparison:
    """Compare two results of the same image (their convolved images must have the same shape; when both
    pooled, so must their pooled images)."""
    _check_shapes(a.convolved.shape, b.convolved.shape)
    difference, differing, largest, largest_at = _difference(a.convolved, b.convolved)
    (lo_a, hi_a), (lo_b, hi_b) = _value_range(a), _value_range(b)
    diverging = a.convolved.dtype != np.uint8 or b.convolved.dtype != np.uint8
    levels = display_levels(a.convolved if diverging else b.convolved, diverging,
                            (min(lo_a, lo_b), max(hi_a, hi_b)))
    difference_levels = display_levels(difference, True, (-largest, largest))
    pooled = None
    if a.pooled is not None and b.pooled is not None:
        _check_shapes(a.pooled.shape, b.pooled.shape)
        pooled = PooledComparison(a.pooled, b.pooled, *_difference(a.pooled, b.pooled), b.options.pool)
    return Comparison(a, b, difference, differing, largest, largest_at, levels, difference_levels, pooled)


def compare(image: np.ndarray, a: JobOptions, b: JobOptions, progress: Callable[[float], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> Comparison:
    """Run A then B (progress 0..0.5, then 0.5..1; ``cancelled`` as in engine.run_job) and compare them. The
    image may have channels (H x W x C), as in engine.run_job."""
    image = check_channels_image(image)
    check_comparable(image.shape, a, b)
    results = []
    for half, options in enumerate((a, b)):
        report = None if progress is None else (lambda fraction, h=half: progress(0.5 * (h + fraction)))
        results.append(run_job(image, options, report, cancelled))
    return compare_results(*results)


def _reusable(result: JobResult | None, image: np.ndarray, options: JobOptions) -> bool:
    return result is not None and result.image is image and result.options == options


def compare_steps(image: np.ndarray, a: JobOptions, b: JobOptions, a_result: JobResult | None = None,
                  b_result: JobResult | None = None) -> Generator[float, None, Comparison]:
    """``compare`` as a generator, like engine.job_steps (progress 0..0.5 for A, 0.5..1 for B, between
    chunks, so a newer request can stop it there). A result given for A or B is used instead of running it
    again when it is of this very image (identity) and these options: a window keeps its own B, and A
    unchanged while B is edited. The image may have channels (H x W x C), as in engine.job_steps."""
    image = check_channels_image(image)
    check_comparable(image.shape, a, b)
    results = []
    for half, (options, known) in enumerate(((a, a_result), (b, b_result))):
        if _reusable(known, image, options):
            results.append(known)
            continue
        steps = job_steps(image, options)
        try:
            while True:
                yield 0.5 * (half + next(steps))
        except StopIteration as done:
            results.append(done.value)
    return compare_results(*results)


@dataclass(frozen=True)
class ComparisonLevels:
    """How a window shows a comparison: A and B with the same two ends (one colour, one value), A - B on
    its own scale centred on 0, each with the pixels beyond its ends counted. ``pooled``: the same for the
    pooled outputs (None without pooling); pooled A and B keep A's and B's ends, so a value has one colour in
    all four views (a max-pooled pixel that of the convolved pixel it came from)."""

    a: Levels
    b: Levels
    difference: Levels
    pooled: "ComparisonLevels | None" = None


def comparison_levels(comparison: Comparison, signed: bool, choice: str = DEFAULT_CHOICE) -> ComparisonLevels:
    """Display levels of a comparison. ``signed`` (raw output): A and B share +-L, the larger of their own
    levels by engine.levels.signed_levels' ``choice`` (a percentile of |v|, or 'full'); otherwise they share
    Comparison.levels (0..255 for clamped output). A - B always gets signed_levels of its own; so does the
    pooled A - B."""
    a, b = comparison.a, comparison.b
    if signed:
        bound = max(signed_levels(r.convolved, choice, _value_range(r)).high for r in (a, b))
        low, high, how = -bound, bound, choice
    else:
        (low, high), how = comparison.levels, "full"
    shared = [levels_beyond(r.convolved, low, high, _value_range(r), how) for r in (a, b)]
    largest = comparison.largest
    pooled = comparison.pooled
    if pooled is not None:
        pooled = ComparisonLevels(*(levels_beyond(p, low, high, choice=how) for p in (pooled.a, pooled.b)),
                                  signed_levels(pooled.difference, choice, (-pooled.largest, pooled.largest)))
    return ComparisonLevels(*shared, signed_levels(comparison.difference, choice, (-largest, largest)), pooled)


def explain_both(image: np.ndarray, a: JobOptions, b: JobOptions, row: int, col: int
                 ) -> tuple[PixelExplanation, PixelExplanation]:
    """How A and B each computed the pixel (row, col): the two explanations to show side by side."""
    return explain_pixel(image, a, row, col), explain_pixel(image, b, row, col)


def pooled_pixel(comparison: Comparison, row: int, col: int) -> tuple[int, int] | None:
    """The pooled pixel drawn over convolved pixel (row, col) (see pooled_placement), when its pooling
    window holds that pixel; None without pooling, or where no window reaches (a size below the stride)."""
    result = comparison.b
    if comparison.pooled is None or result.options.pool is None:
        return None
    geometry = Geometry.of(result.image.shape, result.options)
    prow, pcol = row // geometry.pool_step, col // geometry.pool_step
    height, width = comparison.pooled.difference.shape[:2]
    if prow < height and pcol < width and geometry.pool_window(prow, pcol).contains(row, col):
        return (prow, pcol)
    return None


def pooled_placement(comparison: Comparison) -> Placement | None:
    """Where the pooled outputs' pixels sit over the convolved ones: pooled pixel (r, c) covers the step x
    step block of convolved pixels from its window's corner (None without pooling)."""
    if comparison.pooled is None:
        return None
    step = float(comparison.b.options.pool.step)
    return Placement(comparison.pooled.difference.shape[:2], (0.0, 0.0), (step, step))


def explain_pooled_both(comparison: Comparison, row: int, col: int, channel: int = 0
                        ) -> tuple[PoolExplanation, PoolExplanation] | None:
    """How A and B each pooled the pooled pixel holding convolved pixel (row, col) (of map ``channel``),
    from their convolved results; None when there is no such pixel."""
    pixel = pooled_pixel(comparison, row, col)
    if pixel is None:
        return None
    return tuple(explain_pool(r.image, r.options, *pixel, convolved=r.convolved, channel=channel)
                 for r in (comparison.a, comparison.b))
