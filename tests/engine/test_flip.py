"""Convolution vs correlation: ``JobOptions(flip=True)`` is true convolution (the kernel turned 180 degrees,
as scipy.signal.convolve2d does), the default is cross-correlation (scipy.signal.correlate2d, TensorFlow),
pinned bit for bit against SciPy on random integer cases.

Anchors: Kernelscope pads (kh-1)//2 rows on top (TensorFlow's 'SAME'), so both operations give the rows
kh//2 .. kh//2+H-1 of SciPy's 'full' output (and columns likewise). SciPy's own 'same' starts at (kh-1)//2:
the same for odd kernels, one pixel earlier for even ones (see FIELD.md), so even kernels are compared with
the slice of 'full'.
"""

import numpy as np
import pytest
from scipy import signal

import engine
from engine.kernel_transforms import flip_both
from tests.engine import reference as ref

SHAPES = [(3, 3), (2, 2), (4, 3), (1, 5), (5, 5), (2, 1)]
SCIPY_BOUNDARY = {"zero": "fill", "wrap": "wrap", "symmetric": "symm"}


def case(seed, shape):
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (13, 17)).astype(np.uint8)
    kernel = rng.integers(-6, 7, shape)
    kernel[0, 0] = 7  # never all zero, and never symmetric under the flip by accident
    return image, kernel


def run_raw(image, kernel, flip, border="zero"):
    options = engine.JobOptions(kernel=kernel.tolist(), flip=flip, border=border, output_range="raw", pool=None)
    return engine.run_job(image, options).convolved


def scipy_same(operation, image, kernel, boundary="fill"):
    """SciPy's 'full' output cut to Kernelscope's anchor: rows kh//2 .., columns kw//2 .."""
    full = operation(image.astype(np.int64), kernel, mode="full", boundary=boundary)
    kh, kw = kernel.shape
    h, w = image.shape
    return full[kh // 2:kh // 2 + h, kw // 2:kw // 2 + w]


def assert_bit_equal(ours, theirs):
    assert np.abs(theirs).max() < 2 ** 24  # the int64 sums are exact in float32, so equality is bit for bit
    assert ours.dtype == np.float32
    np.testing.assert_array_equal(ours, theirs.astype(np.float32))


def test_flip_defaults_to_correlation():
    assert engine.JobOptions().flip is False


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(3))
def test_default_equals_scipy_correlate2d(seed, shape):
    image, kernel = case(seed, shape)
    assert_bit_equal(run_raw(image, kernel, flip=False), scipy_same(signal.correlate2d, image, kernel))
    valid = signal.correlate2d(image.astype(np.int64), kernel, "valid")
    assert_bit_equal(run_raw(image, kernel, False, "valid"), valid)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("seed", range(3))
def test_flip_equals_scipy_convolve2d(seed, shape):
    image, kernel = case(seed, shape)
    assert_bit_equal(run_raw(image, kernel, flip=True), scipy_same(signal.convolve2d, image, kernel))
    valid = signal.convolve2d(image.astype(np.int64), kernel, "valid")
    assert_bit_equal(run_raw(image, kernel, True, "valid"), valid)


@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (1, 5)])
@pytest.mark.parametrize("border", ["zero", "wrap", "symmetric"])
def test_odd_kernels_agree_with_scipy_same_under_every_shared_border(shape, border):
    image, kernel = case(11, shape)
    boundary = SCIPY_BOUNDARY[border]
    x = image.astype(np.int64)
    assert_bit_equal(run_raw(image, kernel, False, border), signal.correlate2d(x, kernel, "same", boundary))
    assert_bit_equal(run_raw(image, kernel, True, border), signal.convolve2d(x, kernel, "same", boundary))


def test_scipy_same_anchors_even_kernels_one_pixel_earlier():
    image, kernel = case(5, (2, 2))
    ours = run_raw(image, kernel, flip=True)
    scipy_same_output = signal.convolve2d(image.astype(np.int64), kernel, "same")
    assert not np.array_equal(ours, scipy_same_output.astype(np.float32))
    full = signal.convolve2d(image.astype(np.int64), kernel, "full")
    np.testing.assert_array_equal(scipy_same_output, full[:13, :17])  # SciPy's 'same' starts at (kh-1)//2 = 0


