"""Where Kernelscope's bundled files live, from source and in a PyInstaller build alike."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import ImageError

#: Built-in sample images, ascent first as in the notebook.
SAMPLES = {"ascent": "ascent.png", "face": "face.png"}
#: Samples also stored decoded (numpy.save of load_image of the picture): the window's first image opens
#: without importing Pillow or decoding a PNG.
DECODED = {"ascent": "ascent.npy"}


def resource_dir() -> Path:
    """The ``resources/`` folder: next to the sources, or inside the frozen bundle (sys._MEIPASS)."""
    frozen = getattr(sys, "_MEIPASS", None)
    base = Path(frozen) if frozen else Path(__file__).resolve().parent.parent
    return base / "resources"


def resource_path(*parts: str) -> Path:
    return resource_dir().joinpath(*parts)


def sample_names() -> list[str]:
    return list(SAMPLES)


def sample_path(name: str) -> Path:
    if name not in SAMPLES:
        raise ImageError(f"no built-in sample called {name!r}; samples are: {', '.join(SAMPLES)}")
    return resource_path("images", SAMPLES[name])


def load_sample(name: str, channels: str = "gray"):
    """The built-in sample ``name`` as ``load_image(sample_path(name), channels=channels)`` gives it; a gray
    sample with a decoded copy (DECODED) is read from that."""
    from .images import load_image

    path = sample_path(name)
    if channels == "gray" and name in DECODED:
        return load_image(resource_path("images", DECODED[name]))
    return load_image(path, channels=channels)
