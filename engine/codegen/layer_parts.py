"""What a layer's script shares across frameworks: its constants (an HWIO or depthwise kernel, one offset or
one per output channel, stride, dilation), the docstring's lines, TensorFlow's 'SAME' rule and the check
that the kernel fits the image, the finish function around a framework's output ranges. Each framework's
``*_layer`` module writes conv2d and pool2d; a pipeline script (engine.codegen.pipelines) uses the same pieces once per layer."""

from __future__ import annotations

from ..numbers import format_number
from ..options import JobOptions
from .parts import assemble, border_and_range, kernel_rows, literal, pooling

SAME_PADDING = '''
def same_padding(size, k, stride, dilation):
    """TensorFlow's 'SAME' padding along one axis, (before, after): the output has ceil(size / stride)
    pixels, and the dilated window, (k - 1) * dilation + 1 pixels wide, must fit at the last of them;
    the odd pixel of an even total goes after the image."""
    out = -(-size // stride)
    total = max((out - 1) * stride + (k - 1) * dilation + 1 - size, 0)
    return total // 2, total - total // 2
'''

LAYER_PLAN = '''
def layer_plan(shape, kernel, offset, stride, dilation, same):
    """For an input of shape (H, W, C): the offset of each output channel, and the padding (top, bottom,
    left, right) by TensorFlow's 'SAME' rule when ``same``, else none ('VALID'). Exits with the reason
    when the kernel's input channels, the offsets or the window do not fit the image."""
    height, width, channels = shape
    kh, kw = kernel.shape[:2]
    if kernel.ndim == 4 and kernel.shape[2] != channels:
        sys.exit(f"the kernel takes {kernel.shape[2]} input channel(s) but the image has {channels}")
    count = kernel.shape[3] if kernel.ndim == 4 else channels  # a 2-D kernel: one map per input channel
    offsets = np.asarray(offset, dtype=np.float64).reshape(-1)
    if offsets.size not in (1, count):
        sys.exit(f"{offsets.size} offsets were given for {count} output channel(s)")
    padding = (0, 0, 0, 0)
    if same:
        padding = (*same_padding(height, kh, stride[0], dilation[0]),
                   *same_padding(width, kw, stride[1], dilation[1]))
    if min(height + padding[0] + padding[1] - (kh - 1) * dilation[0],
           width + padding[2] + padding[3] - (kw - 1) * dilation[1]) < 1:
        sys.exit("the image is smaller than the kernel's window and the border is 'valid': no output")
    return np.broadcast_to(offsets, (count,)), padding
'''

FINISH = '''
def finish(value, output_range):
    """The output range: {doc}"""
    if output_range == "clamp":
        return {clamp}
    if output_range == "relu":
        return {relu}
    return {raw}
'''


def finish_function(output: dict[str, str],
                    doc: str = "clamp (clip to 0..255, truncate to uint8), relu (max(v, 0)) or raw (float32).") -> str:
    """The script's finish(value, output_range): ``output`` maps each range to the framework's expression."""
    return FINISH.format(doc=doc, **output)


def kernel_block(options: JobOptions, name: str = "KERNEL") -> str:
    """The kernel as a constant: a 2-D grid (depthwise on images with channels), or an HWIO array set one
    nonzero kh x kw slice at a time."""
    kernel = options.kernel_array
    if kernel.ndim == 2:
        return "\n".join([f"{name} = np.array([  # rows x columns; on an image with channels it filters each "
                          "channel by itself (depthwise)", kernel_rows(kernel), "], dtype=np.float64)"])
    kh, kw, cin, cout = kernel.shape
    lines = [f"{name} = np.zeros(({kh}, {kw}, {cin}, {cout}))  # HWIO: rows x columns x input channels x output "
             "channels (keras.layers.Conv2D's layout)"]
    for o in range(cout):
        for ci in range(cin):
            if kernel[:, :, ci, o].any():
                lines += [f"{name}[:, :, {ci}, {o}] = [  # input channel {ci} -> output channel {o}",
                          kernel_rows(kernel[:, :, ci, o]), "]"]
    return "\n".join(lines)


