"""The built-in pipelines: the notebook's conv + max pool, edges of edges, and a small LeNet-like stack with
hand-made kernels (the same three ship as files in resources/pipelines/)."""

from __future__ import annotations

import numpy as np

from .kernels import DEFAULT_PRESET, get_preset
from .options import JobOptions, PoolOptions
from .pipeline import ConvLayer, Pipeline, PoolLayer, ReluLayer


def _lenet_first() -> np.ndarray:
    """5x5x1x4: horizontal, vertical and the two diagonal edges (a 5x5 Sobel pair and two ramps)."""
    smooth, slope = np.array([1, 4, 6, 4, 1]), np.array([-1, -2, 0, 2, 1])
    i, j = np.mgrid[0:5, 0:5]
    maps = [np.outer(slope, smooth), np.outer(smooth, slope), i - j, i + j - 4]
    return np.stack(maps, axis=-1)[:, :, None, :].astype(np.float64)


def _lenet_second() -> np.ndarray:
    """5x5x4x2: output 0 gathers the straight edges (channels 0 and 1) over the middle 3x3, output 1 the
    diagonal ones (channels 2 and 3)."""
    kernel = np.zeros((5, 5, 4, 2))
    kernel[1:4, 1:4, 0:2, 0] = 1.0
    kernel[1:4, 1:4, 2:4, 1] = 1.0
    return kernel


def _presets() -> dict[str, Pipeline]:
    notebook = Pipeline.from_job(JobOptions(kernel=DEFAULT_PRESET.kernel, weight=DEFAULT_PRESET.weight))
    edges = Pipeline((ConvLayer.make(get_preset("Sobel x").kernel), ReluLayer(),
                      ConvLayer.make(get_preset("Sobel y").kernel)))
    lenet = Pipeline((ConvLayer.make(_lenet_first(), weight=1 / 64), ReluLayer(), PoolLayer(PoolOptions("max", 2)),
                      ConvLayer.make(_lenet_second(), weight=1 / 16, offset=[-16.0, -16.0]), ReluLayer(),
                      PoolLayer(PoolOptions("max", 2))))
    return {"The notebook": notebook, "Edges of edges": edges, "LeNet-like": lenet}


#: Name -> Pipeline, in the order the window lists them.
PIPELINE_PRESETS: dict[str, Pipeline] = _presets()
