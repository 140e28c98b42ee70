"""Plain, obviously-correct reference loops, written independently of the engine's code.

Pure Python over lists of numbers: slow, but each line says exactly what the rule says.
"""

import math

import numpy as np


def source(index, size, border):
    """Which in-image index a possibly-outside index reads, by repeatedly folding it back in."""
    if 0 <= index < size:
        return index
    if border == "zero":
        return None
    if border == "edge":
        return min(max(index, 0), size - 1)
    if border == "wrap":
        while index < 0:
            index += size
        while index >= size:
            index -= size
        return index
    if border == "reflect":  # mirror about the edge pixel: ... c b | a b c | b a ...
        if size == 1:
            return 0
        while not 0 <= index < size:
            if index < 0:
                index = -index
            if index >= size:
                index = 2 * (size - 1) - index
        return index
    if border == "symmetric":  # mirror between pixels: ... b a | a b c | c b ...
        while not 0 <= index < size:
            if index < 0:
                index = -index - 1
            if index >= size:
                index = 2 * size - 1 - index
        return index
    raise ValueError(border)


def pixel(image, r, c, border):
    h, w = len(image), len(image[0])
    sr, sc = source(r, h, border), source(c, w, border)
    if sr is None or sc is None:
        return 0.0
    return float(image[sr][sc])


def store(value, output_range):
    if output_range == "relu":  # max(v, 0) as float32
        return float(np.float32(value)) if value > 0 else 0.0
    if output_range == "raw":
        return float(np.float32(value))
    if value < 0:
        value = 0.0
    if value > 255:
        value = 255.0
    return float(math.trunc(value))


def convolve(image, kernel, weight=1.0, offset=0.0, border="zero", output_range="clamp"):
    """Standard mode: cross-correlation with TensorFlow 'SAME' anchor, or 'valid'."""
    image = np.asarray(image).tolist()
    h, w = len(image), len(image[0])
    kh, kw = len(kernel), len(kernel[0])
    if border == "valid":
        top = left = 0
        out_h, out_w = h - kh + 1, w - kw + 1
    else:
        top, left = (kh - 1) // 2, (kw - 1) // 2
        out_h, out_w = h, w
    out = []
    for r in range(out_h):
        row = []
        for c in range(out_w):
            total = 0.0
            for i in range(kh):
                for j in range(kw):
                    total = total + float(kernel[i][j]) * pixel(image, r + i - top, c + j - left,
                                                                "zero" if border == "valid" else border)
            row.append(store(total * weight + offset, output_range))
        out.append(row)
    return out


def lab_convolve(image, kernel, weight=1.0):
    """The notebook's semantics, transcribed: x is the row, filter[a][b] meets i[x+b-1][y+a-1], the margin
    keeps the input, the float result is clamped and truncated into the integer image."""
    i = [[int(v) for v in row] for row in np.asarray(image).tolist()]
    size_x, size_y = len(i), len(i[0])
    out = [row[:] for row in i]
    for x in range(1, size_x - 1):
        for y in range(1, size_y - 1):
            conv = 0.0
            for a in range(3):
                for b in range(3):
                    conv = conv + i[x + b - 1][y + a - 1] * kernel[a][b]
            conv = conv * weight
            if conv < 0:
                conv = 0
            if conv > 255:
                conv = 255
            out[x][y] = int(conv)
    return out


def pool(conv, op, size, stride=None):
    stride = stride or size
    conv = np.asarray(conv).tolist()
    h, w = len(conv), len(conv[0])
    out = []
    r = 0
    while r + size <= h:
        row = []
        c = 0
        while c + size <= w:
            values = [float(conv[r + i][c + j]) for i in range(size) for j in range(size)]
            if op == "max":
                row.append(max(values))
            elif op == "min":
                row.append(min(values))
            else:
                total = 0.0
                for v in values:
                    total = total + v
                row.append(float(np.float32(total / len(values))))
            c += stride
        out.append(row)
        r += stride
    return out


def lab_pool(conv):
    conv = np.asarray(conv).tolist()
    out = []
    for x in range(0, len(conv), 2):
        row = []
        for y in range(0, len(conv[0]), 2):
            row.append(max(conv[x][y], conv[x + 1][y], conv[x][y + 1], conv[x + 1][y + 1]))
        out.append(row)
    return out


def as_float_lists(array):
    return [[float(v) for v in row] for row in np.asarray(array).tolist()]


