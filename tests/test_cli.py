"""The command line as users run it (python main.py), results against the reference loops. Most tests run
main.main in this interpreter, which is what the process runs; test_in_this_interpreter_as_in_a_process pins
that both give the same exit status and output."""

import contextlib
import io
import os
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import engine
import main
from tests.engine import reference as ref

ROOT = Path(__file__).resolve().parent.parent
ASCENT = str(ROOT / "resources" / "images" / "ascent.png")
HELP_COLUMNS = "80"  # argparse wraps help to the terminal's width: one width for every run


def cli_process(*args, cwd=None):
    """``python main.py ARGS`` in a subprocess, as a user runs it."""
    env = dict(os.environ, PYTHONPATH=str(ROOT), COLUMNS=HELP_COLUMNS)
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=120)


def _print_warning(message, category, filename, lineno, file=None, line=None):
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def cli(*args, cwd=None):
    """``python main.py ARGS`` run by main.main in this interpreter, in ``cwd``: its exit status, stdout and
    stderr (warnings included, as the process prints them) as a finished process."""
    out, err = io.StringIO(), io.StringIO()
    here, columns = os.getcwd(), os.environ.get("COLUMNS")
    os.chdir(cwd or ROOT)
    os.environ["COLUMNS"] = HELP_COLUMNS
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings():
            warnings.simplefilter("default")
            warnings.showwarning = _print_warning
            try:
                status = main.main([str(a) for a in args])
            except SystemExit as e:  # argparse's exits, and a sys.exit("message") prints it and gives 1
                status = e.code if isinstance(e.code, int) or e.code is None else 1
                if isinstance(e.code, str):
                    print(e.code, file=sys.stderr)
    finally:
        os.chdir(here)
        if columns is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = columns
    return subprocess.CompletedProcess(args, status or 0, out.getvalue(), err.getvalue())


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cli")
    image = engine.load_image(ASCENT)[200:230, 100:126]
    Image.fromarray(image).save(folder / "small.png")
    return folder / "small.png", image


def test_help_lists_the_apply_options():
    out = cli("--help")
    assert out.returncode == 0
    for flag in ("--kernel", "--preset", "--weight", "--offset", "--lab", "--border", "--output-range", "--pool",
                 "--pool-size", "--pool-stride", "--out", "--pooled-out", "--screenshot"):
        assert flag in out.stdout


def test_apply_writes_exact_values_to_npy(tmp_path, small):
    path, image = small
    out = cli("apply", path, "--kernel", "0.5,-1,0;2,1,0;0,0,0.25", "--weight", "0.3", "--offset", "7",
              "--border", "reflect", "--output-range", "raw", "--pool", "avg", "--pool-size", "3",
              "--pool-stride", "2", "--out", tmp_path / "c.npy", "--pooled-out", tmp_path / "p.npy")
    assert out.returncode == 0, out.stderr
    kernel = [[0.5, -1, 0], [2, 1, 0], [0, 0, 0.25]]
    conv = ref.convolve(image, kernel, 0.3, 7.0, "reflect", "raw")
    assert ref.as_float_lists(np.load(tmp_path / "c.npy")) == conv
    assert ref.as_float_lists(np.load(tmp_path / "p.npy")) == ref.pool(conv, "avg", 3, 2)


def test_apply_with_a_preset_in_lab_mode_writes_pngs(tmp_path, small):
    path, image = small
    out = cli("apply", path, "--preset", "Notebook: 'vertical lines'", "--lab", "--out", tmp_path / "c.png",
              "--pooled-out", tmp_path / "p.png")
    assert out.returncode == 0, out.stderr
    conv = ref.lab_convolve(image, engine.get_preset("Notebook: 'vertical lines'").kernel, 1)
    assert np.asarray(Image.open(tmp_path / "c.png")).tolist() == conv
    assert np.asarray(Image.open(tmp_path / "p.png")).tolist() == ref.lab_pool(conv)


def test_apply_accepts_npy_input_as_is(tmp_path):
    data = np.array([[1.5, -2.0, 3.0], [0.0, 10.0, -4.5]])
    np.save(tmp_path / "in.npy", data)
    out = cli("apply", tmp_path / "in.npy", "--kernel", "1", "--output-range", "raw", "--pool", "none",
              "--out", tmp_path / "o.npy")
    assert out.returncode == 0, out.stderr
    assert np.load(tmp_path / "o.npy").tolist() == data.astype(np.float32).tolist()


