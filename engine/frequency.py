"""A kernel's frequency response: the magnitude of its 2-D DFT, and what that says in plain words.

Frequencies are in cycles per pixel, from -0.5 (Nyquist) to just below +0.5, with 0 in the centre; ``fx`` counts
cycles along x (left to right, the columns), ``fy`` along y (top to bottom, the rows). A pattern that changes
along x (vertical stripes, vertical edges) has its energy at ``fx != 0, fy = 0``.

Correlation and convolution: Kernelscope correlates (the kernel is not flipped); convolving with K is
correlating with K flipped in both axes, whose DFT is H(-f). For a real kernel H(-f) is the complex conjugate
of H(f), so both have the same magnitude: every number here holds for either operation. Only the phase
differs, and with it the output: the same for a kernel the flip leaves unchanged (box, Gaussian, Laplacian),
the opposite sign for one it negates (Sobel, Prewitt), and in general mirrored (an emboss lit from the top
left is lit from the bottom right).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .images import nice_ceiling
from .options import MAX_KERNEL_SIDE

#: Side of the zero-padded DFT.
RESPONSE_SIZE = 64
#: Radius (cycles per pixel) up to which a frequency counts as low; frequencies with |fx| or |fy| at or
#: above HIGH_FROM count as high (the band next to Nyquist); the rest as middle.
LOW_UP_TO = 0.125
HIGH_FROM = 0.375
#: A response whose smallest value is at least this fraction of its largest passes everything alike.
ALL_PASS_FLATNESS = 0.9
#: Directions sampled (over 180 degrees) and radii per direction for the directional reading.
DIRECTIONS = 36
RADII = 33
#: (best - worst) / (best + worst) of the mean response along a direction at or above which a kernel
#: counts as directional (Sobel, Prewitt and Scharr give 1.0, a 1x5 motion blur 0.5; box, Gaussian,
#: Laplacian, sharpen and outline at most 0.15).
DIRECTIONAL_FROM = 0.3

KINDS = ("zero", "all-pass", "low-pass", "high-pass", "band-pass", "mixed")

_KIND_WORDS = {
    "zero": "zero: the kernel blocks everything (only the offset remains)",
    "all-pass": "all-pass: every frequency passes with about the same gain (it copies, scales or shifts the "
                "image, it does not filter)",
    "low-pass": "low-pass: flat areas and slow changes get much more gain than fine detail (a blur)",
    "high-pass": "high-pass: fine detail (edges, noise) gets much more gain than flat areas and slow changes",
    "band-pass": "band-pass: changes of a middle scale get the most gain, flat areas and the finest "
                 "(pixel-to-pixel) detail much less (like an edge detector with smoothing)",
    "mixed": "mixed: no simple low-, high- or band-pass shape",
}

_DIRECTION_WORDS = {
    0: "along x (left to right), i.e. to vertical edges and stripes",
    45: "along the diagonal from top left to bottom right, i.e. to edges running from bottom left to top right",
    90: "along y (top to bottom), i.e. to horizontal edges and stripes",
    135: "along the diagonal from top right to bottom left, i.e. to edges running from top left to bottom right",
}


@dataclass(frozen=True)
class FrequencyResponse:
    """|DFT| of a (weighted) kernel zero-padded to RESPONSE_SIZE squared, fftshift-ed so 0 is in the centre.

    ``response[a, b]`` is the gain at ``fy = frequencies[a]``, ``fx = frequencies[b]``; ``cut_x`` is the row
    at fy = 0 (gain for changes along x), ``cut_y`` the column at fx = 0. ``direction`` is the angle in
    degrees (0 = along x, 90 = along y, measured from +x towards +y, i.e. clockwise on screen, modulo 180)
    of the changes it responds to most, or None when it is not directional.
    """

    frequencies: np.ndarray
    response: np.ndarray
    cut_x: np.ndarray
    cut_y: np.ndarray
    kind: str
    direction: float | None
    directionality: float
    peak: float
    peak_at: tuple[float, float]  # (fx, fy) of the largest gain, the one with fx > 0 (or fx = 0, fy >= 0)

    @property
    def dc(self) -> float:
        """The gain at frequency 0 (on a flat image)."""
        centre = RESPONSE_SIZE // 2
        return float(self.response[centre, centre])

    @property
    def scale_top(self) -> float:
        """Where a colour scale or gain axis for this response should end: the peak rounded up to 1, 2, 2.5
        or 5 times a power of ten (1 for the zero kernel), so it stays put while an edit changes the peak a
        little."""
        return nice_ceiling(self.peak)

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(fx, fy, width, height) of the response as an image, in cycles per pixel: pixel [a, b] is the square
        of side 1/RESPONSE_SIZE centred on (frequencies[b], frequencies[a])."""
        step = 1.0 / RESPONSE_SIZE
        start = float(self.frequencies[0]) - step / 2
        return (start, start, 1.0, 1.0)

    def direction_words(self) -> str | None:
        if self.direction is None:
            return None
        nearest = int(45 * round(self.direction / 45)) % 180
        if abs(self.direction - nearest) % 180 <= 11.25:
            return _DIRECTION_WORDS[nearest]
        return f"at {self.direction:.0f} degrees from x (clockwise on screen)"

    def reading(self) -> str:
        """The plain-words reading: the kind, and the direction when there is one."""
        text = _KIND_WORDS[self.kind]
        words = self.direction_words()
        if words is not None:
            text += f"; directional: responds most to changes {words}"
        return text


