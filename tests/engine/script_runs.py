"""Running exported scripts as users run them: in a fresh interpreter, from their file, on a saved image.
``run_scripts`` runs many in one interpreter (one import of torch or tensorflow for all of them)."""

import os
import subprocess
import sys

import numpy as np
import pytest

DRIVER = '''
import runpy, sys
for argv in {cases!r}:
    sys.argv = argv
    runpy.run_path(argv[0], run_name="__main__")
'''


def run_script(tmp_path, text, image, python=sys.executable, pooled=True):
    """(convolved, pooled or None) from running ``text`` as ``python SCRIPT.py in.npy out.npy [pooled.npy]``."""
    return run_scripts(tmp_path, [(text, image, pooled)], python)[0]


def run_scripts(tmp_path, cases, python=sys.executable):
    """Run each (script text, image, pooled) case in one interpreter; their (convolved, pooled or None)."""
    argvs = []
    for n, (text, image, pooled) in enumerate(cases):
        source = tmp_path / f"script{n}.py"
        source.write_text(text)
        np.save(tmp_path / f"in{n}.npy", image)
        outputs = [tmp_path / f"out{n}.npy"] + ([tmp_path / f"pooled{n}.npy"] if pooled else [])
        argvs.append([str(source), str(tmp_path / f"in{n}.npy"), *map(str, outputs)])
    _drive(tmp_path, argvs, python)
    return [(np.load(argv[2]), np.load(argv[3]) if len(argv) > 3 else None) for argv in argvs]


def framework_python(module):
    """An interpreter that can import ``module``: this one, or one of those KERNELSCOPE_FRAMEWORK_PYTHON
    lists (separated like PATH); else skip."""
    for python in [sys.executable, *os.environ.get("KERNELSCOPE_FRAMEWORK_PYTHON", "").split(os.pathsep)]:
        if python and subprocess.run([python, "-c", f"import {module}, numpy, PIL"], capture_output=True,
                                     timeout=120).returncode == 0:
            return python
    pytest.skip(f"{module} is not installed (set KERNELSCOPE_FRAMEWORK_PYTHON to an interpreter that has it)")


def run_pipeline_scripts(tmp_path, cases, python=sys.executable):
    """Run each (pipeline script text, image) case in one interpreter with --save-layers; every case's
    layer outputs, in order."""
    argvs = []
    for n, (text, image) in enumerate(cases):
        (tmp_path / f"pipeline{n}.py").write_text(text)
        np.save(tmp_path / f"in{n}.npy", image)
        argvs.append([str(tmp_path / f"pipeline{n}.py"), str(tmp_path / f"in{n}.npy"), str(tmp_path / f"last{n}.npy"),
                      "--save-layers", str(tmp_path / f"layers{n}")])
    _drive(tmp_path, argvs, python)
    runs = []
    for argv in argvs:
        outputs = [np.load(path) for path in sorted((tmp_path / argv[4].rsplit("/", 1)[-1]).iterdir())]
        assert outputs[-1].tobytes() == np.load(argv[2]).tobytes()
        runs.append(outputs)
    return runs


def _drive(tmp_path, argvs, python):
    driver = tmp_path / "driver.py"
    driver.write_text(DRIVER.format(cases=argvs))
    done = subprocess.run([python, str(driver)], capture_output=True, text=True, timeout=600,
                          env={**os.environ, "PYTHONPATH": ""})
    assert done.returncode == 0, done.stderr[-3000:]