@pytest.mark.parametrize("args, message", [
    (["missing.png"], "no such file"),
    (["{bad}"], "not an image"),
    (["{small}", "--kernel", "1,2;3"], "different lengths"),
    (["{small}", "--kernel", ";".join([",".join(["1"] * 16)] * 16)], "16x16"),
    (["{small}", "--weight", "nan"], "'nan' is not a number"),
    (["{small}", "--weight", "inf"], "'inf' is not a number"),
    (["{small}", "--preset", "unicorn"], "no preset"),
    (["{empty}"], "empty"),
    (["{small}", "--lab", "--kernel", "1,2;3,4"], "3x3"),
    (["{small}", "--pool-size", "0"], "pool size"),
])
def test_bad_input_exits_nonzero_with_one_line_and_writes_nothing(tmp_path, small, args, message):
    (tmp_path / "bad.png").write_text("not a picture")
    np.save(tmp_path / "empty.npy", np.zeros((0, 3)))
    args = [a.format(small=small[0], bad=tmp_path / "bad.png", empty=tmp_path / "empty.npy") for a in args]
    out = cli("apply", *args, "--out", tmp_path / "out.png", "--pooled-out", tmp_path / "pool.npy", cwd=tmp_path)
    assert out.returncode != 0
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in out.stderr, out.stderr
    assert not (tmp_path / "out.png").exists() and not (tmp_path / "pool.npy").exists()
    assert not [p for p in os.listdir(tmp_path) if p.endswith(".tmp")]


def test_unsupported_output_suffix_is_refused_before_any_work(tmp_path, small):
    out = cli("apply", small[0], "--out", tmp_path / "c.gif")
    assert out.returncode == 1 and "outputs are .npy" in out.stderr and not (tmp_path / "c.gif").exists()


