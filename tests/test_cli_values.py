"""The command line's values, run in-process through main.main: negative numbers typed the natural way,
fractions, one exit-code rule, PNG outputs mapped by the options, all outputs or none."""

import math
import os

import numpy as np
import pytest
from PIL import Image

import engine
import main
from engine.cli import options_from_args
from tests.engine import reference as ref


def run(capsys, *args):
    """(exit status, stderr) of ``python main.py apply ARGS``; argparse's exits give their status too."""
    try:
        status = main.main(["apply", *map(str, args)])
    except SystemExit as e:
        status = e.code
    err = capsys.readouterr().err
    return status, err


def parsed(*args):
    return options_from_args(main.build_parser().parse_args(["apply", "in.png", "--out", "o.npy", *args]))


@pytest.fixture
def image_file(tmp_path):
    image = np.random.default_rng(3).integers(0, 256, (10, 12)).astype(np.uint8)
    Image.fromarray(image).save(tmp_path / "in.png")
    return tmp_path / "in.png", image


@pytest.mark.parametrize("option, value, field, expected", [
    ("--kernel", "-1,0,1;-2,0,2;-1,0,1", "kernel", ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1))),
    ("--kernel", "-1/9,1/9;.5,-.5", "kernel", ((-1 / 9, 1 / 9), (0.5, -0.5))),
    ("--kernel", "-3", "kernel", ((-3,),)),
    ("--weight", "-1e-3", "weight", -0.001),
    ("--weight", "-1/16", "weight", -1 / 16),
    ("--weight", "-.5", "weight", -0.5),
    ("--offset", "-1e3", "offset", -1000.0),
    ("--offset", "-128", "offset", -128.0),
    ("--offset", "-1/3", "offset", -1 / 3),
])
def test_negative_values_work_with_a_space_exactly_like_with_an_equals_sign(option, value, field, expected):
    spaced, joined = parsed(option, value), parsed(f"{option}={value}")
    assert spaced == joined and getattr(spaced, field) == expected


@pytest.mark.parametrize("option, value, message", [
    ("--pool-size", "-1", "pool size must be between 1 and 16, not -1"),
    ("--pool-stride", "-2", "pool stride must be between 1 and 16, not -2"),
    ("--pool-size", "-1e0", "pool size must be between 1 and 16, not -1"),
])
def test_negative_sizes_reach_the_engine_and_get_its_message_either_way(capsys, image_file, tmp_path, option, value,
                                                                      message):
    for args in ([option, value], [f"{option}={value}"]):
        status, err = run(capsys, image_file[0], *args, "--out", tmp_path / "c.npy")
        assert status == 1 and message in err, err


def test_a_negative_first_kernel_value_runs_and_gives_the_reference_result(capsys, image_file, tmp_path):
    path, image = image_file
    status, err = run(capsys, path, "--kernel", "-1,0,1;-2,0,2;-1,0,1", "--weight", "-1/2", "--offset", "-1e1",
                      "--output-range", "raw", "--pool", "none", "--out", tmp_path / "c.npy")
    assert status == 0, err
    want = ref.convolve(image, [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]], -0.5, -10.0, "zero", "raw")
    assert ref.as_float_lists(np.load(tmp_path / "c.npy")) == want


@pytest.mark.parametrize("args, status", [
    (["--weight", "nan"], 1), (["--weight", "1e7"], 1), (["--weight", "1/0"], 1), (["--weight", "1_0"], 1),
    (["--offset", "-inf"], 1), (["--offset", "\u0661"], 1), (["--pool-size", "1.5"], 1), (["--pool-size", "0"], 1),
    (["--pool-size", "x"], 1), (["--pool-stride", "2.5"], 1), (["--pool-size", "99"], 1), (["--border", "mirror"], 1),
    (["--output-range", "wide"], 1), (["--pool", "sum"], 1), (["--kernel", "1,,2"], 1), (["--kernel", "1e7"], 1),
    (["--bogus"], 2), (["--weight"], 2), (["--kernel", "1", "--preset", "Sobel x"], 2), (["--lab=yes"], 2),
])
def test_one_exit_code_rule_2_for_a_malformed_command_line_1_for_refused_values(capsys, image_file, tmp_path,
                                                                              args, status):
    got, err = run(capsys, image_file[0], *args, "--out", tmp_path / "c.npy")
    assert got == status and len(err.strip().splitlines()) == 1, err
    assert not (tmp_path / "c.npy").exists()


