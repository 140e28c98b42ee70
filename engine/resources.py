"""Where Kernelscope's bundled files live, from source and in a PyInstaller build alike."""

from __future__ import annotations

import sys
from pathlib import Path

from .errors import ImageError

#: Built-in sample images, ascent first as in the notebook.
SAMPLES = {"ascent": "ascent.png", "face": "face.png"}


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
