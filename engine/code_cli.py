"""``python main.py export-code --to numpy|pytorch|keras [apply's options] --out SCRIPT.py``: the options the
``apply`` command takes, written as a runnable script (see engine.codegen) instead of being run; with
``--pipeline P.json`` (as ``apply --pipeline``) a stack of layers.

The options are apply's own, copied from its parser (all but the input, the outputs and --downscale), so
every option apply gains is one export-code takes too. Exit status as for apply: 2 for a malformed command
line, 1 for a refused value or file, 0 on success.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .cli import CHANNEL_MODES, add_apply_parser, options_from_args, report_error
from .codegen import FRAMEWORKS, pipeline_script, script
from .errors import KernelscopeError
from .pipeline_cli import misused_options, pipeline_argument
from .saving import atomic_write_bytes

#: apply's arguments that name files or how to open them: not options of the job, so not exported.
NOT_EXPORTED = {"input", "out", "pooled_out", "downscale", "help", "pipeline", "save_layers"}


def add_export_code_parser(subparsers) -> argparse.ArgumentParser:
    p = subparsers.add_parser(
        "export-code", help="write the kernel and options as a NumPy, PyTorch or Keras script",
        description="Write a short Python script that applies the kernel, weight, offset, border, output range "
                    "and pooling these options describe (the same options as apply: also a layer's channels, "
                    "HWIO kernel, offsets, stride and dilation), and runs as "
                    "`python SCRIPT.py INPUT OUTPUT.npy [POOLED.npy]`. The numpy script reproduces "
                    "Kernelscope's results bit for bit; pytorch and keras scripts equal them up to float32 "
                    "rounding.")
    p.add_argument("--to", required=True, metavar="{" + ",".join(FRAMEWORKS) + "}",
                   help="the framework: numpy (plain numpy), pytorch (torch.nn.functional), keras (TensorFlow)")
    p.add_argument("--out", required=True, metavar="SCRIPT.py",
                   help="the script to write ('-' prints it instead)")
    add_job_options(p)
    p.add_argument("--pipeline", metavar="P.json",
                   help="write a pipeline file's layers (conv, relu, pool; see docs/pipelines.md), or a built-in "
                        "pipeline by name, instead of one layer; the script runs as `python SCRIPT.py INPUT "
                        "OUTPUT.npy [--save-layers DIR]` (the single-layer options do not apply)")
    return p


def add_job_options(parser: argparse.ArgumentParser) -> None:
    """Give ``parser`` every option of apply that describes the job (kernel, weight, ..., pooling), apply's
    own actions, so that what options_from_args reads is always there."""
    apply = add_apply_parser(argparse.ArgumentParser(add_help=False).add_subparsers())
    for action in apply._actions:
        if action.dest not in NOT_EXPORTED:
            parser._add_action(action)


def kernel_and_preset_clash(args: argparse.Namespace) -> bool:
    """--kernel with --preset (apply's parser refuses it as a group; copied actions lose the group): say so."""
    if args.kernel is not None and args.preset is not None:
        print("kernelscope: error: argument --preset: not allowed with argument --kernel", file=sys.stderr)
        return True
    return False


def run_export_code(args: argparse.Namespace) -> int:
    problem = misused_options(args)
    if problem:
        print(f"kernelscope: error: {problem}", file=sys.stderr)
        return 2
    try:
        if kernel_and_preset_clash(args):
            return 2
        if args.to not in FRAMEWORKS:
            raise KernelscopeError(f"--to: must be one of {', '.join(FRAMEWORKS)}, not {args.to!r}")
        channels = args.channels or "gray"
        if channels not in CHANNEL_MODES:
            raise KernelscopeError(f"--channels: must be one of {', '.join(CHANNEL_MODES)}, not {channels!r}")
        if args.pipeline is not None:
            text = pipeline_script(pipeline_argument(args.pipeline), args.to, channels)
        else:
            text = script(options_from_args(args), args.to, channels)
        if args.out == "-":
            sys.stdout.write(text)
            return 0
        target = Path(args.out)
        if target.is_dir():
            raise KernelscopeError(f"{target}: is a folder; name a file to write")
        if not target.parent.resolve().is_dir():
            raise KernelscopeError(f"{target}: the folder {target.parent} does not exist")
        atomic_write_bytes(target, text.encode("utf-8"))
    except (KernelscopeError, OSError, MemoryError) as e:
        return report_error(e)
    pooled = " [--save-layers DIR]" if args.pipeline is not None else " [POOLED.npy]" if "def pool(" in text else ""
    print(f"wrote the {FRAMEWORKS[args.to][0]} script -> {target}; run it as: python {target} INPUT OUTPUT.npy"
          f"{pooled}")
    return 0
