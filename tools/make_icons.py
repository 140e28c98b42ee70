"""Draw Kernelscope's app icon (a 3x3 kernel sliding over an image) and write PNG, ICO and ICNS files.

Run once after changing the design: python tools/make_icons.py
"""

from pathlib import Path

from PIL import Image, ImageDraw

OUT = Path(__file__).resolve().parent.parent / "resources" / "icons"


def draw(size: int = 1024) -> Image.Image:
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    d = ImageDraw.Draw(image)
    pad = size // 16
    d.rounded_rectangle([pad, pad, size - pad, size - pad], radius=size // 6, fill=(28, 37, 54, 255))
    cells, inner = 6, size - 4 * pad
    step = inner / cells
    for r in range(cells):
        for c in range(cells):
            shade = int(70 + 150 * ((r * 3 + c * 5) % 7) / 6)
            x0, y0 = 2 * pad + c * step, 2 * pad + r * step
            d.rectangle([x0 + step * 0.08, y0 + step * 0.08, x0 + step * 0.92, y0 + step * 0.92],
                        fill=(shade, shade, shade, 255))
    x0, y0 = 2 * pad + 1 * step, 2 * pad + 2 * step
    d.rectangle([x0 - step * 0.05, y0 - step * 0.05, x0 + 3.05 * step, y0 + 3.05 * step],
                outline=(255, 213, 79, 255), width=max(size // 40, 2))
    cx, cy = x0 + 1.5 * step, y0 + 1.5 * step
    d.rectangle([cx - step * 0.42, cy - step * 0.42, cx + step * 0.42, cy + step * 0.42], fill=(0, 229, 255, 255))
    return image


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    icon = draw()
    icon.resize((256, 256), Image.LANCZOS).save(OUT / "kernelscope.png")
    icon.save(OUT / "kernelscope.ico", sizes=[(16, 16), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])
    icon.save(OUT / "kernelscope.icns")
    print("wrote", *sorted(p.name for p in OUT.iterdir()))
