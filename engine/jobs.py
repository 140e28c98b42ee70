"""Chunked, cancellable convolve+pool jobs: the one way the window, the command line and scripts run work.

``job_steps`` is a generator that yields progress (0..1) between chunks of rows and returns the
JobResult; a caller stops it by simply not resuming it (or by ``close()``). ``run_job`` drives it with a
progress callback and a cancel flag checked between chunks.

Large images use every core: bands of rows are computed at the same time on a small pool of threads
(numpy releases the GIL inside its loops), one per thread in flight, and the job yields after each band,
so a cancel takes effect once the bands in flight are done. With the default 2x2 pooling, each band is pooled as soon as
it is convolved, while it is still in the cache.
"""

from __future__ import annotations

import os
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from dataclasses import dataclass
from typing import Any, Callable, Generator

import numpy as np

from .buffers import OutputBuffers
from .convolution import Convolution
from .errors import JobCancelled
from .images import check_image
from .layer_jobs import is_layer_job, layer_convolve, layer_steps
from .lab import check_lab_pool, lab_convolve, lab_input, lab_interior, lab_output_dtype, lab_pool, lab_rows
from .options import JobOptions
from .pooling import pool_dtype, pool_rows

#: About this many output pixels per band for a kernel of up to 8 taps (fewer for more taps, so a band is
#: always about the same work): big enough that handing bands to threads costs little next to the band's
#: work, small enough that a cancel takes effect within a few milliseconds.
CHUNK_PIXELS = 1 << 20
#: Images with at least this many output pixels are computed on THREADS threads at once; smaller ones in
#: the calling thread (thread hand-offs would cost more than they save on, e.g., 512x512).
PARALLEL_PIXELS = 1 << 20
THREADS = max(1, min(os.cpu_count() or 1, 8))

_executor: ThreadPoolExecutor | None = None
#: Where jobs get their output arrays: reused once nobody holds them (see engine.buffers).
OUTPUTS = OutputBuffers()


def _pool_executor() -> ThreadPoolExecutor:
    global _executor
    if _executor is None:
        _executor = ThreadPoolExecutor(THREADS, thread_name_prefix="kernelscope-engine")
    return _executor


@dataclass(frozen=True)
class JobResult:
    image: np.ndarray
    options: JobOptions
    convolved: np.ndarray
    pooled: np.ndarray | None
    seconds: float
    #: (min, max) of ``convolved`` for float (raw) results, gathered band by band while each band was still
    #: in the cache, so showing a big result needs no further pass over it; None for integer results
    convolved_range: tuple[float, float] | None = None


