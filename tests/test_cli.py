import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

import engine
from tests.engine import reference as ref

ROOT = Path(__file__).resolve().parent.parent
ASCENT = str(ROOT / "resources" / "images" / "ascent.png")


def cli(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, str(ROOT / "main.py"), *map(str, args)], capture_output=True, text=True,
                          cwd=cwd or ROOT, env=env, timeout=120)


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
    (["{small}", "--weight", "nan"], "not a finite number"),
    (["{small}", "--weight", "inf"], "not a finite number"),
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
