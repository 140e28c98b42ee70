"""``python main.py animate``: the step-through recorded offscreen, as users run it."""

import pytest
from PIL import Image

from tests.test_cli import cli, cli_process


def test_animate_records_the_frames_asked_for(tmp_path):
    out = cli_process("animate", "--lab", "--steps", "3", "--every", "2", "--width", "320", "--out", tmp_path / "lab.gif")
    assert out.returncode == 0, out.stderr
    assert "3 frames" in out.stdout
    with Image.open(tmp_path / "lab.gif") as gif:
        assert gif.n_frames == 3 and gif.size[0] == 320


@pytest.mark.parametrize("args, status, message", [
    (["--steps", "3"], 2, "--out"),
    (["--out", "a.bmp"], 1, ".gif, .png"),
    (["--steps", "0", "--out", "a.gif"], 1, "steps"),
    (["--fps", "500", "--out", "a.gif"], 1, "frame rate"),
    (["--start", "1;2", "--out", "a.gif"], 1, "ROW,COL"),
    (["--start", "9999,0", "--out", "a.gif"], 1, "outside"),
    (["--lab", "--start", "0,0", "--out", "a.gif"], 1, "first pixel is (1, 1)"),
    (["--lab", "--border", "edge", "--out", "a.gif"], 1, "lab mode"),
    (["--image", "missing.png", "--out", "a.gif"], 1, "no such file"),
])
def test_bad_animate_command_lines_say_why_and_write_nothing(tmp_path, args, status, message):
    # refused before Qt starts: main.main in this interpreter; a start outside the image is found by the
    # recording window, as is lab mode's margin, so those run in a process of its own
    out = (cli_process if message in ("outside", "first pixel is (1, 1)") else cli)("animate", *args, cwd=tmp_path)
    assert out.returncode == status, out.stderr
    lines = [line for line in out.stderr.splitlines() if "propagateSizeHints" not in line]
    assert len(lines) == 1 and message in lines[0]
    assert list(tmp_path.iterdir()) == []
