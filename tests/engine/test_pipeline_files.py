"""Pipeline files: the JSON of issue 15 with its defaults, round trips, one clear message naming the layer
and the key for every bad file, and pipelines in sessions (older sessions still load)."""

import json

import numpy as np
import pytest

import engine

SOBEL = [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]


def test_the_issues_example_reads_with_its_defaults():
    data = {"layers": [{"type": "conv", "kernel": SOBEL}, {"type": "relu"}, {"type": "pool"},
                       {"type": "conv", "kernel": SOBEL, "weight": 0.5, "offset": 3, "stride": [1, 2],
                        "dilation": 2, "border": "edge", "output_range": "clamp"},
                       {"type": "pool", "op": "avg", "size": 3}]}
    pipeline = engine.pipeline_from_dict(data)
    conv, relu, pool, conv2, avg = pipeline.layers
    assert conv.options == engine.JobOptions(kernel=SOBEL, output_range="raw", pool=None)
    assert relu == engine.ReluLayer()
    assert pool.pool.op == "max" and pool.pool.size == 2 and pool.pool.step == 2
    assert conv2.options == engine.JobOptions(kernel=SOBEL, weight=0.5, offset=3, stride=(1, 2), dilation=2,
                                              border="edge", output_range="clamp", pool=None)
    assert (avg.pool.op, avg.pool.size, avg.pool.step) == ("avg", 3, 3)


def random_pipeline(seed):
    rng = np.random.default_rng(seed)
    return engine.Pipeline((
        engine.ConvLayer.make(rng.normal(size=(3, 2, 1, 3)), weight=float(rng.normal()),
                              offset=list(rng.normal(size=3)), stride=(1, 2), dilation=2, border="symmetric"),
        engine.ReluLayer(),
        engine.PoolLayer(engine.PoolOptions("min", 3, 1)),
        engine.ConvLayer.make(rng.integers(-3, 4, (5, 5)), flip=True, output_range="clamp"),
        engine.ConvLayer(engine.JobOptions(lab=True, pool=None, kernel=np.ones((3, 3)) / 9)),
        engine.PoolLayer(engine.PoolOptions("max", 2, 2)),
    ))


@pytest.mark.parametrize("pipeline", [*engine.PIPELINE_PRESETS.values(), random_pipeline(1), random_pipeline(2),
                                      engine.Pipeline()])
def test_pipelines_round_trip_through_files(tmp_path, pipeline):
    engine.save_pipeline(pipeline, tmp_path / "p.json")
    assert engine.load_pipeline(tmp_path / "p.json") == pipeline
    assert engine.pipeline_from_dict(json.loads(json.dumps(engine.pipeline_to_dict(pipeline)))) == pipeline


def test_saved_files_are_readable_json_with_whole_numbers(tmp_path):
    engine.save_pipeline(engine.PIPELINE_PRESETS["Edges of edges"], tmp_path / "p.json")
    text = (tmp_path / "p.json").read_text()
    assert '[-1, 0, 1]' in text and '"output_range": "raw"' in text
    assert json.loads(text)["layers"][1] == {"type": "relu"}


def conv(**changes):
    return {"type": "conv", "kernel": SOBEL, **changes}


