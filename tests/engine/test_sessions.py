import json
import os

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
