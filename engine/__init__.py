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

from importlib import import_module
from importlib.util import find_spec

#: Every public name -> the engine module that defines it (a name equal to its module's: the module itself).
#: Each is imported on first use (``engine.X`` or ``from engine import X``), so that starting the window does
#: not import the parts it does not show yet. To export a new name, add its line here.
EXPORTS = {
    "Convolution": "convolution",
    "ImageError": "errors",
    "ImageTooLargeError": "errors",
    "JobCancelled": "errors",
    "KernelscopeError": "errors",
    "LabModeError": "errors",
    "OptionsError": "errors",
    "SessionError": "errors",
    "PixelExplanation": "explain",
    "PoolExplanation": "explain",
    "Term": "explain",
    "explain_pixel": "layer_explain",
    "explain_pool": "layer_explain",
    "KernelAnalysis": "analysis",
    "kernel_analysis": "analysis",
    "channel_count": "channels",
    "clamp_report_refusal": "clamp_report",
    "Comparison": "comparison",
    "ComparisonLevels": "comparison",
    "check_comparable": "comparison",
    "compare": "comparison",
    "compare_steps": "comparison",
    "comparison_levels": "comparison",
    "PooledComparison": "comparison",
    "explain_pooled_both": "comparison",
    "pooled_pixel": "comparison",
    "pooled_placement": "comparison",
    "Geometry": "geometry",
    "Placement": "geometry",
    "Rect": "geometry",
    "MAX_PIXELS": "images",
    "check_channels_image": "images",
    "check_image": "images",
    "display_levels": "images",
    "load_image": "images",
    "JobResult": "jobs",
    "convolve": "jobs",
    "job_steps": "jobs",
    "run_job": "jobs",
    "KernelFileError": "kernel_files",
    "load_kernel": "kernel_files",
    "load_kernel_file": "kernel_files",
    "save_kernel": "kernel_files",
    "PRESETS": "kernels",
    "Preset": "kernels",
    "format_kernel": "kernels",
    "get_preset": "kernels",
    "normalizing_weight": "kernels",
    "parse_kernel": "kernels",
    "preset_names": "kernels",
    "MAX_OUT_CHANNELS": "layer_options",
    "MAX_STEP": "layer_options",
    "LAYER_PRESETS": "layer_presets",
    "LayerPreset": "layer_presets",
    "fill_layer": "layer_presets",
    "get_layer_preset": "layer_presets",
    "LEVEL_CHOICES": "levels",
    "Levels": "levels",
    "result_levels": "levels",
    "signed_levels": "levels",
    "format_number": "numbers",
    "format_size": "numbers",
    "parse_number": "numbers",
    "BORDER_HELP": "options",
    "BORDERS": "options",
    "LAB_POOL": "options",
    "MAX_KERNEL_SIDE": "options",
    "OUTPUT_RANGES": "options",
    "POOL_OPS": "options",
    "JobOptions": "options",
    "PoolOptions": "options",
    "pool": "pooling",
    "save_result": "saving",
    "save_results": "saving",
    "to_display_uint8": "saving",
    "buffers": "buffers",
    "certified": "certified",
    "kernel_transforms": "kernel_transforms",
    "lab_rules": "lab_rules",
    "resources": "resources",
    "sample_names": "resources",
    "sample_path": "resources",
    "load_sample": "resources",
    "Session": "sessions",
    "load_presets": "sessions",
    "load_session": "sessions",
    "save_presets": "sessions",
    "save_session": "sessions",
    "ConvLayer": "pipeline",
    "Pipeline": "pipeline",
    "PoolLayer": "pipeline",
    "ReluLayer": "pipeline",
    "output_shapes": "pipeline",
    "PIPELINE_PRESETS": "pipeline_presets",
    "PipelineResult": "pipeline_run",
    "pipeline_steps": "pipeline_run",
    "relu": "pipeline_run",
    "run_pipeline": "pipeline_run",
    "receptive_field": "receptive_fields",
    "reused_maps": "layer_reuse",
    "refinished_maps": "layer_reuse",
    "ReluExplanation": "pipeline_explain",
    "explain_layer_pixel": "pipeline_explain",
    "PipelineFileError": "pipeline_files",
    "load_pipeline": "pipeline_files",
    "pipeline_from_dict": "pipeline_files",
    "pipeline_to_dict": "pipeline_files",
    "save_pipeline": "pipeline_files",
}

__all__ = sorted(EXPORTS)


def __getattr__(name: str):
    """The exported ``name``, imported now and kept; or an engine submodule not yet imported (``engine.jobs``)."""
    module = EXPORTS.get(name)
    if module is None:
        if name.startswith("_") or find_spec(f"{__name__}.{name}") is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        return import_module(f"{__name__}.{name}")
    value = import_module(f"{__name__}.{module}")
    if name != module:
        value = getattr(value, name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
