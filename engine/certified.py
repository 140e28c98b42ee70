"""The loop's stored values from FFT sums: certify each pixel in fixed point, run the loop only where undecided.

For a kernel of many taps that is not integer (e.g. 15x15 Gaussian decimals) the loop's float64 sum
costs two passes per tap. FFTs over tiles (engine.fft_tiles) give sums A' of the kernel scaled by
``w * 2**n`` (K' = fl(k w 2**n)), and the stored value is certified from them as engine.fixed_point does
from integer sums; the bound, with x = sum k p (exact), v = fl(fl(s w) + o) the loop's value before the
clamp, |p| <= P, u = 2**-53:

- |A' - sum K' p| <= eps (engine.exact.fft_error_bound for K'), |sum K' p - x w 2**n| <= d_w =
  P sum |K' - k w 2**n| (exact rationals), and |x w - v| <= t = |w| d1 + 2**-52 (|w| sigma + |o|) +
  2**-1070 as in engine.fixed_point; so |A' + o 2**n - v 2**n| <= d0 = eps + d_w + 2**n t;
- the tile adds the float ``low`` <= o 2**n - d0 - rho (rho = 2**-52 (Y + |low|), Y = 2**n (|w| sigma +
  |o|) + d0 bounds every |A'| + |o 2**n|), rounding by at most rho / 2, so y = fl(A' + low) <= v 2**n,
  and v 2**n <= A' + o 2**n + d0 <= y + 2 d0 + 3 rho (o 2**n - low is at most d0 + rho + one ulp).

y is clipped to [0, 255 * 2**n] and truncated to the int32 L (floor: y is then non-negative), so
v * 2**n lies in [L, L + D] with D = ceil(2 d0 + 3 rho) + 1 wherever y was not clipped; where it was,
v < 1 (stored 0) or v >= 255 (stored 255), as L itself stores. Storing is ``clip(floor(v), 0, 255)``,
monotone in v, so where L >> n equals (L + D) >> n that is the loop's value, bit for bit, and as D < 2**n
that fails exactly where ``(L & (2**n - 1)) > 2**n - 1 - D`` (clipped pixels have zero fraction bits).
Those few pixels (a result within about D 2**-n of a whole number, e.g. a 1/225 box over a flat region)
are summed by the loop itself, tap by tap in its order.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .exact import fft_error_bound, loop_error_bound
from .scratch import scratch

#: The most fraction bits: 255 << n and the interval must stay within int32.
MAX_SHIFT = 22
#: Plans whose interval D is wider than 2**n / this would leave too many pixels undecided: not made.
MIN_RESOLUTION = 64


@dataclass(frozen=True)
class FftPlan:
    """FFT sums of ``kernel`` (k * w * 2**shift), plus ``low``, clipped and truncated: L, decided where L >>
    shift and (L + spread) >> shift agree (see the module docstring)."""

    kernel: np.ndarray
    shift: int
    low: float
    spread: int


def fft_plan(kernel: np.ndarray, weight: float, offset: float, peak: int, tile: int) -> FftPlan | None:
    """The plan with the most fraction bits int32 allows, or None when the FFT's error leaves too few."""
    kernel = np.asarray(kernel, dtype=np.float64)
    if weight == 0.0 or not kernel.any():
        return None
    w, o = Fraction(weight), Fraction(offset)
    d1 = Fraction(loop_error_bound(peak, kernel))
    sigma = peak * sum(abs(Fraction(float(k))) for k in kernel.ravel()) + d1
    t = abs(w) * d1 + (abs(w) * sigma + abs(o)) / 2 ** 52 + Fraction(1, 2 ** 1070)
    for shift in range(MAX_SHIFT, -1, -1):
        scale = 2 ** shift
        scaled = kernel * (weight * scale)
        d_w = peak * sum(abs(Fraction(float(a)) - Fraction(float(k)) * w * scale)
                         for a, k in zip(scaled.ravel(), kernel.ravel()))
        d0 = Fraction(fft_error_bound(peak, scaled, tile)) + d_w + scale * t
        top = scale * (abs(w) * sigma + abs(o)) + d0
        low = o * scale - d0 - (top + abs(o * scale) + d0 + 1) / 2 ** 50  # leaves room for rho below
        low = math.nextafter(float(low), -math.inf)  # the float at or below it
        rho = (top + abs(Fraction(low))) / 2 ** 52
        assert Fraction(low) <= o * scale - d0 - rho
        spread = math.ceil(2 * d0 + 3 * rho) + 1
        if (255 << shift) + spread < 2 ** 31:
            if spread * MIN_RESOLUTION > scale:
                return None
            return FftPlan(scaled, shift, low, spread)
    return None


@functools.lru_cache(maxsize=32)
def plan_for(kernel: tuple, weight: float, offset: float, peak: int, tile: int) -> FftPlan | None:
    """fft_plan, remembered: live editing asks for the same kernels again."""
    plan = fft_plan(np.array(kernel, dtype=np.float64), weight, offset, peak, tile)
    if plan is not None:
        plan.kernel.flags.writeable = False
    return plan


def to_fixed(sums: np.ndarray, plan: FftPlan, out: np.ndarray) -> None:
    """out (int32) = L for FFT sums ``sums`` (float64, overwritten): + low, clipped, truncated."""
    np.add(sums, plan.low, out=sums)
    np.clip(sums, 0.0, float(255 << plan.shift), out=sums)
    np.copyto(out, sums, casting="unsafe")


def certified_finish(job, fixed: np.ndarray, plan: FftPlan, r0: int, rows: np.ndarray, limit: int) -> int:
    """Write the stored values of output rows r0.. (``rows``) from their L (int32, the rows' shape,
    overwritten); return how many pixels were undecided, having left rows untouched when over ``limit``."""
    flat = fixed.reshape(-1)
    mask = (1 << plan.shift) - 1
    bits = scratch("certify_bits", flat.size, flat.dtype)
    np.bitwise_and(flat, mask, out=bits)
    near = scratch("certify_near", flat.size, np.bool_)
    np.greater(bits, mask - plan.spread, out=near)
    undecided_r, undecided_c = np.divmod(np.flatnonzero(near), rows.shape[1])
    if undecided_r.size > limit:
        return int(undecided_r.size)
    np.right_shift(flat, plan.shift, out=flat)
    np.copyto(rows, fixed, casting="unsafe")
    if undecided_r.size:
        sums = loop_sums(job, r0, undecided_r, undecided_c)
        stored = np.empty((1, sums.size), dtype=rows.dtype)
        job._finish(sums.reshape(1, -1), stored)
        rows[undecided_r, undecided_c] = stored[0]
    return int(undecided_r.size)


def loop_sums(job, r0: int, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The loop's float64 sums at output pixels (r0 + r, c): 0.0 + each product in row-major kernel order
    (np.add.accumulate adds left to right, each addition rounded as the loop's is)."""
    kh = job.options.shape[0]
    first, last = int(r.min()), int(r.max())
    padded = job.padded_rows(r0 + first, r0 + last + kh, job.image.dtype, name="certify")
    index = (r - first) * job._pw + c
    shifts = np.array([shift for shift, _ in job._float_taps], dtype=np.int64)
    products = np.zeros((index.size, shifts.size + 1))
    np.multiply(padded[index[:, None] + shifts], np.array([k for _, k in job._float_taps]), out=products[:, 1:])
    return np.add.accumulate(products, axis=1)[:, -1]
