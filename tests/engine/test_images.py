import struct
import zlib

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
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
        "3-D npy": (tmp_path / "cube.npy", "3 dimension"),
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
    np.save(tmp_path / "cube.npy", np.zeros((2, 2, 2)))
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


def test_results_save_as_exact_npy_and_8_bit_png(tmp_path):
    raw = np.array([[-2.0, 0.0], [1.0, 2.0]], dtype=np.float32)
    engine.save_result(tmp_path / "r.npy", raw)
    assert np.load(tmp_path / "r.npy").tolist() == raw.tolist()
    engine.save_result(tmp_path / "r.png", raw)
    assert np.asarray(Image.open(tmp_path / "r.png")).tolist() == [[1, 128], [192, 255]]  # 128 + 127 v / 2
    with pytest.raises(engine.ImageError, match=".png"):
        engine.save_result(tmp_path / "r.gif", raw)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(max_size=2000), suffix=st.sampled_from([".png", ".jpg", ".bmp", ".tif", ".npy"]))
def test_fuzz_random_bytes_only_ever_raise_image_errors(tmp_path, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        image = engine.load_image(path)
    except engine.ImageError:
        return
    assert image.ndim == 2 and image.size > 0


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(position=st.integers(0, 10**6), value=st.integers(0, 255), cut=st.integers(0, 10**6),
       kind=st.sampled_from(["PNG", "JPEG", "BMP", "TIFF"]))
def test_fuzz_mutated_real_images_only_ever_raise_image_errors(tmp_path, crop, position, value, cut, kind):
    import io

    buffer = io.BytesIO()
    Image.fromarray(crop).save(buffer, format=kind)
    data = bytearray(buffer.getvalue())
    data[position % len(data)] = value
    data = data[: max(cut % (len(data) + 1), 1)]
    path = tmp_path / f"mutant.{kind.lower()}"
    path.write_bytes(bytes(data))
    try:
        image = engine.load_image(path)
    except engine.ImageError:
        return
    assert image.ndim == 2 and image.dtype == np.uint8
