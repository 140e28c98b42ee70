"""engine.geometry against the reference loops: which input indices the loop actually reads for each output
pixel, which convolved values each pooling window actually holds, and where each output pixel's anchor is."""

import random

import numpy as np
import pytest

import engine
from engine.geometry import Geometry
from tests.engine import reference

SEEDS = range(40)


def _random_options(rng: random.Random, border: str) -> engine.JobOptions:
    kh, kw = rng.randint(1, 5), rng.randint(1, 5)
    pool = None
    if rng.random() < 0.8:
        size = rng.randint(1, 3)
        pool = engine.PoolOptions(rng.choice(engine.POOL_OPS), size, rng.choice([None, 1, 2, 3]))
    kernel = [[rng.choice([-1.0, 0.5, 2.0]) for _ in range(kw)] for _ in range(kh)]
    return engine.JobOptions(kernel=kernel, border=border, pool=pool)


def _recorded_reads(monkeypatch, image, options):
    """Every (row, col) the reference loop asks for, grouped per output pixel in raster order."""
    reads = []
    plain = reference.pixel

    def recording(img, r, c, border):
        reads.append((r, c))
        return plain(img, r, c, border)

    monkeypatch.setattr(reference, "pixel", recording)
    out = reference.convolve(image, [list(r) for r in options.kernel], border=options.border)
    monkeypatch.setattr(reference, "pixel", plain)
    kh, kw = options.shape
    per_pixel = [reads[k:k + kh * kw] for k in range(0, len(reads), kh * kw)]
    return out, per_pixel


