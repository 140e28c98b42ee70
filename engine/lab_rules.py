"""Lab mode's limits, in one place: what the notebook's loops can honour.

The loops take a 3x3 kernel and a weight, keep the image's 1-pixel margin instead of padding, add no
offset, clamp and store into an integer image, and pool 2x2 windows with stride 2 (or not at all), which
needs an even image size. JobOptions refuses lab options that break these rules, with the reason, by
calling ``check``; lab jobs call ``check_image_size``. The window reads ``fixed_options`` and
``POOL_CHOICES`` to set and disable what lab mode fixes.
"""

from __future__ import annotations

from typing import Any

from .errors import LabModeError
from .numbers import format_number, format_size

KERNEL_SHAPE = (3, 3)
#: Option -> (the only value lab mode honours, why). The window shows these values and disables the widgets.
FIXED: dict[str, tuple[Any, str]] = {
    "offset": (0.0, "the notebook's loop adds no offset"),
    "border": ("zero", "the notebook's loop keeps the image's 1-pixel margin instead of padding, so no border "
                       "mode applies"),
    "output_range": ("clamp", "the notebook clamps to 0..255 and stores into an integer image, so raw output "
                              "does not apply"),
    "flip": (False, "the notebook's loop correlates (it does not flip the kernel)"),
}
#: Pooling lab mode can do, as (op, size, stride): the notebook's 2x2 max with stride 2, or none (None).
POOL_CHOICES = (("max", 2, 2), None)
#: Options the command line must not be given with --lab (beyond the values in FIXED).
_OPTION_NAMES = {"offset": "an offset", "border": "a border mode", "output_range": "{} output",
                 "flip": "true convolution"}


def fixed_options() -> dict[str, Any]:
    """The values lab mode fixes, as JobOptions keyword arguments: {'offset': 0.0, 'border': 'zero', ...}."""
    return {name: value for name, (value, _) in FIXED.items()}


def problems(options: Any, image_shape: tuple[int, int] | None = None) -> list[str]:
    """Why lab mode cannot run ``options`` (on an image of ``image_shape``, rows x columns, if given);
    empty when it can. Every reason is a full sentence fragment that names the option."""
    found = []
    shape = (len(options.kernel), len(options.kernel[0]))
    if getattr(options, "is_layer_kernel", False):
        found.append("lab mode runs the notebook's single-channel loop, which takes one 3x3 filter, not a "
                     "kh x kw x Cin x Cout layer kernel")
    for name in ("stride", "dilation"):
        value = getattr(options, name, (1, 1))
        if value != (1, 1):
            found.append(f"lab mode runs the notebook's loop, which moves one pixel at a time over adjacent "
                         f"pixels; it cannot use {name} {value[0]},{value[1]}")
    if shape != KERNEL_SHAPE:
        found.append(f"lab mode runs the notebook's loop, which only handles 3x3 kernels; this kernel is "
                     f"{shape[0]}x{shape[1]} (rows x columns)")
    for name, (value, why) in FIXED.items():
        given = getattr(options, name)
        if given != value:
            shown = format_number(given) if isinstance(given, float) else given
            what = _OPTION_NAMES[name].format(shown)
            found.append(f"lab mode cannot use {what} ({name.replace('_', ' ')} {shown}): {why}")
    pool = options.pool
    if pool is not None and (pool.op, pool.size, pool.step) not in POOL_CHOICES:
        found.append("lab mode pools the way the notebook does: 2x2 windows, stride 2, maximum (or no pooling)")
    if image_shape is not None and pool is not None:
        found.extend(_size_problems(image_shape))
    return found


def check(options: Any, image_shape: tuple[int, int] | None = None) -> None:
    """Raise LabModeError with every reason from ``problems``, or return if lab mode can run ``options``."""
    found = problems(options, image_shape)
    if found:
        raise LabModeError("; ".join(found))


def _size_problems(shape: tuple[int, int]) -> list[str]:
    height, width = shape
    if height % 2 or width % 2:
        return [f"lab mode's pooling loop steps 2 pixels at a time and reads the next row and column, so it "
                f"fails on odd sizes; this image is {format_size(shape)} (use standard mode, whose pooling "
                "drops the last row or column, or turn pooling off)"]
    return []


def check_channels(shape: tuple[int, ...]) -> None:
    """Raise LabModeError for an image with several channels: the notebook's loop filters one gray image."""
    if len(shape) == 3:
        raise LabModeError(f"lab mode runs the notebook's loop on one gray image; this image has {shape[2]} "
                           "channels (open it as gray, or use standard mode)")


def check_image_size(shape: tuple[int, int]) -> None:
    """Raise LabModeError when lab mode's pooling cannot run on a convolved image of ``shape``."""
    found = _size_problems(shape)
    if found:
        raise LabModeError(found[0])
