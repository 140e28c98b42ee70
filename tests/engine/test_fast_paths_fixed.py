"""The fixed path (engine.fixed_point): float kernels summed in int32 fixed point, each clamped pixel certified
from the integer sum or computed by the loop; bit for bit the reference loop's values, for adversarial kernels,
weights, offsets and images, on every border; the bound itself checked against exact rational arithmetic."""

from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine import convolution, fixed_point
from engine.convolution import Convolution
from engine.exact import value_range

from . import reference as ref
from .fast_paths_support import check, gaussian_decimals


def _exact_pixel_sums(image, kernel, border):
    """For every output pixel, the values its taps read in row-major order (the reference's own border rule)."""
    image_list = np.asarray(image).tolist()
    h, w = len(image_list), len(image_list[0])
    kh, kw = kernel.shape
    top, left = (kh - 1) // 2, (kw - 1) // 2
    sums = []
    for r in range(h):
        for c in range(w):
            values = [ref.pixel(image_list, r + i - top, c + j - left, border) for i in range(kh) for j in range(kw)]
            sums.append(values)
    return sums


# -- kernels a user types, and kernels built to sit on the edges of the bound ------------------------------

def _near_steps(seed, shape):
    """Entries a hair away from multiples of 2**-20 (where round(k * 2**n) flips): the quantisation errors
    are as large as they can be, all of one sign."""
    rng = np.random.default_rng(seed)
    base = rng.integers(-2 ** 19, 2 ** 19, shape) / 2.0 ** 20
    return base + 2.0 ** -21 * (1 - 2.0 ** -30)


KERNELS = {
    "random 3x3": np.random.default_rng(1).normal(size=(3, 3)),
    "random 5x5": np.random.default_rng(2).normal(size=(5, 5)),
    "gaussian decimals 5x5": gaussian_decimals(5),
    "thirds": np.array([[1 / 3, -1 / 3, 1 / 3], [0.0, 1 / 3, 0.0], [1 / 3, 0.0, -1 / 3]]),
    "near the rounding steps": _near_steps(3, (3, 3)),
    "tiny entries": np.random.default_rng(4).normal(size=(3, 3)) * 1e-7,
    "huge and tiny": np.array([[1e3, 1e-9, -7.25], [0.3, -1e-12, 2.0 / 7], [0.1, 0.2, -1e3]]),
    "5x2 with zeros": np.array([[0.1, 0.0], [0.0, -0.7], [0.3, 0.0], [0.0, 0.0], [1 / 7, 0.01]]),
}


@pytest.fixture
def flat_image():
    """Noise with flat patches, all-255 and all-0 corners: many exact sums are whole numbers there."""
    image = np.random.default_rng(31).integers(0, 256, (19, 23)).astype(np.uint8)
    image[:8, :9] = 255
    image[10:, 12:] = 0
    image[3:12, 14:20] = 3
    return image


@pytest.mark.parametrize("name", KERNELS)
@pytest.mark.parametrize("weight, offset", [(1.0, 0.0), (0.37, 10.5), (-2.0, 255.0), (3.0, -128.0),
                                            (1 / 3, 0.5), (1e-6, 100.0)])
def test_the_fixed_path_equals_the_loop(flat_image, name, weight, offset):
    kernel = KERNELS[name]
    check(flat_image, kernel, weight, offset, "reflect", "clamp", fixed=True)


@pytest.mark.parametrize("border", engine.BORDERS)
@pytest.mark.parametrize("name", ["random 3x3", "5x2 with zeros", "thirds"])
def test_the_fixed_path_on_every_border(flat_image, border, name):
    check(flat_image, KERNELS[name], 1.5, -2.0, border, "clamp", fixed=True)
    check(flat_image, KERNELS[name], 1.5, -2.0, border, "raw", fixed=True)  # raw: the float path


def test_offsets_on_whole_numbers_put_every_flat_pixel_on_a_step(monkeypatch):
    """An image of one value and a kernel summing to exactly 1 in rationals (1/4 + 3/4, both dyadic, plus
    0.1 - 0.1): v is within rounding of a whole number everywhere, so every pixel is undecided, and the loop
    decides them."""
    image = np.full((9, 11), 200, dtype=np.uint8)
    image[4, 5] = 201
    kernel = np.array([[0.1, 0.25], [0.75, -0.1]])
    counts = []
    real = fixed_point.loop_sums
    monkeypatch.setattr(fixed_point, "loop_sums", lambda *a: counts.append(a[2].size) or real(*a))
    monkeypatch.setattr(convolution, "FIXED_LIMIT", 1)  # never fall back to the float path
    for offset in (0.0, 0.5, -200.0, 55.0):
        check(image, kernel, 1.0, offset, "edge", "clamp", fixed=True)
    assert sum(counts) > image.size


