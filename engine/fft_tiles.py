"""Kernel sums by FFTs over tiles, for kernels with many taps: exact integer sums for integer kernels (see
engine.exact for why rounding the FFT's result gives them), close approximations for others (see
engine.certified for how they still give the loop's values)."""

from __future__ import annotations

import numpy as np

from .certified import to_fixed
from .scratch import scratch

#: FFT tile side, including the kernel's overlap; 256 = 2**8 keeps the transforms fast and cache-sized.
FFT_TILE = 256


def fft_kernel(kernel: np.ndarray) -> np.ndarray:
    """The kernel's transform for one tile (flipped: the FFT convolves, the engine correlates)."""
    return np.fft.rfft2(kernel[::-1, ::-1].astype(np.float64), s=(FFT_TILE, FFT_TILE))


def fft_sums(job, r0: int, r1: int, fixed=None) -> np.ndarray:
    """The sums for output rows r0..r1 of the Convolution ``job``, as (rows, width): rounded to the exact
    integer sums in its accumulator dtype, or (``fixed``, an engine.certified.FftPlan) the FFT's values in
    certified fixed point (int32). Overlap-save over FFT_TILE-square tiles: each gives FFT_TILE - k + 1 rows
    and columns."""
    kh, kw = job.options.shape
    width, pw = job.shape[1], job._pw
    step_r, step_c = FFT_TILE - kh + 1, FFT_TILE - kw + 1
    dtype = job._acc_dtype if fixed is None else np.dtype(np.int32)
    acc = scratch("fft_acc", (r1 - r0) * width, dtype).reshape(r1 - r0, width)
    # per-thread transforms written in place (numpy.fft's out=): no fresh half-megabyte arrays per tile
    tile = scratch("fft_tile", FFT_TILE * FFT_TILE, np.float64).reshape(FFT_TILE, FFT_TILE)
    spectrum = scratch("fft_spectrum", FFT_TILE * (FFT_TILE // 2 + 1), np.complex128).reshape(FFT_TILE, -1)
    full = scratch("fft_full", FFT_TILE * FFT_TILE, np.float64).reshape(FFT_TILE, FFT_TILE)
    for t0 in range(r0, r1, step_r):
        rows = min(step_r, r1 - t0)
        padded = job.padded_rows(t0, t0 + rows + kh - 1, job.image.dtype)[:(rows + kh - 1) * pw].reshape(-1, pw)
        for c0 in range(0, width, step_c):
            cols = min(step_c, width - c0)
            block = padded[:, c0:c0 + cols + kw - 1]
            if block.shape != tile.shape:
                tile.fill(0.0)
            tile[:block.shape[0], :block.shape[1]] = block
            np.fft.rfft2(tile, out=spectrum)
            np.multiply(spectrum, job._fft, out=spectrum)
            np.fft.ifft(spectrum, axis=0, out=spectrum)  # irfft2 in its two steps: its own out= gives
            np.fft.irfft(spectrum, n=FFT_TILE, axis=1, out=full)  # wrong values in numpy 2.4
            sums = full[kh - 1:kh - 1 + rows, kw - 1:kw - 1 + cols]  # the circular wrap stays outside
            target = acc[t0 - r0:t0 - r0 + rows, c0:c0 + cols]
            if fixed is not None:
                to_fixed(sums, fixed, target)
                continue
            np.rint(sums, out=target, casting="unsafe")  # whole numbers far inside the dtype: exact
            np.subtract(sums, target, out=sums)
            if max(sums.max(initial=0.0), -sums.min(initial=0.0)) >= 0.25:  # never seen; the bound says impossible
                raise ArithmeticError("FFT rounding error beyond its bound")
    return acc
