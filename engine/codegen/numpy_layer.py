"""A layer in plain NumPy (channels, an HWIO or depthwise kernel, per-channel offsets, stride, dilation):
engine.layer's loop, tap by tap over whole maps, so that it reproduces Kernelscope's results bit for bit."""

from __future__ import annotations

from .layer_parts import finish_function
from .numpy_code import EXACT, IMPORTS, LAB_CONVOLVE, NAME, OUTPUT
from .parts import NUMPY_PAD, pad_function

HELPERS: list[str] = []

__all__ = ["CONV2D", "EXACT", "FINISH", "HELPERS", "IMPORTS", "LAB_CONVOLVE", "NAME", "POOL2D", "RELU", "pad"]

FINISH = finish_function(OUTPUT, "clamp (clip to 0..255, truncate to uint8), relu (max(v, 0) as float32, never\n"
                         "    -0.0) or raw (the signed values as float32).")

CONV2D = '''
def conv2d(image, kernel, weight, offset, stride, dilation, pad, output_range):
    """One layer as Kernelscope computes it: cross-correlation (the kernel is not flipped), for each output
    channel o and output pixel (r, c)::

        s = 0.0
        for i, j, ci in row-major (kh, kw, Cin) order:
            s = s + kernel[i, j, ci, o] * padded[r * stride[0] + i * dilation[0], c * stride[1] + j * dilation[1], ci]
        v = s * weight + offset[o], then the output range

    in float64. Adding one tap at a time for the whole map makes the same roundings as that loop. A 2-D
    kernel filters each channel by itself (depthwise): output channel o reads input channel o only.
    ``pad`` places TensorFlow's 'SAME' border; None is 'valid'. Returns H' x W', or H' x W' x Cout."""
    x = image.astype(np.float64)
    x = x[:, :, None] if x.ndim == 2 else x  # H x W x C
    offsets, (top, bottom, left, right) = layer_plan(x.shape, kernel, offset, stride, dilation, pad is not None)
    if pad is not None:
        x = pad(x, top, bottom, left, right)
    (sh, sw), (dh, dw) = stride, dilation
    kh, kw = kernel.shape[:2]
    rows = (x.shape[0] - (kh - 1) * dh - 1) // sh + 1
    cols = (x.shape[1] - (kw - 1) * dw - 1) // sw + 1
    maps = []
    for o, bias in enumerate(offsets):
        s = np.zeros((rows, cols))
        for i in range(kh):
            for j in range(kw):
                taps = x[i * dh:i * dh + (rows - 1) * sh + 1:sh, j * dw:j * dw + (cols - 1) * sw + 1:sw]
                if kernel.ndim == 2:  # depthwise
                    s = s + kernel[i, j] * taps[:, :, o]
                    continue
                for ci in range(x.shape[2]):
                    s = s + kernel[i, j, ci, o] * taps[:, :, ci]
        maps.append(finish(s * weight + bias, output_range))
    return maps[0] if len(maps) == 1 else np.stack(maps, axis=-1)
'''

POOL2D = '''
def pool2d(image, op, size, stride):
    """Max, min or average pooling of each channel: size x size windows moved by stride; windows that do
    not fit are dropped ('valid', Keras' default). Max and min keep the dtype; average sums each window in
    float64 in row-major order, divides by size * size and stores float32, as Kernelscope does."""
    if image.shape[0] < size or image.shape[1] < size:
        sys.exit("the image is smaller than the pooling window: nothing to pool")
    rows = (image.shape[0] - size) // stride + 1
    cols = (image.shape[1] - size) // stride + 1
    windows = [image[i:i + stride * (rows - 1) + 1:stride, j:j + stride * (cols - 1) + 1:stride]
               for i in range(size) for j in range(size)]
    if op == "max":
        return np.maximum.reduce(windows)
    if op == "min":
        return np.minimum.reduce(windows)
    total = np.zeros(windows[0].shape)
    for window in windows:
        total = total + window
    return (total / (size * size)).astype(np.float32)
'''


RELU = '''
def relu(x):
    """max(v, 0) of every value, stored as float32 (never -0.0), as Kernelscope's ReLU layer does."""
    return np.maximum(x.astype(np.float32), np.float32(0)) + np.float32(0)
'''


def pad(border: str, name: str = "pad") -> str:
    """The script's pad function for ``border``, on H x W x C arrays."""
    return pad_function(border, NAME, NUMPY_PAD, {}, 'np.pad(x, ((top, bottom), (left, right), (0, 0)), '
                        'mode="{mode}")', ("x.shape[0]", "x.shape[1]"), "", name)
