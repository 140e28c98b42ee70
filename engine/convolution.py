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
- *finishing* without float64: when ``weight * 2**-e`` is a power of two (weight 1, 1/16, 2, ...) and the
  offset suits it, ``v`` is exact, so clamping is done with integer shifts and the raw output with float32
  arithmetic whose single rounding equals the float64 loop's (see ``clamp_plan`` and ``raw_plan``).
- *float* path: otherwise the sum is accumulated in float64 tap by tap, in the same row-major order as the
  loop, which performs exactly the same roundings.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from .borders import source_index
from .errors import ImageError
from .exact import analyse_kernel, clamp_plan, fft_is_exact, int_dtype, raw_plan, value_peak
from .images import check_image
from .options import JobOptions

#: Integer kernels with more nonzero taps than this use FFT tiles (on 4096x4096 a tap costs ~2.5 ms, a
#: 256x256-tile FFT pass ~250 ms whatever the kernel size, so they break even around 100 taps).
FFT_MIN_TAPS = 80
#: Per-thread work arrays (see Convolution._scratch).
_SCRATCH = threading.local()

#: FFT tile side, including the kernel's overlap; 256 = 2**8 keeps the transforms fast and cache-sized.
FFT_TILE = 256


def _accumulate(acc: np.ndarray, tmp: np.ndarray, window: np.ndarray, k: int, first: bool = False) -> None:
    """acc += k * window, exactly, in acc's integer dtype (tmp: scratch of acc's shape); the first tap
    sets acc instead (saves zeroing it)."""
    if first:
        np.multiply(window, k, out=acc, dtype=acc.dtype, casting="unsafe")
    elif k == 1:
        np.add(acc, window, out=acc, casting="unsafe")
    elif k == -1:
        np.subtract(acc, window, out=acc, casting="unsafe")
    else:
        np.multiply(window, k, out=tmp, dtype=tmp.dtype, casting="unsafe")
        acc += tmp


