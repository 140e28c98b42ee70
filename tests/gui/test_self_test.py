"""`kernelscope --self-test` from source: every check passes, and a wrong number on screen fails it by name."""

import dataclasses
import os
import subprocess
import sys
from argparse import Namespace
from pathlib import Path

import engine
from gui.self_test import run_self_test

ROOT = Path(__file__).resolve().parents[2]


def test_self_test_passes_from_source_in_any_working_directory_without_scipy(tmp_path):
    """The app's runtime needs no scipy (the build leaves it out): importing it fails in this run."""
    shot = tmp_path / "shot.png"
    script = (f"import sys; sys.modules['scipy'] = None; sys.path.insert(0, {str(ROOT)!r}); import main; "
              f"sys.exit(main.main(['--self-test', {str(shot)!r}]))")
    run = subprocess.run([sys.executable, "-c", script], capture_output=True,
                         text=True, timeout=300, cwd=tmp_path, env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert run.returncode == 0, run.stdout + run.stderr
    assert "FAIL" not in run.stdout and "self-test passed" in run.stdout
    assert shot.stat().st_size > 10000


def test_self_test_fails_naming_the_check_when_the_step_panel_disagrees(qapp, tmp_path, monkeypatch, capsys):
    real = engine.explain_pixel

    def off_by_one(*args, **kwargs):
        explanation = real(*args, **kwargs)
        return dataclasses.replace(explanation, stored=explanation.stored + 1)

    monkeypatch.setattr(engine, "explain_pixel", off_by_one)
    assert run_self_test(Namespace(self_test=str(tmp_path / "shot.png"))) != 0
    out = capsys.readouterr().out
    assert "FAIL  step through one pixel (raw output)" in out
    assert "PASS  sample ascent (standard mode)" in out
    assert "self-test FAILED: step through one pixel" in out
