"""Animated exports of the step-through: what to record (AnimationRequest) and writing the frames as an
animated GIF or PNG with Pillow, or MP4 through an ``ffmpeg`` program on the PATH (never bundled).

The window renders the frames (grabs of itself at each step); ``encode_steps`` is a generator that yields
progress between frames, so it runs as a cancellable job on the worker. The file is written at the very
end, to a temp file renamed over the target, so a cancelled or failed export leaves no file.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Generator

import numpy as np

from .errors import KernelscopeError, OptionsError
from .saving import write_all

#: Suffix -> format; .png is an animated PNG (APNG), which every current browser shows.
FORMATS = {".gif": "GIF", ".png": "APNG", ".apng": "APNG", ".mp4": "MP4"}
MAX_FRAMES = 1000
#: The frames are held in memory until encoded: at most this many bytes of them.
MAX_FRAME_BYTES = 1 << 30
FPS_RANGE = (1, 50)
WIDTH_RANGE = (160, 3840)


def ffmpeg_path() -> str | None:
    return shutil.which("ffmpeg")


def mp4_unavailable() -> str | None:
    """Why MP4 cannot be written here, or None when it can."""
    if ffmpeg_path() is None:
        return "MP4 needs the ffmpeg program on the PATH (Kernelscope does not bundle it); GIF and PNG work anywhere"
    return None


def animation_format(path: str | Path) -> str:
    """'GIF', 'APNG' or 'MP4' for ``path``, or KernelscopeError saying what is possible."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        raise KernelscopeError(f"{path}: animations are saved as .gif, .png (animated PNG) or .mp4")
    if FORMATS[suffix] == "MP4" and mp4_unavailable():
        raise KernelscopeError(f"{path}: {mp4_unavailable()}")
    return FORMATS[suffix]


@dataclass(frozen=True)
class AnimationRequest:
    """Record ``steps`` frames of step mode, starting at convolved pixel ``start`` (None: the first pixel the
    computation visits) and moving ``every`` pixels between frames (``sweep``: as far as spreads the frames
    over the whole image; ``taps``: stay on the start pixel and show one kernel tap per frame, in the loop's
    order), ``width`` pixels wide at ``fps`` frames per second."""

    steps: int = 30
    start: tuple[int, int] | None = None
    every: int = 1
    sweep: bool = False
    taps: bool = False
    fps: float = 4.0
    width: int = 960

    def __post_init__(self) -> None:
        for name, low, high in (("steps", 1, MAX_FRAMES), ("every", 1, 10 ** 8), ("width", *WIDTH_RANGE)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or not low <= value <= high:
                raise OptionsError(f"{name} must be a whole number from {low} to {high}, not {value!r}")
        if self.sweep and self.taps:
            raise OptionsError("record either a sweep of the image or the taps of one pixel, not both")
        if not FPS_RANGE[0] <= self.fps <= FPS_RANGE[1]:
            raise OptionsError(f"the frame rate must be from {FPS_RANGE[0]} to {FPS_RANGE[1]} per second, "
                               f"not {self.fps!r}")

    def stride(self, count: int) -> int:
        """Pixels between frames for a step-through of ``count`` pixels."""
        return max(1, count // self.steps) if self.sweep else self.every

    def check_memory(self, frames: int, frame_shape: tuple[int, int]) -> None:
        """KernelscopeError when ``frames`` frames of ``frame_shape`` (height, width) would not fit the budget."""
        size = frames * frame_shape[0] * frame_shape[1] * 3
        if size > MAX_FRAME_BYTES:
            fits = max(1, MAX_FRAME_BYTES // (frame_shape[0] * frame_shape[1] * 3))
            raise KernelscopeError(f"{frames} frames of {frame_shape[1]}x{frame_shape[0]} need {size / 2 ** 30:.1f} GB; "
                                   f"record at most {fits} frames at this width, or make them narrower")


def encode_steps(frames: list[np.ndarray], path: str | Path, fps: float) -> Generator[float, None, Path]:
    """Write ``frames`` (height x width x 3 uint8, all one size) to ``path`` in the format its suffix names,
    yielding the fraction done after each frame; the file appears only once complete."""
    kind = animation_format(path)
    if not frames:
        raise KernelscopeError("there are no frames to write")
    duration = max(20, round(1000 / fps))
    if kind == "MP4":
        yield from _encode_mp4(frames, Path(path), fps)
        return Path(path)
    from PIL import Image

    images = []
    for n, frame in enumerate(frames):
        image = Image.fromarray(np.ascontiguousarray(frame), "RGB")
        if kind == "GIF":  # one adaptive palette per frame, no dithering: flat areas stay flat
            image = image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        images.append(image)
        yield (n + 1) / (len(frames) + 1)
    options = {"save_all": True, "append_images": images[1:], "duration": duration, "loop": 0}
    if kind == "GIF":
        options["disposal"] = 1
    write_all([(path, lambda f: images[0].save(f, format="GIF" if kind == "GIF" else "PNG", **options))])
    yield 1.0
    return Path(path)


def _encode_mp4(frames: list[np.ndarray], path: Path, fps: float) -> Generator[float, None, None]:
    height, width = frames[0].shape[:2]
    tmp = path.with_name(f".{path.name}.part.mp4")
    command = [ffmpeg_path(), "-y", "-loglevel", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s",
               f"{width}x{height}", "-r", f"{fps:g}", "-i", "-", "-vf", "pad=ceil(iw/2)*2:ceil(ih/2)*2",
               "-pix_fmt", "yuv420p", str(tmp)]
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        for n, frame in enumerate(frames):
            process.stdin.write(np.ascontiguousarray(frame).tobytes())
            yield (n + 1) / (len(frames) + 1)
        _, error = process.communicate()
        if process.returncode != 0:
            raise KernelscopeError(f"{path}: ffmpeg failed: {error.decode(errors='replace').strip()[:200]}")
        tmp.replace(path)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        tmp.unlink(missing_ok=True)
