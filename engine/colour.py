"""Opening a picture as RGB (H x W x 3 uint8) by the rule of engine.images, minus the luma step.

Transparency (alpha, or a PNG's tRNS colour key) is composited over white first, 16-bit colour PNGs give
round(v / 257) per channel, and a gray picture (1-bit, 8-, 16- or 32-bit gray) gives its gray value in all
three channels.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .gray import _WIDE_PNG, _png_rawmode, to_gray, wide_png_eight

_GRAY_MODES = ("1", "L", "LA", "La", "I", "F", "I;16", "I;16B", "I;16L", "I;16N")


def to_rgb(im, path: Path):
    """``im`` (opened, not yet loaded) as a Pillow 'RGB' image."""
    from PIL import Image

    rawmode = _png_rawmode(im)
    if rawmode in _WIDE_PNG:
        eight = wide_png_eight(path, rawmode, im.info.get("transparency"))
        return Image.fromarray(np.repeat(eight, 3, axis=2) if eight.shape[-1] == 1 else eight, "RGB")
    im.load()
    if im.mode in _GRAY_MODES:
        return to_gray(im, path).convert("RGB")
    if im.format == "PNG" and "transparency" in im.info and im.mode == "RGB":
        data = np.asarray(im)
        keyed = (data == np.asarray(im.info["transparency"], dtype=data.dtype)).all(-1, keepdims=True)
        return Image.fromarray(np.where(keyed, 255, data).astype(np.uint8), "RGB")
    if im.mode == "P":
        im = im.convert("RGBA")
    if "A" in im.getbands() or im.mode in ("RGBa", "PA"):
        im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, im)
    return im.convert("RGB")
