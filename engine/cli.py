"""The headless command line: ``python main.py apply INPUT ... --out FILE``.

It parses into the same JobOptions the window uses and runs the same engine job. Exit status: 2 when the
command line itself is malformed (an unknown option, an option without its value, a missing INPUT or
--out, --kernel with --preset), 1 when a value, a file or the job is refused (every value an option is
given is checked by the engine, so 'nan', '1.5' for a size or 1e7 for a weight all give 1), 0 on success.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .errors import ImageTooLargeError, KernelscopeError, OptionsError
from .images import load_image
from .layer_options import MAX_OUT_CHANNELS, MAX_STEP
from .jobs import run_job
from .kernel_files import load_kernel, load_kernel_file
from .kernels import DEFAULT_PRESET, get_preset, parse_kernel, preset_names
from .numbers import format_size, parse_number
from .pipeline_cli import add_pipeline_arguments, run_pipeline_apply
from .options import BORDER_HELP, BORDERS, MAX_KERNEL_SIDE, OUTPUT_RANGES, POOL_OPS, JobOptions, PoolOptions
from .saving import check_result_target, per_channel_outputs, save_results

CHANNEL_MODES = ("gray", "rgb")

POOL_CHOICES = POOL_OPS + ("none",)
# A word with one leading '-' (other than -h, the only short option) after a long option is that option's
# value: a number or a kernel ("-1e-3", "-1,0,1;...", even "-inf", which is then refused as a value).
_NEGATIVE_VALUE = re.compile(r"-(?!-|h$)")


def attach_negative_values(args: list[str]) -> list[str]:
    """``--weight -1e-3`` -> ``--weight=-1e-3``: argparse takes a word starting with '-' for an option unless
    it looks like a plain negative number, so kernels ("-1,0,1;...") and exponents would be refused."""
    out: list[str] = []
    i = 0
    while i < len(args):
        word = args[i]
        if word == "--":
            out.extend(args[i:])
            break
        if (word.startswith("--") and "=" not in word and i + 1 < len(args)
                and _NEGATIVE_VALUE.match(args[i + 1])):
            out.append(f"{word}={args[i + 1]}")
            i += 2
            continue
        out.append(word)
        i += 1
    return out


class CommandLineParser(argparse.ArgumentParser):
    """argparse with Kernelscope's rules: a malformed command line prints one line and exits 2, and an
    option's value may start with '-' (``--kernel "-1,0,1;-2,0,2;-1,0,1"``, ``--offset -1e3``)."""

    def error(self, message: str) -> None:  # one line on stderr, exit 2, as argparse does, minus the usage dump
        self.exit(2, f"kernelscope: error: {message}\n")

    def parse_known_args(self, args=None, namespace=None):
        args = sys.argv[1:] if args is None else list(args)
        return super().parse_known_args(attach_negative_values(args), namespace)


#: --border's help: every mode and what it does beyond the image's edge.
BORDER_OPTION_HELP = "border mode (default zero): " + "; ".join(f"{name}: {text}" for name, text in BORDER_HELP.items())


def add_image_command(subparsers, name: str, summary: str, description: str) -> argparse.ArgumentParser:
    """The parser of a command that reads an image, INPUT, first (apply, learn)."""
    p = subparsers.add_parser(name, help=summary, description=description)
    p.add_argument("input", metavar="INPUT", help="PNG, JPEG, BMP or TIFF image, or a 2-D .npy array")
    return p


