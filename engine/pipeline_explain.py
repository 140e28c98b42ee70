"""The arithmetic of one pixel of any layer of a pipeline, reading the layer below it.

Layer L's pixel is explained from the array layer L reads (the image for layer 0, else layer L-1's
output), so every position an explanation names is a pixel of that array: a conv layer's terms
(engine.explain.Term: ``source_pos`` and ``channel``, None for zero padding), a pool layer's window cells
(PoolExplanation.cells, in the same channel), a ReLU's one input value (ReluExplanation.source_pos). The
stored value equals the pipeline's output bit for bit: the explanations are the single-layer ones
(engine.explain_pixel, engine.explain.pool_explanation), run on the same input.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Union

import numpy as np

from .errors import OptionsError
from .explain import PixelExplanation, PoolExplanation, _check_channel, _position, pool_explanation
from .layer_explain import explain_pixel
from .numbers import format_number
from .pipeline import ConvLayer, Pipeline, PoolLayer, layer_name
from .pipeline_run import PipelineResult, as_layer_input


@dataclass(frozen=True)
class ReluExplanation:
    """How a ReLU layer's pixel was made: ``max(value, 0)`` stored as float32."""

    out_pos: tuple[int, int]
    channel: int
    source_pos: tuple[int, int]  # the pixel of the layer below (same channel)
    value: float
    stored: float

    def describe(self) -> str:
        r, c = self.out_pos
        return (f"relu[{r}, {c}] = max(in{list(self.source_pos)} {format_number(self.value)}, 0) "
                f"-> {format_number(self.stored)} (float32)")


LayerExplanation = Union[PixelExplanation, PoolExplanation, ReluExplanation]


def _channel_plane(array: np.ndarray, channel: int) -> np.ndarray:
    return array if array.ndim == 2 else array[:, :, channel]


def explain_layer_pixel(image: np.ndarray, pipeline: Pipeline, result: PipelineResult, layer: int, row: int,
                        col: int, channel: int = 0) -> LayerExplanation:
    """How pixel (row, col) of output ``channel`` of layer ``layer`` (counted from 0) was made from the
    layer below: a PixelExplanation for a conv layer, a PoolExplanation for a pool layer, a ReluExplanation
    for a ReLU. ``result`` is the pipeline's result on ``image`` (at least up to this layer)."""
    if not isinstance(pipeline, Pipeline):
        raise OptionsError(f"expected an engine.Pipeline, not {type(pipeline).__name__}")
    if isinstance(layer, bool) or not isinstance(layer, (int, np.integer)) or not 0 <= layer < len(pipeline):
        raise OptionsError(f"there is no layer {layer!r}: the pipeline has {len(pipeline)} layer(s), counted from 0")
    layer = int(layer)
    if (not isinstance(result, PipelineResult) or len(result.outputs) <= layer
            or result.pipeline.layers[:layer + 1] != pipeline.layers[:layer + 1]):
        raise OptionsError(f"the result given was not made by this pipeline up to {layer_name(layer, pipeline[layer])}")
    source = as_layer_input(image) if layer == 0 else result.outputs[layer - 1]
    output = result.outputs[layer]
    current = pipeline.layers[layer]
    if isinstance(current, ConvLayer):
        return explain_pixel(source, current.options, row, col, channel)
    channel = _check_channel(channel, 1 if output.ndim == 2 else output.shape[2])
    plane = _channel_plane(source, channel)
    if isinstance(current, PoolLayer):
        return pool_explanation(current.pool, plane.shape, row, col, lambda r, c: float(plane[r, c]))
    row, col = _position(output.shape[:2], row, col, f"output of {layer_name(layer, current)}")
    value = float(plane[row, col])
    stored = float(np.float32(value)) if value > 0.0 else 0.0
    return ReluExplanation((row, col), channel, (row, col), value, stored)
