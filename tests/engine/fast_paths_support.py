"""What the fast-path tests share: the check against the reference loop, a noise image, and tiles small
enough that small images span many of them."""

import numpy as np
import pytest

import engine
from engine import fft_tiles

from . import reference as ref


def check(image, kernel, weight=1.0, offset=0.0, border="zero", output_range="clamp", fixed=None):
    got = engine.convolve(image, engine.JobOptions(kernel=kernel, weight=weight, offset=offset, border=border,
                                                   output_range=output_range), fixed=fixed)
    assert ref.as_float_lists(got) == ref.convolve(image, kernel, weight, offset, border, output_range)


@pytest.fixture
def noise():
    return np.random.default_rng(11).integers(0, 256, (37, 41)).astype(np.uint8)


@pytest.fixture
def small_tiles(monkeypatch):
    """Tiles of 32 so that small images (fast reference loops) still span many tiles."""
    monkeypatch.setattr(fft_tiles, "FFT_TILE", 32)


@pytest.fixture
def tiny_tiles(monkeypatch):
    """Tiles of a few rows, so a small image spans many tiles (and their edges)."""
    monkeypatch.setattr(engine.convolution, "TILE_BYTES", 8 * 3 * 45)


def gaussian_decimals(size, sigma=1.0):
    g = np.exp(-((np.arange(size) - size // 2) ** 2) / (2.0 * sigma ** 2))
    kernel = np.outer(g, g)
    return np.round(kernel / kernel.sum(), 4)  # as a user types it: 0.0030, 0.0133, ...

