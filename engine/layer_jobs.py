"""Layer jobs: what engine.jobs runs when an image has channels, the kernel is 4-D (HWIO), a stride or
dilation is not 1, the output range is relu or the offsets are per channel.

Each output channel is computed into its own contiguous plane (Cout x H' x W'); JobResult.convolved is
that plane for one output channel, and H' x W' x Cout (a view of the planes) for several; pooling applies
to each plane. A 2-D kernel with stride 1 and dilation 1 runs today's single-channel Convolution on each
channel (the same values: it is the same loop); everything else runs engine.layer.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable, Generator

import numpy as np

from . import lab_rules
from .channels import channel, channel_count, check_channels_image
from .convolution import Convolution
from .buffers import OutputBuffers
from .layer import Layer
from .layer_finish import Finish
from .layer_options import out_channels
from .layer_reuse import Remembered, remember, remembered, reuse, reused_maps  # noqa: F401  (engine.reused_maps)
from .options import JobOptions, PoolOptions
from .pooling import pool_dtype, pool_rows
from .scratch import scratch

#: A result keeps its maps' sums for the next job when they take at most this many bytes (8 maps of 1 MP
#: in float64): then an edit of the weight, a bias or the output range finishes them instead of summing.
SUMS_BYTES = 1 << 26
#: Pixels finished at a time from kept sums: a few rows that stay in the cache through the finish.
FINISH_PIXELS = 1 << 17
_SUMS = OutputBuffers(keep=2)


def is_layer_job(image: np.ndarray, options: JobOptions) -> bool:
    """True when the job needs the layer path (see the module docstring); lab mode refuses channels."""
    if options.lab:
        if isinstance(image, np.ndarray):
            lab_rules.check_channels(image.shape)
        return False
    return (isinstance(image, np.ndarray) and image.ndim == 3) or options.is_layer_kernel \
        or options.stride != (1, 1) or options.dilation != (1, 1) or options.output_range == "relu" \
        or isinstance(options.offset, tuple)


class _PerChannel:
    """Today's Convolution on each channel, for a 2-D kernel with stride 1 and dilation 1."""

    def __init__(self, image: np.ndarray, options: JobOptions) -> None:
        count = 1 if image.ndim == 2 else image.shape[2]
        Layer.check(image, options)  # the same refusals as the layer path, with the same messages
        single = replace(options, output_range="raw" if options.output_range == "relu" else options.output_range,
                         offset=0.0, pool=None)
        self.relu = options.output_range == "relu"
        self.jobs = [Convolution(channel(image, o), replace(single, offset=options.offset_of(o)))
                     for o in range(count)]
        self.channels_out = count
        self.shape, self.dtype = self.jobs[0].shape, self.jobs[0].dtype
        self.passes = self.jobs[0].passes

    def compute(self, r0: int, r1: int, out: np.ndarray) -> list[tuple[float, float]] | None:
        ranges = [job.compute(r0, r1, out[o]) for o, job in enumerate(self.jobs)]
        if ranges[0] is None:
            return None
        if self.relu:
            rows = out[:, r0:r1]
            np.maximum(rows, np.float32(0.0), out=rows)
            rows += np.float32(0.0)
            ranges = [(max(lo, 0.0), max(hi, 0.0)) for lo, hi in ranges]
        return ranges


def prepare(image: np.ndarray, options: JobOptions):
    """The computation for a layer job: ``compute(r0, r1, out)`` writes rows r0..r1 of every plane."""
    image = check_channels_image(image)
    options = options.as_correlation()  # true convolution is correlation with the kernel turned 180 degrees
    if not options.is_layer_kernel and options.stride == (1, 1) and options.dilation == (1, 1):
        return _PerChannel(image, options)
    return Layer(image, options)


def exposed(planes: np.ndarray) -> np.ndarray:
    """H' x W' for one plane, H' x W' x C (a view of the planes) for several."""
    return planes[0] if planes.shape[0] == 1 else np.moveaxis(planes, 0, -1)


def _maps_of(options: JobOptions, maps: list[int]) -> JobOptions:
    """The options of a layer of only these output maps (kernel slices and offsets)."""
    kernel = options.kernel_array[..., maps]
    return options.with_changes(kernel=kernel, offset=tuple(options.offset_of(o) for o in maps))


