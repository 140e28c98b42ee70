"""Plain-Python pipelines, written from the rules and independent of the engine: each layer is a tuple
("conv", kernel, weight, offset, border, output_range, stride, dilation), ("relu",) or
("pool", op, size, stride), and every array is nested lists [row][col][channel]."""

import numpy as np

from tests.engine import reference as ref


def as_lists(array):
    """An H x W or H x W x C array as [row][col][channel] lists of floats."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim == 2:
        array = array[:, :, None]
    return array.tolist()


def relu(x):
    return [[[float(np.float32(v)) if v > 0 else 0.0 for v in px] for px in row] for row in x]


def pool(x, op, size, stride=None):
    channels = [ref.pool([[px[c] for px in row] for row in x], op, size, stride) for c in range(len(x[0][0]))]
    return [[[channels[c][r][k] for c in range(len(channels))] for k in range(len(channels[0][0]))]
            for r in range(len(channels[0]))]


def conv(x, kernel, weight=1.0, offset=0.0, border="zero", output_range="raw", stride=(1, 1), dilation=(1, 1)):
    image = np.array(x, dtype=np.float64)
    if image.shape[2] == 1:
        image = image[:, :, 0]
    return ref.layer(image, kernel, weight, offset, border, output_range, stride, dilation)


def run(image, layers):
    """Every layer's output, in order."""
    x = as_lists(image)
    outputs = []
    for layer in layers:
        kind, *args = layer
        x = {"conv": conv, "relu": relu, "pool": pool}[kind](x, *args)
        outputs.append(x)
    return outputs
