"""16-bit colour PNGs and tRNS colour keys, on PNGs written byte by byte, against plain per-pixel arithmetic:
composite over white (alpha in the file's own depth), then round(v/257) for 16 bits, then BT.601 luma."""

import numpy as np
import pytest

import engine
from tests.engine.pngs import png_bytes


def load(tmp_path, data: bytes):
    (tmp_path / "t.png").write_bytes(data)
    return engine.load_image(tmp_path / "t.png")


def round_half_up(x: float) -> int:
    return int(x + 0.5)


def luma(r: int, g: int, b: int) -> float:
    return 0.299 * r + 0.587 * g + 0.114 * b


def over_white(v: int, a: int, full: int) -> float:
    return (v * a + full * (full - a)) / full


def assert_luma(got, want_rgb):
    """Pillow's fixed-point luma is within 1 of the exact BT.601 value, like the 8-bit path's test."""
    for got_row, want_row in zip(got.tolist(), want_rgb):
        for value, (r, g, b) in zip(got_row, want_row):
            assert abs(value - luma(r, g, b)) <= 1, (value, r, g, b)


@pytest.fixture
def wide():
    rng = np.random.default_rng(15)
    data = rng.integers(0, 65536, (7, 9, 4))
    data[0, :4] = [[0, 0, 0, 0], [65535, 65535, 65535, 65535], [128, 129, 385, 65535], [300, 65535, 2, 1]]
    return data


def test_16_bit_rgb_becomes_round_v_over_257_per_channel_then_luma(tmp_path, wide):
    got = load(tmp_path, png_bytes(wide[..., :3], "rgb", 16))
    want = [[[round_half_up(v / 257) for v in px[:3]] for px in row] for row in wide.tolist()]
    assert_luma(got, want)
    # the high byte alone (floor(v/256)) differs from round(v/257) for these pixels
    assert got[0, 2] == 1 and got[0, 3] != 0


def test_16_bit_rgba_is_composited_over_white_at_full_depth(tmp_path, wide):
    got = load(tmp_path, png_bytes(wide, "rgba", 16))
    want = [[[round_half_up(over_white(v, px[3], 65535) / 257) for v in px[:3]] for px in row]
            for row in wide.tolist()]
    assert_luma(got, want)
    assert got[0, 0] == 255  # fully transparent black reads as white


def test_16_bit_gray_with_alpha_is_composited_then_rounded_exactly(tmp_path, wide):
    got = load(tmp_path, png_bytes(wide[..., [0, 3]], "gray+alpha", 16))
    want = [[round_half_up(over_white(px[0], px[3], 65535) / 257) for px in row] for row in wide.tolist()]
    assert got.tolist() == want


def test_a_trns_key_in_a_16_bit_rgb_png_is_white(tmp_path, wide):
    rgb = wide[..., :3].copy()
    rgb[2, 3] = rgb[4, 5] = [1000, 2000, 3000]
    got = load(tmp_path, png_bytes(rgb, "rgb", 16, trns=bytes.fromhex("03e807d00bb8")))
    assert got[2, 3] == got[4, 5] == 255
    want = [[[round_half_up(v / 257) for v in px] for px in row] for row in rgb.tolist()]
    want[2][3] = want[4][5] = [255, 255, 255]
    assert_luma(got, want)


def test_a_trns_key_in_8_bit_gray_and_rgb_pngs_is_white(tmp_path):
    gray = np.array([[0, 7, 200], [7, 8, 6]])
    assert load(tmp_path, png_bytes(gray, "gray", 8, trns=b"\x00\x07")).tolist() == [[0, 255, 200], [255, 8, 6]]
    rgb = np.array([[[10, 20, 30], [10, 20, 31], [0, 0, 0]]])
    got = load(tmp_path, png_bytes(rgb, "rgb", 8, trns=bytes([0, 10, 0, 20, 0, 30])))
    assert got[0, 0] == 255
    assert_luma(got[:, 1:], [[[10, 20, 31], [0, 0, 0]]])


def test_a_trns_key_in_16_bit_and_low_depth_gray_pngs_is_white(tmp_path):
    gray16 = np.array([[0, 1000, 65535, 1000, 1001]])
    got = load(tmp_path, png_bytes(gray16, "gray", 16, trns=(1000).to_bytes(2, "big")))
    assert got.tolist() == [[0, 255, 255, 255, round_half_up(1001 / 257)]]
    gray2 = np.array([[0, 1, 2, 3, 1]])
    got = load(tmp_path, png_bytes(gray2, "gray", 2, trns=b"\x00\x01"))
    assert got.tolist() == [[0, 255, 170, 255, 255]]
    gray1 = np.array([[0, 1, 0, 1]])
    assert load(tmp_path, png_bytes(gray1, "gray", 1, trns=b"\x00\x00")).tolist() == [[255, 255, 255, 255]]
    assert load(tmp_path, png_bytes(gray1, "gray", 1, trns=b"\x00\x01")).tolist() == [[0, 255, 0, 255]]


def test_8_bit_gray_with_alpha_and_rgba_written_by_hand_are_composited_over_white(tmp_path):
    ga = np.array([[[0, 0], [0, 255], [100, 128], [255, 0]]])
    want = [[round_half_up(over_white(v, a, 255)) for v, a in ga[0].tolist()]]
    got = load(tmp_path, png_bytes(ga, "gray+alpha", 8))
    assert np.abs(got.astype(int) - np.array(want)).max() <= 1  # Pillow composites in 8-bit fixed point
