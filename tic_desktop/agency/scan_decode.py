"""Reading the QR codes of scanned score-sheet pages (issue 15; no Qt).

A scan is a PDF from an office copier (every page rasterised with pypdfium2 at 200 dpi, grey) or an
image file (JPEG, PNG, TIFF — every frame of a multi-page TIFF — read with Pillow). Each page's codes
are read with zxing-cpp (which finds rotated and skewed codes); when the first pass finds none of
ours, the page is tried again binarised, then downscaled by half, then sharpened. A page with none
of our codes gets a reason and a thumbnail, for a person to match by hand.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tic_desktop.core.errors import Rejected, register
from tic_desktop.formats import page_code
from tic_desktop.formats.page_code import PageCode

DPI = 200
THUMB_WIDTH = 240
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff")
SCAN_SUFFIXES = (".pdf", *IMAGE_SUFFIXES)
MAX_PIXELS = 80_000_000
"""A page larger than this (e.g. a 1200 dpi A3 scan) is refused rather than decoded."""

SCAN_UNREADABLE_FILE = register("scan.unreadable_file", "无法读取扫描文件（不是有效的 PDF 或图像文件）。",
                                "The scan file cannot be read (not a valid PDF or image file).")
SCAN_NOT_SCAN = register("scan.not_scan", "不是扫描文件：只接受 PDF、JPEG、PNG、TIFF 文件。",
                         "Not a scan: only PDF, JPEG, PNG and TIFF files are accepted.")
SCAN_NO_FILES = register("scan.no_files", "没有找到扫描文件（PDF、JPEG、PNG、TIFF）。",
                         "No scan files (PDF, JPEG, PNG, TIFF) were found.")

REASON_NO_CODE = "no_code"
REASON_FOREIGN = "foreign_code"
REASON_TOO_LARGE = "too_large"
REASON_BAD_PAGE = "bad_page"
REASONS = {
    REASON_NO_CODE: ("未找到二维码（可能模糊、被遮挡、裁切或页面不是评分表）",
                     "no QR code found (blurred, covered, cut off, or not a score-sheet page)"),
    REASON_FOREIGN: ("二维码不是本软件评分表的页码二维码", "the QR code is not a score-sheet page code of this software"),
    REASON_TOO_LARGE: ("页面图像过大，未解码", "the page image is too large to decode"),
    REASON_BAD_PAGE: ("页面无法渲染", "the page could not be rendered"),
}


@dataclass(frozen=True)
class ScanPage:
    """One page of a scan file, before decoding (`load()` renders or reads it)."""

    source: Path
    index: int
    """1-based within its file."""
    load: Callable[[], Any]


@dataclass(frozen=True)
class DecodedPage:
    source: Path
    index: int
    codes: tuple[PageCode, ...]
    """Ours, best first: page codes (TIC1) before the older signature-block code."""
    texts: tuple[str, ...]
    """Every QR text read on the page (ours or not)."""
    reason: str
    """"" when a code of ours was read, else one of REASONS."""
    thumbnail: bytes
    """A small PNG of the page (always made: the checklist shows unreadable pages)."""

    @property
    def code(self) -> PageCode | None:
        return self.codes[0] if self.codes else None


def reason_text(reason: str, lang: str = "zh") -> str:
    zh, en = REASONS.get(reason, (reason, reason))
    return zh if lang.startswith("zh") else en


def scan_files(paths: Sequence[Path]) -> list[Path]:
    """The scan files among `paths` (folders walked, sorted by name; files kept in the order given)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted((p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SCAN_SUFFIXES),
                          key=lambda p: str(p.relative_to(path)))
        elif path.suffix.lower() in SCAN_SUFFIXES:
            out.append(path)
        else:
            raise Rejected(SCAN_NOT_SCAN, str(path))
    if not out:
        raise Rejected(SCAN_NO_FILES, ", ".join(str(p) for p in paths))
    return out


def pages_of(path: Path) -> list[ScanPage]:
    """The pages of one scan file (nothing is rendered yet). Raises Rejected(scan.unreadable_file)."""
    if path.suffix.lower() == ".pdf":
        return _pdf_pages(path)
    return _image_pages(path)


