"""The PyTorch script: torch.nn.functional's conv2d and pooling, with the padding spelled out.

PyTorch's own ``padding='same'`` puts the extra row and column of an even kernel before the image, where
TensorFlow (and Kernelscope) put it after; so the script pads explicitly with F.pad (or numpy.pad where
PyTorch has no such border mode) and convolves without padding.
"""

from __future__ import annotations

from ..options import JobOptions
from .parts import assemble, pad_function

EXACT = ("Its results equal Kernelscope's raw output up to float32 rounding (DTYPE); a clamped value can\n"
         "then differ by 1 where the exact value lies within that rounding of a whole number.")

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

CLAMP = "return value.clamp(0, 255).to(torch.uint8)[0, 0].numpy()  # clamp: clip to 0..255, truncate"
RAW = "return value.to(torch.float32)[0, 0].numpy()  # raw: the signed values"

RELU = "return torch.relu(value.to(torch.float32))[0, 0].numpy()  # relu: max(v, 0)"

LAB_CONVOLVE = '''
def convolve(image):
    """The notebook's loop: for x (the ROW) and y in 1..size-2, s = sum of i[x + b - 1, y + a - 1] *
    filter[a][b], so filter[a][b] multiplies the pixel b - 1 rows down and a - 1 columns right: the kernel
    acts transposed. No padding: the 1-pixel margin keeps the image's own pixels. s * weight, clamped,
    stored into the integer image."""
    out = image.astype(np.uint8 if image.dtype == np.uint8 else np.int64)  # margin: the image itself
    if min(image.shape) < 3:
        return out
    x = torch.from_numpy(image.astype(np.float64)).to(DTYPE)[None, None]  # (N, C, H, W)
    weight = torch.from_numpy(FILTER.T.copy()).to(DTYPE)[None, None]  # transposed, (out, in, kh, kw)
    s = F.conv2d(x, weight) * WEIGHT  # 'valid': the (H - 2) x (W - 2) interior
    out[1:-1, 1:-1] = s.clamp(0, 255).to(torch.int64)[0, 0].numpy()  # clipped, truncated
    return out
'''

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

LAB_POOL = '''
def pool(convolved):
    """The notebook's pooling: the maximum of each 2x2 window, stride 2 (its loop needs an even size)."""
    if convolved.shape[0] % 2 or convolved.shape[1] % 2:
        sys.exit("the notebook's pooling needs an even image size")
    x = torch.from_numpy(convolved.astype(np.float64)).to(DTYPE)[None, None]
    return F.max_pool2d(x, 2, 2)[0, 0].numpy().astype(convolved.dtype)
'''


def pad(border: str, name: str = "pad") -> str:
    """The script's pad function for ``border``, on (N, C, H, W) tensors."""
    return pad_function(border, "PyTorch", NATIVE, LIMIT, 'F.pad(x, (left, right, top, bottom), mode="{mode}")',
                        ("x.shape[-2]", "x.shape[-1]"),
                        'torch.from_numpy(np.pad(x.numpy(), ((0, 0), (0, 0), (top, bottom), (left, right)), '
                        'mode="{mode}"))', name)


def write(options: JobOptions) -> str:
    if options.lab:
        body = [LAB_CONVOLVE] + ([LAB_POOL] if options.pool is not None else [])
        return assemble(options, "PyTorch", EXACT, IMPORTS, body)
    body = []
    if options.border == "valid":
        padded, why = "x", "'valid' border, the output shrinks by kernel - 1"
        anchor = ""
    else:
        padded, why = "pad(x, TOP, BOTTOM, LEFT, RIGHT)", "pad() placed the border as TensorFlow's 'SAME' does"
        anchor = " with TensorFlow's 'SAME' anchor"
        body.append(pad(options.border))
    body.append(CONVOLVE.format(anchor=anchor, padded=padded, why=why,
                            finish={"clamp": CLAMP, "relu": RELU}.get(options.output_range, RAW)))
    if options.pool is not None:
        title = {"max": "Max", "min": "Min", "avg": "Average"}[options.pool.op]
        body.append(POOL.format(title=title, reduce=REDUCE[options.pool.op]))
    return assemble(options, "PyTorch", EXACT, IMPORTS, body)
