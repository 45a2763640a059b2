"""`tic-desktop self-test`: does this installation (source, installed or frozen) work?

Offscreen and in a temporary data folder, so it runs on a build machine, in CI and on an
expert's laptop without touching their workspace. It walks the app's own code paths:

    resources    forms, font, icons, guide and translations are where `paths` says
    translations Qt's own qtbase_zh_CN.qm and our tic_desktop_en.qm load
    batch        the bundled demo batch is written, signed and read back (`formats.batch.read_batch`)
    QtPdf        page 1 of a proposal document renders to a non-blank image
    scoring      an expert scores every assigned proposal (the `simulate` path), the answers of one
                 form are read back from a fresh `storage.workspace.Workspace` and evaluate complete
                 with a total in 0–100 (`core.scoring.evaluate`)
    sheet        the score sheet is signed, encrypted and exported (`expert.sheet_export.export_sheet`: the
                 dialog's prepare → write → record),
                 then verified as the agency does (`formats.sheet.read_sheet` + allowed_signers)
    PDF          reportlab writes Chinese text with the bundled font; QtPdf reads it back
    agency pages every module of the agency window's pages imports and adds its pages (the window
                 loads them by name, which a bundler cannot see: a frozen build once had none)

One line per check (✔ or ✘, what, and a detail); exit status 0 only when every check passes.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

CHINESE_SAMPLE = "天津市技术创新中心专家评审"


@dataclass
class _Context:
    tmp: Path
    lang: str
    opened: Any = None
    batch_path: Path | None = None
    state: dict[str, Any] = field(default_factory=dict)


def _t(ctx: _Context, zh: str, en: str) -> str:
    return zh if ctx.lang == "zh" else en


def _qt_app() -> Any:
    # a QApplication (not just QGuiApplication): the process may go on to show widgets
    from PySide6.QtWidgets import QApplication  # noqa: PLC0415

    return QApplication.instance() or QApplication(["tic-desktop-self-test"])


def _not_blank(image: Any) -> bool:
    """More than one colour among a grid of sampled pixels."""
    w, h = image.width(), image.height()
    if w == 0 or h == 0:
        return False
    seen = {image.pixel(x, y) for x in range(0, w, max(w // 40, 1)) for y in range(0, h, max(h // 40, 1))}
    return len(seen) > 1


def _render_first_page(data: bytes) -> tuple[int, Any, Any]:
    """(page count, QImage of page 1, the QPdfDocument) of a PDF held in memory."""
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QSize  # noqa: PLC0415
    from PySide6.QtPdf import QPdfDocument  # noqa: PLC0415

    _qt_app()
    buffer = QBuffer()
    buffer.setData(QByteArray(data))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    doc = QPdfDocument()
    doc.load(buffer)
    if doc.status() != QPdfDocument.Status.Ready:
        raise RuntimeError(f"QPdfDocument status {doc.status().name}, error {doc.error().name}")
    size = doc.pagePointSize(0)
    image = doc.render(0, QSize(max(int(size.width()), 1), max(int(size.height()), 1)))
    doc._keep_buffer = buffer  # type: ignore[attr-defined]  # the document reads from it lazily
    return doc.pageCount(), image, doc


# ── the checks ──────────────────────────────────────────────────────────────────────────────

def check_resources(ctx: _Context) -> str:
    from tic_desktop.paths import demo_source_dir, font_path, forms_dir, resources_dir  # noqa: PLC0415

    root = resources_dir()
    needed = [font_path(), forms_dir() / "feasibility_review.json", root / "icons" / "tic-desktop.png",
              root / "guide" / "guide_zh.html", root / "translations" / "tic_desktop_en.qm",
              demo_source_dir() / "batch.csv", demo_source_dir() / "agency" / "agency_ed25519.pub"]
    missing = [str(p) for p in needed if not p.is_file()]
    if missing:
        raise RuntimeError("missing: " + ", ".join(missing))
    return str(root)


def check_translations(ctx: _Context) -> str:
    from PySide6.QtCore import QLibraryInfo, QTranslator  # noqa: PLC0415

    from tic_desktop.paths import resources_dir  # noqa: PLC0415

    _qt_app()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    qt_own = QTranslator()
    if not qt_own.load("qtbase_zh_CN", qt_dir):
        raise RuntimeError(f"qtbase_zh_CN.qm not found in {qt_dir}")
    # a variable, not a literal: this probes Qt's own catalogue, it is not one of our strings for lupdate
    probe = "Cancel"
    cancel = qt_own.translate("QPlatformTheme", probe)
    if not cancel or cancel == "Cancel":
        raise RuntimeError("qtbase_zh_CN.qm has no Chinese for “Cancel”")
    ours = QTranslator()
    if not ours.load(str(resources_dir() / "translations" / "tic_desktop_en.qm")) or ours.isEmpty():
        raise RuntimeError("tic_desktop_en.qm does not load")
    return f"qtbase_zh_CN（Cancel → {cancel}），tic_desktop_en"


def check_batch(ctx: _Context) -> str:
    from tic_desktop.demo import write_demo_batch  # noqa: PLC0415
    from tic_desktop.formats.batch import read_batch  # noqa: PLC0415

    ctx.batch_path = write_demo_batch(ctx.tmp / "demo")
    ctx.opened = read_batch(ctx.batch_path)
    m = ctx.opened.manifest
    if not ctx.opened.proposals or not m.experts:
        raise RuntimeError("the demo batch holds no proposals or no experts")
    return _t(ctx, f"{m.batch_id}：{len(ctx.opened.proposals)} 个项目，{len(m.experts)} 位专家，签名 {ctx.opened.agency_fingerprint}",
              f"{m.batch_id}: {len(ctx.opened.proposals)} proposals, {len(m.experts)} experts, signed {ctx.opened.agency_fingerprint}")


def check_qtpdf(ctx: _Context) -> str:
    opened = _need_batch(ctx)
    proposal = next(iter(opened.proposals.values()))
    path = proposal.documents[0].path
    pages, image, _doc = _render_first_page(opened.documents[path])
    if not _not_blank(image):
        raise RuntimeError(f"page 1 of {path} rendered blank ({image.width()}×{image.height()})")
    return _t(ctx, f"{path}：{pages} 页，第 1 页 {image.width()}×{image.height()}",
              f"{path}: {pages} pages, page 1 at {image.width()}×{image.height()}")


def check_scoring(ctx: _Context) -> str:
    from tic_desktop.core.scoring import FormAnswers, evaluate  # noqa: PLC0415
    from tic_desktop.simulate import ScoresPlan, simulate_expert  # noqa: PLC0415
    from tic_desktop.storage.workspace import Workspace  # noqa: PLC0415

    opened = _need_batch(ctx)
    assert ctx.batch_path is not None
    expert = opened.manifest.experts[0]
    work = ctx.tmp / "experts"
    out = ctx.tmp / "sheets"
    out.mkdir()
    done = simulate_expert(opened, ctx.batch_path.read_bytes(), expert, out, work, seed=7, plan=ScoresPlan())
    ctx.state["simulated"] = done
    # read one scored form back from a fresh connection to the expert's workspace
    with Workspace.open(work / expert.id / "workspace.db", check_location=False) as ws:
        rows = ws.answer_rows(opened.manifest.batch_id, expert.id)
        if not rows:
            raise RuntimeError("no answers stored in the workspace")
        pid, form_id = rows[0].proposal_id, rows[0].form_id
        stored = FormAnswers(**ws.answers_for(opened.manifest.batch_id, expert.id, pid, form_id))
    form = opened.forms[form_id]
    ev = evaluate(form, stored, expert.role)
    if not ev.complete:
        raise RuntimeError("; ".join(p.text(ctx.lang) for p in ev.problems[:3]))
    if not Decimal(0) <= ev.total <= Decimal(100):
        raise RuntimeError(f"total {ev.total} outside 0–100")
    unanswered = [c for c in ev.applicable if c not in stored.scores and c not in stored.not_applicable]
    if unanswered:
        raise RuntimeError(f"criteria without a score: {', '.join(unanswered)}")
    return _t(ctx, f"专家 {expert.id}，{pid}/{form_id}：{len(form.criteria)} 个评分项，总分 {ev.total}，"
                   f"结论 {stored.conclusion}；共 {len(rows)} 条答案存入工作区并读回",
              f"expert {expert.id}, {pid}/{form_id}: {len(form.criteria)} criteria, total {ev.total}, "
              f"conclusion {stored.conclusion}; {len(rows)} answers stored in a workspace and read back")


def check_sheet(ctx: _Context) -> str:
    from tic_desktop.demo import demo_agency_dir  # noqa: PLC0415
    from tic_desktop.formats import sheet as sheetfmt  # noqa: PLC0415
    from tic_desktop.formats.keys import AGE_IDENTITY_FILE  # noqa: PLC0415

    opened = _need_batch(ctx)
    done = ctx.state.get("simulated")
    if done is None:
        raise RuntimeError("no sheet: the scoring check failed")
    signers = sheetfmt.allowed_signers_line(done.expert_id, done.key.signing_key.public_key()) + "\n"
    identity = (demo_agency_dir() / AGE_IDENTITY_FILE).read_text("ascii")
    got = sheetfmt.read_sheet(done.result.path, opened, identity=identity, allowed_signers=signers)
    if got.sheet.expert_id != done.expert_id or got.sheet_sha256 != done.result.sheet_sha256:
        raise RuntimeError("the verified sheet differs from the one exported")
    ctx.state["sheet"] = got
    return _t(ctx, f"{done.result.path.name}：第 {got.sheet.sheet_seq} 版，{len(got.sheet.proposals)} 个项目，"
                   f"签名密钥 {got.signer_fingerprint}，机构解密并核验通过",
              f"{done.result.path.name}: revision {got.sheet.sheet_seq}, {len(got.sheet.proposals)} proposals, "
              f"key {got.signer_fingerprint}, decrypted and verified as the agency")


def check_chinese_pdf(ctx: _Context) -> str:
    from reportlab.lib.pagesizes import A4  # noqa: PLC0415
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415

    from tic_desktop.reports.fonts import register_fonts  # noqa: PLC0415

    font = register_fonts()
    path = ctx.tmp / "chinese.pdf"
    canvas = Canvas(str(path), pagesize=A4)
    canvas.setFont(font, 24)
    canvas.drawString(72, 720, CHINESE_SAMPLE)
    canvas.save()
    data = path.read_bytes()
    if not data.startswith(b"%PDF") or b"/FontFile2" not in data:
        raise RuntimeError("no embedded TrueType font in the PDF")
    pages, image, doc = _render_first_page(data)
    text = doc.getAllText(0).text().replace("\n", "").replace(" ", "")
    if CHINESE_SAMPLE not in text:
        raise RuntimeError(f"QtPdf reads back {text[:40]!r}, not {CHINESE_SAMPLE!r}")
    if not _not_blank(image):
        raise RuntimeError("the page renders blank")
    return _t(ctx, f"{len(data)} 字节，内嵌字体 {font}，读回“{CHINESE_SAMPLE}”",
              f"{len(data)} bytes, embedded {font}, read back “{CHINESE_SAMPLE}”")


def check_scan(ctx: _Context) -> str:
    """The scan matching's libraries (zxing-cpp, pypdfium2, Pillow) on the printed sheet: every page's
    own QR code read back from a 200 dpi rendering."""
    from tic_desktop.agency import scan_decode  # noqa: PLC0415
    from tic_desktop.formats import sheet as sheetfmt  # noqa: PLC0415

    got = ctx.state.get("sheet")
    if got is None:
        raise RuntimeError("no sheet: the score sheet check failed")
    name, pdf = next((n, d) for n, d in sorted(got.members.items()) if n.startswith("pdf/"))
    path = ctx.tmp / "scan.pdf"
    path.write_bytes(pdf)
    pages = scan_decode.decode_files([path])
    digest = sheetfmt.content_digest(got.sheet)[:16]
    for p in pages:
        code = p.code
        if code is None or (code.proposal_id, code.page, code.pages, code.digest) != (
                name[4:-4], p.index, len(pages), digest):
            raise RuntimeError(f"page {p.index}: {p.texts or p.reason}")
    return _t(ctx, f"{name[4:]}：{len(pages)} 页，每页二维码（200 dpi）读回，摘要 {digest}",
              f"{name[4:]}: {len(pages)} pages, each page's QR code read back at 200 dpi, digest {digest}")


def check_documents(ctx: _Context) -> str:
    """python-docx (its templates) and pyHanko: a .docx read back, a PDF signed and validated with the
    demo certificate, intact and valid."""
    import io  # noqa: PLC0415

    import docx  # noqa: PLC0415
    from asn1crypto import x509 as asn1_x509  # noqa: PLC0415
    from cryptography.hazmat.primitives import serialization  # noqa: PLC0415
    from pyhanko.pdf_utils.reader import PdfFileReader  # noqa: PLC0415
    from pyhanko.sign.validation import validate_pdf_signature  # noqa: PLC0415
    from pyhanko_certvalidator import ValidationContext  # noqa: PLC0415

    from tic_desktop.demo import demo_agency_dir  # noqa: PLC0415
    from tic_desktop.formats.docsign import load_document_key  # noqa: PLC0415
    from tic_desktop.reports.notice_docx import NoticeRow, render_notice_docx  # noqa: PLC0415
    from tic_desktop.reports.pdf_signature import sign_pdf  # noqa: PLC0415

    data = render_notice_docx([NoticeRow(CHINESE_SAMPLE, "天津大学", "professional", "优秀")])
    text = [c.text for c in docx.Document(io.BytesIO(data)).tables[0].rows[1].cells]
    if CHINESE_SAMPLE not in text:
        raise RuntimeError(f"the .docx reads back {text!r}")
    signer = load_document_key(demo_agency_dir())
    pdf = ctx.tmp / "chinese.pdf"
    signed = sign_pdf(pdf.read_bytes() if pdf.is_file() else _sample_pdf(), signer)
    root = asn1_x509.Certificate.load(signer.certificate.public_bytes(serialization.Encoding.DER))
    sig = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures[0]
    status = validate_pdf_signature(sig, ValidationContext(trust_roots=[root]))
    if not (status.intact and status.valid):
        raise RuntimeError(f"the signature does not validate: {status.summary()}")
    return _t(ctx, f".docx {len(data)} 字节读回；PDF 签名（PAdES）有效，证书 {signer.fingerprint[:11]}…",
              f".docx of {len(data)} bytes read back; PDF signature (PAdES) valid, certificate {signer.fingerprint[:11]}…")


def check_agency_pages(ctx: _Context) -> str:
    import importlib  # noqa: PLC0415

    from tic_desktop.ui.agency.agency_window import PAGE_MODULES  # noqa: PLC0415

    missing = []
    for name in PAGE_MODULES:
        try:
            module = importlib.import_module(name)
        except ImportError as exc:
            missing.append(f"{name} ({exc})")
            continue
        if not callable(getattr(module, "add_agency_pages", None)):
            missing.append(f"{name} (no add_agency_pages)")
    if missing:
        raise RuntimeError("; ".join(missing))
    return _t(ctx, f"{len(PAGE_MODULES)} 个页面模块", f"{len(PAGE_MODULES)} page modules")


def _sample_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas  # noqa: PLC0415

    buf = __import__("io").BytesIO()
    canvas = Canvas(buf)
    canvas.drawString(72, 720, "TIC Desktop")
    canvas.save()
    return buf.getvalue()


def _need_batch(ctx: _Context) -> Any:
    if ctx.opened is None:
        raise RuntimeError("no demo batch: the batch check failed")
    return ctx.opened


CHECKS: list[tuple[str, str, Callable[[_Context], str]]] = [
    ("资源文件", "resources", check_resources),
    ("界面翻译", "translations", check_translations),
    ("演示批次（签名核验）", "demo batch (signature verified)", check_batch),
    ("QtPdf 渲染", "QtPdf rendering", check_qtpdf),
    ("评分并存入工作区", "scoring and the workspace", check_scoring),
    ("评分表签名、导出与核验", "score sheet signed, exported and verified", check_sheet),
    ("中文 PDF", "PDF with Chinese text", check_chinese_pdf),
    ("扫描件二维码识别", "scanned page codes read back", check_scan),
    ("Word 文档与 PDF 签名", "Word documents and PDF signatures", check_documents),
    ("机构界面页面", "agency window pages", check_agency_pages),
]


REPORT_ENV = "TIC_SELF_TEST_REPORT"
"""A file to write the report to as well: a windowed Windows build has no stdout (build/release.py)."""


class _Tee:
    def __init__(self, *streams: Any) -> None:
        self.streams = [s for s in streams if s is not None]

    def write(self, text: str) -> None:
        for s in self.streams:
            s.write(text)

    def flush(self) -> None:
        for s in self.streams:
            s.flush()


def run(lang: str = "zh", out: Any = None) -> int:
    """Run every check, print one line each; 0 when all pass, 1 otherwise."""
    report_path = os.environ.get(REPORT_ENV)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as report:
            return _run(lang, _Tee(out or sys.stdout, report))
    return _run(lang, _Tee(out or sys.stdout))


def _run(lang: str, out: Any) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    failures = 0
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="tic-self-test-") as tmp:
        previous = os.environ.get("TIC_DATA_DIR")
        os.environ["TIC_DATA_DIR"] = str(Path(tmp) / "data")
        try:
            ctx = _Context(Path(tmp), lang)
            for zh, en, check in CHECKS:
                name = zh if lang == "zh" else en
                t0 = time.perf_counter()
                try:
                    detail = check(ctx)
                except Exception as exc:  # a failed check is reported, the others still run
                    failures += 1
                    print(f"✘ {name}：{type(exc).__name__}: {exc}" if lang == "zh" else f"✘ {name}: {type(exc).__name__}: {exc}",
                          file=out, flush=True)
                    if os.environ.get("TIC_DEBUG"):
                        traceback.print_exc()
                    continue
                ms = (time.perf_counter() - t0) * 1000
                print(f"✔ {name}：{detail}（{ms:.0f} ms）" if lang == "zh" else f"✔ {name}: {detail} ({ms:.0f} ms)",
                      file=out, flush=True)
        finally:
            if previous is None:
                os.environ.pop("TIC_DATA_DIR", None)
            else:
                os.environ["TIC_DATA_DIR"] = previous
    total = time.perf_counter() - start
    frozen = "（PyInstaller 打包）" if getattr(sys, "frozen", False) else ""
    if lang != "zh":
        frozen = " (PyInstaller bundle)" if frozen else ""
    from tic_desktop import __version__  # noqa: PLC0415

    if failures:
        print(_t(_Context(Path(), lang), f"自检未通过：{failures}/{len(CHECKS)} 项失败（tic-desktop {__version__}{frozen}，{total:.1f} s）",
                 f"Self-test FAILED: {failures} of {len(CHECKS)} checks (tic-desktop {__version__}{frozen}, {total:.1f} s)"), file=out)
        return 1
    print(_t(_Context(Path(), lang), f"自检通过：全部 {len(CHECKS)} 项（tic-desktop {__version__}{frozen}，{total:.1f} s）",
             f"Self-test passed: all {len(CHECKS)} checks (tic-desktop {__version__}{frozen}, {total:.1f} s)"), file=out)
    return 0
