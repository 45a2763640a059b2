"""reports.agency_key_pdf: the one-page fingerprint sheet for the invitation letter (poppler, qpdf)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from tic_desktop.agency.keys import public_info
from tic_desktop.demo import demo_agency_dir
from tic_desktop.reports.agency_key_pdf import AgencyKeySheet, agency_qr, grouped, render_agency_key_sheet
from tic_desktop.reports.qr import qr_modules

pytestmark = pytest.mark.skipif(
    not all(shutil.which(t) for t in ("pdffonts", "pdftotext", "qpdf", "pdfinfo")),
    reason="poppler-utils and qpdf are needed",
)


def _run(*cmd: str) -> str:
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


@pytest.fixture(scope="module")
def sheet() -> AgencyKeySheet:
    info = public_info(demo_agency_dir())
    return AgencyKeySheet("天津市科技评估中心（演示）", info.fingerprint, info.age_recipient, "2026-03-01")


@pytest.fixture(scope="module")
def pdf(sheet: AgencyKeySheet, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("pdf") / "agency-key.pdf"
    path.write_bytes(render_agency_key_sheet(sheet))
    return path


def test_one_a4_page_with_the_font_embedded(pdf: Path) -> None:
    info = _run("pdfinfo", str(pdf))
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert pages == 1 and "A4" in info
    rows = _run("pdffonts", str(pdf)).splitlines()[2:]
    assert rows and all("WenQuanYiMicroHei" in r and " yes yes " in r for r in rows)
    assert "No syntax or stream encoding errors" in _run("qpdf", "--check", str(pdf))


def test_the_text_comes_back_exactly(pdf: Path, sheet: AgencyKeySheet) -> None:
    text = _run("pdftotext", "-layout", str(pdf), "-")
    flat = "".join(text.split())
    assert "评审组织机构密钥指纹" in text and sheet.agency_name in text and "2026-03-01" in text
    assert sheet.fingerprint in flat and sheet.age_recipient in flat
    assert "".join(grouped(sheet.fingerprint).split()) in flat


def test_the_qr_code_holds_the_fingerprint(sheet: AgencyKeySheet) -> None:
    assert agency_qr(sheet) == f"tic-agency-v1;fp={sheet.fingerprint}"
    assert len(qr_modules(agency_qr(sheet))) >= 21


def test_the_pdf_signing_certificate_fingerprint_is_printed_beside_the_key(sheet: AgencyKeySheet,
                                                                          tmp_path: Path) -> None:
    from dataclasses import replace

    from tic_desktop.formats.docsign import certificate_fingerprint, grouped_fingerprint

    cert = certificate_fingerprint(demo_agency_dir())
    path = tmp_path / "with-cert.pdf"
    path.write_bytes(render_agency_key_sheet(replace(sheet, certificate_fingerprint=cert)))
    text = " ".join(_run("pdftotext", str(path), "-").split())
    info = _run("pdfinfo", str(path))
    assert "Pages: 1" in " ".join(info.split())  # still one page
    assert "PDF 签名证书" in text
    groups = grouped_fingerprint(cert).split()
    assert len(groups) == 16 and all(g in text for g in groups)
