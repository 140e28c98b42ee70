import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine.convolve import Convolution

from . import reference as ref

BORDERS_PADDED = ("zero", "edge", "reflect", "symmetric", "wrap")


def run(image, **options):
    return engine.convolve(image, engine.JobOptions(**options))


@pytest.mark.parametrize("preset", engine.PRESETS, ids=lambda p: p.name)
def test_every_preset_matches_the_reference_loop(crop, preset):
    got = run(crop, kernel=preset.kernel, weight=preset.weight, offset=preset.offset)
    want = ref.convolve(crop, preset.kernel, preset.weight, preset.offset)
    assert got.dtype == np.uint8
    assert ref.as_float_lists(got) == want


@pytest.mark.parametrize("border", engine.BORDERS)
@pytest.mark.parametrize("kernel", [
    [[1, 2, 3, 4, 5]],  # 1x5 row
    [[1], [-2], [3], [0.5]],  # 4x1 column, even height
    [[0.25, -0.5], [1.5, 2]],  # 2x2 even, dyadic fractions
    [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6], [0.7, 0.8, 0.9]],  # non-dyadic: float path
], ids=["1x5", "4x1", "2x2", "3x3-float"])
@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_borders_and_shapes_match_the_reference_loop(crop, border, kernel, output_range):
    got = run(crop, kernel=kernel, weight=0.75, offset=-3.0, border=border, output_range=output_range)
    want = ref.convolve(crop, kernel, 0.75, -3.0, border, output_range)
    assert ref.as_float_lists(got) == want


@pytest.mark.parametrize("border, expected", [
    ("zero", [0, 0]), ("edge", [10, 10]), ("reflect", [30, 20]), ("symmetric", [20, 10]), ("wrap", [20, 30]),
])
def test_border_modes_fill_outside_pixels_as_documented(border, expected):
    # a 1x5 kernel that picks its leftmost cell makes out[c] = padded[c - 2]: the two outside pixels
    row = np.array([[10, 20, 30]], dtype=np.uint8)
    got = run(row, kernel=[[1, 0, 0, 0, 0]], border=border)
    assert got[0, :2].tolist() == expected


@pytest.mark.parametrize("border", BORDERS_PADDED)
def test_padding_wider_than_the_image_matches_numpy_pad(border):
    image = np.array([[1, 2], [3, 4], [5, 6]], dtype=np.uint8)
    kernel = np.zeros((15, 15))
    kernel[0, 0] = 1  # out[r, c] = padded[r, c]: the top-left corner of the padding
    got = run(image, kernel=kernel, border=border)
    mode = "constant" if border == "zero" else border
    padded = np.pad(image, ((7, 7), (7, 7)), mode=mode)
    assert got.tolist() == padded[:3, :2].tolist()


def test_even_kernels_anchor_like_tensorflow_same():
    image = np.arange(1, 17, dtype=np.uint8).reshape(4, 4)
    # 2x2: no padding above/left, one row/column below/right
    assert run(image, kernel=[[1, 0], [0, 0]]).tolist() == image.tolist()
    shifted = run(image, kernel=[[0, 0], [0, 1]])
    assert shifted[:3, :3].tolist() == image[1:, 1:].tolist()
    assert shifted[3].tolist() == [0, 0, 0, 0]


def test_valid_border_shrinks_the_output_by_kernel_size_minus_one(crop):
    got = run(crop, kernel=np.ones((5, 3)), border="valid", weight=1 / 15)
    assert got.shape == (crop.shape[0] - 4, crop.shape[1] - 2)
    assert ref.as_float_lists(got) == ref.convolve(crop, np.ones((5, 3)).tolist(), 1 / 15, 0.0, "valid")


def test_valid_border_on_an_image_smaller_than_the_kernel_says_why():
    with pytest.raises(engine.ImageError, match="smaller than the 5x5 kernel"):
        run(np.zeros((3, 8), np.uint8), kernel=np.ones((5, 5)), border="valid")


def test_weight_applies_to_the_sum_and_offset_comes_after():
    image = np.full((3, 3), 10, dtype=np.uint8)
    got = run(image, kernel=[[1]], weight=0.5, offset=128)
    assert got[1, 1] == 133  # 10 * 0.5 + 128, not (10 + 128) * 0.5 = 69