def offset_literal(options: JobOptions) -> str:
    if isinstance(options.offset, tuple):
        return f"[{', '.join(literal(v) for v in options.offset)}]"
    return literal(options.offset)


def layer_constants(options: JobOptions, suffix: str = "") -> list[str]:
    """KERNEL, WEIGHT, OFFSET, STRIDE, DILATION and OUTPUT_RANGE (each name + ``suffix``)."""
    per_map = "one per output channel" if isinstance(options.offset, tuple) else "the same for every output channel"
    return [kernel_block(options, "KERNEL" + suffix),
            f"WEIGHT{suffix} = {literal(options.weight)}  # multiplies the sum",
            f"OFFSET{suffix} = {offset_literal(options)}  # added after the weight, like a CNN's bias: {per_map}",
            f"STRIDE{suffix} = {options.stride}  # rows, columns: the step between output pixels",
            f"DILATION{suffix} = {options.dilation}  # rows, columns: the spacing of the kernel's taps",
            f'OUTPUT_RANGE{suffix} = "{options.output_range}"']


def constants(options: JobOptions) -> str:
    lines = layer_constants(options)
    if options.pool is not None:
        lines.append(f"POOL_SIZE, POOL_STRIDE = {options.pool.size}, {options.pool.step}")
    return "\n".join(lines)


def layer_lines(options: JobOptions) -> list[str]:
    """The layer's options, a line each (no pooling), for a docstring."""
    kh, kw, cin, cout = options.layer_shape
    if cin is None:
        kernel = f"kernel {kh}x{kw} (rows x columns), filtering each input channel by itself (depthwise)"
    else:
        kernel = f"kernel {kh}x{kw}x{cin}x{cout} (HWIO: rows x columns x {cin} input x {cout} output channels)"
    offset = (", ".join(format_number(v) for v in options.offset) + " (one per output channel)"
              if isinstance(options.offset, tuple) else format_number(options.offset))
    steps = f"stride {options.stride[0]},{options.stride[1]}, dilation {options.dilation[0]},{options.dilation[1]} " \
            "(rows, columns)"
    return [kernel, f"weight {format_number(options.weight)}, offset {offset}", steps, *border_and_range(options)]


def describe(options: JobOptions) -> list[str]:
    return layer_lines(options) + pooling(options)


CONVOLVE = '''
def convolve(image):
    """The layer these options describe (see conv2d)."""
    return conv2d(image, KERNEL, WEIGHT, OFFSET, STRIDE, DILATION, {pad}, OUTPUT_RANGE)
'''

POOL = '''
def pool(convolved):
    """{title} pooling of each map, POOL_SIZE x POOL_SIZE windows moved by POOL_STRIDE (see pool2d)."""
    return pool2d(convolved, "{op}", POOL_SIZE, POOL_STRIDE)
'''

TITLES = {"max": "Max", "min": "Min", "avg": "Average"}


def write(options: JobOptions, framework, channels: str) -> str:
    """A layer's script in ``framework`` (a ``*_layer`` module: NAME, IMPORTS, EXACT, HELPERS, pad, FINISH,
    CONV2D, POOL2D)."""
    functions = [SAME_PADDING, LAYER_PLAN, *framework.HELPERS]
    if options.border != "valid":
        functions.append(framework.pad(options.border))
    functions += [framework.FINISH, framework.CONV2D,
                  CONVOLVE.format(pad="None" if options.border == "valid" else "pad")]
    if options.pool is not None:
        functions += [framework.POOL2D, POOL.format(title=TITLES[options.pool.op], op=options.pool.op)]
    return assemble(options, framework.NAME, framework.EXACT, framework.IMPORTS, functions, channels,
                    head=(describe(options), constants(options)))
