"""Guided lessons: short series of steps stored as JSON files (resources/lessons, one lesson a file). Each
step sets the app's state (sample image, kernel, options, step position, zoom), says a few sentences and
may ask for something the app checks with one of a small fixed vocabulary of checks, each answered here
from the engine's own numbers (never from what a widget shows).

A lesson file::

    {"title": "...", "steps": [{"text": "...", "state": {...}, "check": {"kind": "...", ...},
                                "solution": {...}}]}

``state`` keys: sample (a built-in image), preset (a kernel preset by name) or kernel/weight/offset,
options (border, output_range, pool, lab), step ([row, col], or null to leave step mode), tap (a tap index),
zoom (pixels across the view, or "fit"). ``solution``: the edit (same keys) that satisfies the check, which
the tests apply to prove every check reachable."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

import numpy as np

from .errors import KernelscopeError, OptionsError
from .explain import explain_pixel
from .kernels import get_preset
from .options import JobOptions, PoolOptions
from .resources import resource_path, sample_names

STATE_KEYS = {"sample", "preset", "kernel", "weight", "offset", "options", "step", "tap", "zoom"}
OPTION_KEYS = {"border", "output_range", "pool", "lab"}


class LessonError(KernelscopeError):
    """A lesson file that cannot be used, and why."""


@dataclass(frozen=True)
class Check:
    kind: str
    args: dict

    def passed(self, image: np.ndarray, options: JobOptions, step: tuple[int, int] | None) -> bool:
        return CHECKS[self.kind][0](image, options, step, **self.args)

    @property
    def asks(self) -> str:
        return CHECKS[self.kind][1].format(**self.args)


@dataclass(frozen=True)
class LessonStep:
    text: str
    state: dict
    check: Check | None = None
    solution: dict | None = None


@dataclass(frozen=True)
class Lesson:
    title: str
    steps: tuple[LessonStep, ...]
    path: str = ""


# -- the checks ------------------------------------------------------------------------------------------
def _explained(image, options, step):
    if step is None:
        return None
    try:
        return explain_pixel(image, options, *step)
    except KernelscopeError:
        return None


def _kernel_sum_zero(image, options, step) -> bool:
    return math.fsum(v for row in options.kernel for v in row) == 0.0


def _weight_normalizes(image, options, step) -> bool:
    total = math.fsum(v for row in options.kernel for v in row)
    return total != 0.0 and math.isclose(total * options.weight, 1.0, rel_tol=1e-9)


def _clamp_changes_pixel(image, options, step) -> bool:
    e = _explained(image, options, step)
    return e is not None and e.clamped is not None


def _pixel_negative(image, options, step) -> bool:
    e = _explained(image, options, step)
    return e is not None and e.stored < 0


def _pixel_reads_border(image, options, step) -> bool:
    e = _explained(image, options, step)
    return e is not None and any(t.origin != "image" for t in e.terms)


def _pool_is(image, options, step, op: str) -> bool:
    return options.pool is not None and options.pool.op == op


def _output_is(image, options, step, output_range: str) -> bool:
    return options.output_range == output_range and not options.lab


#: kind -> (test(image, options, step position, **args), what the step asks for)
CHECKS: dict[str, tuple[Callable[..., bool], str]] = {
    "kernel_sum_zero": (_kernel_sum_zero, "make the kernel's entries add up to 0"),
    "weight_normalizes": (_weight_normalizes, "choose the weight so that sum x weight = 1"),
    "clamp_changes_pixel": (_clamp_changes_pixel, "step to a pixel where the clamp changes the value"),
    "pixel_negative": (_pixel_negative, "step to a pixel whose stored value is negative"),
    "pixel_reads_border": (_pixel_reads_border, "step to a pixel whose window reaches past the image's edge"),
    "pool_is": (_pool_is, "switch pooling to {op}"),
    "output_is": (_output_is, "switch the output to {output_range}"),
}


# -- state ----------------------------------------------------------------------------------------------
def state_options(options: JobOptions, state: dict) -> JobOptions:
    """``options`` with a step's (or solution's) kernel, weight, offset and options applied."""
    changes: dict[str, Any] = {}
    if "preset" in state:
        preset = get_preset(state["preset"])
        changes.update(kernel=preset.kernel, weight=preset.weight, offset=preset.offset)
    for key in ("kernel", "weight", "offset"):
        if key in state:
            changes[key] = tuple(tuple(row) for row in state[key]) if key == "kernel" else state[key]
    extra = state.get("options", {})
    if not isinstance(extra, dict) or set(extra) - OPTION_KEYS:
        raise OptionsError(f"options must be an object with some of {', '.join(sorted(OPTION_KEYS))}")
    for key, value in extra.items():
        if key == "pool":
            value = None if value is None else PoolOptions(**value)
        changes[key] = value
    return options.with_changes(**changes) if changes else options


def _check_state(state: Any, where: str) -> dict:
    if not isinstance(state, dict) or set(state) - STATE_KEYS:
        raise LessonError(f"{where}: state must be an object with some of {', '.join(sorted(STATE_KEYS))}")
    if "sample" in state and state["sample"] not in sample_names():
        raise LessonError(f"{where}: no sample called {state['sample']!r}")
    step = state.get("step")
    if step is not None and not (isinstance(step, list) and len(step) == 2 and all(isinstance(v, int) for v in step)):
        raise LessonError(f"{where}: step must be [row, column] or null")
    zoom = state.get("zoom")
    if zoom is not None and zoom != "fit" and not (isinstance(zoom, (int, float)) and zoom > 0):
        raise LessonError(f"{where}: zoom must be a number of pixels or \"fit\"")
    try:
        state_options(JobOptions(), state)
    except (KernelscopeError, TypeError) as e:
        raise LessonError(f"{where}: {e}") from None
    return state


def load_lesson(path: str | Path) -> Lesson:
    """Read and check one lesson file; LessonError says what is wrong with it."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as e:
        raise LessonError(f"{path.name}: cannot read the lesson: {e}") from None
    if not isinstance(data, dict) or not isinstance(data.get("title"), str) or not data.get("steps"):
        raise LessonError(f"{path.name}: a lesson needs a title and a list of steps")
    steps = []
    for n, raw in enumerate(data["steps"], start=1):
        where = f"{path.name}, step {n}"
        if not isinstance(raw, dict) or not isinstance(raw.get("text"), str):
            raise LessonError(f"{where}: a step needs a text")
        check = None
        if raw.get("check") is not None:
            spec = dict(raw["check"])
            kind = spec.pop("kind", None)
            if kind not in CHECKS:
                raise LessonError(f"{where}: unknown check {kind!r}; checks are: {', '.join(CHECKS)}")
            check = Check(kind, spec)
        solution = raw.get("solution")
        steps.append(LessonStep(raw["text"], _check_state(raw.get("state", {}), where), check,
                                None if solution is None else _check_state(solution, f"{where} solution")))
    return Lesson(data["title"], tuple(steps), str(path))


def state_at(lesson: Lesson, index: int) -> dict:
    """The whole state of step ``index``: the states of the steps up to it, later keys winning (options
    merged key by key), so going Back restores a step exactly; a tap belongs to its own step only."""
    merged: dict = {}
    for step in lesson.steps[:index + 1]:
        for key, value in step.state.items():
            if key == "options":
                merged["options"] = {**merged.get("options", {}), **value}
            else:
                if key == "preset":  # a preset brings its own kernel, weight and offset
                    for replaced in ("kernel", "weight", "offset"):
                        merged.pop(replaced, None)
                elif key == "kernel":
                    merged.pop("preset", None)
                merged[key] = value
    merged.pop("tap", None)
    if "tap" in lesson.steps[index].state:
        merged["tap"] = lesson.steps[index].state["tap"]
    return merged


def lesson_paths() -> list[Path]:
    return sorted(resource_path("lessons").glob("*.json"))

