"""The NumPy script: Kernelscope's own arithmetic in plain numpy, so that it reproduces the results bit for bit.

engine.convolution sums in float64 tap by tap, in row-major kernel order, then multiplies by the weight and
adds the offset; its fast paths are proven to give that loop's bits. Summing one tap at a time over the whole
image makes exactly the loop's roundings, so the script needs nothing else.
"""

from __future__ import annotations

from ..options import JobOptions
from .parts import NUMPY_PAD, POOL_TITLES, anchor, finish_lines

NAME = "NumPy"

EXACT = "Running it gives Kernelscope's results bit for bit (the same float64 sums in the same order)."

IMPORTS = "import sys\n\nimport numpy as np"

CONVOLVE = '''
def convolve(image):
    """Cross-correlation (the kernel is not flipped){anchor}, then weight and offset.

    Kernelscope's loop, for every output pixel: s = 0.0, then s = s + KERNEL[i, j] * padded[r + i, c + j]
    for the taps in row-major order, in float64; then s * WEIGHT + OFFSET. Adding one tap at a time for
    the whole image makes the same roundings as that loop."""
    {pad}
    kh, kw = KERNEL.shape
    height, width = padded.shape[0] - kh + 1, padded.shape[1] - kw + 1
    s = np.zeros((height, width))
    for i in range(kh):
        for j in range(kw):
            s = s + KERNEL[i, j] * padded[i:i + height, j:j + width]
    value = s * WEIGHT + OFFSET
    {finish}
'''

#: The output range on ``value`` (float64): convolve's last line and a layer's finish.
OUTPUT = {"clamp": "np.clip(value, 0, 255).astype(np.uint8)",
          "relu": "np.maximum(value.astype(np.float32), np.float32(0)) + np.float32(0)",
          "raw": "value.astype(np.float32)"}
FINISHES = finish_lines(OUTPUT, "", clamp="clip to 0..255, then truncate", relu="max(v, 0) as float32, never -0.0",
                        raw="the signed values, rounded once to float32")

LAB_CONVOLVE = '''
def convolve(image):
    """The notebook's loop (the 2019 lab), bit for bit::

        for x in range(1, H - 1):        # x is the ROW
            for y in range(1, W - 1):
                s = 0.0
                for a in range(3):
                    for b in range(3):
                        s = s + i[x + b - 1, y + a - 1] * filter[a][b]
                s = s * weight, clipped to 0..255, stored into the integer image

    so filter[a][b] multiplies the pixel b - 1 rows down and a - 1 columns right: the kernel acts
    transposed. There is no padding: the 1-pixel margin is never computed and keeps the image's own pixels
    (the result is a copy of the image with the interior replaced). No offset; always clamped."""
    ints = image.astype(np.int64)  # the notebook's integer image (SciPy's ascent is int64)
    out = ints.astype(np.uint8 if image.dtype == np.uint8 else np.int64)
    height, width = ints.shape
    if height < 3 or width < 3:
        return out  # no interior: all margin
    s = np.zeros((height - 2, width - 2))
    for a in range(3):
        for b in range(3):
            s = s + ints[b:b + height - 2, a:a + width - 2] * FILTER[a, b]
    s = s * WEIGHT
    out[1:-1, 1:-1] = np.clip(s, 0, 255).astype(out.dtype)  # clipped, truncated into the integer image
    return out
'''

POOL = '''
def pool(convolved):
    """{title} pooling: windows of POOL_SIZE x POOL_SIZE moved by POOL_STRIDE; windows that do not fit
    are dropped ('valid', Keras' default)."""
    if convolved.shape[0] < POOL_SIZE or convolved.shape[1] < POOL_SIZE:
        sys.exit("the convolved image is smaller than the pooling window: nothing to pool")
    height = (convolved.shape[0] - POOL_SIZE) // POOL_STRIDE + 1
    width = (convolved.shape[1] - POOL_SIZE) // POOL_STRIDE + 1
    windows = [convolved[i:i + POOL_STRIDE * (height - 1) + 1:POOL_STRIDE,
                         j:j + POOL_STRIDE * (width - 1) + 1:POOL_STRIDE]
               for i in range(POOL_SIZE) for j in range(POOL_SIZE)]
    {reduce}
'''

REDUCE = {
    "max": "return np.maximum.reduce(windows)  # keeps the convolved image's dtype",
    "min": "return np.minimum.reduce(windows)  # keeps the convolved image's dtype",
    "avg": "total = np.zeros(windows[0].shape)\n"
           "    for window in windows:  # float64, in row-major window order\n"
           "        total = total + window\n"
           "    return (total / (POOL_SIZE * POOL_SIZE)).astype(np.float32)",
}

LAB_POOL = '''
def pool(convolved):
    """The notebook's pooling: the maximum of each 2x2 window, stride 2. Its loop reads the next row and
    column, so it needs an even size."""
    if convolved.shape[0] % 2 or convolved.shape[1] % 2:
        sys.exit("the notebook's pooling needs an even image size")
    return np.maximum(np.maximum(convolved[0::2, 0::2], convolved[1::2, 0::2]),
                      np.maximum(convolved[0::2, 1::2], convolved[1::2, 1::2]))
'''


def pad_line(border: str) -> str:
    if border == "valid":
        return "padded = image.astype(np.float64)  # 'valid': no padding; the output shrinks by kernel - 1"
    return (f'padded = np.pad(image.astype(np.float64), ((TOP, BOTTOM), (LEFT, RIGHT)), '
            f'mode="{NUMPY_PAD[border]}")  # border \'{border}\'')


def convolve(options: JobOptions) -> list[str]:
    """The script's convolve function (numpy.pad pads inside it)."""
    return [CONVOLVE.format(anchor=anchor(options.border), pad=pad_line(options.border),
                            finish=FINISHES[options.output_range])]


def pool(op: str) -> str:
    """The script's pool function for ``op``."""
    return POOL.format(title=POOL_TITLES[op], reduce=REDUCE[op])
