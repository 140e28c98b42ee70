"""Pipelines of layers: conv, ReLU and pool layers in order, as one immutable value, and their shapes.

A pipeline is what a small CNN is: each layer reads the previous layer's output (the first reads the
image). ``ConvLayer`` is a whole convolution layer (engine.JobOptions without pooling), ``ReluLayer`` is
``max(v, 0)`` stored as float32, ``PoolLayer`` is max/avg/min pooling (engine.PoolOptions). Today's
convolve-then-pool job is ``Pipeline.from_job(options)``, the pipeline [conv, pool]; lab mode's is the
notebook's two loops, [lab conv, 2x2 max pool]. engine.pipeline_run runs pipelines; layers are numbered
from 1 in messages, from 0 in the API.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar, Union

from . import lab_rules
from .errors import LabModeError, OptionsError
from .layer_options import MAX_IN_CHANNELS, out_channels
from .options import JobOptions, PoolOptions

#: A pipeline holds at most this many layers (a teaching stack, not a deep network).
MAX_LAYERS = 16


def _pair_text(pair: tuple[int, int]) -> str:
    return str(pair[0]) if pair[0] == pair[1] else f"{pair[0]},{pair[1]}"


@dataclass(frozen=True)
class ConvLayer:
    """A whole convolution layer: ``options`` are a job's options with ``pool=None`` (pool is its own layer)."""

    options: JobOptions = field(default_factory=lambda: JobOptions(pool=None, output_range="raw"))
    kind: ClassVar[str] = "conv"

    def __post_init__(self) -> None:
        if not isinstance(self.options, JobOptions):
            raise OptionsError(f"a conv layer takes engine.JobOptions, not {type(self.options).__name__}")
        if self.options.pool is not None:
            raise OptionsError("a conv layer does no pooling (its options must have pool=None); "
                               "add a pool layer after it")

    @classmethod
    def make(cls, kernel: Any, weight: float = 1.0, offset: Any = 0.0, stride: Any = 1, dilation: Any = 1,
             border: str = "zero", output_range: str = "raw", flip: bool = False) -> "ConvLayer":
        """A conv layer with a pipeline's defaults (output range raw: the next layer sees signed values)."""
        return cls(JobOptions(kernel=kernel, weight=weight, offset=offset, stride=stride, dilation=dilation,
                              border=border, output_range=output_range, flip=flip, pool=None))

    @property
    def label(self) -> str:
        o = self.options
        kh, kw, cin, cout = o.layer_shape
        size = f"{kh}x{kw}" if cin is None else f"{kh}x{kw}x{cin}x{cout}"
        text = f"{'lab conv' if o.lab else 'conv'} {size}"
        if o.stride != (1, 1):
            text += f" s{_pair_text(o.stride)}"
        if o.dilation != (1, 1):
            text += f" d{_pair_text(o.dilation)}"
        return text


@dataclass(frozen=True)
class ReluLayer:
    """``max(v, 0)`` of every value, stored as float32 (-0.0 stored as 0.0)."""

    kind: ClassVar[str] = "relu"

    @property
    def label(self) -> str:
        return "ReLU"


@dataclass(frozen=True)
class PoolLayer:
    """Pooling of each channel by itself (engine.pool): windows that do not fit are dropped."""

    pool: PoolOptions = field(default_factory=PoolOptions)
    kind: ClassVar[str] = "pool"

    def __post_init__(self) -> None:
        if not isinstance(self.pool, PoolOptions):
            raise OptionsError(f"a pool layer takes engine.PoolOptions, not {type(self.pool).__name__}")
        if self.pool.stride == self.pool.size:  # one value for one pooling: stride = size is the default
            object.__setattr__(self, "pool", replace(self.pool, stride=None))

    @property
    def label(self) -> str:
        text = f"{self.pool.op} pool {self.pool.size}"
        return text if self.pool.step == self.pool.size else f"{text} s{self.pool.step}"


Layer = Union[ConvLayer, ReluLayer, PoolLayer]
LAYER_TYPES = (ConvLayer, ReluLayer, PoolLayer)


def layer_name(index: int, layer: Layer) -> str:
    """How messages name a layer: 'layer 2 (ReLU)' (numbered from 1)."""
    return f"layer {index + 1} ({layer.label})"