@pytest.mark.parametrize("border", engine.BORDERS)
@pytest.mark.parametrize("seed", SEEDS)
def test_input_window_is_what_the_reference_loop_reads(monkeypatch, border, seed):
    rng = random.Random(seed)
    options = _random_options(rng, border)
    kh, kw = options.shape
    h, w = rng.randint(kh, 8), rng.randint(kw, 8)
    image = np.arange(h * w, dtype=float).reshape(h, w)
    out, per_pixel = _recorded_reads(monkeypatch, image, options)
    geometry = Geometry.of(image.shape, options)
    assert geometry.conv_shape == (len(out), len(out[0]))
    width = len(out[0])
    anchor_tap = ((kh - 1) // 2) * kw + (kw - 1) // 2  # the kernel's centre cell, TensorFlow's rounding
    for index, reads in enumerate(per_pixel):
        r, c = divmod(index, width)
        window = geometry.input_window(r, c)
        cells = {(window.top + i, window.left + j) for i in range(window.height) for j in range(window.width)}
        assert set(reads) == cells and len(reads) == len(cells)
        # the convolved pixel is drawn exactly on the input pixel its centre tap reads
        top, left, height, width_ = geometry.conv.cell(r, c)
        assert (top, left, height, width_) == (*reads[anchor_tap], 1.0, 1.0)
        assert geometry.conv_origin == (reads[anchor_tap][0] - r, reads[anchor_tap][1] - c)


def test_valid_output_starts_where_the_padding_is_missing():
    options = engine.JobOptions(kernel=np.ones((5, 4)), border="valid")
    geometry = Geometry.of((20, 30), options)
    assert geometry.conv_origin == (2, 1)
    assert geometry.conv_shape == (16, 27)
    assert Geometry.of((20, 30), options.with_changes(border="edge")).conv_origin == (0, 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_pool_window_is_what_the_reference_pool_reads(seed):
    rng = random.Random(seed)
    options = _random_options(rng, rng.choice(engine.BORDERS))
    if options.pool is None:
        options = options.with_changes(pool=engine.PoolOptions("max", 2, None))
    h, w = rng.randint(5, 12), rng.randint(5, 12)
    geometry = Geometry.of((h, w), options)
    ch, cw = geometry.conv_shape
    conv = np.arange(ch * cw, dtype=float).reshape(ch, cw)  # each value names its own position
    windows = reference.pool_windows(conv, options.pool.size, options.pool.step) if ch and cw else []
    expected_shape = options.pool.output_shape(ch, cw)
    assert geometry.pooled_shape == expected_shape
    assert len(windows) == expected_shape[0] * expected_shape[1]
    for index, ((top, left), values) in enumerate(windows):
        p, q = divmod(index, expected_shape[1])
        window = geometry.pool_window(p, q)
        read = {divmod(int(v), cw) for v in values}
        assert read == {(window.top + i, window.left + j)
                        for i in range(window.height) for j in range(window.width)}
        # drawn over the block its stride advances by, starting on its window's first convolved pixel
        ptop, pleft, pheight, pwidth = geometry.pooled.cell(p, q)
        ctop, cleft, _, _ = geometry.conv.cell(top, left)
        assert (ptop, pleft, pheight, pwidth) == (ctop, cleft, options.pool.step, options.pool.step)


@pytest.mark.parametrize("shape", [(3, 3), (5, 4), (6, 7), (9, 8)])
def test_lab_mode_windows_are_what_the_notebook_loop_reads(shape):
    h, w = shape
    image = np.arange(1, h * w + 1).reshape(h, w)  # ids up to 72: never clamped, each names its position
    options = engine.JobOptions(kernel=np.zeros((3, 3)), lab=True)
    geometry = Geometry.of(shape, options)
    assert geometry.conv_shape == shape and geometry.conv_origin == (0, 0)
    reads: dict[tuple[int, int], set] = {}
    for a in range(3):
        for b in range(3):
            kernel = [[1.0 if (i, j) == (a, b) else 0.0 for j in range(3)] for i in range(3)]
            out = reference.lab_convolve(image, kernel)
            for r in range(h):
                for c in range(w):
                    reads.setdefault((r, c), set()).add(divmod(int(out[r][c]) - 1, w))
    for (r, c), read in reads.items():
        window = geometry.input_window(r, c)
        cells = {(window.top + i, window.left + j) for i in range(window.height) for j in range(window.width)}
        assert read == cells
        assert geometry.untouched(r, c) == (len(read) == 1)
    if h % 2 == 0 and w % 2 == 0:
        lab_conv = np.arange(h * w).reshape(h, w)
        pooled = reference.lab_pool(lab_conv)
        assert geometry.pooled_shape == (len(pooled), len(pooled[0]))
        for p, row in enumerate(pooled):
            for q, value in enumerate(row):  # the max of a window is its bottom-right id
                window = geometry.pool_window(p, q)
                assert divmod(int(value), w) == (window.bottom - 1, window.right - 1)


def test_no_pooling_has_no_pooled_placement():
    geometry = Geometry.of((10, 10), engine.JobOptions(pool=None))
    assert geometry.pooled is None and geometry.pooled_shape is None
    with pytest.raises(engine.OptionsError):
        geometry.pool_window(0, 0)


@pytest.mark.parametrize("seed", SEEDS)
def test_index_at_finds_the_pixel_drawn_there(seed):
    rng = random.Random(seed)
    options = _random_options(rng, rng.choice(engine.BORDERS))
    geometry = Geometry.of((rng.randint(6, 20), rng.randint(6, 20)), options)
    for placement in (geometry.conv, geometry.pooled):
        if placement is None:
            continue
        for _ in range(20):
            r, c = rng.randint(-2, placement.shape[0] + 1), rng.randint(-2, placement.shape[1] + 1)
            top, left, height, width = placement.cell(r, c)
            assert placement.index_at(top + height * 0.5, left + width * 0.99) == (r, c)
            assert placement.holds(r, c) == (0 <= r < placement.shape[0] and 0 <= c < placement.shape[1])


@pytest.mark.parametrize("seed", SEEDS)
def test_bounds_hold_every_image(seed):
    rng = random.Random(seed)
    options = _random_options(rng, rng.choice(engine.BORDERS))
    h, w = rng.randint(5, 20), rng.randint(5, 20)
    geometry = Geometry.of((h, w), options)
    top, left, height, width = geometry.bounds
    for placement in (geometry.conv, geometry.pooled):
        if placement is None or 0 in placement.shape:
            continue
        ptop, pleft, pheight, pwidth = placement.extent
        assert top <= ptop and left <= pleft
        assert ptop + pheight <= top + height and pleft + pwidth <= left + width
    assert top <= 0 and left <= 0 and top + height >= h and left + width >= w
