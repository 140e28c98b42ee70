"""The one worker pattern: jobs off the GUI thread, newest request wins, errors reported, clean shutdown."""

import subprocess
import sys
import textwrap
import threading
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QThreadPool

import engine
from gui.document import Source
from gui.worker import JobRunner

ROOT = Path(__file__).resolve().parents[2]


def convolve_zero_border_clamp(image, kernel):
    """Plain loops: zero padding, SAME anchor, sum of products, clamp to 0..255 and truncate."""
    kh, kw = len(kernel), len(kernel[0])
    top, left = (kh - 1) // 2, (kw - 1) // 2
    height, width = len(image), len(image[0])
    out = []
    for r in range(height):
        row = []
        for c in range(width):
            total = 0.0
            for i in range(kh):
                for j in range(kw):
                    y, x = r + i - top, c + j - left
                    if 0 <= y < height and 0 <= x < width:
                        total += kernel[i][j] * float(image[y][x])
            row.append(float(int(min(max(total, 0.0), 255.0))))
        out.append(row)
    return out


def max_pool_2x2(values):
    return [[max(values[r][c], values[r][c + 1], values[r + 1][c], values[r + 1][c + 1])
             for c in range(0, len(values[0]) - 1, 2)] for r in range(0, len(values) - 1, 2)]


@pytest.fixture
def runner(qtbot):
    jobs = JobRunner()
    yield jobs
    jobs.shutdown()


@pytest.fixture
def image():
    return np.random.default_rng(3).integers(0, 256, (21, 26), dtype=np.uint8)


def big_image():
    return np.random.default_rng(4).integers(0, 256, (2500, 2500), dtype=np.uint8)


def test_a_job_returns_the_reference_values(qtbot, runner, image):
    kernel = [[0.0, 1.0, 0.0], [2.0, -3.0, 1.0], [0.0, 1.5, 0.0]]
    with qtbot.waitSignal(runner.finished, timeout=10000) as done:
        seq = runner.submit(image, engine.JobOptions(kernel=kernel))
    got_seq, result = done.args
    want = convolve_zero_border_clamp(image.tolist(), kernel)
    assert got_seq == seq
    assert result.convolved.astype(float).tolist() == want
    assert result.pooled.astype(float).tolist() == max_pool_2x2(want)


def test_the_job_runs_off_the_gui_thread_and_prepare_runs_there_too(qtbot, image):
    threads = []

    def prepare(result):
        threads.append(threading.get_ident())
        return ("prepared for", result.options.kernel)

    runner = JobRunner(prepare=prepare)
    options = engine.JobOptions()
    with qtbot.waitSignal(runner.finished, timeout=10000) as done:
        runner.submit(image, options)
    assert threads and threads[0] != threading.get_ident()
    assert done.args[1] == ("prepared for", options.kernel)  # the prepared value arrives as the result
    runner.shutdown()


def test_rapid_requests_produce_a_result_only_for_the_newest(qtbot, runner):
    picture = big_image()
    finished, started = [], []
    runner.started.connect(started.append)
    runner.finished.connect(lambda seq, result: finished.append((seq, result.options.weight)))
    seqs = [runner.submit(picture, engine.JobOptions(weight=float(n))) for n in range(1, 31)]
    with qtbot.waitSignal(runner.idle, timeout=30000):
        pass
    assert finished == [(seqs[-1], 30.0)]
    assert len(started) <= 3  # the running one, perhaps one that was pending, and the newest: no queue


def test_results_arrive_in_order_and_never_older_after_newer(qtbot, runner, image):
    finished = []
    runner.finished.connect(lambda seq, result: finished.append(seq))
    for n in range(40):
        runner.submit(image, engine.JobOptions(weight=float(n)))
        if n % 7 == 0:
            qtbot.wait(5)
    with qtbot.waitSignal(runner.idle, timeout=30000):
        pass
    assert finished == sorted(finished) and finished[-1] == runner.latest


def test_progress_rises_to_one_for_the_running_request(qtbot, runner):
    fractions = []
    runner.progress.connect(lambda seq, fraction: fractions.append(fraction))
    with qtbot.waitSignal(runner.finished, timeout=30000):
        runner.submit(big_image(), engine.JobOptions())
    assert len(fractions) > 2 and fractions == sorted(set(fractions)) and fractions[-1] == 1.0


def test_cancel_emits_nothing_for_the_cancelled_job_and_goes_idle(qtbot, runner):
    finished = []
    runner.finished.connect(lambda *args: finished.append(args))
    runner.submit(big_image(), engine.JobOptions(kernel=engine.get_preset("Gaussian blur 5x5").kernel))
    runner.cancel()
    with qtbot.waitSignal(runner.idle, timeout=30000):
        pass
    assert finished == [] and not runner.is_busy()


