"""Output geometry: how big the convolved and pooled images are, where each of their pixels sits on the
input, which input pixels an output pixel reads and which convolved pixels a pooled pixel covers.

One answer for the views, the step overlays and step mode. Everything is in the input's pixel
coordinates: input pixel (r, c) covers rows r..r+1 and columns c..c+1, and a convolved pixel is drawn on
the input pixel its kernel window is anchored at (TensorFlow 'SAME' anchor: kernel cell ((kh-1)//2,
(kw-1)//2)), so 'valid' output starts (kh-1)//2 rows and (kw-1)//2 columns in. A pooled pixel is drawn
over the block of convolved pixels its stride advances by.

Stride and dilation are (rows, columns) pairs: a convolved pixel sits ``stride`` input pixels from the
next, and its window's taps ``dilation`` pixels apart (``taps`` lists them, gaps left out;
``outputs_reading`` answers the inverse: which convolved pixels read a given input pixel).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import OptionsError
from .options import JobOptions, PoolOptions

Pair = tuple[int, int]


@dataclass(frozen=True)
class Rect:
    """Whole pixels: rows ``top`` .. ``top + height - 1``, columns ``left`` .. ``left + width - 1``.
    An input window may lie partly outside the image (the border mode decides what is read there)."""

    top: int
    left: int
    height: int
    width: int

    @property
    def bottom(self) -> int:
        """One past the last row."""
        return self.top + self.height

    @property
    def right(self) -> int:
        """One past the last column."""
        return self.left + self.width

    def contains(self, row: int, col: int) -> bool:
        return self.top <= row < self.bottom and self.left <= col < self.right


@dataclass(frozen=True)
class Placement:
    """Where an image's pixels are drawn in the input's coordinates: pixel (r, c) covers
    ``origin + (r, c) * scale`` to ``origin + (r + 1, c + 1) * scale`` (``origin`` and ``scale`` are
    (rows, columns))."""

    shape: Pair
    origin: tuple[float, float]
    scale: tuple[float, float]

    def cell(self, row: int, col: int) -> tuple[float, float, float, float]:
        """(top, left, height, width) of pixel (row, col), in input coordinates."""
        return (self.origin[0] + row * self.scale[0], self.origin[1] + col * self.scale[1],
                self.scale[0], self.scale[1])

    @property
    def extent(self) -> tuple[float, float, float, float]:
        """(top, left, height, width) of the whole image, in input coordinates."""
        return (self.origin[0], self.origin[1], self.shape[0] * self.scale[0], self.shape[1] * self.scale[1])

    def index_at(self, y: float, x: float) -> Pair:
        """(row, col) of the pixel drawn at input coordinates (y, x); may lie outside the image."""
        return (int((y - self.origin[0]) // self.scale[0]), int((x - self.origin[1]) // self.scale[1]))

    def holds(self, row: int, col: int) -> bool:
        return 0 <= row < self.shape[0] and 0 <= col < self.shape[1]


@dataclass(frozen=True)
class Geometry:
    """The geometry of one convolve+pool job on an image of ``image_shape``; build it with ``Geometry.of``."""

    image_shape: Pair
    kernel_shape: Pair
    lab: bool
    before: Pair  # padding above and left of the image: input row of window (0, 0)'s top is -before[0]
    conv_shape: Pair
    pool: PoolOptions | None
    pooled_shape: Pair | None
    stride: Pair = (1, 1)
    dilation: Pair = (1, 1)

    @classmethod
    def of(cls, image_shape: tuple[int, ...], options: JobOptions) -> "Geometry":
        height, width = (int(image_shape[0]), int(image_shape[1]))
        top, _, left, _ = options.padding_for(height, width)
        if options.lab:  # the notebook's loop reads x-1..x+1: a 'SAME' window, though it pads nothing
            top, left = 1, 1
        return cls(image_shape=(height, width), kernel_shape=options.shape, lab=options.lab, before=(top, left),
                   conv_shape=options.output_shape(height, width), pool=options.pool,
                   pooled_shape=options.pooled_shape(height, width), stride=options.stride,
                   dilation=options.dilation)

    # -- the convolved image ------------------------------------------------------------------------
    @property
    def anchor(self) -> Pair:
        """The kernel cell (row, col) drawn over the output pixel: the window's centre, upper-left of the
        two middles for even sizes (TensorFlow's 'SAME' rule)."""
        return ((self.kernel_shape[0] - 1) // 2, (self.kernel_shape[1] - 1) // 2)

    @property
    def conv_origin(self) -> Pair:
        """Input (row, col) of convolved pixel (0, 0)'s anchor: (0, 0), or the missing padding for 'valid'."""
        return (self.anchor[0] * self.dilation[0] - self.before[0],
                self.anchor[1] * self.dilation[1] - self.before[1])

    @property
    def conv(self) -> Placement:
        return Placement(self.conv_shape, tuple(float(v) for v in self.conv_origin),
                         (float(self.stride[0]), float(self.stride[1])))

    def input_window(self, row: int, col: int) -> Rect:
        """The input pixels convolved pixel (row, col) reads (with dilation, the bounding rectangle of its
        taps). Lab mode's margin, which the notebook's loop never writes, reads its own pixel only."""
        if self.untouched(row, col):
            return Rect(row, col, 1, 1)
        kh, kw = self.kernel_shape
        return Rect(row * self.stride[0] - self.before[0], col * self.stride[1] - self.before[1],
                    (kh - 1) * self.dilation[0] + 1, (kw - 1) * self.dilation[1] + 1)

    def taps(self, row: int, col: int) -> list[Pair]:
        """The input (row, col) each kernel cell of convolved pixel (row, col) reads, row-major; with
        dilation they are ``dilation`` apart, and may lie outside the image (padding)."""
        if self.untouched(row, col):
            return [(row, col)]
        window = self.input_window(row, col)
        kh, kw = self.kernel_shape
        if self.lab:  # the notebook's loop: filter[a][b] reads row x+b-1, column y+a-1 (transposed)
            return [(window.top + b, window.left + a) for a in range(kh) for b in range(kw)]
        return [(window.top + i * self.dilation[0], window.left + j * self.dilation[1])
                for i in range(kh) for j in range(kw)]

    def outputs_reading(self, row: int, col: int) -> list[Pair]:
        """The convolved pixels whose window has a tap on input pixel (row, col), row-major (padding that
        copies the pixel elsewhere is not counted: these are the windows drawn over it)."""
        def along(index: int, axis: int) -> list[int]:
            step, gap, before = self.stride[axis], self.dilation[axis], self.before[axis]
            found = set()
            for k in range(self.kernel_shape[axis]):
                start = index + before - k * gap  # out * step must equal this
                if start >= 0 and start % step == 0 and start // step < self.conv_shape[axis]:
                    found.add(start // step)
            return sorted(found)

        if self.lab:
            return [(r, c) for r in range(row - 1, row + 2) for c in range(col - 1, col + 2)
                    if 0 <= r < self.conv_shape[0] and 0 <= c < self.conv_shape[1] and not self.untouched(r, c)]
        return [(r, c) for r in along(row, 0) for c in along(col, 1)]

    def untouched(self, row: int, col: int) -> bool:
        """Lab mode: the 1-pixel margin keeps the input pixel (the notebook's loop skips it)."""
        height, width = self.image_shape
        return self.lab and not (1 <= row < height - 1 and 1 <= col < width - 1)

    # -- the pooled image ---------------------------------------------------------------------------
    @property
    def pool_step(self) -> int:
        return 0 if self.pool is None else self.pool.step

    def pool_window(self, prow: int, pcol: int) -> Rect:
        """The convolved pixels pooled pixel (prow, pcol) takes its value from."""
        if self.pool is None:
            raise OptionsError("pooling is off: there are no pooled pixels")
        return Rect(prow * self.pool.step, pcol * self.pool.step, self.pool.size, self.pool.size)

    @property
    def pooled(self) -> Placement | None:
        """Each pooled pixel is drawn over the step x step block of convolved pixels starting at its window."""
        if self.pool is None or self.pooled_shape is None:
            return None
        conv = self.conv
        return Placement(self.pooled_shape, conv.origin,
                         (conv.scale[0] * self.pool.step, conv.scale[1] * self.pool.step))

    # -- all three together -------------------------------------------------------------------------
    @property
    def bounds(self) -> tuple[float, float, float, float]:
        """(top, left, height, width) holding the input, the convolved and the pooled image: what a Fit shows."""
        extents = [(0.0, 0.0, float(self.image_shape[0]), float(self.image_shape[1]))]
        for placement in (self.conv, self.pooled):
            if placement is not None and placement.shape[0] and placement.shape[1]:
                extents.append(placement.extent)
        top = min(e[0] for e in extents)
        left = min(e[1] for e in extents)
        bottom = max(e[0] + e[2] for e in extents)
        right = max(e[1] + e[3] for e in extents)
        return (top, left, bottom - top, right - left)
