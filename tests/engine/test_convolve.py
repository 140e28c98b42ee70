import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import engine
from engine.convolution import Convolution

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


# -- the formula, its order and its anchor ---------------------------------------------------------------


def test_weight_multiplies_the_finished_sum_not_each_term():
    # 30+30+30 = 90, 90 * 0.7 = 62.99999999999999 -> 62; weighting each term first would give 63.0 -> 63
    row = np.full((1, 3), 30, dtype=np.uint8)
    assert run(row, kernel=[[1, 1, 1]], weight=0.7)[0, 1] == 62
    # 21 * (1/3) = 7.0 -> 7; (7/3) + (7/3) + (7/3) = 6.999999999999999 -> 6
    row = np.full((1, 3), 7, dtype=np.uint8)
    assert run(row, kernel=[[1, 1, 1]], weight=1 / 3)[0, 1] == 7


def test_offset_is_added_after_the_weight_with_negative_offsets_too():
    image = np.full((3, 3), 100, dtype=np.uint8)
    assert run(image, kernel=[[1]], weight=2.0, offset=-60.5)[1, 1] == 139  # 200 - 60.5 = 139.5 -> 139
    assert run(image, kernel=[[1]], weight=0.5, offset=-60.5, output_range="raw")[1, 1] == np.float32(-10.5)


def test_raw_is_the_float64_result_rounded_once_to_float32():
    # summed in float64 then rounded: float32(0.9000000000000001) = 0.9; summing in float32 gives 0.90000004
    row = np.full((1, 3), 3, dtype=np.uint8)
    got = run(row, kernel=[[0.1, 0.1, 0.1]], output_range="raw")
    float32_sum = np.float32(0)
    for _ in range(3):
        float32_sum = np.float32(float32_sum + np.float32(3) * np.float32(0.1))
    assert got.dtype == np.float32 and got[0, 1] == np.float32(0.1 * 3 + 0.1 * 3 + 0.1 * 3)
    assert got[0, 1] != float32_sum


@pytest.mark.parametrize("value, stored", [(-0.7, 0), (-1e6, 0), (0.999, 0), (254.999, 254), (255.0, 255),
                                           (255.5, 255), (1e6, 255), (17.5, 17)])
def test_clamp_clips_first_then_truncates_toward_zero(value, stored):
    image = np.ones((1, 1), dtype=np.uint8)
    assert run(image, kernel=[[value]]).tolist() == [[stored]]
    assert run(image, kernel=[[0]], offset=value).tolist() == [[stored]]


def test_cross_correlation_does_not_flip_the_kernel():
    image = np.zeros((5, 5), dtype=np.uint8)
    image[2, 2] = 10
    kernel = [[1, 2, 3], [4, 5, 6], [7, 8, 9]]
    got = run(image, kernel=kernel)
    # out[r, c] = sum K[i][j] * in[r+i-1, c+j-1]: the impulse shows the kernel rotated by 180 degrees
    assert got[1:4, 1:4].tolist() == [[90, 80, 70], [60, 50, 40], [30, 20, 10]]


