"""Kernelscope's engine: convolution and pooling as the lab teaches them, exact and explained.

Pure numpy/scipy; no Qt. The window, the command line and users' scripts all call this API::

    import engine
    image = engine.load_image("resources/images/ascent.png")
    options = engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel, border="edge")
    result = engine.run_job(image, options)          # result.convolved, result.pooled
    print(engine.explain_pixel(image, options, 100, 200))
"""

from .convolution import Convolution
from .errors import (ImageError, ImageTooLargeError, JobCancelled, KernelscopeError, LabModeError,
                     OptionsError, SessionError)
from .explain import PixelExplanation, PoolExplanation, Term, explain_pixel, explain_pool
from .geometry import Geometry, Placement, Rect
from .images import MAX_PIXELS, check_image, display_levels, load_image
from .jobs import JobResult, convolve, job_steps, run_job
from .kernels import PRESETS, Preset, format_kernel, get_preset, normalizing_weight, parse_kernel, preset_names
from .levels import LEVEL_CHOICES, Levels, result_levels, signed_levels
from .numbers import format_number, format_size, parse_number
from .options import (BORDER_HELP, BORDERS, LAB_POOL, MAX_KERNEL_SIDE, OUTPUT_RANGES, POOL_OPS, JobOptions,
                      PoolOptions)
from .pooling import pool
from .saving import save_result, save_results, to_display_uint8
from . import buffers, certified, lab_rules, resources
from .resources import sample_names, sample_path
from .sessions import Session, load_presets, load_session, save_presets, save_session

__all__ = [
    "BORDERS",
    "BORDER_HELP",
    "Convolution",
    "Geometry",
    "ImageError",
    "ImageTooLargeError",
    "JobCancelled",
    "JobOptions",
    "JobResult",
    "KernelscopeError",
    "LAB_POOL",
    "LEVEL_CHOICES",
    "LabModeError",
    "Levels",
    "MAX_KERNEL_SIDE",
    "MAX_PIXELS",
    "OUTPUT_RANGES",
    "OptionsError",
    "POOL_OPS",
    "PRESETS",
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
    "check_image",
    "convolve",
    "display_levels",
    "explain_pixel",
    "explain_pool",
    "format_kernel",
    "format_number",
    "format_size",
    "get_preset",
    "job_steps",
    "lab_rules",
    "load_image",
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
    "save_presets",
    "save_result",
    "save_results",
    "save_session",
    "signed_levels",
    "to_display_uint8",
]

# issue 17: what a kernel does before it runs, kernel files, two kernels compared
from .analysis import KernelAnalysis, kernel_analysis  # noqa: E402
from .comparison import Comparison, compare  # noqa: E402
from .kernel_files import KernelFileError, load_kernel, save_kernel  # noqa: E402
from . import kernel_transforms  # noqa: E402

__all__ += ["Comparison", "KernelAnalysis", "KernelFileError", "compare", "kernel_analysis",
            "kernel_transforms", "load_kernel", "save_kernel"]
