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
from .channels import channel, check_channels_image
from .convolution import Convolution
from .layer import Layer
from .options import JobOptions
from .pooling import pool_dtype, pool_rows


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

    def compute(self, r0: int, r1: int, out: np.ndarray) -> tuple[float, float] | None:
        ranges = [job.compute(r0, r1, out[o]) for o, job in enumerate(self.jobs)]
        ranges = [r for r in ranges if r is not None]
        if self.relu:
            rows = out[:, r0:r1]
            np.maximum(rows, np.float32(0.0), out=rows)
            rows += np.float32(0.0)
            ranges = [(max(lo, 0.0), max(hi, 0.0)) for lo, hi in ranges]
        return (min(lo for lo, _ in ranges), max(hi for _, hi in ranges)) if ranges else None


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


def layer_steps(image: np.ndarray, options: JobOptions, run, bands_of, outputs
                ) -> Generator[float, None, tuple[np.ndarray, np.ndarray | None, tuple[float, float] | None]]:
    """The chunks of a layer job for engine.jobs.job_steps, which passes its chunk runner ``run``, its band
    splitter ``bands_of`` and its output buffers: yields the fraction done between chunks and returns
    (convolved, pooled or None, (min, max) of a float result or None)."""
    job = prepare(image, options)
    height, width = job.shape
    planes = outputs.empty((job.channels_out, height, width), job.dtype)
    ranges: list[tuple[float, float]] = []

    def band(r0: int, r1: int) -> Callable[[], None]:
        def compute() -> None:
            value_range = job.compute(r0, r1, planes)
            if value_range is not None:
                ranges.append(value_range)  # list.append is thread-safe
        return compute

    pixels = planes.size
    bands = bands_of(height, width * job.channels_out, passes=job.passes)
    yield from run([band(r0, r1) for r0, r1 in bands], pixels, 0.0, 0.9)
    pooled = None
    pool = options.pool
    if pool is not None:
        out_h, out_w = pool.output_shape(height, width)
        pooled = outputs.empty((job.channels_out, out_h, out_w), pool_dtype(planes.dtype, pool))

        def pool_band(p0: int, p1: int) -> Callable[[], None]:
            def compute() -> None:
                for o in range(job.channels_out):
                    pool_rows(planes[o], pool, p0, p1, out=pooled[o, p0:p1])
            return compute

        pool_bands = bands_of(out_h, out_w * pool.size * pool.size * job.channels_out)
        yield from run([pool_band(p0, p1) for p0, p1 in pool_bands], pixels, 0.9, 0.99)
        pooled = exposed(pooled)
    yield 1.0
    value_range = (min(lo for lo, _ in ranges), max(hi for _, hi in ranges)) if ranges else None
    return exposed(planes), pooled, value_range


def layer_convolve(image: np.ndarray, options: JobOptions) -> np.ndarray:
    """The convolved image of a layer job in one go (no pooling)."""
    job = prepare(image, options)
    planes = np.empty((job.channels_out, *job.shape), job.dtype)
    job.compute(0, job.shape[0], planes)
    return exposed(planes)
