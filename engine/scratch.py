"""Per-thread work arrays kept across tiles, bands and jobs.

A fresh multi-megabyte array per band would cost page faults every time (the allocator hands big blocks
back to the system), and a tile's work arrays are reused hundreds of times per job.
"""

from __future__ import annotations

import threading

import numpy as np

_LOCAL = threading.local()


def scratch(name: str, size: int, dtype: np.dtype) -> np.ndarray:
    """A flat work array of ``size`` elements of ``dtype``, this thread's own (contents undefined)."""
    buffers = _LOCAL.__dict__.setdefault("buffers", {})
    key = (name, np.dtype(dtype))
    buffer = buffers.get(key)
    if buffer is None or buffer.shape[0] < size:
        buffer = buffers[key] = np.empty(max(size, 1), dtype=dtype)
    return buffer[:size]
