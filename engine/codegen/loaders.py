"""The image loaders exported scripts carry: ``load_gray`` (pictures as 8-bit gray, as Kernelscope opens
them by default) and ``load_rgb`` (pictures as H x W x 3, as ``--channels rgb`` opens them); both use a
.npy exactly as stored."""

from __future__ import annotations

#: A loader: a .npy as stored, a picture opened as Kernelscope opens it (engine.images) in Pillow's {mode}.
LOADER = '''
def {name}(path):
    """{doc}
    """
    if path.lower().endswith(".npy"):
        return np.load(path)
    from PIL import Image

    with Image.open(path) as im:
        if im.mode.startswith("I;16"):
            wide = np.asarray(im, dtype=np.uint32)
            return {sixteen}
        if im.mode == "P":
            im = im.convert("RGBA")
        if "A" in im.getbands():
            im = Image.alpha_composite(Image.new("RGBA", im.size, "white"), im.convert("RGBA"))
        return np.asarray(im.convert("{mode}"))
'''

GRAY = LOADER.format(name="load_gray", mode="L", sixteen="((wide * 2 + 257) // 514).astype(np.uint8)", doc="""\
The image as Kernelscope opens it: a .npy array exactly as stored; a picture as 8-bit gray.

    Gray pictures stay as they are; colour becomes ITU-R BT.601 luma, rounded (Pillow's "L" mode);
    transparent pixels are first composited over white; 16-bit gray becomes round(v / 257). Kernelscope
    also reads 16-bit colour PNGs at full depth, PNG colour keys and 32-bit TIFFs; for those, save the gray
    image it sees as .npy first: python main.py apply IMAGE --kernel 1 --pool none --out gray.npy""")

RGB = LOADER.format(name="load_rgb", mode="RGB",
                    sixteen="np.repeat(((wide * 2 + 257) // 514).astype(np.uint8)[:, :, None], 3, axis=2)", doc="""\
The image as Kernelscope opens it with --channels rgb: a .npy array exactly as stored (H x W, or
    H x W x C with 1 to 4 channels); a picture as H x W x 3, 8 bits a channel.

    Transparent pixels are first composited over white; gray pictures give their gray value in all three
    channels, 16-bit gray round(v / 257). Kernelscope also reads 16-bit colour PNGs at full depth, PNG
    colour keys and 32-bit TIFFs; for those, save the image it sees as .npy first:
    python main.py apply IMAGE --channels rgb --kernel 1 --pool none --out rgb.npy""")

#: The loader's name and text for each way of opening pictures.
LOADERS = {"gray": ("load_gray", GRAY), "rgb": ("load_rgb", RGB)}
