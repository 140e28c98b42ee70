"""``python main.py apply INPUT --pipeline P.json --out OUT.npy [--save-layers DIR]``: a pipeline file run
headlessly.

``--pipeline`` names a pipeline file (engine.pipeline_files), or a built-in pipeline by name ("LeNet-like";
their files are in resources/pipelines/). ``--out`` gets the last layer's output; ``--save-layers DIR`` every
layer's, as ``DIR/layer01_conv.npy``, ``DIR/layer02_relu.npy``, ... (DIR is created if missing). Each array is
H x W for one channel, H x W x C for several, in the dtype the layer gives (clamp uint8; raw, relu and avg
float32; max and min their input's). ``--channels`` and ``--downscale`` say how INPUT is read; the
single-layer options describe the one layer of a plain ``apply`` and are refused with ``--pipeline``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

from .errors import KernelscopeError
from .images import load_image
from .numbers import format_size
from .pipeline import ConvLayer, Pipeline, PoolLayer, ReluLayer
from .pipeline_files import PipelineFileError, load_pipeline
from .pipeline_presets import PIPELINE_PRESETS
from .pipeline_run import run_pipeline
from .saving import check_result_target, per_channel_outputs, result_writer, write_all

#: apply's options that describe a single layer (argparse dest -> option), refused with --pipeline.
SINGLE_LAYER_OPTIONS = {"kernel": "--kernel", "preset": "--preset", "kernel_file": "--kernel-file",
                        "stride": "--stride", "dilation": "--dilation", "weight": "--weight", "offset": "--offset",
                        "flip": "--flip", "lab": "--lab", "border": "--border", "output_range": "--output-range",
                        "pool": "--pool", "pool_size": "--pool-size", "pool_stride": "--pool-stride",
                        "pooled_out": "--pooled-out"}


def add_pipeline_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--pipeline", metavar="P.json",
                        help="run a pipeline file's layers (conv, relu, pool; see docs/pipelines.md) instead of one "
                             f"layer, or a built-in pipeline: {', '.join(repr(n) for n in PIPELINE_PRESETS)}; --out "
                             "gets the last layer's output; the single-layer options do not apply")
    parser.add_argument("--save-layers", metavar="DIR", type=Path,
                        help="also save every layer's output as DIR/layer01_conv.npy, DIR/layer02_relu.npy, ... "
                             "(DIR is created if missing); needs --pipeline")


def misused_options(args: argparse.Namespace) -> str | None:
    """Why the command line mixes --pipeline with single-layer options (or --save-layers without it), or None."""
    if getattr(args, "pipeline", None) is None:
        return "--save-layers needs --pipeline" if getattr(args, "save_layers", None) is not None else None
    given = [flag for dest, flag in SINGLE_LAYER_OPTIONS.items() if getattr(args, dest, None) not in (None, False)]
    if given:
        return (f"--pipeline runs the layers of its file, so {', '.join(given)} cannot be given with it (they "
                "describe the one layer of a plain apply); put them in the pipeline file")
    return None


def pipeline_argument(text: str) -> Pipeline:
    """The pipeline --pipeline names: a file, or a built-in pipeline's name."""
    path = Path(text)
    if not path.exists():
        for name, pipeline in PIPELINE_PRESETS.items():
            if name.lower() == text.strip().lower():
                return pipeline
        raise PipelineFileError(f"{text}: no such file (built-in pipelines: "
                                f"{', '.join(repr(n) for n in PIPELINE_PRESETS)})")
    return load_pipeline(path)


def layer_file_name(index: int, pipeline: Pipeline) -> str:
    """'layer01_conv.npy' for layer 0: numbered from 01 in order, named by type."""
    return f"layer{index + 1:02d}_{pipeline.layers[index].kind}.npy"


def display_range(pipeline: Pipeline, index: int, array: np.ndarray) -> str:
    """How a PNG shows layer ``index``'s output (engine.saving.to_display_uint8): uint8 as it is, a ReLU or
    relu conv (and pools after them) from black, anything signed around gray 128."""
    if array.dtype == np.uint8:
        return "clamp"
    for layer in reversed(pipeline.layers[:index + 1]):
        if isinstance(layer, ReluLayer):
            return "relu"
        if isinstance(layer, ConvLayer):
            return "relu" if layer.options.output_range == "relu" else "raw"
        if not isinstance(layer, PoolLayer):
            break
    return "raw" if array.dtype.kind == "f" and float(array.min(initial=0.0)) < 0.0 else "clamp"


def _check_targets(out: Path, folder: Path | None) -> None:
    check_result_target(out)
    if folder is not None and folder.exists() and not folder.is_dir():
        raise KernelscopeError(f"{folder}: --save-layers needs a folder, and this is a file")


def _described(array: np.ndarray) -> str:
    size = format_size(array.shape[:2])
    return (size if array.ndim == 2 else f"{size} x {array.shape[2]} channels") + f" {array.dtype}"


def run_pipeline_apply(args: argparse.Namespace, report_error) -> int:
    """The apply command with --pipeline; ``report_error`` prints a refusal and gives the exit status."""
    problem = misused_options(args)
    if problem:
        print(f"kernelscope: error: {problem}", file=sys.stderr)
        return 2
    try:
        _check_targets(args.out, args.save_layers)
        pipeline = pipeline_argument(args.pipeline)
        if not pipeline.layers:
            raise PipelineFileError(f"{args.pipeline}: has no layers, so there is no output to save")
        channels = args.channels or "gray"
        if channels not in ("gray", "rgb"):
            raise KernelscopeError(f"--channels: must be one of gray, rgb, not {channels!r}")
        image = load_image(args.input, downscale=args.downscale, channels=channels)
        result = run_pipeline(image, pipeline)
        last = len(pipeline) - 1
        outputs = [(path, array, display_range(pipeline, last, array))
                   for path, array in per_channel_outputs(args.out, result.outputs[-1], result.outputs[-1].ndim == 3)]
        if args.save_layers is not None:
            args.save_layers.mkdir(parents=True, exist_ok=True)
            outputs += [(args.save_layers / layer_file_name(i, pipeline), array, "raw")
                        for i, array in enumerate(result.outputs)]
        write_all([(path, result_writer(path, array, shown)) for path, array, shown in outputs])
    except (KernelscopeError, OSError, MemoryError) as e:
        return report_error(e)
    for i, (label, array, seconds) in enumerate(zip(pipeline.labels, result.outputs, result.seconds), start=1):
        print(f"layer {i:02d} {label}: {_described(array)} ({seconds * 1000:.0f} ms)")
    saved = f"; every layer -> {args.save_layers}" if args.save_layers is not None else ""
    print(f"last layer -> {args.out}{saved} ({sum(result.seconds) * 1000:.0f} ms)")
    return 0
