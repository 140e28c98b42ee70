"""``python main.py analyse``: what a kernel does before it runs (engine.analysis), printed as text, and where
the command line gets a kernel from (--kernel, --preset or --kernel-file) for every command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from .analysis import kernel_analysis
from .errors import KernelscopeError, OptionsError
from .kernel_files import load_kernel
from .kernel_transforms import flip_both
from .kernels import get_preset, parse_kernel, preset_names
from .options import MAX_KERNEL_SIDE

DEFAULT_PRESET = "Notebook: 'horizontal lines'"


def add_kernel_arguments(p: argparse.ArgumentParser) -> None:
    """--kernel, --preset and --kernel-file (one of them) and --flip."""
    kernel = p.add_mutually_exclusive_group()
    kernel.add_argument("--kernel", metavar="ROWS",
                        help=f'kernel rows separated by ";", entries by ",", e.g. "0,1,0;1,-4,1;0,1,0" or '
                             f'"1/9,1/9,1/9;..." (1x1 to {MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}, entries within +-1e6)')
    kernel.add_argument("--preset", metavar="NAME",
                        help=f"a built-in kernel (default {DEFAULT_PRESET!r}): {', '.join(preset_names())}")
    kernel.add_argument("--kernel-file", metavar="FILE", type=Path,
                        help="a kernel file: text (one row per line, entries separated by spaces; or the "
                             "--kernel form; '#' comments) or a 2-D .npy array")
    p.add_argument("--flip", action="store_true",
                   help="true convolution: turn the kernel 180 degrees before sliding it, as "
                        "scipy.signal.convolve2d does (default: cross-correlation, as TensorFlow and PyTorch)")


def kernel_from_args(args: argparse.Namespace) -> tuple[tuple[tuple[float, ...], ...], float, float]:
    """(kernel, weight, offset) the arguments name: a preset brings its weight and offset, others 1 and 0."""
    if args.kernel is not None:
        return parse_kernel(args.kernel), 1.0, 0.0
    if args.kernel_file is not None:
        return load_kernel(args.kernel_file), 1.0, 0.0
    preset = get_preset(args.preset or DEFAULT_PRESET)
    return preset.kernel, preset.weight, preset.offset


def add_analyse_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "analyse", aliases=["analyze"],
        help="describe what a kernel does: sum, DC gain, separability, frequency response",
        description="Print what a kernel does before it runs: its sum and its gain on a flat image (weight x "
                    "sum), whether it is separable (and into which column and row vectors), and its frequency "
                    "response (|DFT| zero-padded to 64x64) read in plain words.")
    add_kernel_arguments(p)
    p.add_argument("--weight", metavar="W", type=_number, help="multiplies the sum (default: the preset's, else 1)")
    p.add_argument("--response-out", metavar="FILE.npy", type=Path,
                   help="also save the frequency response (64x64, frequency 0 at [32, 32]) as a .npy array")
    return p


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None


def run_analyse(args: argparse.Namespace) -> int:
    try:
        kernel, weight, _ = kernel_from_args(args)
        if args.weight is not None:
            weight = args.weight
        if args.flip:
            kernel = flip_both(kernel)
        analysis = kernel_analysis(kernel, weight)
        if args.response_out is not None:
            if args.response_out.suffix.lower() != ".npy":
                raise OptionsError(f"{args.response_out}: the response is saved as .npy")
            from .images import save_result
            save_result(args.response_out, np.ascontiguousarray(analysis.frequency.response))
    except KernelscopeError as e:
        print(f"kernelscope: error: {e}", file=sys.stderr)
        return 1
    except OSError as e:
        print(f"kernelscope: error: {e.filename or ''}: {e.strerror or e}", file=sys.stderr)
        return 1
    if args.flip:
        print("True convolution: the kernel below is the one turned 180 degrees, as it is multiplied")
    print(analysis.describe())
    return 0
