"""The headless command line: ``python main.py apply INPUT ... --out FILE``.

It parses into the same JobOptions the window uses and runs the same engine job.
"""

from __future__ import annotations

import argparse
import math
import sys
from pathlib import Path

from .errors import ImageTooLargeError, KernelscopeError
from .images import load_image, save_result
from .jobs import run_job
from .kernels import get_preset, parse_kernel, preset_names
from .options import BORDER_HELP, BORDERS, LAB_POOL, MAX_KERNEL_SIDE, POOL_OPS, JobOptions, PoolOptions

DEFAULT_PRESET = "Notebook: 'horizontal lines'"
_OUT_SUFFIXES = (".npy", ".png")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line on stderr, exit 2, as argparse does, minus the usage dump
        self.exit(2, f"kernelscope: error: {message}\n")


def _finite_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number")
    return value


def add_apply_parser(subparsers) -> argparse.ArgumentParser:
    borders = "; ".join(f"{name}: {text}" for name, text in BORDER_HELP.items())
    p = subparsers.add_parser(
        "apply", help="convolve (and pool) an image headlessly and save the results",
        description="Convolve INPUT with a kernel, then pool, and save the results. Colour images are "
                    "converted to gray with ITU-R BT.601 luma (alpha composited over white); 16-bit images "
                    "are scaled to 8 bits; a 2-D .npy is used as is.")
    p.add_argument("input", metavar="INPUT", help="PNG, JPEG, BMP or TIFF image, or a 2-D .npy array")
    kernel = p.add_mutually_exclusive_group()
    kernel.add_argument("--kernel", metavar="ROWS",
                        help=f'kernel rows separated by ";", entries by ",", e.g. "0,1,0;1,-4,1;0,1,0" '
                             f"(1x1 to {MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE})")
    kernel.add_argument("--preset", metavar="NAME",
                        help=f"a built-in kernel (default {DEFAULT_PRESET!r}): {', '.join(preset_names())}")
    p.add_argument("--weight", type=_finite_float, metavar="W",
                   help="multiplies the sum (default: the preset's weight, else 1)")
    p.add_argument("--offset", type=_finite_float, metavar="B",
                   help="added after the weight, like a CNN bias (default: the preset's offset, else 0)")
    p.add_argument("--lab", action="store_true",
                   help="reproduce the notebook's loops bit for bit (3x3 only, transposed kernel, 1-pixel "
                        "margin kept, 2x2 max pooling)")
    p.add_argument("--border", choices=BORDERS, default="zero", help=f"border mode (default zero): {borders}")
    p.add_argument("--output-range", choices=("clamp", "raw"), default="clamp",
                   help="clamp: clip to 0..255 and truncate (default); raw: keep signed float values")
    p.add_argument("--pool", choices=POOL_OPS + ("none",), default="max", help="pooling operation (default max)")
    p.add_argument("--pool-size", type=int, default=2, metavar="K", help="pooling window size (default 2)")
    p.add_argument("--pool-stride", type=int, metavar="S", help="pooling stride (default: the size)")
    p.add_argument("--downscale", action="store_true",
                   help="open images over the size limit downscaled by the smallest factor that fits")
    p.add_argument("--out", required=True, metavar="CONV", type=Path,
                   help=".npy (exact values) or .png (8-bit; raw output scaled so that 0 is gray 128)")
    p.add_argument("--pooled-out", metavar="POOL", type=Path, help=".npy or .png for the pooled image")
    return p


def options_from_args(args: argparse.Namespace) -> JobOptions:
    if args.kernel is not None:
        kernel, weight, offset = parse_kernel(args.kernel), 1.0, 0.0
    else:
        preset = get_preset(args.preset or DEFAULT_PRESET)
        kernel, weight, offset = preset.kernel, preset.weight, preset.offset
    if args.weight is not None:
        weight = args.weight
    if args.offset is not None:
        offset = args.offset
    if args.pool == "none":
        pool = None
    elif args.lab:
        pool = PoolOptions(args.pool, args.pool_size, args.pool_stride)
        if pool.op == "max" and pool.size == 2 and pool.step == 2:
            pool = LAB_POOL
    else:
        pool = PoolOptions(args.pool, args.pool_size, args.pool_stride)
    return JobOptions(kernel=kernel, weight=weight, offset=offset, lab=args.lab, border=args.border,
                      output_range=args.output_range, pool=pool)


def run_apply(args: argparse.Namespace) -> int:
    try:
        for target in (args.out, args.pooled_out):
            if target is not None and target.suffix.lower() not in _OUT_SUFFIXES:
                raise KernelscopeError(f"{target}: outputs are .npy (exact values) or .png (8-bit image)")
            if target is not None and not target.parent.resolve().is_dir():
                raise KernelscopeError(f"{target}: the folder {target.parent} does not exist")
        if args.pooled_out is not None and args.pool == "none":
            raise KernelscopeError("--pooled-out needs pooling; drop --pool none")
        options = options_from_args(args)
        if args.lab and args.border != "zero":
            raise KernelscopeError("lab mode keeps the notebook's untouched 1-pixel margin; --border does not apply")
        image = load_image(args.input, downscale=args.downscale)
        pooled_shape = options.pooled_shape(*image.shape)
        if args.pooled_out is not None and pooled_shape is not None and 0 in pooled_shape:
            h, w = options.output_shape(*image.shape)
            raise KernelscopeError(f"the convolved image ({h}x{w}) is smaller than the {options.pool.size}x"
                                   f"{options.pool.size} pooling window, so there is nothing to pool; "
                                   "use a smaller --pool-size")
        result = run_job(image, options)
        save_result(args.out, result.convolved)
        if args.pooled_out is not None:
            save_result(args.pooled_out, result.pooled)
    except ImageTooLargeError as e:
        hint = " (add --downscale to open it downscaled)" if e.factor else ""
        print(f"kernelscope: error: {e}{hint}", file=sys.stderr)
        return 1
    except KernelscopeError as e:
        print(f"kernelscope: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"kernelscope: error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 1
    except MemoryError:
        print("kernelscope: error: not enough memory for this image", file=sys.stderr)
        return 1
    h, w = result.convolved.shape
    line = f"convolved {h}x{w} -> {args.out}"
    if args.pooled_out is not None:
        ph, pw = result.pooled.shape
        line += f"; pooled {ph}x{pw} -> {args.pooled_out}"
    print(f"{line} ({result.seconds * 1000:.0f} ms)")
    return 0