def test_missing_input_or_out_is_a_malformed_command_line(capsys, tmp_path):
    assert run(capsys, "--out", tmp_path / "c.npy")[0] == 2
    assert run(capsys, tmp_path / "in.png")[0] == 2


def png(path):
    return np.asarray(Image.open(path)).tolist()


def test_avg_pooling_of_a_clamp_result_keeps_its_values_in_the_png(capsys, tmp_path):
    Image.fromarray(np.zeros((8, 8), np.uint8)).save(tmp_path / "black.png")
    status, err = run(capsys, tmp_path / "black.png", "--pool", "avg", "--out", tmp_path / "c.png",
                      "--pooled-out", tmp_path / "p.png")
    assert status == 0, err
    assert png(tmp_path / "p.png") == [[0] * 4] * 4 and png(tmp_path / "c.png") == [[0] * 8] * 8


def test_avg_pooled_clamp_values_are_rounded_halves_up(capsys, image_file, tmp_path):
    path, image = image_file
    status, err = run(capsys, path, "--kernel", "1", "--pool", "avg", "--out", tmp_path / "c.npy",
                      "--pooled-out", tmp_path / "p.png")
    assert status == 0, err
    pooled = ref.pool(ref.convolve(image, [[1]]), "avg", 2)
    assert png(tmp_path / "p.png") == [[math.floor(v + 0.5) for v in row] for row in pooled]


def test_raw_output_of_an_identity_kernel_is_scaled_as_the_readme_says(capsys, image_file, tmp_path):
    path, image = image_file
    status, err = run(capsys, path, "--kernel", "1", "--output-range", "raw", "--out", tmp_path / "c.png",
                      "--pooled-out", tmp_path / "p.png")
    assert status == 0, err
    conv = ref.convolve(image, [[1]], 1.0, 0.0, "zero", "raw")
    for name, values in (("c.png", conv), ("p.png", ref.pool(conv, "max", 2))):
        peak = max(abs(v) for row in values for v in row)
        assert png(tmp_path / name) == [[math.floor(128 + 127 * v / peak + 0.5) for v in row] for row in values]
    assert png(tmp_path / "c.png") != image.tolist()


def test_a_failing_second_output_leaves_neither_and_names_the_users_path(capsys, image_file, tmp_path, monkeypatch):
    # --pooled-out passes the early checks but cannot be written: a folder appears there after them
    import engine.cli
    checks = engine.cli._check_outputs

    def checks_then_a_folder_appears(args):
        checks(args)
        (tmp_path / "p.png").mkdir()
    monkeypatch.setattr(engine.cli, "_check_outputs", checks_then_a_folder_appears)
    status, err = run(capsys, image_file[0], "--out", tmp_path / "c.png", "--pooled-out", tmp_path / "p.png")
    assert status == 1 and str(tmp_path / "p.png") in err and ".tmp" not in err, err
    assert sorted(os.listdir(tmp_path)) == ["in.png", "p.png"] and (tmp_path / "p.png").is_dir()


def test_sizes_in_cli_messages_are_width_x_height(capsys, tmp_path):
    np.save(tmp_path / "wide.npy", np.zeros((1, 3), np.uint8))
    status, err = run(capsys, tmp_path / "wide.npy", "--pool-size", "2", "--out", tmp_path / "c.npy",
                      "--pooled-out", tmp_path / "p.npy")
    assert status == 1 and "the convolved image (3x1) is smaller than the 2x2 pooling window" in err


def test_the_parser_is_public_and_main_uses_it():
    assert isinstance(main.build_parser(), engine.cli.CommandLineParser)
