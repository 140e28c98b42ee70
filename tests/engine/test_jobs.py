import threading

import numpy as np
import pytest

import engine
from engine import jobs


def test_a_job_gives_the_same_result_as_convolve_then_pool(crop):
    options = engine.JobOptions(kernel=engine.get_preset("Sobel x").kernel, pool=engine.PoolOptions("avg", 3, 2))
    result = engine.run_job(crop, options)
    conv = engine.convolve(crop, options)
    assert np.array_equal(result.convolved, conv)
    assert np.array_equal(result.pooled, engine.pool(conv, options.pool))
    assert result.options is options and result.seconds >= 0


def test_progress_rises_to_one_in_chunks(monkeypatch, ascent):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 512 * 64)  # 8 chunks of 64 rows
    seen = []
    engine.run_job(ascent, engine.JobOptions(), progress=seen.append)
    assert len(seen) >= 8
    assert seen == sorted(seen) and seen[-1] == 1.0


def test_cancel_stops_the_job_within_one_chunk(monkeypatch, ascent):
    monkeypatch.setattr(jobs, "CHUNK_PIXELS", 512 * 16)
    seen = []
    flag = threading.Event()

    def progress(fraction):
        seen.append(fraction)
        if len(seen) == 3:
            flag.set()

    with pytest.raises(engine.JobCancelled):
        engine.run_job(ascent, engine.JobOptions(), progress=progress, cancelled=flag.is_set)
    assert len(seen) == 3  # no chunk ran after the flag was set


def test_job_steps_is_a_generator_that_returns_the_result(crop):
    steps = engine.job_steps(crop, engine.JobOptions(pool=None))
    fractions = []
    try:
        while True:
            fractions.append(next(steps))
    except StopIteration as done:
        result = done.value
    assert fractions[-1] == 1.0 and result.pooled is None


def test_lab_job_fails_before_any_work_on_odd_sizes():
    steps = engine.job_steps(np.zeros((7, 8), np.uint8), engine.JobOptions(lab=True))
    with pytest.raises(engine.LabModeError):
        next(steps)