@pytest.mark.parametrize("layers, message", [
    ([conv(), {"kind": "relu"}], "layer 2: type: is missing"),
    ([{"type": "softmax"}], 'layer 1: type: must be conv, relu or pool, not "softmax"'),
    (["relu"], "layer 1: type: each layer must be an object"),
    ([{"type": "conv"}], r"layer 1 \(conv\): kernel: is missing"),
    ([conv(kernel="sobel")], r"layer 1 \(conv\): kernel: must be a list of rows"),
    ([conv(kernel=[[1, 2], [3]])], r"layer 1 \(conv\): kernel: .*different lengths"),
    ([conv(kernel=[[1, "2"]])], r"layer 1 \(conv\): kernel: every kernel entry must be a number"),
    ([conv(kernel=[[1, True]])], r"layer 1 \(conv\): kernel: every kernel entry must be a finite number"),
    ([conv(kernel=[[[1]]])], r"layer 1 \(conv\): kernel: the kernel has 3 dimension"),
    ([conv(kernel=np.ones((16, 3)).tolist())], r"layer 1 \(conv\): kernel: the kernel is 16x3"),
    ([conv(kernel=np.ones((3, 3, 1, 9)).tolist())], r"layer 1 \(conv\): kernel: .*9 output channels"),
    ([{"type": "relu"}, conv(weight="2")], r"layer 2 \(conv\): weight: the weight must be a number"),
    ([conv(weight=1e7)], r"layer 1 \(conv\): weight: .*between -1e6 and 1e6"),
    ([conv(weight=None)], r"layer 1 \(conv\): weight: the weight must be a number"),
    ([conv(offset=[1, "x"])], r"layer 1 \(conv\): offset: every offset must be a number"),
    ([conv(kernel=np.ones((3, 3, 1, 2)).tolist(), offset=[1, 2, 3])], r"layer 1 \(conv\): offset: .*2 output"),
    ([conv(stride=0)], r"layer 1 \(conv\): stride: .*between 1 and 8, not 0"),
    ([conv(stride=[1, 2, 3])], r"layer 1 \(conv\): stride: must be one whole number or two"),
    ([conv(dilation=1.5)], r"layer 1 \(conv\): dilation: .*whole numbers, not 1.5"),
    ([conv(border="mirror")], r'layer 1 \(conv\): border: must be one of zero, .*not "mirror"'),
    ([conv(output_range="sigmoid")], r'layer 1 \(conv\): output_range: must be one of clamp, raw, relu'),
    ([conv(flip="yes")], r'layer 1 \(conv\): flip: must be true or false, not "yes"'),
    ([conv(lab=True)], r"layer 1 \(conv\): lab: lab mode cannot use raw output"),
    ([conv(pool={"op": "max"})], r"layer 1 \(conv\): pool: is not a key of a conv layer"),
    ([{"type": "relu", "size": 2}], r"layer 1 \(relu\): size: is not a key of a relu layer"),
    ([{"type": "pool", "op": "median"}], r'layer 1 \(pool\): op: must be one of max, avg, min, not "median"'),
    ([{"type": "pool", "size": 0}], r"layer 1 \(pool\): size: must be a whole number from 1 to 16, not 0"),
    ([{"type": "pool", "size": 2.0}], r"layer 1 \(pool\): size: .*not 2.0"),
    ([{"type": "pool", "stride": None}], r"layer 1 \(pool\): stride: .*not null"),
    ([conv(kernel=np.ones((3, 3, 1, 4)).tolist()), {"type": "relu"}, conv(kernel=np.ones((3, 3, 2, 1)).tolist())],
     r"layer 3 \(conv\): kernel: takes 2 input channel\(s\) but layer 1 \(conv\) makes 4"),
])
def test_bad_layers_name_the_layer_and_the_key(tmp_path, layers, message):
    path = tmp_path / "bad.json"
    text = json.dumps({"layers": layers})
    path.write_text(text)
    with pytest.raises(engine.PipelineFileError, match=f"^{path}: {message}") as error:
        engine.load_pipeline(path)
    assert "\n" not in str(error.value)
    assert path.read_text() == text


@pytest.mark.parametrize("content, message", [
    ("{not json", r"not valid JSON \(line 1, column 2"),
    ("[1, 2]", r'must be a JSON object like \{"layers": \[...\]\}'),
    ("{}", "layers is missing"),
    ('{"layers": {"type": "relu"}}', "layers must be a list"),
    ('{"layers": [], "extra": 1}', "'extra' is not a key of a pipeline file"),
    ('{"layers": [], "name": 3}', "name must be text"),
    ('{"layers": [' + ", ".join(['{"type": "relu"}'] * 17) + "]}", "has 17 layers; a pipeline has at most 16"),
    ("[" * 100000 + "]" * 100000, "nested too deeply"),
])
def test_bad_files_give_one_clear_message(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(engine.PipelineFileError, match=message):
        engine.load_pipeline(path)


def test_missing_files_and_folders_are_named(tmp_path):
    with pytest.raises(engine.PipelineFileError, match="nope.json: no such file"):
        engine.load_pipeline(tmp_path / "nope.json")
    with pytest.raises(engine.PipelineFileError, match="is a folder"):
        engine.load_pipeline(tmp_path)


def test_a_failed_save_leaves_the_old_file(tmp_path):
    path = tmp_path / "p.json"
    engine.save_pipeline(engine.PIPELINE_PRESETS["The notebook"], path)
    before = path.read_bytes()
    with pytest.raises(engine.OptionsError):
        engine.save_pipeline("not a pipeline", path)
    assert path.read_bytes() == before


def test_sessions_hold_a_pipeline_and_older_sessions_still_load(tmp_path):
    lenet = engine.PIPELINE_PRESETS["LeNet-like"]
    session = engine.Session("/data/x.png", engine.JobOptions(), None, pipeline=lenet)
    engine.save_session(tmp_path / "s.json", session)
    assert engine.load_session(tmp_path / "s.json") == session
    old = engine.Session("/data/x.png")
    data = old.to_dict()
    assert "pipeline" not in data
    assert engine.Session.from_dict(data).pipeline is None
    data["pipeline"] = {"layers": [{"type": "pool", "op": "mode"}]}
    with pytest.raises(engine.SessionError, match=r"^the session: its pipeline: layer 1 \(pool\): op: "):
        engine.Session.from_dict(data)


def test_the_preset_files_hold_the_built_in_pipelines():
    folder = engine.resources.resource_path("pipelines")
    names = {}
    for path in sorted(folder.glob("*.json")):
        names[json.loads(path.read_text())["name"]] = engine.load_pipeline(path)
    assert names == engine.PIPELINE_PRESETS
