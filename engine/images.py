"""Loading images (PNG, JPEG, BMP, TIFF, .npy) as 2-D arrays, and saving results.

Conversion rule for image files: the result is always 8-bit gray (uint8), as in the notebook.
- gray 8-bit: as is; 1-bit: 0 or 255;
- 16-bit gray: ``round(v / 257)`` (65535 -> 255);
- 32-bit integer or float gray (TIFF): scaled linearly from the image's own min..max onto 0..255, rounded;
- colour (RGB, palette, CMYK, YCbCr, ...): ITU-R BT.601 luma ``L = 0.299 R + 0.587 G + 0.114 B``, rounded
  (Pillow's "L" conversion, what most image tools call grayscale);
- alpha: the image is first composited over white, so transparent areas read as white, not as whatever
  colour hides behind them.
``.npy`` files are used exactly as stored (any real 2-D array of finite numbers).
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import numpy as np

from .errors import ImageError, ImageTooLargeError

#: Largest image Kernelscope opens as is (8192 x 8192); larger ones can be downscaled to fit.
MAX_PIXELS = 8192 * 8192
#: Largest image Kernelscope will even decode to downscale; anything bigger is refused outright.
MAX_DOWNSCALE_PIXELS = 4 * MAX_PIXELS
#: Largest magnitude of a pixel value in a .npy image (see engine.options.VALUE_LIMIT).
MAX_ABS_VALUE = 1e12
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".tif", ".tiff")
ARRAY_SUFFIXES = (".npy",)
_FORMATS = {"PNG", "JPEG", "BMP", "TIFF", "MPO"}


def check_image(array: np.ndarray, name: str = "the image") -> np.ndarray:
    """Return ``array`` if it is a usable image (2-D, non-empty, real, finite), else raise ImageError."""
    array = check_shape(array, name)
    if array.size > MAX_PIXELS:
        raise ImageTooLargeError(_too_large_message(array.shape[1], array.shape[0]), array.shape[1],
                                 array.shape[0], None)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ImageError(f"{name} contains NaN or infinite values")
    wide = array.dtype.itemsize >= 4  # 8- and 16-bit images cannot exceed the limit
    if wide and max(-float(array.min()), float(array.max())) > MAX_ABS_VALUE:
        raise ImageError(f"{name} has values beyond +-{MAX_ABS_VALUE:g}; Kernelscope works with pixel values "
                         "up to that size")
    return array


def check_shape(array: np.ndarray, name: str = "the image") -> np.ndarray:
    """The O(1) part of check_image: a 2-D, non-empty array of real numbers (bool becomes uint8)."""
    if not isinstance(array, np.ndarray):
        raise ImageError(f"{name} is not an array")
    if array.ndim != 2:
        raise ImageError(f"{name} has {array.ndim} dimension(s); Kernelscope needs a 2-D (gray) image")
    if array.size == 0:
        raise ImageError(f"{name} is empty ({array.shape[0]}x{array.shape[1]} pixels)")
    if array.dtype == np.bool_:
        return array.astype(np.uint8)
    if array.dtype.kind not in "uif":
        raise ImageError(f"{name} holds {array.dtype} values; Kernelscope needs real numbers")
    return array


def _too_large_message(width: int, height: int) -> str:
    return (f"the image is {width}x{height} ({width * height / 1e6:.0f} MP); Kernelscope opens images up to "
            f"{MAX_PIXELS / 1e6:.0f} MP (8192x8192)")


def downscale_factor(width: int, height: int) -> int | None:
    """Smallest integer factor that brings an image under MAX_PIXELS, or None if it is too big to decode."""
    if width * height > MAX_DOWNSCALE_PIXELS:
        return None
    factor = 1
    while -(-width // factor) * -(-height // factor) > MAX_PIXELS:
        factor += 1
    return factor


def load_image(path: str | os.PathLike, *, downscale: bool = False) -> np.ndarray:
    """Load ``path`` as a 2-D array (see the module docstring for the conversion rule).

    Raises ImageError with a one-line reason for anything that cannot be opened, and ImageTooLargeError
    (with the factor that would fit) for images over MAX_PIXELS unless ``downscale`` is True.
    """
    path = Path(path)
    if not path.exists():
        raise ImageError(f"{path}: no such file")
    if path.is_dir():
        raise ImageError(f"{path}: is a folder, not an image")
    try:
        size = path.stat().st_size
    except OSError as e:
        raise ImageError(f"{path}: cannot be read ({e.strerror or e})") from None
    if size == 0:
        raise ImageError(f"{path}: the file is empty")
    if path.suffix.lower() in ARRAY_SUFFIXES:
        return _load_npy(path)
    return _load_picture(path, downscale)


def _load_npy(path: Path) -> np.ndarray:
    try:
        array = np.load(path, allow_pickle=False)
    except ValueError as e:
        if "allow_pickle" in str(e):
            raise ImageError(f"{path}: holds Python objects, not a plain numeric array") from None
        raise ImageError(f"{path}: not a readable .npy file, truncated or corrupt ({_reason(e)})") from None
    except (OSError, EOFError, SyntaxError, TypeError, struct_error(), _token_error()) as e:  # corrupt header
        raise ImageError(f"{path}: not a readable .npy file, truncated or corrupt ({_reason(e)})") from None
    except MemoryError:
        raise ImageError(f"{path}: the array is too large to load") from None
    if not isinstance(array, np.ndarray):
        raise ImageError(f"{path}: holds several arrays; save one 2-D array with numpy.save")
    return check_image(array, path.name)


def _load_picture(path: Path, downscale: bool) -> np.ndarray:
    from PIL import Image, UnidentifiedImageError

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # corrupt metadata: the pixels may still be fine, or we raise below
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            Image.MAX_IMAGE_PIXELS = None  # we check the declared size ourselves, before decoding
            with Image.open(path) as im:
                if im.format not in _FORMATS:
                    raise ImageError(
                        f"{path}: {im.format} images are not supported; open PNG, JPEG, BMP, TIFF or .npy")
                width, height = im.size
                if width == 0 or height == 0:
                    raise ImageError(f"{path}: the image is empty ({width}x{height} pixels)")
                factor = 1
                if width * height > MAX_PIXELS:
                    factor = downscale_factor(width, height)
                    if factor is None:
                        raise ImageTooLargeError(
                            _too_large_message(width, height) + " and cannot downscale one this large",
                            width, height, None)
                    if not downscale:
                        raise ImageTooLargeError(
                            _too_large_message(width, height) + f"; it can be opened downscaled 1:{factor}",
                            width, height, factor)
                im.load()
                gray = _to_gray(im)
                if factor > 1:
                    gray = gray.reduce(factor)
                array = np.asarray(gray)
    except ImageError:
        raise
    except UnidentifiedImageError:
        raise ImageError(f"{path}: not an image Kernelscope can read (PNG, JPEG, BMP, TIFF or .npy)") from None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, TypeError, struct_error()) as e:
        raise ImageError(f"{path}: the file is truncated or corrupt ({_reason(e)})") from None
    except MemoryError:
        raise ImageError(f"{path}: not enough memory to open this image") from None
    if array.dtype != np.uint8:
        array = array.astype(np.uint8)
    return check_image(np.ascontiguousarray(array), path.name)


def struct_error():
    import struct
    return struct.error


def _token_error():
    import tokenize
    return tokenize.TokenError


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text.splitlines()[0][:120]


def _to_gray(im):
    """Convert any Pillow image to mode 'L' by the rule in the module docstring."""
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


def _atomic_write(path: Path, write) -> None:
    """Write through ``write(file)`` to a temp file in the same folder, fsync, then rename over ``path``."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    _atomic_write(Path(path), lambda f: f.write(data))


