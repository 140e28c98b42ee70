"""Layer speed (issue 14), ours beside the peer and the target, in one run:

- 4096x4096 RGB, a 3x3x3x1 integer kernel, full pipeline (run_job: the exact integer sums over the three
  channels, clamp to uint8, 2x2 max pooling) against three OpenCV filter2D calls (one per channel, to float32)
  plus their sum; target: at most 2.5x;
- stride 2 against stride 1, same kernel and image (no pooling, so both time the convolution alone);
  target: at most 0.35x.

The image is ascent tiled to 4096x4096 in each channel (shifted per channel so they differ). Every time is
the median of --runs runs, ours and the peer alternating; a ratio is the median of the per-run ratios. The
last column is the same ratio in CPU seconds (all threads of this process), which a machine busy with other
work distorts far less than wall time (it counts the work, not the waiting).

With --parts it also splits each stride's layer computation into filling the planes, the sums and the finish
(one thread, CPU time, medians), beside the cheapest fill numpy can do (one contiguous uint8 -> int16 copy
of the image, tile by tile), and prints the lowest stride 2 / stride 1 ratio each fill allows: the fill does
not shrink with the stride, the sums and the finish shrink by about 4 (docs/speed.md).

    python benchmarks/layer_speed.py [--runs 7] [--parts]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

import engine  # noqa: E402

try:
    import cv2
except ImportError:  # a benchmark-only extra: pip install opencv-python-headless
    cv2 = None

#: (ci, kh, kw): every one of the 27 taps nonzero, so no tap is skipped
KERNEL = np.array([[[1, 2, 1], [-1, 3, -2], [-1, -2, -1]],
                   [[2, 4, 2], [1, -5, 1], [-2, -4, -2]],
                   [[1, 2, 1], [-3, 1, 2], [-1, -2, -1]]], dtype=np.float64)


def rgb_image(size: int = 4096) -> np.ndarray:
    gray = engine.load_image(engine.sample_path("ascent"))
    tiled = np.tile(gray, (size // gray.shape[0] + 1, size // gray.shape[1] + 1))
    return np.ascontiguousarray(np.stack([tiled[c * 7:c * 7 + size, c * 11:c * 11 + size] for c in range(3)], -1))


def timed(function) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one call."""
    started, cpu = time.perf_counter(), time.process_time()
    function()
    return time.perf_counter() - started, time.process_time() - cpu


def compare(ours, peer, runs: int) -> tuple[float, float, float, float]:
    """(median ours, median peer, median of per-run ratios, median of per-run CPU ratios), alternating."""
    ours(), peer()  # warm up caches and buffers
    pairs = [(timed(ours), timed(peer)) for _ in range(runs)]
    return (statistics.median(a[0] for a, _ in pairs), statistics.median(b[0] for _, b in pairs),
            statistics.median(a[0] / b[0] for a, b in pairs), statistics.median(a[1] / b[1] for a, b in pairs))


