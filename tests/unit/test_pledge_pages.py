"""The printed 回避声明与承诺书 carries its code on every page, so each page of a long pledge on paper is
matched (it was on the last page only: the other pages of a multi-page pledge were 无可读二维码).

The code is the one README names for the pledge — the signature-block code
`tic-sheet-v1;batch=…;expert=…;seq=…;content=…;fp=…`, which has no page number — so every page carries
the same text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.scan_paper import degrade, rasterise, save_pdf
from tests.unit.agency_world import World, make_world
from tic_desktop.agency import scan_decode
from tic_desktop.agency.scan_match import ScannedPage, match, revisions_of
from tic_desktop.core.pledge import PLEDGE
from tic_desktop.formats import page_code
from tic_desktop.formats import sheet as sf
from tic_desktop.reports.pledge_pdf import PledgeInput, render_pledge

BID = "TJTIC-2026-01"
pytestmark = pytest.mark.skipif(not all(shutil.which(t) for t in ("pdftotext", "pdfinfo")), reason="poppler needed")


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("pledge"), ("E04",))


@pytest.fixture(scope="module")
def signed(world: World) -> sf.OpenedSheet:
    return world.read(world.sheets["E04"])


def _long_pledge(world: World, got: sf.OpenedSheet) -> bytes:
    """The expert's pledge as the export renders it, with an agency's own long pledge text (the batch's
    `pledge_zh.txt` may have 20000 characters): three pages and more."""
    manifest = world.opened.manifest
    expert = manifest.expert("E04")
    sheet = got.sheet
    clauses = "\n\n".join(f"{n}、本人承诺在评审工作中严格遵守国家和本市有关科技评审的法律法规和保密纪律，"
                          f"不泄露申报材料、评审意见和评审结果，独立、客观、公正地提出评审意见（第 {n} 条）。" * 3
                          for n in range(1, 25))
    qr = sf.qr_payload(batch_id=sheet.batch_id, expert_id="E04", sheet_seq=sheet.sheet_seq,
                       digest=got.content_digest, fingerprint=sheet.signer_fingerprint)
    proposals = tuple((p.id, p.center_name, p.lead_unit) for p in world.opened.proposals.values())
    return render_pledge(PledgeInput(
        batch_id=sheet.batch_id, batch_title=manifest.title.zh, agency_name=manifest.agency.name, expert=expert,
        proposals=proposals, conflicts={}, accepted_at="2026-11-20 09:30", fingerprint=sheet.signer_fingerprint,
        digest=got.content_digest, sheet_seq=sheet.sheet_seq, qr_text=qr,
        pledge_zh=f"评审专家承诺书\n\n{clauses}"))


def _pages_text(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [re.sub(r"\s+", "", page) for page in text.split("\f") if page.strip()]


def _decode(images: list, source: str) -> list[ScannedPage]:  # type: ignore[type-arg]
    out = []
    for i, img in enumerate(images, 1):
        codes, _texts = scan_decode.decode_image(img)
        out.append(ScannedPage(source, i, codes[0] if codes else None, "" if codes else scan_decode.REASON_NO_CODE))
    return out


def test_every_page_of_a_long_pledge_carries_the_code_and_matches(world: World, signed: sf.OpenedSheet,
                                                                 tmp_path: Path) -> None:
    pdf = _long_pledge(world, signed)
    path = tmp_path / "pledge.pdf"
    path.write_bytes(pdf)
    pages = _pages_text(path)
    assert len(pages) >= 3
    for i, page in enumerate(pages, 1):
        assert f"第{i}页/共{len(pages)}页" in page
    expected = sf.qr_payload(batch_id=BID, expert_id="E04", sheet_seq=1, digest=signed.content_digest,
                             fingerprint=signed.sheet.signer_fingerprint)
    # copier paper: 200 dpi, grey, noise, ±2°, JPEG
    scans = [degrade(img, angle=2 if i % 2 else -2, seed=i) for i, img in enumerate(rasterise(pdf))]
    for i, img in enumerate(scans, 1):
        codes, texts = scan_decode.decode_image(img)
        assert expected in texts, f"page {i}: {texts}"
        assert codes[0] == page_code.parse(expected)
    result = match(BID, _decode(scans, "pledge-scan.pdf"), revisions_of([(signed.sheet, True)]))
    rows = [r for r in result.rows if r.page is not None]
    assert len(rows) == len(pages)
    assert {(r.status, r.expert_id, r.proposal_id, r.reason) for r in rows} == {
        ("matched", "E04", "", "承诺书或签名页（无项目）")}
    # the scanned pages as one multi-page PDF, read the way 纸质核对 reads files
    scan_pdf = tmp_path / "copier.pdf"
    save_pdf(scans, scan_pdf)
    decoded = scan_decode.decode_files([scan_pdf])
    assert [d.code for d in decoded] == [page_code.parse(expected)] * len(pages)


def test_the_signed_pledge_of_the_export_has_the_code_on_every_page(signed: sf.OpenedSheet) -> None:
    pdf = signed.members["pledge.pdf"]
    expected = sf.qr_payload(batch_id=BID, expert_id="E04", sheet_seq=1, digest=signed.content_digest,
                             fingerprint=signed.sheet.signer_fingerprint)
    images = rasterise(pdf)
    assert images
    for img in images:
        assert expected in scan_decode.decode_image(img)[1]
    assert PLEDGE.zh  # the default text, as the demo batch has no pledge of its own
