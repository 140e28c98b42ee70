"""The kernel editor: a grid of cells laid out as the kernel is applied, with the active preset's name, size,
weight, offset, Normalize and undo/redo. It edits an engine.Preset; the window turns it into engine.JobOptions."""

from .editor import DEFAULT_PRESET, KernelEditor
from .kernel_value import resized
from .number_box import NumberBox

__all__ = ["DEFAULT_PRESET", "KernelEditor", "NumberBox", "resized"]
