"""apply --pipeline: a pipeline file's layers from the command line, every layer saved with --save-layers,
against the plain-Python pipeline reference; single-layer options refused with --pipeline; bad files."""

import json

import numpy as np
import pytest
from PIL import Image

import engine
from main import main
from tests.engine import pipeline_reference as pref
from tests.engine import reference as ref
from tests.test_cli import ROOT, cli

PIPELINES = ROOT / "resources" / "pipelines"


@pytest.fixture(scope="module")
def picture(tmp_path_factory):
    folder = tmp_path_factory.mktemp("pipeline_cli")
    image = engine.load_image(engine.sample_path("ascent"))[300:322, 200:226]
    Image.fromarray(image).save(folder / "small.png")
    return folder / "small.png", image


def run(capsys, *args):
    status = main(["apply", *map(str, args)])
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_lenet_file_saves_every_layer_equal_to_the_reference(tmp_path, picture, capsys):
    path, image = picture
    status, out, err = run(capsys, path, "--pipeline", PIPELINES / "lenet-like.json", "--out", tmp_path / "o.npy",
                           "--save-layers", tmp_path / "layers" / "lenet")
    assert status == 0, err
    names = sorted(p.name for p in (tmp_path / "layers" / "lenet").iterdir())
    assert names == ["layer01_conv.npy", "layer02_relu.npy", "layer03_pool.npy", "layer04_conv.npy",
                     "layer05_relu.npy", "layer06_pool.npy"]
    lenet = engine.PIPELINE_PRESETS["LeNet-like"]
    k1, k2 = (np.array(layer.options.kernel) for layer in lenet.layers if layer.kind == "conv")
    want = pref.run(image, [("conv", k1, 1 / 64), ("relu",), ("pool", "max", 2),
                            ("conv", k2, 1 / 16, [-16.0, -16.0]), ("relu",), ("pool", "max", 2)])
    for name, expected in zip(names, want):
        saved = np.load(tmp_path / "layers" / "lenet" / name)
        assert saved.dtype == np.float32 and pref.as_lists(saved) == expected, name
    last = np.load(tmp_path / "o.npy")
    assert last.shape == (5, 6, 2) and pref.as_lists(last) == want[-1]
    assert "layer 01 conv 5x5x1x4: 26x22 x 4 channels float32" in out


def test_notebook_file_keeps_the_single_layer_dtypes(tmp_path, picture, capsys):
    path, image = picture
    status, _, err = run(capsys, path, "--pipeline", PIPELINES / "the-notebook.json", "--out", tmp_path / "o.npy",
                         "--save-layers", tmp_path)
    assert status == 0, err
    conv, pooled = np.load(tmp_path / "layer01_conv.npy"), np.load(tmp_path / "layer02_pool.npy")
    assert conv.dtype == pooled.dtype == np.uint8
    kernel = engine.PIPELINE_PRESETS["The notebook"].layers[0].options.kernel
    assert conv.tolist() == ref.convolve(image, kernel)
    assert pooled.tolist() == ref.pool(conv, "max", 2) == np.load(tmp_path / "o.npy").tolist()


def test_each_kind_stores_its_dtype(tmp_path, picture, capsys):
    path, _ = picture
    layers = [{"type": "conv", "kernel": [[1, 2], [3, 4]], "output_range": "clamp"}, {"type": "pool"},
              {"type": "pool", "op": "avg", "stride": 1}, {"type": "pool", "op": "min", "size": 1},
              {"type": "relu"}, {"type": "conv", "kernel": [[1]]}, {"type": "pool", "op": "max", "size": 1}]
    (tmp_path / "p.json").write_text(json.dumps({"layers": layers}))
    status, _, err = run(capsys, path, "--pipeline", tmp_path / "p.json", "--out", tmp_path / "o.npy",
                         "--save-layers", tmp_path / "l")
    assert status == 0, err
    dtypes = [np.load(p).dtype for p in sorted((tmp_path / "l").iterdir())]
    assert dtypes == [np.uint8, np.uint8, np.float32, np.float32, np.float32, np.float32, np.float32]


