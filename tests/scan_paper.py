"""Paper for the scan-matching tests: a sheet's printed PDFs rasterised at 200 dpi and degraded as an
office copier does (grey, noise, a 2° rotation, JPEG compression), with Pillow and pypdfium2 only."""

from __future__ import annotations

import io
import random
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter


def rasterise(pdf: bytes | Path, dpi: int = 200) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, Path) else io.BytesIO(pdf))
    try:
        return [doc[i].render(scale=dpi / 72, grayscale=True).to_pil().convert("L") for i in range(len(doc))]
    finally:
        doc.close()


def degrade(img: Image.Image, *, angle: float = 2.0, seed: int = 0, quality: int = 55) -> Image.Image:
    """Grey, Gaussian noise (σ≈18 at 30%), a slight blur, rotated by `angle`° on white, JPEG `quality`."""
    rng = random.Random(seed)
    grey = img.convert("L")
    noise = Image.effect_noise(grey.size, 18 + rng.random() * 4)
    noisy = Image.blend(grey, ImageChops.multiply(grey, noise.point(lambda v: min(255, v + 80))), 0.3)
    noisy = noisy.filter(ImageFilter.GaussianBlur(0.6))
    rotated = noisy.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=235)
    buf = io.BytesIO()
    rotated.save(buf, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buf.getvalue())).convert("L")


def cover_code(img: Image.Image) -> Image.Image:
    """The page with its lower right corner (where the page code is) inked over, as a coffee stain would."""
    out = img.copy()
    w, h = out.size
    ImageDraw.Draw(out).rectangle((int(w * 0.78), int(h * 0.86), w, h), fill=40)
    return out


def save_pdf(images: list[Image.Image], path: Path, dpi: int = 200) -> Path:
    """A multi-page PDF of `images` (as a copier's scan-to-PDF writes one), by Pillow."""
    images[0].convert("RGB").save(path, format="PDF", save_all=True, resolution=dpi,
                                  append_images=[i.convert("RGB") for i in images[1:]])
    return path
