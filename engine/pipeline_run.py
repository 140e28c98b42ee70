"""Running a pipeline: every layer's output, chunk by chunk, cancellable, recomputed from any layer on.

``pipeline_steps`` is a generator like engine.jobs.job_steps: it yields the fraction done (0..1) between
chunks and returns a PipelineResult; a caller cancels by closing it. Each layer's output is exactly what
that layer gives when run alone on the previous output: a conv layer runs engine.job_steps (so it equals
engine.convolve bit for bit), a pool layer engine.pooling's rows on each channel (engine.pool), a ReLU layer
``relu``. With ``previous`` and ``start``, layers before ``start`` are taken from the previous result (the
same arrays), and only layers ``start`` on are computed.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable, Generator

import numpy as np

from .exact import dyadic_kernel
from .errors import ImageError, KernelscopeError, LabModeError, OptionsError
from .images import MAX_ABS_VALUE, check_channels_image
from .jobs import OUTPUTS, _bands, _run, convolve, drive, job_steps
from .layer_jobs import exposed
from .pipeline import ConvLayer, Layer, Pipeline, ReluLayer, layer_name, output_shapes
from .pooling import pool, pool_dtype, pool_rows

Range = tuple[float, float] | None


@dataclass(frozen=True)
class PipelineResult:
    """Every layer's output for ``image`` under ``pipeline``.

    ``outputs[i]`` is layer i's output (H x W for one channel, H x W x C for several); ``ranges[i]`` its
    (min, max), or None for uint8 outputs (0..255); ``seconds[i]`` how long layer i took (when it was
    computed: a reused layer keeps its time from the run that computed it); ``start`` the first layer this
    run computed."""

    image: np.ndarray
    pipeline: Pipeline
    outputs: tuple[np.ndarray, ...]
    ranges: tuple[Range, ...]
    seconds: tuple[float, ...]
    start: int = 0

    @property
    def output(self) -> np.ndarray | None:
        """The last layer's output (None for a pipeline without layers)."""
        return self.outputs[-1] if self.outputs else None


def as_layer_input(image: np.ndarray) -> np.ndarray:
    """An image as the first layer reads it: H x W x 1 is H x W."""
    if isinstance(image, np.ndarray) and image.ndim == 3 and image.shape[2] == 1:
        return image[:, :, 0]
    return image


def relu(array: np.ndarray) -> np.ndarray:
    """``max(v, 0)`` of every value as float32 (the ReLU layer by itself)."""
    out = np.empty(array.shape, np.float32)
    np.maximum(array, 0, out=out, casting="unsafe")
    out += np.float32(0.0)  # -0.0 becomes 0.0, as a relu output range stores it
    return out


def pool_channels(array: np.ndarray, options) -> np.ndarray:
    """engine.pool on each channel of an H x W or H x W x C array (the pool layer by itself)."""
    if array.ndim == 2:
        return pool(array, options)
    return np.stack([pool(array[:, :, c], options) for c in range(array.shape[2])], axis=-1)


def _planes(shape: tuple[int, ...], dtype) -> tuple[np.ndarray, list[np.ndarray]]:
    """An output as channel planes (C x H x W, exposed as H x W x C like a conv layer's) and its channels."""
    count = 1 if len(shape) == 2 else shape[2]
    planes = OUTPUTS.empty((count, *shape[:2]), dtype)
    return planes, [planes[c] for c in range(count)]


def _channels(array: np.ndarray) -> list[np.ndarray]:
    return [array] if array.ndim == 2 else [array[:, :, c] for c in range(array.shape[2])]


#: Values per block of a ReLU band: the block's max and its -0.0 fix-up run while it is still in the cache.
RELU_BLOCK = 1 << 15


