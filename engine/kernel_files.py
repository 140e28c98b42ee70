"""Kernel files: a kernel saved and loaded as text or as a NumPy ``.npy`` array.

Text files hold either the command line's one-line form (``0,1,0;1,-4,1;0,1,0``) or one row per line with
the entries separated by spaces (or commas), like ImageJ's kernel files. Blank lines are skipped and ``#``
starts a comment that runs to the end of the line. ``.npy`` files hold one 2-D array of real numbers. Either
way the kernel must fit the limits of any kernel (1x1 up to MAX_KERNEL_SIDE squared, finite values within
VALUE_LIMIT). Anything else raises KernelFileError naming the file (and line) and changes nothing; saving is
atomic (temp file, then rename), so a failed save never leaves a half-written file.
"""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Sequence

import numpy as np

from .errors import OptionsError
from .kernels import format_kernel, parse_kernel
from .layer_options import MAX_IN_CHANNELS, MAX_OUT_CHANNELS
from .options import MAX_KERNEL_SIDE, MIN_KERNEL_SIDE, _kernel_rows
from .saving import atomic_write_bytes

Grid = tuple[tuple[float, ...], ...]
#: Larger text files are refused unread: a 15x15 kernel with comments takes a few hundred bytes.
MAX_TEXT_BYTES = 64 * 1024
NPY_SUFFIX = ".npy"


class KernelFileError(OptionsError):
    """A kernel file cannot be read or written, or does not hold a usable kernel."""


def parse_kernel_text(text: str, source: str = "the kernel text") -> Grid:
    """A kernel from the text of a kernel file (see the module docstring); ``source`` names it in errors.
    Either form is read by engine.kernels.parse_kernel, so entries follow its rules (fractions like 1/9)."""
    lines = []
    for number, line in enumerate(text.splitlines(), start=1):
        content = line.split("#", 1)[0].strip()
        if content:
            lines.append((number, content))
    if not lines:
        raise KernelFileError(f"{source} holds no kernel (only blank lines and comments)")
    if any(";" in content for _, content in lines):
        if len(lines) > 1:
            number = next(n for n, content in lines if ";" in content)
            raise KernelFileError(
                f"{source}, line {number}: write the kernel either on one line with ';' between rows "
                "(0,1,0;1,-4,1;0,1,0) or one row per line, not both")
        try:
            return parse_kernel(lines[0][1])
        except OptionsError as e:
            raise KernelFileError(f"{source}, line {lines[0][0]}: {e}") from None
    rows = []
    for number, content in lines:
        try:
            (row,) = parse_kernel(content)
        except OptionsError as e:  # a line is a one-row kernel to parse_kernel: name the file's line instead
            raise KernelFileError(f"{source}: {re.sub('kernel row 1', f'line {number}', str(e), count=1)}") from None
        if rows and len(row) != len(rows[0]):
            raise KernelFileError(f"{source}: line {number} has {len(row)} entries but the first row has "
                                  f"{len(rows[0])}; every row needs the same number")
        rows.append(row)
    try:
        return _kernel_rows(rows)
    except OptionsError as e:
        raise KernelFileError(f"{source}: {e}") from None


def kernel_text(kernel: Sequence[Sequence[float]], one_line: bool = False) -> str:
    """The text of a kernel file: one row per line (or the command line's one-line form), with a comment
    saying what it is; parse_kernel_text reads it back to the same floats."""
    grid = _kernel_rows(kernel)
    line = format_kernel(grid)
    h, w = len(grid), len(grid[0])
    body = line if one_line else "\n".join(row.replace(",", " ") for row in line.split(";"))
    return f"# Kernelscope kernel, {h}x{w}\n{body}\n"


