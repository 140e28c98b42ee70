"""The PyTorch script: torch.nn.functional's conv2d and pooling, with the padding spelled out.

PyTorch's own ``padding='same'`` puts the extra row and column of an even kernel before the image, where
TensorFlow (and Kernelscope) put it after; so the script pads explicitly with F.pad (or numpy.pad where
PyTorch has no such border mode) and convolves without padding.
"""

from __future__ import annotations

from ..options import JobOptions
from .parts import FLOAT32_EXACT, LAB_LOOP, LAB_POOLING, POOL_TITLES, finish_lines, pad_function, padded_convolve

NAME = "PyTorch"

EXACT = FLOAT32_EXACT

IMPORTS = ("import sys\n\nimport numpy as np\nimport torch\nimport torch.nn.functional as F\n\n"
           "DTYPE = torch.float32  # torch.float64 gives Kernelscope's values up to float64 rounding")

NATIVE = {"zero": "constant", "edge": "replicate", "reflect": "reflect", "wrap": "circular"}
LIMIT = {"reflect": "<", "wrap": "<="}

CONVOLVE = '''
def convolve(image):
    """Cross-correlation (conv2d does not flip the kernel){anchor},
    then weight and offset."""
    x = torch.from_numpy(image.astype(np.float64)).to(DTYPE)[None, None]  # (N, C, H, W) = (1, 1, H, W)
    weight = torch.from_numpy(KERNEL).to(DTYPE)[None, None]  # (out, in, kh, kw) = (1, 1, kh, kw)
    s = F.conv2d({padded}, weight)  # no padding here: {why}
    value = s * WEIGHT + OFFSET
    {finish}
'''

#: The output range on ``value`` (a tensor): convolve's last line and a layer's finish.
OUTPUT = {"clamp": "value.clamp(0, 255).to(torch.uint8)", "relu": "torch.relu(value.to(torch.float32))",
          "raw": "value.to(torch.float32)"}
FINISHES = finish_lines(OUTPUT, "[0, 0].numpy()", clamp="clip to 0..255, truncate", relu="max(v, 0)",
                        raw="the signed values")
VALID_WHY = "'valid' border, the output shrinks by kernel - 1"

LAB_CONVOLVE = LAB_LOOP.format(body='''\
    x = torch.from_numpy(image.astype(np.float64)).to(DTYPE)[None, None]  # (N, C, H, W)
    weight = torch.from_numpy(FILTER.T.copy()).to(DTYPE)[None, None]  # transposed, (out, in, kh, kw)
    s = F.conv2d(x, weight) * WEIGHT  # 'valid': the (H - 2) x (W - 2) interior
    out[1:-1, 1:-1] = s.clamp(0, 255).to(torch.int64)[0, 0].numpy()  # clipped, truncated''')

POOL = '''
def pool(convolved):
    """{title} pooling, POOL_SIZE x POOL_SIZE windows moved by POOL_STRIDE, without padding: windows
    that do not fit are dropped ('valid')."""
    x = torch.from_numpy(convolved.astype(np.float64)).to(DTYPE)[None, None]
    {reduce}
'''

REDUCE = {
    "max": "return F.max_pool2d(x, POOL_SIZE, POOL_STRIDE)[0, 0].numpy().astype(convolved.dtype)",
    "min": "# PyTorch has no min pooling: the min is minus the max of the negated values\n"
           "    return (-F.max_pool2d(-x, POOL_SIZE, POOL_STRIDE))[0, 0].numpy().astype(convolved.dtype)",
    "avg": "# no padding, so count_include_pad makes no difference\n"
           "    return F.avg_pool2d(x, POOL_SIZE, POOL_STRIDE).to(torch.float32)[0, 0].numpy()",
}

LAB_POOL = LAB_POOLING.format(body='''\
    x = torch.from_numpy(convolved.astype(np.float64)).to(DTYPE)[None, None]
    return F.max_pool2d(x, 2, 2)[0, 0].numpy().astype(convolved.dtype)''')


def pad(border: str, name: str = "pad") -> str:
    """The script's pad function for ``border``, on (N, C, H, W) tensors."""
    return pad_function(border, "PyTorch", NATIVE, LIMIT, 'F.pad(x, (left, right, top, bottom), mode="{mode}")',
                        ("x.shape[-2]", "x.shape[-1]"),
                        'torch.from_numpy(np.pad(x.numpy(), ((0, 0), (0, 0), (top, bottom), (left, right)), '
                        'mode="{mode}"))', name)


def convolve(options: JobOptions) -> list[str]:
    """The script's pad (unless 'valid') and convolve functions."""
    return padded_convolve(options, CONVOLVE, pad, VALID_WHY, FINISHES)


def pool(op: str) -> str:
    """The script's pool function for ``op``."""
    return POOL.format(title=POOL_TITLES[op], reduce=REDUCE[op])
