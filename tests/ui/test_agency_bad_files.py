"""Bad sheet files imported in the app (issue 6: "the app (a dialog in the user's language) is tested").

Ten representative bad files, built with tests/corpus/sheet_factory.py on the corpus's small batch, go
through the import page as a user adds them (dialog, drag and drop). Each row says 已拒绝 with the
sentence registered for its code (core.errors.message), in English when the UI is English; the
technical detail stays in the tooltip; nothing is stored."""

from __future__ import annotations

import io
import json
import sys
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QApplication

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "corpus"))

from batch_factory import PDF, make_spec  # noqa: E402
from sheet_factory import SHEET_FILES, SheetWorld, body_of, make_world, relist, sign_members  # noqa: E402

from tic_desktop.agency.workspace import AgencyWorkspace, signing_fingerprint  # noqa: E402
from tic_desktop.core.errors import message  # noqa: E402
from tic_desktop.formats import container  # noqa: E402
from tic_desktop.formats import sheet as sf  # noqa: E402
from tic_desktop.formats.batch import build_batch_zip  # noqa: E402
from tic_desktop.formats.keys import create_agency_keys  # noqa: E402
from tic_desktop.ui.agency.agency_context import AgencyContext  # noqa: E402
from tic_desktop.ui.agency.sheet_import_page import SheetImportPage  # noqa: E402
from tic_desktop.ui.common.i18n import install_translators  # noqa: E402


@dataclass(frozen=True)
class Round:
    folder: Path
    batch_path: Path
    identity: str
    world: SheetWorld
    impostor_recipient: str
    valid_batch: bytes


@pytest.fixture(scope="module")
def corpus_round(tmp_path_factory: pytest.TempPathFactory) -> Round:
    folder = tmp_path_factory.mktemp("bad-files")
    keys = create_agency_keys(folder / "agency")
    impostor = create_agency_keys(folder / "impostor")
    _, valid = build_batch_zip(make_spec(), keys, created_at="2026-01-05T09:00:00+00:00")
    batch_path = folder / "batch.ticbatch"
    batch_path.write_bytes(valid)
    identity = str(keys.age_identity)
    with AgencyWorkspace.open(folder / "probe" / "agency.db", check_location=False) as ws:
        info = ws.add_batch(batch_path, identity, own_fingerprint=keys.fingerprint)
        with ws.open_batch(info.batch_id, identity) as opened:
            world = make_world(opened, identity, keys.age_recipient)
    return Round(folder, batch_path, identity, world, impostor.age_recipient, valid)


def _json_edit(old: str, new: str) -> Callable[[SheetWorld], bytes]:
    def build(w: SheetWorld) -> bytes:
        text = w.members[sf.SHEET].decode()
        assert old in text
        return w.encrypt(container.write_zip(sign_members(w.members, text.replace(old, new, 1).encode(),
                                                          w.e1.signing_key)))
    return build


def _body_edit(change: Callable[[dict], None]) -> Callable[[SheetWorld], bytes]:
    def build(w: SheetWorld) -> bytes:
        body = body_of(w.members)
        change(body)
        return w.resealed(w.members, body)
    return build


def _tampered(w: SheetWorld) -> bytes:
    """sheet.json changed after signing (one digit of created_at), the signatures kept."""
    text = w.members[sf.SHEET].decode().replace('"created_at":"2026', '"created_at":"2027', 1)
    return w.resealed({**w.members, sf.SHEET: text.encode()})


def _unassigned(w: SheetWorld) -> bytes:
    body = body_of(w.members)
    extra = json.loads(json.dumps(body["proposals"][0]))
    extra["proposal_id"], extra["documents_opened"] = "P003", []
    body["proposals"].append(extra)
    members = {k: v for k, v in w.members.items() if k not in SHEET_FILES}
    members[sf.pdf_member("P003")] = PDF
    return w.resealed(members, relist(body, members))


def _path_traversal(w: SheetWorld) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in sorted(w.members.items()):
            zf.writestr(name, data)
        zf.writestr("../startup.bat", b"echo owned")
    return w.encrypt(out.getvalue())


def _unknown_expert(w: SheetWorld) -> bytes:
    body = body_of(w.members)
    body["expert_id"] = "E99"
    members = {k: v for k, v in w.members.items() if k not in SHEET_FILES}
    members.update(sf.key_members(w.e1.signing_key.public_key(), "E99"))
    return w.resealed(members, relist(body, members))


