"""Why the fast paths are exact, as code: each function here decides whether a shortcut gives the per-pixel
loop's float64 result bit for bit, from the numbers' sizes (see engine.convolution for the loop and the paths).

- integer sums: an image of integers and a kernel of multiples of 2**-e (dyadic_kernel) make every product
  and partial sum an exact float64 integer (times 2**-e) while |sum| <= bound < 2**53, so int16/int32/int64
  arithmetic in any order (int_dtype, rank_one, FFT rounding) yields the same sums;
- finishing: clamp_plan and raw_plan say when ``s * weight + offset`` can be finished in integers or float32;
  finish_float stores float64 sums, clipping only the sides clip_sides proves reachable, in the integers
  clip_int_dtype proves wide enough;
- FFT: fft_is_exact bounds the rounding error of float64 FFT tiles below 0.25.
"""

from __future__ import annotations

import functools
import math
import threading
from dataclasses import dataclass

import numpy as np

from .scratch import scratch

_MAX_EXPONENT = 24


def dyadic_kernel(kernel: np.ndarray) -> tuple[np.ndarray, int] | None:
    """``(K * 2**e as int64, e)`` for the smallest e making every entry whole, or None if there is none."""
    for exponent in range(_MAX_EXPONENT + 1):
        scaled = kernel * float(2 ** exponent)
        if np.all(scaled == np.floor(scaled)) and np.abs(scaled).max(initial=0) < 2.0 ** 31:
            return scaled.astype(np.int64), exponent
    return None


@functools.lru_cache(maxsize=64)
def analyse_kernel(kernel: tuple[tuple[float, ...], ...]) -> tuple[tuple[np.ndarray, int] | None, tuple | None]:
    """dyadic_kernel and rank_one of a kernel, remembered: live editing asks for the same kernels again."""
    dyadic = dyadic_kernel(np.array(kernel, dtype=np.float64))
    if dyadic is not None:
        dyadic[0].flags.writeable = False  # shared by every job with this kernel
    return dyadic, (None if dyadic is None else rank_one(dyadic[0]))


def value_peak(image: np.ndarray) -> int:
    """The largest magnitude the image's values can have (its dtype's range; the actual one for wide types)."""
    if image.dtype.itemsize > 2:
        return max(abs(int(image.min())), abs(int(image.max())))
    info = np.iinfo(image.dtype)
    return max(abs(int(info.min)), abs(int(info.max)))


def value_range(image: np.ndarray) -> tuple[int, int]:
    """The least and greatest values the image's pixels can have (its dtype's range; the actual one for
    wide types), for bounds that care about sign: an unsigned image's pixels are never negative."""
    if image.dtype.itemsize > 2:
        return int(image.min()), int(image.max())
    info = np.iinfo(image.dtype)
    return int(info.min), int(info.max)


def int_dtype(bound: int) -> np.dtype | None:
    """The smallest signed integer dtype holding every value of magnitude <= bound (None past 2**53)."""
    for dtype, limit in ((np.int16, 2 ** 15), (np.int32, 2 ** 31), (np.int64, 2 ** 53)):
        if bound < limit:
            return np.dtype(dtype)
    return None


def power_of_two_exponent(scale: float) -> int | None:
    """x with scale == 2.0**x, or None when scale is not a (positive) power of two."""
    mantissa, exponent = math.frexp(scale)
    return exponent - 1 if mantissa == 0.5 else None


def rank_one(kint: np.ndarray) -> tuple[list[int], list[int]] | None:
    """Integer vectors (a, b) with K == outer(a, b), or None when the integer kernel is not of rank one."""
    nonzero = [i for i in range(kint.shape[0]) if kint[i].any()]
    if not nonzero:
        return None
    row = kint[nonzero[0]]
    b = row // math.gcd(*(int(v) for v in row))
    pivot = int(np.flatnonzero(b)[0])
    a = []
    for i in range(kint.shape[0]):
        ratio = int(kint[i, pivot]) // int(b[pivot])
        if not np.array_equal(kint[i], ratio * b):
            return None
        a.append(int(ratio))
    return a, [int(v) for v in b]


@dataclass(frozen=True)
class ClampPlan:
    """Clamp exactly in integers: ``clip((S << up) + add, 0, 256 * 2**down - 1) >> down`` (see compute)."""

    up: int
    down: int
    add: int
    dtype: np.dtype