def test_colour_input_through_a_channel_mixing_pipeline(tmp_path, capsys):
    rgb = np.random.default_rng(4).integers(0, 256, (9, 11, 3), dtype=np.uint8)
    Image.fromarray(rgb).save(tmp_path / "c.png")
    kernel = np.random.default_rng(5).integers(-2, 3, (3, 3, 3, 2)).astype(float)
    pipeline = engine.Pipeline((engine.ConvLayer.make(kernel, stride=2), engine.ReluLayer()))
    engine.save_pipeline(pipeline, tmp_path / "p.json")
    status, _, err = run(capsys, tmp_path / "c.png", "--channels", "rgb", "--pipeline", tmp_path / "p.json",
                         "--out", tmp_path / "o.npy")
    assert status == 0, err
    want = pref.run(rgb, [("conv", kernel, 1.0, 0.0, "zero", "raw", (2, 2)), ("relu",)])[-1]
    assert pref.as_lists(np.load(tmp_path / "o.npy")) == want


def test_a_built_in_pipeline_by_name(tmp_path, picture, capsys):
    path, image = picture
    status, _, err = run(capsys, path, "--pipeline", "edges of edges", "--out", tmp_path / "o.npy")
    assert status == 0, err
    expected = engine.run_pipeline(image, engine.PIPELINE_PRESETS["Edges of edges"]).outputs[-1]
    assert np.array_equal(np.load(tmp_path / "o.npy"), expected)


@pytest.mark.parametrize("extra", [["--kernel", "1,0;0,1"], ["--preset", "Sobel x"], ["--pool", "none"],
                                   ["--pool-size", "3"], ["--border", "edge"], ["--lab"], ["--weight", "2"],
                                   ["--stride", "2"], ["--output-range", "raw"], ["--pooled-out", "p.npy"]])
def test_single_layer_options_are_refused_with_a_pipeline(tmp_path, picture, capsys, extra):
    path, _ = picture
    status, _, err = run(capsys, path, "--pipeline", PIPELINES / "the-notebook.json", *extra, "--out",
                         tmp_path / "o.npy")
    assert status == 2
    assert err.startswith(f"kernelscope: error: --pipeline runs the layers of its file, so {extra[0]} cannot")
    assert err.count("\n") == 1 and not (tmp_path / "o.npy").exists()


def test_save_layers_needs_a_pipeline(tmp_path, picture, capsys):
    status, _, err = run(capsys, picture[0], "--save-layers", tmp_path / "l", "--out", tmp_path / "o.npy")
    assert status == 2 and "--save-layers needs --pipeline" in err
    assert not (tmp_path / "l").exists()


@pytest.mark.parametrize("content, message", [
    ('{"layers": [{"type": "relu"}, {"type": "conv", "kernel": [[1, "x"]]}]}',
     r"layer 2 \(conv\): kernel: every kernel entry must be a number"),
    ('{"layers": [{"type": "pool", "size": 40}]}', r"layer 1 \(pool\): size: must be a whole number from 1 to 16"),
    ('{"layers": [{"type": "pool"}, {"type": "pool", "size": 16}]}',
     r"layer 2 \(max pool 16\): its input \(13x11\) is smaller than the 16x16 pooling window"),
    ('{"layers": []}', "has no layers"),
    ("{oops", "not valid JSON"),
])
def test_bad_pipeline_files_give_one_line_and_write_nothing(tmp_path, picture, capsys, content, message):
    (tmp_path / "p.json").write_text(content)
    status, _, err = run(capsys, picture[0], "--pipeline", tmp_path / "p.json", "--out", tmp_path / "o.npy",
                         "--save-layers", tmp_path / "l")
    assert status == 1 and err.count("\n") == 1
    assert err.startswith("kernelscope: error: ") and __import__("re").search(message, err), err
    assert not (tmp_path / "o.npy").exists() and not (tmp_path / "l").exists()


def test_unknown_pipeline_names_the_built_ins(tmp_path, picture, capsys):
    status, _, err = run(capsys, picture[0], "--pipeline", "nope.json", "--out", tmp_path / "o.npy")
    assert status == 1 and "nope.json: no such file (built-in pipelines: 'The notebook'" in err


def test_save_layers_onto_a_file_is_refused(tmp_path, picture, capsys):
    (tmp_path / "f").write_text("x")
    status, _, err = run(capsys, picture[0], "--pipeline", "LeNet-like", "--out", tmp_path / "o.npy",
                         "--save-layers", tmp_path / "f")
    assert status == 1 and "needs a folder" in err


def test_the_command_as_users_run_it(tmp_path, picture):
    result = cli("apply", picture[0], "--pipeline", PIPELINES / "edges-of-edges.json", "--out", tmp_path / "o.png")
    assert result.returncode == 0, result.stderr
    assert "last layer -> " in result.stdout and Image.open(tmp_path / "o.png").mode == "L"
