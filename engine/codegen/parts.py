"""The pieces every exported script shares: number literals, the constants block, the docstring, the image
loader, ``main``, the notebook's loops around a framework's lines, and ``write``, which puts a 2-D kernel's
script together from a framework's module (numpy_code, torch_code, keras_code: its convolve and pool)."""

from __future__ import annotations

from ..kernels import format_kernel
from ..numbers import format_number
from ..options import BORDER_HELP, JobOptions
from .loaders import LOADERS

#: numpy.pad's name for each border mode (the modes are named after numpy.pad; 'zero' is its 'constant').
NUMPY_PAD = {"zero": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}

USAGE = "python {name} INPUT OUTPUT.npy{pooled}"

#: How exact the PyTorch and Keras scripts are.
FLOAT32_EXACT = ("Its results equal Kernelscope's raw output up to float32 rounding (DTYPE); a clamped value can\n"
                 "then differ by 1 where the exact value lies within that rounding of a whole number.")

#: Each pooling op as a docstring names it.
POOL_TITLES = {"max": "Max", "min": "Min", "avg": "Average"}

#: The notebook's loop in a framework that convolves tensors: the margin is the image, the framework's
#: lines ({body}) fill the interior.
LAB_LOOP = '''
def convolve(image):
    """The notebook's loop: for x (the ROW) and y in 1..size-2, s = sum of i[x + b - 1, y + a - 1] *
    filter[a][b], so filter[a][b] multiplies the pixel b - 1 rows down and a - 1 columns right: the kernel
    acts transposed. No padding: the 1-pixel margin keeps the image's own pixels. s * weight, clamped,
    stored into the integer image."""
    out = image.astype(np.uint8 if image.dtype == np.uint8 else np.int64)  # margin: the image itself
    if min(image.shape) < 3:
        return out
{body}
    return out
'''

#: The notebook's pooling in a framework: the check of its loop, then the framework's lines ({body}).
LAB_POOLING = '''
def pool(convolved):
    """The notebook's pooling: the maximum of each 2x2 window, stride 2 (its loop needs an even size)."""
    if convolved.shape[0] % 2 or convolved.shape[1] % 2:
        sys.exit("the notebook's pooling needs an even image size")
{body}
'''

MAIN = '''
def main(argv):
    if len(argv) not in {counts}:
        sys.exit("usage: " + __doc__.split("\\n\\n")[1].strip())
    image = {load}(argv[1]){check}
    convolved = convolve(image)
    np.save(argv[2], convolved)
    print(f"convolved {{described(convolved)}} -> {{argv[2]}}"){pool}


{described}


if __name__ == "__main__":
    main(sys.argv)
'''

#: How main reports an array it saved.
DESCRIBED = '''def described(array):
    """'W x H dtype', or 'W x H x C channels dtype'."""
    size = f"{array.shape[1]}x{array.shape[0]}"
    return f"{size} {array.dtype}" if array.ndim == 2 else f"{size} x {array.shape[2]} channels {array.dtype}"'''

#: The one-image scripts' check of the input (a layer script takes channels; these take one gray image).
GRAY_ONLY = '''
    if image.ndim == 3 and image.shape[2] == 1:
        image = image[:, :, 0]  # one channel: Kernelscope filters it as a gray image
    if image.ndim != 2:
        sys.exit("this script filters one gray image (H x W); export it with --channels rgb for images with "
                 "channels")'''
LAB_GRAY_ONLY = '''
    if image.ndim != 2:
        sys.exit("lab mode runs the notebook's loop on one gray image; this image has channels")'''

MAIN_POOL = '''
    if len(argv) == 4:
        pooled = pool(convolved)
        np.save(argv[3], pooled)
        print(f"pooled {described(pooled)} -> {argv[3]}")'''


def literal(value: float) -> str:
    """``value`` as Python source that evaluates to exactly that float: 2.0, -0.5, 1/9, 1e-07."""
    text = format_number(value)
    return text + ".0" if text.lstrip("-").isdigit() else text


def kernel_rows(kernel, indent: str = "    ") -> str:
    """The kernel as aligned rows of literals, one row a line."""
    cells = [[literal(v) for v in row] for row in kernel]
    width = max(len(c) for row in cells for c in row)
    return "\n".join(f"{indent}[{', '.join(c.rjust(width) for c in row)}]," for row in cells)


