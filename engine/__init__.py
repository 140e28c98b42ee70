"""Kernelscope's engine: convolution and pooling as the lab teaches them, exact and explained.

Pure numpy/scipy; no Qt. The window, the command line and users' scripts all call this API::

    import engine
    image = engine.load_image("resources/images/ascent.png")
    options = engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel, border="edge")
    result = engine.run_job(image, options)          # result.convolved, result.pooled
    print(engine.explain_pixel(image, options, 100, 200))

A layer: ``load_image(path, channels="rgb")`` gives H x W x 3; ``JobOptions(kernel=K)`` with K a kh x kw x
Cin x Cout (HWIO) array, ``offset=[b0, b1, ...]``, ``stride=2``, ``dilation=(1, 2)``, ``output_range="relu"``;
``explain_pixel(image, options, r, c, channel)`` explains output channel ``channel``.
"""


from .convolution import Convolution
from .errors import (ImageError, ImageTooLargeError, JobCancelled, KernelscopeError, LabModeError,
                     OptionsError, SessionError)
from .explain import PixelExplanation, PoolExplanation, Term
from .layer_explain import explain_pixel, explain_pool
from .analysis import KernelAnalysis, kernel_analysis
from .channels import channel_count
from .comparison import Comparison, ComparisonLevels, check_comparable, compare, compare_steps, comparison_levels
from .geometry import Geometry, Placement, Rect
from .images import MAX_PIXELS, check_channels_image, check_image, display_levels, load_image
from .jobs import JobResult, convolve, job_steps, run_job
from .kernel_files import KernelFileError, load_kernel, load_kernel_file, save_kernel
from .kernels import PRESETS, Preset, format_kernel, get_preset, normalizing_weight, parse_kernel, preset_names
from .layer_options import MAX_OUT_CHANNELS, MAX_STEP
from .layer_presets import LAYER_PRESETS, LayerPreset, fill_layer, get_layer_preset
from .levels import LEVEL_CHOICES, Levels, result_levels, signed_levels
from .numbers import format_number, format_size, parse_number
from .options import (BORDER_HELP, BORDERS, LAB_POOL, MAX_KERNEL_SIDE, OUTPUT_RANGES, POOL_OPS, JobOptions,
                      PoolOptions)
from .pooling import pool
from .saving import save_result, save_results, to_display_uint8
from . import buffers, certified, kernel_transforms, lab_rules, resources
from .resources import sample_names, sample_path
from .sessions import Session, load_presets, load_session, save_presets, save_session

__all__ = [
    "BORDERS",
    "BORDER_HELP",
    "Comparison",
    "Convolution",
    "Geometry",
    "ImageError",
    "ImageTooLargeError",
    "JobCancelled",
    "JobOptions",
    "JobResult",
    "KernelAnalysis",
    "KernelFileError",
    "KernelscopeError",
    "LAB_POOL",
    "LEVEL_CHOICES",
    "LabModeError",
    "Levels",
    "MAX_KERNEL_SIDE",
    "MAX_OUT_CHANNELS",
    "MAX_PIXELS",
    "MAX_STEP",
    "OUTPUT_RANGES",
    "OptionsError",
    "POOL_OPS",
    "PRESETS",
    "LAYER_PRESETS",
    "LayerPreset",
    "fill_layer",
    "get_layer_preset",
    "PixelExplanation",
    "Placement",
    "PoolExplanation",
    "PoolOptions",
    "Preset",
    "Rect",
    "Session",
    "SessionError",
    "Term",
    "buffers",
    "certified",
    "channel_count",
    "check_channels_image",
    "check_image",
    "compare",
    "compare_steps",
    "check_comparable",
    "comparison_levels",
    "ComparisonLevels",
    "convolve",
    "display_levels",
    "explain_pixel",
    "explain_pool",
    "format_kernel",
    "format_number",
    "format_size",
    "get_preset",
    "job_steps",
    "kernel_analysis",
    "kernel_transforms",
    "lab_rules",
    "load_image",
    "load_kernel",
    "load_kernel_file",
    "load_presets",
    "load_session",
    "normalizing_weight",
    "parse_kernel",
    "parse_number",
    "pool",
    "preset_names",
    "resources",
    "result_levels",
    "run_job",
    "sample_names",
    "sample_path",
    "save_kernel",
    "save_presets",
    "save_result",
    "save_results",
    "save_session",
    "signed_levels",
    "to_display_uint8",
]

from .pipeline import ConvLayer, Pipeline, PoolLayer, ReluLayer, output_shapes
from .pipeline_presets import PIPELINE_PRESETS
from .pipeline_run import PipelineResult, pipeline_steps, relu, run_pipeline
from .receptive_fields import receptive_field
from .pipeline_explain import ReluExplanation, explain_layer_pixel
from .pipeline_files import PipelineFileError, load_pipeline, pipeline_from_dict, pipeline_to_dict, save_pipeline

__all__ += ["ConvLayer", "PIPELINE_PRESETS", "Pipeline", "PipelineResult", "PoolLayer", "ReluLayer",
            "ReluExplanation", "explain_layer_pixel", "output_shapes", "pipeline_steps", "receptive_field", "relu",
            "run_pipeline", "PipelineFileError", "load_pipeline", "pipeline_from_dict", "pipeline_to_dict",
            "save_pipeline"]

from .layer_jobs import reused_maps

__all__ += ["reused_maps"]