@dataclass
class Convolution:
    """A prepared standard-mode convolution that can compute any band of output rows."""

    image: np.ndarray
    options: JobOptions
    #: FFT tiles for integer kernels: None lets the kernel decide (more than FFT_MIN_TAPS taps), False never
    #: (the sums tap by tap), True whenever they are exact. Every choice gives the same values.
    fft: bool | None = None

    @staticmethod
    def _scratch(name: str, rows: int, cols: int, dtype: np.dtype, zero: bool = True) -> np.ndarray:
        """A (rows, cols) work array kept per thread across bands and jobs: a fresh multi-megabyte array
        per band would cost page faults every time (the allocator returns big blocks to the system)."""
        buffers = _SCRATCH.__dict__.setdefault("buffers", {})
        key = (name, cols, np.dtype(dtype))
        buffer = buffers.get(key)
        if buffer is None or buffer.shape[0] < rows:
            if len(buffers) > 32:  # many image widths seen: start afresh rather than grow without end
                buffers.clear()
            buffer = buffers[key] = np.empty((rows, cols), dtype=dtype)
        view = buffer[:rows]
        if zero:
            view.fill(0)
        return view

    def __post_init__(self) -> None:
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
        self._padded_width = width + left + right
        border = self.options.border
        self._left_source = [source_index(c - left, width, border) for c in range(left)]
        self._right_source = [source_index(width + c, width, border) for c in range(right)]
        kernel = self.options.kernel_array
        self._taps = [(i, j, float(kernel[i, j])) for i in range(kh) for j in range(kw) if kernel[i, j] != 0.0]
        self._acc_dtype = None
        self._fft = None
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
            self._int_taps = [(i, j, int(kint[i, j])) for i, j, _ in self._taps]
            magnitudes = sorted({abs(k) for _, _, k in self._int_taps})  # 1 first: it needs no multiply
            self._groups = [(m, [(i, j, 1 if k > 0 else -1) for i, j, k in self._int_taps if abs(k) == m])
                            for m in magnitudes]
            if factors is not None and not self.fft and sum(map(bool, factors[0] + factors[1])) < len(self._taps):
                a, b = factors
                self._separable = ([(i, k) for i, k in enumerate(a) if k], [(j, k) for j, k in enumerate(b) if k])
            elif self._wants_fft() and fft_is_exact(peak, kint, FFT_TILE):
                tile = (FFT_TILE, FFT_TILE)
                self._fft = np.fft.rfft2(kint[::-1, ::-1].astype(np.float64), s=tile)
            weight, offset = self.options.weight, self.options.offset
            if self.options.output_range == "clamp":
                self._clamp = clamp_plan(bound, self._exponent, weight, offset)
            else:
                self._raw = raw_plan(bound, self._exponent, weight, offset)

    def _wants_fft(self) -> bool:
        if self.fft is None:
            return len(self._taps) > FFT_MIN_TAPS
        return self.fft

    def padded_rows(self, a: int, b: int, dtype: np.dtype | None = None) -> np.ndarray:
        """Rows a..b of the padded image P (the border filled as its mode says), as ``dtype`` (exact: the
        accumulator's dtype holds every pixel value), built band by band: a padded copy of a whole large
        image would cost a serial pass and its page faults on every job, and converting once here makes
        every tap a same-dtype operation."""
        image = self.image
        height, width = image.shape
        top, _, left, right = self.options.padding
        dtype = np.dtype(dtype or image.dtype)
        if not any(self.options.padding) and dtype == image.dtype:
            return image[a:b]
        band = self._scratch("band", b - a, self._padded_width, dtype, zero=False)
        inside = band[:, left:left + width]
        first, last = max(a, top), min(b, top + height)  # padded rows that are image rows, in one block
        if last > first:
            inside[first - a:last - a] = image[first - top:last - top]
        for r in [*range(a, min(first, b)), *range(max(last, a), b)]:
            source = source_index(r - top, height, self.options.border)
            if source is None:
                inside[r - a] = 0
            else:
                inside[r - a] = image[source]
        for columns, sources in ((slice(0, left), self._left_source),
                                 (slice(left + width, left + width + right), self._right_source)):
            if sources:
                if sources[0] is None:
                    band[:, columns] = 0
                else:
                    band[:, columns] = inside[:, sources]
        return band

    @property
    def path(self) -> str:
        """Which arithmetic path runs: 'integer', 'separable', 'fft' or 'float' (see the module docstring)."""
        if self._acc_dtype is None:
            return "float"
        if self._separable is not None:
            return "separable"
        return "integer" if self._fft is None else "fft"

    @property
    def passes(self) -> int:
        """About how many passes over a band its sums take (for sizing bands by work, not pixels)."""
        if self._separable is not None:
            return len(self._separable[0]) + len(self._separable[1])
        return len(self._taps)

    @property
    def band_rows(self) -> int | None:
        """The band height this path works best with (the FFT path's tile), or None for any."""
        return None if self._fft is None else FFT_TILE - self.options.shape[0] + 1

    def sums(self, r0: int, r1: int) -> np.ndarray:
        """The kernel sums ``s`` (float64) for output rows r0..r1."""
        if self._acc_dtype is None:
            return self._float_sums(r0, r1)
        total = self._int_sums(r0, r1).astype(np.float64)
        if self._exponent:
            total *= 2.0 ** -self._exponent
        return total

    def _float_sums(self, r0: int, r1: int) -> np.ndarray:
        width = self.shape[1]
        acc = self._scratch("acc", r1 - r0, width, np.float64)
        tmp = self._scratch("tmp", r1 - r0, width, np.float64, zero=False)
        rows = r1 - r0
        padded = self.padded_rows(r0, r1 + self.options.shape[0] - 1, np.float64)
        for i, j, k in self._taps:
            np.multiply(padded[i:i + rows, j:j + width], k, out=tmp, dtype=np.float64, casting="unsafe")
            acc += tmp
        return acc

    def _int_sums(self, r0: int, r1: int) -> np.ndarray:
        """The exact integer sums S = s * 2**e for output rows r0..r1, in the accumulator dtype."""
        if self._fft is not None:
            return self._fft_sums(r0, r1)
        width = self.shape[1]
        rows = r1 - r0
        padded = self.padded_rows(r0, r1 + self.options.shape[0] - 1, self._acc_dtype)
        acc = self._scratch("acc", rows, width, self._acc_dtype, zero=not self._int_taps)
        tmp = self._scratch("tmp", rows, width, self._acc_dtype, zero=False)
        if self._separable is not None:  # |column sums| <= peak * sum|a| <= bound: the same dtype holds them
            column_taps, row_taps = self._separable
            columns = self._scratch("columns", rows, self._padded_width, self._acc_dtype, zero=False)
            column_tmp = self._scratch("column_tmp", rows, self._padded_width, self._acc_dtype, zero=False)
            for n, (i, k) in enumerate(column_taps):
                _accumulate(columns, column_tmp, padded[i:i + rows], k, first=n == 0)
            for n, (j, k) in enumerate(row_taps):
                _accumulate(acc, tmp, columns[:, j:j + width], k, first=n == 0)
            return acc
        # S = sum over magnitudes m of m * (sum of the windows whose weight is +m, minus those at -m): one
        # add per tap and one multiply per magnitude (a multiply per tap costs a pass more); each group
        # sum is bounded by bound / m, so the accumulator dtype holds it
        started = False
        for magnitude, members in self._groups:
            target = acc if magnitude == 1 else tmp
            for n, (i, j, sign) in enumerate(members):
                window = padded[i:i + rows, j:j + width]
                if n == 0 and (target is tmp or not started):
                    np.copyto(target, window) if sign > 0 else np.negative(window, out=target)
                elif sign > 0:
                    target += window
                else:
                    target -= window
            if magnitude == 1:
                started = True
            elif started:
                tmp *= magnitude
                acc += tmp
            else:
                np.multiply(tmp, magnitude, out=acc)
                started = True
        return acc

    def _fft_sums(self, r0: int, r1: int) -> np.ndarray:
        """Overlap-save over FFT_TILE-square tiles: each tile gives FFT_TILE - k + 1 exact rows/columns."""
        kh, kw = self.options.shape
        width = self.shape[1]
        step_r, step_c = FFT_TILE - kh + 1, FFT_TILE - kw + 1
        acc = self._scratch("acc", r1 - r0, width, self._acc_dtype, zero=False)
        tile = np.zeros((FFT_TILE, FFT_TILE), dtype=np.float64)
        for t0 in range(r0, r1, step_r):
            rows = min(step_r, r1 - t0)
            padded = self.padded_rows(t0, t0 + rows + kh - 1)
            for c0 in range(0, width, step_c):
                cols = min(step_c, width - c0)
                block = padded[:, c0:c0 + cols + kw - 1]
                tile.fill(0.0)
                tile[:block.shape[0], :block.shape[1]] = block
                full = np.fft.irfft2(np.fft.rfft2(tile) * self._fft, s=tile.shape)
                sums = full[kh - 1:kh - 1 + rows, kw - 1:kw - 1 + cols]  # the circular wrap stays outside
                exact = np.rint(sums)
                if np.abs(sums - exact).max(initial=0.0) >= 0.25:  # never seen; the bound says impossible
                    raise ArithmeticError("FFT rounding error beyond its bound")
                acc[t0 - r0:t0 - r0 + rows, c0:c0 + cols] = exact
        return acc

    def compute(self, r0: int, r1: int, out: np.ndarray) -> None:
        """Write output rows r0..r1 into ``out[r0:r1]``."""
        if self._clamp is not None:
            plan = self._clamp
            total = self._int_sums(r0, r1)
            if total.dtype != plan.dtype:
                total = total.astype(plan.dtype)
            if plan.up:
                np.left_shift(total, plan.up, out=total)
            if plan.add:
                total += plan.add
            if plan.down:
                np.clip(total, 0, (256 << plan.down) - 1, out=total)
                np.right_shift(total, plan.down, out=out[r0:r1], casting="unsafe")
            else:
                np.clip(total, 0, 255, out=out[r0:r1], casting="unsafe")
            return
        if self._raw is not None:
            rows = out[r0:r1]  # float32: S (exact), * scale (exact), + offset (one rounding)
            np.copyto(rows, self._int_sums(r0, r1), casting="unsafe")
            if self._raw != 1.0:
                rows *= np.float32(self._raw)
            if self.options.offset:
                rows += np.float32(self.options.offset)
            return
        value = self.sums(r0, r1)
        with np.errstate(over="ignore", invalid="ignore"):
            value *= self.options.weight
            value += self.options.offset
            finish(value, self.options.output_range, out[r0:r1])


def finish(value: np.ndarray, output_range: str, out: np.ndarray) -> None:
    """Store ``value`` (float64) as the output range says: clamp 0..255 and truncate, or float32."""
    if output_range == "clamp":
        np.clip(value, 0.0, 255.0, out=value)
        np.copyto(out, value, casting="unsafe")  # float -> uint8 truncates toward zero
    else:
        np.copyto(out, value, casting="unsafe")

