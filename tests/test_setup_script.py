"""tools/setup.sh installs what each command needs: the app alone for run, the test tools for test."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="bash script")


@pytest.fixture
def sandbox(tmp_path):
    """A copy of the script and pyproject.toml, a fake .venv/bin/python that logs its arguments, and a PATH
    without dpkg/apt-get (so no system package is touched)."""
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "setup.sh", tmp_path / "tools" / "setup.sh")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    venv = tmp_path / ".venv" / "bin"
    venv.mkdir(parents=True)
    log = tmp_path / "log"
    (venv / "python").write_text(f'#!/bin/sh\necho "$*" >> "{log}"\n')
    (venv / "python").chmod(0o755)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    for tool in ("bash", "sh", "cat", "cksum", "cut", "touch", "env", "dirname", "id", "echo"):
        found = shutil.which(tool)
        if found:
            (bin_dir / tool).symlink_to(found)
    return tmp_path, log, str(bin_dir)


def setup(sandbox, command):
    folder, log, path = sandbox
    before = log.read_text().splitlines() if log.exists() else []
    out = subprocess.run(["bash", str(folder / "tools" / "setup.sh"), command], capture_output=True, text=True,
                         env={"PATH": path, "HOME": str(folder)}, timeout=60)
    assert out.returncode == 0, out.stderr
    return [line for line in log.read_text().splitlines()[len(before):] if "install" in line and "pip" not in
            line.split("install")[1]]


def test_run_installs_the_base_packages_only_and_test_adds_the_test_tools(sandbox):
    assert setup(sandbox, "run") == ["-m pip install -q -e ."]
    assert setup(sandbox, "run") == []  # already set up
    assert setup(sandbox, "test") == ["-m pip install -q -e .[test]"]
    assert setup(sandbox, "run") == [] and setup(sandbox, "test") == []
    assert setup(sandbox, "build") == ["-m pip install -q -e .[test,build]"]


def test_a_changed_pyproject_installs_again(sandbox):
    assert setup(sandbox, "test") == ["-m pip install -q -e .[test]"]
    with open(sandbox[0] / "pyproject.toml", "a") as f:
        f.write("\n# changed\n")
    assert setup(sandbox, "test") == ["-m pip install -q -e .[test]"]
