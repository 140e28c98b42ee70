"""engine.jobs._bands: row bands cover the rows once, in order, and come in an even share for each thread."""

from hypothesis import given, settings
from hypothesis import strategies as st

from engine import jobs


@settings(max_examples=300, deadline=None)
@given(rows=st.integers(1, 5000), width=st.integers(1, 5000), multiple=st.integers(1, 4), passes=st.integers(1, 300),
       threads=st.integers(1, 8), chunk=st.integers(1, 1 << 20))
def test_bands_cover_every_row_once_in_order(rows, width, multiple, passes, threads, chunk):
    old = jobs.THREADS, jobs.CHUNK_PIXELS
    jobs.THREADS, jobs.CHUNK_PIXELS = threads, chunk
    try:
        bands = jobs._bands(rows, width, None, multiple, passes)
    finally:
        jobs.THREADS, jobs.CHUNK_PIXELS = old
    assert bands[0][0] == 0 and bands[-1][1] == rows
    assert all(a[1] == b[0] for a, b in zip(bands, bands[1:]))
    assert all((r1 - r0) % multiple == 0 and r1 > r0 for r0, r1 in bands[:-1])


def test_a_strided_layers_bands_are_shared_evenly_by_two_threads(monkeypatch):
    monkeypatch.setattr(jobs, "THREADS", 2)
    bands = jobs._bands(2048, 2048, passes=9)  # a 4096x4096 image at stride 2: 5 bands of 455 rows before
    assert len(bands) % 2 == 0 and max(r1 - r0 for r0, r1 in bands) - min(r1 - r0 for r0, r1 in bands) <= 4


def test_a_preferred_band_height_is_kept(monkeypatch):
    monkeypatch.setattr(jobs, "THREADS", 2)
    assert jobs._bands(1000, 4096, 300) == [(0, 300), (300, 600), (600, 900), (900, 1000)]
