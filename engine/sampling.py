"""The planes a strided layer reads: every sh-th row and sw-th column of the padded image, per channel and
(column, row) phase, straight from the image (H x W or H x W x C, interleaved).

``fill_planes`` writes ``P[start + y * sh + pr, pc + x * sw, ci]`` into plane (ci, pc, pr), where P is the
image padded as ``border`` says (engine.borders: numpy.pad's rules, also for pads wider than the image). The
part inside the image is read in place, a block of whole groups of rows at a time; only the few padded rows
and columns are looked up one by one.

8-bit pixels are not copied byte by byte where it can be helped: numpy's strided byte copies and converting
copies go element by element, several times slower than its vector loops. When sw pixels span an even
number of bytes, the bytes of a group of sw pixels are read as little-endian 16-bit words, and each plane
is a word's ``& 255`` (low byte) or ``>> 8`` (high byte): for a gray image at stride 2 both are vector loops
straight from the image's rows; for RGB at stride 2 each of a group's three words is copied out once (one
strided copy of words serves two planes) and then split by vector loops.
"""

from __future__ import annotations

import numpy as np

from .borders import source_index
from .scratch import scratch


def _inside(indices: range, offset: int, size: int) -> tuple[int, int]:
    """The positions k (k0 <= k < k1) of ``indices`` whose index - offset lies inside 0..size-1."""
    step = indices.step
    first = min(len(indices), max(0, -(-(offset - indices.start) // step)))
    last = min(len(indices), max(0, -(-(offset + size - indices.start) // step)))
    return first, max(first, last)


_PAIRS = np.dtype("<u2")


def fill_planes(image: np.ndarray, border: str, padding: tuple[int, int, int, int], start: int, steps: tuple[int, int],
                planes: np.ndarray, numbers: dict[tuple[int, int, int], int]) -> None:
    """planes[numbers[(ci, pc, pr)]][y, x] = padded[start + y * sh + pr, pc + x * sw, ci] for each key
    (``image``: H x W or H x W x C, ci 0 for H x W; ``planes``: P x rows x columns): every channel and
    (column, row) phase a strided layer reads, at once.

    The rows inside the image are read in place, in order: the sh row phases of a (channel, column phase)
    whose planes are consecutive are filled together from whole groups of sh rows. 8-bit pixels whose sw
    columns span an even number of bytes go through 16-bit words (see ``_phase_words``)."""
    (sh, sw), count = steps, planes.shape[1]
    pixels = image if image.ndim == 3 else image.reshape(*image.shape, 1)
    height, top, left = pixels.shape[0], padding[0], padding[2]
    g0 = min(count, max(0, -(-(top - start) // sh)))  # groups of rows wholly inside the image: g0..g1
    g1 = max(g0, min(count, (top + height - start) // sh))
    together, alone = {}, {}
    for (ci, pc, pr), number in numbers.items():
        first = numbers.get((ci, pc, 0))
        if first is not None and all(numbers.get((ci, pc, p)) == first + p for p in range(sh)):
            together[(ci, pc)] = planes[first:first + sh, g0:g1].transpose(1, 0, 2)
        else:
            alone.setdefault(pr, {})[(ci, pc)] = planes[number, g0:g1]
    if g1 > g0:
        block = pixels[start + g0 * sh - top:start + g1 * sh - top].reshape(g1 - g0, sh, *pixels.shape[1:])
        _fill_columns(block, border, left, sw, together)
        for pr, wanted in alone.items():
            _fill_columns(block[:, pr], border, left, sw, wanted)
    for y in [*range(g0), *range(g1, count)]:
        for (ci, pc, pr), number in numbers.items():
            source = source_index(start + y * sh + pr - top, height, border)
            if source is None:
                planes[number, y] = 0
            else:
                _fill_columns(pixels[source:source + 1], border, left, sw, {(ci, pc): planes[number, y:y + 1]})


def _fill_columns(block: np.ndarray, border: str, left: int, step: int,
                  planes: dict[tuple[int, int], np.ndarray]) -> None:
    """planes[(ci, pc)][..., x] = the padded column pc + x * step of ``block`` (image rows, ... x W x C),
    channel ci."""
    width, count = block.shape[-2:]
    words = _phase_words(block, step)
    wanted: dict[int, list[tuple[int, int, np.ndarray]]] = {}  # word -> (byte of it, first group, target)
    for (ci, pc), out in planes.items():
        cols = range(pc, pc + out.shape[-1] * step, step)
        x0, x1 = _inside(cols, left, width)
        for x in [*range(x0), *range(x1, len(cols))]:
            source = source_index(cols[x] - left, width, border)
            out[..., x] = 0 if source is None else block[..., source, ci]
        if x1 <= x0:
            continue
        first = cols[x0] - left  # the first image column inside
        group, phase = divmod(first, step)
        paired = 0 if words is None else max(0, min(x1 - x0, words.shape[-2] - group))
        if paired:
            byte = phase * count + ci
            wanted.setdefault(byte // 2, []).append((byte % 2, group, out[..., x0:x0 + paired]))
        if paired < x1 - x0:  # a last group cut short by the image's edge, or no words: a strided copy
            c0 = first + paired * step
            out[..., x0 + paired:x1] = block[..., c0:c0 + (x1 - x0 - paired - 1) * step + 1:step, ci]
    for word, targets in wanted.items():
        g0 = min(group for _, group, _ in targets)
        g1 = max(group + out.shape[-1] for _, group, out in targets)
        source = words[..., g0:g1, word]
        if words.shape[-1] > 1:  # every (words per group)-th word: one strided copy shared by its two bytes
            copied = scratch("phase_words", source.size, _PAIRS).reshape(source.shape)
            np.copyto(copied, source)
            source = copied
        for byte, group, out in targets:
            target = out.view(np.uint16) if out.dtype.itemsize == 2 and out.dtype.kind in "ui" else out
            part = source[..., group - g0:group - g0 + out.shape[-1]]
            if byte:
                np.right_shift(part, 8, out=target, casting="unsafe")
            else:
                np.bitwise_and(part, 255, out=target, casting="unsafe")


def _phase_words(block: np.ndarray, step: int) -> np.ndarray | None:
    """``block``'s (n x W x C, 8-bit) whole groups of ``step`` pixels as 16-bit words, n x groups x (step * C / 2),
    or None when a group is an odd number of bytes or the pixels are not packed in the rows.

    Byte b of a group (column phase b // C, channel b % C) is the low byte of word b // 2 when b is even, the
    high byte when odd (little-endian), so a plane is the word's ``& 255`` or ``>> 8``: contiguous vector
    loops where a strided byte copy converts element by element. Two planes share each word: with several
    words per group they are copied out once (a strided copy of 16-bit words, as fast as one of bytes)."""
    *lead, width, count = block.shape
    groups = width // step
    if block.dtype != np.uint8 or step * count % 2 or groups == 0 or block.strides[-2] != count \
            or (count > 1 and block.strides[-1] != 1):
        return None
    rows = block[..., :groups * step, :].reshape(*lead, groups * step * count)  # a view: the pixels are packed
    return rows.view(_PAIRS).reshape(*lead, groups, step * count // 2)