def _readonly(array: np.ndarray) -> np.ndarray:
    array.flags.writeable = False
    return array


_FREQUENCIES = np.fft.fftshift(np.fft.fftfreq(RESPONSE_SIZE))
_FY, _FX = np.meshgrid(_FREQUENCIES, _FREQUENCIES, indexing="ij")
_HIGH = np.maximum(np.abs(_FX), np.abs(_FY)) >= HIGH_FROM
_MIDDLE = ~_HIGH & (np.hypot(_FX, _FY) > LOW_UP_TO)
#: Where a peak is named among equal ones: the one nearest to 0 (the identity's flat response peaks at 0)
_PEAK_ORDER = np.abs(_FX) + np.abs(_FY)


def _kind(response: np.ndarray) -> str:
    """The kind of filter, from the gain relative to its largest value: all-pass when it never drops below
    ALL_PASS_FLATNESS; low-pass when the gain at 0 is >= 0.7 and the mean over the high band (|fx| or |fy| >=
    HIGH_FROM) <= 0.5; with the gain at 0 <= 0.3, high-pass when the high band's mean is at least the middle
    band's (between radius LOW_UP_TO and the high band), band-pass otherwise; anything else is mixed."""
    peak = float(response.max())
    if peak == 0.0:
        return "zero"
    gain = response / peak
    if float(gain.min()) >= ALL_PASS_FLATNESS:
        return "all-pass"
    centre = RESPONSE_SIZE // 2
    dc, high_mean = float(gain[centre, centre]), float(gain[_HIGH].mean())
    middle_mean = float(gain[_MIDDLE].mean())
    if dc >= 0.7 and high_mean <= 0.5:
        return "low-pass"
    if dc <= 0.3:
        return "high-pass" if high_mean >= middle_mean else "band-pass"
    return "mixed"


def _rays() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ray directions, and e^(-2 pi i f t) for the fy and fx of every ray point, t = 0..MAX_KERNEL_SIDE-1."""
    angles = np.arange(DIRECTIONS) * (math.pi / DIRECTIONS)
    radii = np.linspace(0.0, 0.5, RADII)
    taps = np.arange(MAX_KERNEL_SIDE)
    fy, fx = np.sin(angles)[:, None] * radii, np.cos(angles)[:, None] * radii
    return angles, np.exp(-2j * np.pi * fy[..., None] * taps), np.exp(-2j * np.pi * fx[..., None] * taps)


_ANGLES, _ALONG_ROWS, _ALONG_COLS = _rays()


def _direction(kernel: np.ndarray) -> tuple[float | None, float]:
    """The direction of the changes the kernel responds to most, from the mean gain along rays from 0 to
    radius 0.5 in DIRECTIONS directions (the DFT evaluated exactly on each ray, not read off the grid), and
    how directional it is: (best - worst) / (best + worst) of those means."""
    h, w = kernel.shape
    # H(fx, fy) = sum_rc K[r, c] e^(-2 pi i (fy r + fx c)) = e_y^T K e_x: one exponential per row and column
    means = np.abs(((_ALONG_ROWS[..., :h] @ kernel) * _ALONG_COLS[..., :w]).sum(axis=-1)).mean(axis=1)
    best, worst = float(means.max()), float(means.min())
    if best == 0.0:
        return None, 0.0
    strength = (best - worst) / (best + worst)
    if strength < DIRECTIONAL_FROM:
        return None, strength
    return float(np.degrees(_ANGLES[int(means.argmax())])), strength


def frequency_response(kernel: np.ndarray) -> FrequencyResponse:
    """The frequency response of ``kernel`` (a 2-D float array, already multiplied by its weight)."""
    kernel = np.asarray(kernel, dtype=np.float64)
    n = RESPONSE_SIZE
    response = np.abs(np.fft.fftshift(np.fft.fft2(kernel, s=(n, n))))
    frequencies = _FREQUENCIES.copy()
    centre = n // 2
    direction, strength = _direction(kernel)
    tied = response >= response.max() * (1 - 1e-9)
    a, b = np.unravel_index(int(np.argmin(np.where(tied, _PEAK_ORDER, np.inf))), response.shape)
    fx, fy = float(frequencies[b]), float(frequencies[a])
    if fx < 0 or (fx == 0 and fy < 0):  # H(-f) = H(f): name the peak by its representative with fx >= 0
        fx, fy = -fx, -fy
    return FrequencyResponse(
        frequencies=_readonly(frequencies),
        response=_readonly(response),
        cut_x=_readonly(response[centre, :].copy()),
        cut_y=_readonly(response[:, centre].copy()),
        kind=_kind(response),
        direction=direction,
        directionality=strength,
        peak=float(response.max()),
        peak_at=(fx + 0.0, fy + 0.0),
    )