def test_all_255_images_and_kernels_of_sum_one():
    image = np.full((12, 13), 255, dtype=np.uint8)
    for kernel in (gaussian_decimals(5), np.full((3, 3), 1 / 9), np.array([[0.2, 0.3], [0.4, 0.1]])):
        for weight, offset in ((1.0, 0.0), (1.0, -0.5), (1 / 255, 0.0), (-1.0, 255.0)):
            check(image, kernel, weight, offset, "zero", "clamp", fixed=True)
            check(image, kernel, weight, offset, "wrap", "clamp", fixed=True)


def test_without_the_margin_the_certificate_would_be_wrong(flat_image, monkeypatch):
    """The bound is what makes the path exact: with the interval shrunk to the approximation itself, pixels
    whose loop sum lies just below a whole number take the approximation's side of the step (here the loop's
    0.7 * 3 + 0.1 * 3 + 0.1 * 3 + 0.1 * 3 is 2.9999999999999996, stored as 2)."""
    image = np.full((9, 11), 3, dtype=np.uint8)
    kernel = np.array([[0.7, 0.1], [0.1, 0.1]])
    options = engine.JobOptions(kernel=kernel, border="edge")
    real = fixed_point.fixed_plan

    def no_margin(*args):
        plan = real(*args)
        middle = plan.low + plan.spread // 2
        return fixed_point.FixedPlan(plan.kernel, plan.shift, middle, 0)

    monkeypatch.setattr(fixed_point, "fixed_plan", no_margin)
    fixed_point._plan.cache_clear()
    try:
        got = engine.convolve(image, options, fixed=True)
    finally:
        fixed_point._plan.cache_clear()
    assert ref.as_float_lists(got) != ref.convolve(image, kernel, 1.0, 0.0, "edge", "clamp")
    monkeypatch.undo()
    check(image, kernel, 1.0, 0.0, "edge", "clamp", fixed=True)  # with the margin: the loop's 2


def test_a_tile_with_too_many_undecided_pixels_is_summed_by_the_float_path(flat_image, monkeypatch):
    monkeypatch.setattr(convolution, "TILE_BYTES", 8 * 25 * 3)
    monkeypatch.setattr(convolution, "FIXED_LIMIT", 10 ** 9)  # a limit of 0 pixels: any undecided pixel
    floats = []
    real = Convolution._tile_sums
    monkeypatch.setattr(Convolution, "_tile_sums", lambda self, *a, **k: floats.append(k) or real(self, *a, **k))
    check(flat_image, KERNELS["thirds"], 1.0, 0.0, "symmetric", "clamp", fixed=True)
    assert {"floats": True} in floats


@settings(max_examples=60, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), kind=st.sampled_from(["normal", "steps", "thirds", "decimals", "tiny"]),
       weight=st.sampled_from([1.0, -1.0, 0.3, 7.0, 1 / 3, -0.01, 2.0 ** -10]),
       offset=st.sampled_from([0.0, 0.5, -0.25, 1.0, 128.0, -300.0, 254.99999999]),
       dtype=st.sampled_from([np.uint8, np.int8, np.uint8]), flat=st.booleans())
def test_random_kernels_images_and_borders_on_the_fixed_path_equal_the_loop(seed, kind, weight, offset, dtype, flat):
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 6)), int(rng.integers(1, 6)))
    kernel = {"normal": lambda: rng.normal(size=shape),
              "steps": lambda: _near_steps(seed, shape),
              "thirds": lambda: rng.integers(-3, 4, shape) / 3,
              "decimals": lambda: np.round(rng.normal(size=shape) / 4, 3),
              "tiny": lambda: rng.normal(size=shape) * 1e-5}[kind]()
    info = np.iinfo(dtype)
    size = (int(rng.integers(5, 12)), int(rng.integers(5, 12)))
    image = rng.integers(info.min, int(info.max) + 1, size).astype(dtype)
    if flat:
        image[: image.shape[0] // 2] = rng.choice([info.min, info.max, 3])
    border = str(rng.choice(engine.BORDERS[:-1]))  # 'valid' needs the image to be at least the kernel
    check(image, kernel, weight, offset, border, "clamp", fixed=True)


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2 ** 32 - 1), steps=st.booleans(), weight=st.sampled_from([1.0, -3.0, 0.01, 1 / 3]),
       offset=st.sampled_from([0.0, 0.5, -1.0, 200.0]))