def layer_steps(image: np.ndarray, options: JobOptions, run, bands_of, outputs, previous=None
                ) -> Generator[float, None, tuple[np.ndarray, np.ndarray | None, tuple[float, float] | None]]:
    """The chunks of a layer job for engine.jobs.job_steps, which passes its chunk runner ``run``, its band
    splitter ``bands_of`` and its output buffers: yields the fraction done between chunks and returns
    (convolved, pooled or None, (min, max) of a float result or None). Maps whose values ``previous``
    already holds are copied from it, maps whose sums it holds are finished from them (engine.layer_reuse);
    only the rest are summed."""
    kept, refinished = reuse(image, options, previous)
    reusing = bool(kept or refinished)
    count = out_channels(options, channel_count(image))
    changed = [o for o in range(count) if o not in kept and o not in refinished]
    job = prepare(image, _maps_of(options, changed) if reusing else options) if changed else None
    old = remembered(previous) if reusing else None
    height, width = job.shape if job is not None else old.planes.shape[1:]
    dtype = np.dtype(np.uint8 if options.output_range == "clamp" else np.float32)
    planes = outputs.empty((count, height, width), dtype)
    sums: list = list(old.sums) if reusing and old.sums is not None else [None] * count
    fresh = None  # where the changed maps' sums are kept for the next job
    if isinstance(job, Layer) and count > 1 and count * height * width * job.sums_dtype.itemsize <= SUMS_BYTES:
        fresh = _SUMS.empty((len(changed), height, width), job.sums_dtype)
        for number, o in enumerate(changed):
            sums[o] = job.map_sums(number, fresh[number])
    finishes = {o: Finish(sums[o].exponent, sums[o].bound, options.weight, options.offset_of(o),
                          options.output_range) for o in refinished}
    band_ranges: list[dict[int, tuple[float, float]]] = []
    ranges = list(old.ranges) if kept and old.ranges is not None else [None] * count
    for o in refinished:  # a finished map's range is its finished extreme sums' (Finish.value_range)
        ranges[o] = finishes[o].value_range(sums[o])
    pool = options.pool
    pooled_planes = pooled = None
    if pool is not None:
        out_h, out_w = pool.output_shape(height, width)
        pooled_planes = pooled = outputs.empty((count, out_h, out_w), pool_dtype(planes.dtype, pool))
    fused = pool is not None and pool.step == pool.size  # bands pool their own rows while in the cache

    def band(r0: int, r1: int) -> Callable[[], None]:
        def compute() -> None:
            found = {}
            if changed:
                value_ranges = job.compute(r0, r1, planes, changed, fresh) if reusing or fresh is not None \
                    else job.compute(r0, r1, planes)
                found.update(zip(changed, value_ranges or ()))
            for o in refinished:  # fused: each few rows pooled as soon as they are finished
                _finish_rows(sums[o].values, finishes[o], planes[o], r0, r1, *((pool, pooled[o]) if fused else ()))
            for o in kept:
                planes[o, r0:r1] = old.planes[o, r0:r1]
            band_ranges.append(found)  # list.append is thread-safe
            if fused:
                pool_band(r0 // pool.step, min(r1 // pool.step, out_h), changed)()
        return compute

    def pool_band(p0: int, p1: int, maps: list[int]) -> Callable[[], None]:
        def compute() -> None:
            for o in maps:
                pool_rows(planes[o], pool, p0, p1, out=pooled[o, p0:p1])
            for o in kept:
                pooled[o, p0:p1] = old.pooled[o, p0:p1]
        return compute

    pixels = planes.size
    work = len(changed) + len(refinished) // 2 + len(kept) // 4
    bands = bands_of(height, width * max(work, 1), multiple=pool.step if fused else 1,
                     passes=job.passes if job is not None else 8)
    yield from run([band(r0, r1) for r0, r1 in bands], pixels, 0.0, 0.95 if fused else 0.9)
    if dtype.kind == "f":
        for o in changed:
            ranges_of = [found[o] for found in band_ranges if o in found]
            ranges[o] = (min(lo for lo, _ in ranges_of), max(hi for _, hi in ranges_of)) if ranges_of else None
    if pool is not None and not fused:
        pool_bands = bands_of(out_h, out_w * pool.size * pool.size * count)
        yield from run([pool_band(p0, p1, changed + refinished) for p0, p1 in pool_bands], pixels, 0.9, 0.99)
    yield 1.0
    known = [r for r in ranges if r is not None]
    value_range = (min(lo for lo, _ in known), max(hi for _, hi in known)) if known else None
    convolved = exposed(planes)
    if count > 1:
        remember(convolved, Remembered(planes, pooled_planes, ranges if dtype.kind == "f" else None,
                                       tuple(sums) if any(m is not None for m in sums) else None))
    return convolved, exposed(pooled_planes) if pooled_planes is not None else None, value_range


def _finish_rows(sums: np.ndarray, finish: Finish, plane: np.ndarray, r0: int, r1: int,
                 pool: PoolOptions | None = None, pooled: np.ndarray | None = None) -> None:
    """plane[r0:r1] = the finished sums[r0:r1], a few rows at a time (copied first where the finish would
    overwrite them: they are kept); with ``pool`` (its step its size, r0 a multiple of it), each few rows'
    windows are pooled into ``pooled`` while the rows are in the cache."""
    step = max(1, FINISH_PIXELS // max(sums.shape[1], 1))
    if pool is not None:
        step = max(pool.step, step - step % pool.step)
    copy = finish.overwrites(sums.dtype)
    for t0 in range(r0, r1, step):
        t1 = min(t0 + step, r1)
        work = sums[t0:t1]
        if copy:
            work = scratch("refinish", work.size, sums.dtype).reshape(work.shape)
            np.copyto(work, sums[t0:t1])
        finish(work, plane[t0:t1])
        if pool is not None:
            p0, p1 = t0 // pool.step, min(t1 // pool.step, pooled.shape[0])
            if p1 > p0:
                pool_rows(plane, pool, p0, p1, out=pooled[p0:p1])


def layer_convolve(image: np.ndarray, options: JobOptions) -> np.ndarray:
    """The convolved image of a layer job in one go (no pooling)."""
    job = prepare(image, options)
    planes = np.empty((job.channels_out, *job.shape), job.dtype)
    job.compute(0, job.shape[0], planes)
    return exposed(planes)
