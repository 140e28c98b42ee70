"""Layer jobs: what engine.jobs runs when an image has channels, the kernel is 4-D (HWIO), a stride or
dilation is not 1, the output range is relu or the offsets are per channel.

Each output channel is computed into its own contiguous plane (Cout x H' x W'); JobResult.convolved is
that plane for one output channel, and H' x W' x Cout (a view of the planes) for several; pooling applies
to each plane. A 2-D kernel with stride 1 and dilation 1 runs today's single-channel Convolution on each
channel (the same values: it is the same loop); everything else runs engine.layer.
"""

from __future__ import annotations

import weakref
from dataclasses import fields, replace
from typing import Callable, Generator

import numpy as np

from . import lab_rules
from .channels import channel, channel_count, check_channels_image
from .convolution import Convolution
from .layer import Layer
from .layer_options import out_channels
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


def reused_maps(image: np.ndarray, options: JobOptions, previous) -> list[int]:
    """The output maps whose values ``previous`` (the JobResult of an earlier layer job) already holds for
    ``image`` and ``options``: each map is a function of the image, the options other than the kernel and
    the offsets, its own kernel slice and its own offset, so when those are the same (the same image
    object, unchanged since; the rest equal bit for bit) so are its values. Editing one slice of an
    8-map layer then computes one map and copies seven."""
    if previous is None or previous.image is not image or not options.is_layer_kernel \
            or _remembered(previous) is None:
        return []
    old_options = previous.options
    if any(getattr(options, f.name) != getattr(old_options, f.name) for f in fields(options)
           if f.name not in ("kernel", "offset")):
        return []
    new, old = options.kernel_array, old_options.kernel_array
    if new.shape != old.shape or new.ndim != 4:
        return []
    return [o for o in range(new.shape[3]) if new[..., o].tobytes() == old[..., o].tobytes()
            and np.float64(options.offset_of(o)).tobytes() == np.float64(old_options.offset_of(o)).tobytes()]


#: id(convolved result) -> (weak reference to it, its planes, its pooled planes or None, each map's (min, max)
#: or None): what reused_maps and layer_steps need of an earlier layer job's result; an entry goes when the
#: result's array does (the array holds the planes anyway: the entry keeps nothing alive longer).
_MAPS: dict[int, tuple] = {}


def _remember(convolved: np.ndarray, planes: np.ndarray, pooled: np.ndarray | None, ranges: list | None) -> None:
    key = id(convolved)
    _MAPS[key] = (weakref.ref(convolved, lambda _ref: _MAPS.pop(key, None)), planes, pooled, ranges)


def _remembered(result) -> tuple | None:
    """(planes, pooled planes or None, per-map ranges or None) of a layer job's result, or None."""
    entry = _MAPS.get(id(result.convolved))
    if entry is None or entry[0]() is not result.convolved:
        return None
    return entry[1:]


def _maps_of(options: JobOptions, maps: list[int]) -> JobOptions:
    """The options of a layer of only these output maps (kernel slices and offsets)."""
    kernel = options.kernel_array[..., maps]
    return options.with_changes(kernel=kernel, offset=tuple(options.offset_of(o) for o in maps))


def layer_steps(image: np.ndarray, options: JobOptions, run, bands_of, outputs, previous=None
                ) -> Generator[float, None, tuple[np.ndarray, np.ndarray | None, tuple[float, float] | None]]:
    """The chunks of a layer job for engine.jobs.job_steps, which passes its chunk runner ``run``, its band
    splitter ``bands_of`` and its output buffers: yields the fraction done between chunks and returns
    (convolved, pooled or None, (min, max) of a float result or None). Maps that ``previous`` already
    holds (see reused_maps) are copied from it rather than computed."""
    kept = reused_maps(image, options, previous)
    count = out_channels(options, channel_count(image)) if kept else 0
    changed = [o for o in range(count) if o not in kept]
    job = prepare(image, _maps_of(options, changed) if kept and changed else options)
    height, width = job.shape
    old_planes, old_pooled, old_ranges = _remembered(previous) if kept else (None, None, None)
    if kept:
        dtype, ranges = old_planes.dtype, list(old_ranges or [])
    else:
        count, changed, dtype, ranges = job.channels_out, list(range(job.channels_out)), job.dtype, []
    planes = outputs.empty((count, height, width), dtype)
    band_ranges: list[list[tuple[float, float]]] = []

    def band(r0: int, r1: int) -> Callable[[], None]:
        def compute() -> None:
            if changed:
                value_ranges = job.compute(r0, r1, planes, changed) if kept else job.compute(r0, r1, planes)
                if value_ranges is not None:
                    band_ranges.append(value_ranges)  # list.append is thread-safe
            for o in kept:
                planes[o, r0:r1] = old_planes[o, r0:r1]
        return compute

    pixels = planes.size
    bands = bands_of(height, width * (len(changed) + len(kept) // 4), passes=job.passes)
    yield from run([band(r0, r1) for r0, r1 in bands], pixels, 0.0, 0.9)
    if dtype.kind == "f":
        for number, o in enumerate(changed):
            ranges_of = [value_ranges[number] for value_ranges in band_ranges]
            value = (min(lo for lo, _ in ranges_of), max(hi for _, hi in ranges_of)) if ranges_of else None
            ranges = ranges + [None] * (count - len(ranges))
            ranges[o] = value
    pooled_planes = pooled = None
    pool = options.pool
    if pool is not None:
        out_h, out_w = pool.output_shape(height, width)
        pooled_planes = pooled = outputs.empty((count, out_h, out_w), pool_dtype(planes.dtype, pool))

        def pool_band(p0: int, p1: int) -> Callable[[], None]:
            def compute() -> None:
                for o in changed:
                    pool_rows(planes[o], pool, p0, p1, out=pooled[o, p0:p1])
                for o in kept:
                    pooled[o, p0:p1] = old_pooled[o, p0:p1]
            return compute

        pool_bands = bands_of(out_h, out_w * pool.size * pool.size * count)
        yield from run([pool_band(p0, p1) for p0, p1 in pool_bands], pixels, 0.9, 0.99)
    yield 1.0
    known = [r for r in ranges if r is not None]
    value_range = (min(lo for lo, _ in known), max(hi for _, hi in known)) if known else None
    convolved = exposed(planes)
    if count > 1:
        _remember(convolved, planes, pooled_planes, ranges if dtype.kind == "f" else None)
    return convolved, exposed(pooled_planes) if pooled_planes is not None else None, value_range


def layer_convolve(image: np.ndarray, options: JobOptions) -> np.ndarray:
    """The convolved image of a layer job in one go (no pooling)."""
    job = prepare(image, options)
    planes = np.empty((job.channels_out, *job.shape), job.dtype)
    job.compute(0, job.shape[0], planes)
    return exposed(planes)
