"""A layer in PyTorch: F.conv2d with the HWIO kernel as (out, in, kh, kw) weights (a 2-D kernel as a
depthwise conv, one group per channel), stride and dilation, and TensorFlow's 'SAME' padding spelled out
with F.pad, since PyTorch's padding='same' refuses strides and puts an even window's extra pixel first."""

from __future__ import annotations

from .layer_parts import finish_function
from .torch_code import EXACT, IMPORTS, LAB_CONVOLVE, NAME, OUTPUT, pad

HELPERS = ['''
def to_tensor(image):
    """An H x W or H x W x C array as a (1, C, H, W) tensor of DTYPE (PyTorch's NCHW layout)."""
    x = torch.from_numpy(np.asarray(image, dtype=np.float64)).to(DTYPE)
    return x[None, None] if x.ndim == 2 else x.permute(2, 0, 1)[None]
''', '''
def to_image(y):
    """A (1, C, H, W) tensor as H x W (one channel) or H x W x C, as Kernelscope stores maps."""
    y = np.ascontiguousarray(y[0].permute(1, 2, 0).numpy())
    return y[:, :, 0] if y.shape[2] == 1 else y
''']

FINISH = finish_function(OUTPUT)

CONV2D = '''
def conv2d(image, kernel, weight, offset, stride, dilation, pad, output_range):
    """One layer: cross-correlation (F.conv2d does not flip the kernel) with TensorFlow's 'SAME' anchor,
    then weight, offset (one per output channel, like a bias) and the output range. A 2-D kernel filters
    each channel by itself (depthwise: groups = channels). ``pad`` places the border; None is 'valid'.
    The same layer as a module: torch.nn.Conv2d(Cin, Cout, (kh, kw), stride, dilation=dilation,
    bias=False) with these weights, after pad()."""
    x = to_tensor(image)  # (1, C, H, W)
    channels = x.shape[1]
    offsets, (top, bottom, left, right) = layer_plan((x.shape[2], x.shape[3], channels), kernel, offset, stride,
                                                     dilation, pad is not None)
    if kernel.ndim == 4:  # HWIO -> PyTorch's (out, in, kh, kw)
        weights, groups = kernel.transpose(3, 2, 0, 1), 1
    else:  # one (1, kh, kw) filter per channel
        weights, groups = np.repeat(kernel[None, None], channels, axis=0), channels
    if pad is not None:
        x = pad(x, top, bottom, left, right)
    s = F.conv2d(x, torch.from_numpy(weights.copy()).to(DTYPE), stride=stride, dilation=dilation, groups=groups)
    value = s * weight + torch.from_numpy(offsets.copy()).to(DTYPE)[None, :, None, None]
    return to_image(finish(value, output_range))
'''

POOL2D = '''
def pool2d(image, op, size, stride):
    """Max, min or average pooling of each channel: size x size windows moved by stride, without padding:
    windows that do not fit are dropped ('valid'). Max and min keep the dtype; average gives float32."""
    x = to_tensor(image)
    if op == "avg":  # no padding, so count_include_pad makes no difference
        return to_image(F.avg_pool2d(x, size, stride).to(torch.float32))
    if op == "min":  # PyTorch has no min pooling: the min is minus the max of the negated values
        return to_image(-F.max_pool2d(-x, size, stride)).astype(image.dtype)
    return to_image(F.max_pool2d(x, size, stride)).astype(image.dtype)
'''

RELU = '''
def relu(x):
    """max(v, 0) of every value, as float32 (torch.relu)."""
    return to_image(torch.relu(to_tensor(x).to(torch.float32)))
'''

__all__ = ["CONV2D", "RELU", "EXACT", "LAB_CONVOLVE", "FINISH", "HELPERS", "IMPORTS", "NAME", "POOL2D", "pad"]