@pytest.mark.parametrize("border", ["zero", "edge", "reflect", "valid"])
def test_flip_is_correlation_with_the_kernel_turned_180_degrees(crop, border):
    kernel = [[0.1, 0.5, -0.3], [1.0, 0.25, 2.0]]  # the float path: loop order matters, equality still exact
    options = engine.JobOptions(kernel=kernel, weight=0.7, offset=3, border=border, output_range="raw", flip=True)
    expected = ref.convolve(crop, flip_both(kernel), 0.7, 3, border, "raw")
    np.testing.assert_array_equal(engine.run_job(crop, options).convolved, np.array(expected, dtype=np.float32))


def test_effective_kernel_is_the_kernel_multiplied():
    kernel = ((1, 2, 3), (4, 5, 6))
    assert engine.JobOptions(kernel=kernel).effective_kernel == kernel
    assert engine.JobOptions(kernel=kernel, flip=True).effective_kernel == ((6, 5, 4), (3, 2, 1))


def test_explanation_shows_the_flipped_kernel_it_multiplies(crop):
    kernel = [[1, 2, 3], [4, 5, 6], [7, 8, 10]]
    options = engine.JobOptions(kernel=kernel, flip=True, output_range="raw", pool=None)
    explanation = engine.explain_pixel(crop, options, 5, 6)
    assert [t.weight for t in explanation.terms] == [v for row in flip_both(kernel) for v in row]
    assert explanation.stored == engine.run_job(crop, options).convolved[5, 6]
    terms, total = ref.explain(crop, flip_both(kernel), 5, 6)
    assert explanation.sum == total


def test_flip_is_saved_in_sessions_and_old_sessions_read_as_correlation():
    options = engine.JobOptions(kernel=[[1, 2]], flip=True)
    assert engine.JobOptions.from_dict(options.to_dict()) == options
    old = options.to_dict()
    del old["flip"]
    assert engine.JobOptions.from_dict(old).flip is False


@pytest.mark.parametrize("value", [1, "yes", None])
def test_flip_must_be_true_or_false(value):
    with pytest.raises(engine.OptionsError, match="flip"):
        engine.JobOptions(flip=value)


def test_lab_mode_refuses_flip():
    with pytest.raises(engine.OptionsError, match="lab mode"):
        engine.JobOptions(lab=True, flip=True)


@pytest.mark.parametrize("name, sign", [("Laplacian", 1), ("Gaussian blur 3x3", 1), ("Sobel x", -1), ("Prewitt y", -1)])
def test_flip_keeps_symmetric_kernels_and_negates_antisymmetric_ones(crop, name, sign):
    kernel = np.array(engine.get_preset(name).kernel)
    assert np.array_equal(np.flip(kernel), sign * kernel)  # what the analysis text says about these presets
    assert np.array_equal(run_raw(crop, kernel, flip=True), sign * run_raw(crop, kernel, flip=False))


def test_the_explanation_says_the_kernel_is_turned(crop):
    kernel = [[1, 2], [3, 4]]
    flipped = engine.explain_pixel(crop, engine.JobOptions(kernel=kernel, flip=True), 2, 2)
    plain = engine.explain_pixel(crop, engine.JobOptions(kernel=kernel), 2, 2)
    assert flipped.flipped and not plain.flipped
    assert "turned 180 degrees" in flipped.describe() and "turned" not in plain.describe()


@pytest.mark.parametrize("stride", [1, 2])
@pytest.mark.parametrize("seed", range(3))
def test_flip_turns_a_layer_kernel_in_its_spatial_axes_only(seed, stride):
    """A 4-D HWIO kernel with flip: the reference layer loop run with K[::-1, ::-1, :, :] (channel axes kept),
    in the bulk output and in the explanation."""
    rng = np.random.default_rng(seed)
    image = rng.integers(0, 256, (9, 11, 3)).astype(np.uint8)
    kernel = rng.integers(-3, 4, (3, 2, 3, 2)).astype(float)
    options = engine.JobOptions(kernel=kernel, flip=True, stride=stride, output_range="raw", pool=None,
                                border="edge")
    expected = np.asarray(ref.layer(image, kernel[::-1, ::-1], border="edge", output_range="raw",
                                    stride=(stride, stride)))
    got = engine.run_job(image, options).convolved
    np.testing.assert_array_equal(got, expected.reshape(got.shape))
    explanation = engine.explain_pixel(image, options, 2, 3, 1)
    assert explanation.flipped and explanation.stored == got[2, 3, 1]