@dataclass(frozen=True)
class Pipeline:
    """An ordered tuple of layers; the editing methods return new pipelines."""

    layers: tuple = ()

    def __post_init__(self) -> None:
        if isinstance(self.layers, (str, bytes)) or not hasattr(self.layers, "__iter__"):
            raise OptionsError("a pipeline's layers must be a list of layers")
        layers = tuple(self.layers)
        for i, layer in enumerate(layers):
            if not isinstance(layer, LAYER_TYPES):
                raise OptionsError(f"layer {i + 1} is a {type(layer).__name__}, not a conv, relu or pool layer")
        if len(layers) > MAX_LAYERS:
            raise OptionsError(f"a pipeline has at most {MAX_LAYERS} layers; this one has {len(layers)}")
        object.__setattr__(self, "layers", layers)

    @classmethod
    def from_job(cls, options: JobOptions) -> "Pipeline":
        """Today's job as a pipeline: [conv, pool], or [conv] when pooling is off. In lab mode the conv layer
        runs the notebook's loop and the pool layer is its 2x2 max pooling."""
        if not isinstance(options, JobOptions):
            raise OptionsError(f"options must be engine.JobOptions, not {type(options).__name__}")
        conv = ConvLayer(replace(options, pool=None))
        return cls((conv,) if options.pool is None else (conv, PoolLayer(options.pool)))

    def __len__(self) -> int:
        return len(self.layers)

    def __getitem__(self, index: int) -> Layer:
        return self.layers[index]

    def _index(self, index: Any, end: bool = False) -> int:
        limit = len(self.layers) + (1 if end else 0)
        if isinstance(index, bool) or not isinstance(index, int) or not 0 <= index < limit:
            raise OptionsError(f"there is no layer {index!r}: this pipeline has {len(self.layers)} layer(s), "
                               f"0 to {len(self.layers) - 1}" if limit else "this pipeline has no layers")
        return index

    def with_layer(self, index: int, layer: Layer) -> "Pipeline":
        i = self._index(index)
        return Pipeline(self.layers[:i] + (layer,) + self.layers[i + 1:])

    def inserted(self, index: int, layer: Layer) -> "Pipeline":
        """A pipeline with ``layer`` at ``index`` (``len(self)`` appends it)."""
        i = self._index(index, end=True)
        return Pipeline(self.layers[:i] + (layer,) + self.layers[i:])

    def removed(self, index: int) -> "Pipeline":
        i = self._index(index)
        return Pipeline(self.layers[:i] + self.layers[i + 1:])

    def moved(self, index: int, to: int) -> "Pipeline":
        """The layer at ``index`` moved so that it ends up at index ``to``."""
        i, j = self._index(index), self._index(to)
        rest = self.layers[:i] + self.layers[i + 1:]
        return Pipeline(rest[:j] + (self.layers[i],) + rest[j:])

    def first_difference(self, other: "Pipeline | None") -> int:
        """The first layer index at which ``other`` differs from this pipeline (``len(self)`` when this
        pipeline starts with all of other's layers ... and has no more): where a recompute starts."""
        if other is None:
            return 0
        for i, (a, b) in enumerate(zip(self.layers, other.layers)):
            if a != b:
                return i
        return min(len(self.layers), len(other.layers))

    @property
    def labels(self) -> tuple[str, ...]:
        return tuple(layer.label for layer in self.layers)


def layer_output_shape(layer: Layer, shape: tuple[int, ...]) -> tuple[int, ...]:
    """The output shape of one layer for an input of ``shape`` (H x W or H x W x C); OptionsError (or
    LabModeError) saying why when there is none. Messages do not name the layer: output_shapes adds it."""
    height, width = shape[:2]
    channels = 1 if len(shape) == 2 else shape[2]
    if isinstance(layer, ReluLayer):
        return tuple(shape)
    if isinstance(layer, PoolLayer):
        out = layer.pool.output_shape(height, width)
        if 0 in out:
            raise OptionsError(f"its input ({width}x{height}) is smaller than the {layer.pool.size}x"
                               f"{layer.pool.size} pooling window, so there is no output")
        return out if len(shape) == 2 else (*out, channels)
    options = layer.options
    if options.lab:
        lab_rules.check_channels(shape)
    elif channels > MAX_IN_CHANNELS:
        raise OptionsError(f"its input has {channels} channels; a conv layer reads 1 to {MAX_IN_CHANNELS}")
    kh, kw, cin, cout = options.layer_shape
    if cin is not None and cin != channels:
        raise OptionsError(f"the kernel takes {cin} input channel(s) ({kh}x{kw}x{cin}x{cout}) but its input "
                           f"has {channels}")
    count = out_channels(options, channels)
    out = options.output_shape(height, width)
    if 0 in out:
        raise OptionsError(f"its input ({width}x{height}) is smaller than the kernel's window, so the 'valid' "
                           "border leaves no output; choose another border, a smaller kernel or less dilation")
    return out if count == 1 else (*out, count)


def output_shapes(pipeline: Pipeline, image_shape: tuple[int, ...]) -> list[tuple[int, ...]]:
    """The shape of every layer's output for an image of ``image_shape``, without running anything: H x W
    for one channel, H x W x C for several. OptionsError names the first layer that cannot run."""
    if not isinstance(pipeline, Pipeline):
        raise OptionsError(f"expected an engine.Pipeline, not {type(pipeline).__name__}")
    shape = tuple(int(n) for n in image_shape)
    if len(shape) == 3 and shape[2] == 1:
        shape = shape[:2]
    shapes = []
    previous: Layer | None = None
    for i, layer in enumerate(pipeline.layers):
        try:
            if isinstance(layer, PoolLayer) and isinstance(previous, ConvLayer) and previous.options.lab:
                lab_rules.check_image_size(shape[:2])  # the notebook's pooling loop fails on odd sizes
            shape = layer_output_shape(layer, shape)
        except OptionsError as e:
            kind = LabModeError if isinstance(e, LabModeError) else OptionsError
            raise kind(f"{layer_name(i, layer)}: {e}") from None
        shapes.append(shape)
        previous = layer
    return shapes
