"""``python main.py export-code``: apply's options written as a script, run as users run it."""

import subprocess
import sys

import numpy as np
import pytest

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
