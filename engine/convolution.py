"""Standard-mode convolution (cross-correlation, kernel not flipped, as in TensorFlow and PyTorch).

Arithmetic, for every output pixel, in this order::

    s = 0.0; for i, j in row-major kernel order: s = s + K[i][j] * P[r+i][c+j]   (float64)
    v = s * weight + offset
    clamp: min(max(v, 0), 255) truncated toward zero -> uint8;  raw: float32(v)

The fast paths give bit-identical results to that loop:

- *integer* path: when the image holds integers and every kernel entry is a multiple of 2**-e (whole
  numbers, halves, quarters, ...), each product and partial sum above is exact in float64, so the sum is
  computed exactly in integers (order does not matter for exact sums) and scaled by 2**-e, exactly.
  Kernels that are an outer product of two integer vectors (Sobel, Gaussian, box: rank one) sum a
  column pass then a row pass (the *separable* path; kh + kw taps instead of kh * kw, every partial sum
  still an exact integer). Other kernels with many taps (more than FFT_MIN_TAPS) compute the same integer
  sums with FFTs over tiles (the *fft* path; numpy.fft, so the standalone build needs no scipy): the FFT's
  rounding error is provably below 0.25 here (see ``fft_is_exact``), so rounding to the nearest integer
  gives the exact sums; each tile is checked against that bound as well.
- *float* path: any other kernel (0.1, 1/9, ...) or image: the sum is accumulated in float64 tap by tap,
  in the loop's row-major order, so it makes exactly the loop's roundings (see engine.tap_sums). A kernel
  of one or two values on an 8- or 16-bit image reads the padded rows in the image's own integers, which
  each products pass converts exactly; the clamp truncates to integers and clips there (exact.finish_float).
- *fixed* path: such a kernel with up to FFT_MIN_TAPS taps on an 8-bit image, clamped output, when its
  float64 taps would cost more: exact int32 sums of the kernel rounded to fixed point, each stored value
  certified from them, the loop itself for the few pixels they leave undecided (see engine.fixed_point).
- *float-fft* path: such a kernel with more than FFT_MIN_TAPS taps on an 8- or 16-bit image, clamped
  output: FFT sums within a proven distance of the loop's, each stored value certified from them in
  fixed point the same way (see engine.certified).
- *finishing* without float64: when ``weight * 2**-e`` is a power of two (weight 1, 1/16, 2, ...) and the
  offset suits it, ``v`` is exact, so clamping is done with integer shifts and the raw output with float32
  arithmetic whose single rounding equals the float64 loop's (see ``clamp_plan`` and ``raw_plan``).

The tap paths work on tiles of about TILE_BYTES per work array, summed and finished while they are in
the cache.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import numpy as np

from .borders import fill_padded
from .errors import ImageError
from . import certified
from . import fixed_point
from .exact import (analyse_kernel, clamp_plan, clip_int_dtype, clip_sides, fft_is_exact, finish_clamped,
                    finish_float, finish_raw, int_dtype, raw_plan, value_peak, value_range)
from . import fft_tiles
from .images import check_image
from .options import JobOptions
from .scratch import scratch
from .tap_sums import float_sums, int_plan, int_sums, separable_sums

#: Integer kernels with more nonzero taps than this use FFT tiles: a tap is one pass over the image, an
#: FFT tile costs the same whatever the kernel size, and they break even at about a hundred taps.
FFT_MIN_TAPS = 80
#: Bytes of one work array of a tile of the tap paths (its pixels times the sums' item size): the tile's
#: few work arrays then stay within about a core's L2 cache, and each ufunc call still has enough pixels
#: that its fixed cost is small.
TILE_BYTES = 1 << 19
#: The fixed path leaves a tile to the float path when more than 1/FIXED_LIMIT of its pixels are undecided.
FIXED_LIMIT = 32
#: At most this many kernel values shared by several taps get a products buffer (float path).
MAX_SHARED = 6
#: Float kernels with at most this many distinct values read the padded rows in the image's own integers
#: (a one-byte copy for 8-bit images instead of a float64 one); with more, converting once costs less than
#: converting in every products pass.
NARROW_VALUES = 2


@dataclass
class Convolution:
    """A prepared standard-mode convolution that can compute any band of output rows."""

    image: np.ndarray
    options: JobOptions
    #: FFT tiles: None lets the kernel decide (more than FFT_MIN_TAPS taps), False never (the sums tap by
    #: tap), True whenever the kernel and image allow them. Every choice gives the same values.
    fft: bool | None = None
    #: Fixed-point sums (float kernels, clamped output): None lets the kernel decide, False never, True
    #: whenever the image and output allow them. Every choice gives the same values.
    fixed: bool | None = None

    def __post_init__(self) -> None:
        self.options = self.options.as_correlation()  # true convolution is correlation with the flipped kernel
        self.image = check_image(self.image)
        height, width = self.image.shape
        kh, kw = self.options.shape
        if self.options.border == "valid" and (height < kh or width < kw):
            raise ImageError(
                f"the image ({height}x{width}) is smaller than the {kh}x{kw} kernel, so the 'valid' border "
                "leaves no output; choose another border mode or a smaller kernel")
        self.shape = self.options.output_shape(height, width)
        self.dtype = np.dtype(np.uint8 if self.options.output_range == "clamp" else np.float32)
        top, bottom, left, right = self.options.padding
        self._pw = width + left + right  # padded width: the flat row length of the tap paths
        kernel = self.options.kernel_array
        self._taps = [(i, j, float(kernel[i, j])) for i in range(kh) for j in range(kw) if kernel[i, j] != 0.0]
        self._acc_dtype = None
        self._clip_sides = clip_sides(self.image, kernel, self.options.weight, self.options.offset)
        self._clip_needed = any(self._clip_sides)
        self._clip_ints = (clip_int_dtype(self.image, kernel, self.options.weight, self.options.offset)
                           if self._clip_needed and self.dtype.kind == "u" else None)
        self._narrow = False
        self._fft = None
        self._fixed = None
        self._separable = None
        self._clamp = self._raw = None
        dyadic, factors = analyse_kernel(self.options.kernel) if self.image.dtype.kind in "ui" else (None, None)
        if dyadic is not None:
            kint, self._exponent = dyadic
            peak = value_peak(self.image)
            # |S| <= bound for every integer sum S (and the multipliers themselves fit the dtype too)
            bound = max(peak * int(np.abs(kint).sum()), int(np.abs(kint).max(initial=0)))
            self._acc_dtype = int_dtype(bound)
        if self._acc_dtype is not None:
            self._groups = self._int_groups(kint)
            if factors is not None and not self.fft and sum(map(bool, factors[0] + factors[1])) < len(self._taps):
                a, b = factors
                units_first = lambda taps: sorted(taps, key=lambda tap: (abs(tap[1]) != 1, -tap[1]))  # noqa: E731
                self._separable = (units_first([(i * self._pw, k) for i, k in enumerate(a) if k]),
                                   units_first([(j, k) for j, k in enumerate(b) if k]))
            elif self._wants_fft() and fft_is_exact(peak, kint, fft_tiles.FFT_TILE):
                self._fft = fft_tiles.fft_kernel(kint)
            weight, offset = self.options.weight, self.options.offset
            if self.options.output_range == "clamp":
                self._clamp = clamp_plan(bound, self._exponent, weight, offset)
            else:
                self._raw = raw_plan(bound, self._exponent, weight, offset)
        else:
            self._float_taps = [(i * self._pw + j, k) for i, j, k in self._taps]
            counts = Counter(k for _, _, k in self._taps)
            self._shared = [k for k, count in counts.most_common(MAX_SHARED) if count > 1]
            # few distinct values (a box, 0.1 in every cell): keep the padded rows in the image's own narrow
            # integers and let each products pass convert them (exactly) to float64 as it multiplies
            self._narrow = (self.image.dtype.kind in "ui" and self.image.dtype.itemsize <= 2
                            and len(counts) <= NARROW_VALUES)
            if (self.image.dtype.kind in "ui" and self.dtype.kind == "u" and not self._wants_fft()
                    and self.fixed is not False):
                self._fixed = fixed_point.plan_for(self.options.kernel, self.options.weight, self.options.offset,
                                                   value_range(self.image), self.fixed)
                if self._fixed is not None:
                    self._groups = self._int_groups(self._fixed.kernel)
            # certified FFT sums for clamped output only: raw output's float32 steps are too fine for the
            # certificate to decide most pixels (see engine.certified)
            if (self.image.dtype.kind in "ui" and self.image.dtype.itemsize <= 2 and self.dtype.kind == "u"
                    and self._wants_fft()):
                self._fft_plan = certified.plan_for(self.options.kernel, self.options.weight, self.options.offset,
                                                    value_peak(self.image), fft_tiles.FFT_TILE)
                if self._fft_plan is not None:
                    self._fft = fft_tiles.fft_kernel(self._fft_plan.kernel)

    def _int_groups(self, kint: np.ndarray) -> list:
        """int_sums' plan for the integer kernel ``kint``: its nonzero taps grouped by magnitude."""
        int_taps = [(i, j, int(kint[i, j])) for i in range(kint.shape[0]) for j in range(kint.shape[1])
                    if kint[i, j]]
        magnitudes = sorted({abs(k) for _, _, k in int_taps})  # 1 first: it needs no multiply
        return int_plan([(m, [(i * self._pw + j, 1 if k > 0 else -1) for i, j, k in int_taps if abs(k) == m])
                         for m in magnitudes])

    def _wants_fft(self) -> bool:
        if self.fft is None:
            return len(self._taps) > FFT_MIN_TAPS
        return self.fft

    @property
    def path(self) -> str:
        """Which arithmetic path runs: 'integer', 'separable', 'fft', 'float', 'fixed' or 'float-fft' (see the
        module docstring)."""
        if self._acc_dtype is None:
            return "fixed" if self._fixed is not None else "float" if self._fft is None else "float-fft"
        if self._separable is not None:
            return "separable"
        return "integer" if self._fft is None else "fft"

    @property
    def finishing(self) -> str:
        """How ``s * weight + offset`` is stored: 'integer' (shifts and a clip), 'float32' or 'float64'."""
        if self._clamp is not None:
            return "integer"
        return "float32" if self._raw is not None else "float64"

    @property
    def passes(self) -> int:
        """About how many passes over a band its sums take (for sizing bands by work, not pixels)."""
        if self._separable is not None:
            return len(self._separable[0]) + len(self._separable[1])
        return len(self._taps)

    @property
    def band_rows(self) -> int | None:
        """The band height this path works best with (the FFT path's tile), or None for any."""
        return None if self._fft is None else fft_tiles.FFT_TILE - self.options.shape[0] + 1

    def padded_rows(self, a: int, b: int, dtype: np.dtype, extra: int = 0, name: str = "padded") -> np.ndarray:
        """Rows a..b of the padded image P as one flat array of ``dtype`` (a per-thread work array) with
        ``extra`` zeros after them: converting once here makes every tap a same-dtype operation."""
        size = (b - a) * self._pw
        flat = scratch(name, size + extra, dtype)
        fill_padded(self.image, self.options.border, self.options.padding, a, b, flat[:size].reshape(b - a, self._pw))
        flat[size:] = 0
        return flat

    def _tile_sums(self, t0: int, t1: int, floats: bool = False, padded: np.ndarray | None = None) -> np.ndarray:
        """The sums for output rows t0..t1 as (rows, padded width): float64 s, or the exact integer sums
        S = s * 2**e in the accumulator's dtype (the fixed path's S = sum q p in int32); columns from the
        output width on are not results. ``floats``: the float64 sums, whatever the path. ``padded``: the
        tile's padded rows (narrow float path) when the caller has them already."""
        kh, kw = self.options.shape
        n = (t1 - t0) * self._pw
        fixed = self._fixed is not None and not floats
        dtype = np.dtype(np.int32) if fixed else (self._acc_dtype or np.dtype(np.float64))
        narrow = self._narrow and not fixed
        F = padded if padded is not None else self.padded_rows(t0, t1 + kh - 1, self.image.dtype if narrow else dtype,
                                                                kw - 1)
        acc, tmp = scratch("acc", n, dtype), scratch("tmp", n, dtype)
        if self._acc_dtype is None and not fixed:
            shared = [(k, scratch(f"shared{number}", F.shape[0], np.float64)) for number, k in enumerate(self._shared)]
            float_sums(F, self._float_taps, shared, acc, tmp) if self._taps else acc.fill(0.0)
        elif self._separable is not None:
            columns = scratch("columns", n + kw - 1, dtype)
            separable_sums(F, *self._separable, columns, scratch("column_tmp", n + kw - 1, dtype), acc, tmp)
        else:
            int_sums(F, self._groups, acc, tmp)
        return acc.reshape(t1 - t0, self._pw)

    def compute(self, r0: int, r1: int, out: np.ndarray) -> tuple[float, float] | None:
        """Write output rows r0..r1 into ``out[r0:r1]``; for raw output return their (min, max), else None."""
        rows = out[r0:r1]
        if self._fft is None:
            return self._compute_tiles(r0, r1, out)
        if self._acc_dtype is not None:
            self._finish(fft_tiles.fft_sums(self, r0, r1), rows)
        elif certified.certified_finish(self, fft_tiles.fft_sums(self, r0, r1, self._fft_plan), self._fft_plan, r0,
                                        rows, rows.size // 8) > rows.size // 8:
            self._compute_tiles(r0, r1, out)  # pixel by pixel would cost more than the taps (never seen)
        if self.dtype.kind == "f" and rows.size:
            return float(rows.min()), float(rows.max())
        return None

    def _compute_tiles(self, r0: int, r1: int, out: np.ndarray) -> tuple[float, float] | None:
        """compute() tap by tap, a tile at a time; the raw (min, max) is gathered while each tile is cached."""
        itemsize = (self._acc_dtype or np.dtype(np.float64)).itemsize
        step = max(1, TILE_BYTES // itemsize // self._pw)
        low, high = np.inf, -np.inf
        kh, kw = self.options.shape
        band = None
        if self._narrow and self._fixed is None:  # narrow rows are cheap to hold: pad the band's once
            band = self.padded_rows(r0, r1 + kh - 1, self.image.dtype, kw - 1, name="band")
        for t0 in range(r0, r1, step):
            t1 = min(t0 + step, r1)
            rows = out[t0:t1]
            if band is None:
                sums = self._tile_sums(t0, t1)
            else:  # the tile's rows and the kw - 1 values after them (the next row's, or the band's zeros),
                # which only the columns past the output's width read
                sums = self._tile_sums(t0, t1, padded=band[(t0 - r0) * self._pw:(t1 - r0 + kh - 1) * self._pw + kw - 1])
            if self._fixed is not None:  # the tile's padded integers, as _tile_sums left them:
                padded = scratch("padded", (t1 - t0 + kh - 1) * self._pw + kw - 1, np.int32)
                if not fixed_point.finish_fixed(self, sums, padded, self._fixed, rows, rows.size // FIXED_LIMIT):
                    self._finish(self._tile_sums(t0, t1, floats=True), rows)  # too many undecided: the loop
                continue
            if self._raw is not None and rows.size:  # the integer sums are half the bytes of the output
                results = sums[:, :rows.shape[1]]
                low = min(low, self._raw_value(results.min()))
                high = max(high, self._raw_value(results.max()))
            self._finish(sums, rows)
            if self._raw is None and self.dtype.kind == "f" and rows.size:
                low, high = min(low, float(rows.min())), max(high, float(rows.max()))
        return (low, high) if self.dtype.kind == "f" and r1 > r0 else None

    def _raw_value(self, total) -> float:
        """The raw output of one integer sum, as _finish stores it: float32 arithmetic, monotone in the sum
        (the scale is a positive power of two), so the extreme sums give the extreme outputs."""
        value = np.float32(total)
        if self._raw != 1.0:
            value = value * np.float32(self._raw)
        if self.options.offset:
            value = value + np.float32(self.options.offset)
        return float(value)

    def _finish(self, sums: np.ndarray, rows: np.ndarray) -> None:
        """rows = the stored values of ``sums`` (whose first columns are the results), in place on sums."""
        weight, offset = self.options.weight, self.options.offset
        if self._clamp is not None:
            finish_clamped(sums, self._clamp, rows)
            return
        if self._raw is not None:
            finish_raw(sums, self._raw, offset, rows)
            return
        if self._acc_dtype is not None:  # exact integer sums: s = S * 2**-e, then the float64 finish
            value = scratch("value", sums.size, np.float64).reshape(sums.shape)
            np.multiply(sums, 2.0 ** -self._exponent, out=value)
        else:
            value = sums
        finish_float(value, weight, offset, rows, self._clip_sides, self._clip_ints)
