"""Clamped output of a float kernel from fast integer sums: the kernel in fixed point, each pixel certified.

The loop stores ``trunc(clip(v, 0, 255))`` with ``v = fl(fl(s * w) + o)`` and s its float64 sum (see
engine.convolution). For an integer image (pixels p in [a, b], P = max(|a|, |b|)) and a kernel k with
arbitrary float entries, this module takes the integer kernel ``q = round(k * w * 2**n)`` and the exact
integer sums ``S = sum q p`` (engine.tap_sums.int_sums in int32: cheaper passes than the loop's float64
ones), and proves for each pixel from S alone which value the loop stores, or says it cannot.

The bound. With x = sum k p (the exact sum), A = S * 2**-n, e = k w - q 2**-n per tap, u = 2**-53:

- |s - x| <= d1 (engine.exact.loop_error_bound: the loop's recursive summation, gamma_t P sum |k|);
- |fl(s w) - s w| <= u |s w| + 2**-1075 and |v - (fl(s w) + o)| <= u |fl(s w) + o|; with |s| <= sigma =
  P sum |k| + d1 both roundings together are at most r = 2**-52 (|w| sigma + |o|) + 2**-1070;
- x w - A = sum e p lies in [e_lo, e_hi] = [sum min(e a, e b), sum max(e a, e b)] (exact rationals; for
  an unsigned image, a = 0, this is half as wide as +-P sum |e|).

So v lies in [A + o + e_lo - t, A + o + e_hi + t] with t = |w| d1 + r, and with the integers
``low = floor((o + e_lo - t) 2**n)`` and ``high = ceil((o + e_hi + t) 2**n)``, v * 2**n lies in
[L, L + D] where L = S + low and D = high - low. The stored value is ``clip(floor(v), 0, 255)``
(truncation is floor on [0, 256); clip sends everything below 0 to 0 and from 255 on to 255), monotone
in v, so where ``clip(L >> n)`` equals ``clip((L + D) >> n)`` it is the loop's value, bit for bit. As
D < 2**n, the two shifts differ exactly when ``(L & (2**n - 1)) > 2**n - 1 - D``; of those pixels the
ones with L >> n below 0 or from 255 on clip alike all the same. The rest (undecided: v is within about
D 2**-n of a whole number) are summed by the loop itself, product by product in its order, from the same
padded integers. Every integer stays within int32: |S| <= P sum |q| and |S| + max(|low|, |high|) < 2**31
are checked when n is chosen, and 256 << n < 2**31 (the clip's bound).

About D 2**-n of the pixels are undecided, and n is as large as int32 allows, so that is about
P sum |e| ~ P * taps * 2**-n-1. Kernels whose exact sums are often whole numbers (1/9 in every cell:
every ninth pixel) leave many undecided: a tile with too many is computed by the float path instead.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from .exact import loop_error_bound
from .scratch import scratch

#: The most fraction bits: 256 << n must fit int32 (the clip's bound, see finish_clamped).
MAX_SHIFT = 22
#: Plans whose interval D is wider than 2**n / this would leave too many pixels undecided: not made.
MIN_RESOLUTION = 64
#: Kernels that are multiples of 1/m for m up to this are left to the float path (see plan_for).
SMALL_DENOMINATOR = 64


@dataclass(frozen=True)
class FixedPlan:
    """Certify clamped output from S = sum q p: L = S + low, decided where L >> shift and (L + spread) >>
    shift clip alike (see the module docstring)."""

    kernel: np.ndarray  # q = round(k * w * 2**shift), int64
    shift: int
    low: int
    spread: int


def fixed_plan(kernel: np.ndarray, weight: float, offset: float, values: tuple[int, int]) -> FixedPlan | None:
    """The plan with the most fraction bits that keeps every integer within int32, for pixels within
    ``values`` (least, greatest); None when even that would leave too many pixels undecided (huge weights
    or offsets, 16-bit images) or when there is nothing to sum (w = 0: v is o everywhere)."""
    kernel = np.asarray(kernel, dtype=np.float64)
    if weight == 0.0 or not kernel.any():
        return None
    least, greatest = values
    peak = max(abs(least), abs(greatest))
    w, o = Fraction(weight), Fraction(offset)
    k_w = [Fraction(float(k)) * w for k in kernel.ravel()]
    d1 = Fraction(loop_error_bound(peak, kernel))
    sigma = peak * sum(abs(Fraction(float(k))) for k in kernel.ravel()) + d1
    t = abs(w) * d1 + (abs(w) * sigma + abs(o)) / 2 ** 52 + Fraction(1, 2 ** 1070)
    for shift in range(MAX_SHIFT, -1, -1):
        scale = 2 ** shift
        q = [round(v * scale) for v in k_w]  # exact rational rounding
        e = [v - Fraction(qv, scale) for v, qv in zip(k_w, q)]
        e_lo = sum(min(x * least, x * greatest) for x in e)
        e_hi = sum(max(x * least, x * greatest) for x in e)
        low = math.floor((o + e_lo - t) * scale)
        high = math.ceil((o + e_hi + t) * scale)
        if peak * sum(abs(qv) for qv in q) + max(abs(low), abs(high)) < 2 ** 31:
            if (high - low) * MIN_RESOLUTION > scale:
                return None  # the most bits int32 allows are still too few
            return FixedPlan(np.array(q, dtype=np.int64).reshape(kernel.shape), shift, low, high - low)
    return None


@functools.lru_cache(maxsize=64)
def _plan(kernel: tuple, weight: float, offset: float, values: tuple[int, int]) -> FixedPlan | None:
    plan = fixed_plan(np.array(kernel, dtype=np.float64), weight, offset, values)
    if plan is not None:
        plan.kernel.flags.writeable = False  # shared by every job with these options
    return plan


def plan_for(kernel: tuple, weight: float, offset: float, values: tuple[int, int],
             force: bool | None) -> FixedPlan | None:
    """fixed_plan, remembered (live editing asks again and again), for kernels where it pays: ``force``
    None leaves out kernels whose float64 taps are cheap (a few values shared by many taps) and kernels
    that are multiples of 1/m for a small m (their exact sums are whole numbers every m-th pixel or so)."""
    if force is None:
        scaled = np.array(kernel, dtype=np.float64) * weight
        nonzero = scaled[scaled != 0]
        if nonzero.size == 0 or _small_denominator(nonzero) or _float_is_cheaper(nonzero):
            return None
    return _plan(kernel, weight, offset, values)


def _small_denominator(values: np.ndarray) -> bool:
    for m in range(1, SMALL_DENOMINATOR + 1):
        scaled = values * m
        if np.all(np.abs(scaled - np.round(scaled)) <= 1e-9 * np.abs(scaled).max()):
            return True
    return False


def _float_is_cheaper(values: np.ndarray) -> bool:
    """Passes over a tile, counted: the float path's float64 multiply and add per tap (one multiply per
    value shared by several taps), against int_sums' passes (a multiply and an add for a tap alone, an add
    per tap and two more for a group of taps sharing a magnitude) and the certificate's seven, an int32
    pass costing about 0.6 of a float64 one."""
    _, counts = np.unique(values, return_counts=True)
    float_passes = values.size + min(int((counts > 1).sum()), 6) + int((counts == 1).sum()) + 2
    _, groups = np.unique(np.abs(values), return_counts=True)
    fixed_passes = int(np.where(groups == 1, 2, groups + 1).sum()) + 7
    return 0.6 * fixed_passes >= float_passes


def finish_fixed(job, sums: np.ndarray, padded: np.ndarray, plan: FixedPlan, rows: np.ndarray,
                 limit: int) -> bool:
    """rows (uint8) = the loop's stored values, from the int32 sums S of a tile (its padded width wide,
    overwritten) and the tile's padded integers (for the undecided pixels' own loop); False, with rows
    untouched, when more than ``limit`` pixels are undecided."""
    width = rows.shape[1]
    pitch = sums.shape[1]
    flat = sums.reshape(-1)
    if plan.low:
        flat += plan.low
    # L below 0 stores 0 and from 255 * 2**n on stores 255 at both ends; clipped there, their fraction
    # bits are 0, so the test below picks out exactly the undecided pixels, and L >> n is the stored value
    np.clip(flat, 0, 255 << plan.shift, out=flat)
    mask = (1 << plan.shift) - 1
    bits = scratch("fixed_bits", flat.size, flat.dtype)
    np.bitwise_and(flat, mask, out=bits)
    near = scratch("fixed_near", flat.size, np.bool_)
    np.greater(bits, mask - plan.spread, out=near)
    index = np.flatnonzero(near)
    if index.size:
        index = index[index % pitch < width]  # the columns past the output's width are not results
        if index.size > limit:
            return False
    np.right_shift(flat, plan.shift, out=flat)
    np.copyto(rows, sums[:, :width], casting="unsafe")
    if index.size:
        stored = np.empty((1, index.size), dtype=rows.dtype)
        job._finish(loop_sums(job._float_taps, padded, index).reshape(1, -1), stored)
        rows[index // pitch, index % pitch] = stored[0]
    return True


def loop_sums(taps: list[tuple[int, float]], padded: np.ndarray, index: np.ndarray) -> np.ndarray:
    """The loop's float64 sums at flat output positions ``index`` of a tile, p read from the tile's padded
    values: 0.0 + fl(k * p) + ... for each (flat shift, k) in row-major kernel order. np.add.accumulate
    adds left to right, each addition rounded as the loop's is."""
    shifts = np.array([shift for shift, _ in taps], dtype=np.int64)
    products = np.zeros((index.size, len(taps) + 1))
    np.multiply(padded[index[:, None] + shifts], np.array([k for _, k in taps]), out=products[:, 1:])
    return np.add.accumulate(products, axis=1)[:, -1]
