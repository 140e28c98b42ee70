"""engine.kernel_transforms and engine.kernel_files: turning and flipping kernels (against index formulas
written here), and kernel files as text and .npy (round trips, every malformed file refused cleanly)."""

import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import engine
from engine.kernel_files import KernelFileError, kernel_text, load_kernel, parse_kernel_text, save_kernel
from engine.kernel_transforms import (TRANSFORMS, flip_both, flip_horizontal, flip_vertical, rotate_clockwise,
                                      rotate_counterclockwise, transpose)

RECT = ((1, 2, 3), (4, 5, 6))  # 2x3: rows and columns cannot be confused


def by_formula(kernel, shape, entry):
    return tuple(tuple(entry(kernel, i, j) for j in range(shape[1])) for i in range(shape[0]))


# -- transforms ----------------------------------------------------------------------------------------
def test_rotate_clockwise_turns_the_top_row_into_the_right_column():
    h, w = len(RECT), len(RECT[0])
    assert rotate_clockwise(RECT) == by_formula(RECT, (w, h), lambda k, i, j: k[h - 1 - j][i])
    assert rotate_clockwise(RECT) == ((4, 1), (5, 2), (6, 3))
    assert rotate_clockwise(engine.get_preset("Sobel x").kernel) == engine.get_preset("Sobel y").kernel


def test_rotate_counterclockwise_is_the_inverse():
    h, w = len(RECT), len(RECT[0])
    assert rotate_counterclockwise(RECT) == by_formula(RECT, (w, h), lambda k, i, j: k[j][w - 1 - i])
    assert rotate_counterclockwise(rotate_clockwise(RECT)) == RECT
    assert rotate_clockwise(rotate_clockwise(rotate_clockwise(rotate_clockwise(RECT)))) == RECT


def test_flips_and_transpose():
    h, w = len(RECT), len(RECT[0])
    assert flip_horizontal(RECT) == by_formula(RECT, (h, w), lambda k, i, j: k[i][w - 1 - j])
    assert flip_vertical(RECT) == by_formula(RECT, (h, w), lambda k, i, j: k[h - 1 - i][j])
    assert flip_both(RECT) == by_formula(RECT, (h, w), lambda k, i, j: k[h - 1 - i][w - 1 - j])
    assert transpose(RECT) == by_formula(RECT, (w, h), lambda k, i, j: k[j][i])
    assert flip_both(RECT) == rotate_clockwise(rotate_clockwise(RECT))
    assert set(TRANSFORMS) == {"rotate clockwise", "rotate counter-clockwise", "flip horizontal", "flip vertical",
                               "transpose"}


def test_flip_both_matches_numpy():
    kernel = np.arange(12).reshape(3, 4).tolist()
    assert np.array_equal(flip_both(kernel), np.flip(np.array(kernel)))


# -- text ------------------------------------------------------------------------------------------
def test_text_in_the_command_line_form():
    assert parse_kernel_text("0,1,0;1,-4,1;0,1,0") == ((0, 1, 0), (1, -4, 1), (0, 1, 0))


def test_text_as_rows_with_comments_and_blank_lines():
    text = "# Sobel x\n\n-1 0 1   # top\n-2\t0 2\n\n-1, 0, 1\n# end\n"
    assert parse_kernel_text(text) == engine.get_preset("Sobel x").kernel


def test_text_with_windows_line_ends_and_a_byte_order_mark(tmp_path):
    path = tmp_path / "k.txt"
    path.write_bytes("\ufeff1 2\r\n3 4\r\n".encode("utf-8"))
    assert load_kernel(path) == ((1, 2), (3, 4))


@pytest.mark.parametrize("text, message", [
    ("", "holds no kernel"),
    ("# only a comment\n\n", "holds no kernel"),
    ("1 2\n3 x\n", "line 2, entry 2: 'x' is not a number"),
    ("1 2 3\n4 5\n", "line 2 has 2 entries but the first row has 3"),
    ("1,,2\n", "line 1: entry 2 is empty"),
    ("1,2;3,4\n5 6\n", "line 1: write the kernel either on one line"),
    ("1,2;3\n", "line 1:"),
    ("1 nan\n", "'nan' is not a number"),
    ("1 1e300\n", "between"),
    ("\n".join(["1"] * 16), "16x1"),
])
def test_malformed_text_gives_one_clear_error(text, message):
    with pytest.raises(KernelFileError) as info:
        parse_kernel_text(text, "k.txt")
    assert message in str(info.value) and str(info.value).startswith("k.txt")


@pytest.mark.parametrize("kernel", [((1, 2, 3), (4, 5, 6)), ((0.1, -1 / 3), (1e-7, 2.5)), ((-0.0 + 1,),)])
@pytest.mark.parametrize("one_line", [False, True])
def test_text_files_round_trip_exactly(tmp_path, kernel, one_line):
    path = tmp_path / "kernel.txt"
    save_kernel(path, kernel, one_line=one_line)
    assert load_kernel(path) == kernel
    lines = path.read_text().splitlines()
    assert lines[0].startswith("#") and len(lines) == (2 if one_line else 1 + len(kernel))


def test_text_file_is_rows_like_imagej():
    assert kernel_text(engine.get_preset("Sobel x").kernel) == "# Kernelscope kernel, 3x3\n-1 0 1\n-2 0 2\n-1 0 1\n"