def describe(options: JobOptions) -> list[str]:
    """What the options are, a line each, for the script's docstring."""
    kh, kw = options.shape
    lines = [f"kernel {kh}x{kw} (rows x columns): {format_kernel(options.kernel)}",
             f"weight {format_number(options.weight)}, offset {format_number(options.offset)}"]
    if options.lab:
        lines.append("lab mode: the notebook's loop (transposed kernel, 1-pixel margin kept, clamp)")
    else:
        lines += border_and_range(options)
    return lines + pooling(options)


def border_and_range(options: JobOptions) -> list[str]:
    return [f"border {options.border}: {BORDER_HELP[options.border]}",
            {"clamp": "output clamp: clipped to 0..255 and truncated (uint8)",
             "relu": "output relu: max(v, 0), as float32"}.get(options.output_range,
                                                             "output raw: the signed values, as float32")]


def pooling(options: JobOptions) -> list[str]:
    lines = []
    pool = options.pool
    if pool is None:
        lines.append("no pooling")
    else:
        lines.append(f"pooling {pool.op} {pool.size}x{pool.size}, stride {pool.step}, 'valid' (windows that do "
                     "not fit are dropped)")
    return lines


def input_text(channels: str) -> str:
    """What the script reads, for its docstring."""
    opened = ("made 8-bit gray as Kernelscope does, see load_gray) or a\n2-D .npy array" if channels == "gray"
              else "made 8-bit RGB as Kernelscope does, see load_rgb) or a\n.npy array, H x W or H x W x C,")
    return f"INPUT: an image (PNG, JPEG, BMP, TIFF: {opened} (used as stored)."


def script_docstring(what: str, framework: str, usage: str, channels: str, outputs: str, about: list[str],
                     exactness: str) -> str:
    """A script's docstring: what it computes in which framework, how to run it, what it reads and writes
    (``outputs`` follows 'OUTPUT.npy gets'), the options (``about``, a line each), how exact it is."""
    return (f'"""Kernelscope\'s {what} in {framework}, exported by Kernelscope.\n\n    {usage}\n\n'
            f"{input_text(channels)} OUTPUT.npy gets {outputs}\n\n" + "\n".join(about) + f"\n\n{exactness}\n" + '"""')


def docstring(options: JobOptions, framework: str, exactness: str, channels: str = "gray",
              about: list[str] | None = None, what: str = "convolution") -> str:
    """A 2-D kernel's or a layer's script's docstring (``about``: the option lines, else describe's)."""
    pooled = " [POOLED.npy]" if options.pool is not None else ""
    return script_docstring(f"{what}{' and pooling' if pooled else ''}", framework,
                            USAGE.format(name="SCRIPT.py", pooled=pooled), channels,
                            f"the convolved image{', POOLED.npy the pooled one' if pooled else ''}.",
                            about or describe(options), exactness)


def constants(options: JobOptions) -> str:
    """KERNEL (or the notebook's FILTER), WEIGHT, OFFSET, the padding and the pooling, as module constants."""
    name = "FILTER" if options.lab else "KERNEL"
    why = ("# the notebook's filter[a][b]; its loop applies it transposed (see convolve)" if options.lab
           else "# rows x columns, applied as cross-correlation (not flipped), like TensorFlow and PyTorch")
    lines = [f"{name} = np.array([  {why}", kernel_rows(options.kernel), "], dtype=np.float64)",
             f"WEIGHT = {literal(options.weight)}  # multiplies the sum"]
    if not options.lab:
        lines.append(f"OFFSET = {literal(options.offset)}  # added after the weight, like a CNN's bias")
        if options.border != "valid":
            top, bottom, left, right = options.padding
            lines.append(f"TOP, BOTTOM, LEFT, RIGHT = {top}, {bottom}, {left}, {right}  # TensorFlow 'SAME': "
                         "(k - 1) // 2 before, k // 2 after")
    if options.pool is not None and not options.lab:
        lines.append(f"POOL_SIZE, POOL_STRIDE = {options.pool.size}, {options.pool.step}")
    return "\n".join(lines)


def joined(doc: str, imports: str, blocks: list[str]) -> str:
    """A script's text: its docstring, imports, then the blocks two blank lines apart."""
    return doc + "\n\n" + imports + "\n\n" + "\n\n\n".join(block.strip("\n") for block in blocks) + "\n"


