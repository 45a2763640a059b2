"""Scan matching (issue 15): print → rasterise at 200 dpi → degrade (grey, noise, 2°, JPEG) → decode →
match; older revisions, missing and unreadable pages, image folders and multi-page PDF/TIFF scans, the
scans kept by hash in the agency workspace, matching by hand, the schema migration from v4."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest

from tests.scan_paper import cover_code, degrade, rasterise, save_pdf
from tests.unit.agency_world import World, make_world, resign
from tic_desktop.agency import scan_decode, scan_store
from tic_desktop.agency.scan_match import Revision, ScannedPage, match, revisions_of
from tic_desktop.core.errors import Rejected
from tic_desktop.formats import page_code
from tic_desktop.formats import sheet as sf

BID = "TJTIC-2026-01"


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    return make_world(tmp_path_factory.mktemp("scans"), ("E02", "E04"))


@pytest.fixture(scope="module")
def opened(world: World) -> dict[str, sf.OpenedSheet]:
    return {eid: world.read(path) for eid, path in world.sheets.items()}


@pytest.fixture(scope="module")
def paper(world: World, opened: dict[str, sf.OpenedSheet]) -> dict[tuple[str, str], list[Any]]:
    """(expert, proposal) → the printed pages, scanned and degraded (every other page at −2°)."""
    out = {}
    for eid, got in opened.items():
        for name, data in sorted(got.members.items()):
            if name.startswith("pdf/"):
                pid = name[4:-4]
                pages = rasterise(data)
                out[(eid, pid)] = [degrade(p, angle=2 if i % 2 else -2, seed=i) for i, p in enumerate(pages)]
    return out


def _decode(images: list[Any], source: str = "scan") -> list[ScannedPage]:
    pages = []
    for i, img in enumerate(images, 1):
        codes, texts = scan_decode.decode_image(img)
        pages.append(ScannedPage(source, i, codes[0] if codes else None,
                                 "" if codes else (scan_decode.REASON_FOREIGN if texts else scan_decode.REASON_NO_CODE)))
    return pages


def test_every_printed_page_carries_its_own_code(opened: dict[str, sf.OpenedSheet]) -> None:
    got = opened["E04"]
    digest = sf.content_digest(got.sheet)
    pdf = got.members["pdf/TJ-AI-01.pdf"]
    pages = rasterise(pdf)
    assert len(pages) >= 3
    for i, img in enumerate(pages, 1):
        codes, texts = scan_decode.decode_image(img)
        expected = f"TIC1|{BID}|E04|TJ-AI-01|1|{i}/{len(pages)}|{digest[:16]}"
        assert expected in texts
        assert codes[0] == page_code.PageCode(BID, "E04", "TJ-AI-01", 1, i, len(pages), digest[:16])


def test_payload_is_exact_and_strict() -> None:
    text = page_code.payload(batch_id="B-1", expert_id="E01", proposal_id="P.2", sheet_seq=3, page=2, pages=4,
                             digest="AB" * 32)
    assert text == "TIC1|B-1|E01|P.2|3|2/4|" + "ab" * 8
    assert page_code.parse(text) == page_code.PageCode("B-1", "E01", "P.2", 3, 2, 4, "ab" * 8)
    for bad in ("TIC1|B|E|P|1|5/4|" + "a" * 16, "TIC1|B|E|P|0|1/4|" + "a" * 16, "TIC2|B|E|P|1|1/4|" + "a" * 16,
                "TIC1|B|E|P|1|1/4|" + "a" * 15, "https://example.com", ""):
        assert page_code.parse(bad) is None


def test_degraded_scan_round_trip_matches_every_page(paper: dict[tuple[str, str], list[Any]],
                                                      opened: dict[str, sf.OpenedSheet]) -> None:
    images = [img for key in sorted(paper) for img in paper[key]]
    result = match(BID, _decode(images), revisions_of((o.sheet, True) for o in opened.values()))
    assert [r.status for r in result.rows] == ["matched"] * len(images)
    assert result.complete
    assert {(c.expert_id, c.proposal_id) for c in result.checks} == set(paper)
    assert all(c.status == "matched" and c.missing == () for c in result.checks)


def test_older_revision_and_the_current_sheet_without_paper(world: World, opened: dict[str, sf.OpenedSheet],
                                                            paper: dict[tuple[str, str], list[Any]],
                                                            tmp_path: Path) -> None:
    first = opened["E02"]
    rev2 = world.read(resign(world, world.sheets["E02"], tmp_path / "E02-2.ticsheet", sheet_seq=2,
                             supersedes=first.sheet_sha256, audit_head=(first.sheet.audit_head.seq + 9, "ab" * 32)))
    revisions = revisions_of([(first.sheet, False), (rev2.sheet, True)])
    e02 = sorted(k for k in paper if k[0] == "E02")
    images = [img for key in e02 for img in paper[key]]
    result = match(BID, _decode(images), revisions)
    assert {r.status for r in result.rows if r.page is not None} == {"older_revision"}
    assert "重新签字" in result.rows[0].reason
    no_paper = [r for r in result.rows if r.status == "no_paper"]
    assert {(r.expert_id, r.proposal_id, r.sheet_seq) for r in no_paper} == {(e, p, 2) for e, p in e02}
    assert {c.status for c in result.checks} == {"older_revision"}
    assert not result.complete


def test_a_missing_page_is_named(paper: dict[tuple[str, str], list[Any]], opened: dict[str, sf.OpenedSheet]) -> None:
    pages = paper[("E04", "TJ-AI-01")]
    n = len(pages)
    images = pages[:2] + pages[3:]
    revisions = [r for r in revisions_of([(opened["E04"].sheet, True)])]
    revisions = [Revision(r.expert_id, r.sheet_seq, r.digest, ("TJ-AI-01",), True) for r in revisions]
    result = match(BID, _decode(images), revisions)
    missing = [r for r in result.rows if r.status == "no_paper"]
    assert [(r.proposal_id, r.page_of) for r in missing] == [("TJ-AI-01", f"3/{n}")]
    [check] = result.checks
    assert check.status == "no_paper" and check.missing == (3,) and check.pages_total == n
    assert not result.complete


def test_an_unreadable_page_keeps_a_thumbnail_and_a_reason(paper: dict[tuple[str, str], list[Any]],
                                                          tmp_path: Path) -> None:
    img = cover_code(paper[("E04", "TJ-AI-01")][0])
    path = tmp_path / "stained.png"
    img.save(path)
    [page] = scan_decode.decode_files([path])
    assert page.code is None and page.reason == scan_decode.REASON_NO_CODE
    assert page.thumbnail.startswith(b"\x89PNG") and len(page.thumbnail) > 1000
    result = match(BID, [ScannedPage("stained.png", 1, None, page.reason)], [])
    assert [(r.status, r.reason) for r in result.rows] == [("unreadable", scan_decode.reason_text(page.reason))]


def test_no_record_for_another_batch_an_unknown_expert_or_revision(opened: dict[str, sf.OpenedSheet]) -> None:
    revisions = revisions_of([(opened["E04"].sheet, True)])
    digest = revisions[0].digest[:16]

    def status(**kw: Any) -> str:
        code = page_code.PageCode(**{"batch_id": BID, "expert_id": "E04", "proposal_id": "TJ-AI-01",
                                     "sheet_seq": 1, "page": 1, "pages": 5, "digest": digest, **kw})
        return match(BID, [ScannedPage("s", 1, code)], revisions).rows[0].status

    assert status() == "matched"
    assert status(batch_id="OTHER-2026") == "no_record"
    assert status(expert_id="E07") == "no_record"
    assert status(sheet_seq=2) == "no_record"  # a revision never imported
    assert status(digest="0" * 16) == "no_record"  # same revision number, other content
    assert status(proposal_id="TJ-XX-99") == "no_record"


def test_a_folder_of_jpeg_png_and_multipage_tiff(paper: dict[tuple[str, str], list[Any]], tmp_path: Path) -> None:
    pages = paper[("E04", "TJ-IM-03")]
    folder = tmp_path / "scans"
    folder.mkdir()
    pages[0].save(folder / "a-001.jpg", quality=70)
    pages[1].save(folder / "a-002.png")
    pages[2].save(folder / "b.tiff", save_all=True, append_images=pages[3:])
    (folder / "notes.txt").write_text("not a scan")
    files = scan_decode.scan_files([folder])
    assert [f.name for f in files] == ["a-001.jpg", "a-002.png", "b.tiff"]
    decoded = scan_decode.decode_files(files)
    assert [(d.source.name, d.index) for d in decoded] == (
        [("a-001.jpg", 1), ("a-002.png", 1)] + [("b.tiff", i) for i in range(1, len(pages) - 1)])
    assert [d.code.page for d in decoded] == list(range(1, len(pages) + 1))


def test_a_multipage_pdf_made_from_the_images(paper: dict[tuple[str, str], list[Any]], tmp_path: Path) -> None:
    pages = paper[("E04", "TJ-NE-05")]
    pdf = save_pdf(pages, tmp_path / "copier.pdf")
    seen = []
    decoded = scan_decode.decode_files([pdf], progress=lambda d, t: seen.append((d, t)))
    assert [d.code.page_of for d in decoded] == [f"{i}/{len(pages)}" for i in range(1, len(pages) + 1)]
    assert seen[0] == (0, len(pages)) and seen[-1] == (len(pages), len(pages))


def test_bad_scan_files_are_refused_with_a_code(tmp_path: Path) -> None:
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.4 nonsense")
    with pytest.raises(Rejected) as err:
        scan_decode.pages_of(bad)
    assert err.value.code == "scan.unreadable_file"
    with pytest.raises(Rejected) as err:
        scan_decode.scan_files([tmp_path / "x.docx"])
    assert err.value.code == "scan.not_scan"
    (tmp_path / "empty").mkdir()
    with pytest.raises(Rejected) as err:
        scan_decode.scan_files([tmp_path / "empty"])
    assert err.value.code == "scan.no_files"


# ── the agency workspace ────────────────────────────────────────────────────────────────────────

@pytest.fixture
def ws(tmp_path: Path, world: World) -> Any:
    from tic_desktop.agency.importer import import_sheets
    from tic_desktop.agency.workspace import AgencyWorkspace
    from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT

    w = AgencyWorkspace.open(tmp_path / "agency" / "agency.db")
    w.add_batch(world.batch_path, world.identity, own_fingerprint=DEMO_AGENCY_FINGERPRINT, allow_demo=True)
    for eid in ("E02", "E04"):
        w.pin(BID, eid, world.keys[eid].fingerprint, "enrolment")
    with w.open_batch(BID, world.identity) as batch:
        outcomes = import_sheets(w, batch, world.identity, [world.sheets["E02"], world.sheets["E04"]])
    assert all(o.status == "accepted" for o in outcomes)
    yield w
    w.close()


def test_scans_are_kept_by_hash_listed_and_matched(ws: Any, paper: dict[tuple[str, str], list[Any]],
                                                   tmp_path: Path) -> None:
    e04 = sorted(k for k in paper if k[0] == "E04")
    pdf = save_pdf([img for k in e04 for img in paper[k]], tmp_path / "E04.pdf")
    scan = scan_store.decode_scan(pdf)
    assert scan_store.add_scan(ws, BID, scan)
    assert not scan_store.add_scan(ws, BID, scan_store.decode_scan(pdf, known=scan_store.known_sha256s(ws)))
    [record] = scan_store.scans(ws, BID)
    assert record.path == ws.folder / "scans" / f"{scan.sha256}.pdf"
    assert record.path.read_bytes() == pdf.read_bytes() and record.pages == len(scan.pages)
    with pytest.raises(sqlite3.DatabaseError), ws.transaction() as conn:
        conn.execute("DELETE FROM scans")
    result = scan_store.check(ws, BID)
    assert all(c.status == "matched" for c in result.checks if c.expert_id == "E04")
    assert {r.expert_id for r in result.rows if r.status == "no_paper"} == {"E02"}
    assert [e.action for e in ws.audit_events()][-1] == "scan.add"


def test_an_unreadable_page_matched_by_hand_with_a_reason(ws: Any, paper: dict[tuple[str, str], list[Any]],
                                                          tmp_path: Path) -> None:
    pages = list(paper[("E04", "TJ-AI-01")])
    pages[0] = cover_code(pages[0])
    pdf = save_pdf(pages, tmp_path / "stained.pdf")
    scan = scan_store.decode_scan(pdf)
    scan_store.add_scan(ws, BID, scan)
    result = scan_store.check(ws, BID)
    assert result.rows[0].status == "unreadable"
    assert scan_store.thumbnail(ws, scan.sha256, 1).startswith(b"\x89PNG")
    check = next(c for c in result.checks if c.proposal_id == "TJ-AI-01" and c.expert_id == "E04")
    assert check.status == "no_paper" and check.missing == (1,)
    with pytest.raises(Rejected) as err:
        scan_store.match_by_hand(ws, BID, scan.sha256, 1, "E04", "TJ-AI-01", "  ")
    assert err.value.code == "scan.reason_required"
    with pytest.raises(Rejected) as err:
        scan_store.match_by_hand(ws, BID, scan.sha256, 2, "E04", "TJ-AI-01", "read")
    assert err.value.code == "scan.page_has_code"
    with pytest.raises(Rejected) as err:
        scan_store.match_by_hand(ws, BID, scan.sha256, 1, "E07", "TJ-AI-01", "no sheet")
    assert err.value.code == "scan.no_such_sheet"
    scan_store.match_by_hand(ws, BID, scan.sha256, 1, "E04", "TJ-AI-01", "页脚被咖啡渍覆盖，核对页眉与签名",
                             sheet_page=1, sheet_pages=len(pages))
    result = scan_store.check(ws, BID)
    assert result.rows[0].status == "matched" and result.rows[0].manual and "咖啡渍" in result.rows[0].reason
    check = next(c for c in result.checks if c.proposal_id == "TJ-AI-01" and c.expert_id == "E04")
    assert check.status == "matched"
    event = ws.audit_events()[-1]
    assert event.action == "scan.match_by_hand"


def test_migration_from_v4_adds_the_scan_tables(tmp_path: Path) -> None:
    from tic_desktop.agency import schema
    from tic_desktop.agency.workspace import AgencyWorkspace

    db = tmp_path / "agency" / "agency.db"
    db.parent.mkdir()
    conn = sqlite3.connect(db)
    for version in range(1, 5):
        schema.MIGRATIONS[version](conn)
    conn.execute("INSERT INTO batches VALUES ('B1', ?, 't', 't', 'feasibility_review', 'SHA256:x', 'age1x', "
                 "'[\"E01\"]', '[]', ?, 1, '2026-01-01T00:00:00Z')", ("ab" * 32, "cd" * 32))
    conn.execute("PRAGMA user_version = 4")
    conn.commit()
    conn.close()
    with AgencyWorkspace.open(db) as w:
        assert [b.batch_id for b in w.batches()] == ["B1"]
        assert scan_store.scans(w, "B1") == []
        assert w.query("PRAGMA user_version")[0]["user_version"] == schema.AGENCY_SCHEMA_VERSION


def test_the_consolidated_report_ends_with_the_scan_checklist(ws: Any, paper: dict[tuple[str, str], list[Any]],
                                                              tmp_path: Path) -> None:
    import dataclasses
    import shutil
    import subprocess

    from tests.unit.report_factory import build
    from tic_desktop.reports.consolidated_pdf import render_consolidated_pdf

    pages = list(paper[("E04", "TJ-AI-01")])
    pages[0] = cover_code(pages[0])
    scan_store.add_scan(ws, BID, scan_store.decode_scan(save_pdf(pages, tmp_path / "a.pdf")))
    section = scan_store.report_section(ws, BID, {"E04": "吴秀兰"})
    assert section is not None and section.scans == 1 and len(section.thumbnails) == 1
    report = dataclasses.replace(build(2, 5).report, scans=section)
    pdf = tmp_path / "consolidated.pdf"
    pdf.write_bytes(render_consolidated_pdf(report))
    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, text=True).stdout
        tail = text[text.index("纸质评分表核对"):]
        assert "E04 吴秀兰" in tail and "无法识别" in tail and "缺纸件" in tail