def run_ok(tmp_path, *args):
    out = cli("apply", *args, cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert out.stderr == "" and len(out.stdout.strip().splitlines()) == 1
    return out


@pytest.mark.parametrize("args, kernel, weight, offset, border, output_range, pool", [
    (["--kernel", "1,2,1;0,0,0;-1,-2,-1"], [[1, 2, 1], [0, 0, 0], [-1, -2, -1]], 1.0, 0.0, "zero", "clamp",
     ("max", 2, None)),
    (["--preset", "Box blur 3x3", "--border", "edge", "--pool", "min", "--pool-size", "3"],
     engine.get_preset("Box blur 3x3").kernel, 1 / 9, 0.0, "edge", "clamp", ("min", 3, None)),
    (["--preset", "emboss-(gray-offset)", "--border", "symmetric", "--pool", "avg", "--pool-stride", "1"],
     engine.get_preset("Emboss (gray offset)").kernel, 1.0, 128.0, "symmetric", "clamp", ("avg", 2, 1)),
    (["--preset", "Sobel x", "--weight", "0.7", "--offset", "-20.5", "--border", "wrap", "--output-range", "raw",
      "--pool", "max", "--pool-size", "3", "--pool-stride", "2"],
     engine.get_preset("Sobel x").kernel, 0.7, -20.5, "wrap", "raw", ("max", 3, 2)),
    (["--kernel", "0.1 0.2;1e-1 -0.3;0.5 1", "--border", "valid", "--weight", "3", "--pool", "none"],
     [[0.1, 0.2], [0.1, -0.3], [0.5, 1]], 3.0, 0.0, "valid", "clamp", None),
    (["--kernel", "1,1,1,1,1,1,1,1,1,1,1,1,1,1,1", "--border", "reflect", "--weight", "0.0625",
      "--output-range", "raw"], [[1] * 15], 0.0625, 0.0, "reflect", "raw", ("max", 2, None)),
])
def test_apply_writes_exactly_the_reference_values(tmp_path, small, args, kernel, weight, offset, border,
                                                   output_range, pool):
    path, image = small
    extra = ["--pooled-out", tmp_path / "p.npy"] if pool else []
    run_ok(tmp_path, path, *args, "--out", tmp_path / "c.npy", *extra)
    conv = ref.convolve(image, kernel, weight, offset, border, output_range)
    got = np.load(tmp_path / "c.npy")
    assert got.dtype == (np.uint8 if output_range == "clamp" else np.float32)
    assert ref.as_float_lists(got) == conv
    if pool:
        assert ref.as_float_lists(np.load(tmp_path / "p.npy")) == ref.pool(conv, *pool)
    else:
        assert not (tmp_path / "p.npy").exists()
    assert sorted(os.listdir(tmp_path)) == (["c.npy", "p.npy"] if pool else ["c.npy"])  # no temp files left


def test_apply_defaults_to_the_notebooks_active_filter_and_2x2_max_pooling(tmp_path, small):
    path, image = small
    run_ok(tmp_path, path, "--out", tmp_path / "c.npy", "--pooled-out", tmp_path / "p.npy")
    kernel = [[-1, -2, -1], [0, 0, 0], [1, 2, 1]]
    conv = ref.convolve(image, kernel)
    assert ref.as_float_lists(np.load(tmp_path / "c.npy")) == conv
    assert ref.as_float_lists(np.load(tmp_path / "p.npy")) == ref.pool(conv, "max", 2)


def test_apply_in_lab_mode_with_a_weight_writes_the_notebooks_values(tmp_path, small):
    path, image = small
    run_ok(tmp_path, path, "--lab", "--kernel", "1,1,1;1,2,1;1,1,1", "--weight", "0.1", "--out", tmp_path / "c.npy",
           "--pooled-out", tmp_path / "p.npy")
    conv = ref.lab_convolve(image, [[1, 1, 1], [1, 2, 1], [1, 1, 1]], 0.1)
    assert np.load(tmp_path / "c.npy").tolist() == conv
    assert np.load(tmp_path / "p.npy").tolist() == ref.lab_pool(conv)


def test_raw_png_output_maps_zero_to_gray_128_and_the_largest_magnitude_to_0_or_255(tmp_path, small):
    path, image = small
    run_ok(tmp_path, path, "--preset", "Sobel y", "--output-range", "raw", "--pool", "none", "--out",
           tmp_path / "c.png")
    conv = ref.convolve(image, engine.get_preset("Sobel y").kernel, 1.0, 0.0, "zero", "raw")
    peak = max(abs(v) for row in conv for v in row)
    want = [[min(max(round(128 + 127 * (v / peak)), 0), 255) for v in row] for row in conv]
    assert np.asarray(Image.open(tmp_path / "c.png")).tolist() == want


def test_colour_input_is_converted_with_bt601_luma_before_convolving(tmp_path):
    rgb = np.random.default_rng(4).integers(0, 256, (6, 8, 3)).astype(np.uint8)
    Image.fromarray(rgb).save(tmp_path / "colour.png")
    run_ok(tmp_path, tmp_path / "colour.png", "--kernel", "1", "--pool", "none", "--out", tmp_path / "c.npy")
    want = np.array([[round(0.299 * r + 0.587 * g + 0.114 * b) for r, g, b in row] for row in rgb.tolist()])
    assert np.abs(np.load(tmp_path / "c.npy").astype(int) - want).max() <= 1


def test_paths_with_spaces_and_non_ascii_characters_work(tmp_path, small):
    folder = tmp_path / "mes images é 階段"
    folder.mkdir()
    Image.open(small[0]).save(folder / "entrée 1.png")
    run_ok(tmp_path, folder / "entrée 1.png", "--out", folder / "sortie ü.npy")
    assert np.load(folder / "sortie ü.npy").shape == small[1].shape


def test_help_of_apply_describes_every_option_and_the_conversion_rules():
    out = cli("apply", "--help")
    assert out.returncode == 0
    text = " ".join(out.stdout.split())
    for words in ("--kernel", "--preset", "--weight", "--offset", "--lab", "--border", "--output-range",
                  "--pool-size", "--pool-stride", "--out", "--pooled-out", "BT.601", "zero", "edge", "reflect",
                  "symmetric", "wrap", "valid", "Notebook: edges"):
        assert words in text, words


BAD = {
    "missing file": (["{dir}/missing.png"], "no such file"),
    "empty file": (["{empty_file}"], "empty"),
    "truncated png": (["{truncated}"], "truncated or corrupt"),
    "text renamed .png": (["{text}"], "not an image"),
    "gif": (["{gif}"], "GIF images are not supported"),
    "bomb": (["{bomb}"], "cannot downscale"),
    "too large without --downscale": (["{large}"], "add --downscale"),
    "empty npy": (["{empty_npy}"], "empty"),
    "3-D npy of 5 channels": (["{cube}"], "3 dimension"),
    "malformed kernel": (["{small}", "--kernel", "1,2;3,x"], "not a number"),
    "ragged kernel": (["{small}", "--kernel", "1,2;3"], "different lengths"),
    "16x16 kernel": (["{small}", "--kernel", ";".join([",".join(["1"] * 16)] * 16)], "16x16"),
    "1x16 kernel": (["{small}", "--kernel", ",".join(["1"] * 16)], "1x16"),
    "nan weight": (["{small}", "--weight", "nan"], "--weight: 'nan' is not a number"),
    "inf weight": (["{small}", "--weight=-inf"], "--weight: '-inf' is not a number"),
    "inf offset": (["{small}", "--offset", "inf"], "--offset: 'inf' is not a number"),
    "huge weight": (["{small}", "--weight", "1e7"], "between"),
    "unknown preset": (["{small}", "--preset", "unicorn"], "no preset"),
    "unknown border": (["{small}", "--border", "mirror"], "--border: must be one of zero, edge"),
    "lab non-3x3": (["{small}", "--lab", "--kernel", "1,2;3,4"], "3x3"),
    "lab odd size": (["{odd}", "--lab"], "odd sizes"),
    "lab with border": (["{small}", "--lab", "--border", "wrap"], "lab mode cannot use a border mode"),
    "lab with offset": (["{small}", "--lab", "--offset", "50"], "lab mode cannot use an offset (offset 50)"),
    "lab with raw output": (["{small}", "--lab", "--output-range", "raw"], "lab mode cannot use raw output"),
    "lab with a preset's offset": (["{small}", "--lab", "--preset", "Emboss (gray offset)"], "offset 128"),
    "lab with avg pooling": (["{small}", "--lab", "--pool", "avg"], "lab mode pools the way the notebook does"),
    "pooled-out is a folder": (["{small}", "--pooled-out", "{dir}"], "is a folder"),
    "same file twice": (["{small}", "--out", "{dir}/x.npy", "--pooled-out", "{dir}/x.npy"], "the same file"),
    "valid smaller than kernel": (["{tiny}", "--border", "valid", "--kernel", "1,1,1;1,1,1;1,1,1"], "smaller than"),
    "pool larger than image": (["{tiny}", "--pool-size", "3"], "nothing to pool"),
    "bad pool size": (["{small}", "--pool-size", "0"], "pool size"),
    "missing folder": (["{small}", "--out", "{dir}/no/such/c.npy"], "does not exist"),
}


@pytest.fixture
def bad_files(tmp_path, small):
    png = Image.open(small[0])
    png.save(tmp_path / "good.png")
    data = (tmp_path / "good.png").read_bytes()
    (tmp_path / "truncated.png").write_bytes(data[: len(data) // 2])
    (tmp_path / "empty.png").write_bytes(b"")
    (tmp_path / "text.png").write_text("just some text")
    png.save(tmp_path / "anim.gif")
    from tests.engine.test_images import _png_declaring
    (tmp_path / "bomb.png").write_bytes(_png_declaring(50000, 50000))
    (tmp_path / "large.png").write_bytes(_png_declaring(9000, 9000))
    np.save(tmp_path / "empty.npy", np.zeros((0, 3)))
    np.save(tmp_path / "cube.npy", np.zeros((2, 2, 5)))
    np.save(tmp_path / "odd.npy", np.zeros((5, 6), np.uint8))
    np.save(tmp_path / "tiny.npy", np.ones((2, 2), np.uint8))
    return dict(dir=tmp_path, small=small[0], empty_file=tmp_path / "empty.png", truncated=tmp_path / "truncated.png",
                text=tmp_path / "text.png", gif=tmp_path / "anim.gif", bomb=tmp_path / "bomb.png",
                empty_npy=tmp_path / "empty.npy", cube=tmp_path / "cube.npy", odd=tmp_path / "odd.npy",
                tiny=tmp_path / "tiny.npy", large=tmp_path / "large.png")


@pytest.mark.parametrize("case", BAD)
def test_bad_input_exits_nonzero_with_exactly_one_line_and_writes_no_file(tmp_path, bad_files, case):
    args, message = BAD[case]
    args = [a.format(**bad_files) for a in args]
    before = set(os.listdir(tmp_path))
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out.npy")]
    if "--pooled-out" not in args:
        args += ["--pooled-out", str(tmp_path / "pool.png")]
    out = cli("apply", *args, cwd=tmp_path)
    assert out.returncode != 0
    lines = out.stderr.splitlines()
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in out.stderr, out.stderr
    assert out.stdout == ""
    assert set(os.listdir(tmp_path)) == before  # no output, no partial output, no temp file


def test_a_failing_second_output_leaves_no_files_behind_when_caught_early(tmp_path, small):
    out = cli("apply", small[0], "--out", tmp_path / "c.npy", "--pooled-out", tmp_path / "p.gif")
    assert out.returncode == 1 and len(out.stderr.splitlines()) == 1 and os.listdir(tmp_path) == []


@pytest.mark.parametrize("args", [
    ["--help"],
    ["apply", "{small}", "--preset", "Sobel x", "--out", "{dir}/c.npy", "--pooled-out", "{dir}/p.png"],
    ["apply", "{small}", "--kernel"],
    ["apply", "{small}", "--weight", "nan", "--out", "{dir}/c.npy"],
    ["export-code", "--to", "numpy", "--preset", "Sobel x", "--out", "-"],
    ["analyse", "Sobel x"],
])
def test_in_this_interpreter_as_in_a_process(tmp_path, small, args):
    args = [a.format(small=small[0], dir=tmp_path) for a in args]
    process = cli_process(*args, cwd=tmp_path)
    here = cli(*args, cwd=tmp_path)
    def timing(text):
        return re.sub(r"\(\d+ ms\)", "(N ms)", text)
    assert (here.returncode, timing(here.stdout), here.stderr) == (process.returncode, timing(process.stdout),
                                                                  process.stderr)