def clamp_plan(bound: int, exponent: int, weight: float, offset: float) -> ClampPlan | None:
    """When ``v = S * 2**-e * weight + offset`` is exact in float64 for every integer sum |S| <= bound,
    with ``weight * 2**-e == 2**x``: v * 2**down = (S << up) + add is an integer, and trunc(clip(v, 0, 255))
    = clip(that, 0, 256 * 2**down - 1) >> down (the clip makes it non-negative, where >> is floor = trunc)."""
    x = power_of_two_exponent(weight * 2.0 ** -exponent)
    if x is None or abs(x) > 40:
        return None
    up, down = max(x, 0), max(-x, 0)
    add = offset * 2.0 ** down
    if add != math.floor(add):
        return None
    add = int(add)
    need = max((bound << up) + abs(add), 256 << down)
    if need >= 2 ** 53:  # beyond this, float64 would round v: leave it to the float64 finish
        return None
    return ClampPlan(up, down, add, int_dtype(need))


def raw_plan(bound: int, exponent: int, weight: float, offset: float) -> float | None:
    """The float32 scale when float32 arithmetic gives the float64 loop's float32 result bit for bit: S and
    S * scale are exact in float32 (|S| <= 2**24, scale a power of two in float32's normal range) and the
    offset is a float32 number; then fl32(S * scale + offset) is the correctly rounded sum, and so is
    float32(fl64(...)) because double rounding through 53 bits is harmless for 24-bit results (53 >= 2*24+2)."""
    x = power_of_two_exponent(weight * 2.0 ** -exponent)
    if x is None or bound > 2 ** 24 or not -100 <= x <= 100 or float(np.float32(offset)) != offset:
        return None
    return 2.0 ** x


def finish_clamped(sums: np.ndarray, plan: ClampPlan, rows: np.ndarray) -> None:
    """rows (uint8) = the clamp plan applied to the exact integer sums S: (S << up) + add, clipped, >> down
    (provably the float64 formula's stored values). ``sums`` may be overwritten and may be wider than
    ``rows``: its extra columns are ignored."""
    width = rows.shape[-1]
    total = sums if sums.dtype == plan.dtype else sums.astype(plan.dtype)
    if plan.up:
        np.left_shift(total, plan.up, out=total)
    if plan.add:
        total += plan.add
    # in place, then one converting copy: a ufunc writing another dtype goes through a slow buffered loop
    np.clip(total, 0, (256 << plan.down) - 1, out=total)
    if plan.down:
        np.right_shift(total, plan.down, out=total)
    np.copyto(rows, total[..., :width], casting="unsafe")


def finish_raw(sums: np.ndarray, scale: float, offset: float, rows: np.ndarray) -> None:
    """rows (float32) = S * scale + offset from the exact integer sums S: S and S * scale are exact in
    float32 (raw_plan's proof), so only the offset rounds, once, as the float64 formula's float32 does."""
    np.copyto(rows, sums[..., :rows.shape[-1]], casting="unsafe")
    if scale != 1.0:
        rows *= np.float32(scale)
    if offset:
        rows += np.float32(offset)


def finish_float(value: np.ndarray, weight: float, offset: float, rows: np.ndarray,
                 sides: tuple[bool, bool] = (True, True), ints: np.dtype | None = None) -> None:
    """rows = the stored values of the float64 sums ``value`` (2-D, its first columns the results;
    overwritten): v = fl(fl(s * weight) + offset), then for uint8 rows trunc(clip(v, 0, 255)), clipping only
    the ``sides`` (below 0, from 256 on) that clip_sides says v can reach, in clip_int_dtype's ``ints`` when
    given; for float32 rows float32(v). Weight 1 and offset 0 cost no pass: fl(s * 1) = s, and + 0.0 only
    turns -0.0 into 0.0, which truncating to uint8 does as well."""
    width = rows.shape[1]
    with np.errstate(over="ignore", invalid="ignore"):
        if weight != 1.0:
            value *= weight
        if rows.dtype.kind == "f":  # one float64 add, then one rounding to float32; + 0.0 also turns -0.0 into 0.0
            np.add(value[:, :width], offset, out=rows, casting="unsafe")
        elif not any(sides):  # the last step writes uint8 straight away: float -> uint8 truncates
            if offset:
                np.add(value[:, :width], offset, out=rows, casting="unsafe")
            else:
                np.copyto(rows, value[:, :width], casting="unsafe")
        else:
            if offset:
                value += offset
            if ints is None:
                np.clip(value[:, :width], 0.0, 255.0, out=rows, casting="unsafe")
                return
            # truncate first, then clip in integers (cheaper): trunc(clip(v, 0, 255)) = clip(trunc(v), 0, 255)
            truncated = scratch("clip_ints", value.size, ints).reshape(value.shape)
            np.copyto(truncated, value, casting="unsafe")
            if sides[0]:
                np.maximum(truncated, constant(0, truncated.shape, ints), out=truncated)
            if sides[1]:
                np.minimum(truncated, constant(255, truncated.shape, ints), out=truncated)
            np.copyto(rows, truncated[:, :width], casting="unsafe")