def test_after_a_cancel_the_next_request_runs_normally(qtbot, runner, image):
    runner.submit(big_image(), engine.JobOptions())
    runner.cancel()
    with qtbot.waitSignal(runner.finished, timeout=30000) as done:
        runner.submit(image, engine.JobOptions(weight=2.0))
    assert done.args[1].options.weight == 2.0 and done.args[1].image is image


def test_an_engine_error_is_reported_in_its_own_words(qtbot, runner):
    tiny = np.zeros((2, 2), dtype=np.uint8)
    options = engine.JobOptions(kernel=[[1.0] * 3] * 3, border="valid")
    with qtbot.waitSignal(runner.failed, timeout=10000) as failed:
        runner.submit(tiny, options)
    _seq, failure = failed.args
    assert "smaller than the 3x3 kernel" in failure.message and not failure.message.startswith("the job failed")
    assert "ImageError" in failure.details and not failure.is_bug


def test_a_subclass_of_the_engines_error_is_the_users_not_a_bug(qtbot, runner, image, monkeypatch):
    class NarrowError(engine.OptionsError):
        pass

    def refuses(picture, options):
        raise NarrowError("this kernel is not allowed here")
        yield  # pragma: no cover

    monkeypatch.setattr(engine, "job_steps", refuses)
    with qtbot.waitSignal(runner.failed, timeout=10000) as failed:
        runner.submit(image, engine.JobOptions())
    failure = failed.args[1]
    assert failure.message == "this kernel is not allowed here" and not failure.is_bug
    assert "KernelscopeError" not in failure.details  # the traceback names only the subclass


def test_a_crash_inside_a_job_is_reported_with_details_and_the_worker_keeps_serving(qtbot, runner, image,
                                                                                     monkeypatch):
    def broken(picture, options):
        yield 0.5
        raise RuntimeError("simulated engine bug")

    real = engine.job_steps
    monkeypatch.setattr(engine, "job_steps", broken)
    with qtbot.waitSignal(runner.failed, timeout=10000) as failed:
        runner.submit(image, engine.JobOptions())
    failure = failed.args[1]
    assert failure.message == "the job failed: RuntimeError: simulated engine bug" and failure.is_bug
    assert "Traceback" in failure.details and "broken" in failure.details
    monkeypatch.setattr(engine, "job_steps", real)
    with qtbot.waitSignal(runner.finished, timeout=10000):
        runner.submit(image, engine.JobOptions())


def test_running_out_of_memory_is_reported_plainly(qtbot, runner, image, monkeypatch):
    def hungry(picture, options):
        raise MemoryError()
        yield  # pragma: no cover

    monkeypatch.setattr(engine, "job_steps", hungry)
    with qtbot.waitSignal(runner.failed, timeout=10000) as failed:
        runner.submit(image, engine.JobOptions())
    assert failed.args[1].message == "not enough memory for this job" and not failed.args[1].is_bug


def test_shutdown_waits_for_the_thread_and_emits_nothing_more(qtbot, runner):
    finished = []
    runner.finished.connect(lambda *args: finished.append(args))
    runner.submit(big_image(), engine.JobOptions())
    runner.shutdown()
    assert QThreadPool.globalInstance().activeThreadCount() == 0
    qtbot.wait(50)
    assert finished == []
    runner.submit(np.zeros((4, 4), dtype=np.uint8), engine.JobOptions())
    qtbot.wait(50)
    assert finished == []  # a closed runner starts nothing


def close_mid_job(tmp_path, extra=""):
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        import numpy as np
        from PySide6.QtCore import QTimer
        from gui.application import make_application
        app = make_application()
        from gui.document import Source
        from gui.main_window import MainWindow
        window = MainWindow(restore=False, persist=False)
        window.show()
        big = np.random.default_rng(0).integers(0, 256, (3000, 3000), dtype=np.uint8)
        window.document.set_options(window.document.options.with_changes(kernel=[[0.1] * 9] * 9))  # float path: seconds
        window.document.set_image(big, Source("big")){extra}
        def close():
            assert window.document.runner.is_busy(), "the job should still be running"
            window.close()
        QTimer.singleShot(30, close)
        sys.exit(app.exec())
    """)
    env = {"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path),
           "XDG_CONFIG_HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, env=env)


def test_closing_the_window_mid_job_exits_with_0_and_no_thread_warning(tmp_path):
    done = close_mid_job(tmp_path)
    assert done.returncode == 0, done.stderr
    complaints = [line for line in done.stderr.splitlines() if "propagateSizeHints" not in line]  # offscreen's
    assert complaints == []  # no 'QThread destroyed', no 'RuntimeError in aborted thread', no traceback
