"""Loading images: the documented conversion rule, and one clear ImageError line for every bad file."""

import struct
import zlib

import numpy as np
import pytest
from PIL import Image

import engine
from engine.images import MAX_PIXELS


def save(tmp_path, name, image: Image.Image, **kw):
    path = tmp_path / name
    image.save(path, **kw)
    return path


def test_ascent_loads_as_the_notebooks_512x512_uint8(ascent):
    assert ascent.shape == (512, 512) and ascent.dtype == np.uint8


def test_colour_becomes_bt601_luma(tmp_path):
    rgb = np.array([[[255, 0, 0], [0, 255, 0], [0, 0, 255], [100, 150, 200]]], dtype=np.uint8)
    got = engine.load_image(save(tmp_path, "c.png", Image.fromarray(rgb)))
    want = [round((299 * r + 587 * g + 114 * b) / 1000) for r, g, b in rgb[0].tolist()]
    assert np.abs(got[0].astype(int) - want).max() <= 1  # Pillow's fixed-point luma rounds within 1


def test_alpha_is_composited_over_white(tmp_path):
    rgba = np.array([[[0, 0, 0, 0], [0, 0, 0, 255]]], dtype=np.uint8)
    got = engine.load_image(save(tmp_path, "a.png", Image.fromarray(rgba, "RGBA")))
    assert got.tolist() == [[255, 0]]


def test_16_bit_images_are_scaled_to_8_bits(tmp_path):
    data = np.array([[0, 257, 65535, 1000]], dtype=np.uint16)
    got = engine.load_image(save(tmp_path, "d.png", Image.fromarray(data)))
    assert got.tolist() == [[0, 1, 255, round(1000 / 257)]]


def test_float_tiffs_are_scaled_from_their_own_range(tmp_path):
    data = np.array([[-1.0, 0.0, 3.0]], dtype=np.float32)
    got = engine.load_image(save(tmp_path, "f.tif", Image.fromarray(data, "F")))
    assert got.tolist() == [[0, round(255 / 4), 255]]


def test_palette_and_one_bit_images_open(tmp_path):
    pal = Image.fromarray(np.array([[0, 1]], dtype=np.uint8), "P")
    pal.putpalette([0, 0, 0, 255, 255, 255] + [0] * 762)
    assert engine.load_image(save(tmp_path, "p.png", pal)).tolist() == [[0, 255]]
    bit = Image.fromarray(np.array([[0, 255]], dtype=np.uint8)).convert("1")
    assert engine.load_image(save(tmp_path, "b.bmp", bit)).tolist() == [[0, 255]]


def test_jpeg_bmp_and_tiff_open(tmp_path, crop):
    for name in ("x.jpg", "x.bmp", "x.tif"):
        got = engine.load_image(save(tmp_path, name, Image.fromarray(crop)))
        assert got.shape == crop.shape


def test_paths_with_spaces_and_non_ascii_characters_open(tmp_path, crop):
    folder = tmp_path / "Ordner mit Leerzeichen é ü 階段"
    folder.mkdir()
    assert engine.load_image(save(folder, "Bild ö.png", Image.fromarray(crop))).tolist() == crop.tolist()


def test_npy_arrays_are_used_exactly_as_stored(tmp_path):
    data = np.array([[-1.5, 2.25], [1e6, 0.0]])
    np.save(tmp_path / "x.npy", data)
    got = engine.load_image(tmp_path / "x.npy")
    assert got.dtype == np.float64 and got.tolist() == data.tolist()


def _png_declaring(width, height):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00" * 64))
            + chunk(b"IEND", b""))


