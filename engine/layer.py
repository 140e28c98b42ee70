"""A convolution layer: several input channels, several output channels, stride and dilation.

For every output pixel and output channel o, in this order (HWIO kernel K, padded image P)::

    s = 0.0; for i, j, ci in row-major (kh, kw, Cin) order: s = s + K[i, j, ci, o] * P[r*sh + i*dh, c*sw + j*dw, ci]
    v = s * weight + offset[o]
    clamp: min(max(v, 0), 255) truncated -> uint8;  raw: float32(v);  relu: float32(v) if v > 0 else 0.0

A 2-D kernel on an image of C channels filters each channel by itself (depthwise): output channel o reads
input channel o only. Padding follows TensorFlow's 'SAME' rule per axis (engine.layer_options).

As in engine.convolution, integer images with kernels of multiples of 2**-e sum exactly in integers (any
order gives the same sums), other kernels accumulate tap by tap in float64 in the loop's order. Every tap
is a strided view of a tile of padded rows, so a stride computes only the pixels it keeps.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from .borders import fill_padded
from .channels import channel, channel_count, check_channels_image
from .errors import ImageError
from .exact import dyadic_kernel, int_dtype, value_peak
from .layer_finish import Finish, MapSums
from .layer_options import effective_size, out_channels
from .numbers import format_size
from .options import JobOptions
from .sampling import fill_planes
from .scratch import scratch
from .tap_sums import float_sums, int_plan, int_sums

#: Bytes of a tile's sums for one output channel: small enough that the tile's padded rows and sums stay
#: in a core's L2 cache.
TILE_BYTES = 1 << 19


class Layer:
    """A prepared layer computation that can compute any band of output rows of every output channel."""

    def __init__(self, image: np.ndarray, options: JobOptions) -> None:
        self.image = image = check_channels_image(image)
        self.options = options
        self.channels_in, self.channels_out, self.shape = self.check(image, options)
        height, width = image.shape[:2]
        self.dtype = np.dtype(np.uint8 if options.output_range == "clamp" else np.float32)
        self.padding = options.padding_for(height, width)
        self._pw = width + self.padding[2] + self.padding[3]
        kernel = options.kernel_array
        self._taps = [self._channel_taps(kernel, o) for o in range(self.channels_out)]
        self._acc_dtype = self._exponent = None
        self._bounds = [0] * self.channels_out
        dyadic = dyadic_kernel(kernel) if image.dtype.kind in "ui" else None
        if dyadic is not None:
            kint, self._exponent = dyadic
            scale = float(2 ** self._exponent)
            peak = value_peak(image)
            self._bounds = [peak * sum(abs(int(k * scale)) for *_, k in taps) for taps in self._taps]
            self._acc_dtype = int_dtype(max(self._bounds + [int(np.abs(kint).max(initial=0))]))
        self._layout()
        if self._acc_dtype is None:
            self._float_taps = [[(self._shift(i, j, ci), k) for i, j, ci, k in taps] for taps in self._taps]
        else:
            self._int_taps = [int_plan(self._groups(taps, scale)) for taps in self._taps]
        self._finishes = [Finish(self._exponent, self._bounds[o], options.weight, options.offset_of(o),
                                 options.output_range) for o in range(self.channels_out)]

    @staticmethod
    def check(image: np.ndarray, options: JobOptions) -> tuple[int, int, tuple[int, int]]:
        """(input channels, output channels, output shape) of the layer on ``image``; OptionsError when the
        kernel's input channels or the offsets do not match the image, ImageError when no window fits."""
        channels_in = channel_count(image)
        channels_out = out_channels(options, channels_in)
        height, width = image.shape[:2]
        shape = options.output_shape(height, width)
        if 0 in shape:
            spans = [effective_size(k, d) for k, d in zip(options.shape, options.dilation)]
            dilated = " with dilation" if options.dilation != (1, 1) else ""
            raise ImageError(f"the image ({format_size((height, width))}) is smaller than the kernel's window "
                             f"({format_size(spans)}{dilated}), so the 'valid' border leaves no output; "
                             "choose another border mode, a smaller kernel or less dilation")
        return channels_in, channels_out, shape

    def _channel_taps(self, kernel: np.ndarray, o: int) -> list[tuple[int, int, int, float]]:
        """(i, j, ci, k) of output channel o's nonzero taps, in the loop's (i, j, ci) order."""
        kh, kw = kernel.shape[:2]
        if kernel.ndim == 2:
            return [(i, j, o, float(kernel[i, j])) for i in range(kh) for j in range(kw) if kernel[i, j] != 0.0]
        return [(i, j, ci, float(kernel[i, j, ci, o])) for i in range(kh) for j in range(kw)
                for ci in range(kernel.shape[2]) if kernel[i, j, ci, o] != 0.0]

    def _layout(self) -> None:
        """Where each tap reads: the padded rows of a tile are split into planes, one per input channel and
        (column, row) phase of the stride, P[y*sh + pr, x*sw + pc, ci] at plane (ci, pc, pr), row y, column x,
        stored one after another in one flat array. Then tap (i, j, ci) of every output pixel of the tile
        is one contiguous slice of it (engine.tap_sums' flat-tile trick), and a stride reads only the
        pixels it keeps; each plane row has ``pitch`` - W' columns more, computed and never stored."""
        (sh, sw), (dh, dw) = self.options.stride, self.options.dilation
        dtype = self._acc_dtype or np.dtype(np.float64)
        self._qw = -(-self._pw // sw)
        # strided planes are filled by vector loops: whole 32-byte rows keep their stores aligned
        self._pitch = self._qw if (sh, sw) == (1, 1) else -(-self._qw // 16) * 16
        self._step = max(1, TILE_BYTES // dtype.itemsize // self._pitch)  # output rows per tile
        self._extra = (self.options.shape[0] - 1) * dh // sh + 1  # plane rows past a tile's output rows
        self._plane_size = (self._step + self._extra) * self._pitch
        keys = sorted({(ci, j * dw % sw, i * dh % sh) for taps in self._taps for i, j, ci, _ in taps})
        self._planes = {key: number for number, key in enumerate(keys)}

    def _shift(self, i: int, j: int, ci: int) -> int:
        """Where tap (i, j, ci) of output pixel (0, 0) of a tile sits in the tile's flat planes."""
        (sh, sw), (dh, dw) = self.options.stride, self.options.dilation
        plane = self._planes[(ci, j * dw % sw, i * dh % sh)]
        return plane * self._plane_size + (i * dh // sh) * self._pitch + j * dw // sw

    def _groups(self, taps, scale: float) -> list[tuple[int, list[tuple[int, int]]]]:
        """The taps grouped by integer magnitude, as engine.tap_sums.int_sums takes them:
        [(m, [(shift, sign)])], 1 first (it needs no multiply)."""
        ints = [(self._shift(i, j, ci), int(k * scale)) for i, j, ci, k in taps]
        return [(m, [(shift, 1 if k > 0 else -1) for shift, k in ints if abs(k) == m])
                for m in sorted({abs(k) for _, k in ints})]

    @property
    def path(self) -> str:
        """'integer' (exact sums in integers) or 'float' (float64, tap by tap in the loop's order)."""
        return "float" if self._acc_dtype is None else "integer"

    @property
    def passes(self) -> int:
        """About how many passes over each output pixel the sums take (for sizing bands by work)."""
        return max(1, sum(len(taps) for taps in self._taps))

    def _planes_of(self, t0: int, t1: int, dtype: np.dtype) -> np.ndarray:
        """The flat planes (see _layout) of the tile of output rows t0..t1."""
        (sh, sw) = self.options.stride
        rows = t1 - t0 + self._extra
        F = scratch("layer_planes", len(self._planes) * self._plane_size, dtype)
        planes = F.reshape(len(self._planes), self._step + self._extra, self._pitch)[:, :rows, :self._qw]
        a, border, padding = t0 * sh, self.options.border, self.padding
        if (sh, sw) == (1, 1):
            for (ci, _, _), number in self._planes.items():
                fill_padded(channel(self.image, ci), border, padding, a, a + rows, planes[number])
        else:
            fill_planes(self.image, border, padding, a, (sh, sw), planes, self._planes)
        if self._pitch > self._qw:  # computed, never stored: zeros rather than leftovers that might overflow
            F.reshape(len(self._planes), self._step + self._extra, self._pitch)[:, :rows, self._qw:] = 0
        return F

    @property
    def sums_dtype(self) -> np.dtype:
        """The dtype of the sums compute can keep (see map_sums)."""
        return self._acc_dtype or np.dtype(np.float64)

    def map_sums(self, o: int, values: np.ndarray) -> MapSums:
        """Output channel o's sums as compute kept them in ``values``."""
        return MapSums(values, self._exponent, self._bounds[o])

    def compute(self, r0: int, r1: int, out: np.ndarray, maps: Sequence[int] | None = None,
                sums: Sequence[np.ndarray] | None = None) -> list[tuple[float, float]] | None:
        """Write output rows r0..r1 of every output channel o into ``out[o, r0:r1]`` (out: Cout x H' x W'), or
        into ``out[maps[o], r0:r1]`` when ``maps`` is given; for float outputs return each channel's
        (min, max) over those rows, else None. With ``sums`` (one H' x W' array of sums_dtype per output
        channel) the sums before the weight and offset are kept there as well."""
        dtype = self.sums_dtype
        ranges = [(np.inf, -np.inf)] * self.channels_out
        for t0 in range(r0, r1, self._step):
            t1 = min(t0 + self._step, r1)
            F = self._planes_of(t0, t1, dtype)
            n = (t1 - t0) * self._pitch
            acc, tmp = scratch("layer_acc", n, dtype), scratch("layer_tmp", n, dtype)
            for o in range(self.channels_out):
                if self._acc_dtype is not None:
                    int_sums(F, self._int_taps[o], acc, tmp)
                elif self._float_taps[o]:
                    float_sums(F, self._float_taps[o], [], acc, tmp)
                else:
                    acc.fill(0.0)
                tile = acc.reshape(t1 - t0, self._pitch)[:, :self.shape[1]]
                if sums is not None:
                    np.copyto(sums[o][t0:t1], tile)
                rows = out[o if maps is None else maps[o], t0:t1]
                self._finishes[o](tile, rows)
                if self.dtype.kind == "f" and rows.size:
                    low, high = ranges[o]
                    ranges[o] = min(low, float(rows.min())), max(high, float(rows.max()))
        return ranges if self.dtype.kind == "f" and r1 > r0 else None
