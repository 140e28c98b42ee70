"""The pieces every exported script shares: number literals, the constants block, the docstring, the image
loader and ``main``. Each framework's module (numpy_code, torch_code, keras_code) adds its convolve and pool."""

from __future__ import annotations

from ..kernels import format_kernel
from ..numbers import format_number
from ..options import BORDER_HELP, JobOptions

#: numpy.pad's name for each border mode (the modes are named after numpy.pad; 'zero' is its 'constant').
NUMPY_PAD = {"zero": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}

USAGE = "python {name} INPUT OUTPUT.npy{pooled}"

LOADER = '''
def load_gray(path):
    """The image as Kernelscope opens it: a .npy array exactly as stored; a picture as 8-bit gray.

    Gray pictures stay as they are; colour becomes ITU-R BT.601 luma, rounded (Pillow's "L" mode);
    transparent pixels are first composited over white; 16-bit gray becomes round(v / 257). Kernelscope
    also reads 16-bit colour PNGs at full depth, PNG colour keys and 32-bit TIFFs; for those, save the gray
    image it sees as .npy first: python main.py apply IMAGE --kernel 1 --pool none --out gray.npy
    """
    if path.lower().endswith(".npy"):
        return np.load(path)
    from PIL import Image

    with Image.open(path) as im:
        if im.mode.startswith("I;16"):
            wide = np.asarray(im, dtype=np.uint32)
            return ((wide * 2 + 257) // 514).astype(np.uint8)
        if im.mode == "P":
            im = im.convert("RGBA")
        if "A" in im.getbands():
            im = Image.alpha_composite(Image.new("RGBA", im.size, "white"), im.convert("RGBA"))
        return np.asarray(im.convert("L"))
'''

MAIN = '''
def main(argv):
    if len(argv) not in {counts}:
        sys.exit("usage: " + __doc__.split("\\n\\n")[1].strip())
    convolved = convolve(load_gray(argv[1]))
    np.save(argv[2], convolved)
    print(f"convolved {{convolved.shape[1]}}x{{convolved.shape[0]}} {{convolved.dtype}} -> {{argv[2]}}"){pool}


if __name__ == "__main__":
    main(sys.argv)
'''

MAIN_POOL = '''
    if len(argv) == 4:
        pooled = pool(convolved)
        np.save(argv[3], pooled)
        print(f"pooled {pooled.shape[1]}x{pooled.shape[0]} {pooled.dtype} -> {argv[3]}")'''


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
        lines.append(f"border {options.border}: {BORDER_HELP[options.border]}")
        lines.append({"clamp": "output clamp: clipped to 0..255 and truncated (uint8)",
                      "relu": "output relu: max(v, 0), as float32"}.get(options.output_range,
                                                                      "output raw: the signed values, as float32"))
    pool = options.pool
    if pool is None:
        lines.append("no pooling")
    else:
        lines.append(f"pooling {pool.op} {pool.size}x{pool.size}, stride {pool.step}, 'valid' (windows that do "
                     "not fit are dropped)")
    return lines


def docstring(options: JobOptions, framework: str, exactness: str) -> str:
    pooled = " [POOLED.npy]" if options.pool is not None else ""
    about = "\n".join(describe(options))
    return (f'"""Kernelscope\'s convolution{" and pooling" if pooled else ""} in {framework}, exported by '
            f"Kernelscope.\n\n    {USAGE.format(name='SCRIPT.py', pooled=pooled)}\n\n"
            "INPUT: an image (PNG, JPEG, BMP, TIFF: made 8-bit gray as Kernelscope does, see load_gray) or a\n"
            f"2-D .npy array (used as stored). OUTPUT.npy gets the convolved image"
            f"{', POOLED.npy the pooled one' if pooled else ''}.\n\n{about}\n\n{exactness}\n" + '"""')


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


def assemble(options: JobOptions, framework: str, exactness: str, imports: str, functions: list[str]) -> str:
    """The whole script: docstring, imports, constants, load_gray, the framework's functions, main."""
    pooled = options.pool is not None
    main = MAIN.format(counts="(3, 4)" if pooled else "(3,)", pool=MAIN_POOL if pooled else "")
    blocks = [constants(options), LOADER, *functions, main]
    return (docstring(options, framework, exactness) + "\n\n" + imports + "\n\n"
            + "\n\n\n".join(block.strip("\n") for block in blocks) + "\n")

PAD = '''
def pad(x):
    """Border '{border}': {help}.{why}"""
{body}
'''


def pad_function(border: str, framework: str, native: dict, limit: dict, call: str, shape: tuple[str, str],
                 from_numpy: str, to_numpy: str) -> str:
    """The script's ``pad(x)``: the framework's own padding where it equals numpy.pad's mode (``native``:
    border -> the framework's mode name, ``limit``: border -> "<" or "<=" when the framework refuses wider
    pads than that), else numpy.pad. ``call`` pads x in mode {mode}; ``shape`` gives x's rows and columns;
    ``from_numpy``/``to_numpy`` convert a 2-D array to x's layout and back."""
    numpy_pad = (f"np.pad({to_numpy}, ((TOP, BOTTOM), (LEFT, RIGHT)), "
                 f'mode="{NUMPY_PAD[border]}")')
    fallback = f"    return {from_numpy.format(numpy_pad)}"
    mode = native.get(border)
    if mode is None:
        why = (f"\n\n    numpy.pad's '{NUMPY_PAD[border]}' mode is this border; {framework} has no such mode, "
               "so numpy pads.")
        body = fallback
    elif border not in limit:
        why = "" if border == "zero" else f" numpy.pad's '{NUMPY_PAD[border]}' is {framework}'s '{mode}'."
        body = f"    return {call.format(mode=mode)}"
    else:
        op = limit[border]
        wide = "as wide as the image" if op == "<" else "wider than the image"
        why = (f"\n\n    numpy.pad's '{NUMPY_PAD[border]}' is {framework}'s '{mode}', but {framework} refuses a pad "
               f"{wide},\n    where numpy repeats the pattern: such pads go through numpy.")
        body = (f"    if max(TOP, BOTTOM) {op} {shape[0]} and max(LEFT, RIGHT) {op} {shape[1]}:\n"
                f"        return {call.format(mode=mode)}\n{fallback}")
    return PAD.format(border=border, help=BORDER_HELP[border], why=why, body=body)