def _bands(rows: int, width: int, preferred: int | None = None, multiple: int = 1, passes: int = 8
           ) -> list[tuple[int, int]]:
    """Row bands covering 0..rows, a multiple of ``multiple`` rows each: ``preferred`` rows, or else
    about CHUNK_PIXELS pixels (scaled down for kernels with more than 8 ``passes`` over each pixel), evened
    out so that their count is a multiple of THREADS."""
    pixels = CHUNK_PIXELS * 8 // max(8, passes)
    step = preferred if preferred is not None else max(1, pixels // max(width, 1))
    if preferred is None and rows > step:  # as many bands as a multiple of THREADS: no thread idles at the end
        count = -(-rows // step)
        step = -(-rows // (-(-count // THREADS) * THREADS))
        step += -step % multiple
    step = max(multiple, step - step % multiple)
    return [(r, min(r + step, rows)) for r in range(0, rows, step)]


def _run(tasks: list[Callable[[], None]], pixels: int, start: float, end: float) -> Generator[float, None, None]:
    """Run the tasks, yielding the fraction done (from ``start`` to ``end``) after each one finishes.

    Large images run on THREADS threads with at most THREADS tasks in flight, the next one handed out as
    soon as any finishes: a core that is busy with something else simply takes fewer bands. When the
    caller stops resuming (a cancel), only the tasks in flight still finish, and the generator waits for
    them, so no thread writes into the job's arrays afterwards."""
    if pixels < PARALLEL_PIXELS or THREADS < 2 or len(tasks) < 2:
        for done, task in enumerate(tasks, 1):
            task()
            yield start + (end - start) * done / len(tasks)
        return
    pending: set = set()
    submitted = done = 0
    try:
        while done < len(tasks):
            while submitted < len(tasks) and len(pending) < THREADS:
                pending.add(_pool_executor().submit(tasks[submitted]))
                submitted += 1
            finished, pending = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                future.result()  # re-raises a task's exception here
            done += len(finished)
            yield start + (end - start) * done / len(tasks)
    finally:
        wait(pending)


def job_steps(image: np.ndarray, options: JobOptions, previous: JobResult | None = None
              ) -> Generator[float, None, JobResult]:
    """Run the job chunk by chunk, yielding the fraction done after each chunk; returns the JobResult.
    ``previous``, an earlier result on the same image, lets a layer job copy the maps it already holds
    (engine.layer_jobs.reused_maps) instead of computing them again."""
    started = time.perf_counter()
    if is_layer_job(image, options):  # channels, HWIO kernels, stride, dilation, relu: engine.layer_jobs
        convolved, pooled, value_range = yield from layer_steps(image, options, _run, _bands, OUTPUTS, previous)
        return JobResult(image, options, convolved, pooled, time.perf_counter() - started, value_range)
    image = check_image(image)
    pooled = None
    ranges: list[tuple[float, float]] = []  # (min, max) per band of a float (raw) result
    if options.lab:
        if options.pool is not None:
            check_lab_pool(image.shape)  # fail before any work, with the reason
        height, width = image.shape
        interior = lab_interior(image, options)
        if interior is not None:  # integers all the way: the standard path's exact speed-ups
            convolved = OUTPUTS.empty(image.shape, lab_output_dtype(image))
            for edge in (np.s_[0], np.s_[-1], np.s_[:, 0], np.s_[:, -1]):  # the margin keeps the original pixels
                convolved[edge] = image[edge]
            inside = convolved[1:-1, 1:-1]

            def lab_band(r0: int, r1: int) -> Callable[[], None]:
                return lambda: interior.compute(r0, r1, inside)

            bands = _bands(height - 2, width - 2, passes=interior.passes)
        else:
            ints = lab_input(image)  # int64 (or LabModeError for fractional values)
            convolved = ints.astype(lab_output_dtype(image))

            def lab_band(r0: int, r1: int) -> Callable[[], None]:
                return lambda: np.copyto(convolved[1 + r0:1 + r1, 1:-1], lab_rows(ints, options, 1 + r0, 1 + r1),
                                         casting="unsafe")

            bands = _bands(max(height - 2, 0), width, passes=9) if height >= 3 and width >= 3 else []
        yield from _run([lab_band(r0, r1) for r0, r1 in bands], image.size, 0.0, 0.9)
        if options.pool is not None:
            pooled = lab_pool(convolved)
    else:
        job = Convolution(image, options)
        convolved = OUTPUTS.empty(job.shape, job.dtype)
        pool = options.pool
        fused = pool is not None and pool.step == pool.size  # bands pool their own rows
        if pool is not None:
            out_h, out_w = pool.output_shape(*convolved.shape)
            pooled = OUTPUTS.empty((out_h, out_w), pool_dtype(convolved.dtype, pool))

        def band(r0: int, r1: int) -> Callable[[], None]:
            def run() -> None:
                value_range = job.compute(r0, r1, convolved)
                if value_range is not None:
                    ranges.append(value_range)  # list.append is thread-safe
                if fused:  # r0 is a multiple of the stride: pool the windows lying within rows r0..r1
                    p0, p1 = r0 // pool.step, min(r1 // pool.step, out_h)
                    if p1 > p0:
                        pool_rows(convolved, pool, p0, p1, out=pooled[p0:p1])
            return run

        def pool_band(p0: int, p1: int) -> Callable[[], None]:
            def run() -> None:
                pool_rows(convolved, pool, p0, p1, out=pooled[p0:p1])
            return run

        bands = _bands(job.shape[0], job.shape[1], job.band_rows, pool.step if fused else 1, job.passes)
        yield from _run([band(r0, r1) for r0, r1 in bands], convolved.size, 0.0, 0.9)
        if pool is not None and not fused:
            pool_bands = _bands(out_h, out_w * pool.size * pool.size)
            yield from _run([pool_band(p0, p1) for p0, p1 in pool_bands], convolved.size, 0.9, 0.99)
    yield 1.0
    value_range = None
    if ranges:
        value_range = (min(lo for lo, _ in ranges), max(hi for _, hi in ranges))
    return JobResult(image, options, convolved, pooled, time.perf_counter() - started, value_range)


def convolve(image: np.ndarray, options: JobOptions, fft: bool | None = None, fixed: bool | None = None
             ) -> np.ndarray:
    """The convolved image in one go, without pooling (uint8 for 'clamp', float32 for 'raw'; lab mode: the
    notebook's loop, see engine.lab). ``fft``, ``fixed``: which sums to use (see Convolution; every choice
    gives the same values)."""
    if is_layer_job(image, options):
        return layer_convolve(image, options)
    if options.lab:
        return lab_convolve(image, options)
    job = Convolution(image, options, fft=fft, fixed=fixed)
    out = np.empty(job.shape, dtype=job.dtype)
    job.compute(0, job.shape[0], out)
    return out


def run_job(image: np.ndarray, options: JobOptions, progress: Callable[[float], None] | None = None,
            cancelled: Callable[[], bool] | None = None) -> JobResult:
    """Run a job to the end. ``cancelled()`` is checked between chunks; when it returns True the job
    stops and raises JobCancelled."""
    return drive(job_steps(image, options), progress, cancelled)


def drive(steps: Generator[float, None, Any], progress: Callable[[float], None] | None = None,
          cancelled: Callable[[], bool] | None = None) -> Any:
    """Run a steps generator (job_steps, engine.pipeline_steps) to its end, reporting progress; raises
    JobCancelled, after closing it, when ``cancelled()`` turns True between chunks."""
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