def test_clamp_clips_to_0_255_then_truncates_toward_zero():
    image = np.array([[3, 200, 1]], dtype=np.uint8)
    assert run(image, kernel=[[0.5]]).tolist() == [[1, 100, 0]]  # 1.5 -> 1, 0.5 -> 0
    assert run(image, kernel=[[-0.5]]).tolist() == [[0, 0, 0]]  # negatives clamp to 0
    assert run(image, kernel=[[1.28]]).tolist() == [[3, 255, 1]]  # 256 -> 255; 3.84 -> 3


def test_raw_output_keeps_signed_values_as_float32():
    image = np.array([[1, 2], [3, 4]], dtype=np.uint8)
    got = run(image, kernel=[[-1 / 3]], output_range="raw")
    assert got.dtype == np.float32
    assert got.tolist() == [[float(np.float32(-v / 3)) for v in row] for row in ([1, 2], [3, 4])]


def test_float_kernels_sum_in_row_major_order_like_the_loop():
    # 0.1 * 3 summed three times is not 0.3 * 3 in floating point: the order of the loop must be kept
    image = np.full((1, 3), 3, dtype=np.uint8)
    kernel = [[0.1, 0.1, 0.1]]
    total = 0.0
    for k in kernel[0]:
        total = total + k * 3.0
    got = run(image, kernel=kernel, output_range="raw")
    assert got[0, 1] == np.float32(total)


def test_weight_zero_and_all_zero_kernels_give_the_offset(crop):
    assert (run(crop, kernel=np.zeros((3, 3)), offset=7) == 7).all()
    assert (run(crop, kernel=np.ones((3, 3)), weight=0.0, offset=9.9) == 9).all()


def test_huge_weights_saturate_without_overflow(crop):
    got = run(crop, kernel=[[1e6, -1e6]], weight=1e6, output_range="raw")
    assert np.isfinite(got).all()
    assert ref.as_float_lists(got) == ref.convolve(crop, [[1e6, -1e6]], 1e6, 0.0, "zero", "raw")


@pytest.mark.parametrize("dtype", [np.uint8, np.uint16, np.int32, np.float64])
def test_integer_and_float_images_match_the_reference(dtype):
    rng = np.random.default_rng(3)
    image = (rng.integers(-300, 60000, (9, 11)) if dtype != np.uint8 else rng.integers(0, 256, (9, 11)))
    image = np.abs(image).astype(dtype) if dtype in (np.uint8, np.uint16) else image.astype(dtype)
    if dtype == np.float64:
        image = image + 0.37
    kernel = [[1, -2, 1], [0.5, 3, -0.25], [2, 0, -1]]
    got = run(image, kernel=kernel, weight=0.01, border="reflect", output_range="raw")
    assert ref.as_float_lists(got) == ref.convolve(image, kernel, 0.01, 0.0, "reflect", "raw")


def test_integer_path_is_used_for_whole_and_dyadic_kernels_and_float_path_otherwise(crop):
    assert Convolution(crop, engine.JobOptions(kernel=[[1, -2], [0.5, 0.25]])).path == "integer"
    assert Convolution(crop, engine.JobOptions(kernel=[[0.1]])).path == "float"
    assert Convolution(crop.astype(np.float32), engine.JobOptions(kernel=[[1]])).path == "float"


kernels = st.integers(1, 6).flatmap(lambda h: st.integers(1, 6).flatmap(
    lambda w: st.lists(st.lists(st.one_of(st.integers(-5, 5).map(float),
                                          st.sampled_from([0.5, -0.25, 0.1, 1 / 3, 2.75])),
                                min_size=w, max_size=w), min_size=h, max_size=h)))


@settings(max_examples=60, deadline=None)
@given(image=hnp.arrays(np.uint8, hnp.array_shapes(min_dims=2, max_dims=2, min_side=1, max_side=9)),
       kernel=kernels, border=st.sampled_from(engine.BORDERS), output_range=st.sampled_from(["clamp", "raw"]),
       weight=st.sampled_from([1.0, 0.5, 1 / 9, -2.0, 0.0, 37.5]), offset=st.sampled_from([0.0, 128.0, -10.5]))
def test_fast_paths_equal_the_reference_loop_bit_for_bit(image, kernel, border, output_range, weight, offset):
    if border == "valid" and (image.shape[0] < len(kernel) or image.shape[1] < len(kernel[0])):
        return
    got = run(image, kernel=kernel, weight=weight, offset=offset, border=border, output_range=output_range)
    assert ref.as_float_lists(got) == ref.convolve(image, kernel, weight, offset, border, output_range)