def _read_text(path: Path) -> Grid:
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise KernelFileError(f"{path}: {size} bytes is too large for a kernel text file")
        data = path.read_bytes()
    except OSError as e:
        raise KernelFileError(f"{path}: cannot be read ({e.strerror or e})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise KernelFileError(f"{path}: not a text file; kernel files are text or {NPY_SUFFIX}") from None
    return parse_kernel_text(text, str(path))


def _read_npy(path: Path) -> Grid:
    try:  # memory-mapped: the header (shape, dtype) is checked before any data is read
        array = np.load(path, mmap_mode="r", allow_pickle=False)
    except OSError as e:
        raise KernelFileError(f"{path}: cannot be read ({e.strerror or e})") from None
    except (ValueError, EOFError, SyntaxError, TypeError):
        raise KernelFileError(f"{path}: not a readable .npy array of numbers (not .npy, truncated or "
                              "corrupt, or it holds Python objects)") from None
    if not isinstance(array, np.ndarray):
        array.close()
        raise KernelFileError(f"{path}: holds several arrays; save one 2-D array with numpy.save")
    if array.ndim != 2:
        raise KernelFileError(f"{path}: a kernel is a 2-D array; this one has shape {array.shape}")
    if array.dtype.kind not in "iuf":
        raise KernelFileError(f"{path}: a kernel holds real numbers (integers or floats), not {array.dtype}")
    h, w = array.shape
    if not (MIN_KERNEL_SIDE <= h <= MAX_KERNEL_SIDE and MIN_KERNEL_SIDE <= w <= MAX_KERNEL_SIDE):
        raise KernelFileError(f"{path}: the kernel is {h}x{w}; kernels can be 1x1 up to "
                              f"{MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}")
    values = np.array(array, dtype=np.float64)
    del array  # closes the memory map now rather than at some later collection (Windows locks the file)
    try:
        return _kernel_rows(values)
    except OptionsError as e:
        raise KernelFileError(f"{path}: {e}") from None


def load_kernel(path: str | os.PathLike) -> Grid:
    """Read a kernel from a ``.npy`` file or (any other name) a text file."""
    path = Path(path)
    return _read_npy(path) if path.suffix.lower() == NPY_SUFFIX else _read_text(path)


def save_kernel(path: str | os.PathLike, kernel: Sequence[Sequence[float]], one_line: bool = False) -> None:
    """Write a kernel to ``path``: a float64 ``.npy`` array for that suffix, otherwise text (kernel_text).
    The kernel is validated first; the file is replaced atomically."""
    path = Path(path)
    grid = _kernel_rows(kernel)
    if path.suffix.lower() == NPY_SUFFIX:
        buffer = io.BytesIO()
        np.save(buffer, np.array(grid, dtype=np.float64), allow_pickle=False)
        data = buffer.getvalue()
    else:
        data = kernel_text(grid, one_line).encode("utf-8")
    try:
        atomic_write_bytes(path, data)
    except OSError as e:
        raise KernelFileError(f"{path}: cannot be written ({e.strerror or e})") from None


_MAX_LAYER_ENTRIES = MAX_KERNEL_SIDE * MAX_KERNEL_SIDE * MAX_IN_CHANNELS * MAX_OUT_CHANNELS


def load_kernel_file(path: str | os.PathLike) -> np.ndarray:
    """A 2-D or 4-D HWIO layer kernel (kh, kw, Cin, Cout) from a ``.npy`` file (the command line's
    --kernel-file), as float64; refused from the header (wrong dimensions, objects, too many entries) before
    the data is read, with OptionsError naming the file (the values themselves are checked by JobOptions)."""
    from numpy.lib import format as npy

    path = Path(path)
    if path.suffix.lower() != NPY_SUFFIX:
        raise OptionsError(f"{path}: layer kernel files are .npy arrays (numpy.save), kh x kw or kh x kw x Cin x Cout")
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
    if int(np.prod(shape)) > _MAX_LAYER_ENTRIES:
        raise OptionsError(f"{path}: the kernel is {'x'.join(map(str, shape))}; kernels are at most "
                           f"{MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}x{MAX_IN_CHANNELS}x{MAX_OUT_CHANNELS}")
    try:
        array = np.load(path, allow_pickle=False)
    except (ValueError, OSError, EOFError) as e:
        raise OptionsError(f"{path}: truncated or corrupt ({str(e).splitlines()[0][:100]})") from None
    return array.astype(np.float64)