def _pdf_pages(path: Path) -> list[ScanPage]:
    import pypdfium2 as pdfium  # noqa: PLC0415

    try:
        doc = pdfium.PdfDocument(path)
        count = len(doc)
    except Exception as exc:  # noqa: BLE001 - pdfium raises its own PdfiumError and OSError
        raise Rejected(SCAN_UNREADABLE_FILE, f"{path}: {exc}") from exc

    def loader(i: int) -> Callable[[], Any]:
        def load() -> Any:
            page = doc[i]
            try:
                width, height = page.get_size()
                scale = DPI / 72
                if width * height * scale * scale > MAX_PIXELS:
                    scale = (MAX_PIXELS / (width * height)) ** 0.5
                return page.render(scale=scale, grayscale=True).to_pil()
            finally:
                page.close()
        return load

    return [ScanPage(path, i + 1, loader(i)) for i in range(count)]


def _image_pages(path: Path) -> list[ScanPage]:
    from PIL import Image  # noqa: PLC0415

    try:
        with Image.open(path) as img:
            frames = getattr(img, "n_frames", 1)
    except Exception as exc:  # noqa: BLE001 - Pillow raises UnidentifiedImageError, OSError, SyntaxError…
        raise Rejected(SCAN_UNREADABLE_FILE, f"{path}: {exc}") from exc

    def loader(i: int) -> Callable[[], Any]:
        def load() -> Any:
            with Image.open(path) as img:
                img.seek(i)
                if img.width * img.height > MAX_PIXELS:
                    raise _TooLarge
                return img.convert("L")
        return load

    return [ScanPage(path, i + 1, loader(i)) for i in range(frames)]


class _TooLarge(Exception):
    pass


def _read(img: Any) -> list[str]:
    import zxingcpp  # noqa: PLC0415

    return [r.text for r in zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode) if r.valid]


def _attempts(img: Any) -> Iterator[Any]:
    """The page as scanned, then binarised, downscaled by half, sharpened (each only when needed)."""
    from PIL import ImageFilter, ImageOps  # noqa: PLC0415

    yield img
    yield ImageOps.autocontrast(img, cutoff=1).point(lambda v: 255 if v > 140 else 0)
    yield img.reduce(2)
    yield img.filter(ImageFilter.MedianFilter(3)).filter(ImageFilter.SHARPEN)


def decode_image(img: Any) -> tuple[tuple[PageCode, ...], tuple[str, ...]]:
    """Our codes (page codes first) and every QR text read on one page image."""
    texts: list[str] = []
    for attempt in _attempts(img):
        for text in _read(attempt):
            if text not in texts:
                texts.append(text)
        codes = [c for c in (page_code.parse(t) for t in texts) if c is not None]
        if any(c.page is not None for c in codes):
            break
    codes = [c for c in (page_code.parse(t) for t in texts) if c is not None]
    codes.sort(key=lambda c: c.page is None)
    return tuple(codes), tuple(texts)


def thumbnail(img: Any, width: int = THUMB_WIDTH) -> bytes:
    from PIL import Image  # noqa: PLC0415

    small = img.copy()
    small.thumbnail((width, width * 2), Image.Resampling.BILINEAR)
    buf = io.BytesIO()
    small.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


def decode_page(page: ScanPage) -> DecodedPage:
    try:
        img = page.load()
    except _TooLarge:
        return DecodedPage(page.source, page.index, (), (), REASON_TOO_LARGE, b"")
    except Exception:  # noqa: BLE001 - a broken page in a file whose other pages are fine
        return DecodedPage(page.source, page.index, (), (), REASON_BAD_PAGE, b"")
    codes, texts = decode_image(img)
    reason = "" if codes else (REASON_FOREIGN if texts else REASON_NO_CODE)
    return DecodedPage(page.source, page.index, codes, texts, reason, thumbnail(img))


def decode_files(files: Sequence[Path], *, progress: Callable[[int, int], None] | None = None,
                 cancelled: Callable[[], bool] | None = None) -> list[DecodedPage]:
    """Every page of every file, in order. `progress(done, total)` after each page; `cancelled()`
    asked before each (stops early, returning what was read)."""
    pages = [p for f in files for p in pages_of(f)]
    out: list[DecodedPage] = []
    if progress is not None:
        progress(0, len(pages))
    for i, page in enumerate(pages):
        if cancelled is not None and cancelled():
            break
        out.append(decode_page(page))
        if progress is not None:
            progress(i + 1, len(pages))
    return out
