"""Loading images (PNG, JPEG, BMP, TIFF, .npy) as 2-D arrays (engine.saving writes results).

Conversion rule for image files: the result is always 8-bit gray (uint8), as in the notebook.
- gray 8-bit: as is; 1-bit: 0 or 255;
- 16-bit gray and 16-bit colour (PNG): ``round(v / 257)`` (65535 -> 255; halves up), after any alpha;
- 32-bit integer or float gray (TIFF): scaled linearly from the image's own min..max onto 0..255, rounded;
- colour (RGB, palette, CMYK, YCbCr, ...): ITU-R BT.601 luma ``L = 0.299 R + 0.587 G + 0.114 B``, rounded
  (Pillow's "L" conversion, what most image tools call grayscale);
- alpha: the image is first composited over white, so transparent areas read as white, not as whatever
  colour hides behind them; a PNG's tRNS colour key (gray, RGB or palette) makes its pixels white.
``.npy`` files are used exactly as stored (any real 2-D array of finite numbers, or H x W x C with C = 1
to 4). ``load_image(path, channels="rgb")`` opens pictures as H x W x 3 instead (see engine.colour).
"""

from __future__ import annotations

import os
import warnings
from pathlib import Path

import numpy as np

from .errors import ImageError, ImageTooLargeError
from .colour import to_rgb
from .gray import to_gray
from .numbers import format_megapixels, format_size

#: Largest image Kernelscope opens as is (8192 x 8192); larger ones can be downscaled to fit.
MAX_PIXELS = 8192 * 8192
#: Largest image Kernelscope will even decode to downscale; anything bigger is refused outright.
MAX_DOWNSCALE_PIXELS = 4 * MAX_PIXELS
#: Images have 1 to this many channels (H x W, or H x W x C).
MAX_CHANNELS = 4
#: Largest magnitude of a pixel value in a .npy image (see engine.options.VALUE_LIMIT).
MAX_ABS_VALUE = 1e12
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
        raise ImageError(f"{name} is empty ({format_size(array.shape)} pixels)")
    if array.dtype == np.bool_:
        return array.astype(np.uint8)
    if array.dtype.kind not in "uif":
        raise ImageError(f"{name} holds {array.dtype} values; Kernelscope needs real numbers")
    return array


def check_channels_image(array: np.ndarray, name: str = "the image") -> np.ndarray:
    """``array`` if it is a usable image of one channel (H x W) or several (H x W x C, C = 1 to 4): real,
    finite, within the size and value limits; ImageError otherwise."""
    if not isinstance(array, np.ndarray) or array.ndim != 3:
        return check_image(array, name)
    height, width, count = array.shape
    if not 1 <= count <= MAX_CHANNELS:
        raise ImageError(f"{name} has {count} channels (H x W x C = {height}x{width}x{count}); images have 1 to "
                         f"{MAX_CHANNELS} channels")
    if height * width > MAX_PIXELS:
        raise ImageTooLargeError(_too_large_message(width, height), width, height, None)
    array = check_shape(array.reshape(height, width * count) if array.size else array[..., 0], name)
    array = array.reshape(height, width, count)
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ImageError(f"{name} contains NaN or infinite values")
    if array.dtype.itemsize >= 4 and max(-float(array.min()), float(array.max())) > MAX_ABS_VALUE:
        raise ImageError(f"{name} has values beyond +-{MAX_ABS_VALUE:g}; Kernelscope works with pixel values "
                         "up to that size")
    return array


def _too_large_message(width: int, height: int) -> str:
    return (f"the image is {format_size((height, width))} ({format_megapixels(width * height)}); Kernelscope "
            f"opens images up to 8192x8192 ({format_megapixels(MAX_PIXELS)})")


def downscale_factor(width: int, height: int) -> int | None:
    """Smallest integer factor that brings an image under MAX_PIXELS, or None if it is too big to decode."""
    if width * height > MAX_DOWNSCALE_PIXELS:
        return None
    factor = 1
    while -(-width // factor) * -(-height // factor) > MAX_PIXELS:
        factor += 1
    return factor


def load_image(path: str | os.PathLike, *, downscale: bool = False, channels: str = "gray") -> np.ndarray:
    """Load ``path`` as a 2-D array, or H x W x 3 with ``channels="rgb"`` (see the module docstring for the
    conversion rule; a .npy file is used as stored whatever ``channels`` says).

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
    if channels not in ("gray", "rgb"):
        raise ImageError(f"channels must be gray or rgb, not {channels!r}")
    if path.suffix.lower() in ARRAY_SUFFIXES:
        return _load_npy(path)
    return _load_picture(path, downscale, channels)


def _load_npy(path: Path) -> np.ndarray:
    _check_npy_header(path)
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError, SyntaxError, TypeError, struct_error(), _token_error()) as e:
        raise ImageError(f"{path}: not a readable .npy file, truncated or corrupt ({_reason(e)})") from None
    except MemoryError:
        raise ImageError(f"{path}: the array is too large to load") from None
    return check_channels_image(array, path.name)


def _check_npy_header(path: Path) -> None:
    """Refuse from the header alone, before reading any data: other files, object arrays, wrong
    dimensions and arrays over MAX_PIXELS."""
    from numpy.lib import format as npy

    try:
        with open(path, "rb") as f:
            if f.read(4) == b"PK\x03\x04":
                raise ImageError(f"{path}: holds several arrays (an .npz archive); save one 2-D array with "
                                 "numpy.save")
            f.seek(0)
            try:
                version = npy.read_magic(f)
            except ValueError:
                raise ImageError(f"{path}: not a NumPy file (a .npy file starts with NumPy's own header; save "
                                 "the array with numpy.save)") from None
            read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
            shape, _, dtype = read(f)
    except ImageError:
        raise
    except (ValueError, OSError, EOFError, SyntaxError, TypeError, struct_error(), _token_error()) as e:
        raise ImageError(f"{path}: not a readable .npy file, truncated or corrupt ({_reason(e)})") from None
    if dtype.hasobject:
        raise ImageError(f"{path}: holds Python objects, not a plain numeric array")
    if len(shape) == 3 and 1 <= shape[2] <= MAX_CHANNELS:
        shape = shape[:2]  # H x W x C: channels
    if len(shape) != 2:
        raise ImageError(f"{path.name} has {len(shape)} dimension(s); Kernelscope needs a 2-D (gray) image or "
                         "H x W x C with 1 to 4 channels")
    height, width = shape
    if height * width > MAX_PIXELS:
        raise ImageTooLargeError(_too_large_message(width, height), width, height, None)


def _load_picture(path: Path, downscale: bool, channels: str = "gray") -> np.ndarray:
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
                    raise ImageError(f"{path}: the image is empty ({format_size((height, width))} pixels)")
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
                if channels == "rgb":
                    gray = to_rgb(im, path)
                else:
                    gray = to_gray(im, path)
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
    if array.ndim == 3:
        return check_channels_image(np.ascontiguousarray(array), path.name)
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
