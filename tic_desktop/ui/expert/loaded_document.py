"""LoadedDocument: a proposal PDF opened from bytes for the document viewer."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice
from PySide6.QtPdf import QPdfDocument


class LoadedDocument:
    """A QPdfDocument and the buffer it reads from (QtPdf reads lazily, so both must live)."""

    def __init__(self, data: bytes, parent: Any) -> None:
        self.bytes = QByteArray(data)
        self.buffer = QBuffer(parent)
        self.buffer.setData(self.bytes)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    @property
    def ok(self) -> bool:
        return (self.document.status() == QPdfDocument.Status.Ready
                and self.document.error() == QPdfDocument.Error.None_
                and self.document.pageCount() > 0)

    def close(self) -> None:
        self.document.close()
        self.document.deleteLater()
        self.buffer.close()
        self.buffer.deleteLater()
