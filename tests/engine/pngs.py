"""PNG files written byte by byte (zlib and struct only), so the loader is tested on files no library wrote."""

import struct
import zlib

import numpy as np

COLOUR_TYPES = {"gray": 0, "rgb": 2, "gray+alpha": 4, "rgba": 6}


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def _filtered(rows: list[list[int]], bpp: int) -> bytes:
    """Each row with a filter byte, cycling None, Sub, Up, Average and Paeth so every filter is exercised."""
    out = b""
    previous = [0] * len(rows[0])
    for index, row in enumerate(rows):
        kind = index % 5
        line = []
        for k, value in enumerate(row):
            left = row[k - bpp] if k >= bpp else 0
            up = previous[k]
            up_left = previous[k - bpp] if k >= bpp else 0
            if kind == 0:
                predicted = 0
            elif kind == 1:
                predicted = left
            elif kind == 2:
                predicted = up
            elif kind == 3:
                predicted = (left + up) // 2
            else:
                p = left + up - up_left
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - up_left)
                predicted = left if pa <= pb and pa <= pc else (up if pb <= pc else up_left)
            line.append((value - predicted) % 256)
        out += bytes([kind]) + bytes(line)
        previous = row
    return out


def png_bytes(samples: np.ndarray, colour: str, depth: int, trns: bytes | None = None) -> bytes:
    """A PNG of ``samples`` (height x width x channels, or height x width for gray) at ``depth`` bits."""
    samples = np.asarray(samples)
    if samples.ndim == 2:
        samples = samples[:, :, None]
    height, width, channels = samples.shape
    if depth == 16:
        rows = samples.astype(">u2").reshape(height, -1).view(np.uint8).reshape(height, -1).tolist()
    elif depth == 8:
        rows = samples.astype(np.uint8).reshape(height, -1).tolist()
    else:  # 1, 2, 4-bit gray: pack samples into bytes, most significant first
        per_byte = 8 // depth
        rows = []
        for row in samples[:, :, 0].tolist():
            packed = []
            for start in range(0, width, per_byte):
                byte = 0
                for i in range(per_byte):
                    byte = (byte << depth) | (row[start + i] if start + i < width else 0)
                packed.append(byte)
            rows.append(packed)
    bpp = max(1, channels * depth // 8)
    header = struct.pack(">IIBBBBB", width, height, depth, COLOUR_TYPES[colour], 0, 0, 0)
    body = _chunk(b"IHDR", header) + (_chunk(b"tRNS", trns) if trns is not None else b"")
    body += _chunk(b"IDAT", zlib.compress(_filtered(rows, bpp)))
    return b"\x89PNG\r\n\x1a\n" + body + _chunk(b"IEND", b"")
