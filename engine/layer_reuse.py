"""What a layer job can take from the previous job's result instead of computing it again.

Output map o is a function of the image, of the options other than the kernel and the offsets, of its own
kernel slice and of its own offset; its sums (before the weight and offset, engine.layer_finish) depend on
even less: not on the weight, the offset, the output range or the pooling. So after an edit of one slice a
job copies the other maps' values, and after an edit of the weight, a bias or the output range it finishes
the sums the previous job kept, map by map, instead of summing again. Either gives the values a fresh job
gives, bit for bit: the same values copied, or the same sums through the same finish.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, fields

import numpy as np

from .options import JobOptions

#: Fields of the options a map's sums do not depend on (besides its kernel slice, compared map by map).
_NOT_IN_SUMS = ("kernel", "offset", "weight", "output_range", "pool")


@dataclass(frozen=True)
class Remembered:
    """What a layer job's result keeps for the next job: its planes (Cout x H' x W'), its pooled planes or
    None, each map's (min, max) or None (integer outputs), and each map's sums (MapSums) or None."""

    planes: np.ndarray
    pooled: np.ndarray | None
    ranges: list | None
    sums: tuple | None


#: id(convolved result) -> (weak reference to it, Remembered); an entry goes when the result's array does
#: (the array holds the planes anyway: the entry keeps nothing alive longer but the sums).
_MAPS: dict[int, tuple] = {}


def remember(convolved: np.ndarray, kept: Remembered) -> None:
    key = id(convolved)
    _MAPS[key] = (weakref.ref(convolved, lambda _ref: _MAPS.pop(key, None)), kept)


def remembered(result) -> Remembered | None:
    """What a layer job's result kept, or None (not made by a layer job of several maps)."""
    entry = _MAPS.get(id(result.convolved))
    if entry is None or entry[0]() is not result.convolved:
        return None
    return entry[1]


def reuse(image: np.ndarray, options: JobOptions, previous) -> tuple[list[int], list[int]]:
    """(maps whose values ``previous`` holds, maps whose sums it holds) for a job of ``image`` and
    ``options``: the first copied, the second finished again (see the module docstring). A map is in at
    most one list; both are empty unless ``previous`` came from a layer job on the same image object."""
    if previous is None or previous.image is not image or not options.is_layer_kernel:
        return [], []
    kept = remembered(previous)
    old_options = previous.options
    new, old = options.kernel_array, old_options.kernel_array
    if kept is None or new.shape != old.shape or new.ndim != 4 or any(
            getattr(options, f.name) != getattr(old_options, f.name) for f in fields(options)
            if f.name not in _NOT_IN_SUMS):
        return [], []
    same = [o for o in range(new.shape[3]) if new[..., o].tobytes() == old[..., o].tobytes()]
    values_too = _bits(options.weight) == _bits(old_options.weight) and (options.output_range, options.pool) \
        == (old_options.output_range, old_options.pool)
    copied = [o for o in same if values_too and _bits(options.offset_of(o)) == _bits(old_options.offset_of(o))]
    finished = [o for o in same if o not in copied and kept.sums is not None and kept.sums[o] is not None]
    return copied, finished


def _bits(value: float) -> bytes:
    return np.float64(value).tobytes()  # -0.0 is not 0.0 here: s * -0.0 + -0.0 is -0.0, s * 0.0 + -0.0 is 0.0


def reused_maps(image: np.ndarray, options: JobOptions, previous) -> list[int]:
    """The output maps whose values ``previous`` (the JobResult of an earlier layer job) already holds for
    ``image`` and ``options`` (the same image object, unchanged since; the options equal bit for bit but
    for other maps' kernel slices and offsets). Editing one slice of an 8-map layer then computes one map
    and copies seven."""
    return reuse(image, options, previous)[0]


def refinished_maps(image: np.ndarray, options: JobOptions, previous) -> list[int]:
    """The output maps whose sums ``previous`` holds while their values changed (the weight, their offset,
    the output range or the pooling did): a job finishes those sums instead of summing again."""
    return reuse(image, options, previous)[1]