# -- .npy ------------------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", [np.int16, np.uint8, np.float32, np.float64])
def test_npy_kernels_of_real_dtypes_load(tmp_path, dtype):
    path = tmp_path / "k.npy"
    np.save(path, np.array([[1, 2], [3, 4]], dtype=dtype))
    assert load_kernel(path) == ((1, 2), (3, 4))


def test_npy_round_trip_is_exact(tmp_path):
    kernel = ((0.1, -1 / 3, 7.0),)
    save_kernel(tmp_path / "k.npy", kernel)
    saved = np.load(tmp_path / "k.npy")
    assert saved.dtype == np.float64 and saved.tolist() == [list(kernel[0])]
    assert load_kernel(tmp_path / "k.npy") == kernel


@pytest.mark.parametrize("array, message", [
    (np.zeros((3,)), "2-D"),
    (np.zeros((2, 2, 2)), "2-D"),
    (np.zeros((16, 3)), "16x3"),
    (np.zeros((0, 3)), "0x3"),
    (np.array([[1 + 2j]]), "real numbers"),
    (np.array([[True]]), "real numbers"),
    (np.array([[np.inf]]), "finite"),
])
def test_unusable_npy_arrays_are_refused(tmp_path, array, message):
    path = tmp_path / "k.npy"
    np.save(path, array)
    with pytest.raises(KernelFileError) as info:
        load_kernel(path)
    assert message in str(info.value) and str(path) in str(info.value)


@pytest.mark.parametrize("content", [b"", b"not numpy at all", b"\x93NUMPY\x01\x00garbage"])
def test_corrupt_npy_files_are_refused(tmp_path, content):
    path = tmp_path / "k.npy"
    path.write_bytes(content)
    with pytest.raises(KernelFileError):
        load_kernel(path)


def test_truncated_npy_is_refused(tmp_path):
    path = tmp_path / "k.npy"
    np.save(path, np.ones((5, 5)))
    path.write_bytes(path.read_bytes()[:-8])
    with pytest.raises(KernelFileError, match="truncated"):
        load_kernel(path)


def test_object_and_multi_array_files_are_refused(tmp_path):
    np.save(tmp_path / "o.npy", np.array([[1, None]], dtype=object), allow_pickle=True)
    with pytest.raises(KernelFileError, match="Python objects"):
        load_kernel(tmp_path / "o.npy")
    np.savez(tmp_path / "two.npz", a=np.ones((2, 2)), b=np.ones((2, 2)))
    os.rename(tmp_path / "two.npz", tmp_path / "two.npy")
    with pytest.raises(KernelFileError, match="several arrays"):
        load_kernel(tmp_path / "two.npy")


# -- files in general ------------------------------------------------------------------------------
def test_missing_binary_and_huge_text_files_are_refused(tmp_path):
    with pytest.raises(KernelFileError, match="cannot be read"):
        load_kernel(tmp_path / "missing.txt")
    (tmp_path / "bin.txt").write_bytes(b"\xff\xfe\x00\x01")
    with pytest.raises(KernelFileError, match="not a text file"):
        load_kernel(tmp_path / "bin.txt")
    (tmp_path / "big.txt").write_text("1 " * 40000)
    with pytest.raises(KernelFileError, match="too large"):
        load_kernel(tmp_path / "big.txt")


def test_a_failed_save_leaves_the_old_file_and_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "k.txt"
    save_kernel(path, ((1, 2),))
    before = path.read_bytes()
    with pytest.raises(engine.OptionsError):
        save_kernel(path, ((1, 2), (3,)))  # invalid kernel: nothing written
    monkeypatch.setattr(np, "save", lambda *a, **k: (_ for _ in ()).throw(OSError(28, "No space left")))
    with pytest.raises(OSError):
        save_kernel(tmp_path / "k.npy", ((1,),))
    assert path.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["k.txt"]


def test_saving_into_a_missing_folder_is_a_clear_error(tmp_path):
    with pytest.raises(KernelFileError, match="cannot be written"):
        save_kernel(tmp_path / "no" / "such" / "k.txt", ((1,),))


# -- properties ------------------------------------------------------------------------------------
_entries = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False, allow_infinity=False)
_kernels = st.integers(1, 6).flatmap(lambda w: st.lists(st.lists(_entries, min_size=w, max_size=w), min_size=1,
                                                         max_size=6))


@settings(max_examples=60, deadline=None)
@given(kernel=_kernels, one_line=st.booleans())
def test_any_kernel_survives_its_text_form(kernel, one_line):
    grid = engine.JobOptions(kernel=kernel).kernel
    assert parse_kernel_text(kernel_text(grid, one_line)) == grid


@settings(max_examples=60, deadline=None)
@given(kernel=_kernels)
def test_four_quarter_turns_and_two_flips_give_the_kernel_back(kernel):
    grid = tuple(map(tuple, kernel))
    assert rotate_counterclockwise(rotate_clockwise(grid)) == grid
    assert flip_horizontal(flip_horizontal(grid)) == grid and transpose(transpose(grid)) == grid
    assert flip_vertical(flip_horizontal(grid)) == flip_both(grid)
    assert rotate_clockwise(grid) == flip_horizontal(transpose(grid))
