"""Finishing a layer's sums into stored values, and the sums a layer job keeps for the next job.

Output channel o's stored value is v = s * weight + offset[o] through the output range, s the pixel's float64
sum (engine.layer). The sums depend on neither the weight, nor the offsets, nor the output range, so a job
that changes only those finishes the sums an earlier job kept (MapSums) instead of summing again: the same
sums through the same Finish give the same values bit for bit.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import numpy as np

from .exact import clamp_plan, finish_clamped, finish_raw, raw_plan
from .scratch import scratch

_TINY = np.finfo(np.float64).tiny


@dataclass(frozen=True, eq=False)
class MapSums:
    """One output channel's sums: exact integers S with s = S * 2**-exponent and |S| <= bound, or (exponent
    None) the float64 sums s themselves. ``values`` is H' x W' and never written after the job."""

    values: np.ndarray
    exponent: int | None
    bound: int = 0

    @functools.cached_property
    def extremes(self) -> np.ndarray:
        """The least and the greatest sum, as an array of the sums' dtype."""
        return np.array([self.values.min(), self.values.max()], dtype=self.values.dtype)


class Finish:
    """How one output channel's sums become its stored values (uint8 for clamp, float32 otherwise)."""

    def __init__(self, exponent: int | None, bound: int, weight: float, offset: float, output_range: str) -> None:
        self.exponent, self.weight, self.offset, self.output_range = exponent, weight, offset, output_range
        self.dtype = np.dtype(np.uint8 if output_range == "clamp" else np.float32)
        self.plan = None
        if exponent is not None:  # exact finishes in integers or float32 (engine.exact)
            self.plan = (clamp_plan if output_range == "clamp" else raw_plan)(bound, exponent, weight, offset)
        self.scale = None
        if exponent is not None:
            # s * weight = S * (2**-e * weight) when that factor is exact (no underflow): one rounding of
            # the same product, in one pass instead of two
            scale = math.ldexp(weight, -exponent)
            if math.ldexp(scale, exponent) == weight and (scale == 0.0 or abs(scale) >= _TINY):
                self.scale = scale

    def overwrites(self, dtype: np.dtype) -> bool:
        """Whether finishing sums of ``dtype`` writes into them."""
        if self.plan is not None and self.dtype.kind == "u":
            return self.plan.dtype == dtype
        return self.plan is None and self.exponent is None

    def value_range(self, sums: MapSums) -> tuple[float, float] | None:
        """(min, max) of the finished values of ``sums`` without finishing them all: every finish is
        monotone in the sum (each step rounds, clips or takes max(v, 0) of a monotone function: the sum
        times a constant, plus a constant; sums are never NaN, engine.options.VALUE_LIMIT), so the extremes
        are the finished least and greatest sums. None for clamped outputs (integers need no range)."""
        if self.dtype.kind == "u":
            return None
        ends = np.empty(2, self.dtype)
        self(sums.extremes.copy(), ends)
        return float(ends.min()), float(ends.max())

    def __call__(self, sums: np.ndarray, rows: np.ndarray) -> None:
        """rows = the stored values of ``sums`` (which may be overwritten, and may be wider than rows: the
        extra columns are ignored)."""
        if self.plan is not None and self.dtype.kind == "u":
            finish_clamped(sums, self.plan, rows)
            return
        width = rows.shape[-1]
        if self.plan is not None:
            finish_raw(sums, self.plan, self.offset, rows)
        else:
            weight, offset = self.weight, self.offset
            sums = sums[..., :width]
            with np.errstate(over="ignore", invalid="ignore"):
                if self.exponent is not None:
                    value = scratch("finish_value", sums.size, np.float64).reshape(sums.shape)
                    if self.scale is not None:
                        np.multiply(sums, self.scale, out=value)
                    else:
                        np.multiply(sums, 2.0 ** -self.exponent, out=value)
                        value *= weight
                else:
                    value = sums
                    if weight != 1.0:
                        value *= weight
                if self.dtype.kind == "u":
                    value += offset
                    np.clip(value, 0.0, 255.0, out=rows, casting="unsafe")  # float -> uint8 truncates
                    return
                np.add(value, offset, out=rows, casting="unsafe")  # + 0.0 also turns a -0.0 into 0.0
        if self.output_range == "relu":
            np.maximum(rows, np.float32(0.0), out=rows)
            rows += np.float32(0.0)
