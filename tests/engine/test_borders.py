"""Border modes: the reference's own index logic, the documented patterns, numpy.pad and the engine agree."""

import numpy as np
import pytest

import engine
from engine.borders import source_index

from . import reference as ref

PADDED = ("zero", "edge", "reflect", "symmetric", "wrap")
NUMPY_NAME = {"zero": "constant", "edge": "edge", "reflect": "reflect", "symmetric": "symmetric", "wrap": "wrap"}

# The row "a b c" padded by two on each side, as the issue and BORDER_HELP write it.
DOCUMENTED = {
    "zero": ("0 0", "0 0"),
    "edge": ("a a", "c c"),
    "reflect": ("c b", "b a"),
    "symmetric": ("b a", "c b"),
    "wrap": ("b c", "a b"),
}


def padded_by_reference(row, pad, border):
    letters = []
    for index in range(-pad, len(row) + pad):
        s = ref.source(index, len(row), border)
        letters.append("0" if s is None else row[s])
    return letters


@pytest.mark.parametrize("border", PADDED)
def test_reference_index_logic_gives_the_documented_pattern(border):
    left, right = DOCUMENTED[border]
    got = padded_by_reference("abc", 2, border)
    assert " ".join(got[:2]) == left and " ".join(got[-2:]) == right and got[2:5] == list("abc")


@pytest.mark.parametrize("border", PADDED)
def test_border_help_shows_the_documented_left_pattern(border):
    assert DOCUMENTED[border][0] + " | a b c" in engine.BORDER_HELP[border]


@pytest.mark.parametrize("border", PADDED)
@pytest.mark.parametrize("size", [1, 2, 3, 4, 7])
def test_reference_index_logic_equals_numpy_pad_even_far_beyond_the_image(border, size):
    row = np.arange(1, size + 1)
    for pad in (0, 1, 2, size, 3 * size + 2, 20):
        want = np.pad(row, pad, mode=NUMPY_NAME[border]).tolist()
        got = [0 if s is None else int(row[s]) for s in (ref.source(i, size, border) for i in range(-pad, size + pad))]
        assert got == want, (pad, got, want)


@pytest.mark.parametrize("border", PADDED)
@pytest.mark.parametrize("size", [1, 2, 3, 5])
def test_engine_source_index_equals_the_reference_index_logic(border, size):
    for index in range(-40, size + 40):
        assert source_index(index, size, border) == ref.source(index, size, border), index


def test_single_pixel_reflect_repeats_the_pixel():
    image = np.array([[9]], dtype=np.uint8)
    got = engine.convolve(image, engine.JobOptions(kernel=np.ones((3, 3)), border="reflect"))
    assert got.tolist() == [[81]]


@pytest.mark.parametrize("border, left, right", [
    ("zero", [0, 0], [0, 0]), ("edge", [10, 10], [30, 30]), ("reflect", [30, 20], [20, 10]),
    ("symmetric", [20, 10], [30, 20]), ("wrap", [20, 30], [10, 20]),
])
def test_engine_fills_both_sides_as_documented(border, left, right):
    row = np.array([[10, 20, 30]], dtype=np.uint8)
    # 1x5 kernel: 2 columns of padding each side; a single 1 in the first (last) cell makes out[c] read
    # the pixel two to the left (right) of c
    first = engine.convolve(row, engine.JobOptions(kernel=[[1, 0, 0, 0, 0]], border=border))
    last = engine.convolve(row, engine.JobOptions(kernel=[[0, 0, 0, 0, 1]], border=border))
    assert first[0, :2].tolist() == left and first[0, 2] == 10
    assert last[0, 1:].tolist() == right and last[0, 0] == 30


@pytest.mark.parametrize("border", PADDED)
@pytest.mark.parametrize("shape", [(1, 1), (2, 3), (3, 2)])
def test_padding_wider_than_the_image_reads_numpy_pad_at_every_kernel_cell(border, shape):
    image = (np.arange(shape[0] * shape[1], dtype=np.uint8).reshape(shape) + 1) * 7
    padded = np.pad(image, ((7, 7), (7, 7)), mode=NUMPY_NAME[border])
    for i in range(15):
        for j in range(15):
            kernel = np.zeros((15, 15))
            kernel[i, j] = 1.0  # out[r, c] = padded[r + i, c + j]
            got = engine.convolve(image, engine.JobOptions(kernel=kernel, border=border))
            want = padded[i:i + shape[0], j:j + shape[1]]
            assert got.tolist() == want.tolist(), (i, j)


@pytest.mark.parametrize("border", PADDED)
def test_every_border_equals_the_reference_loop_on_a_tiny_image_and_a_big_kernel(border):
    image = np.array([[3, 50, 7], [200, 11, 90]], dtype=np.uint8)
    kernel = [[(i * 15 + j) % 7 - 3 for j in range(9)] for i in range(12)]
    got = engine.convolve(image, engine.JobOptions(kernel=kernel, border=border, output_range="raw"))
    assert ref.as_float_lists(got) == ref.convolve(image, kernel, 1.0, 0.0, border, "raw")


def test_valid_uses_no_padding_and_equals_the_reference():
    image = np.arange(30, dtype=np.uint8).reshape(5, 6)
    options = engine.JobOptions(kernel=[[1, 2], [3, 4], [5, 6]], border="valid", output_range="raw")
    assert options.padding == (0, 0, 0, 0)
    got = engine.convolve(image, options)
    assert got.shape == (3, 5)
    assert ref.as_float_lists(got) == ref.convolve(image, options.kernel, 1.0, 0.0, "valid", "raw")