def assemble(options: JobOptions, framework: str, exactness: str, imports: str, functions: list[str],
             channels: str = "gray", head: tuple[list[str], str] | None = None) -> str:
    """The whole script: docstring, imports, constants, the loader, the framework's functions, main.
    ``head``: (the docstring's option lines, the constants block) when they are not a 2-D kernel's."""
    about, block = head or (describe(options), constants(options))
    pooled = options.pool is not None
    load, loader = LOADERS[channels]
    check = "" if head is not None else LAB_GRAY_ONLY if options.lab else GRAY_ONLY
    main = MAIN.format(counts="(3, 4)" if pooled else "(3,)", pool=MAIN_POOL if pooled else "", load=load,
                       check=check, described=DESCRIBED)
    return joined(docstring(options, framework, exactness, channels, about), imports,
                  [block, loader, *functions, main])


def finish_lines(output: dict[str, str], select: str, **why: str) -> dict[str, str]:
    """convolve's last line for each output range: ``output`` (range -> the framework's expression on
    ``value``), the 2-D image ``select`` picks from the result, and a comment (``why``) for each range."""
    return {name: f"return {expression}{select}  # {name}: {why[name]}" for name, expression in output.items()}


def anchor(border: str) -> str:
    """Where convolve's docstring says the kernel is anchored."""
    return "" if border == "valid" else " with TensorFlow's 'SAME' anchor"


def padded_convolve(options: JobOptions, template: str, pad, valid_why: str, finishes: dict[str, str]) -> list[str]:
    """pad() (unless the border is 'valid') and convolve() for a framework that pads its tensors and then
    convolves 'valid': ``template`` takes {anchor}, {padded}, {why} and {finish} (from ``finishes``);
    ``pad(border)`` writes the pad function."""
    functions = []
    if options.border == "valid":
        padded, why = "x", valid_why
    else:
        padded, why = "pad(x, TOP, BOTTOM, LEFT, RIGHT)", "pad() placed the border as TensorFlow's 'SAME' does"
        functions.append(pad(options.border))
    functions.append(template.format(anchor=anchor(options.border), padded=padded, why=why,
                                     finish=finishes[options.output_range]))
    return functions


def write(options: JobOptions, framework) -> str:
    """A 2-D kernel's script in ``framework`` (a ``*_code`` module: NAME, EXACT, IMPORTS, LAB_CONVOLVE,
    LAB_POOL, convolve(options) -> its functions, pool(op) -> its pool function)."""
    if options.lab:
        functions = [framework.LAB_CONVOLVE] + ([framework.LAB_POOL] if options.pool is not None else [])
    else:
        functions = framework.convolve(options)
        if options.pool is not None:
            functions.append(framework.pool(options.pool.op))
    return assemble(options, framework.NAME, framework.EXACT, framework.IMPORTS, functions)


PAD = '''
def {name}(x, top, bottom, left, right):
    """Border '{border}': {help}.{why}"""
{body}
'''


def pad_function(border: str, framework: str, native: dict, limit: dict, call: str, shape: tuple[str, str],
                 numpy_call: str, name: str = "pad") -> str:
    """The script's ``pad(x, top, bottom, left, right)`` (named ``name``): the framework's own padding where
    it equals numpy.pad's mode (``native``: border -> the framework's mode name, ``limit``: border -> "<" or
    "<=" when the framework refuses wider pads than that), else numpy.pad. ``call`` pads x in mode {mode};
    ``shape`` gives x's rows and columns; ``numpy_call`` pads x through numpy in mode {mode}."""
    fallback = f"    return {numpy_call.format(mode=NUMPY_PAD[border])}"
    mode = native.get(border)
    if mode is None:
        why = (f"\n\n    numpy.pad's '{NUMPY_PAD[border]}' mode is this border; {framework} has no such mode, "
               "so numpy pads.")
        body = fallback
    elif border not in limit:
        why = "" if border == "zero" or mode == NUMPY_PAD[border] else f" numpy.pad's '{NUMPY_PAD[border]}' is {framework}'s '{mode}'."
        body = f"    return {call.format(mode=mode)}"
    else:
        op = limit[border]
        wide = "as wide as the image" if op == "<" else "wider than the image"
        why = (f"\n\n    numpy.pad's '{NUMPY_PAD[border]}' is {framework}'s '{mode}', but {framework} refuses a pad "
               f"{wide},\n    where numpy repeats the pattern: such pads go through numpy.")
        body = (f"    if max(top, bottom) {op} {shape[0]} and max(left, right) {op} {shape[1]}:\n"
                f"        return {call.format(mode=mode)}\n{fallback}")
    return PAD.format(name=name, border=border, help=BORDER_HELP[border], why=why, body=body)