def to_display_uint8(array: np.ndarray) -> np.ndarray:
    """8-bit version of a result for PNG files: uint8 as is; anything else with a documented scaling.

    Integer results in 0..255 are kept; other arrays (raw signed float output) are mapped so that 0 is
    mid-gray 128 and the largest magnitude reaches 0 or 255: ``128 + 127 * v / max|v|``, rounded.
    """
    if array.dtype == np.uint8:
        return array
    data = np.asarray(array, dtype=np.float64)
    if data.size and data.min() >= 0 and data.max() <= 255 and np.all(data == np.floor(data)):
        return data.astype(np.uint8)
    peak = float(np.abs(data).max()) if data.size else 0.0
    if peak == 0.0 or not np.isfinite(peak):
        scaled = np.full(data.shape, 128.0) if peak == 0.0 else 128 + 127 * np.sign(data)
    else:
        scaled = 128.0 + 127.0 * (data / peak)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def save_result(path: str | os.PathLike, array: np.ndarray) -> None:
    """Save a result: ``.npy`` holds the exact values, ``.png`` an 8-bit image (see to_display_uint8).

    The file is written atomically: a failure never leaves a partial file behind.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if array.size == 0:
        raise ImageError(f"{path}: the result is empty ({'x'.join(map(str, array.shape))}), so there is nothing to save")
    if suffix == ".npy":
        _atomic_write(path, lambda f: np.save(f, array, allow_pickle=False))
    elif suffix == ".png":
        from PIL import Image

        image = Image.fromarray(to_display_uint8(array))
        _atomic_write(path, lambda f: image.save(f, format="PNG"))
    else:
        raise ImageError(f"{path}: results are saved as .png (8-bit image) or .npy (exact values)")


def nice_ceiling(value: float) -> float:
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is >= value (1.0 for 0): a colour bar's end
    that reads well and stays put while a live edit changes the data's peak a little."""
    if not value > 0 or not np.isfinite(value):
        return 1.0
    power = 10.0 ** np.floor(np.log10(value))
    for step in (1.0, 2.0, 2.5, 5.0, 10.0):
        if step * power >= value:
            return float(step * power)
    return float(10.0 * power)


def display_levels(array: np.ndarray, diverging: bool = False,
                   value_range: tuple[float, float] | None = None) -> tuple[float, float]:
    """Levels for showing ``array``: 0..255 for 8-bit data, the data's own range otherwise; with
    ``diverging``, a range symmetric around 0 (so 0 sits in the middle of a diverging colormap) out to the
    peak magnitude rounded up by nice_ceiling. ``value_range`` = (min, max) of ``array`` if already known
    (JobResult.convolved_range) saves a pass over a big array."""
    if array.dtype == np.uint8 and not diverging:
        return (0.0, 255.0)
    if array.size == 0:
        return (-1.0, 1.0) if diverging else (0.0, 1.0)
    lo, hi = value_range if value_range is not None else (float(array.min()), float(array.max()))
    if diverging:
        peak = nice_ceiling(max(abs(lo), abs(hi)))
        return (-peak, peak)
    return (lo, hi) if hi > lo else (lo - 0.5, lo + 0.5)
