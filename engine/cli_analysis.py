"""``python main.py analyse KERNEL``: what a kernel does before it runs (engine.analysis), printed as text.

KERNEL is a kernel file (text or .npy), kernel text in the --kernel form ("-1,0,1;-2,0,2;-1,0,1") or a
preset name ("Sobel x"), tried in that order.
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from .analysis import kernel_analysis
from .cli import report_error
from .errors import KernelscopeError, OptionsError
from .kernel_files import NPY_SUFFIX, load_kernel
from .kernel_transforms import flip_both
from .kernels import get_preset, parse_kernel
from .numbers import parse_number
from .saving import save_result

#: Names ending so are taken for kernel files even when they do not exist (to say so, not to look for a preset).
KERNEL_FILE_SUFFIXES = (".txt", ".kernel", NPY_SUFFIX)


def add_analyse_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "analyse", aliases=["analyze"],
        help="describe what a kernel does: sum, DC gain, separability, frequency response",
        description="Print what a kernel does before it runs: its sum and its gain on a flat image (weight x "
                    "sum), whether it is separable (and into which column and row vectors), and its frequency "
                    "response (|DFT| zero-padded to 64x64) read in plain words. Exit status 1 for a kernel "
                    "that cannot be used.")
    p.add_argument("kernel", metavar="KERNEL",
                   help="a kernel file (text rows or .npy), kernel text like \"0,1,0;1,-4,1;0,1,0\" (put -- "
                        "before text that starts with '-': -- \"-1,0,1;-2,0,2;-1,0,1\"), or a preset name like "
                        "\"Sobel x\"")
    p.add_argument("--weight", metavar="W", help="multiplies the sum, e.g. 1/9 (default: the preset's, else 1)")
    p.add_argument("--flip", action="store_true",
                   help="analyse the kernel turned 180 degrees, the one true convolution multiplies")
    p.add_argument("--response-out", metavar="FILE.npy", type=Path,
                   help="also save the frequency response (64x64, frequency 0 at [32, 32]) as a .npy array")
    return p


def kernel_from_spec(spec: str) -> tuple[tuple[tuple[float, ...], ...], float]:
    """(kernel, weight) that KERNEL names: a file, kernel text, else a preset (which brings its weight)."""
    path = Path(spec)
    if path.suffix.lower() in KERNEL_FILE_SUFFIXES or path.is_file():
        return load_kernel(path), 1.0
    if any(c in spec for c in ",;") or spec.strip().lstrip("+-")[:1].isdigit():
        return parse_kernel(spec), 1.0
    preset = get_preset(spec)
    return preset.kernel, preset.weight


def run_analyse(args: argparse.Namespace) -> int:
    try:
        kernel, weight = kernel_from_spec(args.kernel)
        if args.weight is not None:
            try:
                weight = parse_number(args.weight)
            except OptionsError as e:
                raise OptionsError(f"--weight: {e}") from None
        if args.flip:
            kernel = flip_both(kernel)
        analysis = kernel_analysis(kernel, weight)
        if args.response_out is not None:
            if args.response_out.suffix.lower() != NPY_SUFFIX:
                raise OptionsError(f"{args.response_out}: the response is saved as .npy")
            save_result(args.response_out, np.ascontiguousarray(analysis.frequency.response), "raw")
    except (KernelscopeError, OSError, MemoryError) as e:
        return report_error(e)
    if args.flip:
        print("True convolution: the kernel analysed is the one turned 180 degrees, as it is multiplied")
    print(analysis.describe())
    return 0
