"""The command line's side of issue 17, run as users run it: ``apply --flip`` against scipy.signal,
``apply --kernel-file``, and ``analyse KERNEL``."""

import numpy as np
import pytest
from PIL import Image
from scipy import signal

import engine
from engine.analysis import kernel_analysis
from tests.test_cli import cli

EMBOSS = "-2,-1,0;-1,1,1;0,1,2"


@pytest.fixture(scope="module")
def crop(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli_analysis")
    image = np.random.default_rng(17).integers(0, 256, (12, 15)).astype(np.uint8)
    Image.fromarray(image).save(folder / "crop.png")
    return folder / "crop.png", image


def test_apply_flip_is_scipy_convolve2d_and_the_default_correlate2d(crop, tmp_path):
    path, image = crop
    kernel = np.array([[-2, -1, 0], [-1, 1, 1], [0, 1, 2]])
    for flip, operation in ((["--flip"], signal.convolve2d), ([], signal.correlate2d)):
        out = tmp_path / f"conv{len(flip)}.npy"
        done = cli("apply", path, "--kernel", EMBOSS, *flip, "--output-range", "raw", "--pool", "none", "--out", out)
        assert done.returncode == 0, done.stderr
        expected = operation(image.astype(np.int64), kernel, mode="same")
        np.testing.assert_array_equal(np.load(out), expected.astype(np.float32))


def test_apply_refuses_flip_in_lab_mode(crop, tmp_path):
    done = cli("apply", crop[0], "--lab", "--flip", "--out", tmp_path / "c.npy")
    assert done.returncode == 1 and "lab mode cannot use true convolution" in done.stderr
    assert not (tmp_path / "c.npy").exists()


def test_apply_reads_a_kernel_file(crop, tmp_path):
    path, _ = crop
    (tmp_path / "k.txt").write_text("# emboss\n-2 -1 0\n-1 1 1\n0 1 2\n")
    from_file, from_text = tmp_path / "a.npy", tmp_path / "b.npy"
    assert cli("apply", path, "--kernel-file", tmp_path / "k.txt", "--out", from_file).returncode == 0
    assert cli("apply", path, "--kernel", EMBOSS, "--out", from_text).returncode == 0
    np.testing.assert_array_equal(np.load(from_file), np.load(from_text))
    both = cli("apply", path, "--kernel-file", tmp_path / "k.txt", "--preset", "Sobel x", "--out", from_file)
    assert both.returncode == 2
    (tmp_path / "bad.txt").write_text("1 2\n3\n")
    bad = cli("apply", path, "--kernel-file", tmp_path / "bad.txt", "--out", tmp_path / "c.npy")
    assert bad.returncode == 1 and "line 2 has 1 entries" in bad.stderr and not (tmp_path / "c.npy").exists()


@pytest.mark.parametrize("spec, weight", [("Box blur 3x3", 1 / 9), ("-1,0,1;-2,0,2;-1,0,1", 1.0)])
def test_analyse_prints_the_engines_description(spec, weight):
    done = cli("analyse", "--", spec)  # '--': kernel text may start with '-'
    kernel = engine.get_preset(spec).kernel if "," not in spec else engine.parse_kernel(spec)
    assert done.returncode == 0 and done.stdout == kernel_analysis(kernel, weight).describe() + "\n"


def test_analyse_a_file_with_weight_and_flip(tmp_path):
    (tmp_path / "k.txt").write_text(EMBOSS.replace(",", " ").replace(";", "\n"))
    done = cli("analyse", tmp_path / "k.txt", "--weight", "1/2", "--flip")
    assert done.returncode == 0 and "turned 180 degrees" in done.stdout
    assert '"2,1,0;1,1,-1;0,-1,-2"' in done.stdout and "weight 0.5" in done.stdout
    assert "top left to bottom right" in done.stdout  # the magnitude, and so the reading, survive the flip


def test_analyse_saves_the_response(tmp_path):
    assert cli("analyse", "Laplacian", "--response-out", tmp_path / "r.npy").returncode == 0
    expected = kernel_analysis(engine.get_preset("Laplacian").kernel).frequency.response
    np.testing.assert_array_equal(np.load(tmp_path / "r.npy"), expected)


@pytest.mark.parametrize("args, message", [
    (("1,2;3",), "rows have different lengths"),
    (("missing.txt",), "cannot be read"),
    (("Nope",), "no preset called"),
    (("Laplacian", "--weight", "x"), "--weight"),
    (("Laplacian", "--response-out", "r.png"), "saved as .npy"),
])
def test_analyse_refuses_bad_input_in_one_line(tmp_path, args, message):
    done = cli("analyse", *args, cwd=tmp_path)
    assert done.returncode == 1 and done.stdout == "" and done.stderr.count("\n") == 1 and message in done.stderr
