"""Kernels from .npy files: a 2-D kh x kw kernel or a 4-D HWIO layer kernel (kh, kw, Cin, Cout), any real
dtype, refused from the header (wrong dimensions, objects, too many entries) before the data is read."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from .errors import OptionsError
from .layer_options import MAX_IN_CHANNELS, MAX_OUT_CHANNELS

_MAX_SIDE = 15
_MAX_ENTRIES = _MAX_SIDE * _MAX_SIDE * MAX_IN_CHANNELS * MAX_OUT_CHANNELS


def load_kernel_file(path: str | os.PathLike) -> np.ndarray:
    """The kernel stored in ``path`` as float64; OptionsError naming the file for anything unusable (the
    values themselves are checked by JobOptions)."""
    from numpy.lib import format as npy

    path = Path(path)
    if path.suffix.lower() != ".npy":
        raise OptionsError(f"{path}: kernel files are .npy arrays (numpy.save), kh x kw or kh x kw x Cin x Cout")
    try:
        with open(path, "rb") as f:
            version = npy.read_magic(f)
            read = npy.read_array_header_1_0 if version == (1, 0) else npy.read_array_header_2_0
            shape, _, dtype = read(f)
    except FileNotFoundError:
        raise OptionsError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise OptionsError(f"{path}: is a folder, not a kernel file") from None
    except (ValueError, OSError, EOFError, SyntaxError, TypeError) as e:
        raise OptionsError(f"{path}: not a readable .npy file ({str(e).splitlines()[0][:100] or type(e).__name__})"
                           ) from None
    if dtype.hasobject or dtype.kind not in "biuf":
        raise OptionsError(f"{path}: holds {dtype} values; a kernel holds real numbers")
    if len(shape) not in (2, 4):
        raise OptionsError(f"{path}: the kernel has {len(shape)} dimension(s); it must be 2-D (kh x kw) or 4-D "
                           "HWIO (kh x kw x input channels x output channels)")
    if int(np.prod(shape)) > _MAX_ENTRIES:
        raise OptionsError(f"{path}: the kernel is {'x'.join(map(str, shape))}; kernels are at most "
                           f"{_MAX_SIDE}x{_MAX_SIDE}x{MAX_IN_CHANNELS}x{MAX_OUT_CHANNELS}")
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        raise OptionsError(f"{path}: truncated or corrupt ({str(e).splitlines()[0][:100]})") from None
    return array.astype(np.float64)