def parts(image: np.ndarray, runs: int) -> None:
    """Print the parts of stride 1 and stride 2 (see the module docstring); gray's stride 1 is today's
    Convolution, which the benchmark compares against, split into parts as a layer."""
    from engine.convolution import Convolution
    from engine.layer import Layer

    spent: dict[str, float] = {}

    def timing(name):
        method = getattr(Layer, name)

        def wrapper(self, *args):
            started = time.process_time()
            try:
                return method(self, *args)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return wrapper

    tile = np.empty(1 << 19, np.int16)

    def cheapest(pixels: np.ndarray) -> None:
        flat = pixels.reshape(-1)
        for a in range(0, flat.size, tile.size):
            np.copyto(tile[:min(tile.size, flat.size - a)], flat[a:a + tile.size], casting="unsafe")

    gray = np.ascontiguousarray(image[:, :, 0])
    convolution = Convolution(gray, engine.JobOptions(kernel=KERNEL[1], border="zero", pool=None))
    convolved = np.empty(gray.shape, np.uint8)
    cases = (("RGB 3x3x3x1", image, np.transpose(KERNEL, (1, 2, 0))[..., None]),
             ("gray 3x3", gray, KERNEL[1][..., None, None]))
    saved = Layer._planes_of, Layer._finish
    Layer._planes_of, Layer._finish = timing("_planes_of"), timing("_finish")
    try:
        for name, pixels, kernel in cases:
            jobs = [Layer(pixels, engine.JobOptions(kernel=kernel, border="zero", pool=None, stride=s).as_correlation())
                    for s in (1, 2)]
            times: dict[str, list[float]] = {}
            for run in range(runs + 1):  # the first run warms up
                measured = {}
                for s, job in enumerate(jobs, 1):
                    out = np.empty((1, *job.shape), job.dtype)
                    spent.clear()
                    total = timed(lambda: job.compute(0, job.shape[0], out))[1]
                    fill, finish = spent["_planes_of"], spent["_finish"]
                    measured.update({f"s{s} fill": fill, f"s{s} sums": total - fill - finish, f"s{s} finish": finish,
                                     f"s{s}": total})
                if pixels is gray:
                    measured["s1 Convolution"] = timed(lambda: convolution.compute(0, gray.shape[0], convolved))[1]
                measured["cheapest fill"] = timed(lambda: cheapest(pixels))[1]
                for key, value in measured.items():
                    if run:
                        times.setdefault(key, []).append(value)
            ms = {key: statistics.median(values) * 1000 for key, values in times.items()}
            base, rest = ms.get("s1 Convolution", ms["s1"]), (ms["s1 sums"] + ms["s1 finish"]) / 4
            print(f"{name}: " + ", ".join(f"{key} {value:.1f}" for key, value in ms.items()) + " ms")
            lowest, cheapest_lowest = (ms["s2 fill"] + rest) / base, (ms["cheapest fill"] + rest) / base
            print(f"  stride 2 / stride 1 {ms['s2'] / base:.2f}; lowest with this fill {lowest:.2f}, "
                  f"with the cheapest fill {cheapest_lowest:.2f}")
    finally:
        Layer._planes_of, Layer._finish = saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--parts", action="store_true", help="also split each stride into fill, sums and finish")
    args = parser.parse_args()
    image = rgb_image()
    hwio = np.transpose(KERNEL, (1, 2, 0))[..., None]  # (kh, kw, Cin=3, Cout=1)
    options = engine.JobOptions(kernel=hwio, border="zero")
    rows = []
    if cv2 is None:
        rows.append(("4096x4096 RGB 3x3x3x1 full pipeline vs 3x filter2D + sum", None, None, None, None, 2.5))
    else:
        planes = [np.ascontiguousarray(image[:, :, c]) for c in range(3)]

        def peer() -> np.ndarray:
            total = None
            for c in range(3):
                response = cv2.filter2D(planes[c], cv2.CV_32F, KERNEL[c], borderType=cv2.BORDER_CONSTANT)
                total = response if total is None else cv2.add(total, response)
            return total

        reference = peer()
        result = engine.run_job(image, options).convolved
        assert np.array_equal(result, np.clip(reference, 0, 255).astype(np.uint8)), "values differ from OpenCV"
        timing = compare(lambda: engine.run_job(image, options), peer, args.runs)
        rows.append(("4096x4096 RGB 3x3x3x1 full pipeline vs 3x filter2D + sum", *timing, 2.5))
    plain = options.with_changes(pool=None)
    strided = plain.with_changes(stride=2)
    timing = compare(lambda: engine.run_job(image, strided), lambda: engine.run_job(image, plain), args.runs)
    rows.append(("4096x4096 RGB 3x3x3x1 stride 2 vs stride 1 (ours both)", *timing, 0.35))
    gray = np.ascontiguousarray(image[:, :, 0])
    plain = engine.JobOptions(kernel=KERNEL[1], border="zero", pool=None)
    strided = plain.with_changes(stride=2)
    timing = compare(lambda: engine.run_job(gray, strided), lambda: engine.run_job(gray, plain), args.runs)
    rows.append(("4096x4096 gray 3x3 stride 2 vs stride 1 (ours both)", *timing, 0.35))
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"medians of {args.runs} runs; load average {load:.2f}")
    print(f"{'case':58} {'ours ms':>9} {'peer ms':>9} {'ratio':>7} {'target':>7}  result {'CPU ratio':>9}")
    failed = False
    for name, ours_s, peer_s, ratio, cpu_ratio, target in rows:
        if ratio is None:
            print(f"{name:58} {'-':>9} {'-':>9} {'-':>7} {target:>7.2f}  SKIP (no cv2)")
            continue
        verdict = "PASS" if ratio <= target else "FAIL"
        failed |= verdict == "FAIL"
        print(f"{name:58} {ours_s * 1000:9.1f} {peer_s * 1000:9.1f} {ratio:7.2f} {target:7.2f}  {verdict:6} "
              f"{cpu_ratio:9.2f}")
    if args.parts:
        parts(image, args.runs)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
