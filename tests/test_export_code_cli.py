"""``python main.py export-code``: apply's options written as a script, run as users run it."""

import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from tests.test_cli import ASCENT, cli

APPLY_ONLY = {"INPUT", "--out", "--pooled-out", "--downscale", "-h", "--pipeline", "--save-layers"}


def _flags(help_text):
    return {word.strip("[],") for word in help_text.split() if word.startswith("--")}


def test_export_code_takes_every_option_of_apply_but_the_files():
    apply, export = cli("apply", "--help").stdout, cli("export-code", "--help").stdout
    wanted = _flags(apply) - APPLY_ONLY
    assert wanted and wanted <= _flags(export)
    assert "--pooled-out" not in export and "--downscale" not in export and "--to" in export


@pytest.mark.parametrize("args", [
    ["--kernel", "1/9,1/9;-1,0.5", "--weight", "0.3", "--offset", "-1e1", "--border", "symmetric",
     "--output-range", "raw", "--pool", "avg", "--pool-size", "3", "--pool-stride", "2"],
    ["--preset", "Notebook: 'vertical lines'", "--lab"],
    ["--preset", "Sobel x", "--border", "wrap", "--pool", "min"],
])
def test_the_numpy_script_gives_what_apply_gives(tmp_path, args):
    out = cli("export-code", "--to", "numpy", *args, "--out", tmp_path / "kernel.py")
    assert out.returncode == 0, out.stderr
    assert "python" in out.stdout and "kernel.py" in out.stdout
    applied = cli("apply", ASCENT, *args, "--out", tmp_path / "a.npy", "--pooled-out", tmp_path / "ap.npy")
    assert applied.returncode == 0, applied.stderr
    run = subprocess.run([sys.executable, tmp_path / "kernel.py", ASCENT, tmp_path / "s.npy", tmp_path / "sp.npy"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for mine, theirs in (("s.npy", "a.npy"), ("sp.npy", "ap.npy")):
        a, b = np.load(tmp_path / mine), np.load(tmp_path / theirs)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes()


def test_dash_prints_the_script():
    out = cli("export-code", "--to", "keras", "--preset", "Sharpen", "--out", "-")
    assert out.returncode == 0 and "tf.nn.conv2d" in out.stdout
    compile(out.stdout, "keras.py", "exec")


@pytest.mark.parametrize("args, status, message", [
    (["--out", "x.py"], 2, "--to"),
    (["--to", "numpy"], 2, "--out"),
    (["--to", "jax", "--out", "x.py"], 1, "numpy, pytorch, keras"),
    (["--to", "numpy", "--weight", "nan", "--out", "x.py"], 1, "--weight"),
    (["--to", "numpy", "--lab", "--border", "edge", "--out", "x.py"], 1, "lab mode"),
    (["--to", "numpy", "--kernel", "1", "--preset", "Sharpen", "--out", "x.py"], 2, "--preset"),
    (["--to", "numpy", "--out", "missing/x.py"], 1, "does not exist"),
])
def test_bad_command_lines_say_why_and_write_nothing(tmp_path, args, status, message):
    out = cli("export-code", *args, cwd=tmp_path)
    assert out.returncode == status
    assert message in out.stderr and len(out.stderr.strip().splitlines()) == 1
    assert list(tmp_path.iterdir()) == []


@pytest.fixture
def photo(tmp_path):
    rgb = np.random.default_rng(8).integers(0, 256, (14, 11, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "photo.png")
    bank = np.random.default_rng(9).choice([-1, 0.5, 1 / 3, 2, 0], size=(3, 2, 3, 2))
    np.save(tmp_path / "bank.npy", bank)
    return tmp_path


@pytest.mark.parametrize("layer", [
    ["--kernel-file", "{bank}", "--offset", "1.5,-2", "--stride", "2", "--dilation", "1,2", "--border", "reflect",
     "--output-range", "relu", "--pool", "avg"],
    ["--preset", "Sobel x", "--stride", "2,3", "--border", "valid", "--output-range", "raw", "--pool", "min"],
    ["--kernel", "1,-1;2,0.5", "--offset", "1,2,3", "--dilation", "2", "--border", "wrap"],
])
def test_the_numpy_layer_script_gives_what_apply_gives_on_a_colour_picture(photo, layer):
    args = [word.replace("{bank}", str(photo / "bank.npy")) for word in layer] + ["--channels", "rgb"]
    out = cli("export-code", "--to", "numpy", *args, "--out", photo / "layer.py")
    assert out.returncode == 0, out.stderr
    applied = cli("apply", photo / "photo.png", *args, "--out", photo / "a.npy", "--pooled-out", photo / "ap.npy")
    assert applied.returncode == 0, applied.stderr
    run = subprocess.run([sys.executable, photo / "layer.py", photo / "photo.png", photo / "s.npy", photo / "sp.npy"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    for mine, theirs in (("s.npy", "a.npy"), ("sp.npy", "ap.npy")):
        a, b = np.load(photo / mine), np.load(photo / theirs)
        assert a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes()
    assert np.load(photo / "s.npy").ndim == 3


@pytest.mark.parametrize("args, message", [
    (["--channels", "cmyk"], "--channels: must be one of gray, rgb"),
    (["--lab", "--channels", "rgb"], "lab mode runs the notebook's loop on one gray image"),
    (["--stride", "9"], "stride must be between 1 and 8"),
])
def test_refused_layer_options_say_why_and_write_nothing(tmp_path, args, message):
    out = cli("export-code", "--to", "pytorch", *args, "--out", "x.py", cwd=tmp_path)
    assert out.returncode == 1 and message in out.stderr, out.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("pipeline", ["resources/pipelines/lenet-like.json", "Edges of edges"])
def test_the_numpy_pipeline_script_gives_what_apply_pipeline_gives_layer_by_layer(tmp_path, pipeline):
    out = cli("export-code", "--to", "numpy", "--pipeline", pipeline, "--out", tmp_path / "stack.py")
    assert out.returncode == 0, out.stderr
    assert "--save-layers DIR" in out.stdout
    applied = cli("apply", ASCENT, "--pipeline", pipeline, "--out", tmp_path / "a.npy", "--save-layers", tmp_path / "A")
    assert applied.returncode == 0, applied.stderr
    run = subprocess.run([sys.executable, tmp_path / "stack.py", ASCENT, tmp_path / "s.npy", "--save-layers",
                          tmp_path / "S"], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    names = sorted(p.name for p in (tmp_path / "A").iterdir())
    assert names == sorted(p.name for p in (tmp_path / "S").iterdir()) and len(names) >= 3
    for mine, theirs in [(tmp_path / "s.npy", tmp_path / "a.npy")] + [(tmp_path / "S" / n, tmp_path / "A" / n)
                                                                      for n in names]:
        a, b = np.load(mine), np.load(theirs)
        assert a.shape == b.shape and a.dtype == b.dtype and a.tobytes() == b.tobytes(), mine.name


@pytest.mark.parametrize("args, status, message", [
    (["--pipeline", "Edges of edges", "--kernel", "1"], 2, "--kernel cannot be given with it"),
    (["--pipeline", "missing.json"], 1, "no such file"),
    (["--pipeline", "Edges of edges", "--channels", "cmyk"], 1, "--channels"),
])
def test_refused_pipeline_exports_say_why_and_write_nothing(tmp_path, args, status, message):
    out = cli("export-code", "--to", "keras", *args, "--out", "x.py", cwd=tmp_path)
    assert out.returncode == status and message in out.stderr, out.stderr
    assert len(out.stderr.strip().splitlines()) == 1 and list(tmp_path.iterdir()) == []
