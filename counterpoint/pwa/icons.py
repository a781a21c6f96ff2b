"""Draw the app icons (PNG) from the same two circles as static/img/icon.svg, in plain Python.

Run ``python -m counterpoint.pwa.icons`` after changing the design; the PNGs are committed.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

BACKGROUND = (250, 248, 245)  # --bg
LEFT = (61, 58, 140)  # indigo, as in icon.svg
RIGHT = (217, 114, 91)  # coral
OPACITY = 0.85
SAMPLES = 3  # per axis, for smooth edges


def _blend(under: tuple[float, ...], over: tuple[int, ...], alpha: float) -> tuple[float, ...]:
    return tuple(u * (1 - alpha) + o * alpha for u, o in zip(under, over, strict=True))


def render(size: int, *, safe_zone: float = 1.0) -> bytes:
    """An opaque square icon; ``safe_zone`` < 1 shrinks the circles for maskable icons."""
    scale = size / 32 * safe_zone
    offset = size * (1 - safe_zone) / 2
    circles = [
        (12 * scale + offset, 16 * scale + offset, LEFT),
        (20 * scale + offset, 16 * scale + offset, RIGHT),
    ]
    radius2 = (9 * scale) ** 2
    rows = bytearray()
    for y in range(size):
        rows.append(0)  # filter: none
        for x in range(size):
            acc = [0.0, 0.0, 0.0]
            for sy in range(SAMPLES):
                for sx in range(SAMPLES):
                    px = x + (sx + 0.5) / SAMPLES
                    py = y + (sy + 0.5) / SAMPLES
                    colour: tuple[float, ...] = BACKGROUND
                    for cx, cy, fill in circles:
                        if (px - cx) ** 2 + (py - cy) ** 2 <= radius2:
                            colour = _blend(colour, fill, OPACITY)
                    for i in range(3):
                        acc[i] += colour[i]
            rows.extend(round(c / SAMPLES**2) for c in acc)

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0)  # 8-bit RGB
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(bytes(rows), 9))
        + chunk(b"IEND", b"")
    )


ICONS = {
    "icon-192.png": (192, 1.0),
    "icon-512.png": (512, 1.0),
    "icon-maskable-512.png": (512, 0.7),  # the whole design inside the maskable safe circle
    "apple-touch-icon.png": (180, 0.85),
}


def main(folder: str = "static/img") -> None:
    for name, (size, zone) in ICONS.items():
        path = Path(folder) / name
        path.write_bytes(render(size, safe_zone=zone))
        print(f"wrote {path}")


if __name__ == "__main__":
    main(*sys.argv[1:])
