"""Learning a kernel: gradient descent finds the filter that turns an image into a target, one step at a time,
the way a CNN learns its first layer; and the exact least-squares optimum to compare against.

The model is the engine's raw convolution (cross-correlation, TensorFlow 'SAME' anchor, the given border)
plus an optional bias ``b``, and the loss is the mean squared error over the ``n`` output pixels::

    loss(K, b) = 1/n * sum_{r,c} (sum_{i,j} K[i, j] * P[r+i, c+j] + b - target[r, c])^2

With ``w`` the kernel's entries (then b) and ``A`` the matrix whose row ``r*W + c`` holds the window that
meets output pixel (r, c) (then a 1), this is the quadratic ``w.G.w - 2 h.w + c`` with ``G = A^T A / n``,
``h = A^T target / n``. Setting up builds ``G`` and ``h`` once (one product image per kernel shift, never A
itself); after that the gradient ``2 (G w - h)`` and each step are small matrix products, whatever the image
size. (Kernel sizes are written rows x columns, image sizes width x height, as everywhere in Kernelscope.)

Step size: the gradient is Lipschitz with constant ``L = 2 * lambda_max(G)``, and for an L-smooth function
a step of ``lr <= 1/L`` gives ``loss(w - lr g) <= loss(w) - lr/2 |g|^2``: the loss falls at every step until
the gradient is 0. ``KernelFit.safe_lr`` is that 1/L, the default. How many steps plain gradient descent
needs grows with ``condition`` (lambda_max / lambda_min of G): neighbouring pixels of a photo are so alike
that the loss valley is thousands of times longer than it is wide. Momentum shortens the walk but the loss
may then rise now and then.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from typing import Any, Generator

import numpy as np

from .borders import source_index
from .errors import ImageError, OptionsError
from .images import check_image
from .jobs import run_job
from .kernels import Preset
from .numbers import format_size
from .options import BORDERS, MAX_KERNEL_SIDE, VALUE_LIMIT, JobOptions, _kernel_rows

Grid = tuple[tuple[float, ...], ...]

#: What the app says when the output range is 'clamp' (the model here is always the raw output).
CLAMP_NOTE = ("Learning fits the raw output. Clamped output is clipped to 0..255 and truncated to whole numbers, "
              "so its loss is a staircase: flat almost everywhere (gradient 0) with jumps in between, and "
              "gradient descent gets no signal from it. A clamped target can still be fitted, but the answer "
              "is the best raw fit to it, which need not be the kernel that made it.")
#: Setting up makes about n * kh * (2 kw - 1) passes' worth of products and sums (n output pixels): 512x512
#: with 15x15 is ~1.1e8; a few times that is the most anyone waits for.
MAX_SETUP_WORK = 3e8
MAX_LEARN_PIXELS = 4096 * 4096
START_KINDS = ("zeros", "random")


@dataclass(frozen=True)
class LearnStep:
    """The state after ``step`` steps of gradient descent (step 0 is the start)."""

    step: int
    loss: float
    kernel: Grid
    bias: float


def random_kernel(shape: Any, seed: int) -> Grid:
    """A kernel to hide from the student: whole numbers from -2 to 2, not all 0, the same for the same seed."""
    kh, kw = _shape(shape)
    rng = random.Random(seed)
    while True:
        values = [[float(rng.randint(-2, 2)) for _ in range(kw)] for _ in range(kh)]
        if any(any(row) for row in values):
            return _kernel_rows(values)


def applied_kernel(source: Preset | JobOptions) -> tuple[Grid, float]:
    """What a preset (or the options of a job) applies, as a kernel and a bias a learned kernel can match:
    weight x kernel, and the offset (a box blur's 1/9 in every cell, not 1s with weight 1/9)."""
    return _kernel_rows([[source.weight * v for v in row] for row in source.kernel]), source.offset


def make_target(image: np.ndarray, kernel: Any, border: str = "zero", bias: float = 0.0) -> np.ndarray:
    """The raw output of ``kernel`` (plus ``bias``) on ``image``: a target whose kernel is known."""
    options = JobOptions(kernel=kernel, offset=bias, border=border, output_range="raw", pool=None)
    return run_job(image, options).convolved


def _shape(shape: Any) -> tuple[int, int]:
    try:
        kh, kw = (int(v) for v in shape)
        ok = all(float(v) == int(v) for v in shape)
    except (TypeError, ValueError):
        raise OptionsError(f"the kernel size must be two whole numbers (rows, columns), not {shape!r}") from None
    if not ok or not (1 <= kh <= MAX_KERNEL_SIDE and 1 <= kw <= MAX_KERNEL_SIDE):
        raise OptionsError(f"the kernel size must be 1x1 up to {MAX_KERNEL_SIDE}x{MAX_KERNEL_SIDE}, not {shape!r}")
    return kh, kw


def _padded(image: np.ndarray, shape: tuple[int, int], border: str) -> np.ndarray:
    """The image with the border filled as its mode says (TensorFlow 'SAME' anchor), in its own dtype."""
    if border == "valid":
        return image
    (kh, kw), (h, w) = shape, image.shape
    rows = [source_index(r - (kh - 1) // 2, h, border) for r in range(h + kh - 1)]
    cols = [source_index(c - (kw - 1) // 2, w, border) for c in range(w + kw - 1)]
    padded = image[np.array([-1 if r is None else r for r in rows])][:, [-1 if c is None else c for c in cols]]
    padded[[r is None for r in rows]] = 0  # only the zero border has None sources
    padded[:, [c is None for c in cols]] = 0
    return padded


def _rectangle_sums(values: np.ndarray, size: tuple[int, int], tops: np.ndarray, lefts: np.ndarray) -> np.ndarray:
    """Sums of the size[0] x size[1] rectangles of ``values`` whose top-left corners are (tops, lefts).

    The rectangles are nearly as wide as ``values``: each row's sum over a rectangle's columns is the row's
    total less the few columns left and right of it, and prefix sums down those give every rectangle."""
    height, width = size
    edge = values.shape[1] - width  # columns outside the narrowest rectangle
    left = np.zeros((values.shape[0], edge + 1))
    right = np.zeros_like(left)
    if edge:
        np.cumsum(values[:, :edge], axis=1, out=left[:, 1:])
        right[:, :edge] = np.cumsum(values[:, :width - 1:-1], axis=1)[:, ::-1]
    rows = values.sum(axis=1)[:, None] - left - right  # rows[r, b]: sum of values[r, b:b + width]
    down = np.zeros((values.shape[0] + 1, edge + 1))
    np.cumsum(rows, axis=0, out=down[1:])
    return down[tops + height, lefts] - down[tops, lefts]


def _window_products(padded: np.ndarray, shape: tuple[int, int], out: tuple[int, int]) -> np.ndarray:
    """A^T A without A: entry ((i, j), (i+di, j+dj)) sums P[r+i, c+j] * P[r+i+di, c+j+dj] over the output
    pixels, a rectangle of the product of P with P shifted by (di, dj). One product image per shift gives
    every entry with that shift: about n * kh * (2 kw - 1) work instead of n * (kh kw)^2."""
    (kh, kw), (ph, pw) = shape, padded.shape
    gram = np.empty((kh * kw, kh * kw))
    scratch = np.empty_like(padded)  # one buffer for every product: fresh arrays would fault in their pages
    for di in range(kh):
        for dj in range(-(kw - 1), kw):
            if di == 0 and dj < 0:
                continue  # the symmetric entries of dj > 0
            c0, c1 = max(0, -dj), pw - max(0, dj)
            product = np.multiply(padded[:ph - di, c0:c1], padded[di:, c0 + dj:c1 + dj],
                                  out=scratch[:ph - di, :c1 - c0])
            i, j = (a.ravel() for a in np.meshgrid(np.arange(kh - di), np.arange(c0, kw - max(0, dj)), indexing="ij"))
            values = _rectangle_sums(product, out, i, j - c0)
            first, second = i * kw + j, (i + di) * kw + j + dj
            gram[first, second] = values
            gram[second, first] = values
    return gram


def _window_sums(padded: np.ndarray, shape: tuple[int, int], out: tuple[int, int]) -> np.ndarray:
    """A^T 1: the sum of the pixels each kernel cell meets, over the output pixels."""
    kh, kw = shape
    i, j = (a.ravel() for a in np.meshgrid(np.arange(kh), np.arange(kw), indexing="ij"))
    return _rectangle_sums(padded, out, i, j)


class KernelFit:
    """The learning problem for one image, target, kernel size and border: built once, then cheap to step.

    ``target`` is a raw convolved output: the size of ``image``, or smaller by kh-1 rows and kw-1 columns
    with ``border='valid'``. Raises ImageError/OptionsError with one clear sentence for bad input.
    """

    def __init__(self, image: np.ndarray, target: np.ndarray, shape: Any, *, border: str = "zero",
                 fit_bias: bool = False):
        self.image = check_image(image)
        self.target = check_image(target, "the target")
        self.shape = _shape(shape)
        if border not in BORDERS:
            raise OptionsError(f"border must be one of {', '.join(BORDERS)}, not {border!r}")
        self.border, self.fit_bias = border, bool(fit_bias)
        kh, kw = self.shape
        h, w = self.image.shape
        out = (h - kh + 1, w - kw + 1) if border == "valid" else (h, w)
        if min(out) < 1:
            raise OptionsError(f"a {kh}x{kw} kernel does not fit in the {format_size((h, w))} input, so 'valid' "
                               "leaves nothing")
        if self.target.shape != out:
            hint = "" if border == "valid" else "; a 'valid' target is smaller by kh-1 rows and kw-1 columns"
            raise ImageError(f"the target is {format_size(self.target.shape)}, but a {kh}x{kw} kernel with border "
                             f"'{border}' makes {format_size(out)} from the {format_size((h, w))} input{hint}")
        self.n = out[0] * out[1]
        self.p = kh * kw + self.fit_bias
        if self.n > MAX_LEARN_PIXELS or self.n * kh * (2 * kw - 1) > MAX_SETUP_WORK:
            raise OptionsError(f"learning a {kh}x{kw} kernel on {format_size((h, w))} pixels is too much work to "
                               "set up; use a smaller kernel or a smaller (cropped) image")
        self._build()

    # -- setting up: G, h and the least-squares optimum -------------------------------------------------
    def _build(self) -> None:
        padded = _padded(self.image, self.shape, self.border).astype(np.float64)
        y = self.target.astype(np.float64)
        (kh, kw), (oh, ow) = self.shape, y.shape
        windows = [padded[i:i + oh, j:j + ow] for i in range(kh) for j in range(kw)]
        gram = _window_products(padded, self.shape, y.shape)
        moment = [float(np.einsum("ij,ij->", v, y)) for v in windows]
        if self.fit_bias:
            sums = _window_sums(padded, self.shape, y.shape)
            gram = np.block([[gram, sums[:, None]], [sums[None, :], np.array([[float(self.n)]])]])
            moment.append(float(y.sum()))
        self.gram, self.moment = gram / self.n, np.array(moment) / self.n
        eigenvalues, self._basis = np.linalg.eigh(self.gram)
        self._eigenvalues = np.maximum(eigenvalues, 0.0)
        top = float(self._eigenvalues[-1])
        self.lipschitz = 2.0 * top
        self.safe_lr = 1.0 / self.lipschitz if top > 0 else 1.0
        bottom = float(self._eigenvalues[0])
        self.condition = top / bottom if bottom > top * 1e-15 else math.inf
        self._optimum = np.linalg.lstsq(self.gram, self.moment, rcond=None)[0]
        residual, scratch = -y, np.empty_like(y)
        for v, k in zip(windows, self._optimum):
            residual += np.multiply(v, k, out=scratch)
        if self.fit_bias:
            residual += self._optimum[-1]
        # The loss is min_loss + (w - w*).G.(w - w*): summed over G's eigenvectors every term is >= 0, so it
        # never suffers the cancellation of w.G.w - 2 h.w + c near the optimum.
        self.min_loss = float(np.vdot(residual, residual)) / self.n
        self._target64 = y

    # -- the loss, its gradient and the optimum ------------------------------------------------------
    def _vector(self, kernel: Any, bias: float = 0.0) -> np.ndarray:
        rows = _kernel_rows(kernel)
        if (len(rows), len(rows[0])) != self.shape:
            raise OptionsError(f"the start kernel is {len(rows)}x{len(rows[0])}, but the kernel being learned is "
                               f"{self.shape[0]}x{self.shape[1]}")
        values = [v for row in rows for v in row]
        return np.array(values + [float(bias)] if self.fit_bias else values)

    def _step(self, step: int, w: np.ndarray) -> LearnStep:
        d = self._basis.T @ (w - self._optimum)
        loss = self.min_loss + float(self._eigenvalues @ (d * d))
        kh, kw = self.shape
        kernel = tuple(tuple(float(v) for v in w[i * kw:(i + 1) * kw]) for i in range(kh))
        return LearnStep(step, loss, kernel, float(w[-1]) if self.fit_bias else 0.0)

    def loss(self, kernel: Any, bias: float = 0.0) -> float:
        """Mean squared error of ``convolve(image, kernel) + bias`` against the target."""
        return self._step(0, self._vector(kernel, bias)).loss

    def gradient(self, kernel: Any, bias: float = 0.0) -> tuple[np.ndarray, float]:
        """d loss / d kernel (an array shaped like the kernel) and d loss / d bias (0 unless fit_bias)."""
        g = 2.0 * (self.gram @ self._vector(kernel, bias) - self.moment)
        kh, kw = self.shape
        return g[:kh * kw].reshape(kh, kw), float(g[-1]) if self.fit_bias else 0.0

    def exact(self) -> LearnStep:
        """The least-squares optimum: numpy.linalg.lstsq on the normal equations G w = h (the smallest such
        kernel when several fit equally well)."""
        return self._step(0, self._optimum)

    # -- gradient descent --------------------------------------------------------------------------------
    def steps(self, steps: int = 100, *, lr: float | None = None, start: Any = "zeros", seed: int = 0,
              bias: float = 0.0, momentum: float = 0.0, first: int = 0) -> Generator[LearnStep, None, None]:
        """Yield the start (step ``first``) and then each of ``steps`` gradient-descent steps.

        ``start``: "zeros", "random" (uniform in -1..1 from ``seed``) or a kernel grid (then ``bias`` is the
        start bias). ``lr`` defaults to ``safe_lr``. ``momentum`` (0 <= m < 1, heavy ball) is 0 for plain
        gradient descent. Raises OptionsError if the values run away (a learning rate far too large).
        """
        if isinstance(steps, bool) or not isinstance(steps, (int, np.integer)) or steps < 0:
            raise OptionsError(f"the number of steps must be a whole number >= 0, not {steps!r}")
        lr = self.safe_lr if lr is None else lr
        if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not math.isfinite(lr) or lr <= 0:
            raise OptionsError(f"the learning rate must be a positive number, not {lr!r}")
        if isinstance(momentum, bool) or not isinstance(momentum, (int, float)) or not 0 <= momentum < 1:
            raise OptionsError(f"momentum must be a number from 0 up to (not including) 1, not {momentum!r}")
        if isinstance(start, str):
            if start not in START_KINDS:
                raise OptionsError(f"start must be zeros, random or a kernel, not {start!r}")
            rng = random.Random(seed)
            values = [rng.uniform(-1.0, 1.0) if start == "random" else 0.0 for _ in range(self.p)]
            w = np.array(values)
        else:
            w = self._vector(start, bias)
        velocity = np.zeros(self.p)
        yield self._step(first, w)
        for step in range(first + 1, first + steps + 1):
            velocity = momentum * velocity - lr * 2.0 * (self.gram @ w - self.moment)
            w = w + velocity
            if not np.isfinite(w).all() or np.abs(w).max() > VALUE_LIMIT:
                raise OptionsError(f"learning ran away at step {step}: the learning rate {lr:g} is too large "
                                   f"(at most {self.safe_lr:.3g} makes the loss fall at every step here)")
            yield self._step(step, w)

    # -- what the window shows, computed by the engine's own convolution -----------------------------
    def prediction(self, step: LearnStep) -> np.ndarray:
        """``convolve(image, step.kernel) + step.bias`` by engine.run_job (float32, like every raw result)."""
        return make_target(self.image, step.kernel, self.border, step.bias)

    def difference(self, prediction: np.ndarray) -> np.ndarray:
        """``prediction - target`` (float32): what is still wrong, 0 everywhere once the kernel is learned."""
        return (prediction - self._target64).astype(np.float32)
