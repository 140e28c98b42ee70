"""Presets that fill every slice of a layer kernel (kh x kw x Cin x Cout, HWIO) at once, beside the presets
of engine.kernels that fill one slice: the same edge filter on every channel, the edited slice weighted by
each channel's share of luma (so every map is that filter on the gray picture), one channel's edges per map.

Each is a rule ``fill(slice, cin, cout) -> kernel``: ``slice`` is the kh x kw kernel being edited, which
the rules that need a base kernel start from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from .errors import OptionsError
from .kernels import get_preset
from .layer_options import MAX_OUT_CHANNELS

#: ITU-R BT.601 luma, the weights engine.images uses to turn a colour picture gray.
LUMA = (0.299, 0.587, 0.114)


def luma_weights(cin: int) -> tuple[float, ...]:
    """Each input channel's share of luma: BT.601 for RGB (and RGBA, whose alpha counts 0), 1 for one
    channel, an equal share otherwise."""
    if cin == 1:
        return (1.0,)
    if cin in (3, 4):
        return LUMA + (0.0,) * (cin - 3)
    return (1.0 / cin,) * cin


def _grid(name: str) -> np.ndarray:
    return np.array(get_preset(name).kernel, dtype=np.float64)


def _everywhere(base: np.ndarray, cin: int, cout: int) -> np.ndarray:
    return np.repeat(np.repeat(base[:, :, None, None], cin, 2), cout, 3)


def _sobel_everywhere(_slice: np.ndarray, cin: int, cout: int) -> np.ndarray:
    return _everywhere(_grid("Sobel x"), cin, cout)


def _slice_everywhere(slice_: np.ndarray, cin: int, cout: int) -> np.ndarray:
    return _everywhere(slice_, cin, cout)


def _luma_weighted(slice_: np.ndarray, cin: int, cout: int) -> np.ndarray:
    kernel = _everywhere(slice_, cin, cout)
    return kernel * np.array(luma_weights(cin))[None, None, :, None]


def _per_channel_edge(_slice: np.ndarray, cin: int, cout: int) -> np.ndarray:
    edge = _grid("Laplacian")
    kernel = np.zeros((*edge.shape, cin, cout))
    for o in range(cout):
        kernel[:, :, o % cin, o] = edge
    return kernel


@dataclass(frozen=True)
class LayerPreset:
    """A named rule filling every slice of a layer kernel."""

    name: str
    fill: Callable[[np.ndarray, int, int], np.ndarray]
    description: str = ""


LAYER_PRESETS: tuple[LayerPreset, ...] = (
    LayerPreset("Sobel x on every channel", _sobel_everywhere,
                "Every slice is Sobel x: each map is Sobel x of the channels' sum."),
    LayerPreset("Edited slice on every channel", _slice_everywhere,
                "Every slice becomes the slice in the editor: each map filters the channels' sum with it."),
    LayerPreset("Luma-weighted", _luma_weighted,
                "The slice in the editor times each channel's share of luma (0.299 R, 0.587 G, 0.114 B): "
                "each map is that filter on the gray picture."),
    LayerPreset("Per-channel edge", _per_channel_edge,
                "Map o is the Laplacian of input channel o (mod the channels), the other slices 0: one "
                "channel's edges per map."),
)


def get_layer_preset(name: str) -> LayerPreset:
    for preset in LAYER_PRESETS:
        if preset.name.casefold() == name.strip().casefold():
            return preset
    names = ", ".join(p.name for p in LAYER_PRESETS)
    raise OptionsError(f"unknown layer preset {name!r}; choose one of: {names}")


def fill_layer(name: str, slice_kernel, cin: int, cout: int) -> np.ndarray:
    """The kh x kw x cin x cout kernel layer preset ``name`` makes from the edited ``slice_kernel``."""
    if not 1 <= cin or not 1 <= cout <= MAX_OUT_CHANNELS:
        raise OptionsError(f"a layer kernel needs 1 or more input channels and 1 to {MAX_OUT_CHANNELS} maps, "
                           f"not {cin} and {cout}")
    slice_ = np.array(slice_kernel, dtype=np.float64)
    if slice_.ndim != 2:
        raise OptionsError("the edited slice must be a kh x kw grid")
    kernel = get_layer_preset(name).fill(slice_, cin, cout)
    kernel.flags.writeable = False
    return kernel
