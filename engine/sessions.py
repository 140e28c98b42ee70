"""Session files (image path + options + step position, and a pipeline when there is one) and user preset
files, as versioned JSON.

Files are written atomically (temp file, fsync, rename), so a crash mid-save leaves the previous file
intact. A malformed file, one from a newer version, or one with wrong types raises SessionError and is
never modified.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import lab_rules
from .errors import KernelscopeError, SessionError
from .saving import atomic_write_bytes
from .kernels import Preset
from .options import JobOptions
from .pipeline import Pipeline
from .pipeline_files import pipeline_from_dict, pipeline_to_dict
from .resources import SAMPLES

SESSION_FORMAT = 1
PRESETS_FORMAT = 1


@dataclass(frozen=True)
class Session:
    image_path: str | None
    options: JobOptions = field(default_factory=JobOptions)
    step_pos: tuple[int, int] | None = None  # the output pixel selected in step mode, if any
    sample: str | None = None  # name of a built-in sample when the image is one
    preset: str | None = None  # name of the preset the kernel came from (it may have been edited since)
    channels: str = "gray"  # how the picture was opened: gray, or rgb (engine.load_image's channels)
    pipeline: Pipeline | None = None  # the layer stack, when the session has one (older sessions do not)
    chosen_layer: int = 0  # the stack's chosen layer (the one edited, analysed and learned); 0 without a stack

    def __post_init__(self) -> None:
        count = 1 if self.pipeline is None else len(self.pipeline.layers)
        if (not isinstance(self.chosen_layer, int) or isinstance(self.chosen_layer, bool)
                or not 0 <= self.chosen_layer < count):
            raise SessionError(f"chosen_layer must be a layer of the session's stack (0 to {count - 1}), "
                               f"not {self.chosen_layer!r}")

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SESSION_FORMAT,
            "kind": "kernelscope-session",
            "image_path": self.image_path,
            "sample": self.sample,
            "options": self.options.to_dict(),
            "step_pos": list(self.step_pos) if self.step_pos is not None else None,
            "preset": self.preset,
            "channels": self.channels,
            **({} if self.pipeline is None else {"pipeline": pipeline_to_dict(self.pipeline),
                                                 "chosen_layer": self.chosen_layer}),
        }

    @classmethod
    def from_dict(cls, data: Any, source: str = "the session") -> "Session":
        _check_header(data, "kernelscope-session", SESSION_FORMAT, source)
        image_path = data.get("image_path")
        if image_path is not None and not isinstance(image_path, str):
            raise SessionError(f"{source}: image_path must be text")
        sample, preset = data.get("sample"), data.get("preset")
        for name, value in (("sample", sample), ("preset", preset)):
            if value is not None and not isinstance(value, str):
                raise SessionError(f"{source}: {name} must be text")
        if sample is not None and sample not in SAMPLES:  # else the rest would be restored on the wrong image
            raise SessionError(f"{source}: no built-in sample called {sample!r}; samples are: {', '.join(SAMPLES)}")
        channels = data.get("channels", "gray")  # sessions from before colour images opened gray
        if channels not in ("gray", "rgb"):
            raise SessionError(f"{source}: channels must be gray or rgb, not {channels!r}")
        step = data.get("step_pos")
        if step is not None:
            if (not isinstance(step, list) or len(step) != 2
                    or not all(isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in step)):
                raise SessionError(f"{source}: step_pos must be two non-negative whole numbers")
            step = (step[0], step[1])
        try:
            options = JobOptions.from_dict(_lab_fields_as_lab_mode_runs(data.get("options")))
        except (KernelscopeError, TypeError) as e:
            raise SessionError(f"{source}: {e}") from None
        pipeline = data.get("pipeline")
        if pipeline is not None:
            try:
                pipeline = pipeline_from_dict(pipeline, "its pipeline")
            except KernelscopeError as e:
                raise SessionError(f"{source}: {e}") from None
        if "chosen_layer" in data and pipeline is None:
            raise SessionError(f"{source}: chosen_layer is a layer of a stack, and the session has no pipeline")
        try:  # sessions from before the chosen layer was kept chose the first
            return cls(image_path, options, step, sample, preset, channels, pipeline, data.get("chosen_layer", 0))
        except SessionError as e:
            raise SessionError(f"{source}: {e}") from None


def _lab_fields_as_lab_mode_runs(options: Any) -> Any:
    """Sessions saved before lab mode refused what it cannot honour store the window's border, output range
    and offset beside ``lab: true``; lab mode ignored them then, so reading them as its fixed values keeps
    exactly the results the session showed."""
    if isinstance(options, dict) and options.get("lab") is True:
        return {**options, **lab_rules.fixed_options()}
    return options


def _check_header(data: Any, kind: str, version: int, source: str) -> None:
    if not isinstance(data, dict):
        raise SessionError(f"{source}: not a Kernelscope file (expected a JSON object)")
    if data.get("kind") != kind:
        raise SessionError(f"{source}: not a {kind.replace('-', ' ')} file")
    fmt = data.get("format")
    if not isinstance(fmt, int) or isinstance(fmt, bool):
        raise SessionError(f"{source}: has no valid format number")
    if fmt > version:
        raise SessionError(f"{source}: was saved by a newer Kernelscope (format {fmt}); this version reads "
                           f"format {version} or older")


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SessionError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as e:
        raise SessionError(f"{path}: cannot be read ({e})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise SessionError(f"{path}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})") from None


def _write_json(path: Path, data: Any) -> None:
    atomic_write_bytes(path, (json.dumps(data, indent=2) + "\n").encode("utf-8"))


def save_session(path: str | os.PathLike, session: Session) -> None:
    _write_json(Path(path), session.to_dict())


def load_session(path: str | os.PathLike) -> Session:
    path = Path(path)
    return Session.from_dict(_read_json(path), str(path))


def save_presets(path: str | os.PathLike, presets: list[Preset]) -> None:
    """Save user presets (name, kernel, weight, offset, description)."""
    data = {
        "format": PRESETS_FORMAT,
        "kind": "kernelscope-presets",
        "presets": [
            {"name": p.name, "kernel": [list(r) for r in p.kernel], "weight": p.weight, "offset": p.offset,
             "description": p.description}
            for p in presets
        ],
    }
    _write_json(Path(path), data)


def load_presets(path: str | os.PathLike) -> list[Preset]:
    path = Path(path)
    data = _read_json(path)
    _check_header(data, "kernelscope-presets", PRESETS_FORMAT, str(path))
    items = data.get("presets")
    if not isinstance(items, list):
        raise SessionError(f"{path}: presets must be a list")
    presets = []
    for n, item in enumerate(items, start=1):
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not item["name"].strip():
            raise SessionError(f"{path}: preset {n} has no name")
        try:
            options = JobOptions(kernel=item.get("kernel"), weight=item.get("weight", 1.0),
                                 offset=item.get("offset", 0.0))
        except KernelscopeError as e:
            raise SessionError(f"{path}: preset {item['name']!r}: {e}") from None
        description = item.get("description", "")
        presets.append(Preset(item["name"].strip(), options.kernel, options.weight, options.offset,
                              description if isinstance(description, str) else ""))
    return presets
