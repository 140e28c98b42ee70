"""Writing files: results as .npy (exact) or .png (8-bit, mapped by the output range), and the atomic,
all-or-nothing writes that sessions and presets use too.

A write goes to a temp file next to the target, is flushed to disk, then renamed over the target, so a
failure never leaves a partial file. A new file gets the permissions the umask gives any new file
(0666 & ~umask); a replaced file keeps its mode. Errors name the user's path, never the temp file.
"""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .errors import ImageError
from .numbers import format_size

RESULT_SUFFIXES = (".npy", ".png")
Writer = Callable[[object], None]


class WriteError(OSError):
    """A file that could not be written, said in words: 'out/s.json: cannot be written (is a folder)'."""

    def __str__(self) -> str:
        return f"{self.filename}: cannot be written ({self.strerror})"


def _create_temp(path: Path) -> tuple[int, Path]:
    """An exclusive new temp file beside ``path``; created with 0666 so that the OS applies the umask."""
    folder = path.parent if str(path.parent) else Path(".")
    for _ in range(100):
        tmp = folder / f".{path.name}.{os.urandom(4).hex()}.tmp"
        try:
            return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "cannot create a temp file", str(path))


def _stage(path: Path, write: Writer) -> Path:
    """Write a complete temp file for ``path`` (mode as the target will need) and return its name."""
    if path.is_dir():
        raise WriteError(errno.EISDIR, "is a folder", str(path))
    try:
        fd, tmp = _create_temp(path)
    except OSError as e:
        raise WriteError(e.errno, e.strerror or str(e), str(path)) from None
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        try:
            os.chmod(tmp, stat.S_IMODE(os.stat(path).st_mode))  # replacing: keep the file's mode
        except FileNotFoundError:
            pass
    except BaseException as e:
        _remove(tmp)
        if isinstance(e, OSError):
            raise WriteError(e.errno, e.strerror or str(e), str(path)) from None
        raise
    return tmp


def _remove(tmp: Path) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass


def write_all(items: Iterable[tuple[str | os.PathLike, Writer]]) -> None:
    """Write every (path, write) pair, or none of them: all temp files are written first, then renamed.

    An OSError names the user's path. (A rename can fail only in a race after its temp file was written
    in the same folder; then the files renamed before it stay.)"""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, write in items:
            path = Path(path)
            staged.append((_stage(path, write), path))
        while staged:
            tmp, path = staged[0]
            try:
                os.replace(tmp, path)
            except OSError as e:
                raise WriteError(e.errno, e.strerror or str(e), str(path)) from None
            staged.pop(0)
    finally:
        for tmp, _ in staged:
            _remove(tmp)


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    write_all([(path, lambda f: f.write(data))])


def to_display_uint8(array: np.ndarray, output_range: str) -> np.ndarray:
    """The 8-bit image a PNG of a result holds; the mapping depends on the options only, never the data.

    - ``clamp`` (and lab mode): the values as they are; values that are not whole (avg pooling) are
      rounded, halves up, and anything outside 0..255 (lab mode's kept margin of a wider integer image)
      is clipped to 0..255.
    - ``raw``: ``128 + 127 * v / max|v|``, rounded halves up, so 0 is gray 128 and the largest magnitude
      is 1 or 255; all gray 128 when every value is 0.
    - ``relu``: ``255 * v / max v``, rounded halves up (0 is black, the largest value white); all black
      when every value is 0.
    """
    if output_range not in ("clamp", "raw", "relu"):
        raise ImageError(f"output range must be clamp, raw or relu, not {output_range!r}")
    if output_range == "clamp" and array.dtype == np.uint8:
        return array
    data = np.asarray(array, dtype=np.float64)
    if output_range == "raw":
        peak = float(np.abs(data).max()) if data.size else 0.0
        data = np.full(data.shape, 128.0) if peak == 0.0 else 128.0 + 127.0 * (data / peak)
    elif output_range == "relu":
        peak = float(data.max()) if data.size else 0.0
        data = np.zeros(data.shape) if peak <= 0.0 else 255.0 * (data / peak)
    return np.clip(np.floor(data + 0.5), 0, 255).astype(np.uint8)


def check_result_target(target: Path) -> None:
    """Refuse, before any work, a result file the command line cannot write: a folder, a suffix other than
    .npy or .png, or a folder that does not exist."""
    if target.is_dir():
        raise ImageError(f"{target}: is a folder; name a file to write")
    if target.suffix.lower() not in RESULT_SUFFIXES:
        raise ImageError(f"{target}: outputs are .npy (exact values) or .png (8-bit image)")
    if not target.parent.resolve().is_dir():
        raise ImageError(f"{target}: the folder {target.parent} does not exist")


def result_writer(path: str | os.PathLike, array: np.ndarray, output_range: str) -> Writer:
    """The function that writes ``array`` in the format ``path``'s suffix names (checked here, before
    anything is written)."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in RESULT_SUFFIXES:
        raise ImageError(f"{path}: results are saved as .png (8-bit image) or .npy (exact values)")
    if array is None or array.size == 0:
        size = "" if array is None else f" ({format_size(array.shape)})"
        raise ImageError(f"{path}: the result is empty{size}, so there is nothing to save")
    if suffix == ".npy":
        return lambda f: np.save(f, array, allow_pickle=False)
    from PIL import Image

    image = Image.fromarray(to_display_uint8(array, output_range))
    return lambda f: image.save(f, format="PNG")


def per_channel_outputs(path: str | os.PathLike, array: np.ndarray, several: bool
                        ) -> list[tuple[Path, np.ndarray]]:
    """Where a result goes: one (path, array) pair, or for a .png of several channels (H x W x C, ``several``)
    one PNG per channel, NAME_c0.png, NAME_c1.png, ... beside ``path`` (a .npy keeps H x W x C)."""
    path = Path(path)
    if not several or array is None or array.ndim != 3 or path.suffix.lower() != ".png":
        return [(path, array)]
    return [(path.with_name(f"{path.stem}_c{o}{path.suffix}"), np.ascontiguousarray(array[:, :, o]))
            for o in range(array.shape[2])]


def save_result(path: str | os.PathLike, array: np.ndarray, output_range: str) -> None:
    """Save one result: ``.npy`` holds the exact values, ``.png`` the 8-bit image of to_display_uint8."""
    write_all([(path, result_writer(path, array, output_range))])


def save_results(outputs: Iterable[tuple[str | os.PathLike, np.ndarray]], output_range: str) -> None:
    """Save several results, all or none (see write_all)."""
    write_all([(path, result_writer(path, array, output_range)) for path, array in outputs])
