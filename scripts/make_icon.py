"""Draw the app icon (resources/icons/tic-desktop.png and .ico) with QPainter: a seal with 评."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QRectF, Qt  # noqa: E402
from PySide6.QtGui import QColor, QFont, QGuiApplication, QImage, QPainter, QPen  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def draw(size: int) -> QImage:
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    p = QPainter(image)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    m = size * 0.06
    rect = QRectF(m, m, size - 2 * m, size - 2 * m)
    p.setPen(Qt.PenStyle.NoPen)
    p.setBrush(QColor("#1f5fa8"))
    p.drawRoundedRect(rect, size * 0.18, size * 0.18)
    p.setPen(QPen(QColor("#ffffff"), max(1.0, size * 0.035)))
    inner = rect.adjusted(size * 0.1, size * 0.1, -size * 0.1, -size * 0.1)
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRoundedRect(inner, size * 0.1, size * 0.1)
    font = QFont("WenQuanYi Micro Hei")
    font.setPixelSize(int(size * 0.48))
    font.setBold(True)
    p.setFont(font)
    p.setPen(QColor("#ffffff"))
    p.drawText(inner, Qt.AlignmentFlag.AlignCenter, "评")
    p.end()
    return image


def main() -> None:
    _app = QGuiApplication(sys.argv)
    out = ROOT / "resources" / "icons"
    out.mkdir(parents=True, exist_ok=True)
    draw(256).save(str(out / "tic-desktop.png"))
    draw(64).save(str(out / "tic-desktop-64.png"))


if __name__ == "__main__":
    main()
