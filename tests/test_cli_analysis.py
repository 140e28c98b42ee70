"""``analyse``: the kernel's analysis printed, from --kernel, --preset or --kernel-file, with --flip."""

import argparse

import numpy as np
import pytest

import engine
from engine.analysis import kernel_analysis
from engine.cli_analysis import add_analyse_parser, run_analyse


def analyse(capsys, *args):
    parser = argparse.ArgumentParser()
    add_analyse_parser(parser.add_subparsers(dest="command"))
    status = run_analyse(parser.parse_args(["analyse", *map(str, args)]))
    out = capsys.readouterr()
    return status, out.out, out.err


def test_preset_with_its_weight(capsys):
    status, out, _ = analyse(capsys, "--preset", "Box blur 3x3")
    preset = engine.get_preset("Box blur 3x3")
    assert status == 0 and out == kernel_analysis(preset.kernel, preset.weight).describe() + "\n"
    assert "= 1" in out and "low-pass" in out


def test_kernel_text_and_weight(capsys):
    status, out, _ = analyse(capsys, "--kernel=-1,0,1;-2,0,2;-1,0,1", "--weight", "0.5")
    assert status == 0 and "[1, 2, 1]^T x [-1, 0, 1]" in out and "weight 0.5" in out


def test_kernel_file_and_flip(capsys, tmp_path):
    path = tmp_path / "k.txt"
    path.write_text("# emboss\n-2 -1 0\n-1 1 1\n0 1 2\n")
    status, out, _ = analyse(capsys, "--kernel-file", path, "--flip")
    assert status == 0 and "turned 180 degrees" in out
    assert '"2,1,0;1,1,-1;0,-1,-2"' in out  # the flipped kernel is the one analysed
    assert "top left to bottom right" in out  # its response, like the unflipped one's, is along that diagonal


def test_response_out_saves_the_response(capsys, tmp_path):
    status, _, _ = analyse(capsys, "--preset", "Laplacian", "--response-out", tmp_path / "r.npy")
    assert status == 0
    expected = kernel_analysis(engine.get_preset("Laplacian").kernel).frequency.response
    np.testing.assert_array_equal(np.load(tmp_path / "r.npy"), expected)


@pytest.mark.parametrize("args, message", [
    (("--kernel", "1,2;3"), "rows have different lengths"),
    (("--kernel-file", "missing.txt"), "cannot be read"),
    (("--preset", "Nope"), "no preset called"),
    (("--preset", "Laplacian", "--response-out", "r.png"), "saved as .npy"),
])
def test_bad_input_is_one_line_and_status_1(capsys, tmp_path, monkeypatch, args, message):
    monkeypatch.chdir(tmp_path)
    status, out, err = analyse(capsys, *args)
    assert status == 1 and out == "" and err.count("\n") == 1 and message in err