CASES: dict[str, tuple[Callable[[Round], bytes], str]] = {
    "签名后改过.ticsheet": (lambda r: _tampered(r.world), "sig.bad_signature"),
    "别的批次.ticsheet": (lambda r: _body_edit(lambda b: b.__setitem__("batch_id", "2026-02"))(r.world),
                         "sheet.batch_mismatch"),
    "未分配的项目.ticsheet": (lambda r: _unassigned(r.world), "sheet.not_assigned"),
    "重复键.ticsheet": (lambda r: _json_edit('{"app_version"', '{"app_version":"x","app_version"')(r.world),
                     "json.duplicate_key"),
    "路径穿越.ticsheet": (lambda r: _path_traversal(r.world), "zip.path_traversal"),
    "不是评分表.ticsheet": (lambda r: PDF, "format.not_recognized"),
    "传输中断.ticsheet": (lambda r: r.world.valid[:-1], "age.decrypt_failed"),
    "发给别的机构.ticsheet": (lambda r: r.world.encrypt(r.world.zip, r.impostor_recipient), "age.wrong_identity"),
    "未知专家.ticsheet": (lambda r: _unknown_expert(r.world), "sheet.unknown_expert"),
}
BATCH_NAME = "评审批次.ticbatch"
BATCH_CODE = "import.is_batch"  # said as such, not as a broken sheet


@pytest.fixture()
def page_ctx(corpus_round: Round, tmp_path: Path, qtbot) -> Iterator[tuple[SheetImportPage, AgencyContext, Path]]:
    ws_path = tmp_path / "agency" / "agency.db"
    ws = AgencyWorkspace.open(ws_path, check_location=False)
    info = ws.add_batch(corpus_round.batch_path, corpus_round.identity,
                       own_fingerprint=signing_fingerprint(corpus_round.folder / "agency"))
    for expert_id, fingerprint in corpus_round.world.pins.items():
        ws.pin(info.batch_id, expert_id, fingerprint, "enrolment")
    batch = ws.open_batch(info.batch_id, corpus_round.identity)
    ctx = AgencyContext(ws=ws, ws_path=ws_path, batch_id=info.batch_id, batch=batch, identity=corpus_round.identity)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name, (build, _code) in CASES.items():
        (inbox / name).write_bytes(build(corpus_round))
    (inbox / BATCH_NAME).write_bytes(corpus_round.valid_batch)
    page = SheetImportPage()
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show_message = lambda *a: page.__dict__.setdefault("messages", []).append(a)
    yield page, ctx, inbox
    page.set_context(None)
    batch.close()
    ws.close()


def _import_everything(qtbot, page: SheetImportPage, inbox: Path) -> dict[str, tuple[str, str, str, str]]:
    """The sheets through 添加文件…, the batch file dropped on the page; name -> (status, reason, tooltip, code)."""
    page.ask_files = lambda: [inbox / name for name in CASES]
    page.addFilesButton.click()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    page.show()
    data = QMimeData()
    data.setUrls([QUrl.fromLocalFile(str(inbox / BATCH_NAME))])
    drop = QDropEvent(QPointF(100, 100), Qt.DropAction.CopyAction, data, Qt.MouseButton.NoButton,
                      Qt.KeyboardModifier.NoModifier)
    page.dropEvent(drop)
    assert drop.isAccepted()
    qtbot.waitUntil(lambda: not page.is_busy(), timeout=30000)
    m = page.logModel
    return {m.index(r, 0).data(): (m.index(r, 3).data(), m.index(r, 4).data(),
                                   m.index(r, 4).data(Qt.ItemDataRole.ToolTipRole),
                                   m.index(r, 4).data(Qt.ItemDataRole.UserRole)) for r in range(m.rowCount())}


EXPECTED = {**{name: code for name, (_b, code) in CASES.items()}, BATCH_NAME: BATCH_CODE}


def test_every_bad_file_is_refused_in_chinese_and_nothing_is_stored(qtbot, page_ctx) -> None:
    page, ctx, inbox = page_ctx
    page.set_context(ctx)
    rows = _import_everything(qtbot, page, inbox)
    assert set(rows) == set(EXPECTED)
    for name, code in EXPECTED.items():
        status, reason, tooltip, got = rows[name]
        assert (status, got) == ("已拒绝", code), name
        assert reason == message(code, "zh"), name
        assert tooltip.startswith(reason), name
    # technical detail (from the crypto and ZIP layers, often English) only in the tooltip
    status, reason, tooltip, _ = rows["传输中断.ticsheet"]
    assert "技术细节：" in tooltip and "技术细节" not in reason
    assert ctx.ws.sheets(ctx.batch_id) == []
    assert ctx.ws.current_sheets(ctx.batch_id) == []
    assert page.summaryLabel.text() == f"已收到 0 / {len(ctx.manifest.experts)} 位专家的评分表"
    stored = ctx.ws_path.parent / "sheets"
    assert not stored.exists() or not any(stored.iterdir())  # no raw copy kept either


def test_in_english_the_reasons_are_english(qtbot, page_ctx) -> None:
    page, ctx, inbox = page_ctx
    ctx.lang = "en"
    install_translators(QApplication.instance(), "en")
    try:
        page.set_context(ctx)
        rows = _import_everything(qtbot, page, inbox)
        for name, code in EXPECTED.items():
            status, reason, _tooltip, got = rows[name]
            assert (status, got) == ("Refused", code), name
            assert reason == message(code, "en"), name
            assert not any("\u4e00" <= ch <= "\u9fff" for ch in reason), reason
        assert ctx.ws.sheets(ctx.batch_id) == []
    finally:
        install_translators(QApplication.instance(), "zh")