def add_apply_parser(subparsers) -> argparse.ArgumentParser:
    p = add_image_command(
        subparsers, "apply", "convolve (and pool) an image headlessly and save the results",
        "Convolve INPUT with a kernel, then pool, and save the results. Colour images are converted to gray "
        "with ITU-R BT.601 luma (alpha composited over white); 16-bit images are scaled to 8 bits; a 2-D .npy "
        "is used as is. Numbers may be fractions (1/9) and may start with '-' (--offset -1e3). Exit status: 2 "
        "for a malformed command line, 1 for a refused value or file.")
    kernel = p.add_mutually_exclusive_group()
    kernel.add_argument("--kernel", metavar="ROWS",
                        help=f'kernel rows separated by ";", entries by ",", e.g. "0,1,0;1,-4,1;0,1,0" or '
                             f'"1/9,1/9,1/9;..." (1x1 to {MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}, entries within +-1e6)')
    kernel.add_argument("--preset", metavar="NAME",
                        help=f"a built-in kernel (default {DEFAULT_PRESET.name!r}): {', '.join(preset_names())}")
    kernel.add_argument("--kernel-file", metavar="FILE", type=Path,
                        help="read the kernel from a file: a .npy saved with numpy.save, kh x kw or kh x kw x Cin x "
                             f"Cout (TensorFlow's HWIO layout, Cout 1 to {MAX_OUT_CHANNELS}), any real dtype; or text "
                             "(one row per line, entries separated by spaces, '#' comments; or the --kernel form)")
    p.add_argument("--channels", metavar="{gray,rgb}",
                   help="open a picture as gray (default) or as 3 colour channels; a .npy is used as stored")
    p.add_argument("--stride", metavar="S|SH,SW", help=f"step between output pixels, 1 to {MAX_STEP} (default 1)")
    p.add_argument("--dilation", metavar="D|DH,DW",
                   help=f"spacing of the kernel's taps, 1 to {MAX_STEP} (default 1)")
    p.add_argument("--weight", metavar="W",
                   help="multiplies the sum, e.g. 0.5 or 1/9, within +-1e6 (default: the preset's weight, else 1)")
    p.add_argument("--offset", metavar="B|B1,B2,...",
                   help="added after the weight, like a CNN bias, within +-1e6: one number, or one per output "
                        "channel (default: the preset's offset, else 0)")
    p.add_argument("--flip", action="store_true",
                   help="true convolution: turn the kernel 180 degrees before sliding it, as "
                        "scipy.signal.convolve2d does (default: cross-correlation, as TensorFlow and PyTorch)")
    p.add_argument("--lab", action="store_true",
                   help="reproduce the notebook's loops bit for bit (3x3 only, transposed kernel, 1-pixel "
                        "margin kept, no offset, clamp, 2x2 max pooling or none); other options are refused")
    p.add_argument("--border", metavar="{" + ",".join(BORDERS) + "}", help=BORDER_OPTION_HELP)
    p.add_argument("--output-range", metavar="{clamp,raw,relu}",
                   help="clamp: clip to 0..255 and truncate (default); raw: keep signed float values; relu: "
                        "max(v, 0) as float")
    p.add_argument("--pool", metavar="{" + ",".join(POOL_CHOICES) + "}",
                   help="pooling operation (default max)")
    p.add_argument("--pool-size", metavar="K", help="pooling window size, 1 to 16 (default 2)")
    p.add_argument("--pool-stride", metavar="S", help="pooling stride, 1 to 16 (default: the size)")
    p.add_argument("--downscale", action="store_true",
                   help="open images over the size limit downscaled by the smallest factor that fits")
    p.add_argument("--out", required=True, metavar="CONV", type=Path,
                   help=".npy (exact values; H x W x C for several output channels) or .png (8-bit; raw output "
                        "scaled so that 0 is gray 128; several channels: one file each, NAME_c0.png, ...)")
    p.add_argument("--pooled-out", metavar="POOL", type=Path, help=".npy or .png for the pooled image")
    add_pipeline_arguments(p)
    return p


def _number(option: str, text: str) -> float:
    try:
        return parse_number(text)
    except OptionsError as e:
        raise OptionsError(f"{option}: {e}") from None


def _whole(option: str, text: str | None) -> int | None:
    if text is None:
        return None
    value = _number(option, text)
    if not value.is_integer():
        raise OptionsError(f"{option}: must be a whole number, not {text!r}")
    return int(value)


def _choice(option: str, text: str | None, choices: tuple[str, ...]) -> str | None:
    if text is not None and text not in choices:
        raise OptionsError(f"{option}: must be one of {', '.join(choices)}, not {text!r}")
    return text


def _pair(option: str, text: str | None) -> tuple[int, int]:
    """'2' or '2,3' as a (rows, columns) pair of whole numbers (JobOptions checks the range)."""
    if text is None:
        return (1, 1)
    parts = text.split(",")
    if len(parts) > 2:
        raise OptionsError(f"{option}: give one whole number or two (rows,columns), not {text!r}")
    values = [_whole(option, part) for part in parts]
    return (values[0], values[-1])


def _offsets(text: str) -> float | list[float]:
    parts = text.split(",")
    return _number("--offset", text) if len(parts) == 1 else [_number("--offset", part) for part in parts]


