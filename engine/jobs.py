"""Chunked, cancellable convolve+pool jobs: the one way the window, the command line and scripts run work.

``job_steps`` is a generator that yields progress (0..1) between chunks of rows and returns the
JobResult; a caller stops it by simply not resuming it (or by ``close()``). ``run_job`` drives it with a
progress callback and a cancel flag checked between chunks.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Generator

import numpy as np

from .convolve import Convolution
from .errors import JobCancelled
from .images import check_image
from .lab import check_lab_pool, lab_input, lab_output_dtype, lab_pool, lab_rows
from .options import JobOptions
from .pool import pool_dtype, pool_rows

#: About this many output pixels per chunk: big enough to keep numpy efficient, small enough that a
#: cancel takes effect within a few milliseconds.
CHUNK_PIXELS = 1 << 18


@dataclass(frozen=True)
class JobResult:
    image: np.ndarray
    options: JobOptions
    convolved: np.ndarray
    pooled: np.ndarray | None
    seconds: float


def _bands(rows: int, width: int) -> list[tuple[int, int]]:
    step = max(1, CHUNK_PIXELS // max(width, 1))
    return [(r, min(r + step, rows)) for r in range(0, rows, step)]


def job_steps(image: np.ndarray, options: JobOptions) -> Generator[float, None, JobResult]:
    """Run the job chunk by chunk, yielding the fraction done after each chunk; returns the JobResult."""
    start = time.perf_counter()
    image = check_image(image)
    if options.lab:
        ints = lab_input(image)
        if options.pool is not None:
            check_lab_pool(ints.shape)  # fail before any work, with the reason
        convolved = ints.astype(lab_output_dtype(image))
        height, width = ints.shape
        bands = _bands(max(height - 2, 0), width) if height >= 3 and width >= 3 else []
        for n, (r0, r1) in enumerate(bands):
            np.copyto(convolved[1 + r0:1 + r1, 1:-1], lab_rows(ints, options, 1 + r0, 1 + r1), casting="unsafe")
            yield 0.9 * (n + 1) / len(bands)
        pooled = lab_pool(convolved) if options.pool is not None else None
    else:
        job = Convolution(image, options)
        convolved = np.empty(job.shape, dtype=job.dtype)
        bands = _bands(job.shape[0], job.shape[1])
        for n, (r0, r1) in enumerate(bands):
            job.compute(r0, r1, convolved)
            yield 0.9 * (n + 1) / len(bands)
        pooled = None
        if options.pool is not None:
            out_h, out_w = options.pool.output_shape(*convolved.shape)
            pooled = np.empty((out_h, out_w), dtype=pool_dtype(convolved.dtype, options.pool))
            for r0, r1 in _bands(out_h, out_w * options.pool.size * options.pool.size):
                pooled[r0:r1] = pool_rows(convolved, options.pool, r0, r1)
    yield 1.0
    return JobResult(image, options, convolved, pooled, time.perf_counter() - start)


def run_job(image: np.ndarray, options: JobOptions, progress: Callable[[float], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> JobResult:
    """Run a job to the end. ``cancelled()`` is checked between chunks; when it returns True the job
    stops and raises JobCancelled."""
    steps = job_steps(image, options)
    try:
        while True:
            if cancelled is not None and cancelled():
                steps.close()
                raise JobCancelled()
            fraction = next(steps)
            if progress is not None:
                progress(fraction)
    except StopIteration as done:
        return done.value
