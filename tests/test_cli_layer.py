"""The command line's layer options (--kernel-file, --channels, --stride, --dilation, per-channel --offset,
relu), run as users run it, against the plain reference loop and d2l's published values."""

import os

import numpy as np
import pytest
from PIL import Image

from tests.engine import reference as ref
from tests.test_cli import cli

X = np.stack([np.arange(9).reshape(3, 3), np.arange(1, 10).reshape(3, 3)], axis=-1).astype(np.uint8)
K = np.stack([[[0, 1], [2, 3]], [[1, 2], [3, 4]]], axis=-1)[..., None]


@pytest.fixture
def files(tmp_path):
    np.save(tmp_path / "x.npy", X)
    np.save(tmp_path / "bank.npy", np.concatenate([K, K + 1, K + 2], axis=3).astype(np.int32))
    rgb = np.random.default_rng(7).integers(0, 256, (13, 17, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "photo.png")
    return tmp_path, rgb


def test_a_kernel_file_bank_gives_d2ls_three_feature_maps(files):
    folder, _ = files
    out = cli("apply", folder / "x.npy", "--kernel-file", folder / "bank.npy", "--border", "valid",
              "--output-range", "raw", "--pool", "none", "--out", folder / "maps.npy")
    assert out.returncode == 0, out.stderr
    maps = np.load(folder / "maps.npy")
    assert maps.shape == (2, 2, 3) and maps.dtype == np.float32
    assert [maps[:, :, o].tolist() for o in range(3)] == [[[56, 72], [104, 120]], [[76, 100], [148, 172]],
                                                          [[96, 128], [192, 224]]]


def test_colour_photo_strided_dilated_layer_equals_the_reference(files):
    folder, rgb = files
    kernel = np.random.default_rng(8).integers(-2, 3, (3, 2, 3, 2)).astype(np.float64)
    np.save(folder / "k.npy", kernel)
    out = cli("apply", folder / "photo.png", "--channels", "rgb", "--kernel-file", folder / "k.npy",
              "--stride", "2,3", "--dilation", "2", "--offset", "-4,7", "--border", "reflect",
              "--output-range", "relu", "--weight", "0.5", "--pool", "none", "--out", folder / "o.npy")
    assert out.returncode == 0, out.stderr
    want = ref.layer(rgb, kernel, 0.5, [-4.0, 7.0], "reflect", "relu", (2, 3), (2, 2))
    assert np.load(folder / "o.npy").tolist() == want


def test_several_channels_to_png_write_one_file_per_channel(files):
    folder, rgb = files
    out = cli("apply", folder / "photo.png", "--channels", "rgb", "--preset", "Identity", "--out",
              folder / "conv.png", "--pooled-out", folder / "pool.png")
    assert out.returncode == 0, out.stderr
    assert "conv_c0.png .. conv_c2.png" in out.stdout
    for c in range(3):
        assert np.asarray(Image.open(folder / f"conv_c{c}.png")).tolist() == rgb[:, :, c].tolist()
        assert (folder / f"pool_c{c}.png").exists()
    assert not (folder / "conv.png").exists()


def test_gray_stays_the_default_and_a_2d_kernel_file_works(files):
    folder, rgb = files
    np.save(folder / "k2.npy", np.array([[0, 0], [0, 1]], dtype=np.uint8))
    out = cli("apply", folder / "photo.png", "--kernel-file", folder / "k2.npy", "--pool", "none",
              "--out", folder / "g.npy")
    assert out.returncode == 0, out.stderr
    assert np.load(folder / "g.npy").shape == (13, 17)


@pytest.mark.parametrize("args, message", [
    (["--kernel-file", "{bank}", "--channels", "rgb", "{photo}"], "takes 2 input channel(s)"),
    (["--kernel-file", "{cube}"], "3 dimension"),
    (["--kernel-file", "{missing}"], "no such file"),
    (["--kernel-file", "{text}"], "not a readable .npy"),
    (["--stride", "9"], "stride must be between 1 and 8"),
    (["--stride", "1,2,3"], "one whole number or two"),
    (["--dilation", "0"], "dilation must be between 1 and 8"),
    (["--dilation", "1.5"], "whole number"),
    (["--offset", "1,2,3"], "3 offsets were given for 2 output"),
    (["--kernel", "1,1,1;1,1,1;1,1,1", "--dilation", "4", "--border", "valid"], "leaves no output"),
    (["--channels", "cmyk"], "--channels: must be one of gray, rgb"),
    (["--lab", "--channels", "rgb", "{photo}"], "lab mode runs the notebook's loop on one gray image"),
    (["--lab", "--stride", "2"], "lab mode runs the notebook's loop"),
    (["--output-range", "tanh"], "--output-range: must be one of clamp, raw, relu"),
])
def test_refused_layer_values_exit_1_with_one_line_and_no_file(files, args, message):
    folder, _ = files
    np.save(folder / "cube.npy", np.zeros((3, 3, 2)))
    (folder / "text.npy").write_text("not numpy")
    names = dict(bank=folder / "bank.npy", cube=folder / "cube.npy", missing=folder / "nope.npy",
                 text=folder / "text.npy", photo=folder / "photo.png")
    args = [a.format(**names) for a in args]
    image = [a for a in args if a.endswith(".png")] or [str(folder / "x.npy")]
    args = [a for a in args if not a.endswith(".png")]
    before = set(os.listdir(folder))
    out = cli("apply", image[0], *args, "--out", folder / "o.png", "--pooled-out", folder / "p.npy")
    assert out.returncode == 1
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1, out.stderr
    assert set(os.listdir(folder)) == before


def test_kernel_file_with_kernel_is_a_malformed_command_line(files):
    folder, _ = files
    out = cli("apply", folder / "x.npy", "--kernel-file", folder / "bank.npy", "--kernel", "1", "--out",
              folder / "o.npy")
    assert out.returncode == 2 and not (folder / "o.npy").exists()
