"""Builds the standalone app with the checked-in spec and runs its self-test (slow: about a minute and a half).

A module, plugin or resource missing from the bundle fails the self-test (non-zero exit) or, where the app
catches the error and carries on, shows up as a traceback on stderr, which fails the test too."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.slow
def test_the_pyinstaller_build_passes_its_self_test(tmp_path):
    import PyInstaller  # noqa: F401 - part of the test extra: a missing PyInstaller fails here, never skips
    build = subprocess.run([sys.executable, str(ROOT / "tools" / "build_app.py"), "--dist", str(tmp_path / "dist"),
                            "--work", str(tmp_path / "work"), "--no-archive"],
                           capture_output=True, text=True, timeout=1200)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]
    exe = tmp_path / "dist" / "kernelscope" / ("kernelscope.exe" if sys.platform == "win32" else "kernelscope")
    assert exe.exists()
    shot = tmp_path / "frozen shot.png"
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    run = subprocess.run([str(exe), "--self-test", str(shot)], capture_output=True, text=True, timeout=300, env=env,
                         cwd=tmp_path)  # not the repository: the frozen app must find its own resources
    assert run.returncode == 0, run.stdout + run.stderr
    assert "self-test passed" in run.stdout and shot.stat().st_size > 10000
    assert "Traceback" not in run.stderr and "Error" not in run.stderr, run.stderr
    assert "Could not load the Qt platform plugin" not in run.stderr
    # the command line works frozen too
    out = tmp_path / "c.npy"
    apply = subprocess.run([str(exe), "apply", str(ROOT / "resources" / "images" / "ascent.png"), "--preset",
                            "Sobel x", "--out", str(out)], capture_output=True, text=True, timeout=120, env=env)
    assert apply.returncode == 0 and out.exists(), apply.stderr
    # and a missing resource is reported, not a crash
    bad = subprocess.run([str(exe), "apply", str(tmp_path / "nope.png"), "--out", str(out)], capture_output=True,
                         text=True, timeout=120, env=env)
    assert bad.returncode != 0 and "Traceback" not in bad.stderr
