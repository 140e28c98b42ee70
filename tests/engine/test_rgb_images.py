"""Opening pictures as RGB (H x W x 3) and .npy arrays with channels, against per-pixel arithmetic on PNGs
written byte by byte: transparency over white first, round(v/257) for 16 bits, gray copied to every channel."""

import numpy as np
import pytest
from PIL import Image

import engine
from tests.engine.pngs import png_bytes


def load_rgb(tmp_path, data: bytes):
    (tmp_path / "t.png").write_bytes(data)
    return engine.load_image(tmp_path / "t.png", channels="rgb")


def over_white(v, a, full):
    return (v * a + full * (full - a)) / full


def test_8_bit_rgb_is_kept_exactly(tmp_path):
    rgb = np.random.default_rng(1).integers(0, 256, (5, 6, 3))
    got = load_rgb(tmp_path, png_bytes(rgb, "rgb", 8))
    assert got.dtype == np.uint8 and got.shape == (5, 6, 3) and got.tolist() == rgb.tolist()


def test_rgba_is_composited_over_white(tmp_path):
    rgba = np.random.default_rng(2).integers(0, 256, (4, 7, 4))
    rgba[0, 0] = [0, 0, 0, 0]
    got = load_rgb(tmp_path, png_bytes(rgba, "rgba", 8))
    assert got[0, 0].tolist() == [255, 255, 255]
    want = [[[over_white(v, px[3], 255) for v in px[:3]] for px in row] for row in rgba.tolist()]
    assert np.abs(got - np.array(want)).max() <= 1  # Pillow composites in 8-bit fixed point


def test_16_bit_rgb_is_round_v_over_257_per_channel(tmp_path):
    wide = np.random.default_rng(3).integers(0, 65536, (3, 5, 3))
    wide[0, 0] = [128, 129, 385]
    got = load_rgb(tmp_path, png_bytes(wide, "rgb", 16))
    assert got.tolist() == [[[int(v / 257 + 0.5) for v in px] for px in row] for row in wide.tolist()]


def test_gray_pictures_give_their_gray_in_every_channel(tmp_path):
    gray = np.random.default_rng(4).integers(0, 256, (4, 4))
    got = load_rgb(tmp_path, png_bytes(gray, "gray", 8))
    assert got.shape == (4, 4, 3) and all(got[:, :, c].tolist() == gray.tolist() for c in range(3))


def test_a_trns_key_in_an_rgb_png_is_white(tmp_path):
    rgb = np.random.default_rng(5).integers(0, 256, (3, 3, 3))
    rgb[1, 1] = [10, 20, 30]
    got = load_rgb(tmp_path, png_bytes(rgb, "rgb", 8, trns=bytes.fromhex("000a0014001e")))
    assert got[1, 1].tolist() == [255, 255, 255]


def test_jpeg_opens_in_colour_and_gray_stays_the_default(tmp_path):
    Image.fromarray(np.full((8, 8, 3), (200, 30, 60), np.uint8)).save(tmp_path / "c.jpg")
    assert engine.load_image(tmp_path / "c.jpg").ndim == 2
    colour = engine.load_image(tmp_path / "c.jpg", channels="rgb")
    assert colour.shape == (8, 8, 3) and colour[4, 4, 0] > colour[4, 4, 1]


@pytest.mark.parametrize("channels", [1, 2, 3, 4])
def test_npy_with_channels_is_used_as_stored(tmp_path, channels):
    data = np.random.default_rng(6).normal(size=(3, 4, channels))
    np.save(tmp_path / "a.npy", data)
    for mode in ("gray", "rgb"):
        got = engine.load_image(tmp_path / "a.npy", channels=mode)
        assert got.dtype == data.dtype and got.tolist() == data.tolist()


def test_unknown_channel_mode_is_refused(tmp_path):
    np.save(tmp_path / "a.npy", np.zeros((2, 2)))
    with pytest.raises(engine.ImageError, match="channels must be gray or rgb"):
        engine.load_image(tmp_path / "a.npy", channels="cmyk")


def test_arrays_with_channels_are_checked_like_gray_ones():
    with pytest.raises(engine.ImageError, match="NaN"):
        engine.run_job(np.full((2, 2, 3), np.nan), engine.JobOptions())
    with pytest.raises(engine.ImageError, match="5 channels"):
        engine.run_job(np.zeros((2, 2, 5)), engine.JobOptions())