def bad_files(tmp_path, crop):
    png = tmp_path / "good.png"
    Image.fromarray(crop).save(png)
    jpg = tmp_path / "good.jpg"
    Image.fromarray(crop).save(jpg)
    cases = {
        "missing": (tmp_path / "nope.png", "no such file"),
        "empty": (tmp_path / "empty.png", "empty"),
        "truncated png": (tmp_path / "trunc.png", "truncated or corrupt"),
        "truncated jpeg": (tmp_path / "trunc.jpg", "truncated or corrupt"),
        "text renamed": (tmp_path / "notes.png", "not an image"),
        "gif": (tmp_path / "anim.gif", "not supported"),
        "bomb": (tmp_path / "bomb.png", "cannot downscale one this large"),
        "folder": (tmp_path, "folder"),
        "3-D npy of 5 channels": (tmp_path / "cube.npy", "3 dimension"),
        "complex npy": (tmp_path / "complex.npy", "real numbers"),
        "nan npy": (tmp_path / "nan.npy", "NaN"),
        "empty npy": (tmp_path / "zero.npy", "empty"),
        "object npy": (tmp_path / "object.npy", "Python objects"),
        "junk npy": (tmp_path / "junk.npy", "not a readable .npy"),
    }
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "trunc.png").write_bytes(png.read_bytes()[: len(png.read_bytes()) // 2])
    (tmp_path / "trunc.jpg").write_bytes(jpg.read_bytes()[: len(jpg.read_bytes()) // 2])
    (tmp_path / "notes.png").write_text("these are my notes, not a picture")
    Image.fromarray(crop).save(tmp_path / "anim.gif")
    (tmp_path / "bomb.png").write_bytes(_png_declaring(50000, 50000))
    np.save(tmp_path / "cube.npy", np.zeros((2, 2, 5)))
    np.save(tmp_path / "complex.npy", np.zeros((2, 2), complex))
    np.save(tmp_path / "nan.npy", np.array([[np.nan, 1.0]]))
    np.save(tmp_path / "zero.npy", np.zeros((0, 0)))
    np.save(tmp_path / "object.npy", np.array([[None]], dtype=object), allow_pickle=True)
    (tmp_path / "junk.npy").write_bytes(b"\x93NUMPY garbage")
    return cases


def test_bad_files_give_one_clear_line(tmp_path, crop):
    for name, (path, message) in bad_files(tmp_path, crop).items():
        with pytest.raises(engine.ImageError) as info:
            engine.load_image(path)
        text = str(info.value)
        assert message in text, (name, text)
        assert "\n" not in text, name


def test_zero_by_n_and_one_by_n_images(tmp_path):
    np.save(tmp_path / "row.npy", np.arange(5, dtype=np.uint8)[None, :])
    assert engine.load_image(tmp_path / "row.npy").shape == (1, 5)
    np.save(tmp_path / "none.npy", np.zeros((0, 5), np.uint8))
    with pytest.raises(engine.ImageError, match="empty"):
        engine.load_image(tmp_path / "none.npy")


def test_large_images_can_be_opened_downscaled(tmp_path):
    path = tmp_path / "big.png"
    path.write_bytes(_png_declaring(9000, 9000))  # over 64 MP, under the downscale limit
    with pytest.raises(engine.ImageTooLargeError) as info:
        engine.load_image(path)
    assert info.value.factor == 2 and "downscaled 1:2" in str(info.value)


def test_a_real_large_image_downscales_to_fit(tmp_path):
    big = Image.new("L", (8200, 8200), 77)
    big.save(tmp_path / "big.png")
    got = engine.load_image(tmp_path / "big.png", downscale=True)
    assert got.shape == (4100, 4100) and got.size <= MAX_PIXELS and (got == 77).all()


def test_every_16_bit_value_becomes_round_v_over_257(tmp_path):
    data = np.arange(65536, dtype=np.uint16).reshape(256, 256)
    want = [[round(v / 257) for v in row] for row in data.tolist()]
    for name in ("all.png", "all.tif"):
        got = engine.load_image(save(tmp_path, name, Image.fromarray(data)))
        assert got.dtype == np.uint8 and got.tolist() == want


def test_32_bit_integer_and_float_tiffs_scale_their_own_min_max_onto_0_255(tmp_path):
    rng = np.random.default_rng(1)
    ints = rng.integers(-70000, 70000, (8, 9)).astype(np.int32)
    floats = rng.normal(0, 1e4, (8, 9)).astype(np.float32)
    for data, mode in ((ints, "I"), (floats, "F")):
        got = engine.load_image(save(tmp_path, f"x{mode}.tif", Image.fromarray(data, mode)))
        lo, hi = float(data.min()), float(data.max())
        want = [[round((float(v) - lo) / (hi - lo) * 255) for v in row] for row in data.tolist()]
        assert np.abs(got.astype(int) - np.array(want)).max() == 0
        assert got.min() == 0 and got.max() == 255


def test_a_constant_float_tiff_becomes_black_and_a_nan_tiff_is_refused(tmp_path):
    assert engine.load_image(save(tmp_path, "c.tif", Image.fromarray(np.full((2, 3), 3.5, np.float32), "F"))).tolist() \
        == [[0, 0, 0], [0, 0, 0]]
    nan = save(tmp_path, "n.tif", Image.fromarray(np.array([[np.nan, 1.0]], np.float32), "F"))
    with pytest.raises(engine.ImageError, match="NaN"):
        engine.load_image(nan)


def test_luma_of_many_colours_is_bt601_rounded_within_pillows_fixed_point(tmp_path):
    rgb = np.random.default_rng(0).integers(0, 256, (60, 70, 3)).astype(np.uint8)
    got = engine.load_image(save(tmp_path, "c.png", Image.fromarray(rgb))).astype(int)
    want = np.array([[round(0.299 * r + 0.587 * g + 0.114 * b) for r, g, b in row] for row in rgb.tolist()])
    assert np.abs(got - want).max() <= 1 and (got != want).mean() < 0.01


def test_gray_with_alpha_and_palette_transparency_are_composited_over_white(tmp_path):
    la = Image.fromarray(np.array([[[100, 0], [100, 255], [100, 128]]], np.uint8), "LA")
    # 100 * a/255 + 255 * (1 - a/255): 255, 100, 177.2
    assert engine.load_image(save(tmp_path, "la.png", la)).tolist() == [[255, 100, 177]]
    pal = Image.fromarray(np.array([[0, 1, 2]], np.uint8), "P")
    pal.putpalette([255, 0, 0, 0, 0, 255, 10, 20, 30] + [0] * 759)
    # index 0 is transparent -> white; blue -> 0.114 * 255 = 29.07; (10, 20, 30) -> 18.15
    assert engine.load_image(save(tmp_path, "pt.png", pal, transparency=0)).tolist() == [[255, 29, 18]]


def test_one_bit_pngs_and_cmyk_jpegs_open(tmp_path):
    bit = Image.fromarray(np.array([[0, 255, 0, 255]], np.uint8)).convert("1")
    assert engine.load_image(save(tmp_path, "b.png", bit)).tolist() == [[0, 255, 0, 255]]
    assert engine.load_image(save(tmp_path, "k.jpg", Image.new("CMYK", (3, 2), (0, 0, 0, 0)))).shape == (2, 3)


def test_one_by_n_and_n_by_one_pictures_open(tmp_path):
    assert engine.load_image(save(tmp_path, "r.png", Image.fromarray(np.arange(7, dtype=np.uint8)[None]))).tolist() \
        == [list(range(7))]
    assert engine.load_image(save(tmp_path, "c.bmp", Image.fromarray(np.arange(5, dtype=np.uint8)[:, None]))).shape \
        == (5, 1)


def test_a_png_declaring_0x0_pixels_is_refused_with_one_line(tmp_path):
    path = tmp_path / "zero.png"
    path.write_bytes(_png_declaring(0, 0))
    with pytest.raises(engine.ImageError) as info:
        engine.load_image(path)
    assert "\n" not in str(info.value) and "zero.png" in str(info.value)


def test_the_decompression_bomb_is_refused_quickly_before_decoding(tmp_path):
    import time

    path = tmp_path / "bomb.png"
    path.write_bytes(_png_declaring(50000, 50000))
    assert path.stat().st_size < 200
    start = time.perf_counter()
    for downscale in (False, True):
        with pytest.raises(engine.ImageTooLargeError) as info:
            engine.load_image(path, downscale=downscale)
        assert info.value.factor is None and (info.value.width, info.value.height) == (50000, 50000)
    assert time.perf_counter() - start < 2


def test_other_formats_pillow_knows_are_refused_by_name(tmp_path):
    for name, fmt in (("x.webp", "WEBP"), ("disguised.png", "WEBP"), ("y.gif", "GIF")):
        Image.new("L", (4, 4)).save(tmp_path / name, format=fmt)
        with pytest.raises(engine.ImageError, match=f"{fmt} images are not supported"):
            engine.load_image(tmp_path / name)


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.uint16, np.int32, np.int64, np.float16, np.float32,
                                   np.float64])
def test_npy_of_every_real_type_keeps_its_dtype_and_values(tmp_path, dtype):
    data = (np.arange(12).reshape(3, 4) - 3).astype(dtype)
    np.save(tmp_path / "x.npy", data)
    got = engine.load_image(tmp_path / "x.npy")
    assert got.dtype == data.dtype and got.tolist() == data.tolist()


@pytest.mark.parametrize("array, message", [
    (np.zeros((2, 2, 5)), "3 dimension"), (np.zeros(4), "1 dimension"), (np.zeros((2, 2), complex), "real numbers"),
    (np.array([[1.0, np.inf]]), "NaN or infinite"), (np.array([[1e13]]), "beyond"),
    (np.array([["a"]]), "real numbers"), (np.zeros((3, 0)), "empty"),
])
def test_unusable_npy_arrays_give_one_clear_line(tmp_path, array, message):
    np.save(tmp_path / "bad.npy", array)
    with pytest.raises(engine.ImageError) as info:
        engine.load_image(tmp_path / "bad.npy")
    assert message in str(info.value) and "\n" not in str(info.value)


def test_a_truncated_npy_and_an_npz_are_refused(tmp_path):
    np.save(tmp_path / "t.npy", np.zeros((50, 50)))
    data = (tmp_path / "t.npy").read_bytes()
    (tmp_path / "t.npy").write_bytes(data[: len(data) // 2])
    with pytest.raises(engine.ImageError, match="truncated or corrupt"):
        engine.load_image(tmp_path / "t.npy")
    np.savez(tmp_path / "z.npz", a=np.zeros((2, 2)))
    (tmp_path / "z.npz").rename(tmp_path / "z.npy")
    with pytest.raises(engine.ImageError):
        engine.load_image(tmp_path / "z.npy")


@pytest.mark.parametrize("peak, level", [(0.3, 0.5), (7, 10), (100, 100), (101, 200), (2.4, 2.5), (1200, 2000),
                                         (0.001, 0.001), (4.2e5, 5e5), (0, 1.0)])
def test_diverging_levels_reach_the_peak_rounded_up_to_a_readable_number(peak, level):
    data = np.array([[-peak, peak / 3], [0.0, peak / 7]], dtype=np.float64)
    lo, hi = engine.display_levels(data, diverging=True)
    assert lo == -hi and hi == pytest.approx(level) and hi >= peak
    lo, hi = engine.display_levels(-data, diverging=True)  # the sign of the peak does not matter
    assert hi == pytest.approx(level)


def test_a_file_named_npy_that_is_not_numpy_is_reported_as_such(tmp_path):
    (tmp_path / "notes.npy").write_text("these are my notes")
    with pytest.raises(engine.ImageError, match="not a NumPy file"):
        engine.load_image(tmp_path / "notes.npy")


def test_an_oversized_npy_is_refused_from_its_header_before_the_data_is_read(tmp_path, monkeypatch):
    # the header declares 8193x8193 float64 (537 MB) but the file holds a few bytes: the size is
    # refused from the header, and np.load is never reached
    from numpy.lib import format as npy
    with open(tmp_path / "big.npy", "wb") as f:
        npy.write_array_header_1_0(f, {"descr": "<f8", "fortran_order": False, "shape": (8193, 8193)})
        f.write(b"\0" * 64)
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("np.load was called"))
    with pytest.raises(engine.ImageTooLargeError) as info:
        engine.load_image(tmp_path / "big.npy")
    assert str(info.value) == ("the image is 8193x8193 (64.1 MP); Kernelscope opens images up to 8192x8192 "
                               "(64 MP)")


def test_object_and_3d_npy_headers_are_refused_before_loading(tmp_path, monkeypatch):
    np.save(tmp_path / "o.npy", np.array([[None]], dtype=object), allow_pickle=True)
    np.save(tmp_path / "c.npy", np.zeros((2, 2, 5)))
    monkeypatch.setattr(np, "load", lambda *a, **k: pytest.fail("np.load was called"))
    with pytest.raises(engine.ImageError, match="Python objects"):
        engine.load_image(tmp_path / "o.npy")
    with pytest.raises(engine.ImageError, match="3 dimension"):
        engine.load_image(tmp_path / "c.npy")


@pytest.mark.parametrize("width, height, text", [(8193, 8193, "8193x8193 (64.1 MP)"),
                                                  (16384, 4097, "16384x4097 (64.1 MP)"),
                                                  (16384, 16384, "16384x16384 (256 MP)")])
def test_size_messages_are_width_x_height_in_mp_of_2_to_the_20_pixels(tmp_path, width, height, text):
    (tmp_path / "w.png").write_bytes(_png_declaring(width, height))
    with pytest.raises(engine.ImageTooLargeError) as info:
        engine.load_image(tmp_path / "w.png")
    assert f"the image is {text}; Kernelscope opens images up to 8192x8192 (64 MP)" in str(info.value)


def test_an_empty_image_names_its_size_width_first(tmp_path):
    np.save(tmp_path / "e.npy", np.zeros((0, 3)))
    with pytest.raises(engine.ImageError, match=r"empty \(3x0 pixels\)"):
        engine.load_image(tmp_path / "e.npy")
