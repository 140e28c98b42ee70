import json
import os

import numpy as np
import pytest

import engine
from engine import images


def session():
    options = engine.JobOptions(kernel=engine.get_preset("Emboss (gray offset)").kernel, offset=128, border="edge")
    return engine.Session("/data/stairs é.png", options, (10, 20), None)


def test_sessions_round_trip(tmp_path):
    path = tmp_path / "s.kscope.json"
    engine.save_session(path, session())
    assert engine.load_session(path) == session()


def test_user_presets_round_trip(tmp_path):
    presets = [engine.Preset("mine", ((1, 2), (3, 4)), 0.1, 5, "my kernel")]
    engine.save_presets(tmp_path / "p.json", presets)
    assert engine.load_presets(tmp_path / "p.json") == presets


@pytest.mark.parametrize("content, message", [
    ("{not json", "not valid JSON"),
    ("[1, 2]", "expected a JSON object"),
    ('{"kind": "kernelscope-session", "format": 99, "options": {}}', "newer Kernelscope"),
    ('{"kind": "something-else", "format": 1}', "not a kernelscope session"),
    ('{"kind": "kernelscope-session", "format": 1, "image_path": 5, "options": {"kernel": [[1]]}}', "image_path"),
    ('{"kind": "kernelscope-session", "format": 1, "options": {"kernel": "big"}}', "grid of numbers"),
    ('{"kind": "kernelscope-session", "format": 1, "options": {"kernel": [[1]], "weight": null}}', "weight"),
    ('{"kind": "kernelscope-session", "format": 1, "options": {"kernel": [[1]]}, "step_pos": [1]}', "step_pos"),
])
def test_bad_session_files_give_a_clear_message_and_stay_untouched(tmp_path, content, message):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(engine.SessionError, match=message):
        engine.load_session(path)
    assert path.read_text() == content


def test_bad_preset_files_give_a_clear_message(tmp_path):
    path = tmp_path / "p.json"
    path.write_text(json.dumps({"kind": "kernelscope-presets", "format": 1, "presets": [{"name": "x", "kernel": 3}]}))
    with pytest.raises(engine.SessionError, match="preset 'x'"):
        engine.load_presets(path)


def test_a_save_killed_halfway_leaves_the_previous_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "s.json"
    engine.save_session(path, session())
    before = path.read_bytes()

    def crash(*_args):
        raise OSError("disk pulled out")

    monkeypatch.setattr(images.os, "replace", crash)
    changed = engine.Session(None, engine.JobOptions(weight=2.0))
    with pytest.raises(OSError):
        engine.save_session(path, changed)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["s.json"]  # no temp file left behind


def test_a_write_that_fails_midway_leaves_no_partial_file(tmp_path, monkeypatch):
    path = tmp_path / "new.json"
    real_fsync = os.fsync

    def failing_fsync(fd):
        real_fsync(fd)
        raise OSError("I/O error")

    monkeypatch.setattr(images.os, "fsync", failing_fsync)
    with pytest.raises(OSError):
        engine.save_session(path, session())
    assert not path.exists() and os.listdir(tmp_path) == []


def test_every_kind_of_options_round_trips_through_a_session_file(tmp_path):
    for options in (engine.JobOptions(kernel=[[0.1, 1 / 3, -2.5e-7]], weight=1 / 7, offset=-0.5, border="valid",
                                      output_range="raw", pool=None),
                    engine.JobOptions(kernel=np.ones((15, 15)) * 1e6, weight=-1e6, pool=engine.PoolOptions("avg", 16, 1)),
                    engine.JobOptions(kernel=engine.get_preset("Notebook: edges").kernel, lab=True)):
        s = engine.Session(None, options, None, "ascent")
        engine.save_session(tmp_path / "s.json", s)
        assert engine.load_session(tmp_path / "s.json") == s


SESSION = {"kind": "kernelscope-session", "format": 1, "image_path": None, "sample": None,
           "options": {"kernel": [[1]]}, "step_pos": None}