def fft_is_exact(peak: int, kint: np.ndarray, tile: int) -> bool:
    """Is the float64 FFT tile convolution's error safely below 0.25, so rounding yields the exact sums?

    A standard bound for an FFT-based convolution of length n is ||error||_inf <= c * log2(n) * eps *
    ||x||_2 * ||k||_2 with a small constant c; we use c = 8 (generous) and n = tile**2."""
    norm_x = peak * tile  # ||x||_2 over a tile x tile tile of values <= peak
    norm_k = float(np.sqrt((kint.astype(np.float64) ** 2).sum()))
    return 8 * math.log2(tile ** 2) * np.finfo(np.float64).eps * norm_x * norm_k < 0.25


def fft_error_bound(peak: float, kernel: np.ndarray, tile: int) -> float:
    """A bound on |FFT tile sum - exact sum| for any real kernel: fft_is_exact's bound with c = 64, eight
    times the constant the integer FFT path already relies on."""
    norm_k = float(np.sqrt((np.asarray(kernel, dtype=np.float64) ** 2).sum()))
    return 64 * math.log2(tile ** 2) * np.finfo(np.float64).eps * peak * tile * norm_k


def loop_error_bound(peak: float, kernel: np.ndarray) -> float:
    """A bound on |the loop's float64 sum - exact sum|: recursive summation of n rounded products errs by at
    most gamma_n * sum |k_i v_i| with gamma_n = n u / (1 - n u), u = 2**-53 (Higham, Accuracy and Stability of
    Numerical Algorithms, 3.1), plus n subnormal spacings for products that underflow."""
    n = int(np.asarray(kernel).size)
    u = 2.0 ** -53
    gamma = n * u / (1 - n * u)
    return gamma * float(np.abs(kernel).sum()) * peak * (1 + 1e-9) + n * 2.0 ** -1074


def clip_int_dtype(image: np.ndarray, kernel: np.ndarray, weight: float, offset: float) -> np.dtype | None:
    """An integer dtype holding trunc(v) for every value v = fl(fl(s * weight) + offset) this image can give
    (int16 or int32; None when neither provably does, or for float and wide images, whose range would cost
    a pass to find). Then trunc(clip(v, 0, 255)) = clip(trunc(v), 0, 255): the clamp can convert first
    (float64 -> int truncates toward zero) and clip in integers, cheaper than clipping float64."""
    if image.dtype.kind not in "ui" or image.dtype.itemsize > 2:
        return None
    peak = value_peak(image)
    sigma = peak * float(np.abs(kernel).sum()) + loop_error_bound(peak, kernel)  # |s| <= sigma
    # each of the two roundings adds at most a relative 2**-52 (and subnormal spacings): a generous margin
    bound = (abs(weight) * sigma + abs(offset)) * (1 + 1e-9) + 1.0
    for dtype, limit in ((np.int16, 2 ** 15 - 1), (np.int32, 2 ** 31 - 1)):
        if bound < limit:
            return np.dtype(dtype)
    return None


def clip_sides(image: np.ndarray, kernel: np.ndarray, weight: float, offset: float) -> tuple[bool, bool]:
    """(whether v can be below 0, whether it can reach 256) for the stored values v = s * weight + offset
    of this image's dtype, each True unless provably not; where neither can, truncating to uint8 alone
    equals clip-then-truncate (e.g. a 1/9 box on an 8-bit image). s lies within the exact sum's range for
    pixel values 0..max, widened by the loop's rounding bound."""
    if image.dtype.kind != "u" or image.dtype.itemsize > 2:
        return True, True
    top = float(np.iinfo(image.dtype).max)
    error = loop_error_bound(top, kernel)
    low = float(kernel[kernel < 0].sum()) * top - error if (kernel < 0).any() else 0.0
    high = float(kernel[kernel > 0].sum()) * top + error if (kernel > 0).any() else 0.0
    ends = sorted((low * weight, high * weight))
    margin = 1e-9 * (max(abs(ends[0]), abs(ends[1])) + abs(offset)) + 1e-300
    # sums of non-negative products are never negative, and neither is fl(s * weight) + offset then
    non_negative = low == 0.0 and weight >= 0 and offset >= 0
    return not (non_negative or ends[0] + offset - margin >= 0.0), not ends[1] + offset + margin < 256.0


_CONSTANTS = threading.local()


def constant(value: int, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
    """A read-only array of ``value`` (this thread's, kept for the next call): numpy's minimum and maximum
    run their vector loops against an array, and a loop several times slower against a scalar."""
    arrays = _CONSTANTS.__dict__.setdefault("arrays", {})
    key = (value, dtype)
    size = math.prod(shape)
    array = arrays.get(key)
    if array is None or array.size < size:
        array = arrays[key] = np.full(max(size, 1), value, dtype=dtype)
        array.flags.writeable = False
    return array[:size].reshape(shape)
