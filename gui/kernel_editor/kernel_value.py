"""What the kernel editor edits, apart from its widgets: a kernel resized around its centre, and the presets
a kernel can be named after (whether it was modified since it came from one)."""

from __future__ import annotations

from dataclasses import replace

import engine


def resized(kernel: engine.kernels.Grid, rows: int, cols: int) -> engine.kernels.Grid:
    """``kernel`` at a new size with its centre (the anchor the engine pads around) kept in place: growing
    adds zeros all round, so a zero-bordered result does not move; shrinking keeps the middle."""
    old_top, old_left = _centre(len(kernel), len(kernel[0]))
    top, left = _centre(rows, cols)
    dr, dc = top - old_top, left - old_left
    grid = [[0.0] * cols for _ in range(rows)]
    for r, line in enumerate(kernel):
        for c, value in enumerate(line):
            if 0 <= r + dr < rows and 0 <= c + dc < cols:
                grid[r + dr][c + dc] = value
    return tuple(tuple(line) for line in grid)


def _centre(rows: int, cols: int) -> tuple[int, int]:
    top, _bottom, left, _right = engine.JobOptions(kernel=[[0.0] * cols] * rows).padding
    return top, left


def values(preset: engine.Preset) -> tuple:
    """What a kernel computes with: kernel, weight and offset (not its name or description)."""
    return (preset.kernel, preset.weight, preset.offset)


class PresetNames:
    """The presets a kernel can be named after: the built-in ones, the user's, and any chosen since."""

    def __init__(self) -> None:
        self.set_user_presets([])

    def set_user_presets(self, presets: list[engine.Preset]) -> None:
        self._by_name = {p.name: p for p in engine.PRESETS}
        self._by_name.update({p.name: p for p in presets})

    def add(self, preset: engine.Preset) -> None:
        self._by_name.setdefault(preset.name, preset)

    def modified(self, state: engine.Preset) -> bool:
        """Whether ``state`` differs from the preset it is named after (False if that preset is unknown)."""
        origin = self._by_name.get(state.name)
        return origin is not None and values(origin) != values(state)

    def named(self, unnamed: engine.Preset, name: str | None) -> engine.Preset:
        """``unnamed`` under ``name``, or, if None, after the first preset with exactly its values ('' if none)."""
        if name is None:
            name = next((p.name for p in self._by_name.values() if values(p) == values(unnamed)), "")
        origin = self._by_name.get(name)
        return replace(unnamed, name=name, description=origin.description if origin else "")