def test_the_loops_value_lies_in_the_certified_interval(seed, steps, weight, offset):
    """The derivation itself: for every pixel, v * 2**n (the loop's v, a float64, taken exactly) lies within
    [S + low, S + low + spread] where S = sum q p is exact."""
    rng = np.random.default_rng(seed)
    shape = (int(rng.integers(1, 4)), int(rng.integers(1, 4)))
    kernel = _near_steps(seed, shape) if steps else rng.normal(size=shape)
    image = rng.integers(0, 256, (6, 7)).astype(np.uint8)
    image[:3] = 255
    plan = fixed_point.fixed_plan(kernel, weight, offset, value_range(image))
    assert plan is not None
    assert 255 * int(np.abs(plan.kernel).sum()) + max(abs(plan.low), abs(plan.low + plan.spread)) < 2 ** 31
    q = plan.kernel.ravel().tolist()
    for values in _exact_pixel_sums(image, kernel, "reflect"):
        total = 0.0
        for k, p in zip(kernel.ravel().tolist(), values):
            total = total + k * p
        v = total * weight + offset
        s = sum(int(qv) * int(p) for qv, p in zip(q, values))
        scaled = Fraction(v) * 2 ** plan.shift
        assert s + plan.low <= scaled <= s + plan.low + plan.spread


def test_which_kernels_take_the_fixed_path():
    image = np.zeros((8, 8), dtype=np.uint8)

    def path(kernel, **options):
        return Convolution(image, engine.JobOptions(kernel=kernel, **options)).path

    assert path(KERNELS["random 3x3"]) == "fixed"
    assert path(KERNELS["random 5x5"]) == "fixed"
    assert path(gaussian_decimals(5)) == "fixed"
    assert path(np.full((3, 3), 1 / 9)) == "float"  # a ninth: every ninth exact sum is a whole number
    assert path(np.full((3, 3), 0.1)) == "float"  # one value: the float path's taps share one product
    assert path(KERNELS["random 3x3"], output_range="raw") == "float"
    assert path(KERNELS["random 3x3"], weight=0.0) == "float"
    assert Convolution(image.astype(np.uint16), engine.JobOptions(kernel=KERNELS["random 3x3"])).path == "float"
    assert Convolution(image.astype(np.float32), engine.JobOptions(kernel=KERNELS["random 3x3"])).path == "float"
    assert Convolution(image, engine.JobOptions(kernel=KERNELS["random 3x3"]), fixed=False).path == "float"
    assert Convolution(image, engine.JobOptions(kernel=np.full((3, 3), 0.1)), fixed=True).path == "fixed"
    lab = engine.JobOptions(kernel=KERNELS["random 3x3"], lab=True)
    assert engine.lab.lab_interior(image, lab) is None  # lab mode keeps the notebook's own order


def test_the_plan_refuses_what_int32_cannot_certify():
    kernel = KERNELS["random 3x3"]
    assert fixed_point.fixed_plan(kernel, 1.0, 0.0, (0, 65535)) is None  # 16-bit images: too few bits left
    assert fixed_point.fixed_plan(kernel, 1e6, 0.0, (0, 255)) is None
    assert fixed_point.fixed_plan(kernel, 1.0, 1e9, (0, 255)) is None
    assert fixed_point.fixed_plan(kernel, 0.0, 3.0, (0, 255)) is None
    plan = fixed_point.fixed_plan(kernel, 1.0, 0.0, (0, 255))
    assert plan.spread * fixed_point.MIN_RESOLUTION <= 2 ** plan.shift <= 2 ** fixed_point.MAX_SHIFT


def test_the_job_runs_the_fixed_path_in_threaded_bands():
    image = np.random.default_rng(5).integers(0, 256, (1100, 1000)).astype(np.uint8)
    image[:300] = 255
    kernel = KERNELS["random 3x3"]
    options = engine.JobOptions(kernel=kernel)
    assert Convolution(image, options).path == "fixed"
    result = engine.run_job(image, options)
    want = engine.convolve(image, options, fixed=False)
    assert np.array_equal(result.convolved, want)
