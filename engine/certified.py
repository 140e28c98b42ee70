"""The loop's stored values from approximate sums: certify each pixel, run the loop only where undecided.

For a kernel of many taps that is not integer (e.g. 15x15 Gaussian decimals) the loop's float64 sum
costs two passes per tap. An FFT gives sums A within a proven distance E of the loop's sums s (E bounds
the FFT's error and the loop's own rounding error, see engine.exact). Storing a sum (``s * weight +
offset``, clamp and truncate, or round to float32) is monotone in s, so where the sums A - E and A + E
store the same value, s stores it too: that is the loop's value, bit for bit. Only pixels where the two
differ (a result within E of a step of the output: a whole number for clamp, a float32 rounding boundary
for raw) are summed by the loop itself, tap by tap in its order, and there are few of them.
"""

from __future__ import annotations

import numpy as np

from .scratch import scratch


def certified_finish(job, approx: np.ndarray, error: float, r0: int, rows: np.ndarray) -> int:
    """Write the stored values of output rows r0.. (``rows``) from sums ``approx`` (float64, the rows'
    shape, overwritten) that lie within ``error`` of the loop's sums; return how many pixels needed the
    loop itself."""
    low = scratch("certify_low", approx.size, np.float64).reshape(approx.shape)
    np.subtract(approx, error, out=low)
    np.nextafter(low, -np.inf, out=low)  # one step outward: A - E itself may round inward
    np.add(approx, error, out=approx)
    np.nextafter(approx, np.inf, out=approx)
    low_rows = scratch("certify_rows", rows.size, rows.dtype).reshape(rows.shape)
    job._finish(low, low_rows)
    job._finish(approx, rows)
    undecided_r, undecided_c = np.nonzero(low_rows != rows)
    if undecided_r.size:
        sums = loop_sums(job, r0, undecided_r, undecided_c)
        stored = np.empty((1, sums.size), dtype=rows.dtype)
        job._finish(sums.reshape(1, -1), stored)
        rows[undecided_r, undecided_c] = stored[0]
    return int(undecided_r.size)


def loop_sums(job, r0: int, r: np.ndarray, c: np.ndarray) -> np.ndarray:
    """The loop's float64 sums at output pixels (r0 + r, c): 0.0 + each product in row-major kernel order."""
    kh = job.options.shape[0]
    first, last = int(r.min()), int(r.max())
    padded = job.padded_rows(r0 + first, r0 + last + kh, np.float64, name="certify")
    index = (r - first) * job._pw + c
    total = np.zeros(index.size)
    product = np.empty(index.size)
    for shift, k in job._float_taps:
        np.multiply(padded.take(index + shift), k, out=product)
        total += product
    return total
