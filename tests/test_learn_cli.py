"""``python main.py learn``: the kernel file, the progress on stderr, and one clear line for bad input."""

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import engine
from engine.learn import KernelFit
from main import main
from tests.engine import reference as ref

ROOT = Path(__file__).resolve().parent.parent
SOBEL_X = [[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]


@pytest.fixture
def d2l(tmp_path):
    x = [[1.0] * 8 for _ in range(6)]
    for row in x:
        row[2:6] = [0.0] * 4
    y = [[x[r][c] - x[r][c + 1] for c in range(7)] for r in range(6)]
    np.save(tmp_path / "x.npy", np.array(x))
    np.save(tmp_path / "y.npy", np.array(y))
    return tmp_path / "x.npy", tmp_path / "y.npy"


@pytest.fixture
def sobel(tmp_path):
    image = engine.load_image(engine.sample_path("ascent"))[200:240, 100:150]
    Image.fromarray(image).save(tmp_path / "crop.png")
    np.save(tmp_path / "target.npy", np.array(ref.convolve(image, SOBEL_X, border="edge", output_range="raw")))
    return tmp_path / "crop.png", tmp_path / "target.npy", image


def test_learns_d2l_kernel_in_a_real_subprocess(d2l, tmp_path):
    x, y = d2l
    out = subprocess.run([sys.executable, str(ROOT / "main.py"), "learn", str(x), str(y), "--size", "1x2",
                          "--border", "valid", "--steps", "200", "--out", str(tmp_path / "k.txt")],
                         capture_output=True, text=True, cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)),
                         timeout=120)
    assert out.returncode == 0, out.stderr
    (a, b), = engine.parse_kernel((tmp_path / "k.txt").read_text())
    assert a == pytest.approx(1.0, abs=0.01) and b == pytest.approx(-1.0, abs=0.01)
    progress = [line for line in out.stderr.splitlines() if line.startswith("step")]
    assert len(progress) >= 10 and "loss" in progress[-1] and "200/200" in progress[-1] and "#" in progress[-1]
    assert "k.txt" in out.stdout


def test_exact_writes_the_least_squares_optimum_at_full_precision(sobel, tmp_path, capsys):
    crop, target, image = sobel
    assert main(["learn", str(crop), str(target), "--size", "3x3", "--border", "edge", "--exact",
                 "--out", str(tmp_path / "k.txt")]) == 0
    written = engine.parse_kernel((tmp_path / "k.txt").read_text())
    assert np.abs(np.array(written) - SOBEL_X).max() < 1e-6
    expected = KernelFit(image, np.load(target), (3, 3), border="edge").exact().kernel
    assert written == expected  # every digit survives the text file
    assert "least-squares" in capsys.readouterr().out


def test_learned_kernel_is_written_after_the_given_steps(sobel, tmp_path):
    crop, target, image = sobel
    assert main(["learn", str(crop), str(target), "--size", "3", "--border", "edge", "--steps", "7",
                 "--lr", "1e-6", "--out", str(tmp_path / "k.txt")]) == 0
    fit = KernelFit(image, np.load(target), (3, 3), border="edge")
    assert engine.parse_kernel((tmp_path / "k.txt").read_text()) == list(fit.steps(7, lr=1e-6))[-1].kernel


@pytest.mark.parametrize("args, message", [
    (["--size", "3x3", "--border", "valid"], "target is 50x40"),  # width x height
    (["--size", "3x3", "--lr", "1"], "too large"),
])
def test_bad_input_is_one_line_exit_1_and_no_file(sobel, tmp_path, capsys, args, message):
    crop, target, _ = sobel
    assert main(["learn", str(crop), str(target), *args, "--out", str(tmp_path / "k.txt")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert message in err[-1] and err[-1].startswith("kernelscope: error:")
    assert not [line for line in err if "error" in line][1:]
    assert not (tmp_path / "k.txt").exists()


def test_missing_files_and_folders_are_exit_1(sobel, tmp_path, capsys):
    crop, target, _ = sobel
    out = ["--out", str(tmp_path / "k.txt")]
    assert main(["learn", str(tmp_path / "nope.png"), str(target), "--size", "3x3", *out]) == 1
    assert main(["learn", str(crop), str(target), "--size", "3x3", "--out", str(tmp_path / "no" / "k.txt")]) == 1
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "no such file" in err[0] and "does not exist" in err[1]
    assert not (tmp_path / "k.txt").exists()


@pytest.mark.parametrize("args", [["--size", "3y3"], ["--size", "16x3"], ["--size", "3x3", "--steps", "-1"],
                                  ["--size", "3x3", "--lr", "0"], ["--size", "3x3", "--momentum", "1"], [],
                                  ["--size", "3x3", "--border", "mirror"]])
def test_malformed_command_lines_exit_2(sobel, tmp_path, args, capsys):
    crop, target, _ = sobel
    with pytest.raises(SystemExit) as exit_:
        main(["learn", str(crop), str(target), *args, "--out", str(tmp_path / "k.txt")])
    assert exit_.value.code == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert not (tmp_path / "k.txt").exists()


def test_an_8bit_target_gets_the_clamp_note(sobel, tmp_path, capsys):
    crop, _, image = sobel
    Image.fromarray(image).save(tmp_path / "same.png")
    assert main(["learn", str(crop), str(tmp_path / "same.png"), "--size", "1x1", "--exact",
                 "--out", str(tmp_path / "k.txt")]) == 0
    assert "0..255" in capsys.readouterr().err
    assert engine.parse_kernel((tmp_path / "k.txt").read_text())[0][0] == pytest.approx(1.0, abs=1e-9)


def test_help_describes_learn(capsys):
    with pytest.raises(SystemExit):
        main(["learn", "--help"])
    out = capsys.readouterr().out
    for flag in ("--size", "--steps", "--lr", "--border", "--exact", "--out"):
        assert flag in out
