"""The command line's ``learn``: find the kernel that turns INPUT into TARGET by gradient descent (or exactly).

    python main.py learn INPUT TARGET --size KHxKW [--steps N] [--lr X] [--border MODE] [--exact] --out kernel.txt
"""

from __future__ import annotations

import argparse
import math
import re
import sys
from pathlib import Path

from .cli import BORDER_OPTION_HELP, add_image_command, report_error
from .errors import KernelscopeError
from .images import load_image
from .saving import atomic_write_bytes
from .kernels import format_kernel
from .learn import CLAMP_NOTE, KernelFit
from .options import BORDERS, MAX_KERNEL_SIDE

DEFAULT_STEPS = 10000
PROGRESS_LINES = 20
BAR_WIDTH = 24


def _size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"\s*(\d+)\s*(?:[xX*]\s*(\d+))?\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a kernel size like 3x3 or 5")
    kh = int(match.group(1))
    kw = int(match.group(2) or kh)
    if not (1 <= kh <= MAX_KERNEL_SIDE and 1 <= kw <= MAX_KERNEL_SIDE):
        raise argparse.ArgumentTypeError(f"the kernel size {kh}x{kw} is not between 1x1 and "
                                         f"{MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}")
    return kh, kw


def _checked(convert, ok, what: str):
    """An argparse type: ``convert(text)`` if that works and passes ``ok``, else a one-line error."""
    def parse(text: str):
        try:
            value = convert(text)
        except ValueError:
            value = None
        if value is None or not ok(value):
            raise argparse.ArgumentTypeError(f"{text!r} is not {what}")
        return value
    return parse


_positive = _checked(float, lambda v: math.isfinite(v) and v > 0, "a positive number")
_steps = _checked(int, lambda v: v >= 0, "a whole number >= 0")
_momentum = _checked(float, lambda v: 0 <= v < 1, "a number from 0 up to (not including) 1")


def add_learn_parser(subparsers) -> argparse.ArgumentParser:
    p = add_image_command(
        subparsers, "learn", "learn the kernel that turns INPUT into TARGET (gradient descent on the squared error)",
        "Learn a kernel the way a CNN learns its first layer: gradient descent on the mean squared error between "
        "convolve(INPUT, kernel) (raw output) and TARGET, starting from zeros. The loss goes to stderr every few "
        "steps; the kernel is written in the 'a,b;c,d' form of --kernel, at full precision.")
    p.add_argument("target", metavar="TARGET",
                   help="the raw convolved output to match (a .npy keeps signed values): the size of INPUT, or "
                        "smaller by kh-1 rows and kw-1 columns with --border valid")
    p.add_argument("--size", type=_size, required=True, metavar="KHxKW", help="kernel size, e.g. 3x3 (or 3)")
    p.add_argument("--steps", type=_steps, default=DEFAULT_STEPS, metavar="N",
                   help=f"gradient-descent steps (default {DEFAULT_STEPS})")
    p.add_argument("--lr", type=_positive, metavar="X",
                   help="learning rate (default 1/L, L = 2 x the largest eigenvalue of A^T A / n: the loss then "
                        "falls at every step)")
    p.add_argument("--momentum", type=_momentum, default=0.0, metavar="M",
                   help="heavy-ball momentum, 0 <= M < 1 (default 0: plain gradient descent); e.g. 0.9 needs "
                        "far fewer steps on photos, but the loss may rise now and then")
    p.add_argument("--border", choices=BORDERS, default="zero", help=BORDER_OPTION_HELP)
    p.add_argument("--exact", action="store_true",
                   help="write the least-squares optimum (numpy.linalg.lstsq) instead of the learned kernel")
    p.add_argument("--out", required=True, type=Path, metavar="KERNEL.txt", help="where to write the kernel")
    return p


def _bar(done: int, total: int) -> str:
    filled = BAR_WIDTH * done // max(total, 1)
    return "[" + "#" * filled + "-" * (BAR_WIDTH - filled) + "]"


def run_learn(args: argparse.Namespace) -> int:
    try:
        if not args.out.parent.resolve().is_dir():
            raise KernelscopeError(f"{args.out}: the folder {args.out.parent} does not exist")
        image = load_image(args.input)
        target = load_image(args.target)
        fit = KernelFit(image, target, args.size, border=args.border)
        if target.dtype.kind == "u":
            print(f"kernelscope: note: {args.target} holds only values 0..255. {CLAMP_NOTE}", file=sys.stderr)
        if args.exact:
            result, how = fit.exact(), "(least-squares optimum)"
        else:
            every = max(1, args.steps // PROGRESS_LINES)
            for result in fit.steps(args.steps, lr=args.lr, momentum=args.momentum):
                if result.step % every == 0 or result.step == args.steps:
                    print(f"step {result.step:>{len(str(args.steps))}}/{args.steps} {_bar(result.step, args.steps)} "
                          f"loss {result.loss:.6g}", file=sys.stderr, flush=True)
            how = f"after {result.step} steps (least-squares optimum: loss {fit.min_loss:.6g})"
        atomic_write_bytes(args.out, (format_kernel(result.kernel) + "\n").encode())
    except (KernelscopeError, OSError, MemoryError) as e:
        return report_error(e)
    kh, kw = args.size
    print(f"learned {kh}x{kw} kernel, loss {result.loss:.6g} {how} -> {args.out}")
    return 0
