"""The files of a batch source folder beside its tables: the proposals' PDFs (proposals/<id>/*.pdf,
given safe member names) and the agency's own pledge text (pledge_zh.txt, pledge_en.txt)."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from tic_desktop.core.errors import register
from tic_desktop.core.proposal import Document
from tic_desktop.core.types import Text
from tic_desktop.formats import table as tb
from tic_desktop.formats.source_proposals import UNKNOWN_REF, ProposalRow
from tic_desktop.formats.table import BAD_VALUE, MISSING_FILE, UNREADABLE

BAD_DOCUMENT = register("source.bad_document", "申报材料文件夹中有不符合要求的文件。只能放 PDF 文件。",
                        "A proposal folder holds a file that is not allowed. Only PDF files may be placed there.")

MAX_PDF_BYTES = 200 * 1024 * 1024
_SAFE_STEM = re.compile(r"^[a-z0-9][a-z0-9._-]{0,59}$")
_IGNORED_FILES = {"thumbs.db", "desktop.ini"}

DOCUMENT_NAMES = {"建设方案": "plan", "研发创新能力建设项目": "rd-project", "研发能力建设项目": "rd-project",
                  "相关证明材料": "evidence", "证明材料": "evidence", "财务审计报告": "audit", "审计报告": "audit",
                  "总结报告": "summary", "建设期满总结报告": "summary", "建设总结报告": "summary",
                  "专项审计报告": "audit", "自评报告": "self-assessment",
                  "建设任务书": "task-book", "任务书": "task-book", "年度报告": "annual-report"}
"""Safe member names for the usual Chinese document titles (the title itself is kept)."""

PLEDGE_FILES = ("pledge_zh.txt", "pledge_en.txt")
"""The agency's own 承诺书 for the batch (UTF-8 text; the English one optional)."""


def document_member_name(stem: str, taken: set[str]) -> str:
    """A safe lowercase member name for a PDF (建设方案 → plan); unique within `taken`."""
    stem = unicodedata.normalize("NFC", stem).strip()
    base = DOCUMENT_NAMES.get(stem)
    if base is None:
        slug = re.sub(r"[^a-z0-9._-]+", "-", stem.lower()).strip("-._")
        base = slug[:50] if slug and _SAFE_STEM.match(slug[:50]) else "document"
    name, i = base, 2
    while name in taken:
        name, i = f"{base}-{i}", i + 1
    taken.add(name)
    return f"{name}.pdf"


def read_documents(root: Path, proposals: dict[str, ProposalRow]) -> dict[str, bytes]:
    folder = root / "proposals"
    documents: dict[str, bytes] = {}
    if not folder.exists():
        return documents
    for sub in sorted(folder.iterdir()):
        rel = f"proposals/{sub.name}"
        if sub.name.startswith(".") or sub.name.lower() in _IGNORED_FILES:
            continue
        if sub.is_symlink() or not sub.is_dir():
            raise tb.fail(BAD_DOCUMENT, f"{rel}：proposals 下只能放以申报项目编号命名的文件夹",
                        f"{rel}: only folders named after proposal ids may be in proposals/")
        if sub.name not in proposals:
            raise tb.fail(UNKNOWN_REF, f"{rel}：文件夹名“{sub.name}”不是申报项目编号", f"{rel}: “{sub.name}” is not a proposal id")
        taken: set[str] = set()
        files = sorted(sub.iterdir(), key=lambda p: (unicodedata.normalize("NFC", p.stem) != "建设方案", p.name))
        for f in files:
            frel = f"{rel}/{f.name}"
            if f.name.startswith(".") or f.name.lower() in _IGNORED_FILES:
                continue
            if f.is_symlink() or not f.is_file() or f.suffix.lower() != ".pdf":
                raise tb.fail(BAD_DOCUMENT, f"{frel}：只能放 PDF 文件", f"{frel}: only PDF files are allowed")
            size = f.stat().st_size
            if size == 0 or size > MAX_PDF_BYTES:
                raise tb.fail(BAD_DOCUMENT, f"{frel}：文件为空或超过 200 MB", f"{frel}: empty or larger than 200 MB")
            data = f.read_bytes()
            if b"%PDF-" not in data[:1024]:
                raise tb.fail(BAD_DOCUMENT, f"{frel}：不是 PDF 文件（缺少 %PDF- 文件头）", f"{frel}: not a PDF (no %PDF- header)")
            member = f"{rel}/{document_member_name(f.stem, taken)}"
            documents[member] = data
            title = unicodedata.normalize("NFC", f.stem).strip()[:200] or f.name
            proposals[sub.name].documents.append(Document(path=member, title=title))
    return documents


def read_pledge(root: Path) -> Text | None:
    """The agency's pledge text from pledge_zh.txt (and pledge_en.txt), or None for the default."""
    texts: dict[str, str] = {}
    for name in PLEDGE_FILES:
        path = root / name
        if not path.is_file():
            continue
        data = path.read_bytes()
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = unicodedata.normalize("NFC", data.decode("utf-8")).replace("\r\n", "\n").strip()
        except UnicodeDecodeError:
            raise tb.fail(UNREADABLE, f"{name}：不是 UTF-8 编码的文本", f"{name}: not UTF-8 text") from None
        if not text or len(text) > 20000:
            raise tb.fail(BAD_VALUE, f"{name}：承诺书文本为空或超过 20000 字", f"{name}: the pledge is empty or longer "
                        "than 20000 characters")
        texts[name] = text
    if not texts:
        return None
    if PLEDGE_FILES[0] not in texts:
        raise tb.fail(MISSING_FILE, f"有 {PLEDGE_FILES[1]} 时也须有 {PLEDGE_FILES[0]}（中文承诺书）",
                    f"{PLEDGE_FILES[1]} needs {PLEDGE_FILES[0]} (the Chinese pledge) too")
    zh = texts[PLEDGE_FILES[0]]
    return Text.model_construct(zh=zh, en=texts.get(PLEDGE_FILES[1], zh))