def _relu_steps(source: np.ndarray, source_range: Range) -> Generator[float, None, tuple[np.ndarray, Range]]:
    """ReLU in bands. The output's range follows from the input's when it is known (max(v, 0) is monotone
    and float32 rounding too), so only an input without one (the image) costs a pass for it."""
    planes, outs = _planes(source.shape, np.float32)
    ins = _channels(source)
    ranges: list[tuple[float, float]] = []
    height, width = source.shape[:2]
    block = max(1, RELU_BLOCK // width)

    def band(r0: int, r1: int) -> Callable[[], None]:
        def compute() -> None:
            for a, b in zip(ins, outs):
                for t0 in range(r0, r1, block):
                    rows = b[t0:min(t0 + block, r1)]
                    np.maximum(a[t0:t0 + rows.shape[0]], 0, out=rows, casting="unsafe")
                    rows += np.float32(0.0)
            if source_range is None:
                part = planes[:, r0:r1]
                ranges.append((float(part.min()), float(part.max())))
        return compute

    bands = _bands(height, width * len(ins), passes=2)
    yield from _run([band(r0, r1) for r0, r1 in bands], planes.size, 0.0, 1.0)
    if source_range is not None:
        low, high = (max(float(np.float32(v)), 0.0) for v in source_range)
        return exposed(planes), (low, high)
    return exposed(planes), _merged(ranges)


def _pool_steps(source: np.ndarray, options, shape: tuple[int, ...]) -> Generator[float, None, tuple[np.ndarray, Range]]:
    planes, outs = _planes(shape, pool_dtype(source.dtype, options))
    ins = _channels(source)
    ranges: list[tuple[float, float]] = []
    track = planes.dtype != np.uint8

    def band(p0: int, p1: int) -> Callable[[], None]:
        def compute() -> None:
            for a, b in zip(ins, outs):
                pool_rows(a, options, p0, p1, out=b[p0:p1])
            if track:
                block = planes[:, p0:p1]
                ranges.append((float(block.min()), float(block.max())))
        return compute

    bands = _bands(shape[0], shape[1] * len(ins) * options.size * options.size)
    yield from _run([band(p0, p1) for p0, p1 in bands], source.size, 0.0, 1.0)
    return exposed(planes), _merged(ranges) if track else None


def as_whole_numbers(source: np.ndarray, source_range: Range, options) -> np.ndarray:
    """A float layer input that holds only whole numbers (an integer kernel's raw output, its ReLU or pooling)
    as int16 or int32, when a dyadic kernel will read it: the engine then sums exactly in integers, which
    gives the float loop's result bit for bit (each of its partial sums is exact), in fewer passes."""
    if source.dtype.kind != "f" or source_range is None or options.lab:
        return source
    peak = max(-source_range[0], source_range[1])
    if peak >= 2 ** 31 or dyadic_kernel(options.kernel_array) is None or not np.array_equal(source, np.trunc(source)):
        return source
    return source.astype(np.int16 if peak < 2 ** 15 else np.int32)


def _conv_steps(source: np.ndarray, layer: ConvLayer, source_range: Range
                ) -> Generator[float, None, tuple[np.ndarray, Range]]:
    source = as_whole_numbers(source, source_range, layer.options.as_correlation())
    result = yield from job_steps(source, layer.options)
    out = result.convolved
    value_range = result.convolved_range
    if value_range is None and out.dtype != np.uint8:
        value_range = (float(out.min()), float(out.max())) if out.size else None
    return out, value_range


def _merged(ranges: list[tuple[float, float]]) -> Range:
    return (min(lo for lo, _ in ranges), max(hi for _, hi in ranges)) if ranges else None


def layer_steps(layer: Layer, source: np.ndarray, shape: tuple[int, ...], source_range: Range = None
                ) -> Generator[float, None, tuple[np.ndarray, Range]]:
    """One layer's chunks on ``source`` (its output has ``shape``; ``source_range`` its (min, max) when
    known): yields 0..1, returns (output, (min, max) or None for uint8)."""
    if isinstance(layer, ConvLayer):
        return (yield from _conv_steps(source, layer, source_range))
    if isinstance(layer, ReluLayer):
        return (yield from _relu_steps(source, source_range))
    return (yield from _pool_steps(source, layer.pool, shape))


def run_layer(layer: Layer, source: np.ndarray) -> np.ndarray:
    """One layer by itself on ``source``, in one go, through the engine's single-layer functions."""
    if isinstance(layer, ConvLayer):
        return convolve(source, layer.options)
    if isinstance(layer, ReluLayer):
        return relu(source)
    return pool_channels(source, layer.pool)


def _in_layer(index: int, layer: Layer, error: KernelscopeError) -> KernelscopeError:
    """The error, its message naming the layer."""
    kind = next(k for k in (LabModeError, ImageError, OptionsError, KernelscopeError) if isinstance(error, k))
    return kind(f"{layer_name(index, layer)}: {error}")


def _reusable(image: np.ndarray, pipeline: Pipeline, previous: PipelineResult | None, start) -> int:
    """``start`` when the previous result's first ``start`` outputs are this image's under this pipeline."""
    if isinstance(start, bool) or not isinstance(start, (int, np.integer)) or not 0 <= start <= len(pipeline):
        raise OptionsError(f"start must be a layer index from 0 to {len(pipeline)}, not {start!r}")
    start = int(start)
    if start == 0:
        return 0
    if not isinstance(previous, PipelineResult):
        raise OptionsError(f"recomputing from layer {start + 1} needs the previous result to take the earlier "
                           "layers' outputs from")
    if len(previous.outputs) < start or previous.pipeline.layers[:start] != pipeline.layers[:start]:
        raise OptionsError(f"the previous result was made with other layers before layer {start + 1}; "
                           "recompute from an earlier layer")
    same = previous.image is image or (
        isinstance(image, np.ndarray) and previous.image.shape == image.shape
        and previous.image.dtype == image.dtype and np.array_equal(previous.image, image))
    if not same:
        raise OptionsError("the previous result was made from another image; recompute from layer 1")
    return start


def _check_values(index: int, pipeline: Pipeline, source_range: Range) -> None:
    """A conv layer reads values within +-MAX_ABS_VALUE, like any image: say which layer made larger ones."""
    if source_range is not None and max(-source_range[0], source_range[1]) > MAX_ABS_VALUE:
        peak = source_range[1] if source_range[1] > -source_range[0] else source_range[0]
        raise ImageError(f"{layer_name(index, pipeline.layers[index])}: its input, the output of "
                         f"{layer_name(index - 1, pipeline.layers[index - 1])}, reaches {peak:.3g}; a conv "
                         f"layer reads values within +-{MAX_ABS_VALUE:g} (lower a weight or use output range clamp)")


def pipeline_steps(image: np.ndarray, pipeline: Pipeline, previous: PipelineResult | None = None,
                   start: int = 0) -> Generator[float, None, PipelineResult]:
    """Run layers ``start`` on (earlier ones from ``previous``), yielding the fraction done between chunks;
    returns the PipelineResult. Every refusal (shapes, channels, a layer's options) comes before any work,
    as an OptionsError or ImageError naming the layer."""
    given = image
    image = as_layer_input(check_channels_image(image))
    shapes = output_shapes(pipeline, image.shape)
    start = _reusable(given, pipeline, previous, start)
    outputs = list(previous.outputs[:start]) if start else []
    ranges = list(previous.ranges[:start]) if start else []
    seconds = list(previous.seconds[:start]) if start else []
    todo = len(pipeline) - start
    for i in range(start, len(pipeline)):
        layer = pipeline.layers[i]
        source = image if i == 0 else outputs[i - 1]
        if i > 0 and isinstance(layer, ConvLayer):
            _check_values(i, pipeline, ranges[i - 1])
        began = time.perf_counter()
        low, high = (i - start) / todo, (i - start + 1) / todo
        steps = layer_steps(layer, source, shapes[i], None if i == 0 else ranges[i - 1])
        try:
            while True:
                fraction = next(steps)
                yield low + (high - low) * fraction
        except StopIteration as done:
            out, value_range = done.value
        except KernelscopeError as e:
            raise _in_layer(i, layer, e) from None
        finally:
            steps.close()
        outputs.append(out)
        ranges.append(value_range)
        seconds.append(time.perf_counter() - began)
    yield 1.0
    return PipelineResult(given, pipeline, tuple(outputs), tuple(ranges), tuple(seconds), start)


def run_pipeline(image: np.ndarray, pipeline: Pipeline, previous: PipelineResult | None = None, start: int = 0,
                 progress: Callable[[float], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> PipelineResult:
    """Run a pipeline to the end (see pipeline_steps). ``cancelled()`` is checked between chunks; when it
    returns True the run stops and raises JobCancelled."""
    return drive(pipeline_steps(image, pipeline, previous, start), progress, cancelled)