def explain(image, kernel, r, c, border="zero"):
    """The terms of standard-mode out[r][c] as (kernel_pos, input_pos, source_pos, origin, value, k, product,
    running_sum), in the loop's order; and the final sum."""
    image = np.asarray(image).tolist()
    h, w = len(image), len(image[0])
    kh, kw = len(kernel), len(kernel[0])
    top, left = (0, 0) if border == "valid" else ((kh - 1) // 2, (kw - 1) // 2)
    mode = "zero" if border == "valid" else border
    terms = []
    total = 0.0
    for i in range(kh):
        for j in range(kw):
            ir, ic = r + i - top, c + j - left
            sr, sc = source(ir, h, mode), source(ic, w, mode)
            if sr is None or sc is None:
                where, origin, value = None, "zero", 0.0
            else:
                where = (sr, sc)
                origin = "image" if where == (ir, ic) else mode
                value = float(image[sr][sc])
            k = float(kernel[i][j])
            product = value * k
            total = total + product
            terms.append(((i, j), (ir, ic), where, origin, value, k, product, total))
    return terms, total


def lab_explain(image, kernel, x, y):
    """The notebook's terms for an interior pixel: filter[a][b] meets i[x+b-1][y+a-1]."""
    i = np.asarray(image).tolist()
    terms = []
    conv = 0.0
    for a in range(3):
        for b in range(3):
            value = float(int(i[x + b - 1][y + a - 1]))
            product = value * float(kernel[a][b])
            conv = conv + product
            terms.append(((a, b), (x + b - 1, y + a - 1), value, float(kernel[a][b]), product, conv))
    return terms, conv


def pool_windows(conv, size, stride=None):
    """((top, left), [values row-major]) for every pooling window that fits."""
    stride = stride or size
    conv = np.asarray(conv).tolist()
    h, w = len(conv), len(conv[0])
    windows = []
    for top in range(0, h - size + 1, stride):
        for left in range(0, w - size + 1, stride):
            windows.append(((top, left), [float(conv[top + i][left + j]) for i in range(size) for j in range(size)]))
    return windows


def layer(image, kernel, weight=1.0, offset=0.0, border="zero", output_range="clamp", stride=(1, 1),
          dilation=(1, 1)):
    """A convolution layer written from its formula, as nested lists: out[r][c][o] =
    weight * sum_{i, j, ci} K[i][j][ci][o] * P[r*sh + i*dh][c*sw + j*dw][ci] + offset[o], summed in the
    order i, j, ci; a 2-D kernel filters each channel by itself. TF 'SAME' padding, or 'valid'."""
    image = np.asarray(image)
    if image.ndim == 2:
        image = image[:, :, None]
    planes = [image[:, :, ci].tolist() for ci in range(image.shape[2])]
    h, w, cin = image.shape
    kernel = np.asarray(kernel, dtype=np.float64)
    depthwise = kernel.ndim == 2
    kh, kw = kernel.shape[:2]
    cout = cin if depthwise else kernel.shape[3]
    offsets = list(offset) if isinstance(offset, (list, tuple)) else [offset] * cout
    (sh, sw), (dh, dw) = stride, dilation
    span_h, span_w = (kh - 1) * dh + 1, (kw - 1) * dw + 1
    if border == "valid":
        out_h = 0 if h < span_h else (h - span_h) // sh + 1
        out_w = 0 if w < span_w else (w - span_w) // sw + 1
        top = left = 0
    else:
        out_h, out_w = -(-h // sh), -(-w // sw)
        top = max((out_h - 1) * sh + span_h - h, 0) // 2
        left = max((out_w - 1) * sw + span_w - w, 0) // 2
    read = "zero" if border == "valid" else border
    out = []
    for r in range(out_h):
        row = []
        for c in range(out_w):
            values = []
            for o in range(cout):
                total = 0.0
                for i in range(kh):
                    for j in range(kw):
                        for ci in ([o] if depthwise else range(cin)):
                            k = kernel[i][j] if depthwise else kernel[i][j][ci][o]
                            total = total + float(k) * pixel(planes[ci], r * sh + i * dh - top,
                                                             c * sw + j * dw - left, read)
                v = total * weight + offsets[o]
                values.append(store(v, output_range))
            row.append(values)
        out.append(row)
    return out


def round_significant(value, digits):
    """``value`` rounded half-even to ``digits`` significant digits, by decimal arithmetic on its exact value."""
    from decimal import ROUND_HALF_EVEN, Decimal

    exact = Decimal(value)
    if exact == 0:
        return 0.0
    return float(exact.quantize(Decimal(1).scaleb(exact.adjusted() - digits + 1), rounding=ROUND_HALF_EVEN))


def significant_digits(text):
    """How many significant digits a plain decimal text shows ("-0.012" two, "507" three)."""
    return len(text.lstrip("+-").replace(".", "").lstrip("0"))