def options_from_args(args: argparse.Namespace) -> JobOptions:
    """The JobOptions the arguments ask for; OptionsError (LabModeError in lab mode) says what is wrong."""
    if getattr(args, "kernel_file", None) is not None:
        path = args.kernel_file  # a .npy may hold a layer kernel; text files hold a 2-D one
        loader = load_kernel_file if path.suffix.lower() == ".npy" else load_kernel
        kernel, weight, offset = loader(path), 1.0, 0.0
    elif args.kernel is not None:
        kernel, weight, offset = parse_kernel(args.kernel), 1.0, 0.0
    else:
        preset = get_preset(args.preset) if args.preset else DEFAULT_PRESET
        kernel, weight, offset = preset.kernel, preset.weight, preset.offset
    if args.weight is not None:
        weight = _number("--weight", args.weight)
    if args.offset is not None:
        offset = _offsets(args.offset)
    border = _choice("--border", args.border, BORDERS) or "zero"
    output_range = _choice("--output-range", args.output_range, OUTPUT_RANGES) or "clamp"
    op = _choice("--pool", args.pool, POOL_CHOICES) or "max"
    size = _whole("--pool-size", "2" if args.pool_size is None else args.pool_size)
    stride = _whole("--pool-stride", args.pool_stride)
    pool = None if op == "none" else PoolOptions(op, size, stride)
    stride, dilation = _pair("--stride", getattr(args, "stride", None)), _pair("--dilation", getattr(args, "dilation", None))
    return JobOptions(kernel=kernel, weight=weight, offset=offset, lab=args.lab, flip=args.flip, border=border,
                      output_range=output_range, pool=pool, stride=stride, dilation=dilation)


def _check_outputs(args: argparse.Namespace) -> None:
    targets = [t for t in (args.out, args.pooled_out) if t is not None]
    for target in targets:
        check_result_target(target)
    if len(targets) == 2 and targets[0].resolve() == targets[1].resolve():
        raise KernelscopeError(f"{args.out}: --out and --pooled-out name the same file")
    if args.pooled_out is not None and args.pool == "none":
        raise KernelscopeError("--pooled-out needs pooling; drop --pool none")



def report_error(error: BaseException) -> int:
    """Print the one stderr line every command gives for a refused input, a file problem or too little
    memory, and return the exit status 1."""
    if isinstance(error, MemoryError):
        text = "not enough memory for this image"
    elif isinstance(error, OSError):
        text = f"{error.filename or ''}: {error.strerror or error}"
    elif isinstance(error, ImageTooLargeError) and error.factor:
        text = f"{error} (add --downscale to open it downscaled)"
    else:
        text = str(error)
    print(f"kernelscope: error: {text}", file=sys.stderr)
    return 1

def run_apply(args: argparse.Namespace) -> int:
    if getattr(args, "pipeline", None) is not None or getattr(args, "save_layers", None) is not None:
        return run_pipeline_apply(args, report_error)
    try:
        _check_outputs(args)
        options = options_from_args(args)
        channels = _choice("--channels", args.channels, CHANNEL_MODES) or "gray"
        image = load_image(args.input, downscale=args.downscale, channels=channels)
        pooled_shape = options.pooled_shape(*image.shape)
        fits = 0 not in options.output_shape(*image.shape)  # else the job says why no window fits
        if args.pooled_out is not None and pooled_shape is not None and 0 in pooled_shape and fits:
            size = format_size(options.output_shape(*image.shape))
            raise KernelscopeError(f"the convolved image ({size}) is smaller than the {options.pool.size}x"
                                   f"{options.pool.size} pooling window, so there is nothing to pool; "
                                   "use a smaller --pool-size")
        result = run_job(image, options)
        outputs = per_channel_outputs(args.out, result.convolved, result.convolved.ndim == 3)
        if args.pooled_out is not None:
            outputs += per_channel_outputs(args.pooled_out, result.pooled, result.convolved.ndim == 3)
        save_results(outputs, options.output_range)
    except (KernelscopeError, OSError, MemoryError) as e:
        return report_error(e)
    line = f"convolved {_described(result.convolved)} -> {_targets(args.out, result.convolved)}"
    if args.pooled_out is not None:
        line += f"; pooled {_described(result.pooled)} -> {_targets(args.pooled_out, result.pooled)}"
    print(f"{line} ({result.seconds * 1000:.0f} ms)")
    return 0


def _described(array) -> str:
    size = format_size(array.shape[:2])
    return size if array.ndim == 2 else f"{size} x {array.shape[2]} channels"


def _targets(path: Path, array) -> str:
    if array.ndim == 2 or path.suffix.lower() == ".npy":
        return str(path)
    names = [p.name for p, _ in per_channel_outputs(path, array, True)]
    return f"{names[0]} .. {names[-1]} in {path.parent}" if str(path.parent) not in ("", ".") else \
        f"{names[0]} .. {names[-1]}"
