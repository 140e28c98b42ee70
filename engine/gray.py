"""Converting a decoded picture to the notebook's 8-bit gray, by the rule in engine.images' docstring.

Pillow reads 16-bit colour PNGs as 8-bit by keeping the high byte (floor(v/256)); here they are decoded
at full depth so that they follow the same round(v/257) rule as 16-bit gray. Transparency (alpha or a
tRNS colour key) is composited over white before anything else.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .errors import ImageError

_FULL = 65535
# Pillow's raw modes for 16-bit colour PNGs -> the raw modes that read the same bytes as (high, low) parts
_WIDE_PNG = {"RGB;16B": ("RGB;16B", "RGB;16L"), "RGBA;16B": ("RGBA;16B", "RGBA;16L"), "LA;16B": ("RGBA",)}


def to_gray(im, path: Path):
    """``im`` (opened, not yet loaded) as a Pillow 'L' image."""
    from PIL import Image

    rawmode = _png_rawmode(im)
    if rawmode in _WIDE_PNG:
        return Image.fromarray(_wide_png_gray(path, rawmode, im.info.get("transparency")))
    im.load()
    if im.format == "PNG" and "transparency" in im.info and im.mode in ("1", "L", "I;16", "RGB"):
        return _keyed_gray(im, rawmode)
    return _plain_gray(im)


def _png_rawmode(im) -> str | None:
    if im.format != "PNG" or len(getattr(im, "tile", ())) != 1:
        return None
    args = im.tile[0][3]  # (codec, extents, offset, args); a named tuple from Pillow 11 on
    return args if isinstance(args, str) else None


def _decode(path: Path, rawmode: str) -> np.ndarray:
    """The PNG's pixels unpacked by ``rawmode`` (same bits per pixel as the file's own raw mode, so the
    decompression and row filters work on exactly the file's bytes)."""
    from PIL import Image

    with Image.open(path) as im:
        codec, extents, offset, _ = im.tile[0]
        im.tile = [type(im.tile[0])((codec, extents, offset, rawmode)) if not hasattr(im.tile[0], "_replace")
                   else im.tile[0]._replace(args=rawmode)]
        im.load()
        return np.asarray(im).astype(np.float64)


def _wide_png_gray(path: Path, rawmode: str, key) -> np.ndarray:
    eight = wide_png_eight(path, rawmode, key)
    if eight.shape[-1] == 1:
        return eight[..., 0]
    from PIL import Image

    return np.asarray(Image.fromarray(eight, "RGB").convert("L"))


def wide_png_eight(path: Path, rawmode: str, key) -> np.ndarray:
    """A 16-bit PNG's colour (or gray) as 8 bits per channel, round(v/257) after alpha: H x W x 3 (or 1)."""
    parts = [_decode(path, raw) for raw in _WIDE_PNG[rawmode]]
    if rawmode == "LA;16B":  # read as 8-bit RGBA: bytes (gray high, gray low, alpha high, alpha low)
        bytes_ = parts[0]
        channels = np.stack([bytes_[..., 0] * 256 + bytes_[..., 1], bytes_[..., 2] * 256 + bytes_[..., 3]], -1)
    else:
        channels = parts[0] * 256 + parts[1]
    colour = channels[..., :3] if rawmode != "LA;16B" else channels[..., :1]
    if rawmode != "RGB;16B":
        alpha = channels[..., -1:]
        colour = (colour * alpha + _FULL * (_FULL - alpha)) / _FULL
    elif key is not None:
        colour = np.where((colour == np.asarray(key, dtype=np.float64)).all(-1, keepdims=True), _FULL, colour)
    return np.floor(colour / 257 + 0.5).astype(np.uint8)


def _keyed_gray(im, rawmode: str | None):
    """Gray or RGB with a tRNS colour key: pixels of exactly that colour become white."""
    from PIL import Image

    key = im.info["transparency"]
    if im.mode in ("I;16", "L"):
        data = np.asarray(im, dtype=np.uint16 if im.mode == "I;16" else np.uint8)
        if rawmode in ("L;2", "L;4"):  # Pillow scales 2- and 4-bit samples to 0..255, not the key
            key = key * (255 // (2 ** int(rawmode[-1]) - 1))
        white = _FULL if im.mode == "I;16" else 255
        return _plain_gray(Image.fromarray(np.where(data == key, white, data).astype(data.dtype)))
    if im.mode == "1":
        data = np.asarray(im.convert("L"))
        return Image.fromarray(np.where(data == key, 255, data).astype(np.uint8))
    data = np.asarray(im)
    keyed = (data == np.asarray(key, dtype=data.dtype)).all(-1, keepdims=True)
    return Image.fromarray(np.where(keyed, 255, data).astype(np.uint8), "RGB").convert("L")


def _plain_gray(im):
    from PIL import Image

    if im.mode == "L":
        return im
    if im.mode == "1":
        return im.convert("L")
    if im.mode in ("I;16", "I;16B", "I;16L", "I;16N"):
        data = np.asarray(im, dtype=np.uint16).astype(np.uint32)
        return Image.fromarray(((data * 2 + 257) // 514).astype(np.uint8))  # round(v / 257)
    if im.mode in ("I", "F"):
        data = np.asarray(im, dtype=np.float64)
        if not np.isfinite(data).all():
            raise ImageError(f"{getattr(im, 'filename', 'the image')}: contains NaN or infinite values")
        lo, hi = float(data.min()), float(data.max())
        scaled = np.zeros_like(data) if hi == lo else (data - lo) * (255.0 / (hi - lo))
        return Image.fromarray(np.rint(scaled).astype(np.uint8))
    if im.mode == "P":
        im = im.convert("RGBA")
    if im.mode in ("LA", "La", "PA", "RGBA", "RGBa") or "A" in im.getbands():
        im = im.convert("RGBA")
        background = Image.new("RGBA", im.size, (255, 255, 255, 255))
        im = Image.alpha_composite(background, im)
    return im.convert("L")
