"""Output arrays reused from one job to the next, handed out again only once nobody holds them.

A fresh output array for every job of a big image (64 MB of float32 for a 4096x4096 raw result) costs
page faults and the system's zeroing of every page, each time. The pool keeps the last few output arrays
and gives one to a new job only when the pool's own reference is the only one left. Anything that can
still read an array holds a reference to it: the window's current result, an image item showing it, any
view or slice of it (a view keeps its base array alive), a job still running. So a result that is on
screen, or that a script or the step panel still uses, is never written; nothing has to be released by
hand, dropping the last reference is the release.
"""

from __future__ import annotations

import sys
import threading

import numpy as np


def _references(buffers: list[np.ndarray], index: int) -> int:
    return sys.getrefcount(buffers[index])


class OutputBuffers:
    """A small pool of output arrays (see the module docstring); thread-safe."""

    def __init__(self, keep: int = 4, min_bytes: int = 1 << 20) -> None:
        self.keep = keep  # spare arrays kept for reuse, at most
        self.min_bytes = min_bytes  # smaller outputs are not worth keeping: np.empty is cheap for them
        self._buffers: list[np.ndarray] = []
        self._lock = threading.Lock()
        probe = [np.empty(1)]
        self._alone = _references(probe, 0)  # the count when only the pool's list holds an array

    def _unheld(self, index: int) -> bool:
        return _references(self._buffers, index) <= self._alone

    def empty(self, shape: tuple[int, ...], dtype: np.dtype) -> np.ndarray:
        """An array of ``shape`` and ``dtype`` with undefined contents, which nobody else holds."""
        shape, dtype = tuple(int(n) for n in shape), np.dtype(dtype)
        if int(np.prod(shape)) * dtype.itemsize < self.min_bytes:
            return np.empty(shape, dtype)
        with self._lock:
            for index in range(len(self._buffers)):  # by index: a loop variable would be one more holder
                if self._buffers[index].shape == shape and self._buffers[index].dtype == dtype \
                        and self._unheld(index):
                    self._buffers.append(self._buffers.pop(index))  # the most recently handed out last
                    return self._buffers[-1]
            fresh = np.empty(shape, dtype)
            self._buffers.append(fresh)
            spare = [index for index in range(len(self._buffers) - 1) if self._unheld(index)]
            for index in reversed(spare[:max(0, len(spare) - self.keep)]):  # the oldest spares go
                del self._buffers[index]
            return fresh

    def clear(self) -> None:
        """Forget every array (those still held elsewhere live on with their holders)."""
        with self._lock:
            self._buffers.clear()