@pytest.mark.parametrize("change, message", [
    ({"format": "1"}, "format number"), ({"format": True}, "format number"), ({"format": 2}, "newer"),
    ({"sample": 3}, "sample"), ({"sample": "nosuch"}, "no built-in sample called 'nosuch'; samples are: ascent"),
    ({"step_pos": [1, -2]}, "step_pos"), ({"step_pos": [1.5, 2]}, "step_pos"),
    ({"step_pos": "1,2"}, "step_pos"), ({"options": None}, "JSON object"), ({"options": [[1]]}, "JSON object"),
    ({"options": {"kernel": [[1]], "weight": "2"}}, "weight"), ({"options": {"kernel": [["1"]]}}, "kernel"),
    ({"options": {"kernel": [[1]], "border": 5}}, "border"), ({"options": {"kernel": [[1]], "lab": 1}}, "lab"),
    ({"options": {"kernel": [[1]], "pool": {"op": "max", "size": 2.0}}}, "pool size"),
    ({"options": {"kernel": [[1]], "weight": 1e300}}, "between"), ({"options": {"kernel": [[1] * 16]}}, "1x16"),
    ({"options": {"kernel": [[1]], "lab": True}}, "3x3"),
])
def test_wrong_types_in_a_session_give_a_session_error(tmp_path, change, message):
    path = tmp_path / "s.json"
    content = json.dumps({**SESSION, **change})
    path.write_text(content)
    with pytest.raises(engine.SessionError, match=message) as info:
        engine.load_session(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    assert path.read_text() == content  # a bad file is reported and kept


@pytest.mark.parametrize("content, message", [
    ('{"kind": "kernelscope-presets", "format": 7, "presets": []}', "newer"),
    ('{"kind": "kernelscope-presets", "format": 1, "presets": {}}', "must be a list"),
    ('{"kind": "kernelscope-presets", "format": 1, "presets": [{"kernel": [[1]]}]}', "no name"),
    ('{"kind": "kernelscope-presets", "format": 1, "presets": [{"name": " ", "kernel": [[1]]}]}', "no name"),
    ('{"kind": "kernelscope-presets", "format": 1, "presets": [{"name": "a", "kernel": [[1]], "weight": "x"}]}',
     "weight"),
    ('{"kind": "kernelscope-session", "format": 1}', "not a kernelscope presets file"),
    ("", "not valid JSON"), ("\xff\xfe", "not valid JSON"),
])
def test_bad_preset_files_give_a_session_error_and_stay_untouched(tmp_path, content, message):
    path = tmp_path / "p.json"
    path.write_text(content)
    with pytest.raises(engine.SessionError, match=message):
        engine.load_presets(path)
    assert path.read_text() == content


def test_binary_garbage_and_missing_files_give_a_session_error(tmp_path):
    (tmp_path / "g.json").write_bytes(b"\x80\x81\x00\xff")
    for path in (tmp_path / "g.json", tmp_path / "missing.json"):
        with pytest.raises(engine.SessionError):
            engine.load_session(path)


class _DiesHalfway:
    """A file whose write stores half the bytes, then fails, like a crash or a full disk mid-save."""

    def __init__(self, real):
        self.real = real

    def write(self, data):
        self.real.write(data[: len(data) // 2])
        self.real.flush()
        raise OSError(28, "No space left on device")

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.real.close()


@pytest.mark.parametrize("kind", ["session", "presets"])
def test_a_write_killed_halfway_keeps_the_previous_file_and_leaves_no_temp_file(tmp_path, monkeypatch, kind):
    path = tmp_path / "saved.json"
    if kind == "session":
        save = lambda: engine.save_session(path, engine.Session(None, engine.JobOptions(weight=3.0)))  # noqa: E731
        engine.save_session(path, session())
    else:
        save = lambda: engine.save_presets(path, [engine.Preset("new", ((5,),))])  # noqa: E731
        engine.save_presets(path, [engine.Preset("old", ((1, 2),))])
    before = path.read_bytes()
    real_fdopen = images.os.fdopen
    monkeypatch.setattr(images.os, "fdopen", lambda *a, **k: _DiesHalfway(real_fdopen(*a, **k)))
    with pytest.raises(OSError):
        save()
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["saved.json"]
    monkeypatch.undo()
    save()  # and the next save works
    assert path.read_bytes() != before


def test_saved_files_are_readable_json_with_kind_and_format(tmp_path):
    engine.save_session(tmp_path / "s.json", session())
    data = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert data["kind"] == "kernelscope-session" and data["format"] == 1 and data["image_path"] == "/data/stairs é.png"


def test_a_lab_session_saved_with_the_windows_other_fields_loads_as_the_lab_mode_it_ran(tmp_path):
    # before lab mode refused what it cannot honour, the window saved its border and output range beside
    # lab: true; lab mode ignored them, so the session means lab mode with its fixed values
    data = engine.Session(None, engine.JobOptions()).to_dict()
    data["options"].update(lab=True, border="edge", output_range="raw", offset=12.0)
    (tmp_path / "s.json").write_text(json.dumps(data))
    options = engine.load_session(tmp_path / "s.json").options
    assert options == engine.JobOptions(lab=True)


def test_a_session_keeps_the_name_of_the_preset_its_kernel_came_from(tmp_path):
    named = engine.Session(None, engine.JobOptions(), preset="Sobel x")
    engine.save_session(tmp_path / "s.json", named)
    assert engine.load_session(tmp_path / "s.json").preset == "Sobel x"
    data = named.to_dict()
    del data["preset"]  # written before sessions named presets
    assert engine.Session.from_dict(data).preset is None
    with pytest.raises(engine.SessionError, match="preset must be text"):
        engine.Session.from_dict(dict(data, preset=3))


def stack_session(chosen: int) -> engine.Session:
    return engine.Session(None, engine.JobOptions(), sample="ascent",
                          pipeline=engine.PIPELINE_PRESETS["Edges of edges"], chosen_layer=chosen)


def test_a_session_keeps_the_stacks_chosen_layer(tmp_path):
    layers = len(engine.PIPELINE_PRESETS["Edges of edges"].layers)
    for chosen in range(layers):
        engine.save_session(tmp_path / "s.json", stack_session(chosen))
        assert json.loads((tmp_path / "s.json").read_text())["chosen_layer"] == chosen
        assert engine.load_session(tmp_path / "s.json").chosen_layer == chosen


def test_a_session_saved_before_the_chosen_layer_was_kept_opens_on_the_first_layer(tmp_path):
    data = stack_session(2).to_dict()
    del data["chosen_layer"]
    (tmp_path / "old.json").write_text(json.dumps(data))
    session = engine.load_session(tmp_path / "old.json")
    assert session.chosen_layer == 0 and session.pipeline == engine.PIPELINE_PRESETS["Edges of edges"]
    assert "chosen_layer" not in engine.Session(None, engine.JobOptions()).to_dict()  # no stack, nothing chosen


@pytest.mark.parametrize("chosen", [-1, 99, 1.0, "2", True, None, [1]])
def test_a_chosen_layer_that_is_not_a_layer_of_the_stack_gives_a_session_error(tmp_path, chosen):
    path = tmp_path / "s.json"
    content = json.dumps(dict(stack_session(0).to_dict(), chosen_layer=chosen))
    path.write_text(content)
    with pytest.raises(engine.SessionError, match="chosen_layer") as info:
        engine.load_session(path)
    assert str(path) in str(info.value) and "\n" not in str(info.value)
    assert path.read_text() == content


def test_a_chosen_layer_without_a_stack_gives_a_session_error(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(dict(engine.Session(None, engine.JobOptions()).to_dict(), chosen_layer=0)))
    with pytest.raises(engine.SessionError, match="no pipeline"):
        engine.load_session(path)