@pytest.mark.parametrize("kh", range(1, 16))
@pytest.mark.parametrize("kw", [1, 2, 5, 8, 15])
def test_same_anchor_pads_kh_minus_1_halves_above_and_the_rest_below(kh, kw):
    top, bottom, left, right = (kh - 1) // 2, kh // 2, (kw - 1) // 2, kw // 2
    assert engine.JobOptions(kernel=np.ones((kh, kw))).padding == (top, bottom, left, right)
    image = np.arange(1, 12 * 13 + 1).reshape(12, 13).astype(np.uint16)
    for i, j in [(0, 0), (kh - 1, kw - 1), (kh // 2, 0), (0, kw - 1)]:
        kernel = np.zeros((kh, kw))
        kernel[i, j] = 1
        got = run(image, kernel=kernel, output_range="raw")
        assert got.shape == image.shape
        for r in range(12):
            for c in range(13):
                rr, cc = r + i - top, c + j - left
                want = image[rr, cc] if 0 <= rr < 12 and 0 <= cc < 13 else 0
                assert got[r, c] == want, (i, j, r, c)


@pytest.mark.parametrize("size", range(1, 16))
def test_every_square_size_from_1_to_15_equals_the_reference(size):
    rng = np.random.default_rng(size)
    image = rng.integers(0, 256, (9, 10)).astype(np.uint8)
    kernel = np.round(rng.normal(0, 2, (size, size)), 2).tolist()
    for border in ("zero", "reflect"):
        got = run(image, kernel=kernel, weight=0.3, offset=12.0, border=border, output_range="raw")
        assert ref.as_float_lists(got) == ref.convolve(image, kernel, 0.3, 12.0, border, "raw")


# -- bit-exactness of the fast paths for every kind of kernel and image -----------------------------------

KERNEL_KINDS = {
    "integer": ([[1, -2, 3], [0, 4, -1], [2, 2, -7]], 1.0, 0.0),
    "dyadic": ([[0.5, -0.25, 0.125], [1.5, -2.75, 0.0], [0.0625, 3.5, -0.5]], 0.5, 0.25),
    "non-dyadic": ([[0.1, 1 / 3, -0.7], [2 / 3, 0.2, 0.3], [-1 / 7, 0.9, 1e-3]], 1 / 9, 0.1),
    "huge weight": ([[1e6, -1e6, 3], [2, 1e6, 0], [-5e5, 1, 1]], 1e6, 0.0),
    "weight 0": ([[1, 2, 3], [4, 5, 6], [7, 8, 9]], 0.0, 5.5),
    "all zero": ([[0, 0, 0], [0, 0, 0], [0, 0, 0]], 1.0, 3.0),
    "negative offset": ([[1, 1], [1, 1]], 0.25, -40.0),
    "tiny dyadic": ([[2 ** -24, 3 * 2 ** -20], [-(2 ** -24), 1]], 1.0, 0.0),
}
IMAGE_VALUES = {
    np.uint8: (0, 255), np.int8: (-128, 127), np.uint16: (0, 65535), np.int16: (-32768, 32767),
    np.int32: (-2 ** 31, 2 ** 31 - 1), np.int64: (-10 ** 12, 10 ** 12), np.uint64: (0, 10 ** 12),
    np.float16: (-1000, 1000), np.float32: (-1e6, 1e6), np.float64: (-1e12, 1e12),
}


def image_of(dtype, seed=0, shape=(7, 9)):
    rng = np.random.default_rng(seed)
    lo, hi = IMAGE_VALUES[dtype]
    if np.dtype(dtype).kind == "f":
        image = rng.uniform(lo, hi, shape).astype(dtype)
    else:
        image = rng.integers(lo, hi, shape, endpoint=True, dtype=np.int64 if dtype != np.uint64 else np.uint64)
        image = image.astype(dtype)
    image[0, 0], image[-1, -1] = lo, hi  # the extremes the accumulators must hold
    return image


@pytest.mark.parametrize("kind", KERNEL_KINDS)
@pytest.mark.parametrize("dtype", IMAGE_VALUES, ids=lambda d: np.dtype(d).name)
@pytest.mark.parametrize("output_range", ["clamp", "raw"])
def test_fast_paths_are_bit_exact_for_every_kernel_kind_and_image_type(kind, dtype, output_range):
    kernel, weight, offset = KERNEL_KINDS[kind]
    image = image_of(dtype)
    for border in ("edge", "valid"):
        got = run(image, kernel=kernel, weight=weight, offset=offset, border=border, output_range=output_range)
        assert got.dtype == (np.uint8 if output_range == "clamp" else np.float32)
        assert ref.as_float_lists(got) == ref.convolve(image, kernel, weight, offset, border, output_range)


@pytest.mark.parametrize("total", [127, 128, 129, 257, 8191, 8192, 8193, 2 ** 16, 999_999])
def test_integer_accumulators_never_overflow_at_their_limits(total):
    # uint8 extremes with kernels whose absolute sum sits at each accumulator's edge
    image = np.array([[255, 255, 0], [255, 255, 255], [0, 255, 255]], dtype=np.uint8)
    kernel = [[total, 0, 0], [0, 0, 0], [0, 0, 0]]
    kernel[1][1] = -1
    for k in (kernel, [[-v for v in row] for row in kernel]):
        got = run(image, kernel=k, output_range="raw")
        assert ref.as_float_lists(got) == ref.convolve(image, k, 1.0, 0.0, "zero", "raw")
    wide = np.array([[65535, 0], [65535, 65535]], dtype=np.uint16)
    got = run(wide, kernel=[[total, total], [total, -total]], output_range="raw")
    assert ref.as_float_lists(got) == ref.convolve(wide, [[total, total], [total, -total]], 1.0, 0.0, "zero", "raw")


def test_npy_style_images_of_every_type_keep_their_values(tmp_path):
    for dtype in IMAGE_VALUES:
        image = image_of(dtype, seed=5)
        np.save(tmp_path / "x.npy", image)
        loaded = engine.load_image(tmp_path / "x.npy")
        assert loaded.dtype == image.dtype
        got = run(loaded, kernel=[[1, 0.5], [0.1, -1]], weight=0.5, output_range="raw")
        assert ref.as_float_lists(got) == ref.convolve(image, [[1, 0.5], [0.1, -1]], 0.5, 0.0, "zero", "raw")


def test_bool_images_count_as_0_and_1():
    image = np.array([[True, False], [False, True]])
    assert run(image, kernel=[[1, 1], [1, 1]]).tolist() == [[2, 1], [1, 1]]


def _engine_imports():
    """{module: engine modules it imports}, function-level imports included, read from the source."""
    import ast
    from pathlib import Path
    folder = Path(engine.__file__).parent
    graph = {}
    for path in folder.glob("*.py"):
        names = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.level == 1:
                names.update([node.module] if node.module else [alias.name for alias in node.names])
        graph[path.stem] = {name.split(".")[0] for name in names} - {path.stem}
    return graph


def test_engine_modules_import_each_other_without_cycles():
    graph = _engine_imports()
    graph.pop("__init__")
    done, active = set(), []

    def visit(name):
        assert name not in active, f"import cycle: {' -> '.join(active[active.index(name):] + [name])}"
        if name in done:
            return
        active.append(name)
        for other in graph.get(name, ()):
            visit(other)
        active.pop()
        done.add(name)

    for name in graph:
        visit(name)


def test_no_engine_function_shadows_a_module_of_the_same_name():
    import types
    modules = set(_engine_imports()) - {"__init__"}
    for name in modules:
        assert isinstance(getattr(engine, name, types.ModuleType(name)), types.ModuleType), name
