"""导出归档包… on the 汇总结果 page: the batch's archive written in the background from the workspace as
stored now, signed with the agency key, verifiable and holding the page's results; a refusal in words."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from tests.ui.agency_setup import ctx, demo_round, import_all  # noqa: F401 - fixtures
from tic_desktop.agency.archive_verify import verify_archive
from tic_desktop.formats.demo_key import DEMO_AGENCY_FINGERPRINT
from tic_desktop.formats.keys import create_agency_keys, load_agency_keys
from tic_desktop.ui.agency.consolidation_page import ConsolidationPage


def _page(qtbot, context) -> ConsolidationPage:  # noqa: ANN001
    page = ConsolidationPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.set_context(context)
    qtbot.waitUntil(lambda: page.consolidation is not None and not page.is_busy(), timeout=20000)
    return page


def test_the_archive_of_the_batch_is_written_signed_and_verifiable(qtbot, ctx, demo_round: Path,  # noqa: F811
                                                                   tmp_path: Path) -> None:
    import_all(ctx, demo_round / "sheets")
    ctx.keys_dir = demo_round / "agency"  # its document-signing key signs consolidated.pdf, as 导出汇总结果… does
    page = _page(qtbot, ctx)
    button = page.archive.archiveButton
    assert button.isEnabled() and button.text() == "导出归档包…"
    done: list[tuple] = []
    page.archive.get_keys = lambda: load_agency_keys(demo_round / "agency")
    page.archive.show_done = lambda *a: done.append(a)
    target = tmp_path / "out" / "demo.ticarchive"
    page.archive.ask_file = lambda: target
    button.click()
    qtbot.waitUntil(lambda: not page.archive.is_busy() and bool(done), timeout=60000)
    assert done[0][0] == target and done[0][1] == DEMO_AGENCY_FINGERPRINT
    with verify_archive(target, expect_fingerprint=DEMO_AGENCY_FINGERPRINT) as v:
        assert v.batch_id == ctx.batch_id
        assert len(v.paths("sheet")) == 7
    with zipfile.ZipFile(target) as zf:
        results = zf.read("reports/results.csv").decode("utf-8-sig")
        assert b"/ByteRange" in zf.read("reports/consolidated.pdf")  # PAdES-signed
        assert "reports/panel_opinions.docx" in zf.namelist()
        manifest = json.loads(zf.read("manifest.json"))
    assert manifest["audit_head"]["seq"] == ctx.ws.audit_head().seq
    for r in page.consolidation.results:
        assert r.proposal_id in results


def test_a_key_of_another_agency_is_refused_in_words(qtbot, ctx, demo_round: Path, tmp_path: Path) -> None:  # noqa: F811
    page = _page(qtbot, ctx)
    messages: list[tuple] = []
    other = create_agency_keys(tmp_path / "other")
    page.archive.get_keys = lambda: other
    page.archive.show_message = lambda *a: messages.append(a)
    assert page.archive.export_to(tmp_path / "x.ticarchive")
    qtbot.waitUntil(lambda: not page.archive.is_busy() and bool(messages), timeout=60000)
    title, text, error, _details = messages[0]
    assert error and title == "导出归档包失败" and "不是用本机构的签名密钥签名" in text
    assert not (tmp_path / "x.ticarchive").exists()
    assert not list(tmp_path.glob(".tic-tmp-*"))


def test_the_window_gives_the_signing_key_with_the_session_passphrase(qtbot, tmp_path: Path) -> None:
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    made = create_agency_keys(tmp_path / "agency" / "keys", passphrase=b"Agency key 2026!")
    window = AgencyWindow(tmp_path / "agency")
    qtbot.addWidget(window)
    asked: list[str] = []
    answers = iter(["wrong passphrase", "Agency key 2026!"])
    window.ask_key_passphrase = lambda error: asked.append(error) or next(answers)
    keys = window.signing_keys()
    assert keys is not None and keys.fingerprint == made.fingerprint
    assert len(asked) == 2 and asked[0] == "" and asked[1]  # the wrong one said so, then asked again
    assert window.signing_keys().fingerprint == made.fingerprint and len(asked) == 2  # once per session
    window.workspace.close()


def test_no_passphrase_given_means_no_archive(qtbot, tmp_path: Path) -> None:
    from tic_desktop.ui.agency.agency_window import AgencyWindow

    create_agency_keys(tmp_path / "agency" / "keys", passphrase=b"Agency key 2026!")
    window = AgencyWindow(tmp_path / "agency")
    qtbot.addWidget(window)
    window.ask_key_passphrase = lambda error: None
    assert window.signing_keys() is None
    window.workspace.close()
