"""The bundled Chinese font, registered with reportlab once per process.

WenQuanYi Micro Hei (resources/fonts/wqy-microhei.ttc, Apache-2.0) has TrueType outlines, so
reportlab embeds a subset of it in every PDF we write (DESIGN.md §6). Face 0 of the collection
is the proportional face.
"""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from tic_desktop.paths import font_path

FONT_NAME = "WQYMicroHei"
"""The name to use in reportlab styles and canvases after `register_fonts()`."""

_lock = threading.Lock()
_registered = False


def register_fonts() -> str:
    """Register the bundled font with reportlab (idempotent, thread-safe); returns its name."""
    global _registered
    with _lock:
        if not _registered:
            pdfmetrics.registerFont(TTFont(FONT_NAME, str(font_path()), subfontIndex=0))
            # Bold and italic map to the same face: the font has no bold variant, and
            # <b> in a Paragraph must not fall back to a font without Chinese glyphs.
            pdfmetrics.registerFontFamily(
                FONT_NAME, normal=FONT_NAME, bold=FONT_NAME, italic=FONT_NAME, boldItalic=FONT_NAME
            )
            _registered = True
    return FONT_NAME
